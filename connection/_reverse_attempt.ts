/**
 * The pieces of one reverse WebSocket attempt: option and handshake checks,
 * opening the socket, its session, the handshake and up timers, the backlog,
 * and the log line of an attempt's end. Private: not exported from `mod.ts`.
 *
 * @module
 */

import type { Log } from "../_log.ts";
import type { ActionRouter } from "../action/types.ts";
import type { Event } from "../event/types.ts";
import type { FrameTap } from "./frame.ts";
import type { Greeting } from "./types.ts";
import {
  checkLimits,
  greetingOf,
  type Session,
  type SocketLimits,
  startSession,
} from "./_socket.ts";
import type { EncodedEvent } from "./codec.ts";
import { checkInteger } from "../_check.ts";
import type { ReverseWebSocketOptions } from "./websocket_reverse.ts";
import type { BoundedQueue } from "../_queue.ts";
import { checkPushTarget, handshakeStatus, type PushTarget } from "./_push_target.ts";
import type { OutageLog } from "./_outage_log.ts";

/** A token as RFC 9110 defines it: what a subprotocol must be. */
const TOKEN_REGEXP = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The reconnection timings, the backlog's size and the socket limits, checked once. */
export function checkTimings(
  where: string,
  options: ReverseWebSocketOptions,
): {
  reconnectInterval: number;
  handshakeTimeout: number;
  maxBacklog: number;
  limits: SocketLimits;
} {
  const { reconnectInterval = 5000, handshakeTimeout = 10_000, maxBacklog = 1000 } = options;
  checkInteger(where, "reconnectInterval", reconnectInterval, 1);
  checkInteger(where, "handshakeTimeout", handshakeTimeout, 1);
  checkInteger(where, "maxBacklog", maxBacklog, 0);
  const limits = checkLimits(where, options);
  return { reconnectInterval, handshakeTimeout, maxBacklog, limits };
}

/** Opens the socket of one attempt; `undefined` (logged) when the constructor throws. */
export function openSocket(
  { url, protocols, headers }: {
    url: string;
    protocols: string[];
    headers: Record<string, string>;
  },
  outage: OutageLog,
  interval: number,
): WebSocket | undefined {
  let ws: WebSocket;
  try {
    ws = new WebSocket(url, { protocols, headers });
  } catch (error) {
    outage.failed("Reverse WebSocket {url}: cannot open: {error}; retrying in {interval} ms", {
      error,
      interval,
    });
    return undefined;
  }
  ws.binaryType = "arraybuffer";
  return ws;
}

/** What every session of a reverse WebSocket shares; its greeting is made at each open. */
export interface ReverseSessionOptions {
  router: ActionRouter;
  greeting: Greeting | undefined;
  limits: SocketLimits;
  log: Log;
  tap: FrameTap | undefined;
  peer: string;
}

/** The session of a connection that just opened, its greeting made now. */
export function startReverseSession(
  ws: WebSocket,
  { router, greeting, limits, log, tap, peer }: ReverseSessionOptions,
): Session {
  return startSession(ws, {
    router,
    connection: "websocket_reverse",
    greeting: greetingOf(greeting, log),
    limits,
    slowCode: 4008,
    log,
    tap,
    peer,
  });
}

/** Says how many events the backlog dropped while disconnected, if any. */
export function reportDropped(log: Log, dropped: number, url: string): void {
  if (dropped > 0) {
    log.warn("Dropped {dropped} events while disconnected from {url}", { dropped, url });
  }
}

/**
 * Closes `ws` unless it opens within `timeout` ms: Deno's WebSocket has no
 * handshake timeout, and a peer that accepts TCP and never answers would
 * keep the attempt CONNECTING forever. Closing fires `close`, which retries.
 */
export function abandonAfter(
  ws: WebSocket,
  timeout: number,
  onAbandon: () => void,
): ReturnType<typeof setTimeout> {
  return setTimeout(() => {
    onAbandon();
    ws.close();
  }, timeout);
}

/**
 * Counts the open connection as up once it has stayed open `upTime` ms: an
 * outage ends then, and says so.
 */
export function startUpTimer(
  upTime: number,
  outage: OutageLog,
  protocol: string,
  onUp: () => void,
): ReturnType<typeof setTimeout> {
  return setTimeout(() => {
    onUp();
    const after = "Reverse WebSocket connected to {url}, after {failures} failed attempt(s)";
    outage.succeeded(after, { protocol });
  }, upTime);
}

/**
 * Sends an event over the open session, or keeps it in the backlog for the
 * next connection (never a meta event); whether the backlog dropped its
 * oldest event to make room.
 */
export function sendOrKeep(
  session: Session | undefined,
  { event, json }: EncodedEvent,
  backlog: BoundedQueue<Event>,
): boolean {
  if (session !== undefined) {
    const text = json();
    // An event that cannot be encoded is dropped (logged), not kept for later.
    if (text === undefined) return false;
    // An event the socket does not take (closing, too slow) waits for the next one.
    if (session.sendEncoded(text, event)) return false;
  }
  if (event.type === "meta") return false;
  return backlog.push(event) !== undefined;
}

/** Sends what waited, oldest first; once the socket takes no more, the rest waits for the next. */
export function sendBacklog(session: Session, backlog: BoundedQueue<Event>): void {
  for (let event = backlog.peek(); event !== undefined; event = backlog.peek()) {
    if (!session.send(event)) break;
    backlog.shift();
  }
}

/**
 * The handshake of every attempt, checked once: the URL with the token
 * placed, the headers (no User-Agent: Deno's own is the one line, see
 * {@linkcode connectReverseWebSocket}) and the offered subprotocols.
 */
export function checkHandshake(
  where: string,
  options: ReverseWebSocketOptions,
): PushTarget & { headers: Record<string, string>; protocols: string[] } {
  const target = checkPushTarget(where, options, ["ws:", "wss:"]);
  const { impl } = options;
  if (typeof impl !== "string" || !TOKEN_REGEXP.test(impl)) {
    throw new TypeError(`Cannot ${where}: impl must be a valid token: current value is ${impl}`);
  }
  if ((options as { userAgent?: unknown }).userAgent !== undefined) {
    throw new TypeError(
      `Cannot ${where}: userAgent is not supported: Deno's WebSocket always sends its own User-Agent, and a second one makes strict servers refuse the handshake`,
    );
  }
  return {
    ...target,
    headers: target.authorization === undefined ? {} : { Authorization: target.authorization },
    protocols: checkSubprotocols(where, options.subprotocols ?? [`12.${impl}`]),
  };
}

/**
 * One line per ended attempt: a drop of a connection that was up names its
 * close code; a failed attempt (through the outage log: once, then at most
 * once a minute) its error, a refused handshake its HTTP status, and a
 * connection closed before it was up its close code.
 */
export function logAttemptEnd(
  log: Log,
  outage: OutageLog,
  { url, interval, upTime }: { url: string; interval: number; upTime: number },
  end: { event: CloseEvent; up: boolean } | string,
): void {
  if (typeof end !== "string") {
    const { event: { code, reason }, up } = end;
    if (up) {
      log.warn("Reverse WebSocket {url} disconnected ({code}); reconnecting in {interval} ms", {
        url,
        code,
        reason,
        interval,
      });
    } else {
      outage.failed(
        "Reverse WebSocket {url} closed ({code}) within {upTime} ms of opening; retrying in {interval} ms",
        { code, reason, upTime, interval },
      );
    }
    return;
  }
  const status = handshakeStatus(end);
  if (status !== undefined) {
    outage.failed(
      "Reverse WebSocket {url} refused the handshake with HTTP {status}; retrying in {interval} ms",
      { status, interval, error: end },
    );
  } else {
    outage.failed("Reverse WebSocket {url}: cannot connect: {error}; retrying in {interval} ms", {
      error: end === "" ? "no handshake" : end,
      interval,
    });
  }
}

/** The offered subprotocols: a non-empty list of distinct tokens (the WebSocket constructor's rules). */
export function checkSubprotocols(where: string, subprotocols: readonly unknown[]): string[] {
  const list = Array.isArray(subprotocols) ? [...subprotocols] : [];
  const valid = list.length > 0 && new Set(list).size === list.length &&
    list.every((value) => typeof value === "string" && TOKEN_REGEXP.test(value));
  if (!valid) {
    throw new TypeError(
      `Cannot ${where}: subprotocols must be a non-empty list of distinct tokens: current value is ${
        JSON.stringify(subprotocols)
      }`,
    );
  }
  return list as string[];
}
