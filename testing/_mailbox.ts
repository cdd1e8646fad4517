/**
 * The events a fake application has received and not yet taken: what
 * `nextEvent` and `events()` of the test kit and the test client read.
 * Taking is selective (the oldest event the predicate accepts, the rest
 * stay), so a test can wait for events in any order without losing one.
 *
 * @module
 */

import { clip } from "../_text.ts";
import type { Event } from "../event/types.ts";

/**
 * How long {@linkcode TestKit.nextEvent} and friends wait.
 *
 * @example
 * ```ts
 * import type { NextEventOptions } from "@libob/libob/testing";
 *
 * const options: NextEventOptions = { timeout: 10_000 };
 * ```
 */
export interface NextEventOptions {
  /** Milliseconds to wait before rejecting, > 0. Default 5000. */
  timeout?: number;
}

/**
 * Which events a wait accepts; a type guard narrows the result.
 *
 * @example
 * ```ts
 * import type { EventPredicate } from "@libob/libob/testing";
 *
 * const fromAlice: EventPredicate = (event) => event.user_id === "alice";
 * ```
 */
export type EventPredicate = (event: Event) => boolean;

/**
 * Waiting for received events: what a test kit and a test client share.
 *
 * @example
 * ```ts
 * import type { EventWaits } from "@libob/libob/testing";
 *
 * const next = (waits: EventWaits) => waits.nextEvent((event) => event.type === "message");
 * ```
 */
export interface EventWaits {
  /**
   * The oldest received event that `predicate` accepts and no earlier wait
   * took (without a predicate: the oldest non-meta one), now or when it
   * comes. Events the predicate refuses stay for later waits, so waits may
   * come in any order and an event received before the wait is not missed.
   * Rejects after `timeout` ms (default 5000).
   */
  nextEvent<E extends Event>(
    predicate: (event: Event) => event is E,
    options?: NextEventOptions,
  ): Promise<E>;
  /** The same, with a plain predicate (or none: the next non-meta event). */
  nextEvent(predicate?: EventPredicate, options?: NextEventOptions): Promise<Event>;
  /**
   * The events `nextEvent(predicate, options)` would return, one after the
   * other, as they come: `for await (const event of waits.events())`. Each
   * wait has the timeout; break out of the loop when done.
   */
  events(predicate?: EventPredicate, options?: NextEventOptions): AsyncIterableIterator<Event>;
}

/** The default wait, in ms. */
export const DEFAULT_TIMEOUT = 5000;

/** Unread events kept at most; beyond, the oldest is dropped. */
const MAX_UNREAD = 10_000;

/** The received, not yet taken events, with waiters. */
export interface Mailbox {
  /** Hands `event` to the first waiter that accepts it, else keeps it. */
  push(event: Event): void;
  /** The oldest accepted event, now or when it comes; rejects after the timeout or on close. */
  next(
    predicate: EventPredicate | undefined,
    options: NextEventOptions | undefined,
  ): Promise<Event>;
  /** Successive `next(predicate, options)`; ends once closed. */
  iterate(
    predicate: EventPredicate | undefined,
    options: NextEventOptions | undefined,
  ): AsyncIterableIterator<Event>;
  /** How many waits are pending. */
  waiting(): number;
  /** Forgets the unread events. */
  clear(): void;
  /** Rejects every waiter and every later wait for a new event with `reason`. */
  close(reason: string): void;
}

interface Waiter {
  accepts(event: Event): boolean;
  resolve(event: Event): void;
  reject(error: Error): void;
}

/**
 * Creates a mailbox.
 *
 * @param owner What waits, for error messages, e.g. `TestKit.nextEvent`.
 * @returns The mailbox.
 */
export function createMailbox(owner: string): Mailbox {
  const unread: Event[] = [];
  const waiters = new Set<Waiter>();
  let closed: string | undefined;

  function take(accepts: (event: Event) => boolean): Event | undefined {
    const index = unread.findIndex(accepts);
    return index === -1 ? undefined : unread.splice(index, 1)[0];
  }

  function next(
    predicate: EventPredicate | undefined,
    options: NextEventOptions | undefined,
  ): Promise<Event> {
    const timeout = options?.timeout ?? DEFAULT_TIMEOUT;
    if (typeof timeout !== "number" || !(timeout > 0) || !Number.isFinite(timeout)) {
      return Promise.reject(
        new RangeError(`${owner}: timeout must be a number > 0 (ms): current value is ${timeout}`),
      );
    }
    const accepts = predicate ?? isNotMeta;
    let found: Event | undefined;
    try {
      found = take(accepts);
    } catch (error) {
      return Promise.reject(error);
    }
    if (found !== undefined) return Promise.resolve(found);
    if (closed !== undefined) return Promise.reject(new Error(`${owner}: ${closed}`));
    const { promise, resolve, reject } = Promise.withResolvers<Event>();
    const timer: ReturnType<typeof setTimeout> = setTimeout(() => {
      waiters.delete(waiter);
      reject(
        new Error(
          `${owner}: no ${describePredicate(predicate)} within ${timeout} ms${unreadNote()}`,
        ),
      );
    }, timeout);
    const waiter: Waiter = {
      accepts,
      resolve(event) {
        clearTimeout(timer);
        resolve(event);
      },
      reject(error) {
        clearTimeout(timer);
        reject(error);
      },
    };
    waiters.add(waiter);
    return promise;
  }

  function unreadNote(): string {
    if (unread.length === 0) return " (no other event came)";
    const kinds = unread.slice(-5).map((event) => `${event.type}.${event.detail_type}`);
    return ` (${unread.length} other unread: ${kinds.join(", ")}${unread.length > 5 ? ", …" : ""})`;
  }

  return {
    push(event) {
      for (const waiter of waiters) {
        let accepted: boolean;
        try {
          accepted = waiter.accepts(event);
        } catch (error) {
          waiters.delete(waiter);
          waiter.reject(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        if (accepted) {
          waiters.delete(waiter);
          waiter.resolve(event);
          return;
        }
      }
      unread.push(event);
      if (unread.length > MAX_UNREAD) unread.shift();
    },
    next,
    iterate(predicate, options) {
      const iterator: AsyncIterableIterator<Event> = {
        [Symbol.asyncIterator]: () => iterator,
        async next() {
          if (closed !== undefined && !unread.some(predicate ?? isNotMeta)) {
            return { done: true, value: undefined };
          }
          return { done: false, value: await next(predicate, options) };
        },
        return: () => Promise.resolve({ done: true, value: undefined }),
      };
      return iterator;
    },
    waiting: () => waiters.size,
    clear() {
      unread.length = 0;
    },
    close(reason) {
      closed ??= reason;
      for (const waiter of waiters) waiter.reject(new Error(`${owner}: ${reason}`));
      waiters.clear();
    },
  };
}

function isNotMeta(event: Event): boolean {
  return event.type !== "meta";
}

/** The predicate in words: its name, or its source cut short. */
function describePredicate(predicate: EventPredicate | undefined): string {
  if (predicate === undefined) return "non-meta event";
  if (predicate.name !== "" && predicate.name !== "predicate") {
    return `event matching ${predicate.name}`;
  }
  const source = String(predicate).replace(/\s+/g, " ");
  return `event matching ${clip(source, 100)}`;
}
