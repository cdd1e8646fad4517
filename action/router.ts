/**
 * The functional action router (REQ-01..06, RESP-01..03).
 *
 * @module
 */

import { logger } from "../_log.ts";
import type { BotSelf } from "../event/types.ts";
import { echoOf, parseActionRequest } from "./parse_request.ts";
import { failed, isActionResult, isFailure } from "./result.ts";
import { RETCODE } from "./retcode.ts";
import type {
  ActionContext,
  ActionResponse,
  ActionResult,
  ActionRouter,
  AnyActionHandlers,
  RequestContext,
} from "./types.ts";

/**
 * The standard meta actions, which never require `self` (REQ-06).
 *
 * @example
 * ```ts
 * import { META_ACTIONS } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(META_ACTIONS.has("get_status")).toBe(true);
 * ```
 */
export const META_ACTIONS: ReadonlySet<string> = new Set([
  "get_latest_events",
  "get_supported_actions",
  "get_status",
  "get_version",
]);

/**
 * Checks and converts one action's params before its handler runs. It returns
 * the params the handler receives, or a failure (10003, 10004, 10005…), or a
 * promise of either (awaited by the router). A throw or rejection answers
 * 20002. See {@linkcode createValidators} and {@linkcode schemaValidator}.
 *
 * @example
 * ```ts
 * import { failed, type ParamsValidator } from "@libob/libob";
 *
 * const needsText: ParamsValidator = (params) =>
 *   typeof params.text === "string" ? params : failed(10003, "text must be a string");
 * ```
 */
export type ParamsValidator = (params: Record<string, unknown>) => unknown;

/**
 * Options of {@linkcode createActionRouter}.
 *
 * @example
 * ```ts
 * import { ok, type ActionRouterOptions } from "@libob/libob";
 *
 * const options: ActionRouterOptions = { handlers: { ping: () => ok("pong") }, bots: () => [] };
 * ```
 */
export interface ActionRouterOptions {
  /** The handler record, already merged (see {@linkcode mergeHandlers}). */
  handlers: AnyActionHandlers;
  /** The bots this router serves, read on every request. */
  bots: () => readonly BotSelf[];
  /** Actions that never require `self`; {@linkcode META_ACTIONS} by default. */
  metaActions?: ReadonlySet<string>;
  /** Param checks by action name, run before the handler. */
  validators?: { readonly [action: string]: ParamsValidator | undefined };
  /** Deepest nesting of objects and arrays accepted in `params`; deeper → 10001. Default 64. */
  maxDepth?: number;
}

/**
 * Builds the router: a function from a decoded request and its connection
 * context to a response. It never rejects. It answers:
 * - 10001 for a malformed envelope (REQ-01);
 * - 10002 for an action without a handler;
 * - 10102 when `self` names no bot, 10101 when several bots share the router
 *   and a non-meta request names none (REQ-02..05); meta actions ignore `self`
 *   (REQ-06);
 * - the handler's result, or a thrown {@linkcode Failure};
 * - 20001 when the handler returns something that is not a result, 20002 when
 *   it throws anything else (RESP-03), with the error logged, never sent.
 *
 * @param options The handlers, the bots and the optional validators.
 * @returns The router.
 *
 * @example Routing a request without any network
 * ```ts
 * import { createActionRouter, ok } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const router = createActionRouter({
 *   handlers: { ping: () => ok("pong") },
 *   bots: () => [{ platform: "demo", user_id: "bot" }],
 * });
 * const response = await router(
 *   { action: "ping", params: {}, echo: "1" },
 *   { connection: "http" },
 * );
 * expect(response).toEqual({ status: "ok", retcode: 0, data: "pong", message: "", echo: "1" });
 * ```
 */
export function createActionRouter(options: ActionRouterOptions): ActionRouter {
  const { handlers, bots, metaActions = META_ACTIONS, validators = {}, maxDepth = 64 } = options;
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 1) {
    throw new RangeError(
      `Cannot create action router: maxDepth must be an integer > 0: current value is ${maxDepth}`,
    );
  }
  const log = logger("router");

  async function run(request: unknown, connection: RequestContext): Promise<ActionResult<unknown>> {
    const parsed = parseActionRequest(request);
    if (isFailure(parsed)) return parsed;
    const { action } = parsed;
    const handler = Object.hasOwn(handlers, action) ? handlers[action] : undefined;
    if (handler === undefined) {
      return failed(RETCODE.UNSUPPORTED_ACTION, `unsupported action: ${clip(action)}`);
    }
    const self = resolveSelf(parsed.self, metaActions.has(action), bots());
    if (isFailure(self)) return self;
    if (deeperThan(parsed.params, maxDepth)) {
      // Validators and handlers recurse; a bounded depth keeps hostile input from their stacks.
      return failed(RETCODE.BAD_REQUEST, `params are nested deeper than ${maxDepth} levels`);
    }
    let params: unknown = parsed.params;
    const validate = Object.hasOwn(validators, action) ? validators[action] : undefined;
    const context: ActionContext = { connection: connection.connection, self };
    try {
      if (validate !== undefined) {
        params = validate(parsed.params);
        // A Standard Schema may validate asynchronously (see schemaValidator).
        if (params instanceof Promise) params = await params;
        if (isFailure(params)) return params;
      }
      const result: unknown = await handler(params, context);
      if (isActionResult(result)) return result;
      log.error("Handler for {action} returned a value that is not an action result", {
        action,
        result,
      });
      return failed(RETCODE.BAD_HANDLER, `the handler for ${clip(action)} returned no result`);
    } catch (error) {
      if (isFailure(error)) return error;
      log.error("Handler for {action} threw: {error}", { action, error });
      return failed(RETCODE.INTERNAL_HANDLER_ERROR, `the handler for ${clip(action)} failed`);
    }
  }

  return async function route(request, context) {
    let result: ActionResult<unknown>;
    try {
      result = await run(request, context);
    } catch (error) {
      // Only the caller's `bots()` can throw outside the handler's try: still answer (RESP-03).
      log.error("Routing a request failed: {error}", { error });
      result = failed(RETCODE.INTERNAL_HANDLER_ERROR, "the request could not be routed");
    }
    return toResponse(result, echoOf(request));
  };
}

/**
 * Turns a result into a wire response: exactly the four fields, plus `echo`
 * when the request had one (RESP-01..03). Never `"echo": null`.
 *
 * @param result The handler's result.
 * @param echo The request's `echo`, if any.
 * @returns The response record.
 *
 * @example
 * ```ts
 * import { ok, toResponse } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(toResponse(ok(null), undefined)).toEqual({
 *   status: "ok",
 *   retcode: 0,
 *   data: null,
 *   message: "",
 * });
 * ```
 */
export function toResponse(
  result: ActionResult<unknown>,
  echo: string | undefined,
): ActionResponse {
  const response: ActionResponse = {
    status: result.status,
    retcode: result.retcode,
    data: result.data === undefined ? null : result.data,
    message: result.message,
  };
  if (echo !== undefined) response.echo = echo;
  return response;
}

function resolveSelf(
  requested: BotSelf | undefined,
  isMeta: boolean,
  bots: readonly BotSelf[],
): BotSelf | undefined | ReturnType<typeof failed> {
  if (isMeta) {
    // REQ-06: meta actions ignore `self`; give the handler the only bot if there is one.
    return bots.length === 1 ? bots[0] : undefined;
  }
  if (requested !== undefined) {
    const bot = bots.find((b) =>
      b.platform === requested.platform && b.user_id === requested.user_id
    );
    return bot ?? failed(
      RETCODE.UNKNOWN_SELF,
      `unknown self: ${clip(requested.platform)}/${clip(requested.user_id)}`,
    );
  }
  if (bots.length === 1) return bots[0];
  return failed(
    RETCODE.WHO_AM_I,
    bots.length === 0
      ? "no bot account is available"
      : "several bots share this connection: set self",
  );
}

/** Whether objects and arrays in `value` nest deeper than `limit` levels (iterative). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null || ArrayBuffer.isView(item)) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Keeps peer-chosen strings short in messages and logs. */
function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
