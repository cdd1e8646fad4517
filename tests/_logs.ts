/**
 * Captures libob's log records in a test (tests may configure logtape; the
 * library never does).
 *
 * @module
 */

import { configureSync, type LogRecord, resetSync } from "@logtape/logtape";

/** The records captured so far, and a dispose that resets logtape. */
export interface CapturedLogs extends Disposable {
  /** Every libob record, in order. */
  readonly records: LogRecord[];
  /** The records at `level` whose message template contains `text`. */
  find(level: LogRecord["level"], text: string): LogRecord[];
}

/** Captures every libob record, at every level, until disposed. */
export function captureLogs(): CapturedLogs {
  const records: LogRecord[] = [];
  configureSync({
    reset: true,
    sinks: { memory: (record: LogRecord) => void records.push(record) },
    loggers: [
      { category: ["libob"], sinks: ["memory"], lowestLevel: "debug" },
      { category: ["logtape", "meta"], sinks: [], lowestLevel: "error" },
    ],
  });
  return {
    records,
    find(level, text) {
      return records.filter((record) =>
        record.level === level && String(record.rawMessage).includes(text)
      );
    },
    [Symbol.dispose]: resetSync,
  };
}
