/**
 * Forward WebSocket (checklist §1.3: WS-01..13; META-C1/C2, META-S1).
 *
 * @module
 */

import { logger } from "../_log.ts";
import type { ActionRouter } from "../action/types.ts";
import { checkAccessToken, isAuthorized } from "./auth.ts";
import type { RequestHandler } from "./http.ts";
import { addrPeer, type FrameTap, guardTap } from "./frame.ts";
import type { EventSink, Greeting } from "./types.ts";
import { refuse } from "../_refuse.ts";
import { checkLimits, CLOSE_TIMEOUT, greetingOf, type Session, startSession } from "./_socket.ts";
import { type EncodedEvent, encodeOnce } from "./codec.ts";
import { EMIT_ENCODED, type EncodingSink } from "./fan_out.ts";
import { checkOrigins, isOriginAllowed } from "../_origin.ts";
import { checkInteger } from "../_check.ts";

/**
 * Options of {@linkcode createWebSocketHandler}.
 *
 * @example
 * ```ts
 * import type { WebSocketHandlerOptions } from "@libob/libob";
 *
 * const options: WebSocketHandlerOptions = { accessToken: "s3cret", maxInFlight: 16 };
 * ```
 */
export interface WebSocketHandlerOptions {
  /** The access token; empty or unset disables auth (WS-02). */
  accessToken?: string | undefined;
  /**
   * The web origins whose pages may connect: an upgrade with an `Origin`
   * header (browsers always send one, bot clients usually not) is refused
   * with 403 before the upgrade unless its origin is listed. Items: origins
   * like `https://example.com`, `"null"` for the opaque origin, `"*"` for
   * any. Default none: every upgrade that carries an `Origin` is refused.
   */
  allowedOrigins?: readonly string[];
  /**
   * Sockets open at once; one more upgrade is refused with 503 before the
   * upgrade. Default 1024.
   */
  maxConnections?: number;
  /** The frames each new connection starts with (META-C2, META-S1). */
  greeting?: Greeting;
  /** Sees every frame in and out of every socket ({@linkcode FrameTap}). */
  tap?: FrameTap;
  /**
   * Largest incoming frame in bytes. A larger frame is answered with 10001
   * (no `echo`: it is not decoded) in its own encoding, and the socket stays
   * open (WS-09). Default 16 MiB.
   */
  maxFrameSize?: number;
  /**
   * Actions run at once on one socket (WS-13). Up to as many more wait in
   * arrival order; beyond that a request is answered at once with 36000
   * (I Am Tired) and its `echo`. Default 64.
   */
  maxInFlight?: number;
  /**
   * Unsent bytes a socket may hold. When a frame is to be sent to a socket
   * whose `bufferedAmount` is above this, the socket is closed with 1008
   * "too slow" and a warning is logged: memory stays bounded and no event is
   * skipped silently (the client reconnects and starts again with
   * `meta.connect`). Default 16 MiB.
   */
  maxBufferedAmount?: number;
}

/** Default number of forward WebSockets open at once. */
const DEFAULT_MAX_CONNECTIONS = 1024;

/**
 * The forward WebSocket server: an upgrade handler plus an event sink.
 *
 * @example
 * ```ts
 * import type { WebSocketHandler } from "@libob/libob";
 *
 * const count = (handler: WebSocketHandler) => handler.connections;
 * ```
 */
export interface WebSocketHandler extends EventSink {
  /** Answers a `GET /` upgrade request (401 before upgrading when auth fails). */
  fetch: RequestHandler;
  /** How many sockets are connecting or open. */
  readonly connections: number;
}

/**
 * Whether a request asks for a WebSocket upgrade.
 *
 * @param request The request.
 * @returns `true` when its `Upgrade` header names `websocket`.
 *
 * @example
 * ```ts
 * import { isWebSocketUpgrade } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isWebSocketUpgrade(new Request("http://localhost/"))).toBe(false);
 * ```
 */
export function isWebSocketUpgrade(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}

/**
 * Creates the forward WebSocket server (WS-01).
 *
 * `fetch` checks, in order and before any upgrade: the path (`/`, else 404,
 * WS-04), the method (`GET`, else 405), the `Upgrade` header (else 400), the
 * `Origin` (else 403, see {@linkcode WebSocketHandlerOptions.allowedOrigins}),
 * the access token (HTTP-03 order, else 401, WS-02/WS-03: never
 * accept-then-close) and the number of open sockets (`maxConnections`, else 503). When the client offers `Sec-WebSocket-Protocol`, one
 * offered value is echoed (the first that starts with `12`, else the first)
 * so that browsers can connect. After `dispose`, upgrades get 503.
 *
 * Each socket starts with the greeting (`meta.connect`, then
 * `meta.status_update`), queued before the socket joins the fan-out of
 * `emit`, so nothing can overtake it (META-C2, WS-10/11). Events go out as
 * JSON text (WS-05). Text frames are JSON requests, binary frames MessagePack
 * requests; each response uses its request's frame type (WS-06..08). A frame
 * that cannot be decoded is answered with 10001 in the frame's own type
 * (MessagePack is supported, so a bad binary frame gets a MessagePack
 * answer); the socket stays open (WS-09). Actions run concurrently and are
 * matched by `echo` (WS-13). Deno itself drops a socket that sends a text
 * frame with invalid UTF-8, before libob sees the frame.
 *
 * @param router The action router; actions see `{ connection: "websocket" }`.
 * @param options Token, greeting and limits.
 * @returns The handler; disposing it closes every socket with 1001 and
 * waits (at most 3 s each) for the closing handshakes.
 * @throws {RangeError} When a limit is not an integer > 0.
 * @throws {TypeError} When the token has surrounding white space or an allowed origin is not one.
 *
 * @example Auth is checked before the upgrade
 * ```ts
 * import { createActionRouter, createWebSocketHandler } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const router = createActionRouter({ handlers: {}, bots: () => [] });
 * await using ws = createWebSocketHandler(router, { accessToken: "s3cret" });
 * const response = await ws.fetch(new Request("http://localhost/", {
 *   headers: { Upgrade: "websocket", Connection: "Upgrade" },
 * }));
 * expect(response.status).toBe(401);
 * await response.body?.cancel();
 * ```
 */
export function createWebSocketHandler(
  router: ActionRouter,
  options: WebSocketHandlerOptions = {},
): WebSocketHandler {
  const where = "create WebSocket handler";
  const accessToken = checkAccessToken(where, options.accessToken);
  const limits = checkLimits(where, options);
  const allowedOrigins = checkOrigins(where, options.allowedOrigins);
  const { maxConnections = DEFAULT_MAX_CONNECTIONS } = options;
  checkInteger(where, "maxConnections", maxConnections, 1);
  const { greeting } = options;
  const log = logger("websocket");
  const tap = guardTap(where, options.tap, log, "websocket");
  const sessions = new Set<Session>();
  let disposed = false;
  let full = false;

  async function fetch(request: Request, info?: Deno.ServeHandlerInfo): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/") return await refuse(request, 404, "Not Found");
    if (disposed) return await refuse(request, 503, "Service Unavailable");
    if (request.method !== "GET") {
      return await refuse(request, 405, "Method Not Allowed", { Allow: "GET" });
    }
    if (!isWebSocketUpgrade(request)) {
      return await refuse(request, 400, "Bad Request: expected a WebSocket upgrade");
    }
    if (!isOriginAllowed(request, allowedOrigins)) {
      return await refuse(request, 403, "Forbidden: this Origin is not allowed");
    }
    if (!isAuthorized(request, accessToken)) {
      return await refuse(request, 401, "Unauthorized", { "WWW-Authenticate": "Bearer" });
    }
    if (sessions.size >= maxConnections) {
      // Once until a socket closes: a flood of upgrades must not flood the log too.
      if (!full) {
        log.warn("Refusing WebSocket upgrades with 503: {count} sockets are open", {
          count: sessions.size,
        });
      }
      full = true;
      return await refuse(request, 503, "Service Unavailable: too many connections");
    }
    const protocol = pickProtocol(request.headers.get("sec-websocket-protocol"));
    // Read before the upgrade: afterwards the request, and its address, are gone.
    const peer = addrPeer(info);
    let upgrade: Deno.WebSocketUpgrade;
    try {
      upgrade = Deno.upgradeWebSocket(request, protocol === undefined ? {} : { protocol });
    } catch (error) {
      log.debug("Refused a bad upgrade request: {error}", { error });
      return await refuse(request, 400, "Bad Request: invalid WebSocket upgrade");
    }
    // The greeting is queued now, before the session joins `sessions`: no
    // event can be sent to this socket before meta.connect (META-C2).
    const session = startSession(upgrade.socket, {
      router,
      connection: "websocket",
      greeting: greetingOf(greeting, log),
      limits,
      slowCode: 1008,
      log,
      tap,
      peer,
    });
    sessions.add(session);
    log.info("WebSocket connection from {peer} opened ({count} open)", {
      peer,
      count: sessions.size,
    });
    let code = 1006;
    upgrade.socket.addEventListener("close", (event) => code = event.code, { once: true });
    void session.closed.then(() => {
      sessions.delete(session);
      full = false;
      log.info("WebSocket connection from {peer} closed ({code}; {count} open)", {
        peer,
        code,
        count: sessions.size,
      });
    });
    return upgrade.response;
  }

  function emitEncoded({ event, json }: EncodedEvent): void {
    if (disposed || sessions.size === 0) return;
    const text = json(); // once for every socket, and for the other sinks of a fan-out
    if (text === undefined) return;
    for (const session of sessions) session.sendEncoded(text, event);
  }

  const handler: WebSocketHandler & EncodingSink = {
    fetch,
    get connections() {
      return sessions.size;
    },
    emit: (event) => emitEncoded(encodeOnce(event, log)),
    [EMIT_ENCODED]: emitEncoded,
    async [Symbol.asyncDispose]() {
      disposed = true;
      await Promise.all(
        [...sessions].map((session) => session.close(1001, "going away", CLOSE_TIMEOUT)),
      );
    },
  };
  return handler;
}

/**
 * The offered subprotocol to echo: the first that starts with `12` (a
 * OneBot 12 client), else the first offered; `undefined` when none.
 */
function pickProtocol(header: string | null): string | undefined {
  if (header === null) return undefined;
  const offered = header.split(",").map((value) => value.trim()).filter((value) => value !== "");
  return offered.find((value) => value.startsWith("12")) ?? offered[0];
}
