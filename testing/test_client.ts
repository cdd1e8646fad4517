/**
 * A fake OneBot application over a real connection: the forward WebSocket
 * (`ws://`, `wss://`) or HTTP (`http://`, `https://`), with typed calls and
 * event waits, for end-to-end tests of an implementation that is served.
 *
 * @module
 */

import type { ActionResponse, ActionSpec } from "../action/types.ts";
import type { StandardActions } from "../action/standard.ts";
import {
  decode,
  decodeMsgpack,
  encodeJson,
  encodeMsgpack,
  type Encoding,
  encodingOf,
  MEDIA_TYPE,
} from "../connection/codec.ts";
import type { Event } from "../event/types.ts";
import { within } from "../_time.ts";
import { readLimited } from "../_read_limited.ts";
import {
  createMailbox,
  DEFAULT_TIMEOUT,
  type EventPredicate,
  type EventWaits,
  type Mailbox,
  type NextEventOptions,
} from "./_mailbox.ts";

/**
 * Options of {@linkcode connectTestClient}.
 *
 * @example
 * ```ts
 * import type { TestClientOptions } from "@libob/libob/testing";
 *
 * const options: TestClientOptions = { token: "s3cret", encoding: "msgpack" };
 * ```
 */
export interface TestClientOptions {
  /** The access token, sent as `Authorization: Bearer` (HTTP-03, WS-02). */
  token?: string | undefined;
  /** Requests in JSON (text frames) or MessagePack (binary frames). Default `json`. */
  encoding?: Encoding;
  /** Milliseconds to wait for the socket to open and for each response, > 0. Default 5000. */
  timeout?: number;
}

/**
 * How {@linkcode TestClient.call} sends a request.
 *
 * @example
 * ```ts
 * import type { TestClientCallOptions } from "@libob/libob/testing";
 *
 * const options: TestClientCallOptions = { echo: "1" };
 * ```
 */
export interface TestClientCallOptions {
  /** The request's `self`. */
  self?: { platform: string; user_id: string };
  /**
   * The request's `echo`, kept in the response. Without it, a WebSocket
   * call uses an echo of its own to match the response, and removes it.
   */
  echo?: string;
}

/**
 * A fake application connected to a served implementation. Over HTTP its
 * waits ({@linkcode EventWaits}) long-poll `get_latest_events`.
 *
 * @typeParam M The action table, for typed `call`s.
 *
 * @example
 * ```ts
 * import type { TestClient } from "@libob/libob/testing";
 *
 * const countEvents = (client: TestClient) => client.received.length;
 * ```
 */
export interface TestClient<M extends { [A in keyof M]: ActionSpec } = StandardActions>
  extends EventWaits, AsyncDisposable {
  /** `websocket` or `http`, from the URL's scheme. */
  readonly transport: "websocket" | "http";
  /**
   * Sends an action request and returns the decoded response. With the
   * `json` encoding, bytes in the response's `data` are the Base64 strings
   * of the wire although the table types them `Uint8Array` (the client does
   * not guess which strings are bytes); connect with `encoding: "msgpack"`
   * to get them as bytes. Bytes params are encoded either way (ENC-01).
   */
  call<A extends keyof M & string>(
    action: A,
    params: M[A]["params"],
    options?: TestClientCallOptions,
  ): Promise<ActionResponse<M[A]["data"]>>;
  /** Every event received so far, meta events included, in order. */
  readonly received: readonly Event[];
  /** WebSocket frames that were neither an event nor the response to a call. */
  readonly unexpected: readonly unknown[];
}

/**
 * Connects a fake application to a served implementation: `ws://`/`wss://`
 * opens the forward WebSocket (and waits for it to open), `http://`/
 * `https://` posts each call. Dispose it to close the socket and stop any
 * poll.
 *
 * @typeParam M The action table.
 * @param url The implementation's URL.
 * @param options The token, the encoding and the timeout.
 * @returns The client; `await using` closes it.
 * @throws {TypeError} For another scheme, or a bad option.
 * @throws {Error} When the WebSocket does not open (e.g. 401: wrong token).
 *
 * @example Over the forward WebSocket of a loopback server
 * ```ts
 * import { createOneBot } from "@libob/libob";
 * import { connectTestClient } from "@libob/libob/testing";
 * import { expect } from "expect";
 *
 * const self = { platform: "demo", user_id: "bot" };
 * await using onebot = createOneBot({ impl: "my-impl", version: "1.0.0", handlers: {} });
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, onebot.fetch);
 * await using client = await connectTestClient(`ws://127.0.0.1:${server.addr.port}/`);
 *
 * expect((await client.call("get_version", {})).data.impl).toBe("my-impl");
 * onebot.bot(self).emit.friendIncrease({ user_id: "2" });
 * expect(await client.nextEvent()).toMatchObject({ detail_type: "friend_increase" });
 * ```
 */
export async function connectTestClient<M extends { [A in keyof M]: ActionSpec } = StandardActions>(
  url: string | URL,
  options: TestClientOptions = {},
): Promise<TestClient<M>> {
  const target = new URL(url);
  const encoding = options.encoding ?? "json";
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  if (encoding !== "json" && encoding !== "msgpack") {
    throw new TypeError(
      `Cannot connect test client: encoding must be json or msgpack: current value is ${encoding}`,
    );
  }
  if (typeof timeout !== "number" || !(timeout > 0) || !Number.isFinite(timeout)) {
    throw new TypeError(
      `Cannot connect test client: timeout must be a number > 0 (ms): current value is ${timeout}`,
    );
  }
  const headers: Record<string, string> = options.token
    ? { Authorization: `Bearer ${options.token}` }
    : {};
  const settings = { url: target, encoding, timeout, headers };
  if (target.protocol === "ws:" || target.protocol === "wss:") {
    return await connectWebSocket<M>(settings);
  }
  if (target.protocol === "http:" || target.protocol === "https:") return connectHttp<M>(settings);
  throw new TypeError(
    `Cannot connect test client: url must use ws:, wss:, http: or https:: current value is ${target}`,
  );
}

interface Settings {
  url: URL;
  encoding: Encoding;
  timeout: number;
  headers: Record<string, string>;
}

function request(action: string, params: unknown, options: TestClientCallOptions): object {
  return {
    action,
    params,
    ...(options.echo === undefined ? {} : { echo: options.echo }),
    ...(options.self === undefined ? {} : { self: options.self }),
  };
}

/** Whether a decoded frame is an event rather than a response. */
function isEvent(value: unknown): value is Event {
  return typeof value === "object" && value !== null && "detail_type" in value &&
    !("retcode" in value);
}

function waits(mailbox: Mailbox, pump?: () => void) {
  function nextEvent(predicate?: EventPredicate, options?: NextEventOptions): Promise<Event> {
    const waiting = mailbox.next(predicate, options);
    pump?.();
    return waiting;
  }
  return {
    nextEvent: nextEvent as TestClient["nextEvent"],
    events(predicate?: EventPredicate, options?: NextEventOptions): AsyncIterableIterator<Event> {
      const inner = mailbox.iterate(predicate, options);
      if (pump === undefined) return inner;
      const iterator: AsyncIterableIterator<Event> = {
        [Symbol.asyncIterator]: () => iterator,
        next() {
          const step = inner.next();
          pump();
          return step;
        },
        return: () => inner.return!(),
      };
      return iterator;
    },
  };
}

/** The largest HTTP response the test client reads, in bytes (as the conformance checker). */
const MAX_RESPONSE_SIZE = 64 * 1024 * 1024;

async function connectWebSocket<M extends { [A in keyof M]: ActionSpec }>(
  settings: Settings,
): Promise<TestClient<M>> {
  const { url, encoding, timeout } = settings;
  const socket = new WebSocket(url, { headers: settings.headers });
  socket.binaryType = "arraybuffer";
  const closed = Promise.withResolvers<CloseEvent>();
  socket.addEventListener("close", (event) => closed.resolve(event));
  const received: Event[] = [];
  const unexpected: unknown[] = [];
  const mailbox = createMailbox("TestClient.nextEvent");
  /** The calls waiting for their response, by echo; all rejected when the socket closes. */
  const pending = new Map<string, PromiseWithResolvers<ActionResponse>>();
  let lastEcho = 0;
  let closeReason: string | undefined;
  socket.addEventListener("message", ({ data }) => {
    let value: unknown;
    try {
      value = typeof data === "string" ? JSON.parse(data) : decodeMsgpack(data);
    } catch {
      unexpected.push(data);
      return;
    }
    if (isEvent(value)) {
      received.push(value);
      mailbox.push(value);
      return;
    }
    const echo = (value as { echo?: unknown } | null)?.echo;
    const waiting = typeof echo === "string" ? pending.get(echo) : undefined;
    if (waiting === undefined) unexpected.push(value);
    else waiting.resolve(value as ActionResponse);
  });
  const opened = Promise.withResolvers<void>();
  socket.addEventListener("open", () => opened.resolve());
  socket.addEventListener("error", (event) => {
    opened.reject(new Error((event as ErrorEvent).message || "the WebSocket failed"));
  });
  try {
    await within(opened.promise, timeout, `no open within ${timeout} ms`);
  } catch (error) {
    if (socket.readyState !== WebSocket.CLOSED) socket.close();
    await closed.promise;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot connect test client to ${url}: ${reason}`);
  }

  void closed.promise.then(({ code, reason }) => {
    closeReason = `the WebSocket closed (${code}${reason ? ` ${reason}` : ""})`;
    mailbox.close(closeReason);
    for (const waiting of pending.values()) waiting.reject(new Error(closeReason));
  });

  async function call(
    action: string,
    params: unknown,
    options: TestClientCallOptions = {},
  ): Promise<ActionResponse> {
    if (closeReason !== undefined) throw new Error(`Cannot call ${action}: ${closeReason}`);
    const echo = options.echo ?? `libob-test-${++lastEcho}`;
    if (pending.has(echo)) throw new Error(`Cannot call ${action}: echo ${echo} is in use`);
    // Encoded first: params that cannot be encoded throw here, with nothing left waiting.
    const body = request(action, params, { ...options, echo });
    const frame = encoding === "json" ? encodeJson(body) : encodeMsgpack(body);
    const waiting = Promise.withResolvers<ActionResponse>();
    pending.set(echo, waiting);
    try {
      socket.send(frame);
      const response = await within(
        waiting.promise.catch((error: Error) => {
          throw new Error(`no response to ${action}: ${error.message}`);
        }),
        timeout,
        `no response to ${action} within ${timeout} ms`,
      );
      if (options.echo === undefined) delete (response as { echo?: string }).echo;
      return response;
    } finally {
      pending.delete(echo);
    }
  }

  return {
    transport: "websocket",
    call: call as TestClient<M>["call"],
    ...waits(mailbox),
    received,
    unexpected,
    async [Symbol.asyncDispose]() {
      mailbox.close("the test client was disposed");
      if (socket.readyState !== WebSocket.CLOSED) socket.close(1000);
      await closed.promise;
    },
  };
}

function connectHttp<M extends { [A in keyof M]: ActionSpec }>(
  settings: Settings,
): TestClient<M> {
  const { url, encoding, timeout, headers } = settings;
  const received: Event[] = [];
  const mailbox = createMailbox("TestClient.nextEvent");
  const stopped = new AbortController();

  async function post(body: object, signal: AbortSignal, ms: number): Promise<ActionResponse> {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    signal.addEventListener("abort", abort);
    const timer = setTimeout(abort, ms);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": MEDIA_TYPE[encoding], ...headers },
        body: encoding === "json" ? encodeJson(body) : encodeMsgpack(body),
        signal: controller.signal,
      });
      const read = response.body === null
        ? { bytes: new Uint8Array() }
        : await readLimited(response.body, MAX_RESPONSE_SIZE);
      if (!("bytes" in read)) {
        throw new Error(`the response is larger than ${MAX_RESPONSE_SIZE} bytes`);
      }
      const { bytes } = read;
      const type = encodingOf(response.headers.get("content-type"));
      if (response.status !== 200 || type === undefined) {
        throw new Error(
          `the implementation answered HTTP ${response.status}: ${new TextDecoder().decode(bytes)}`,
        );
      }
      return decode(bytes, type) as ActionResponse;
    } catch (error) {
      if (controller.signal.aborted && !signal.aborted) {
        throw new Error(`no response within ${ms} ms`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", abort);
    }
  }

  /**
   * Long-polls `get_latest_events` while a wait is pending. A poll is never
   * cut short when its wait ends (a client that hangs up may lose the event
   * the server was handing it): what it brings stays for the next wait.
   * Dispose aborts it.
   */
  let pumping: Promise<void> | undefined;
  function pump(): void {
    pumping ??= (async () => {
      await null; // a wait that took an unread event is no longer pending
      while (true) {
        if (stopped.signal.aborted || mailbox.waiting() === 0) {
          pumping = undefined;
          return;
        }
        try {
          const seconds = Math.ceil(timeout / 1000);
          const body = { action: "get_latest_events", params: { limit: 0, timeout: seconds } };
          const response = await post(body, stopped.signal, seconds * 1000 + timeout);
          if (response.status !== "ok") {
            throw new Error(`get_latest_events failed: ${response.retcode} ${response.message}`);
          }
          for (const event of response.data as Event[]) {
            received.push(event);
            mailbox.push(event);
          }
        } catch (error) {
          if (!stopped.signal.aborted) {
            mailbox.close(`polling failed: ${error instanceof Error ? error.message : error}`);
          }
          pumping = undefined;
          return;
        }
      }
    })();
  }

  return {
    transport: "http",
    call:
      ((action: string, params: unknown, options: TestClientCallOptions = {}) =>
        post(request(action, params, options), stopped.signal, timeout)) as TestClient<M>["call"],
    ...waits(mailbox, pump),
    received,
    unexpected: [],
    async [Symbol.asyncDispose]() {
      mailbox.close("the test client was disposed");
      stopped.abort();
      await pumping;
    },
  };
}
