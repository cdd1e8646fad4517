/**
 * Log capture for tests: libob never configures logtape (the application
 * does), so a test that checks what was logged configures it itself.
 *
 * @module
 */

import { configureSync, type LogRecord, resetSync } from "@logtape/logtape";
import { within } from "./_loopback.ts";

/** The captured records; `using` resets logtape when the test ends. */
export interface CapturedLogs extends Disposable {
  /** Every libob record, in order. */
  readonly records: LogRecord[];
  /** The records at `level` whose message template contains `text`. */
  find(level: LogRecord["level"], text: string): LogRecord[];
  /** Each record as text, values and properties inspected deeply (causes included). */
  text(): string[];
  /** Each record as `level message`, its values filled in. */
  lines(): string[];
  /** Resolves with the first line (as {@linkcode CapturedLogs.lines}) containing `text`, once logged. */
  logged(text: string): Promise<string>;
}

/** Captures every libob log record, debug and up, until disposed. */
export function captureLogs(): CapturedLogs {
  const records: LogRecord[] = [];
  const waiters: { text: string; resolve: (line: string) => void }[] = [];
  configureSync({
    reset: true,
    sinks: {
      memory(record: LogRecord) {
        records.push(record);
        const line = render(record);
        for (const waiter of [...waiters]) {
          if (!line.includes(waiter.text)) continue;
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      },
    },
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
    text(): string[] {
      return records.map((r) =>
        r.message.map((m) => typeof m === "string" ? m : Deno.inspect(m, { depth: 8 })).join("") +
        " " + Deno.inspect(r.properties, { depth: 8 })
      );
    },
    lines: () => records.map(render),
    logged(text) {
      const line = records.map(render).find((line) => line.includes(text));
      if (line !== undefined) return Promise.resolve(line);
      return within(
        new Promise((resolve) => waiters.push({ text, resolve })),
        `a log line "${text}"`,
      );
    },
    [Symbol.dispose]: resetSync,
  };
}

function render(record: LogRecord): string {
  return `${record.level} ` +
    record.message.map((m) => typeof m === "string" ? m : String(m)).join("");
}
