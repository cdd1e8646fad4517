/**
 * The composition root: one OneBot 12 implementation from its identity, bots,
 * handlers and connections (design.md §3).
 *
 * @module
 */

import { logger } from "./_log.ts";
import { withMetaActions } from "./action/meta.ts";
import { createActionRouter, type ParamsValidator } from "./action/router.ts";
import type { ActionRouter, AnyActionHandlers } from "./action/types.ts";
import { createValidators } from "./action/validate.ts";
import { createEventBuffer } from "./event/buffer.ts";
import { eventProblem } from "./event/create.ts";
import { connectEvent, statusUpdateEvent } from "./event/meta.ts";
import type { SegmentSupport } from "./event/segment_validate.ts";
import type { BotSelf, BotStatus, Event, StatusData, VersionData } from "./event/types.ts";
import { checkAccessToken } from "./connection/auth.ts";
import { startHeartbeat } from "./connection/heartbeat.ts";
import { createHttpHandler, type RequestHandler } from "./connection/http.ts";
import { checkTap, type FrameTap } from "./connection/frame.ts";
import type { EventSink, Greeting } from "./connection/types.ts";
import { createWebhookEmitter } from "./connection/webhook.ts";
import { createWebSocketHandler, isWebSocketUpgrade } from "./connection/websocket.ts";
import { connectReverseWebSocket } from "./connection/websocket_reverse.ts";

/**
 * The name format of `impl` and `platform` (§8).
 *
 * @example
 * ```ts
 * import { NAME_REGEXP } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(NAME_REGEXP.test("go-cqhttp.v2.3")).toBe(true);
 * expect(NAME_REGEXP.test("Go_CQHTTP")).toBe(false);
 * ```
 */
export const NAME_REGEXP: RegExp = /^[a-z][-a-z0-9]*(\.[-a-z0-9]+)*$/;

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
  /** Events waiting for delivery; beyond it the oldest is dropped. Default 1000. */
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
   * is aborted and the rest dropped (logged). Default 5000.
   */
  drainTimeout?: number;
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
  /** The `User-Agent` header. Default `OneBot/12 libob/<version>`. */
  userAgent?: string;
  /**
   * The subprotocols offered, in order: distinct tokens, at least one.
   * Default `["12.<impl>"]` (WSR-03). `["12", "12.<impl>"]` also suits
   * applications that require a bare `12` (alemonjs).
   */
  subprotocols?: readonly string[];
  /** Non-meta events kept while disconnected (oldest dropped). Default 1000. */
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
export interface OneBotOptions {
  /** The implementation name, e.g. `libob-demo` (§8, {@linkcode NAME_REGEXP}). */
  impl: string;
  /** The implementation's own version. */
  version: string;
  /** The bots at start; change them later with {@linkcode OneBot.updateBot}. */
  bots?: readonly BotStatus[];
  /** The action handlers; the meta actions are added (see {@linkcode withMetaActions}). */
  handlers: AnyActionHandlers;
  /** Deepest nesting accepted in `params`; deeper requests answer 10001. Default 64. */
  maxDepth?: number;
  /**
   * Param checks by action name, run before the handlers. They are merged
   * over the standard validators ({@linkcode createValidators}): yours win,
   * and `undefined` turns a standard one off.
   */
  validators?: { readonly [action: string]: ParamsValidator | undefined };
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
}

/**
 * Opt-in compatibility options of {@linkcode createOneBot}: each stays within
 * the spec and only helps applications that need more than it asks for. All
 * are off by default.
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
}

/**
 * A running OneBot 12 implementation. `{ fetch }` makes it a `deno serve`
 * default export.
 *
 * @example
 * ```ts
 * import type { OneBot } from "@libob/libob";
 *
 * const serve = (onebot: OneBot) => Deno.serve({ port: 0, onListen() {} }, onebot.fetch);
 * ```
 */
export interface OneBot extends AsyncDisposable {
  /** HTTP actions on `POST /` and the forward WebSocket on `GET /` upgrades. */
  fetch: RequestHandler;
  /** Sends an event to every connection. Throws `TypeError` for an invalid event (EV-01). */
  emit(event: Event): void;
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
   */
  attach(sink: EventSink, options?: { greeting?: boolean }): Disposable;
}

/**
 * Creates a OneBot 12 implementation: the router with the meta actions, the
 * HTTP handler with its event buffer, the forward WebSocket, the webhooks,
 * the reverse WebSockets and the heartbeat, all fed by one `emit`.
 *
 * @param options Identity, bots, handlers and connections.
 * @returns The implementation; `await using` or `[Symbol.asyncDispose]()`
 * stops every connection.
 * @throws {TypeError} When `impl` or a bot's platform is not in the name
 * format, or a token has surrounding white space.
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
 */
export function createOneBot(options: OneBotOptions): OneBot {
  const { impl, version: implVersion, validators, heartbeat = false } = options;
  if (typeof impl !== "string" || !NAME_REGEXP.test(impl)) {
    throw new TypeError(
      `Cannot create OneBot: impl must match ${NAME_REGEXP}: current value is ${impl}`,
    );
  }
  if (typeof implVersion !== "string" || implVersion === "") {
    throw new TypeError("Cannot create OneBot: version must be a non-empty string");
  }
  const accessToken = checkAccessToken("create OneBot", options.accessToken);
  const metaSelf = options.compat?.metaSelf ?? false;
  if (typeof metaSelf !== "boolean") {
    throw new TypeError(
      `Cannot create OneBot: compat.metaSelf must be a boolean: current value is ${metaSelf}`,
    );
  }
  if (
    heartbeat !== false && (!Number.isSafeInteger(heartbeat.interval) || heartbeat.interval <= 0)
  ) {
    // Checked before any connection starts, so a bad option leaves no socket or timer behind.
    throw new RangeError(
      `Cannot create OneBot: heartbeat.interval must be an integer > 0 (ms): current value is ${heartbeat.interval}`,
    );
  }
  const log = logger("onebot");
  // The transports wrap it (guardTap): wrapping here too would catch every frame twice.
  const tap = checkTap("create OneBot", options.tap);
  const tapOption = tap === undefined ? {} : { tap };
  const version: VersionData = { impl, version: implVersion, onebot_version: "12" };
  const bots = new Map<string, BotStatus>();
  for (const bot of options.bots ?? []) bots.set(botKey(checkBot(bot).self), { ...bot });
  let good = options.good ?? true;
  // The router reads the bot list on every request; rebuilt only when bots change.
  let selves: readonly BotSelf[] = [];
  function botsChanged(): void {
    selves = [...bots.values()].map((bot) => bot.self);
  }
  botsChanged();

  function status(): StatusData {
    return { good, bots: [...bots.values()].map((bot) => structuredClone(bot)) };
  }
  /** compat.metaSelf: the first bot's `self` on a meta event (§9.2 item 21). */
  function meta(event: Event): Event {
    const first = metaSelf ? bots.values().next().value : undefined;
    return first === undefined ? event : { ...event, self: { ...first.self } };
  }
  const handlers = withMetaActions(options.handlers, { version, status });
  const router = createActionRouter({
    handlers,
    bots: () => selves,
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    validators: {
      ...createValidators({
        ...(options.strictParams === undefined ? {} : { strictParams: options.strictParams }),
        ...(options.segments === undefined ? {} : { segments: options.segments }),
      }),
      ...validators,
    },
  });
  const greeting: Greeting = () => [meta(connectEvent(version)), meta(statusUpdateEvent(status()))];

  const http = options.http ?? {};
  const buffer = http !== false && (http.eventEnabled ?? true)
    ? createEventBuffer({
      size: http.eventBufferSize ?? 1000,
      ...(http.maxPollers === undefined ? {} : { maxWaiters: http.maxPollers }),
    })
    : undefined;
  const handleHttp = http === false ? notFound : createHttpHandler(router, {
    accessToken: http.accessToken ?? accessToken,
    ...originsOption(http.allowedOrigins ?? options.allowedOrigins),
    ...(buffer === undefined ? {} : { events: buffer }),
    ...(http.maxBodySize === undefined ? {} : { maxBodySize: http.maxBodySize }),
    ...(http.maxPollTimeout === undefined ? {} : { maxPollTimeout: http.maxPollTimeout }),
    ...tapOption,
  });
  const websocket = options.websocket === false ? undefined : createWebSocketHandler(router, {
    ...options.websocket,
    accessToken: options.websocket?.accessToken ?? accessToken,
    ...originsOption(options.websocket?.allowedOrigins ?? options.allowedOrigins),
    greeting,
    ...tapOption,
  });
  const webhooks = (options.httpWebhook ?? []).map((webhook) =>
    createWebhookEmitter(router, {
      ...webhook,
      impl,
      accessToken: webhook.accessToken ?? accessToken,
      ...tapOption,
    })
  );
  // Each reverse WebSocket starts connecting when created: if a later target is invalid, stop
  // the earlier ones before throwing, or they would reconnect forever with no handle to stop them.
  const reverse: EventSink[] = [];
  try {
    for (const target of options.websocketReverse ?? []) {
      reverse.push(connectReverseWebSocket(router, {
        ...target,
        impl,
        accessToken: target.accessToken ?? accessToken,
        greeting,
        ...tapOption,
      }));
    }
  } catch (error) {
    for (const started of reverse) {
      Promise.resolve(started[Symbol.asyncDispose]()).catch((reason: unknown) =>
        log.error("Stopping a reverse WebSocket failed: {reason}", { reason })
      );
    }
    throw error;
  }
  const sinks: EventSink[] = [...(websocket ? [websocket] : []), ...webhooks, ...reverse];
  const attached = new Set<EventSink>();

  function push(event: Event): void {
    buffer?.push(event);
    for (const sink of sinks) sink.emit(event);
    for (const sink of attached) sink.emit(event);
  }
  const beat = heartbeat === false
    ? undefined
    : startHeartbeat((event) => push(meta(event)), heartbeat.interval);
  // META-S2: one status_update to each webhook after start; WebSockets get theirs in the greeting.
  if (webhooks.length > 0) {
    const update = meta(statusUpdateEvent(status()));
    for (const webhook of webhooks) webhook.emit(update);
  }

  function statusChanged(): void {
    botsChanged();
    push(meta(statusUpdateEvent(status())));
  }

  let disposed = false;
  return {
    fetch(request, info) {
      if (websocket !== undefined && isWebSocketUpgrade(request)) {
        return websocket.fetch(request, info);
      }
      return handleHttp(request, info);
    },
    emit(event) {
      const problem = eventProblem(event);
      if (problem !== undefined) throw new TypeError(`Cannot emit event: ${problem}`);
      if (disposed) {
        log.warn("Event {id} emitted after dispose was dropped", { id: event.id });
        return;
      }
      push(event);
    },
    router,
    status,
    updateBot(bot) {
      const key = botKey(checkBot(bot).self);
      const before = bots.get(key);
      bots.set(key, structuredClone(bot));
      if (before === undefined || before.online !== bot.online) statusChanged();
    },
    removeBot(self) {
      if (bots.delete(botKey(self))) statusChanged();
    },
    setGood(value) {
      if (value === good) return;
      good = value;
      statusChanged();
    },
    attach(sink, attachOptions) {
      if (attachOptions?.greeting ?? true) { for (const event of greeting()) sink.emit(event); }
      attached.add(sink);
      return { [Symbol.dispose]: () => void attached.delete(sink) };
    },
    async [Symbol.asyncDispose]() {
      if (disposed) return;
      attached.clear();
      disposed = true;
      beat?.[Symbol.dispose]();
      buffer?.[Symbol.dispose]();
      await Promise.all(sinks.map((sink) => sink[Symbol.asyncDispose]()));
    },
  };
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
