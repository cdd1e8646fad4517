/**
 * Calls into user code (event sinks, frame taps, heartbeat callbacks) in
 * isolation: a throw or a rejected promise is caught and logged, never passed
 * on to the caller, a timer or the event loop. Private: not exported from
 * `mod.ts`.
 *
 * Failures are logged once per burst, so that a callback that fails on every
 * event cannot flood the log:
 *
 * - the first failure is logged at once, at `error`, with the callback's name
 *   and the error;
 * - failures in the following minute are only counted;
 * - the first call after that minute (failed or not) logs one line with the
 *   count and the last error, and opens the next minute;
 * - disposing logs what is still counted.
 *
 * So one callback writes at most one line a minute, whatever the event rate.
 *
 * @module
 */

import type { Log } from "../_log.ts";

/** How long failures after a logged one are only counted, in ms. */
export const FAILURE_REPORT_INTERVAL = 60_000;

/** Options of {@linkcode createFailureLog}. */
export interface FailureLogOptions<T> {
  /** Where failures are logged. */
  log: Log;
  /**
   * What fails, as the start of each log line, usually with a `{name}`
   * placeholder: `Event sink {name}`. A constant: it is a message template.
   */
  label: string;
  /** Which one: the `{name}` of each line. */
  name: string;
  /** More properties for the line of a failure, from the value the callback got. */
  detail?: (value: T) => Record<string, unknown>;
  /** Milliseconds failures are only counted after a logged line. Default one minute. */
  interval?: number;
  /** The clock, in ms. Default `performance.now`. */
  now?: () => number;
}

/** One callback's failure record; dispose it to log what is still counted. */
export interface FailureLog<T> extends Disposable {
  /**
   * Calls `callback(value)`. A throw, or a promise it returns that rejects,
   * is recorded and logged by the burst rule; nothing is ever thrown.
   */
  call(callback: (value: T) => unknown, value: T): void;
  /** Records a failure of the callback found by other means (its own `catch`). */
  failed(error: unknown, value: T): void;
}

/**
 * Creates the failure record of one callback of user code.
 *
 * @param options Logger, label, name and (for tests) the clock.
 * @returns The record; {@linkcode FailureLog.call} runs the callback.
 */
export function createFailureLog<T>(options: FailureLogOptions<T>): FailureLog<T> {
  const { log, label, name, detail, interval = FAILURE_REPORT_INTERVAL } = options;
  const now = options.now ?? (() => performance.now());
  /** When the last line was logged; `undefined` before the first failure. */
  let reportedAt: number | undefined;
  /** Failures since the last line, not logged yet. */
  let counted = 0;
  let lastError: unknown;

  function failed(error: unknown, value: T): void {
    const time = now();
    if (reportedAt !== undefined && time - reportedAt < interval) {
      counted++;
      lastError = error;
      return;
    }
    const properties = { name, error, ...detail?.(value) };
    if (counted === 0) {
      log.error(`${label} failed: {error}`, properties);
    } else {
      const message =
        `${label} failed {counted} more time(s) since the last report, and again: {error}`;
      log.error(message, { ...properties, counted });
    }
    counted = 0;
    lastError = undefined;
    reportedAt = time;
  }

  /** Logs the failures counted but not logged yet, if any. */
  function flush(time: number): void {
    log.error(`${label} failed {counted} more time(s) since the last report; last error: {error}`, {
      name,
      counted,
      error: lastError,
    });
    counted = 0;
    lastError = undefined;
    reportedAt = time;
  }

  function succeeded(): void {
    if (counted === 0) return;
    const time = now();
    if (time - reportedAt! >= interval) flush(time);
  }

  return {
    call(callback, value) {
      try {
        const result = callback(value);
        if (typeof result === "object" && result !== null && "then" in result) {
          // An async callback: its rejection must not become an unhandled one.
          Promise.resolve(result).then(succeeded, (error: unknown) => failed(error, value));
          return;
        }
      } catch (error) {
        failed(error, value);
        return;
      }
      succeeded();
    },
    failed,
    [Symbol.dispose]() {
      if (counted > 0) flush(now());
    },
  };
}
