/**
 * The unread-event buffer behind `get_latest_events` (HTTP-12..16, §3.1).
 *
 * @module
 */

import type { Event } from "./types.ts";
import { checkInteger } from "../_check.ts";
import { createBoundedQueue } from "../_queue.ts";

/**
 * Options of {@linkcode createEventBuffer}.
 *
 * @example
 * ```ts
 * import type { EventBufferOptions } from "@libob/libob";
 *
 * const options: EventBufferOptions = { size: 100 };
 * ```
 */
export interface EventBufferOptions {
  /**
   * Unread events kept; beyond it the oldest is dropped (HTTP-13). `0` means
   * unlimited, as in every libob option that counts items (byte limits must
   * be > 0). Default 1000.
   */
  size?: number;
  /**
   * Long polls waiting at once; a poll beyond it returns `[]` at once
   * (HTTP-16). `0` means unlimited. Default 64.
   */
  maxWaiters?: number;
}

/**
 * A bounded FIFO of unread non-meta events with long-poll waiters.
 *
 * Concurrent polls (HTTP-16): waiting polls are served in arrival order and
 * every event goes to exactly one poll, so no two callers ever get the same
 * event; a poll that finds nothing left returns `[]` at its timeout.
 *
 * @example
 * ```ts
 * import { createEventBuffer, type EventBuffer } from "@libob/libob";
 *
 * const buffer: EventBuffer = createEventBuffer({ size: 10 });
 * ```
 */
export interface EventBuffer extends Disposable {
  /** Adds an event; meta events are ignored (§3.1: never returned). */
  push(event: Event): void;
  /**
   * Takes up to `limit` unread events (0 = all), oldest first. With none
   * unread and `timeoutMs` > 0, waits until the first event arrives or the
   * time is up (then `[]`). An aborted `signal` ends the wait with `[]`.
   */
  poll(limit: number, timeoutMs: number, signal?: AbortSignal): Promise<Event[]>;
  /** How many unread events there are. */
  readonly length: number;
  /** How many events were dropped because the buffer was full. */
  readonly dropped: number;
}

interface Waiter {
  limit: number;
  resolve: (events: Event[]) => void;
  timer: ReturnType<typeof setTimeout>;
  cleanup: () => void;
}

/**
 * Creates an event buffer.
 *
 * @param options Size and waiter limits.
 * @returns The buffer; dispose it to release waiting polls (later polls
 * then return at once).
 * @throws {RangeError} When a limit is negative or not an integer.
 *
 * @example Polls consume events, and skip meta events
 * ```ts
 * import { createEvent, createEventBuffer } from "@libob/libob";
 * import { expect } from "expect";
 *
 * using buffer = createEventBuffer({ size: 2 });
 * const self = { platform: "demo", user_id: "bot" };
 * for (const user_id of ["a", "b", "c"]) {
 *   buffer.push(createEvent({ type: "notice", detail_type: "friend_increase", self, user_id }));
 * }
 * buffer.push(createEvent({ type: "meta", detail_type: "heartbeat", interval: 1 }));
 * const events = await buffer.poll(0, 0);
 * expect(events.map((e) => e.user_id)).toEqual(["b", "c"]);
 * expect(await buffer.poll(0, 0)).toEqual([]);
 * ```
 */
export function createEventBuffer(options: EventBufferOptions = {}): EventBuffer {
  const { size = 1000, maxWaiters = 64 } = options;
  checkInteger("create event buffer", "size", size, 0);
  checkInteger("create event buffer", "maxWaiters", maxWaiters, 0);
  const items = createBoundedQueue<Event>(size);
  let dropped = 0;
  const waiters: Waiter[] = [];
  let wakeQueued = false;
  let disposed = false;

  // Woken in a microtask so that a synchronous burst of events reaches one poll together.
  function wake(): void {
    wakeQueued = false;
    while (waiters.length > 0 && items.length > 0) {
      const waiter = waiters.shift()!;
      waiter.cleanup();
      waiter.resolve(items.take(waiter.limit));
    }
  }

  function remove(waiter: Waiter): void {
    const index = waiters.indexOf(waiter);
    if (index !== -1) waiters.splice(index, 1);
    waiter.cleanup();
  }

  return {
    push(event) {
      if (event.type === "meta") return;
      if (items.push(event) !== undefined) dropped++;
      if (waiters.length > 0 && !wakeQueued) {
        wakeQueued = true;
        queueMicrotask(wake);
      }
    },
    poll(limit, timeoutMs, signal) {
      // After dispose nothing may wait: no timer may outlive the buffer's owner.
      if (items.length > 0 || timeoutMs <= 0 || signal?.aborted || disposed) {
        return Promise.resolve(items.take(limit));
      }
      if (waiters.length >= maxWaiters && maxWaiters > 0) return Promise.resolve([]);
      return new Promise<Event[]>((resolve) => {
        const onAbort = (): void => {
          remove(waiter);
          resolve([]);
        };
        const waiter: Waiter = {
          limit,
          resolve,
          timer: setTimeout(() => {
            remove(waiter);
            resolve([]);
          }, timeoutMs),
          cleanup: () => {
            clearTimeout(waiter.timer);
            signal?.removeEventListener("abort", onAbort);
          },
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        waiters.push(waiter);
      });
    },
    get length() {
      return items.length;
    },
    get dropped() {
      return dropped;
    },
    [Symbol.dispose]() {
      disposed = true;
      for (const waiter of waiters.splice(0)) {
        waiter.cleanup();
        waiter.resolve([]);
      }
    },
  };
}
