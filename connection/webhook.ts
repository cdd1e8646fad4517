/**
 * HTTP Webhook (checklist §1.2, WH-01..15): events POSTed to an application,
 * one at a time and in order, with the actions of a 200 reply run in order.
 *
 * @module
 */

import { logger, redactUrl } from "../_log.ts";
import type { ActionRouter } from "../action/types.ts";
import type { Event } from "../event/types.ts";
import { decode, type EncodedEvent, encodeOnce, encodingOf, MEDIA_TYPE } from "./codec.ts";
import { EMIT_ENCODED, type EncodingSink } from "./fan_out.ts";
import { readLimited } from "../_read_limited.ts";
import { type FrameTap, guardTap } from "./frame.ts";
import type { EventSink } from "./types.ts";
import { checkInteger } from "../_check.ts";
import { createBoundedQueue } from "../_queue.ts";
import { checkPushTarget, refusalReason, USER_AGENT } from "./_push_target.ts";

/**
 * Options of {@linkcode createWebhookEmitter}.
 *
 * @example
 * ```ts
 * import type { WebhookOptions } from "@libob/libob";
 *
 * const options: WebhookOptions = { url: "http://127.0.0.1:8080/onebot", impl: "demo" };
 * ```
 */
export interface WebhookOptions {
  /** Where events are POSTed (`http:` or `https:`). */
  url: string;
  /** The implementation name, sent as `X-Impl` (WH-05). */
  impl: string;
  /** The access token, sent as `Authorization: Bearer …` (WH-06). */
  accessToken?: string | undefined;
  /** Put the token in the `access_token` query parameter instead of a header. Default `false`. */
  tokenInQuery?: boolean;
  /** Request timeout in milliseconds; `0` = none (WH-08). Default 5000. */
  timeout?: number;
  /** The `User-Agent` header (WH-03). Default `OneBot/12 libob/<version>`. */
  userAgent?: string;
  /**
   * Events waiting for delivery; beyond it the oldest is dropped and counted.
   * `0` means unlimited, as in every size option of libob: memory then
   * grows for as long as the receiver is slower than the events. Default 1000.
   */
  maxBacklog?: number;
  /**
   * Largest reply body read, in bytes. A larger reply (by its `Content-Length`,
   * or counted while reading) is not read further: it is cancelled, logged,
   * and its actions are not run. Default 16 MiB.
   */
  maxReplySize?: number;
  /**
   * Send `meta.heartbeat` events to this webhook: when `false`, `emit` skips
   * `meta.heartbeat` events (and only those). Default `true`: the spec does
   * not exclude heartbeats from webhooks and go-libonebot sends them, while
   * walle-core does not (WH-15, checklist §9.1 item 17).
   */
  heartbeat?: boolean;
  /**
   * How long dispose waits for queued and in-flight posts, in ms. When it
   * runs out, the request in flight is aborted (counted as failed) and the
   * events still queued are dropped (counted and logged). Default 5000.
   */
  drainTimeout?: number;
  /**
   * Sees every event posted and every action of a reply with its result
   * ({@linkcode FrameTap}); `peer` is the URL without its query.
   */
  tap?: FrameTap;
}

/**
 * A webhook: an event sink with delivery counters.
 *
 * @example
 * ```ts
 * import type { WebhookEmitter } from "@libob/libob";
 *
 * const lost = (webhook: WebhookEmitter) => webhook.dropped + webhook.failed;
 * ```
 */
export interface WebhookEmitter extends EventSink {
  /** Events the receiver accepted (204 or 200). */
  readonly delivered: number;
  /** Posts that failed: network error, timeout or another status (WH-08, WH-13). */
  readonly failed: number;
  /** Events dropped: from a full backlog, left queued at dispose, or emitted after it. */
  readonly dropped: number;
}

/**
 * Creates a webhook emitter for one URL. `emit` only enqueues: one loop posts
 * the events strictly in order, one request at a time over a keep-alive
 * connection, so a slow or dead receiver delays nothing else (HTTP-14).
 * Failed posts (network error, timeout, a status other than 204 or 200) are
 * logged and counted, never retried: a retry can duplicate an event the
 * receiver did process, and the spec leaves retrying open (§9.1 item 17).
 * Beyond `maxBacklog` queued events the oldest is dropped and counted. The
 * access token never appears in a log line. A 200 reply is read by its
 * `Content-Type` (JSON or MessagePack) as a list of action requests, run one
 * after another through the router with their responses discarded (WH-10,
 * WH-11); anything malformed is logged, never thrown (WH-12, WH-14).
 *
 * @param router The router that runs actions returned in 200 replies.
 * @param options URL, impl, token, timeout and limits.
 * @returns The emitter; dispose it to drain what is queued.
 * @throws {TypeError} When `url` is not an http(s) URL, `impl` is empty, a header value
 * is invalid, or the token has surrounding white space.
 * @throws {RangeError} When a timeout or limit is out of range.
 *
 * @example Delivering one event to a loopback receiver
 * ```ts
 * import { createActionRouter, createEvent, createWebhookEmitter } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const received: unknown[] = [];
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (r) => {
 *   received.push(await r.json());
 *   return new Response(null, { status: 204 });
 * });
 * const router = createActionRouter({ handlers: {}, bots: () => [] });
 * {
 *   await using webhook = createWebhookEmitter(router, {
 *     url: `http://127.0.0.1:${server.addr.port}/`,
 *     impl: "demo",
 *   });
 *   webhook.emit(createEvent({ type: "meta", detail_type: "heartbeat", interval: 5000 }));
 * } // disposing drains the queue
 * expect(received).toHaveLength(1);
 * ```
 */
export function createWebhookEmitter(
  router: ActionRouter,
  options: WebhookOptions,
): WebhookEmitter {
  const where = "create webhook emitter";
  const {
    impl,
    timeout = 5000,
    maxBacklog = 1000,
    maxReplySize = 16 * 1024 * 1024,
    drainTimeout = 5000,
    heartbeat = true,
    userAgent = USER_AGENT,
  } = options;
  const target = checkPushTarget(where, options, ["http:", "https:"]);
  if (typeof impl !== "string" || impl === "") {
    throw new TypeError(
      `Cannot ${where}: impl must be a non-empty string: current value is ${impl}`,
    );
  }
  if (typeof heartbeat !== "boolean") {
    throw new TypeError(`Cannot ${where}: heartbeat must be a boolean`);
  }
  checkInteger(where, "timeout", timeout, 0);
  checkInteger(where, "maxBacklog", maxBacklog, 0);
  checkInteger(where, "maxReplySize", maxReplySize, 1);
  checkInteger(where, "drainTimeout", drainTimeout, 0);
  let headers: Headers;
  try {
    // Built once: an invalid impl or User-Agent fails here, not at every post.
    headers = new Headers({
      "Content-Type": MEDIA_TYPE.json, // WH-02, WH-07
      "User-Agent": userAgent, // WH-03
      "X-OneBot-Version": "12", // WH-04
      "X-Impl": impl, // WH-05
    });
  } catch {
    throw new TypeError(`Cannot ${where}: impl and userAgent must be valid header values`);
  }
  if (target.authorization !== undefined) headers.set("Authorization", target.authorization);
  const { url, shown: shownUrl, peer } = target;
  const log = logger("webhook");
  const tap = guardTap(where, options.tap, log, "http_webhook");

  // Each event with its JSON text, made when first posted unless another sink made it already.
  const queue = createBoundedQueue<EncodedEvent>(maxBacklog);
  let delivered = 0;
  let failedPosts = 0;
  let dropped = 0;
  let draining: Promise<void> | undefined;
  let closed = false;
  const abort = new AbortController();

  async function post({ event, json }: EncodedEvent): Promise<void> {
    const body = json();
    if (body === undefined) {
      dropped++;
      return;
    }
    tap?.({
      direction: "out",
      type: "event",
      connection: "http_webhook",
      peer,
      encoding: "json",
      data: event,
    });
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers,
        redirect: "manual", // a redirect is a failed push (WH-13), not a second POST elsewhere
        body,
        signal: timeout > 0
          ? AbortSignal.any([abort.signal, AbortSignal.timeout(timeout)])
          : abort.signal,
      });
    } catch (error) {
      failedPosts++;
      // Deno's fetch error carries the full URL in its cause: log a redacted text only.
      log.warn("Webhook {url} failed for event {id}: {error}", {
        url: shownUrl,
        id: event.id,
        error: describeError(error),
      });
      return;
    }
    if (response.status === 204) {
      delivered++;
      await cancelBody(response);
      return;
    }
    if (response.status !== 200) { // WH-13
      failedPosts++;
      // The peer's reason, when it is short text, is what makes a refusal obvious in the log.
      const reason = await refusalReason(response);
      log.warn(
        reason === undefined
          ? "Webhook {url} answered {status} for event {id}"
          : "Webhook {url} answered {status} for event {id}: {reason}",
        { url: shownUrl, status: response.status, id: event.id, reason },
      );
      return;
    }
    delivered++;
    const bytes = await readReply(response, event);
    if (bytes !== undefined) await runReply(response, bytes);
  }

  /** A 200 reply's body, read up to `maxReplySize` bytes; `undefined` when it is not read. */
  async function readReply(response: Response, event: Event): Promise<Uint8Array | undefined> {
    const length = response.headers.get("content-length");
    let size = length !== null && /^\d+$/.test(length) ? Number(length) : 0;
    try {
      if (size <= maxReplySize) {
        const read = response.body === null
          ? { bytes: new Uint8Array() }
          : await readLimited(response.body, maxReplySize);
        if ("bytes" in read) return read.bytes;
        size = read.exceeded;
      } else {
        await cancelBody(response);
      }
    } catch (error) {
      log.warn("Webhook {url}: the reply body could not be read: {error}", {
        url: shownUrl,
        error: describeError(error),
      });
      return undefined;
    }
    log.warn(
      "Webhook {url}: the reply to event {id} is larger than {maxReplySize} bytes " +
        "({size} or more): dropped unread, its actions not run",
      { url: shownUrl, id: event.id, maxReplySize, size },
    );
    return undefined;
  }

  /** WH-10..14: a 200 reply may carry a list of actions to run in order. */
  async function runReply(response: Response, bytes: Uint8Array): Promise<void> {
    if (bytes.byteLength === 0) return;
    const encoding = encodingOf(response.headers.get("content-type"));
    if (encoding === undefined) {
      log.error("Webhook {url}: unsupported reply Content-Type {type}", {
        url: shownUrl,
        type: response.headers.get("content-type"),
      });
      return;
    }
    let actions: unknown;
    try {
      actions = decode(bytes, encoding);
    } catch {
      log.error("Webhook {url}: the reply is not valid {encoding}", { url: shownUrl, encoding });
      return;
    }
    if (!Array.isArray(actions)) {
      log.error("Webhook {url}: the reply is not a list of action requests", { url: shownUrl });
      return;
    }
    for (const [index, request] of actions.entries()) {
      if (abort.signal.aborted) {
        log.warn("Webhook {url}: {left} returned action(s) skipped at dispose", {
          url: shownUrl,
          left: actions.length - index,
        });
        return;
      }
      tap?.({
        direction: "in",
        type: "action",
        connection: "http_webhook",
        peer,
        encoding,
        data: request,
      });
      let result;
      try {
        result = await router(request, { connection: "http_webhook" });
      } catch (error) { // a router never throws, but a hand-written one might
        log.error("Webhook {url}: a returned action threw: {error}", {
          url: shownUrl,
          error: describeError(error),
        });
        continue;
      }
      tap?.({
        direction: "out",
        type: "response",
        connection: "http_webhook",
        peer,
        encoding,
        data: result,
      });
      if (result.status === "failed") {
        log.warn("Webhook {url}: a returned action failed with {retcode}: {message}", {
          url: shownUrl,
          retcode: result.retcode,
          message: result.message,
        });
      }
    }
  }

  /** The one delivery loop; `draining` is set while it runs. */
  async function drain(): Promise<void> {
    await Promise.resolve(); // `draining` is assigned before the loop can finish
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      try {
        await post(item);
      } catch (error) { // post handles every expected failure; this keeps the loop alive
        failedPosts++;
        log.error("Webhook {url}: unexpected error for event {id}: {error}", {
          url: shownUrl,
          id: item.event.id,
          error: describeError(error),
        });
      }
      if (abort.signal.aborted) break;
    }
    draining = undefined;
  }

  const webhook: WebhookEmitter & EncodingSink = {
    emit(event) {
      webhook[EMIT_ENCODED](encodeOnce(event, log));
    },
    [EMIT_ENCODED](item) {
      const { event } = item;
      if (closed) {
        dropped++;
        log.warn("Webhook {url}: event {id} emitted after dispose was dropped", {
          url: shownUrl,
          id: event.id,
        });
        return;
      }
      if (!heartbeat && event.type === "meta" && event.detail_type === "heartbeat") return;
      const oldest = queue.push(item);
      if (oldest !== undefined) {
        dropped++;
        log.warn(
          "Webhook {url} backlog is full ({maxBacklog}): dropped the oldest event {id}",
          { url: shownUrl, maxBacklog, id: oldest.event.id },
        );
      }
      draining ??= drain();
    },
    get delivered() {
      return delivered;
    },
    get failed() {
      return failedPosts;
    },
    get dropped() {
      return dropped;
    },
    async [Symbol.asyncDispose]() {
      closed = true;
      if (draining === undefined) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<"expired">((resolve) => {
        timer = setTimeout(() => resolve("expired"), drainTimeout);
      });
      const outcome = await Promise.race([draining.then(() => "done" as const), expired]);
      clearTimeout(timer);
      if (outcome === "expired") {
        const left = queue.take(0).length;
        dropped += left;
        log.warn(
          "Webhook {url}: {left} event(s) not delivered within {drainTimeout} ms of dispose",
          {
            url: shownUrl,
            left,
            drainTimeout,
          },
        );
        abort.abort();
        await draining;
      }
    },
  };
  return webhook;
}

/** Consumes nothing more of a reply: cancelling frees the keep-alive connection. */
async function cancelBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // the connection is already gone
  }
}

/** An error as redacted text, causes included (they may name the URL with its token). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && depth < 4; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return redactUrl(parts.join(" (cause: ") + ")".repeat(parts.length - 1));
}
