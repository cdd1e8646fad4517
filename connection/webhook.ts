/**
 * HTTP Webhook (checklist §1.2, WH-01..15): events POSTed to an application,
 * one at a time and in order, with the actions of a 200 reply run in order.
 *
 * @module
 */

import { type Log, logger } from "../_log.ts";
import type { ActionRouter } from "../action/types.ts";
import type { Event } from "../event/types.ts";
import { type EncodedEvent, encodeOnce, MEDIA_TYPE } from "./codec.ts";
import { EMIT_ENCODED, type EncodingSink } from "./fan_out.ts";
import { type FrameTap, guardTap } from "./frame.ts";
import type { EventSink } from "./types.ts";
import { checkInteger } from "../_check.ts";
import { raceTimeout, TIMED_OUT } from "../_time.ts";
import { type BoundedQueue, createBoundedQueue } from "../_queue.ts";
import { checkPushTarget, USER_AGENT } from "./_push_target.ts";
import { describeError, type PostContext, postEvent, runReply } from "./_webhook_post.ts";
import { createOutageLog, type OutageLog } from "./_outage_log.ts";
import { FAILURE_REPORT_INTERVAL } from "./_failure_log.ts";

/**
 * How long dispose waits, once `drainTimeout` ran out and it aborted, for the
 * post or the reply's action in flight to stop, in ms: a handler that ignores
 * its `signal` must not hold dispose forever.
 */
const ABORT_TIMEOUT = 1000;

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

/** A webhook's counts of how its posts ended. */
interface DeliveryCounts {
  delivered: number;
  failed: number;
  dropped: number;
}

/** Posts the events of a webhook's queue, one at a time, and keeps the books. */
interface DeliveryLedger {
  /**
   * Posts one queued event and the `meta.status_update` it owes around it;
   * counts, logs and taps how each post ended.
   */
  deliver(item: EncodedEvent): Promise<void>;
}

/**
 * The outcome bookkeeping of a webhook: the counts, the outage log, the
 * delivery taps, and the `meta.status_update` owed since a failed post
 * (`statusUpdate`).
 */
function createDeliveryLedger(
  context: PostContext,
  counts: DeliveryCounts,
  outage: OutageLog,
  statusUpdate: (() => Event) | undefined,
): DeliveryLedger {
  const { log, shownUrl, peer, tap } = context;
  /** A post failed and no `meta.status_update` was delivered since (`statusUpdate`). */
  let statusOwed = false;
  /** When a `meta.status_update` was last posted, by `performance.now()`. */
  let statusTriedAt = -Infinity;

  /**
   * Posts one event, then counts, logs and taps how it ended, and runs a 200
   * reply; resolves with whether the receiver accepted it.
   */
  async function post(item: EncodedEvent): Promise<boolean> {
    const { event } = item;
    if (isStatusUpdate(event)) statusTriedAt = performance.now();
    const outcome = await postEvent(context, item);
    if (outcome.kind === "dropped") {
      counts.dropped++;
    } else if (outcome.kind === "failed") {
      counts.failed++;
      statusOwed = statusUpdate !== undefined;
      outage.failed(outcome.message, { ...outcome.properties, url: shownUrl, id: event.id });
      const { status, error } = outcome.properties;
      tapDelivery(event, typeof status === "number" ? { status } : { error: String(error) });
    } else {
      counts.delivered++;
      if (isStatusUpdate(event)) statusOwed = false;
      outage.succeeded("Webhook {url} delivers again, after {failures} failed post(s)");
      tapDelivery(event, { status: outcome.status });
      if (outcome.reply !== undefined) await runReply(context, outcome.reply, event);
      return true;
    }
    return false;
  }

  function tapDelivery(event: Event, outcome: { status: number } | { error: string }): void {
    tap?.({
      direction: "in",
      type: "delivery",
      connection: "http_webhook",
      peer,
      encoding: "json",
      data: { event_id: event.id, ...outcome },
    });
  }

  /** Posts the current `meta.status_update`, owed since a failed post. */
  async function postStatus(): Promise<void> {
    let event: Event;
    try {
      event = statusUpdate!();
    } catch (error) {
      statusOwed = false; // one line per outage, not one per event
      log.error("Webhook {url}: statusUpdate threw: {error}", { url: shownUrl, error });
      return;
    }
    await post(encodeOnce(event, log));
  }

  return {
    async deliver(item) {
      // While the receiver is down, the owed status costs one more post a minute, not one per event.
      const statusDue = performance.now() - statusTriedAt >= FAILURE_REPORT_INTERVAL;
      if (statusOwed && statusDue && !isStatusUpdate(item.event)) await postStatus();
      // Once it is back, it gets the status right after its first delivery.
      if (await post(item) && statusOwed && !context.signal.aborted) await postStatus();
    },
  };
}

/** What a webhook's dispose needs to wait for its queue. */
interface DrainState {
  queue: BoundedQueue<EncodedEvent>;
  counts: DeliveryCounts;
  drainTimeout: number;
  abort: AbortController;
  log: Log;
  shownUrl: string;
}

/** Waits for the queue to empty, up to `drainTimeout`; then drops what is left. */
async function drained(
  draining: Promise<void> | undefined,
  { queue, counts, drainTimeout, abort, log, shownUrl }: DrainState,
): Promise<void> {
  if (draining === undefined) return;
  if (await raceTimeout(draining, drainTimeout) !== TIMED_OUT) return;
  const left = queue.take(0).length;
  counts.dropped += left;
  log.warn(
    "Webhook {url}: {left} event(s) not delivered within {drainTimeout} ms of dispose",
    { url: shownUrl, left, drainTimeout },
  );
  abort.abort();
  if (await raceTimeout(draining, ABORT_TIMEOUT) === TIMED_OUT) {
    log.warn(
      "Webhook {url}: an action of a webhook reply did not stop within {timeout} ms of " +
        "dispose's abort; left running",
      { url: shownUrl, timeout: ABORT_TIMEOUT },
    );
  }
}
/** The headers of every post, built once: an invalid impl or User-Agent fails here. */
function postHeaders(
  where: string,
  impl: string,
  userAgent: string,
  authorization: string | undefined,
): Headers {
  let headers: Headers;
  try {
    headers = new Headers({
      "Content-Type": MEDIA_TYPE.json, // WH-02, WH-07
      "User-Agent": userAgent, // WH-03
      "X-OneBot-Version": "12", // WH-04
      "X-Impl": impl, // WH-05
    });
  } catch {
    throw new TypeError(`Cannot ${where}: impl and userAgent must be valid header values`);
  }
  if (authorization !== undefined) headers.set("Authorization", authorization); // WH-06
  return headers;
}

function isStatusUpdate(event: Event): boolean {
  return event.type === "meta" && event.detail_type === "status_update";
}
