/**
 * Log capture for tests: libob never configures logtape (the application
 * does), so a test that checks what was logged configures it itself.
 *
 * @module
 */

import { configureSync, type LogRecord, resetSync } from "@logtape/logtape";

/** The captured records; `using` resets logtape when the test ends. */
export interface CapturedLogs extends Disposable {
  /** Every libob record, in order. */
  readonly records: LogRecord[];
  /** Each record as text, values and properties inspected deeply (causes included). */
  text(): string[];
}

/** Captures every libob log record, debug and up, until disposed. */
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
    text(): string[] {
      return records.map((r) =>
        r.message.map((m) => typeof m === "string" ? m : Deno.inspect(m, { depth: 8 })).join("") +
        " " + Deno.inspect(r.properties, { depth: 8 })
      );
    },
    [Symbol.dispose]: resetSync,
  };
}
