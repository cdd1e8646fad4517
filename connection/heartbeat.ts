/**
 * Heartbeats (META-H1, checklist §3.5).
 *
 * @module
 */

import { checkInteger } from "../_check.ts";
import { logger } from "../_log.ts";
import { heartbeatEvent } from "../event/meta.ts";
import type { Event } from "../event/types.ts";
import { createFailureLog } from "./_failure_log.ts";

/**
 * Emits a `meta.heartbeat` every `interval` milliseconds until disposed.
 * `emit` runs in isolation: a throw or a rejected promise is logged (the
 * first at once, then at most one line a minute) and the timer goes on.
 *
 * @param emit Where heartbeats go.
 * @param interval Milliseconds between heartbeats, > 0; also the event's `interval`.
 * @returns A disposable that stops the timer.
 * @throws {RangeError} When `interval` is not an integer > 0 (§9.1 item 13).
 *
 * @example
 * ```ts
 * import { startHeartbeat } from "@libob/libob";
 *
 * using heartbeat = startHeartbeat(() => {}, 5000);
 * ```
 */
export function startHeartbeat(emit: (event: Event) => void, interval: number): Disposable {
  checkInteger("start heartbeat", "interval", interval, 1);
  const failures = createFailureLog<Event>({
    log: logger("heartbeat"),
    label: "The heartbeat callback",
    name: "heartbeat",
    detail: (event) => ({ id: event.id }),
  });
  const timer: ReturnType<typeof setInterval> = setInterval(
    () => failures.call(emit, heartbeatEvent(interval)),
    interval,
  );
  return {
    [Symbol.dispose]() {
      clearInterval(timer);
      failures[Symbol.dispose]();
    },
  };
}
