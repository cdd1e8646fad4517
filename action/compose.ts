/**
 * Composition of handler records and handlers.
 *
 * @module
 */

import { type ExtensionName, isExtensionName, PREFIX_REGEXP } from "../event/extension.ts";
import type {
  ActionHandler,
  ActionHandlers,
  ActionSpec,
  AnyActionHandlers,
  DefinedAction,
} from "./types.ts";
import type { StandardActions } from "./standard.ts";
import { schemaValidator, type StandardSchemaV1 } from "./validate.ts";

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
 * Defines an extended action in one place: its name, its params schema and
 * its handler. The handler's params are the schema's output and its data is
 * what it passes to `ok(...)`; the router runs the schema before the handler
 * (an issue answers 10003 naming the field), so the validator cannot be left
 * out. Register it with `createOneBot({ actions: [...] })`, which adds it to
 * the action table of the OneBot's type.
 *
 * The name must be `<prefix>.<name>` with a prefix of `[_a-z]+` (EXT-01,
 * EXT-16): without a dot it does not compile, and a bad prefix throws.
 *
 * @typeParam N The action name.
 * @typeParam P The params: the schema's output.
 * @typeParam D The response data: inferred from the handler's `ok(...)`;
 * annotate the handler's return type (`ActionResult<Topic>`) to fix it.
 * @param name The action name, e.g. `acme.set_topic`.
 * @param schema Any Standard Schema v1 of the params (valibot, zod, arktype…).
 * @param handler The implementation; it only sees params the schema accepted.
 * @returns The defined action, frozen.
 * @throws {TypeError} When `name` is not a prefixed extension name, `schema`
 * does not implement Standard Schema v1, or `handler` is not a function.
 *
 * @example An extended action with valibot
 * ```ts
 * import { createOneBot, defineAction, ok } from "@libob/libob";
 * import * as v from "valibot";
 * import { expect } from "expect";
 *
 * const setTopic = defineAction(
 *   "acme.set_topic",
 *   v.object({ channel_id: v.string(), topic: v.pipe(v.string(), v.maxLength(100)) }),
 *   ({ channel_id, topic }) => ok({ channel_id, topic }), // params typed by the schema
 * );
 * await using onebot = createOneBot({
 *   impl: "acme-bridge",
 *   version: "1.0.0",
 *   bots: [{ self: { platform: "acme", user_id: "bot" }, online: true }],
 *   actions: [setTopic],
 * });
 * const response = await onebot.router(
 *   { action: "acme.set_topic", params: { channel_id: "c1", topic: 5 } },
 *   { connection: "local" },
 * );
 * expect(response.retcode).toBe(10003);
 * // The prefix is [_a-z]+: this name compiles but throws.
 * expect(() => defineAction("Acme.set_topic", v.object({}), () => ok(null))).toThrow(TypeError);
 * ```
 */
export function defineAction<N extends ExtensionName, P, D>(
  name: N,
  schema: StandardSchemaV1<unknown, P>,
  handler: ActionHandler<P, D>,
): DefinedAction<N, P, D> {
  if (!isExtensionName(name)) {
    throw new TypeError(
      `Cannot define action: name must be <prefix>.<name> with a prefix matching ${PREFIX_REGEXP} (EXT-01): current value is ${
        String(name)
      }`,
    );
  }
  if (typeof handler !== "function") {
    throw new TypeError(`Cannot define action ${name}: handler must be a function`);
  }
  return Object.freeze({ name, validate: schemaValidator(schema), handler });
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
