/**
 * Reverse WebSocket (checklist §1.4: WSR-01..06; META-C1/C2, META-S1).
 *
 * @module
 */

import { logger, redactUrl } from "../_log.ts";
import type { ActionRouter } from "../action/types.ts";
import type { Event } from "../event/types.ts";
import { type FrameTap, guardTap } from "./frame.ts";
import type { EventSink, Greeting } from "./types.ts";
import { CLOSE_TIMEOUT, type Session } from "./_socket.ts";
import { type EncodedEvent, encodeOnce } from "./codec.ts";
import { EMIT_ENCODED, type EncodingSink } from "./fan_out.ts";
import { createBoundedQueue } from "../_queue.ts";
import { createOutageLog } from "./_outage_log.ts";
import {
  abandonAfter,
  checkHandshake,
  checkTimings,
  logAttemptEnd,
  openSocket,
  reportDropped,
  sendBacklog,
  sendOrKeep,
  startReverseSession,
  startUpTimer,
} from "./_reverse_attempt.ts";

/**
 * The least time, in ms, a connection must stay open to count as up: one
 * that drops sooner is a failed attempt (see `reconnectInterval`).
 */
const MIN_UP_TIME = 1000;

/**
 * Options of {@linkcode connectReverseWebSocket}.
 *
 * @example
 * ```ts
 * import type { ReverseWebSocketOptions } from "@libob/libob";
 *
 * const options: ReverseWebSocketOptions = { url: "ws://127.0.0.1:8765/", impl: "demo" };
 * ```
 */
export interface ReverseWebSocketOptions {
  /** The application's WebSocket URL (`ws:` or `wss:`). */
  url: string;
  /** The implementation name, sent as subprotocol `12.<impl>` (WSR-03). */
  impl: string;
  /** The access token, sent as `Authorization: Bearer …` (WSR-04). */
  accessToken?: string | undefined;
  /**
   * Send the token as the `access_token` query parameter instead of the
   * `Authorization` header (WSR-04's fallback). Default `false`: the token
   * never appears in the URL.
   */
  tokenInQuery?: boolean;
  /**
   * The subprotocols offered in `Sec-WebSocket-Protocol`, in order: distinct
   * tokens, at least one. Default `["12.<impl>"]` (WSR-03). Some
   * applications want more than the spec asks: alemonjs' OneBot 12 adapter
   * accepts only a connection that offers a bare `12`, and its `ws` server
   * picks the first offered, so `["12", "12.<impl>"]` suits it and still
   * sends `12.<impl>`.
   */
  subprotocols?: readonly string[];
  /**
   * Milliseconds between connection attempts, an integer > 0, after a drop
   * and after a failed attempt, forever (WSR-05). Default 5000. It is also
   * how long a connection must stay open (at least one second) to count as
   * up: one the application closes sooner, as a peer that accepts and hangs
   * up at once does, is a failed attempt and is logged like one, so a
   * flapping application writes no more than a dead one.
   */
  reconnectInterval?: number;
  /**
   * Milliseconds an attempt may take to open (TCP connect and handshake),
   * an integer > 0. An attempt still not open then is abandoned and counts
   * as failed, so a server that accepts TCP but never answers the upgrade
   * cannot stall the reconnect loop (WSR-05). Default 10000.
   */
  handshakeTimeout?: number;
  /** The frames each new connection starts with (WSR-06). */
  greeting?: Greeting;
  /** Sees every frame in and out ({@linkcode FrameTap}); `peer` is the URL without its query. */
  tap?: FrameTap;
  /**
   * Non-meta events kept while disconnected, sent after the greeting of the
   * next connection; when full, the oldest is dropped and counted (logged
   * on reconnect). `0` means unlimited, as in every size option of libob:
   * memory then grows for as long as the application is away. Default 1000.
   */
  maxBacklog?: number;
  /** Largest incoming frame in bytes; larger ones get 10001. Default 16 MiB. */
  maxFrameSize?: number;
  /** Actions run at once; as many more wait, beyond that 36000. Default 64. */
  maxInFlight?: number;
  /**
   * Unsent bytes above which the socket is closed with 4008 "too slow" and
   * reconnected (a client may not send 1008). Default 16 MiB.
   */
  maxBufferedAmount?: number;
}

/**
 * Connects to an application's WebSocket server and keeps reconnecting
 * (WSR-01..06).
 *
 * The handshake carries the subprotocol `12.<impl>` (or the `subprotocols`
 * list) through the WebSocket `protocols` option (WSR-03; a server that does
 * not echo one is accepted) and `Authorization: Bearer <token>` (WSR-04). Its
 * one `User-Agent` line is Deno's own, `Deno/<version>` (WSR-02 asks for one,
 * of any value): Deno's `WebSocket` always sends it and cannot replace it, so
 * a second line of libob's would make the handshake carry two, which strict
 * servers (aiohttp) refuse with 400. There is therefore no `userAgent`
 * option here; passing one throws.
 *
 * The first attempt starts at once. After a failed attempt or a drop, the
 * next starts `reconnectInterval` ms later, forever (WSR-05); an attempt not
 * open within `handshakeTimeout` ms counts as failed, and so does a
 * connection that closes before it has been open `reconnectInterval` ms
 * (at least one second). A dead or flapping application is logged once,
 * then at most once a minute with a count; the first connection that stays
 * up logs one `info` line with the failed attempts. There is never more
 * than one socket per sink. Every connection starts with the greeting,
 * made when the socket opens (WSR-06), then the backlog. Meta events are
 * never kept in the backlog: heartbeats would be stale and the greeting
 * carries a fresh `status_update`. A peer too slow to read (see
 * `maxBufferedAmount`) is closed with 4008 and reconnected; the event that
 * found the socket full goes to the backlog, so only what was already in
 * the socket's buffer can be lost. Likewise, events handed to a socket that
 * dies before its close is seen (the application crashed or restarted) are
 * lost with it: WebSocket has no delivery acknowledgement. Actions are
 * served exactly as on the forward WebSocket, with
 * `{ connection: "websocket_reverse" }` (WSR-01).
 *
 * @param router The action router.
 * @param options URL, impl, token, interval, greeting and limits.
 * @returns The event sink; disposing it stops the loop and its timer and
 * closes the socket with 1000.
 * @throws {TypeError} When the URL is not `ws:`/`wss:`, `impl` or a
 * subprotocol is not a valid token, `subprotocols` is empty or repeats one,
 * the token has surrounding white space, or a `userAgent` is given.
 * @throws {RangeError} When an interval or limit is out of range.
 *
 * @example Options are checked once, up front
 * ```ts
 * import { connectReverseWebSocket, createActionRouter } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const router = createActionRouter({ handlers: {}, bots: () => [] });
 * expect(() =>
 *   connectReverseWebSocket(router, { url: "ws://127.0.0.1:1/", impl: "demo", reconnectInterval: 0 })
 * ).toThrow(RangeError);
 * ```
 */
export function connectReverseWebSocket(
  router: ActionRouter,
  options: ReverseWebSocketOptions,
): EventSink {
  const where = "connect reverse WebSocket";
  const target = checkHandshake(where, options);
  const { shown: logUrl, peer } = target;
  const { reconnectInterval, handshakeTimeout, maxBacklog, limits } = checkTimings(where, options);
  const log = logger("websocket_reverse");
  const tap = guardTap(where, options.tap, log, "websocket_reverse");
  const shared = { router, greeting: options.greeting, limits, log, tap, peer };
  const outage = createOutageLog({ log, label: "Reverse WebSocket {url}", url: logUrl });

  let socket: WebSocket | undefined;
  let session: Session | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Fires once the open connection has stayed open long enough to count as up. */
  let upTimer: ReturnType<typeof setTimeout> | undefined;
  const upTime = Math.max(reconnectInterval, MIN_UP_TIME);
  let socketClosed: Promise<void> = Promise.resolve();
  let disposed = false;
  const backlog = createBoundedQueue<Event>(maxBacklog);
  let dropped = 0;

  function scheduleConnect(): void {
    timer = setTimeout(connect, reconnectInterval);
  }

  function connect(): void {
    timer = undefined;
    if (disposed || socket !== undefined) return;
    const ws = openSocket(target, outage, reconnectInterval);
    if (ws === undefined) return scheduleConnect();
    socket = ws;
    const closed = Promise.withResolvers<void>();
    socketClosed = closed.promise;
    /** Why this attempt failed, as the close will log it. */
    let failure = "";
    /** Whether this connection stayed open `upTime` ms. */
    let up = false;
    // A timed-out handshake is logged as the attempt's failure.
    const handshake = abandonAfter(ws, handshakeTimeout, () => {
      failure = `no handshake within ${handshakeTimeout} ms`;
    });
    ws.addEventListener("open", () => {
      clearTimeout(handshake);
      const { protocol } = ws;
      // During an outage, only a connection that stays up ends it (and says so).
      log[outage.failing ? "debug" : "info"]("Reverse WebSocket connected to {url}", {
        url: logUrl,
        protocol,
      });
      upTimer = startUpTimer(upTime, outage, protocol, () => {
        up = true;
      });
      // WSR-06: the greeting goes first, made now; then what waited.
      const current = startReverseSession(ws, shared);
      session = current;
      reportDropped(log, dropped, logUrl);
      dropped = 0;
      sendBacklog(current, backlog);
    });
    ws.addEventListener("error", (event) => {
      // Deno's message names a refusal's status, never its body; it may quote the URL.
      failure ||= redactUrl(event instanceof ErrorEvent ? event.message : "");
      log.debug("WebSocket error on {url}: {message}", { url: logUrl, message: failure });
    });
    ws.addEventListener("close", (event) => {
      clearTimeout(handshake);
      clearTimeout(upTimer);
      upTimer = undefined;
      const wasOpen = session !== undefined;
      socket = undefined;
      session = undefined;
      closed.resolve();
      if (disposed) return;
      logAttemptEnd(
        log,
        outage,
        { url: logUrl, interval: reconnectInterval, upTime },
        wasOpen ? { event, up } : failure,
      );
      scheduleConnect();
    });
  }

  connect();

  const sink: EventSink & EncodingSink = {
    emit(event) {
      sink[EMIT_ENCODED](encodeOnce(event, log));
    },
    [EMIT_ENCODED](item: EncodedEvent) {
      if (!disposed && sendOrKeep(session, item, backlog)) dropped++;
    },
    async [Symbol.asyncDispose]() {
      if (disposed) return;
      disposed = true;
      clearTimeout(timer);
      timer = undefined;
      clearTimeout(upTimer);
      upTimer = undefined;
      backlog.take(0); // released
      outage[Symbol.dispose]();
      if (session !== undefined) {
        await session.close(1000, "going away", CLOSE_TIMEOUT);
      } else if (socket !== undefined) {
        socket.close(1000, "going away");
        await socketClosed;
      }
    },
  };
  return sink;
}
