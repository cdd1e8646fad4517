/**
 * The fake application's plumbing: bounded waits, HTTP calls, raw HTTP over
 * TCP, and WebSocket peers that collect frames. Private to the checker.
 *
 * Every wait is bounded and every timer, socket and body is released, so the
 * checker can run inside `deno test` with the sanitizers on.
 *
 * @module
 */

import { decodeMsgpack, encodeMsgpack } from "../connection/codec.ts";
import { readLimited } from "../_read_limited.ts";
import { within as withinTime } from "../_time.ts";

/** The largest HTTP body the checker reads from the implementation (64 MiB). */
export const MAX_HTTP_BODY = 64 * 1024 * 1024;

/** A plain JSON-like object. */
export type Json = Record<string, unknown>;

/** Whether a value is a plain object (not an array, not null). */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Resolves like `promise`, or rejects after `ms` with a message naming what
 * was awaited. The timer is always cleared.
 */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return withinTime(promise, ms, `no ${what} within ${ms} ms`);
}

/** Waits `ms` milliseconds (the timer is always done when this resolves). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Something that changes over time and can be waited on: `notify()` after
 * each change, `until(predicate, ms)` resolves `true` as soon as the predicate
 * holds, or `false` after `ms`.
 */
export interface Waiters {
  notify(): void;
  until(predicate: () => boolean, ms: number): Promise<boolean>;
}

/** Creates a {@linkcode Waiters}. */
export function createWaiters(): Waiters {
  const wakers = new Set<() => void>();
  return {
    notify() {
      for (const wake of [...wakers]) wake();
    },
    until(predicate, ms) {
      if (predicate()) return Promise.resolve(true);
      if (ms <= 0) return Promise.resolve(false);
      const { promise, resolve } = Promise.withResolvers<boolean>();
      const timer = setTimeout(() => finish(false), ms);
      function finish(value: boolean): void {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve(value);
      }
      function wake(): void {
        if (predicate()) finish(true);
      }
      wakers.add(wake);
      return promise;
    },
  };
}

/** What an HTTP exchange returned, body fully read. */
export interface HttpResult {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

/** Options of {@linkcode httpRequest}. */
export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  timeout: number;
}

/**
 * Sends one HTTP request and reads the whole response within `timeout` ms;
 * a body larger than {@linkcode MAX_HTTP_BODY} is cancelled and rejected.
 */
export async function httpRequest(
  url: URL | string,
  options: HttpRequestOptions,
): Promise<HttpResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeout);
  try {
    const response = await fetch(url, {
      method: options.method ?? "POST",
      headers: options.headers ?? {},
      ...(options.body === undefined ? {} : { body: options.body }),
      signal: controller.signal,
      redirect: "manual",
    });
    const read = response.body === null
      ? { bytes: new Uint8Array() }
      : await readLimited(response.body, MAX_HTTP_BODY);
    if (!("bytes" in read)) {
      throw new Error(`the response is larger than ${MAX_HTTP_BODY} bytes`);
    }
    return { status: response.status, headers: response.headers, bytes: read.bytes };
  } catch (error) {
    if (controller.signal.aborted) {
      throw new Error(`no HTTP response within ${options.timeout} ms`);
    }
    throw new Error(`HTTP request failed: ${errorMessage(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The media type of a `Content-Type` value, lowercased, without parameters. */
export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Decodes an HTTP body by its `Content-Type`: JSON or MessagePack, else throws. */
export function decodeBody(result: HttpResult): unknown {
  const type = mediaType(result.headers.get("content-type"));
  if (type === "application/msgpack") return decodeMsgpack(result.bytes);
  return JSON.parse(new TextDecoder().decode(result.bytes));
}

/** The status line and headers of a raw HTTP/1.1 response. */
export interface RawHead {
  status: number;
  statusLine: string;
  headers: Headers;
}

/**
 * Opens a TCP (for `https:`/`wss:`, TLS) connection to a URL's host within
 * `timeout` ms; a connection that opens after the timeout is closed at once.
 */
export async function connect(url: URL, timeout: number): Promise<Deno.Conn> {
  const secure = url.protocol === "https:" || url.protocol === "wss:";
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || (secure ? 443 : 80));
  const connecting: Promise<Deno.Conn> = secure
    ? Deno.connectTls({ hostname, port })
    : Deno.connect({ hostname, port });
  try {
    return await within(connecting, timeout, `TCP connection to ${url.host}`);
  } catch (error) {
    connecting.then((late) => late.close(), () => {});
    throw error;
  }
}

/**
 * Sends `GET <path>` with `headers` over a raw TCP (or TLS) connection and
 * reads the response head, then closes the connection. This is how a refused
 * WebSocket upgrade's status is seen: the `WebSocket` API hides it (WS-03).
 */
export async function rawGet(
  url: URL,
  headers: Record<string, string>,
  timeout: number,
): Promise<RawHead> {
  const conn = await connect(url, timeout);
  try {
    const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    await conn.write(new TextEncoder().encode(`${lines.join("\r\n")}\r\n\r\n`));
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(4096);
    let head = "";
    const deadline = Date.now() + timeout;
    while (!head.includes("\r\n\r\n") && head.length < 65536) {
      const n = await within(
        conn.read(buffer),
        Math.max(1, deadline - Date.now()),
        "response head",
      );
      if (n === null) break;
      head += decoder.decode(buffer.subarray(0, n), { stream: true });
    }
    const [statusLine = "", ...headerLines] = head.split("\r\n\r\n")[0]!.split("\r\n");
    const status = Number(statusLine.split(" ")[1]);
    if (!Number.isInteger(status)) {
      throw new Error(`no HTTP status line in the answer: ${JSON.stringify(statusLine)}`);
    }
    const result: RawHead = { status, statusLine, headers: new Headers() };
    for (const line of headerLines) {
      const colon = line.indexOf(":");
      if (colon > 0) {
        try {
          result.headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
        } catch {
          // An invalid header line is ignored: only the status matters here.
        }
      }
    }
    return result;
  } finally {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }
}

/** The headers of a WebSocket upgrade request, for raw requests. */
export function upgradeHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const key = new Uint8Array(16);
  crypto.getRandomValues(key);
  return {
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": key.toBase64(),
    ...extra,
  };
}

/** One received WebSocket frame. */
export interface Frame {
  /** Text or binary. */
  kind: "text" | "binary";
  /** The decoded value (JSON for text, MessagePack for binary); `undefined` if undecodable. */
  value: unknown;
  /** Why it could not be decoded. */
  error?: string;
}

/** Whether a value looks like an action response rather than an event. */
export function isResponse(value: unknown): value is Json {
  return isObject(value) && "retcode" in value && !("detail_type" in value);
}

/** Whether a value looks like an event rather than an action response. */
export function isEvent(value: unknown): value is Json {
  return isObject(value) && "detail_type" in value && !("retcode" in value);
}

/** A WebSocket endpoint (client or server side) that collects frames. */
export interface Peer extends AsyncDisposable {
  socket: WebSocket;
  frames: Frame[];
  /** Close code and reason once closed. */
  closed: { code: number; reason: string } | undefined;
  /** Resolves `true` as soon as `predicate` holds, `false` after `ms` or on close. */
  until(predicate: () => boolean, ms: number): Promise<boolean>;
  /** Sends a JSON text frame, a raw text frame, or MessagePack bytes. */
  send(data: string | Uint8Array<ArrayBuffer>): void;
  /**
   * Sends a request and returns the first response frame after it: the one
   * with the same `echo`, or, without an echo, the next response.
   */
  call(
    data: string | Uint8Array<ArrayBuffer>,
    echo: string | undefined,
    ms: number,
  ): Promise<Frame>;
  /** Closes (1000) and waits for the close, at most `ms`. */
  close(ms: number): Promise<void>;
}

/** Wraps a socket (client or server side, any state) into a {@linkcode Peer}. */
export function wrapSocket(socket: WebSocket): Peer {
  socket.binaryType = "arraybuffer";
  const frames: Frame[] = [];
  const waiters = createWaiters();
  const closedSignal = Promise.withResolvers<void>();
  const peer: Peer = {
    socket,
    frames,
    closed: undefined,
    until(predicate, ms) {
      return waiters.until(() => predicate() || peer.closed !== undefined, ms)
        .then((done) => done && predicate());
    },
    send(data) {
      socket.send(data);
    },
    async call(data, echo, ms) {
      const start = frames.length;
      socket.send(data);
      let found: Frame | undefined;
      const ok = await peer.until(() => {
        for (let i = start; i < frames.length; i++) {
          const value = frames[i]!.value;
          if (isResponse(value) && (echo === undefined || value.echo === echo)) {
            found = frames[i];
            return true;
          }
        }
        return false;
      }, ms);
      if (!ok || found === undefined) {
        const why = peer.closed === undefined
          ? `no response within ${ms} ms`
          : `the socket closed (${peer.closed.code} ${peer.closed.reason}) before a response`;
        throw new Error(why);
      }
      return found;
    },
    async close(ms) {
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) {
        try {
          socket.close(1000, "conformance check done");
        } catch {
          // Already closing.
        }
      }
      if (socket.readyState !== WebSocket.CLOSED) {
        await within(closedSignal.promise, ms, "WebSocket close").catch(() => {});
      }
    },
    async [Symbol.asyncDispose]() {
      await peer.close(3000);
    },
  };
  socket.addEventListener("message", (message) => {
    let frame: Frame;
    if (typeof message.data === "string") {
      try {
        frame = { kind: "text", value: JSON.parse(message.data) };
      } catch (error) {
        frame = { kind: "text", value: undefined, error: errorMessage(error) };
      }
    } else {
      try {
        frame = { kind: "binary", value: decodeMsgpack(message.data as ArrayBuffer) };
      } catch (error) {
        frame = { kind: "binary", value: undefined, error: errorMessage(error) };
      }
    }
    frames.push(frame);
    waiters.notify();
  });
  socket.addEventListener("close", (event) => {
    peer.closed = { code: event.code, reason: event.reason };
    closedSignal.resolve();
    waiters.notify();
  });
  return peer;
}

/** Options of {@linkcode openPeer}. */
export interface OpenOptions {
  headers?: Record<string, string>;
  protocols?: string[];
  timeout: number;
}

/**
 * Opens a client WebSocket and waits until it is open; on failure or timeout
 * the socket is closed before this rejects.
 */
export async function openPeer(url: URL | string, options: OpenOptions): Promise<Peer> {
  const socket = new WebSocket(url, {
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.protocols === undefined ? {} : { protocols: options.protocols }),
  });
  const peer = wrapSocket(socket);
  const opened = Promise.withResolvers<void>();
  socket.addEventListener("open", () => opened.resolve(), { once: true });
  socket.addEventListener("close", (event) => {
    opened.reject(new Error(`the WebSocket handshake failed (close ${event.code})`));
  }, { once: true });
  try {
    await within(opened.promise, options.timeout, "WebSocket handshake");
  } catch (error) {
    await peer.close(options.timeout);
    throw error;
  }
  return peer;
}

/** Encodes a value as MessagePack. */
export function msgpack(value: unknown): Uint8Array<ArrayBuffer> {
  return encodeMsgpack(value);
}
