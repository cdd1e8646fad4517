/**
 * The functional action router (REQ-01..06, RESP-01..03).
 *
 * @module
 */

import { checkInteger } from "../_check.ts";
import { clip } from "../_text.ts";
import { logger } from "../_log.ts";
import type { BotSelf } from "../event/types.ts";
import { GET_LATEST_EVENTS } from "./latest_events.ts";
import { echoOf, parseActionRequest } from "./parse_request.ts";
import { failed, isActionResult, isFailure } from "./result.ts";
import { RETCODE } from "./retcode.ts";
import type {
  ActionContext,
  ActionResponse,
  ActionResult,
  ActionRouter,
  AnyActionHandlers,
  Failure,
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
  GET_LATEST_EVENTS,
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
 * import { defineActions, ok, type ActionRouterOptions } from "@libob/libob";
 *
 * const options: ActionRouterOptions = {
 *   handlers: defineActions({ delete_message: () => ok(null) }),
 *   bots: () => [],
 * };
 * ```
 */
export interface ActionRouterOptions {
  /**
   * The handler record, already merged (see {@linkcode mergeHandlers}), its
   * types erased: type it where it is written, with {@linkcode defineActions}.
   */
  handlers: AnyActionHandlers;
  /** The bots this router serves, read on every request. */
  bots: () => readonly BotSelf[];
  /** Actions that never require `self`; {@linkcode META_ACTIONS} by default. */
  metaActions?: ReadonlySet<string>;
  /** Param checks by action name, run before the handler. */
  validators?: { readonly [action: string]: ParamsValidator | undefined };
  /** Deepest nesting of objects and arrays accepted in `params`; deeper → 10001. Default 64. */
  maxDepth?: number;
  /**
   * Maps what a handler or validator throws (or rejects with), when it is
   * not a {@linkcode Failure}, to the failure to answer with: one place where
   * a bridge turns its platform's errors into 34xxx/35xxx/36xxx. Return
   * `undefined` for the default, 20002 with the error logged. A `mapError`
   * that throws, or returns neither a failure nor `undefined`, is logged and
   * the answer is 20002.
   */
  mapError?: (error: unknown) => Failure | undefined;
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
 *   it throws anything else (RESP-03), with the error logged, never sent,
 *   unless `mapError` maps it to a failure.
 *
 * The router is the untyped layer under `createOneBot`: it takes any
 * {@linkcode AnyActionHandlers} record, for the meta actions and merged
 * records to fit. `createOneBot` checks inline handlers against the action
 * table; a record given to the router directly gets its types from
 * {@linkcode defineActions}.
 *
 * @param options The handlers, the bots and the optional validators.
 * @returns The router.
 * @throws {RangeError} When `maxDepth` is not an integer > 0.
 * @throws {TypeError} When `mapError` is not a function.
 *
 * @example Routing a request without any network
 * ```ts
 * import { createActionRouter, defineActions, ok } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const router = createActionRouter({
 *   handlers: defineActions({
 *     get_self_info: () => ok({ user_id: "bot", user_name: "Bot", user_displayname: "" }),
 *   }),
 *   bots: () => [{ platform: "demo", user_id: "bot" }],
 * });
 * const response = await router(
 *   { action: "get_self_info", params: {}, echo: "1" },
 *   { connection: "http" },
 * );
 * expect(response).toMatchObject({ status: "ok", data: { user_name: "Bot" }, echo: "1" });
 * ```
 *
 * @example Mapping a platform's errors (mapError)
 * ```ts
 * import { createActionRouter, defineActions, failed, RETCODE } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const router = createActionRouter({
 *   handlers: defineActions({
 *     delete_message: () => {
 *       throw new RangeError("rate limited");
 *     },
 *   }),
 *   bots: () => [{ platform: "demo", user_id: "bot" }],
 *   mapError: (error) => error instanceof RangeError ? failed(RETCODE.I_AM_TIRED) : undefined,
 * });
 * const response = await router(
 *   { action: "delete_message", params: { message_id: "1" } },
 *   { connection: "http" },
 * );
 * expect(response.retcode).toBe(36000);
 * ```
 */
export function createActionRouter(options: ActionRouterOptions): ActionRouter {
  const { handlers, bots, metaActions = META_ACTIONS, validators = {}, maxDepth = 64 } = options;
  checkInteger("create action router", "maxDepth", maxDepth, 1);
  const { mapError } = options;
  if (mapError !== undefined && typeof mapError !== "function") {
    throw new TypeError(
      `Cannot create action router: mapError must be a function: current type is ${typeof mapError}`,
    );
  }
  const log = logger("router");

  /** The answer to a thrown value: itself if a failure, else what `mapError` makes of it. */
  function failureOf(error: unknown, action: string): Failure {
    if (isFailure(error)) return error;
    const mapped = mapThrown(error, action);
    if (mapped !== undefined) return mapped;
    log.error("Handler for {action} threw: {error}", { action, error });
    return failed(RETCODE.INTERNAL_HANDLER_ERROR, `the handler for ${clip(action)} failed`);
  }

  /** `mapError`'s failure for `error`, isolated: a throw or a wrong value is logged. */
  function mapThrown(error: unknown, action: string): Failure | undefined {
    if (mapError === undefined) return undefined;
    try {
      const mapped: unknown = mapError(error);
      if (isFailure(mapped)) {
        log.debug("Handler for {action} threw {error}: mapped to {retcode}", {
          action,
          error,
          retcode: mapped.retcode,
        });
        return mapped;
      }
      if (mapped instanceof Promise) mapped.catch(() => {}); // it is synchronous: never awaited
      if (mapped !== undefined) {
        log.error("mapError returned {mapped} for {action}: not a failure", { action, mapped });
      }
    } catch (mapperError) {
      log.error("mapError threw for {action}: {mapperError}", { action, mapperError });
    }
    return undefined;
  }

  /** The handler's value as a result: 20001 when it is not one. */
  function checked(result: unknown, action: string): ActionResult<unknown> {
    if (isActionResult(result)) return result;
    log.error("Handler for {action} returned a value that is not an action result", {
      action,
      result,
    });
    return failed(RETCODE.BAD_HANDLER, `the handler for ${clip(action)} returned no result`);
  }

  /**
   * The request's result. A synchronous validator and handler give it
   * synchronously: on every request, each promise turn saved counts. Never
   * rejects; throws only when the caller's `bots()` does.
   */
  function run(
    request: unknown,
    connection: RequestContext,
  ): ActionResult<unknown> | Promise<ActionResult<unknown>> {
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
    const validate = Object.hasOwn(validators, action) ? validators[action] : undefined;
    const context = actionContext(connection, self);
    const fail = (error: unknown) => failureOf(error, action);
    const call = (params: unknown) => {
      const result = handler(params, context);
      return isThenable(result)
        ? Promise.resolve(result).then((value) => checked(value, action), fail)
        : checked(result, action);
    };
    try {
      const params = validate === undefined ? parsed.params : validate(parsed.params);
      // A Standard Schema may validate asynchronously (see schemaValidator).
      if (params instanceof Promise) {
        return params.then((valid) => isFailure(valid) ? valid : call(valid)).catch(fail);
      }
      return isFailure(params) ? params : call(params);
    } catch (error) {
      return fail(error);
    }
  }

  /** The response, synchronously when `run` gave the result synchronously. */
  function now(
    request: unknown,
    context: RequestContext,
  ): ActionResponse | Promise<ActionResponse> {
    let result: ActionResult<unknown> | Promise<ActionResult<unknown>>;
    try {
      result = run(request, context);
    } catch (error) {
      // Only the caller's `bots()` can throw outside the handler's try: still answer (RESP-03).
      log.error("Routing a request failed: {error}", { error });
      result = failed(RETCODE.INTERNAL_HANDLER_ERROR, "the request could not be routed");
    }
    return result instanceof Promise
      ? result.then((done) => toResponse(done, echoOf(request)))
      : toResponse(result, echoOf(request));
  }

  const route: ActionRouter = (request, context) => {
    try {
      const response = now(request, context);
      return response instanceof Promise ? response : Promise.resolve(response);
    } catch (error) {
      // An in-process caller's request with a throwing getter: a rejection, as it always was.
      return Promise.reject(error);
    }
  };
  return Object.assign(route, { [ROUTE_NOW]: now });
}

/** Where a router made here keeps its synchronous form (see {@linkcode routeNow}). */
const ROUTE_NOW: unique symbol = Symbol("route now");

/**
 * A router as the transports call it: a plain response when the action
 * answered synchronously, which spares a promise and a turn per request.
 * Internal: not exported from `mod.ts`.
 */
export type RouteNow = (
  request: unknown,
  context: RequestContext,
) => ActionResponse | Promise<ActionResponse>;

/**
 * The synchronous form of a router made by {@linkcode createActionRouter};
 * any other router is called as it is, its answer always a promise.
 * Internal: not exported from `mod.ts`.
 */
export function routeNow(router: ActionRouter): RouteNow {
  const now = (router as { [ROUTE_NOW]?: RouteNow })[ROUTE_NOW];
  return now ?? ((request, context) => Promise.resolve(router(request, context)));
}

/** Whether `value` has a `then` method, as `await` would adopt it. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
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

/** Where an {@linkcode ActionContext} with a signal finds it: the transport's context. */
const SOURCE: unique symbol = Symbol("request context");

/** The prototype of a context with a signal: the transport's, read only when the handler does. */
const WITH_SIGNAL = {
  get signal(): AbortSignal | undefined {
    return (this as unknown as { [SOURCE]: RequestContext })[SOURCE].signal;
  },
};

/**
 * The handler's context. A transport's `signal` is passed on through an
 * accessor, not read here: HTTP makes its signal (and answers in a streamed
 * body) only for an action that reads it. The accessor is on a shared
 * prototype (a getter in an object literal costs more than the routing).
 */
function actionContext(connection: RequestContext, self: BotSelf | undefined): ActionContext {
  if (!("signal" in connection)) return { connection: connection.connection, self };
  const context = Object.create(WITH_SIGNAL) as ActionContext & { [SOURCE]: RequestContext };
  context.connection = connection.connection;
  context.self = self;
  context[SOURCE] = connection;
  return context;
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

/** Params nested up to this depth are judged by a walk that allocates nothing. */
const SHALLOW_DEPTH = 8;

/**
 * Whether objects and arrays in `value` nest deeper than `limit` levels. It
 * runs on every request, and nearly all params are shallow: a recursion of at
 * most {@linkcode SHALLOW_DEPTH} levels decides those, and only params deeper
 * than that take the iterative walk, which no nesting can overflow.
 */
function deeperThan(value: unknown, limit: number): boolean {
  const cap = Math.min(limit, SHALLOW_DEPTH);
  if (!deeperThanShallow(value, 1, cap)) return false;
  return cap === limit || deeperThanIterative(value, limit);
}

/** Whether an object in `value` (itself at `depth`) lies deeper than `cap`; recursion ≤ `cap`. */
function deeperThanShallow(value: unknown, depth: number, cap: number): boolean {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return false;
  if (depth > cap) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (deeperThanShallow(child, depth + 1, cap)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (deeperThanShallow((value as Record<string, unknown>)[key], depth + 1, cap)) return true;
  }
  return false;
}

/** `deeperThan` for any depth: iterative, with two parallel stacks (not one of pairs). */
function deeperThanIterative(value: unknown, limit: number): boolean {
  const items: unknown[] = [value];
  const depths: number[] = [1];
  while (items.length > 0) {
    const item = items.pop();
    const depth = depths.pop()!;
    if (typeof item !== "object" || item === null || ArrayBuffer.isView(item)) continue;
    if (depth > limit) return true;
    if (Array.isArray(item)) {
      for (const child of item) {
        if (typeof child === "object" && child !== null) {
          items.push(child);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in item) {
      if (!Object.hasOwn(item, key)) continue;
      const child: unknown = (item as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null) {
        items.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
