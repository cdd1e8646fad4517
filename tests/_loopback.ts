/**
 * Loopback test helpers: servers on port 0 with `await using`, raw HTTP over
 * `Deno.connect`, and WebSocket peers that collect frames (design.md §10).
 * Every wait is event-driven with a generous safety timeout that is always
 * cleared, so the test sanitizers stay green.
 *
 * @module
 */

import type { ActionResponse } from "../action/types.ts";
import { decodeMsgpack, encodeMsgpack } from "../connection/codec.ts";
import { createEvent } from "../event/create.ts";
import type { Event } from "../event/types.ts";

/** The safety timeout of every wait, in ms: generous, never a timing assertion. */
export const SAFETY_TIMEOUT = 10_000;

/**
 * Resolves like `promise`, or rejects after `ms` with a message naming what
 * was awaited. The timer is always cleared.
 */
export async function within<T>(
  promise: Promise<T>,
  what: string,
  ms: number = SAFETY_TIMEOUT,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A loopback server; dispose it to shut it down. */
export interface Served extends AsyncDisposable {
  /** The port it listens on. */
  port: number;
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** `ws://127.0.0.1:<port>/`. */
  wsUrl: string;
}

/** Serves `handler` on `127.0.0.1`, on `port` (default 0: any free port). */
export function serve(handler: Deno.ServeHandler, port = 0): Served {
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, handler);
  const actual = server.addr.port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}/`,
    wsUrl: `ws://127.0.0.1:${actual}/`,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** A port that nothing listens on (it was free a moment ago). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * Resolves once a server starting up at `url` answers a POST (any status),
 * trying every 50 ms, 200 times at most; wrap it in {@linkcode within}.
 */
export async function untilAnswering(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const response = await fetch(url, {
        method: "POST",
        body: "{}",
        headers: { "Content-Type": "application/json" },
      });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nothing answered at ${url}`);
}

/** The status line and headers of a raw HTTP/1.1 response. */
export interface RawResponse {
  status: number;
  headers: Headers;
}

/**
 * Sends `GET <target>` with the given headers over a raw TCP connection and
 * reads the response head; the connection is then closed. Use it for
 * refused upgrades, where a `WebSocket` would only report an error.
 */
export async function rawGet(
  port: number,
  target: string,
  headers: Record<string, string>,
): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const lines = [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, "Connection: close"];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    await conn.write(new TextEncoder().encode(`${lines.join("\r\n")}\r\n\r\n`));
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(4096);
    let head = "";
    while (!head.includes("\r\n\r\n")) {
      const n = await within(conn.read(buffer), "a raw HTTP response");
      if (n === null) break;
      head += decoder.decode(buffer.subarray(0, n), { stream: true });
    }
    const [statusLine = "", ...headerLines] = head.split("\r\n\r\n")[0]!.split("\r\n");
    const result: RawResponse = {
      status: Number(statusLine.split(" ")[1]),
      headers: new Headers(),
    };
    for (const line of headerLines) {
      const colon = line.indexOf(":");
      if (colon > 0) result.headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    return result;
  } finally {
    conn.close();
  }
}

/** One received frame, decoded. */
export interface Frame {
  /** Text (JSON) or binary (MessagePack). */
  kind: "text" | "binary";
  /** The decoded value, or `undefined` when the frame could not be decoded. */
  value: unknown;
}

/** A WebSocket endpoint (client or server side) that collects what it receives. */
export interface Peer extends AsyncDisposable {
  /** The socket. */
  socket: WebSocket;
  /** Every frame received so far, in order. */
  frames: readonly Frame[];
  /** The next frame in arrival order (its own cursor). */
  nextFrame(): Promise<Frame>;
  /** The next event frame, skipping events `accept` rejects (its own cursor). */
  nextEvent(accept?: (event: Event) => boolean): Promise<Event & { frame: Frame }>;
  /** The response with this `echo`, whenever it arrived. */
  response(echo: string): Promise<ActionResponse & { frame: Frame }>;
  /** The next response not yet handed out; for requests without `echo`. */
  nextResponse(): Promise<ActionResponse & { frame: Frame }>;
  /** Sends a value as JSON text or MessagePack binary. */
  send(value: unknown, kind?: "text" | "binary"): void;
  /** Sends a request and waits for its response (by `echo`, else the next one). */
  call(request: unknown, kind?: "text" | "binary"): Promise<ActionResponse & { frame: Frame }>;
  /** Resolves with the close event. */
  closed: Promise<CloseEvent>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isEventValue(value: unknown): value is Event {
  return isRecord(value) && typeof value.type === "string" &&
    typeof value.detail_type === "string" && !("retcode" in value);
}

function isResponseValue(value: unknown): value is ActionResponse {
  return isRecord(value) && "retcode" in value && "status" in value;
}

/** Wraps an existing socket (any state) into a {@linkcode Peer}. */
export function wrapSocket(socket: WebSocket): Peer {
  socket.binaryType = "arraybuffer";
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const closed = Promise.withResolvers<CloseEvent>();
  let frameCursor = 0;
  let eventCursor = 0;
  let responseCursor = 0;
  // Responses already handed out, by echo or in order.
  const consumed = new WeakSet<Frame>();
  let isClosed = false;

  socket.addEventListener("message", (message) => {
    let frame: Frame;
    if (typeof message.data === "string") {
      let value: unknown;
      try {
        value = JSON.parse(message.data);
      } catch {
        value = undefined;
      }
      frame = { kind: "text", value };
    } else {
      let value: unknown;
      try {
        value = decodeMsgpack(new Uint8Array(message.data as ArrayBuffer));
      } catch {
        value = undefined;
      }
      frame = { kind: "binary", value };
    }
    frames.push(frame);
    for (const wake of [...waiters]) wake();
  });
  socket.addEventListener("close", (event) => {
    isClosed = true;
    closed.resolve(event);
    for (const wake of [...waiters]) wake();
  });

  /** Waits until `find` returns something, re-checking on every frame. */
  function waitFor<T>(what: string, find: () => T | undefined): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    const result = Promise.withResolvers<T>();
    const wake = (): void => {
      const value = find();
      if (value !== undefined) {
        waiters.delete(wake);
        result.resolve(value);
      } else if (isClosed) {
        waiters.delete(wake);
        result.reject(new Error(`The socket closed while waiting for ${what}`));
      }
    };
    waiters.add(wake);
    return within(result.promise, what).finally(() => waiters.delete(wake));
  }

  function withFrame<T>(frame: Frame): T & { frame: Frame } {
    return { ...(frame.value as T), frame };
  }

  function send(value: unknown, kind: "text" | "binary" = "text"): void {
    socket.send(kind === "text" ? JSON.stringify(value) : encodeMsgpack(value));
  }

  function response(echo: string): Promise<ActionResponse & { frame: Frame }> {
    return waitFor(`the response with echo ${echo}`, () => {
      const frame = frames.find((f) => isResponseValue(f.value) && f.value.echo === echo);
      if (frame === undefined) return undefined;
      consumed.add(frame);
      return withFrame<ActionResponse>(frame);
    });
  }

  function nextResponse(): Promise<ActionResponse & { frame: Frame }> {
    return waitFor("the next response", () => {
      while (responseCursor < frames.length) {
        const frame = frames[responseCursor++]!;
        if (isResponseValue(frame.value) && !consumed.has(frame)) {
          consumed.add(frame);
          return withFrame<ActionResponse>(frame);
        }
      }
      return undefined;
    });
  }

  return {
    socket,
    frames,
    nextFrame() {
      return waitFor("the next frame", () => frames[frameCursor] && frames[frameCursor++]);
    },
    nextEvent(accept = () => true) {
      return waitFor("the next event", () => {
        while (eventCursor < frames.length) {
          const frame = frames[eventCursor++]!;
          if (isEventValue(frame.value) && accept(frame.value)) return withFrame<Event>(frame);
        }
        return undefined;
      });
    },
    response,
    nextResponse,
    send,
    call(request, kind = "text") {
      const echo = isRecord(request) && typeof request.echo === "string" ? request.echo : undefined;
      send(request, kind);
      return echo === undefined ? nextResponse() : response(echo);
    },
    closed: closed.promise,
    async [Symbol.asyncDispose]() {
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) {
        socket.close(1000);
      }
      await within(closed.promise, "the socket to close");
    },
  };
}

/** Opens a client WebSocket and waits until it is open. */
export async function openClient(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<Peer> {
  const socket = new WebSocket(url, options);
  const peer = wrapSocket(socket);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("close", () => reject(new Error(`Cannot connect to ${url}`)), {
      once: true,
    });
  });
  await within(opened, `a connection to ${url}`);
  return peer;
}

/** One connection accepted by an {@linkcode AppServer}. */
export interface Accepted {
  /** The upgrade request, with the handshake headers. */
  request: Request;
  /** The server side of the socket. */
  peer: Peer;
}

/** A WebSocket application server, the peer of a reverse WebSocket. */
export interface AppServer extends Served {
  /** The next connection (its own cursor over every accepted connection). */
  accept(): Promise<Accepted>;
  /** How many upgrades were accepted so far. */
  readonly accepted: number;
}

/**
 * Serves WebSocket upgrades the way an application would: each upgrade is
 * accepted (echoing the first offered subprotocol unless `echoProtocol` is
 * `false`) and, once open, queued for {@linkcode AppServer.accept}. Dispose closes every
 * socket it accepted, then shuts down.
 */
export function serveApp(options: { port?: number; echoProtocol?: boolean } = {}): AppServer {
  const connections: Accepted[] = [];
  const all: Peer[] = [];
  const waiters = new Set<() => void>();
  let cursor = 0;
  const served = serve((request) => {
    // The request's headers cannot be read after the upgrade: keep a copy.
    const copy = new Request(request.url, { headers: new Headers(request.headers) });
    const offered = request.headers.get("sec-websocket-protocol")?.split(",")[0]?.trim();
    const { socket, response } = Deno.upgradeWebSocket(
      request,
      options.echoProtocol === false || offered === undefined ? {} : { protocol: offered },
    );
    const peer = wrapSocket(socket);
    all.push(peer);
    socket.addEventListener("open", () => {
      connections.push({ request: copy, peer });
      for (const wake of [...waiters]) wake();
    }, { once: true });
    return response;
  }, options.port);
  return {
    ...served,
    get accepted() {
      return connections.length;
    },
    accept() {
      const found = Promise.withResolvers<Accepted>();
      const wake = (): void => {
        const next = connections[cursor];
        if (next !== undefined) {
          cursor++;
          waiters.delete(wake);
          found.resolve(next);
        }
      };
      waiters.add(wake);
      wake();
      return within(found.promise, "a WebSocket connection").finally(() => waiters.delete(wake));
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(all.map((peer) => peer[Symbol.asyncDispose]()));
      await served[Symbol.asyncDispose]();
    },
  };
}

/**
 * A private message event from `u1` to the bot `{platform: "test", user_id: "bot"}`, with this `id`
 * and `message_id`: a payload for the transport tests.
 */
export function privateMessage(id: string): Event {
  return createEvent({
    id,
    type: "message",
    detail_type: "private",
    self: { platform: "test", user_id: "bot" },
    message_id: id,
    message: [],
    alt_message: "",
    user_id: "u1",
  });
}
