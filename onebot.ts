/**
 * The composition root: one OneBot 12 implementation from its identity, bots,
 * handlers and connections.
 *
 * @module
 */

import { checkInteger } from "./_check.ts";
import { type Log, logger, urlPeer } from "./_log.ts";
import { mergeHandlers } from "./action/compose.ts";
import { createLatestEventsHandler, GET_LATEST_EVENTS } from "./action/latest_events.ts";
import { withMetaActions } from "./action/meta.ts";
import { lenientRouter } from "./_lenient.ts";
import {
  type ActionRouterOptions,
  createActionRouter,
  type ParamsValidator,
} from "./action/router.ts";
import type { StandardActions } from "./action/standard.ts";
import type {
  ActionHandlers,
  ActionRouter,
  ActionSpec,
  AnyActionHandlers,
  DefinedAction,
  Failure,
  WithActions,
} from "./action/types.ts";
import { createValidators } from "./action/validate.ts";
import { createEventBuffer, type EventBuffer } from "./event/buffer.ts";
import { bindBot, type Bot } from "./event/bot.ts";
import { eventProblem } from "./event/create.ts";
import { isExtensionName, NAME_REGEXP } from "./event/extension.ts";
import { connectEvent, statusUpdateEvent } from "./event/meta.ts";
import { createPipeGroup, type EventPipe, type PipeSource } from "./event/pipe.ts";
import type { SegmentSupport } from "./action/segment_validate.ts";
import type { BotSelf, BotStatus, Event, StatusData, VersionData } from "./event/types.ts";
import { checkAccessToken } from "./connection/auth.ts";
import { startHeartbeat } from "./connection/heartbeat.ts";
import { createHttpHandler, type RequestHandler } from "./connection/http.ts";
import { createFanOut, type FanOut } from "./connection/fan_out.ts";
import { checkTap, type FrameTap } from "./connection/frame.ts";
import type { EventSink, Greeting } from "./connection/types.ts";
import { createWebhookEmitter, type WebhookEmitter } from "./connection/webhook.ts";
import {
  createWebSocketHandler,
  isWebSocketUpgrade,
  type WebSocketHandler,
} from "./connection/websocket.ts";
import {
  connectReverseWebSocket,
  type ReverseWebSocketOptions,
} from "./connection/websocket_reverse.ts";

export { NAME_REGEXP };

/**
 * HTTP connection options of {@linkcode createOneBot} (§1.1).
 *
 * @example
 * ```ts
 * import type { OneBotHttpOptions } from "@libob/libob";
 *
 * const http: OneBotHttpOptions = { eventEnabled: true, eventBufferSize: 100 };
 * ```
 */
export interface OneBotHttpOptions {
  /** Overrides the shared access token. */
  accessToken?: string | undefined;
  /** Overrides the shared `allowedOrigins`. */
  allowedOrigins?: readonly string[];
  /** Serve `get_latest_events` (HTTP-12). Default `true`. */
  eventEnabled?: boolean;
  /** Unread events kept, `0` = unlimited (HTTP-13). Default 1000. */
  eventBufferSize?: number;
  /** Largest request body in bytes. Default 16 MiB. */
  maxBodySize?: number;
  /** Longest long poll in seconds. Default 600. */
  maxPollTimeout?: number;
  /** Long polls waiting at once; more return `[]` at once (HTTP-16). `0` = unlimited. Default 64. */
  maxPollers?: number;
}

/**
 * Forward WebSocket options of {@linkcode createOneBot} (§1.3).
 *
 * @example
 * ```ts
 * import type { OneBotWebSocketOptions } from "@libob/libob";
 *
 * const websocket: OneBotWebSocketOptions = { accessToken: "s3cret" };
 * ```
 */
export interface OneBotWebSocketOptions {
  /** Overrides the shared access token. */
  accessToken?: string | undefined;
  /** Overrides the shared `allowedOrigins`. */
  allowedOrigins?: readonly string[];
  /** Sockets open at once; one more upgrade is refused with 503. Default 1024. */
  maxConnections?: number;
  /** Largest incoming frame in bytes; larger ones get 10001. Default 16 MiB. */
  maxFrameSize?: number;
  /** Actions run at once per socket; as many more wait, then 36000. Default 64. */
  maxInFlight?: number;
  /** Unsent bytes above which a socket is closed with 1008 "too slow". Default 16 MiB. */
  maxBufferedAmount?: number;
}

/**
 * One webhook of {@linkcode createOneBot} (§1.2).
 *
 * @example
 * ```ts
 * import type { OneBotWebhookOptions } from "@libob/libob";
 *
 * const webhook: OneBotWebhookOptions = { url: "http://127.0.0.1:9000/", timeout: 5000 };
 * ```
 */
export interface OneBotWebhookOptions {
  /** Where events are POSTed. */
  url: string;
  /** Overrides the shared access token. */
  accessToken?: string | undefined;
  /** Request timeout in ms, `0` = none. Default 5000. */
  timeout?: number;
  /** Send the token as `access_token` in the URL instead of a header. Default `false`. */
  tokenInQuery?: boolean;
  /** The `User-Agent` header. Default `OneBot/12 libob/<version>`. */
  userAgent?: string;
  /** Events waiting for delivery; beyond it the oldest is dropped. `0` = unlimited. Default 1000. */
  maxBacklog?: number;
  /** Largest reply body read; a larger one is dropped unread, logged. Default 16 MiB. */
  maxReplySize?: number;
  /**
   * Send heartbeats to this webhook too (when `heartbeat` is on): when
   * `false`, the webhook skips `meta.heartbeat` events. Default `true`, as
   * go-libonebot does; the spec does not exclude them (WH-15).
   */
  heartbeat?: boolean;
  /**
   * How long dispose waits for queued posts, in ms; then the post in flight
   * is aborted and the rest dropped (logged). `0`: drop what is queued at
   * once. Default 5000.
   */
  drainTimeout?: number;
  /**
   * After a failed post, post the current `meta.status_update` again until
   * one is delivered: before an event at most once a minute while posts
   * fail, and right after the first post that succeeds. An application that
   * starts after the implementation, whose first `status_update` went to
   * nobody, learns which bots exist after at most one event. Default `true`.
   */
  statusOnRecovery?: boolean;
}

/**
 * One reverse WebSocket of {@linkcode createOneBot} (§1.4).
 *
 * @example
 * ```ts
 * import type { OneBotReverseWebSocketOptions } from "@libob/libob";
 *
 * const reverse: OneBotReverseWebSocketOptions = { url: "ws://127.0.0.1:9001/", reconnectInterval: 5000 };
 * ```
 */
export interface OneBotReverseWebSocketOptions {
  /** The application's WebSocket URL. */
  url: string;
  /** Overrides the shared access token. */
  accessToken?: string | undefined;
  /** Milliseconds between reconnect attempts, > 0. Default 5000. */
  reconnectInterval?: number;
  /** Milliseconds an attempt may take to open before it counts as failed, > 0. Default 10000. */
  handshakeTimeout?: number;
  /** Send the token as `access_token` in the URL instead of a header. Default `false`. */
  tokenInQuery?: boolean;
  /**
   * The subprotocols offered, in order: distinct tokens, at least one.
   * Default `["12.<impl>"]` (WSR-03). `["12", "12.<impl>"]` also suits
   * applications that require a bare `12` (alemonjs).
   */
  subprotocols?: readonly string[];
  /** Non-meta events kept while disconnected (oldest dropped); `0` = unlimited. Default 1000. */
  maxBacklog?: number;
  /** Largest incoming frame in bytes; larger ones get 10001. Default 16 MiB. */
  maxFrameSize?: number;
  /** Actions run at once; as many more wait, then 36000. Default 64. */
  maxInFlight?: number;
  /** Unsent bytes above which the socket is closed (4008) and reopened. Default 16 MiB. */
  maxBufferedAmount?: number;
}

/**
 * Options of {@linkcode createOneBot}.
 *
 * @typeParam M The action table the `handlers` and `validators` are checked
 * against: {@linkcode StandardActions} by default; extend it with an
 * intersection (`StandardActions & { "acme.ping": { params: {}; data: string } }`).
 * @typeParam A The actions of {@linkcode defineAction}, inferred from `actions`.
 *
 * @example
 * ```ts
 * import { ok, type OneBotOptions } from "@libob/libob";
 *
 * const options: OneBotOptions = {
 *   impl: "my-impl",
 *   version: "1.0.0",
 *   bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
 *   handlers: { get_self_info: () => ok({ user_id: "bot", user_name: "Bot", user_displayname: "" }) },
 * };
 * ```
 */
export interface OneBotOptions<
  M extends { [K in keyof M]: ActionSpec } = StandardActions,
  A extends readonly DefinedAction[] = readonly DefinedAction[],
> {
  /** The implementation name, e.g. `libob-demo` (§8, {@linkcode NAME_REGEXP}). */
  impl: string;
  /** The implementation's own version. */
  version: string;
  /** The bots at start; change them later with {@linkcode OneBot.updateBot}. */
  bots?: readonly BotStatus[];
  /**
   * The action handlers, typed by `M`: an unknown action, wrong params or
   * wrong `ok(...)` data do not compile. The meta actions are added (see
   * {@linkcode withMetaActions}). A record already erased to
   * {@linkcode AnyActionHandlers} (`mergeHandlers`) is taken as it is.
   */
  handlers?: NoInfer<ActionHandlers<M>>;
  /**
   * Extended actions made by {@linkcode defineAction}, each with its own
   * validator; the OneBot's action table gains them. A name may appear once,
   * and not in `handlers` or `validators`.
   */
  actions?: A;
  /** Deepest nesting accepted in `params`; deeper requests answer 10001. Default 64. */
  maxDepth?: number;
  /**
   * Param checks by action name, run before the handlers. They are merged
   * over the standard validators ({@linkcode createValidators}): yours win,
   * and `undefined` turns a standard one off. Keyed by the actions of `M`.
   */
  validators?: NoInfer<{ readonly [K in keyof M & string]?: ParamsValidator | undefined }>;
  /**
   * Maps what a handler throws (anything but a {@linkcode Failure}) to the
   * failure to answer with, e.g. a platform's errors to 34xxx/35xxx/36xxx,
   * in one place instead of in every handler. `undefined` keeps the default
   * 20002. If it throws or returns something else, that is logged and the
   * answer is 20002. See {@linkcode ActionRouterOptions.mapError}.
   */
  mapError?: (error: unknown) => Failure | undefined;
  /** Answer 10004 for unknown params without a dot (EXT-14). Default `false`: ignored. */
  strictParams?: boolean;
  /** The segments `send_message` accepts (10005/10007). Default: the ten standard types. */
  segments?: SegmentSupport;
  /** The implementation's own `good` at start. Default `true`. */
  good?: boolean;
  /** The access token of every connection unless one overrides it. */
  accessToken?: string | undefined;
  /**
   * The web origins whose pages may use the HTTP connection and the forward
   * WebSocket, unless `http` or `websocket` overrides it. A request or
   * upgrade that carries an `Origin` header (browsers always send one, bot
   * clients usually not) is refused with 403 unless its origin is listed:
   * origins like `https://example.com`, `"null"` for the opaque origin, `"*"`
   * for any. Default none: no web page can drive the bot.
   */
  allowedOrigins?: readonly string[];
  /** The HTTP connection on `fetch` (POST `/`), or `false`. Default on. */
  http?: OneBotHttpOptions | false;
  /** The forward WebSocket on `fetch` (upgrade on `GET /`), or `false`. Default on. */
  websocket?: OneBotWebSocketOptions | false;
  /** Webhooks to push events to. */
  httpWebhook?: readonly OneBotWebhookOptions[];
  /** Application servers to connect to. */
  websocketReverse?: readonly OneBotReverseWebSocketOptions[];
  /** Heartbeat interval in ms on every push connection, or `false` (default). */
  heartbeat?: { interval: number } | false;
  /** Opt-in, spec-legal tweaks for applications that need them ({@linkcode OneBotCompatOptions}). */
  compat?: OneBotCompatOptions;
  /**
   * Sees every frame of every connection, in and out ({@linkcode FrameTap}):
   * a frame log, a debugger, a recorder. It runs on the connection's path:
   * keep it quick. Default none (and no cost).
   */
  tap?: FrameTap;
  /**
   * Check emitted events strictly ({@linkcode eventProblem} `strict`): besides
   * the base fields (always checked), refuse an extended `detail_type`
   * without a prefix (EXT-13) and a standard event with a missing field or
   * an empty ID (EVT-00). Default `true`; `false` lets such events through,
   * for a platform that truly has no IDs or an unprefixed extension that
   * applications already know.
   */
  strictEvents?: boolean;
}

/**
 * Opt-in compatibility options of {@linkcode createOneBot}, all off by
 * default. `metaSelf` stays within the spec and helps applications that need
 * more than it asks for; `nonStringEcho` and `nullParams` accept requests the
 * spec calls malformed, from clients that deviate from it.
 *
 * @example For alemonjs' OneBot 12 adapter (`@alemonjs/onebot`)
 * ```ts
 * import type { OneBotCompatOptions } from "@libob/libob";
 *
 * // alemonjs also needs the reverse WebSocket subprotocol `12`:
 * // websocketReverse: [{ url, subprotocols: ["12", "12.my-impl"] }]
 * const compat: OneBotCompatOptions = { metaSelf: true };
 * ```
 */
export interface OneBotCompatOptions {
  /**
   * Give meta events (`meta.connect`, `meta.heartbeat`,
   * `meta.status_update`) the `self` of the first bot, in the order of
   * `bots` and {@linkcode OneBot.updateBot} calls; with no bot they carry
   * none. The spec neither requires nor forbids `self` on meta events
   * (checklist §9.2 item 21); some applications (alemonjs) ignore every frame
   * without it, others (go-libonebot) reject it. Default `false`.
   */
  metaSelf?: boolean;
  /**
   * Accept a request whose `echo` is a number, a boolean or `null` (some
   * clients send an integer) and answer it with that same value, instead of
   * 10001 without `echo`. Outside the spec: `echo` is a string (§2.2), and
   * the conformance checker fails a response whose `echo` is not one
   * (RESP-03). An object or array `echo` still answers 10001, and the
   * 36000 answer of an overloaded WebSocket stays spec-exact (no such `echo`).
   * Default `false`.
   */
  nonStringEcho?: boolean;
  /**
   * Treat top-level `params` sent as `null` as absent, before validation
   * (some clients fill every field of a union type with `null`). Outside the
   * spec: `null` is not a value of an optional string or number param, and
   * by default it answers 10003. A required param sent as `null` still
   * answers 10003, as missing. Default `false`.
   */
  nullParams?: boolean;
}

/**
 * A running OneBot 12 implementation. `{ fetch }` makes it a `deno serve`
 * default export.
 *
 * @typeParam M The action table it serves, for typed clients such as the
 * test kit; {@linkcode StandardActions} by default.
 *
 * @example
 * ```ts
 * import type { OneBot } from "@libob/libob";
 *
 * const serve = (onebot: OneBot) => Deno.serve({ port: 0, onListen() {} }, onebot.fetch);
 * ```
 */
export interface OneBot<M = StandardActions> extends AsyncDisposable {
  /** HTTP actions on `POST /` and the forward WebSocket on `GET /` upgrades. */
  fetch: RequestHandler;
  /**
   * Sends an event to every connection and attached sink. Throws `TypeError`
   * for an event that breaks the standard ({@linkcode eventProblem}; strict
   * unless `strictEvents` is `false`): e.g. `time` in milliseconds, an empty
   * ID, a platform name out of format, an unprefixed extended `detail_type`.
   * Never throws because of a sink: see {@linkcode OneBot.attach}.
   */
  emit(event: Event): void;
  /**
   * One bot's emitter: the standard event builders with `self` filled in
   * (`bot.emit.privateMessage({ message_id, user_id, message })`), each
   * emitting what it builds, and `setOnline`. The bot is not added until
   * `setOnline` (or `updateBot`) is called.
   *
   * @throws {TypeError} When `self` is out of format.
   */
  bot(self: BotSelf): Bot;
  /**
   * Emits the events of an async iterable (a platform's event stream) until
   * the source ends or fails, the pipe is disposed, or the OneBot is; then
   * the iterator's `return()` is called. An invalid event is logged (error)
   * and skipped; a source that throws stops the pipe, logged (error); one
   * that ends is logged (warn). Nothing is thrown.
   */
  pipe(source: AsyncIterable<Event>): EventPipe;
  /**
   * Feeds the items of an async iterable to `each` (which emits, e.g. with
   * {@linkcode OneBot.bot}'s builders), with the same lifetime and error
   * handling: an item whose `each` throws or rejects is logged and skipped.
   */
  pipe<T>(source: AsyncIterable<T>, each: (item: T) => unknown): EventPipe;
  /**
   * Like the forms above, for a source that can be cancelled: `source` is
   * called once with an `AbortSignal` (pass it to `fetch`), aborted when the
   * pipe or the OneBot is disposed. Dispose then waits for the pending
   * `next()` or `each` to settle and for the iterator's `return()`, so a
   * long poll in flight never outlives the OneBot. The source must end (or
   * throw) promptly once the signal aborts; what it throws then is not
   * logged.
   *
   * @example A long poll, cancelled at dispose
   * ```ts
   * import { createOneBot, type Event } from "@libob/libob";
   *
   * await using server = Deno.serve({ port: 0, onListen() {} }, () => new Response("[]"));
   * const url = `http://127.0.0.1:${server.addr.port}/`;
   * await using onebot = createOneBot({ impl: "my-impl", version: "1.0.0", handlers: {} });
   * onebot.pipe(async function* (signal) {
   *   while (true) {
   *     const response = await fetch(url, { signal }); // aborted at dispose
   *     yield* (await response.json()) as Event[];
   *   }
   * });
   * ```
   */
  pipe(source: PipeSource<Event>): EventPipe;
  /** The cancellable form with `each` (see above); `each` gets the signal too. */
  pipe<T>(source: PipeSource<T>, each: (item: T, signal: AbortSignal) => unknown): EventPipe;
  /** The router, for calling actions in-process (tests, the test kit). */
  router: ActionRouter;
  /** The current `get_status` data. */
  status(): StatusData;
  /** Adds or changes a bot; a change of `online` sends `meta.status_update` (META-S3). */
  updateBot(bot: BotStatus): void;
  /** Removes a bot; sends `meta.status_update` (META-S3). */
  removeBot(self: BotSelf): void;
  /** Sets the implementation's `good`; a change sends `meta.status_update` (META-S3). */
  setGood(good: boolean): void;
  /**
   * Attaches a push connection of your own (CONN-04), e.g. a custom transport,
   * a log tap or a test recorder. With `greeting` (default `true`) it first gets
   * `meta.connect` and `meta.status_update`, like a new WebSocket (META-C2);
   * then every emitted event. Disposing the returned handle detaches it; the
   * OneBot does not dispose the sink itself.
   *
   * Every sink, attached or built in, is called in isolation: one whose `emit`
   * throws, or returns a promise that rejects, never stops the others or the
   * heartbeat, and never reaches the caller of `emit`. Its failures are
   * logged at `error` under `["libob", "onebot"]` with its `name` (default
   * `attached sink #<n>`, `n` counting every attach; built-in sinks are named
   * by kind and URL, without query or credentials): the first at once, then
   * at most one line a minute with the count and the last error, and a last
   * count when it is detached.
   *
   * @throws {TypeError} When `sink.emit` is not a function or `name` not a string.
   */
  attach(sink: EventSink, options?: { greeting?: boolean; name?: string }): Disposable;
  /**
   * Adds a cleanup to dispose, like `AsyncDisposableStack.defer`: for what
   * an implementation builds around the OneBot (a platform client, a sync
   * loop), so that disposing the OneBot disposes it all. Dispose first stops
   * the pipes, then runs the cleanups, last added first, each awaited, and
   * only then closes the connections: an event a cleanup emits (a bot going
   * offline) still reaches the applications. A cleanup that throws or
   * rejects is logged at `error` and the next one still runs. Called once
   * dispose has begun, `fn` runs at once (logged at `warn`).
   *
   * A method rather than a `createOneBot` option: a cleanup usually belongs
   * to something made after the OneBot and from it (`onebot.bot(...)`, a
   * loop fed by `onebot.pipe`), which an option could not name.
   *
   * @param fn The cleanup.
   *
   * @example
   * ```ts
   * import { createOneBot } from "@libob/libob";
   *
   * await using onebot = createOneBot({ impl: "my-impl", version: "1.0.0", handlers: {} });
   * const bot = onebot.bot({ platform: "acme", user_id: "bot" });
   * bot.setOnline(true);
   * const platform = { close: () => Promise.resolve() }; // a platform client
   * onebot.defer(async () => {
   *   bot.setOnline(false); // still sent: the connections close after the cleanups
   *   await platform.close();
   * });
   * ```
   */
  defer(fn: () => unknown): void;
  /**
   * Type-level only, never set at run time: the action table `M`, from which
   * typed clients take their types (as Standard Schema's `types` does).
   */
  readonly "~types"?: { readonly actions: M } | undefined;
}

/**
 * A OneBot whose action table is `M` plus the actions of
 * {@linkcode defineAction} in `A`: what {@linkcode createOneBot} returns for
 * `actions: A`, written down, so that a bridge's factory can declare it as
 * its return type and typed clients (`kit.call`) know its extended actions.
 *
 * @typeParam A The defined actions, as a tuple type (`[typeof setTopic]`).
 * @typeParam M The rest of the table; {@linkcode StandardActions} by default.
 *
 * @example
 * ```ts
 * import { createOneBot, defineAction, ok, type OneBotWith } from "@libob/libob";
 * import { createTestKit } from "@libob/libob/testing";
 * import * as v from "valibot";
 *
 * const setTopic = defineAction("acme.set_topic", v.object({ topic: v.string() }), ({ topic }) =>
 *   ok({ topic }));
 * type AcmeActions = readonly [typeof setTopic];
 *
 * function createAcmeBridge(): OneBotWith<AcmeActions> {
 *   return createOneBot({ impl: "acme-bridge", version: "1.0.0", actions: [setTopic] });
 * }
 * await using kit = createTestKit(createAcmeBridge());
 * const response = await kit.call("acme.set_topic", { topic: "news" }); // typed params and data
 * const topic: string | undefined = response.data?.topic;
 * ```
 */
export type OneBotWith<A extends readonly DefinedAction[], M = StandardActions> = OneBot<
  WithActions<M, A>
>;

/**
 * Creates a OneBot 12 implementation: the router with the meta actions (and
 * `get_latest_events` over the event buffer, for HTTP), the HTTP handler,
 * the forward WebSocket, the webhooks, the reverse WebSockets and the
 * heartbeat, all fed by one `emit`.
 *
 * The inline `handlers` are as strict as {@linkcode defineActions}: an
 * unknown action name, a param the action does not have, or the wrong
 * `ok(...)` data does not compile. Extended actions come in either through
 * `actions` ({@linkcode defineAction}: name, schema and handler in one
 * place; recommended), or through the table type `M` with their
 * `validators`.
 *
 * @typeParam M The action table of `handlers` and `validators`;
 * {@linkcode StandardActions} by default.
 * @typeParam A The defined actions, inferred from `actions`. With an
 * explicit `M`, they are still registered, but only added to the returned
 * type when `A` is given too: `createOneBot<MyActions, [typeof setTopic]>`.
 * @param options Identity, bots, handlers and connections.
 * @returns The implementation, typed by its action table; `await using` or
 * `[Symbol.asyncDispose]()` stops every connection.
 * @throws {TypeError} When `impl` or a bot's platform is not in the name
 * format, a token has surrounding white space, an entry of `actions` does not
 * come from {@linkcode defineAction}, an action is defined twice, or
 * `mapError` is not a function.
 * @throws {RangeError} When an interval, timeout or size is out of range.
 *
 * @example A whole implementation, called without a network
 * ```ts
 * import { createOneBot, ok } from "@libob/libob";
 * import { expect } from "expect";
 *
 * await using onebot = createOneBot({
 *   impl: "my-impl",
 *   version: "1.0.0",
 *   bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
 *   handlers: {
 *     get_self_info: () => ok({ user_id: "bot", user_name: "Bot", user_displayname: "" }),
 *   },
 * });
 * const response = await onebot.fetch(new Request("http://localhost/", {
 *   method: "POST",
 *   headers: { "Content-Type": "application/json" },
 *   body: JSON.stringify({ action: "get_version", params: {} }),
 * }));
 * expect((await response.json()).data).toEqual({
 *   impl: "my-impl", version: "1.0.0", onebot_version: "12",
 * });
 * ```
 *
 * @example An extended action, defined once, and a table with an extended action
 * ```ts
 * import { createOneBot, defineAction, ok, schemaValidator, type StandardActions } from "@libob/libob";
 * import * as v from "valibot";
 *
 * // Recommended: name, schema and handler in one place; the params come from the schema.
 * const setTopic = defineAction(
 *   "acme.set_topic",
 *   v.object({ channel_id: v.string(), topic: v.string() }),
 *   ({ topic }) => ok({ topic }),
 * );
 * await using onebot = createOneBot({
 *   impl: "acme-bridge",
 *   version: "1.0.0",
 *   actions: [setTopic],
 *   handlers: { get_self_info: () => ok({ user_id: "bot", user_name: "Bot", user_displayname: "" }) },
 * });
 *
 * // Or: the action in the table type, its validator in `validators` (keyed by the table).
 * type MyActions = StandardActions & { "acme.ping": { params: { times: number }; data: string } };
 * await using other = createOneBot<MyActions>({
 *   impl: "acme-bridge",
 *   version: "1.0.0",
 *   handlers: { "acme.ping": ({ times }) => ok("pong".repeat(times)) },
 *   validators: { "acme.ping": schemaValidator(v.object({ times: v.number() })) },
 * });
 * ```
 *
 * @example A platform's errors mapped to retcodes in one place
 * ```ts
 * import { createOneBot, failed, ok } from "@libob/libob";
 * import { expect } from "expect";
 *
 * // What the platform's client throws, e.g. for an unknown message.
 * const platform = {
 *   deleteMessage: (id: string) =>
 *     Promise.reject(Object.assign(new Error(`no message ${id}`), { status: 404 })),
 * };
 * await using onebot = createOneBot({
 *   impl: "acme-bridge",
 *   version: "1.0.0",
 *   bots: [{ self: { platform: "acme", user_id: "bot" }, online: true }],
 *   handlers: {
 *     async delete_message({ message_id }) {
 *       await platform.deleteMessage(message_id); // no try/catch in any handler
 *       return ok(null);
 *     },
 *   },
 *   mapError: (error) =>
 *     error instanceof Error && "status" in error && error.status === 404
 *       ? failed(35001, `message not found: ${error.message}`)
 *       : undefined, // anything else: 20002
 * });
 * const response = await onebot.router(
 *   { action: "delete_message", params: { message_id: "42" } },
 *   { connection: "local" },
 * );
 * expect(response.retcode).toBe(35001);
 * ```
 */
export function createOneBot<
  M extends { [K in keyof M]: ActionSpec } = StandardActions,
  A extends readonly DefinedAction[] = readonly DefinedAction[],
>(options: OneBotOptions<M, A>): OneBot<WithActions<M, NoInfer<A>>> {
  const { impl, version: implVersion, heartbeat = false } = options;
  const { accessToken, metaSelf, nonStringEcho, nullParams, strictEvents } = checkOptions(options);
  const log = logger("onebot");
  // The transports wrap it (guardTap): wrapping here too would catch every frame twice.
  const tap = checkTap("create OneBot", options.tap);
  const tapOption = tap === undefined ? {} : { tap };
  const version: VersionData = { impl, version: implVersion, onebot_version: "12" };
  const registry = createBotRegistry(options.bots ?? [], options.good ?? true, metaSelf);
  const { status, meta } = registry;
  const http = options.http ?? {};
  const { buffer, latestEvents } = eventPolling(http);
  const router = lenientRouter(
    oneBotRouter(options, { version, registry, latestEvents }),
    { nonStringEcho, nullParams },
  );
  const currentStatus = () => meta(statusUpdateEvent(status()));
  const greeting: Greeting = () => [meta(connectEvent(version)), currentStatus()];
  const { handleHttp, websocket, webhooks, reverse } = createConnections(options, router, {
    accessToken,
    greeting,
    currentStatus,
    tapOption,
    log,
  });
  const sinks: EventSink[] = [...(websocket ? [websocket] : []), ...webhooks, ...reverse];
  // Every event reaches every sink through this one fan-out, each sink in isolation. The
  // names are for its logs: a kind, and a URL without its query or credentials (no token).
  const fanOut = createFanOut({ log });
  if (buffer !== undefined) {
    fanOut.add({ emit: (event) => buffer.push(event) }, { name: "http event buffer" });
  }
  if (websocket !== undefined) fanOut.add(websocket, { name: "websocket" });
  // META-S2: one status_update to each webhook after start; WebSockets get theirs in the greeting.
  const update = webhooks.length > 0 ? [currentStatus()] : [];
  (options.httpWebhook ?? []).forEach(({ url }, index) =>
    fanOut.add(webhooks[index]!, { name: `http_webhook ${urlPeer(url)}`, greeting: update })
  );
  (options.websocketReverse ?? []).forEach(({ url }, index) =>
    fanOut.add(reverse[index]!, { name: `websocket_reverse ${urlPeer(url)}` })
  );
  const push = fanOut.emit;
  const beat = heartbeat === false
    ? undefined
    : startHeartbeat((event) => push(meta(event)), heartbeat.interval);

  function statusChanged(changed: boolean): void {
    if (changed) push(currentStatus());
  }

  let disposal: Promise<void> | undefined;
  let disposed = false;
  const pipes = createPipeGroup();
  const cleanups: (() => unknown)[] = [];
  const onebot: OneBot<WithActions<M, A>> = {
    fetch(request, info) {
      if (websocket !== undefined && isWebSocketUpgrade(request)) {
        return websocket.fetch(request, info);
      }
      return handleHttp(request, info);
    },
    emit(event) {
      const problem = eventProblem(event, { strict: strictEvents });
      if (problem !== undefined) throw new TypeError(`Cannot emit event: ${problem}`);
      if (disposed) {
        log.warn("Event {id} emitted after dispose was dropped", { id: event.id });
        return;
      }
      push(event);
    },
    bot: (self) => bindBot(self, onebot),
    pipe: (
      source: AsyncIterable<unknown> | PipeSource<unknown>,
      each?: (item: unknown, signal: AbortSignal) => unknown,
    ) => pipes.pipe(source, each ?? ((event) => onebot.emit(event as Event))),
    router,
    status,
    updateBot: (bot) => statusChanged(registry.update(bot)),
    removeBot: (self) => statusChanged(registry.remove(self)),
    setGood: (value) => statusChanged(registry.setGood(value)),
    attach: attacher(fanOut, greeting),
    defer(fn) {
      if (typeof fn !== "function") {
        throw new TypeError(`Cannot defer cleanup: fn must be a function: current value is ${fn}`);
      }
      if (disposal === undefined) return void cleanups.push(fn);
      log.warn("A cleanup deferred after dispose began runs at once");
      void runCleanup(fn, log);
    },
    [Symbol.asyncDispose]() {
      // A second call waits for the same dispose.
      return disposal ??= (async () => {
        // The pipes stop, then the cleanups run (last first), then the connections close:
        // what they emit last still goes out.
        await pipes[Symbol.asyncDispose]();
        for (const fn of cleanups.reverse()) await runCleanup(fn, log);
        fanOut[Symbol.dispose]();
        disposed = true;
        beat?.[Symbol.dispose]();
        buffer?.[Symbol.dispose]();
        await Promise.all(sinks.map((sink) => sink[Symbol.asyncDispose]()));
      })();
    },
  };
  return onebot;
}

/** What `createOneBot` hands each of its connections: the shared token, greeting and tap. */
interface ConnectionShared {
  accessToken: string;
  greeting: Greeting;
  /** The current status as a meta event: a webhook's status_update on recovery. */
  currentStatus: () => Event;
  tapOption: { tap?: FrameTap };
  log: Log;
}

/**
 * The connections of a OneBot: the HTTP handler, the WebSocket handler, the
 * webhook emitters and the reverse WebSockets (§6), in that order of creation.
 */
function createConnections(
  options: Pick<
    OneBotOptions,
    "impl" | "http" | "websocket" | "httpWebhook" | "websocketReverse" | "allowedOrigins"
  >,
  router: ActionRouter,
  { accessToken, greeting, currentStatus, tapOption, log }: ConnectionShared,
): {
  handleHttp: RequestHandler;
  websocket: WebSocketHandler | undefined;
  webhooks: WebhookEmitter[];
  reverse: EventSink[];
} {
  const { impl } = options;
  const http = options.http ?? {};
  const handleHttp = http === false ? notFound : createHttpHandler(router, {
    accessToken: http.accessToken ?? accessToken,
    ...originsOption(http.allowedOrigins ?? options.allowedOrigins),
    ...(http.maxBodySize === undefined ? {} : { maxBodySize: http.maxBodySize }),
    ...tapOption,
  });
  const websocket = options.websocket === false ? undefined : createWebSocketHandler(router, {
    ...options.websocket,
    accessToken: options.websocket?.accessToken ?? accessToken,
    ...originsOption(options.websocket?.allowedOrigins ?? options.allowedOrigins),
    greeting,
    ...tapOption,
  });
  const webhooks = (options.httpWebhook ?? []).map(({ statusOnRecovery = true, ...webhook }) => {
    if (typeof statusOnRecovery !== "boolean") {
      throw new TypeError(
        `Cannot create OneBot: httpWebhook statusOnRecovery must be a boolean: current value is ${statusOnRecovery}`,
      );
    }
    return createWebhookEmitter(router, {
      ...webhook,
      impl,
      accessToken: webhook.accessToken ?? accessToken,
      ...(statusOnRecovery ? { statusUpdate: currentStatus } : {}),
      ...tapOption,
    });
  });
  const reverse = connectAll(
    (options.websocketReverse ?? []).map((target) => ({
      ...target,
      impl,
      accessToken: target.accessToken ?? accessToken,
      greeting,
      ...tapOption,
    })),
    router,
    log,
  );
  return { handleHttp, websocket, webhooks, reverse };
}

/** Runs a cleanup of `OneBot.defer`: awaited, never throwing (a failure is logged). */
async function runCleanup(fn: () => unknown, log: Log): Promise<void> {
  try {
    await fn();
  } catch (error) {
    log.error("A cleanup of dispose failed: {error}", { error });
  }
}

/** The bots of a OneBot and its `good` flag: what `get_status` and `status_update` tell. */
interface BotRegistry {
  /** The bots' `self`s, for the router; rebuilt only when the bots change. */
  selves(): readonly BotSelf[];
  /** The status, copied (§3.2 `get_status`). */
  status(): StatusData;
  /** compat.metaSelf: the first bot's `self` on a meta event (§9.2 item 21). */
  meta(event: Event): Event;
  /** Adds or replaces a bot; whether the status changed (a new bot, or `online` changed). */
  update(bot: BotStatus): boolean;
  /** Removes a bot; whether there was one. */
  remove(self: BotSelf): boolean;
  /** Sets `good`; whether it changed. */
  setGood(value: boolean): boolean;
}

function createBotRegistry(
  initial: readonly BotStatus[],
  initialGood: boolean,
  metaSelf: boolean,
): BotRegistry {
  const bots = new Map<string, BotStatus>();
  for (const bot of initial) bots.set(botKey(checkBot(bot).self), { ...bot });
  let good = initialGood;
  let selves: readonly BotSelf[] = [];
  function changed(): true {
    selves = [...bots.values()].map((bot) => bot.self);
    return true;
  }
  changed();
  return {
    selves: () => selves,
    status: () => ({ good, bots: [...bots.values()].map((bot) => structuredClone(bot)) }),
    meta(event) {
      const first = metaSelf ? bots.values().next().value : undefined;
      return first === undefined ? event : { ...event, self: { ...first.self } };
    },
    update(bot) {
      const key = botKey(checkBot(bot).self);
      const before = bots.get(key);
      bots.set(key, structuredClone(bot));
      changed(); // the self list follows every update
      return before === undefined || before.online !== bot.online;
    },
    remove: (self) => bots.delete(botKey(self)) && changed(),
    setGood(value) {
      if (value === good) return false;
      good = value;
      return true;
    },
  };
}

/**
 * HTTP-12: the unread-event buffer and its `get_latest_events` handler
 * (10002 over the other connections), unless HTTP or `eventEnabled` is off.
 */
function eventPolling(
  http: OneBotHttpOptions | false,
): { buffer: EventBuffer | undefined; latestEvents: AnyActionHandlers } {
  if (http === false || !(http.eventEnabled ?? true)) {
    return { buffer: undefined, latestEvents: {} };
  }
  const buffer = createEventBuffer({
    size: http.eventBufferSize ?? 1000,
    ...(http.maxPollers === undefined ? {} : { maxWaiters: http.maxPollers }),
  });
  const poll = http.maxPollTimeout === undefined ? {} : { maxPollTimeout: http.maxPollTimeout };
  try {
    return {
      buffer,
      latestEvents: { [GET_LATEST_EVENTS]: createLatestEventsHandler(buffer, poll) },
    };
  } catch (error) {
    buffer[Symbol.dispose]();
    throw error;
  }
}

/**
 * The router of a OneBot: its handlers, the actions of `defineAction`, the
 * meta actions and `get_latest_events`; the standard validators and its own.
 */
function oneBotRouter(
  options: Pick<OneBotOptions, "maxDepth" | "mapError" | "strictParams" | "segments"> & {
    handlers?: AnyActionHandlers;
    validators?: { readonly [action: string]: ParamsValidator | undefined };
    actions?: readonly DefinedAction[];
  },
  { version, registry, latestEvents }: {
    version: VersionData;
    registry: BotRegistry;
    latestEvents: AnyActionHandlers;
  },
): ActionRouter {
  const actions = withDefinedActions(
    options.handlers ?? {},
    options.validators ?? {},
    options.actions,
  );
  return createActionRouter({
    handlers: withMetaActions(mergeHandlers(actions.handlers, latestEvents), {
      version,
      status: registry.status,
    }),
    bots: registry.selves,
    ...routerOptions(options),
    validators: { ...standardValidators(options), ...actions.validators },
  });
}

/** `OneBot.attach`: sinks added to the fan-out, numbered in attach order, named or not. */
function attacher(fanOut: FanOut, greeting: Greeting): OneBot["attach"] {
  let attachedCount = 0;
  return function attach(sink, attachOptions) {
    attachedCount++;
    const name = attachOptions?.name ?? `attached sink #${attachedCount}`;
    if (typeof sink?.emit !== "function" || typeof name !== "string") {
      throw new TypeError("Cannot attach sink: emit must be a function and name a string");
    }
    const first = attachOptions?.greeting ?? true ? greeting() : [];
    return fanOut.add(sink, { name, greeting: first });
  };
}

/** The router options `createOneBot` passes through when given. */
function routerOptions(
  options: Pick<OneBotOptions, "maxDepth" | "mapError">,
): Pick<ActionRouterOptions, "maxDepth" | "mapError"> {
  return {
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    ...(options.mapError === undefined ? {} : { mapError: options.mapError }),
  };
}

/** The standard actions' validators, with `strictParams` and `segments` when given. */
function standardValidators(
  options: Pick<OneBotOptions, "strictParams" | "segments">,
): ActionRouterOptions["validators"] {
  return createValidators({
    ...(options.strictParams === undefined ? {} : { strictParams: options.strictParams }),
    ...(options.segments === undefined ? {} : { segments: options.segments }),
  });
}

/**
 * The options that no factory below checks, checked before any connection
 * starts, so that a bad option leaves no socket or timer behind.
 */
function checkOptions(
  options: Pick<
    OneBotOptions,
    "impl" | "version" | "heartbeat" | "strictEvents" | "accessToken" | "compat" | "http"
  >,
): {
  accessToken: string;
  metaSelf: boolean;
  nonStringEcho: boolean;
  nullParams: boolean;
  strictEvents: boolean;
} {
  const { impl, version, heartbeat = false, strictEvents = true } = options;
  if (typeof impl !== "string" || !NAME_REGEXP.test(impl)) {
    throw new TypeError(
      `Cannot create OneBot: impl must match ${NAME_REGEXP}: current value is ${impl}`,
    );
  }
  if (typeof version !== "string" || version === "") {
    throw new TypeError("Cannot create OneBot: version must be a non-empty string");
  }
  const accessToken = checkAccessToken("create OneBot", options.accessToken);
  const { metaSelf = false, nonStringEcho = false, nullParams = false } = options.compat ?? {};
  const flags = { metaSelf, nonStringEcho, nullParams };
  for (const [name, value] of Object.entries(flags)) {
    if (typeof value !== "boolean") {
      throw new TypeError(
        `Cannot create OneBot: compat.${name} must be a boolean: current value is ${value}`,
      );
    }
  }
  if (heartbeat !== false) {
    checkInteger("create OneBot", "heartbeat.interval", heartbeat.interval, 1);
  }
  const { http } = options;
  if (http !== undefined && http !== false && http.maxPollTimeout !== undefined) {
    checkInteger("create OneBot", "http.maxPollTimeout", http.maxPollTimeout, 1);
  }
  if (typeof strictEvents !== "boolean") {
    throw new TypeError(
      `Cannot create OneBot: strictEvents must be a boolean: current value is ${strictEvents}`,
    );
  }
  return { accessToken, ...flags, strictEvents };
}

/**
 * Connects every reverse WebSocket. Each starts connecting when created: if
 * a later target is invalid, the earlier ones are stopped before the throw,
 * or they would reconnect forever with no handle to stop them.
 */
function connectAll(
  targets: readonly ReverseWebSocketOptions[],
  router: ActionRouter,
  log: Log,
): EventSink[] {
  const reverse: EventSink[] = [];
  try {
    for (const target of targets) reverse.push(connectReverseWebSocket(router, target));
  } catch (error) {
    for (const started of reverse) {
      Promise.resolve(started[Symbol.asyncDispose]()).catch((reason: unknown) =>
        log.error("Stopping a reverse WebSocket failed: {reason}", { reason })
      );
    }
    throw error;
  }
  return reverse;
}

/**
 * The handlers and validators with the actions of `defineAction` added. Each
 * name may be defined once: a second definition, or a handler or validator of
 * the same name, would silently replace it.
 */
function withDefinedActions(
  handlers: AnyActionHandlers,
  validators: { readonly [action: string]: ParamsValidator | undefined },
  actions: readonly DefinedAction[] | undefined,
): { handlers: AnyActionHandlers; validators: typeof validators } {
  if (actions === undefined) return { handlers, validators };
  if (!Array.isArray(actions)) {
    throw new TypeError("Cannot create OneBot: actions must be an array of defineAction() results");
  }
  const allHandlers: Record<string, AnyActionHandlers[string]> = { ...handlers };
  const allValidators: Record<string, ParamsValidator | undefined> = { ...validators };
  for (const [index, action] of actions.entries()) {
    const { name, validate, handler } = action ?? {};
    if (!isExtensionName(name) || typeof validate !== "function" || typeof handler !== "function") {
      throw new TypeError(`Cannot create OneBot: actions[${index}] must come from defineAction()`);
    }
    if (Object.hasOwn(allHandlers, name) || Object.hasOwn(allValidators, name)) {
      throw new TypeError(
        `Cannot create OneBot: action ${name} is defined twice (in actions, handlers or validators)`,
      );
    }
    allHandlers[name] = handler;
    allValidators[name] = validate;
  }
  return { handlers: allHandlers, validators: allValidators };
}

function botKey(self: BotSelf): string {
  return `${self.platform}\n${self.user_id}`;
}

function checkBot(bot: BotStatus): BotStatus {
  if (typeof bot?.self?.platform !== "string" || !NAME_REGEXP.test(bot.self.platform)) {
    throw new TypeError(
      `Cannot use bot: self.platform must match ${NAME_REGEXP}: current value is ${bot?.self?.platform}`,
    );
  }
  if (typeof bot.self.user_id !== "string" || typeof bot.online !== "boolean") {
    throw new TypeError("Cannot use bot: self.user_id must be a string and online a boolean");
  }
  return bot;
}

function notFound(request: Request): Promise<Response> {
  void request.body?.cancel().catch(() => {});
  return Promise.resolve(new Response("Not Found", { status: 404 }));
}

/** The `allowedOrigins` option of a connection, or none (exactOptionalPropertyTypes). */
function originsOption(
  allowedOrigins: readonly string[] | undefined,
): { allowedOrigins?: readonly string[] } {
  return allowedOrigins === undefined ? {} : { allowedOrigins };
}
