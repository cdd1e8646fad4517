/**
 * Composition of handler records and handlers (design.md §8).
 *
 * @module
 */

import type { ActionHandler, ActionHandlers, ActionSpec, AnyActionHandlers } from "./types.ts";
import type { StandardActions } from "./standard.ts";

/**
 * Gives a handler record written on its own (e.g. in another file) its types
 * from an action table, so params and return types are checked. The record is
 * returned unchanged.
 *
 * @typeParam M The action table; {@linkcode StandardActions} by default. Add
 * extended actions with an intersection:
 * `StandardActions & { "demo.ping": { params: {}; data: string } }`.
 * @param handlers The handlers.
 * @returns The same record, typed.
 *
 * @example
 * ```ts
 * import { defineActions, ok, type StandardActions } from "@libob/libob";
 *
 * type MyActions = StandardActions & {
 *   "my.ping": { params: Record<string, never>; data: string };
 * };
 * const handlers = defineActions<MyActions>({
 *   "my.ping": () => ok("pong"),
 *   get_self_info: () => ok({ user_id: "1", user_name: "bot", user_displayname: "" }),
 * });
 * ```
 */
export function defineActions<M extends { [A in keyof M]: ActionSpec } = StandardActions>(
  // NoInfer: without an explicit M, the table is StandardActions, not one inferred from the record.
  handlers: NoInfer<ActionHandlers<M>>,
): ActionHandlers<M> {
  return handlers;
}

/**
 * Merges handler records; a later record's handler wins for the same name.
 * Entries whose value is `undefined` are dropped, so the merged keys are
 * exactly the implemented actions.
 *
 * @param records Handler records, e.g. one per file.
 * @returns One record.
 *
 * @example
 * ```ts
 * import { mergeHandlers, ok } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const merged = mergeHandlers({ a: () => ok(1) }, { b: () => ok(2) });
 * expect(Object.keys(merged)).toEqual(["a", "b"]);
 * ```
 */
export function mergeHandlers(...records: readonly AnyActionHandlers[]): AnyActionHandlers {
  const merged: Record<string, AnyActionHandlers[string]> = {};
  for (const record of records) {
    for (const [action, handler] of Object.entries(record)) {
      if (handler !== undefined) merged[action] = handler;
    }
  }
  return merged;
}

/**
 * A wrapper: a function from a handler to a handler, for cross-cutting
 * concerns such as logging, metrics or rate limits.
 *
 * @example
 * ```ts
 * import type { HandlerWrapper } from "@libob/libob";
 *
 * const timed: HandlerWrapper = (handler) => async (params, context) => {
 *   const start = performance.now();
 *   try {
 *     return await handler(params, context);
 *   } finally {
 *     void (performance.now() - start);
 *   }
 * };
 * ```
 */
// deno-lint-ignore no-explicit-any
export type HandlerWrapper = (handler: ActionHandler<any, unknown>) => ActionHandler<any, unknown>;

/**
 * Applies a wrapper to every handler of a record.
 *
 * @param handlers The record.
 * @param wrapper The wrapper, e.g. a logger.
 * @returns A new record with the same keys.
 *
 * @example
 * ```ts
 * import { ok, wrapHandlers } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const calls: string[] = [];
 * const handlers = wrapHandlers({ ping: () => ok("pong") }, (handler) => (params, context) => {
 *   calls.push("ping");
 *   return handler(params, context);
 * });
 * await handlers.ping!({}, { connection: "local", self: undefined });
 * expect(calls).toEqual(["ping"]);
 * ```
 */
export function wrapHandlers(
  handlers: AnyActionHandlers,
  wrapper: HandlerWrapper,
): AnyActionHandlers {
  const wrapped: Record<string, AnyActionHandlers[string]> = {};
  for (const [action, handler] of Object.entries(handlers)) {
    if (handler !== undefined) wrapped[action] = wrapper(handler);
  }
  return wrapped;
}
