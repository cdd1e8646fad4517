/**
 * HTTP Webhook (checklist §1.2, WH-01..15): events POSTed to an application,
 * one at a time and in order, with the actions of a 200 reply run in order.
 *
 * @module
 */

import { logger } from "../_log.ts";
import type { ActionRouter } from "../action/types.ts";
import type { Event } from "../event/types.ts";
import { type EncodedEvent, encodeOnce } from "./codec.ts";
import { EMIT_ENCODED, type EncodingSink } from "./fan_out.ts";
import { type FrameTap, guardTap } from "./frame.ts";
import type { EventSink } from "./types.ts";
import { checkInteger } from "../_check.ts";
import { createBoundedQueue } from "../_queue.ts";
import { checkPushTarget, USER_AGENT } from "./_push_target.ts";
import { describeError, type PostContext } from "./_webhook_post.ts";
import { createOutageLog } from "./_outage_log.ts";
import {
  createDeliveryLedger,
  type DeliveryCounts,
  drained,
  postHeaders,
} from "./_webhook_delivery.ts";

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
   * runs out, the request in flight is aborted (counted as failed), the
   * events still queued are dropped (counted and logged), and an action of a
   * reply still running sees its `signal` aborted; dispose then waits at most
   * one more second for it (logged when it does not stop). Default 5000.
   */
  drainTimeout?: number;
  /**
   * Sees every event posted, how each post ended (a `delivery` frame) and
   * every action of a reply with its result ({@linkcode FrameTap}); `peer`
   * is the URL without its query.
   */
  tap?: FrameTap;
  /**
   * Makes the current `meta.status_update`. When set, a failed post leaves
   * one owed until a `meta.status_update` is delivered. While it is owed,
   * it is tried before an event at most once a minute (a `status_update`
   * posted for any reason counts as a try), so a silent receiver costs one
   * extra timeout a minute rather than one per event; and when a post
   * succeeds, the owed status is posted right after it, before the
   * following event. So a receiver that starts after the implementation
   * (its first `status_update` went to nobody) learns which bots exist
   * after at most one event. `createOneBot` sets it unless the webhook's
   * `statusOnRecovery` is `false`.
   */
  statusUpdate?: () => Event;
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
 * counted, never retried: a retry can duplicate an event the receiver did
 * process, and the spec leaves retrying open (§9.1 item 17). They are logged
 * at `warning` once per outage and then at most once a minute with a count;
 * the first delivery after a failure logs one `info` line.
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
  const target = checkPushTarget(where, options, ["http:", "https:"]);
  const {
    impl,
    timeout,
    maxBacklog,
    maxReplySize,
    drainTimeout,
    heartbeat,
    userAgent,
    statusUpdate,
  } = checkWebhookOptions(where, options);
  const headers = postHeaders(where, impl, userAgent, target.authorization);
  const { url, shown: shownUrl, peer } = target;
  const log = logger("webhook");
  const tap = guardTap(where, options.tap, log, "http_webhook");
  const outage = createOutageLog({ log, label: "Webhook {url}", url: shownUrl });

  // Each event with its JSON text, made when first posted unless another sink made it already.
  const queue = createBoundedQueue<EncodedEvent>(maxBacklog);
  const counts: DeliveryCounts = { delivered: 0, failed: 0, dropped: 0 };
  let draining: Promise<void> | undefined;
  let closed = false;
  const abort = new AbortController();
  const context: PostContext = {
    url,
    headers,
    timeout,
    router,
    log,
    shownUrl,
    peer,
    tap,
    maxReplySize,
    signal: abort.signal,
  };
  const ledger = createDeliveryLedger(context, counts, outage, statusUpdate);

  /** The one delivery loop; `draining` is set while it runs. */
  async function drain(): Promise<void> {
    await Promise.resolve(); // `draining` is assigned before the loop can finish
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      try {
        await ledger.deliver(item);
      } catch (error) { // deliver handles every expected failure; this keeps the loop alive
        counts.failed++;
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
        counts.dropped++;
        log.warn("Webhook {url}: event {id} emitted after dispose was dropped", {
          url: shownUrl,
          id: event.id,
        });
        return;
      }
      if (!heartbeat && event.type === "meta" && event.detail_type === "heartbeat") return;
      const oldest = queue.push(item);
      if (oldest !== undefined) {
        counts.dropped++;
        log.warn(
          "Webhook {url} backlog is full ({maxBacklog}): dropped the oldest event {id}",
          { url: shownUrl, maxBacklog, id: oldest.event.id },
        );
      }
      draining ??= drain();
    },
    get delivered() {
      return counts.delivered;
    },
    get failed() {
      return counts.failed;
    },
    get dropped() {
      return counts.dropped;
    },
    async [Symbol.asyncDispose]() {
      closed = true;
      await drained(draining, { queue, counts, drainTimeout, abort, log, shownUrl });
      outage[Symbol.dispose]();
    },
  };
  return webhook;
}

/** The options `checkWebhookOptions` fills in. */
type CheckedOption =
  | "impl"
  | "timeout"
  | "maxBacklog"
  | "maxReplySize"
  | "drainTimeout"
  | "heartbeat"
  | "userAgent";

/** The options of `createWebhookEmitter` but its target, checked, with their defaults. */
function checkWebhookOptions(
  where: string,
  options: WebhookOptions,
): Required<Pick<WebhookOptions, CheckedOption>> & {
  statusUpdate: WebhookOptions["statusUpdate"] | undefined;
} {
  const {
    impl,
    timeout = 5000,
    maxBacklog = 1000,
    maxReplySize = 16 * 1024 * 1024,
    drainTimeout = 5000,
    heartbeat = true,
    userAgent = USER_AGENT,
    statusUpdate,
  } = options;
  if (typeof impl !== "string" || impl === "") {
    throw new TypeError(
      `Cannot ${where}: impl must be a non-empty string: current value is ${impl}`,
    );
  }
  if (typeof heartbeat !== "boolean") {
    throw new TypeError(`Cannot ${where}: heartbeat must be a boolean`);
  }
  if (statusUpdate !== undefined && typeof statusUpdate !== "function") {
    throw new TypeError(
      `Cannot ${where}: statusUpdate must be a function: current value is ${typeof statusUpdate}`,
    );
  }
  checkInteger(where, "timeout", timeout, 0);
  checkInteger(where, "maxBacklog", maxBacklog, 0);
  checkInteger(where, "maxReplySize", maxReplySize, 1);
  checkInteger(where, "drainTimeout", drainTimeout, 0);
  return {
    impl,
    timeout,
    maxBacklog,
    maxReplySize,
    drainTimeout,
    heartbeat,
    userAgent,
    statusUpdate,
  };
}
