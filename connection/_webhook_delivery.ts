/**
 * What a webhook does with each post's outcome (counts, the outage log, the
 * `delivery` frame, the owed `meta.status_update`), the headers of every
 * post, and the bounded wait of dispose. Private: not exported from `mod.ts`.
 *
 * @module
 */

import type { Log } from "../_log.ts";
import type { Event } from "../event/types.ts";
import { type EncodedEvent, encodeOnce, MEDIA_TYPE } from "./codec.ts";
import { raceTimeout, TIMED_OUT } from "../_time.ts";
import type { BoundedQueue } from "../_queue.ts";
import { type PostContext, postEvent, runReply } from "./_webhook_post.ts";
import type { OutageLog } from "./_outage_log.ts";
import { FAILURE_REPORT_INTERVAL } from "./_failure_log.ts";

/**
 * How long dispose waits, once `drainTimeout` ran out and it aborted, for the
 * post or the reply's action in flight to stop, in ms: a handler that ignores
 * its `signal` must not hold dispose forever.
 */
const ABORT_TIMEOUT = 1000;

/** A webhook's counts of how its posts ended. */
export interface DeliveryCounts {
  delivered: number;
  failed: number;
  dropped: number;
}

/** Posts the events of a webhook's queue, one at a time, and keeps the books. */
export interface DeliveryLedger {
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
export function createDeliveryLedger(
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
      outage.failed(outcome.message, { ...outcome.properties, id: event.id }); // the outage log adds the url
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
export interface DrainState {
  queue: BoundedQueue<EncodedEvent>;
  counts: DeliveryCounts;
  drainTimeout: number;
  abort: AbortController;
  log: Log;
  shownUrl: string;
}

/** Waits for the queue to empty, up to `drainTimeout`; then drops what is left. */
export async function drained(
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
export function postHeaders(
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

/** Whether an event is a `meta.status_update`. */
export function isStatusUpdate(event: Event): boolean {
  return event.type === "meta" && event.detail_type === "status_update";
}
