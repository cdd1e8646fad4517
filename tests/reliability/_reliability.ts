/**
 * Helpers of the reliability tests (issue 6): numbered events, counter
 * waits, and a raw WebSocket client over `Deno.connect` that can stop
 * reading. Every wait has a safety timeout that is always cleared.
 *
 * @module
 */

import { createEvent } from "../../event/create.ts";
import type { Event } from "../../event/types.ts";
import { type Peer, SAFETY_TIMEOUT, serve, type Served, within, wrapSocket } from "../_loopback.ts";

/** The bot of every reliability test. */
export const SELF = { platform: "test", user_id: "bot" };

/** The extension field that numbers the events of a test (EXT-01). */
export const SEQ = "test.seq";

/** A notice event numbered `seq`, optionally padded to a large payload. */
export function seqEvent(seq: number, padding = 0): Event {
  return createEvent({
    type: "notice",
    detail_type: "test.tick",
    self: SELF,
    [SEQ]: seq,
    ...(padding > 0 ? { "test.padding": "x".repeat(padding) } : {}),
  });
}

/** The number of a numbered event, or `undefined` for any other value. */
export function seqOf(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const seq = (value as Record<string, unknown>)[SEQ];
  return typeof seq === "number" ? seq : undefined;
}

/**
 * Waits until `predicate` holds, checking every few ms: for counters that
 * have no event to wait on. Never a timing assertion: the safety timeout
 * only turns a hang into a clear failure.
 */
export async function until(
  predicate: () => boolean,
  what: string,
  ms: number = SAFETY_TIMEOUT,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = new Promise<void>((resolve) => {
    const check = (): void => {
      if (predicate()) resolve();
      else timer = setTimeout(check, 5);
    };
    check();
  });
  try {
    await within(done, what, ms);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A seeded pseudo-random generator (mulberry32): `random(n)` is an integer in
 * `[0, n)`. Runs repeat the same choices; only the timing varies.
 */
export function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Resolves after `ms` (a pause between bursts, never a timing assertion). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Checks, without asserting, that `seqs` is a run of consecutive numbers: each
 * exactly once, in order, nothing skipped. Returns a description of the
 * first problem, or `undefined`.
 */
export function contiguityProblem(seqs: readonly number[]): string | undefined {
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] !== seqs[i - 1]! + 1) {
      return `after ${seqs[i - 1]} came ${seqs[i]} (index ${i} of ${seqs.length})`;
    }
  }
  return undefined;
}

/** One WebSocket frame read by a {@linkcode RawWebSocket}. */
export interface RawFrame {
  /** The opcode: 1 text, 2 binary, 8 close, 9 ping, 10 pong. */
  opcode: number;
  /** The unmasked payload. */
  payload: Uint8Array;
}

/**
 * A WebSocket client spoken by hand over TCP, so a test decides when (and
 * whether) it reads: a client that completes the handshake and then stops
 * reading, as a stuck application would.
 */
export interface RawWebSocket extends Disposable {
  /** Reads the next frame (server frames are not masked). `undefined` at EOF. */
  readFrame(): Promise<RawFrame | undefined>;
  /** Sends a masked close frame with `code`. */
  sendClose(code: number): Promise<void>;
}

/** Opens a raw WebSocket to `127.0.0.1:<port>/` and reads the 101 answer. */
export async function openRawWebSocket(port: number): Promise<RawWebSocket> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const head = [
    "GET / HTTP/1.1",
    `Host: 127.0.0.1:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
  ];
  await conn.write(new TextEncoder().encode(`${head.join("\r\n")}\r\n\r\n`));
  let buffered = new Uint8Array(0);

  async function fill(): Promise<boolean> {
    const chunk = new Uint8Array(64 * 1024);
    const n = await within(conn.read(chunk), "bytes from the server");
    if (n === null) return false;
    const next = new Uint8Array(buffered.byteLength + n);
    next.set(buffered);
    next.set(chunk.subarray(0, n), buffered.byteLength);
    buffered = next;
    return true;
  }

  async function need(bytes: number): Promise<boolean> {
    while (buffered.byteLength < bytes) {
      if (!await fill()) return false;
    }
    return true;
  }

  // The handshake answer: read up to the blank line, keep what follows.
  let end = -1;
  while (end === -1) {
    if (!await fill()) throw new Error("The server closed during the handshake");
    end = new TextDecoder().decode(buffered).indexOf("\r\n\r\n");
  }
  const status = new TextDecoder().decode(buffered.subarray(0, end)).split(" ")[1];
  if (status !== "101") throw new Error(`The upgrade was answered ${status}`);
  buffered = buffered.slice(end + 4);

  return {
    async readFrame() {
      if (!await need(2)) return undefined;
      const opcode = buffered[0]! & 0x0f;
      let length = buffered[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (!await need(4)) return undefined;
        length = (buffered[2]! << 8) | buffered[3]!;
        offset = 4;
      } else if (length === 127) {
        if (!await need(10)) return undefined;
        length = Number(new DataView(buffered.buffer, buffered.byteOffset).getBigUint64(2));
        offset = 10;
      }
      if (!await need(offset + length)) return undefined;
      const payload = buffered.slice(offset, offset + length);
      buffered = buffered.slice(offset + length);
      return { opcode, payload };
    },
    async sendClose(code) {
      const mask = crypto.getRandomValues(new Uint8Array(4));
      const body = [code >> 8, code & 0xff].map((byte, i) => byte ^ mask[i]!);
      await conn.write(new Uint8Array([0x88, 0x82, ...mask, ...body]));
    },
    [Symbol.dispose]() {
      try {
        conn.close();
      } catch {
        // already closed
      }
    },
  };
}

/** A WebSocket application server on a fixed port that can stop and start again. */
export interface AppServers extends AsyncDisposable {
  /** Every connection accepted so far, across restarts, in order. */
  readonly peers: readonly Peer[];
  /** The most connections that were open at the same moment. */
  readonly maxLive: number;
  /** Upgrades answered 503 while stopping. */
  readonly refused: number;
  /** Starts serving (again) on the port. */
  start(): void;
  /**
   * Drops `peer`, by the application (close 1000; the server answers 503 until it stops)
   * or by a server shutdown (1001; then a listener that hangs up), and returns once the
   * sink has tried again: from then on it is provably disconnected, so what is emitted
   * goes to its backlog. (An event handed to a socket in the moment it dies, before the
   * sink sees the close, is lost with it: the bound documented on connectReverseWebSocket.)
   */
  stop(peer: Peer, how: "close" | "shutdown"): Promise<void>;
}

/** An application server on a fixed port, with counters that survive its restarts. */
export function appServers(port: number): AppServers {
  const peers: Peer[] = [];
  let live = 0;
  let maxLive = 0;
  let refused = 0;
  let accepting = false;
  let current: Served | undefined;

  return {
    get peers() {
      return peers;
    },
    get maxLive() {
      return maxLive;
    },
    get refused() {
      return refused;
    },
    start(): void {
      accepting = true;
      current = serve((request) => {
        if (!accepting) {
          refused++;
          return new Response("restarting", { status: 503 });
        }
        const offered = request.headers.get("sec-websocket-protocol")?.split(",")[0]?.trim();
        const { socket, response } = Deno.upgradeWebSocket(
          request,
          offered === undefined ? {} : { protocol: offered },
        );
        const peer = wrapSocket(socket);
        socket.addEventListener("open", () => {
          live++;
          maxLive = Math.max(maxLive, live);
          peers.push(peer);
        });
        socket.addEventListener("close", () => live--);
        return response;
      }, port);
    },
    async stop(peer: Peer, how: "close" | "shutdown"): Promise<void> {
      accepting = false;
      if (how === "close") {
        const before = refused;
        peer.socket.close(1000, "restart");
        await peer.closed;
        await until(() => refused > before, "a refused reconnection attempt");
        await current?.[Symbol.asyncDispose]();
      } else {
        await current?.[Symbol.asyncDispose]();
        await peer.closed;
        const hangUp = Deno.listen({ hostname: "127.0.0.1", port });
        const attempt = await within(hangUp.accept(), "a reconnection attempt");
        attempt.close();
        hangUp.close();
      }
      current = undefined;
    },
    async [Symbol.asyncDispose](): Promise<void> {
      accepting = false;
      await current?.[Symbol.asyncDispose]();
    },
  };
}
