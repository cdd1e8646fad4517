/**
 * The log of one push target (a webhook, a reverse WebSocket) that may be
 * down: a dead target must not flood the log, whatever the event rate or the
 * reconnect interval. Private: not exported from `mod.ts`.
 *
 * - The first failure after a success (or at start) is logged at once, at
 *   `warning`, as the caller words it.
 * - Failures in the following minute are only counted.
 * - The first failure after that minute is logged with the count of those
 *   not shown, and opens the next minute.
 * - The first success after a failure logs one `info` line with the count of
 *   failures in all ("recovered").
 * - Disposing logs the failures counted and not shown yet, if any.
 *
 * So a dead target writes at most one line a minute.
 *
 * @module
 */

import type { Log } from "../_log.ts";
import { FAILURE_REPORT_INTERVAL } from "./_failure_log.ts";

/** Options of {@linkcode createOutageLog}. */
export interface OutageLogOptions {
  /** Where the lines go. */
  log: Log;
  /** The target as each line starts, a constant template: `Webhook {url}`. */
  label: string;
  /** The target's `{url}`, with no token in it. */
  url: string;
  /** Milliseconds failures are only counted after a logged one. Default one minute. */
  interval?: number;
  /** The clock, in ms. Default `performance.now`. */
  now?: () => number;
}

/** The outage record of one target; dispose it to log the failures not shown yet. */
export interface OutageLog extends Disposable {
  /** Whether the last attempt failed. */
  readonly failing: boolean;
  /**
   * Records a failed attempt, logged by the rule above: `message` is a
   * constant template, `properties` its values (`url` is added).
   */
  failed(message: string, properties?: Record<string, unknown>): void;
  /**
   * Records a successful attempt. After a failure it logs `message` at
   * `info` with `{failures}`, the failed attempts in all, and returns `true`;
   * otherwise it logs nothing and returns `false`.
   */
  succeeded(message: string, properties?: Record<string, unknown>): boolean;
}

/**
 * Creates the outage record of one push target.
 *
 * @param options Logger, label and URL (and, for tests, the clock).
 * @returns The record.
 */
export function createOutageLog(options: OutageLogOptions): OutageLog {
  const { log, label, url, interval = FAILURE_REPORT_INTERVAL } = options;
  const now = options.now ?? (() => performance.now());
  /** Failed attempts since the last success; 0 while the target works. */
  let failures = 0;
  /** Failures counted since the last line, not logged. */
  let hidden = 0;
  let reportedAt = 0;

  return {
    get failing() {
      return failures > 0;
    },
    failed(message, properties = {}) {
      failures++;
      const time = now();
      if (failures > 1 && time - reportedAt < interval) {
        hidden++;
        return;
      }
      if (hidden === 0) {
        log.warn(message, { ...properties, url });
      } else {
        log.warn(`${message} ({hidden} more failure(s) since the last line)`, {
          ...properties,
          url,
          hidden,
        });
      }
      hidden = 0;
      reportedAt = time;
    },
    succeeded(message, properties = {}) {
      if (failures === 0) return false;
      log.info(message, { ...properties, url, failures });
      failures = 0;
      hidden = 0;
      return true;
    },
    [Symbol.dispose]() {
      if (hidden === 0) return;
      log.warn(`${label}: {hidden} more failure(s) since the last line`, { url, hidden });
      hidden = 0;
    },
  };
}
