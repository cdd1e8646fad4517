/**
 * One WebSocket session, shared by the forward and the reverse WebSocket
 * (WS-05..13, WSR-01, WSR-06). Private: not exported from `mod.ts`.
 *
 * A session owns one socket. It sends the greeting first, then events and
 * action responses in the order they are produced; it decodes every frame,
 * runs actions concurrently through the router and answers each in the
 * frame's own encoding.
 *
 * @module
 */

import type { Log } from "../_log.ts";
import { echoOf } from "../action/parse_request.ts";
import { failed } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import { routeNow, toResponse } from "../action/router.ts";
import type { ActionResponse, ActionRouter, Failure } from "../action/types.ts";
import type { Event } from "../event/types.ts";
import type { FrameTap } from "./frame.ts";
import type { Greeting } from "./types.ts";
import { decode, encodeEvent, encodeResponse, type Encoding } from "./codec.ts";
import { checkInteger } from "../_check.ts";
import { raceTimeout, TIMED_OUT } from "../_time.ts";
import { createOutbox } from "./_outbox.ts";

/** Default largest frame accepted, in bytes (16 MiB). */
export const DEFAULT_MAX_FRAME_SIZE: number = 16 * 1024 * 1024;
/** Default number of actions run at once per socket. */
export const DEFAULT_MAX_IN_FLIGHT = 64;
/** Default unsent bytes a socket may hold before it counts as too slow (16 MiB). */
export const DEFAULT_MAX_BUFFERED_AMOUNT: number = 16 * 1024 * 1024;
/** How long a dispose waits for each socket's closing handshake, in ms. */
export const CLOSE_TIMEOUT = 3000;

/** The per-socket limits, validated by {@linkcode checkLimits}. */
export interface SocketLimits {
  /** Largest frame in bytes; a larger one is answered 10001. */
  maxFrameSize: number;
  /** Actions run at once; as many more wait, beyond that 36000. */
  maxInFlight: number;
  /** Unsent bytes above which the socket is closed as too slow. */
  maxBufferedAmount: number;
}

/** The limit options as the public option records spell them. */
export interface SocketLimitOptions {
  maxFrameSize?: number;
  maxInFlight?: number;
  maxBufferedAmount?: number;
}

/**
 * Fills in and checks the limits once, at factory time.
 *
 * @throws {RangeError} When a limit is not an integer > 0.
 */
export function checkLimits(where: string, options: SocketLimitOptions): SocketLimits {
  const limits: SocketLimits = {
    maxFrameSize: options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE,
    maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    maxBufferedAmount: options.maxBufferedAmount ?? DEFAULT_MAX_BUFFERED_AMOUNT,
  };
  for (const [name, value] of Object.entries(limits)) {
    checkInteger(where, name, value, 1);
  }
  return limits;
}

/** What {@linkcode startSession} needs besides the socket. */
export interface SessionOptions {
  /** Runs the actions. */
  router: ActionRouter;
  /** The context's connection kind. */
  connection: "websocket" | "websocket_reverse";
  /** The first frames, sent before anything else (META-C2). */
  greeting: readonly Event[];
  /** Frame size, concurrency and send-buffer limits. */
  limits: SocketLimits;
  /**
   * The close code for a too-slow peer: 1008 on a server socket; a client
   * socket may only use 1000 or 3000–4999, so the reverse side uses 4008.
   */
  slowCode: number;
  /** Where the session logs. */
  log: Log;
  /** Sees every frame in and out (already guarded). */
  tap?: FrameTap | undefined;
  /** The connection's label for the tap. */
  peer?: string;
}

/** A running session. */
export interface Session {
  /**
   * Enqueues one event as a JSON text frame (WS-05); never throws. Returns
   * `false` when the event was not handed to the socket (closing, or the
   * peer is too slow and the socket is being closed now).
   */
  send(event: Event): boolean;
  /** Like `send`, for `event` already encoded as `text` with {@linkcode encodeEvent}. */
  sendEncoded(text: string, event: Event): boolean;
  /** Whether the socket is closing or closed: nothing sent now would arrive. */
  readonly done: boolean;
  /** Resolves once the socket has closed. */
  readonly closed: Promise<void>;
  /**
   * Closes the socket and resolves once it is closed, or after `timeout` ms
   * if the peer never completes the closing handshake.
   */
  close(code: number, reason: string, timeout: number): Promise<void>;
}

/**
 * A frame's request, decoded: WS-06..08, text frames are JSON and binary
 * frames MessagePack. A frame over `maxFrameSize` bytes or not valid in its
 * encoding is a 10001 failure (WS-09: answered, never a reason to close);
 * another kind of data is `undefined`.
 */
function decodeFrame(
  data: unknown,
  maxFrameSize: number,
): { value: unknown; encoding: Encoding } | { failure: Failure; encoding: Encoding } | undefined {
  let input: string | Uint8Array;
  let size: number;
  if (typeof data === "string") {
    input = data;
    size = utf8Length(data, maxFrameSize);
  } else if (data instanceof ArrayBuffer) {
    input = new Uint8Array(data);
    size = data.byteLength;
  } else {
    return undefined;
  }
  const encoding: Encoding = typeof input === "string" ? "json" : "msgpack";
  if (size > maxFrameSize) {
    const message = `the frame is larger than ${maxFrameSize} bytes`;
    return { failure: failed(RETCODE.BAD_REQUEST, message), encoding };
  }
  try {
    return { value: decode(input, encoding), encoding };
  } catch {
    return { failure: failed(RETCODE.BAD_REQUEST, `the frame is not valid ${encoding}`), encoding };
  }
}

/**
 * Starts a session on a socket that is CONNECTING or OPEN. The greeting is
 * queued synchronously, before the caller can hand the session any event,
 * so `meta.connect` is provably the first frame. Deno refuses `send` before
 * `open` (InvalidStateError), so frames produced while CONNECTING wait in an
 * ordered queue that is flushed on `open`.
 */
export function startSession(socket: WebSocket, options: SessionOptions): Session {
  const { router, connection, limits, log, tap, peer = "" } = options;
  const route = routeNow(router);
  socket.binaryType = "arraybuffer";
  const closed = Promise.withResolvers<void>();
  const { write, isDone, closeSocket } = createOutbox(socket, options);
  let running = 0;
  const waiting: { value: unknown; encoding: Encoding }[] = [];

  function send(event: Event): boolean {
    const text = encodeEvent(event, log);
    // An event that cannot be encoded is not the connection's fault: report it
    // as handled so nobody retries it.
    return text === undefined ? true : sendEncoded(text, event);
  }

  function sendEncoded(text: string, event: Event): boolean {
    const sent = write(text);
    if (sent) {
      tap?.({ direction: "out", type: "event", connection, peer, encoding: "json", data: event });
    }
    return sent;
  }

  function reply(response: ActionResponse, encoding: Encoding): void {
    if (response.retcode === RETCODE.INTERNAL_HANDLER_ERROR) {
      log.debug("Answered 20002 over {connection}", { connection, echo: response.echo });
    }
    if (write(encodeResponse(response, encoding))) {
      tap?.({ direction: "out", type: "response", connection, peer, encoding, data: response });
    }
  }

  /**
   * Replies, or, when the response cannot be sent as it is (a broken custom
   * router's value), replies 20002: never throws.
   */
  function answer(response: ActionResponse, value: unknown, encoding: Encoding): void {
    try {
      reply(response, encoding);
    } catch (error) {
      log.error("Could not answer over {connection}: {error}", { connection, error });
      reply(internalError(value), encoding);
    }
  }

  /**
   * Answers one request: a synchronous action at once, an asynchronous one
   * holding an in-flight slot until it is done.
   */
  function run(value: unknown, encoding: Encoding): void {
    let pending: ActionResponse | Promise<ActionResponse>;
    try {
      pending = route(value, { connection });
    } catch (error) {
      // A custom router that throws at once must not throw out of the socket's message listener.
      pending = Promise.reject(error);
    }
    if (!(pending instanceof Promise)) return answer(pending, value, encoding);
    running++;
    pending.then((response) => done(response, value, encoding), (error: unknown) => {
      // The router never rejects; this guards against a broken custom router.
      log.error("The router rejected: {error}", { error });
      done(internalError(value), value, encoding);
    });
  }

  /** An asynchronous action is done: answer it, then start what waited for its slot. */
  function done(response: ActionResponse, value: unknown, encoding: Encoding): void {
    running--;
    answer(response, value, encoding);
    // A loop, not recursion: the waiting frames may all answer synchronously.
    while (running < limits.maxInFlight && waiting.length > 0 && !isDone()) {
      const next = waiting.shift()!;
      run(next.value, next.encoding);
    }
  }

  function onFrame(data: unknown): void {
    if (isDone()) return;
    const frame = decodeFrame(data, limits.maxFrameSize);
    if (frame === undefined) return;
    if ("failure" in frame) {
      reply(toResponse(frame.failure, undefined), frame.encoding);
      return;
    }
    const { value, encoding } = frame;
    tap?.({ direction: "in", type: "action", connection, peer, encoding, data: value });
    if (running < limits.maxInFlight) {
      run(value, encoding);
    } else if (waiting.length < limits.maxInFlight) {
      waiting.push({ value, encoding });
    } else {
      reply(
        toResponse(
          failed(RETCODE.I_AM_TIRED, "too many actions in flight on this connection"),
          echoOf(value),
        ),
        encoding,
      );
    }
  }

  socket.addEventListener("message", (event) => onFrame(event.data));
  socket.addEventListener("error", (event) => {
    log.debug("{connection} socket error: {message}", {
      connection,
      message: event instanceof ErrorEvent ? event.message : "",
    });
  });
  socket.addEventListener("close", () => {
    waiting.length = 0;
    closed.resolve();
  });

  for (const event of options.greeting) send(event);

  return {
    send,
    sendEncoded,
    get done() {
      return isDone();
    },
    closed: closed.promise,
    async close(code, reason, timeout) {
      if (socket.readyState !== WebSocket.CLOSED) closeSocket(code, reason);
      if (await raceTimeout(closed.promise, timeout) === TIMED_OUT) {
        log.warn("A {connection} peer did not complete the closing handshake in {timeout} ms", {
          connection,
          timeout,
        });
      }
    },
  };
}

/** The 20002 answer to a request whose action went wrong outside its handler. */
function internalError(value: unknown): ActionResponse {
  return toResponse(failed(RETCODE.INTERNAL_HANDLER_ERROR, "internal error"), echoOf(value));
}

/**
 * A number that is above `limit` exactly when the UTF-8 encoding of `text`
 * is; it avoids encoding the text. Each UTF-16 unit takes 1 to 3 bytes.
 */
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > limit) return bytes;
  }
  return bytes;
}

/**
 * The frames a new connection starts with; a greeting that throws, or
 * returns anything but a list of objects, is logged and the connection
 * starts without one rather than failing (the reverse side calls it from the
 * socket's `open` listener, where a throw would end the process).
 */
export function greetingOf(greeting: Greeting | undefined, log: Log): readonly Event[] {
  if (greeting === undefined) return [];
  let events: unknown;
  try {
    events = greeting();
  } catch (error) {
    log.error("The greeting failed: {error}", { error });
    return [];
  }
  if (
    !Array.isArray(events) ||
    !events.every((event) => typeof event === "object" && event !== null)
  ) {
    log.error("The greeting did not return a list of events: it was skipped");
    return [];
  }
  return events;
}
