/**
 * Types of the action layer: requests, responses, results, handlers and the
 * router (checklist §2.2, §2.3).
 *
 * @module
 */

import type { ExtensionName } from "../event/extension.ts";
import type { BotSelf } from "../event/types.ts";
import type { ParamsValidator } from "./router.ts";

/**
 * A parsed, well-formed action request (§2.2).
 *
 * @typeParam A The action name.
 * @typeParam P The params record.
 *
 * @example
 * ```ts
 * import type { ActionRequest } from "@libob/libob";
 *
 * const request: ActionRequest = { action: "get_version", params: {}, echo: "1" };
 * ```
 */
export interface ActionRequest<A extends string = string, P = Record<string, unknown>> {
  /** The action name. */
  action: A;
  /** The parameters; `{}` when there are none. */
  params: P;
  /** The caller's token, returned unchanged in the response. */
  echo?: string;
  /** Which bot should run the action, where several share a connection. */
  self?: BotSelf;
}

/**
 * An action that succeeded: `status` `ok`, `retcode` 0, `message` `""` (RESP-02).
 *
 * @typeParam D The response data.
 *
 * @example
 * ```ts
 * import { ok, type Ok } from "@libob/libob";
 *
 * const result: Ok<{ message_id: string }> = ok({ message_id: "1" });
 * ```
 */
export interface Ok<D> {
  /** Always `ok`. */
  readonly status: "ok";
  /** Always 0. */
  readonly retcode: 0;
  /** The response data; `null` where the action returns none. */
  readonly data: D;
  /** Always `""`. */
  readonly message: "";
}

/**
 * An action that failed with a non-zero retcode (RESP-02).
 *
 * @example
 * ```ts
 * import { failed, RETCODE, type Failure } from "@libob/libob";
 *
 * const result: Failure = failed(RETCODE.BAD_PARAM, "user_id is required");
 * ```
 */
export interface Failure {
  /** Always `failed`. */
  readonly status: "failed";
  /** A failure retcode (§2.4). */
  readonly retcode: number;
  /** Extra data about the failure, `null` by default. */
  readonly data: unknown;
  /** A human-readable reason. */
  readonly message: string;
}

/**
 * What a handler returns: success with typed data, or a failure.
 *
 * @typeParam D The data on success.
 *
 * @example
 * ```ts
 * import { ok, type ActionResult } from "@libob/libob";
 *
 * const result: ActionResult<null> = ok(null);
 * ```
 */
export type ActionResult<D> = Ok<D> | Failure;

/**
 * An action response on the wire (§2.3): always `status`, `retcode`, `data`
 * and `message`; `echo` exactly when the request carried one.
 *
 * @typeParam D The response data.
 *
 * @example
 * ```ts
 * import type { ActionResponse } from "@libob/libob";
 *
 * const response: ActionResponse = {
 *   status: "failed",
 *   retcode: 10002,
 *   data: null,
 *   message: "unsupported action: foo",
 *   echo: "7",
 * };
 * ```
 */
export interface ActionResponse<D = unknown> {
  /** `ok` or `failed`. */
  status: "ok" | "failed";
  /** 0 on success, a failure code otherwise. */
  retcode: number;
  /** The data, `null` where there is none. */
  data: D;
  /** `""` on success, a reason on failure. */
  message: string;
  /** The request's `echo`, unchanged. */
  echo?: string;
}

/**
 * The kinds of OneBot Connect connection an action can arrive on.
 *
 * @example
 * ```ts
 * import type { ConnectionKind } from "@libob/libob";
 *
 * const kind: ConnectionKind = "websocket_reverse";
 * ```
 */
export type ConnectionKind = "http" | "http_webhook" | "websocket" | "websocket_reverse" | "local";

/**
 * What the router and handlers know about a request besides its params.
 * It is a separate record: requests are never mutated.
 *
 * @example
 * ```ts
 * import type { ActionContext } from "@libob/libob";
 *
 * const context: ActionContext = { connection: "http", self: undefined };
 * ```
 */
export interface ActionContext {
  /** Which kind of connection the request came through. */
  connection: ConnectionKind;
  /**
   * The bot that runs the action: the request's `self`, or the only bot when
   * there is one. `undefined` for a meta action without a resolvable bot.
   */
  self: BotSelf | undefined;
  /**
   * Aborted when the request's answer is no longer wanted: over HTTP, when
   * the client goes away before it (a long poll then ends at once); for the
   * actions of a webhook reply, when the webhook is disposed and its
   * `drainTimeout` has run out. Absent where the transport gives none. Over HTTP it is made on first read, and
   * reading it is what marks an action as one that may wait: its answer is
   * sent in a streamed body, which the server cancels when the client goes.
   * An action that never reads it is answered with a plain body. There the
   * signal is an accessor of the context's prototype: pass the context on as
   * it is (a spread `{ ...context }` copies no `signal`).
   */
  signal?: AbortSignal;
}

/**
 * The context the transports give the router; the router fills in `self`.
 *
 * @example
 * ```ts
 * import type { RequestContext } from "@libob/libob";
 *
 * const context: RequestContext = { connection: "websocket" };
 * ```
 */
export interface RequestContext {
  /** Which kind of connection the request came through. */
  connection: ConnectionKind;
  /** Given to the handler as {@linkcode ActionContext.signal}. */
  signal?: AbortSignal;
}

/**
 * One action's implementation: typed params and context in, a result out.
 * Throwing is allowed: a thrown {@linkcode Failure} is used as the answer,
 * anything else becomes 20002.
 *
 * @typeParam P The params type.
 * @typeParam D The data type on success.
 *
 * @example
 * ```ts
 * import { ok, type ActionHandler } from "@libob/libob";
 *
 * const echoText: ActionHandler<{ text: string }, string> = ({ text }) => ok(text);
 * ```
 */
export type ActionHandler<P, D> = (
  params: P,
  context: ActionContext,
) => ActionResult<D> | Promise<ActionResult<D>>;

/**
 * The shape of one action in an action table.
 *
 * @example
 * ```ts
 * import type { ActionSpec } from "@libob/libob";
 *
 * type Ping = ActionSpec & { params: Record<string, never>; data: "pong" };
 * ```
 */
export interface ActionSpec {
  /** The params record. */
  params: unknown;
  /** The data on success. */
  data: unknown;
}

/**
 * A table of actions by name: `{ [action]: { params; data } }`.
 *
 * @example
 * ```ts
 * import type { ActionMap } from "@libob/libob";
 *
 * const isTable = <M extends ActionMap>(m: M) => m;
 * ```
 */
export type ActionMap = { [action: string]: ActionSpec };

/**
 * A record of handlers for the actions of table `M`. Every key is optional:
 * an action without a handler (or with `undefined`) answers 10002. This is
 * the one mapped type of handlers.
 *
 * @typeParam M The action table.
 *
 * @example
 * ```ts
 * import { ok, type ActionHandlers, type StandardActions } from "@libob/libob";
 *
 * const handlers: ActionHandlers<StandardActions> = {
 *   get_self_info: () => ok({ user_id: "1", user_name: "bot", user_displayname: "" }),
 * };
 * ```
 */
export type ActionHandlers<M extends { [A in keyof M]: ActionSpec }> = {
  [A in keyof M & string]?: ActionHandler<M[A]["params"], M[A]["data"]> | undefined;
};

/**
 * An extended action defined in one place by {@linkcode defineAction}: its
 * prefixed name, the validator built from its schema, and its handler. Give
 * it to `createOneBot({ actions: [...] })`.
 *
 * @typeParam N The action name, `<prefix>.<name>` (EXT-01, EXT-16).
 * @typeParam P The params the handler receives: the schema's output.
 * @typeParam D The data of the handler's `ok(...)`.
 *
 * @example
 * ```ts
 * import { defineAction, type DefinedAction, ok } from "@libob/libob";
 * import * as v from "valibot";
 *
 * const setTopic: DefinedAction<"acme.set_topic", { topic: string }, null> = defineAction(
 *   "acme.set_topic",
 *   v.object({ topic: v.string() }),
 *   () => ok(null),
 * );
 * ```
 */
// deno-lint-ignore no-explicit-any
export interface DefinedAction<N extends ExtensionName = ExtensionName, P = any, D = unknown> {
  /** The action name. */
  readonly name: N;
  /** Checks and converts the params before the handler runs (10003 on an issue). */
  readonly validate: ParamsValidator;
  /** The implementation, which only ever sees validated params. */
  readonly handler: ActionHandler<P, D>;
}

/**
 * The action table `M` with the actions `A` of {@linkcode defineAction} added:
 * the table a OneBot built with `createOneBot({ actions })` serves. An array
 * whose names are not known literally (`DefinedAction[]`) adds nothing.
 *
 * @typeParam M The action table, e.g. {@linkcode StandardActions}.
 * @typeParam A The defined actions.
 *
 * @example
 * ```ts
 * import { defineAction, ok, type StandardActions, type WithActions } from "@libob/libob";
 * import * as v from "valibot";
 *
 * const setTopic = defineAction("acme.set_topic", v.object({ topic: v.string() }), () => ok(null));
 * type Table = WithActions<StandardActions, [typeof setTopic]>;
 * const spec: Table["acme.set_topic"] = { params: { topic: "news" }, data: null };
 * ```
 */
export type WithActions<M, A extends readonly DefinedAction[]> = {
  [N in keyof M | (ExtensionName extends A[number]["name"] ? never : A[number]["name"])]: N extends
    keyof M ? M[N]
    : Extract<A[number], { name: N }> extends DefinedAction<ExtensionName, infer P, infer D>
      ? { params: P; data: D }
    : never;
};

/**
 * A handler record whose types are erased: what the router runs.
 *
 * @example
 * ```ts
 * import { ok, type AnyActionHandlers } from "@libob/libob";
 *
 * const handlers: AnyActionHandlers = { ping: () => ok("pong") };
 * ```
 */
export type AnyActionHandlers = {
  // deno-lint-ignore no-explicit-any
  readonly [action: string]: ActionHandler<any, unknown> | undefined;
};

/**
 * The router: a parsed or raw request plus its context in, a response out.
 * It never rejects.
 *
 * @example
 * ```ts
 * import { createActionRouter, defineActions, ok, type ActionRouter } from "@libob/libob";
 *
 * const router: ActionRouter = createActionRouter({
 *   handlers: defineActions({ delete_message: () => ok(null) }),
 *   bots: () => [],
 * });
 * ```
 */
export type ActionRouter = (request: unknown, context: RequestContext) => Promise<ActionResponse>;
