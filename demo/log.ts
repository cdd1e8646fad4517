/**
 * The demo's console: libob logs nothing until the application configures
 * logtape (library-first), and the demo is an application, so it does. One
 * plain line per record on stderr (stdout keeps the addresses the demo prints
 * at start), at the level `ONEBOT_LOG_LEVEL` names.
 *
 * @module
 */

import { configure, getConsoleSink, getTextFormatter, type LogRecord } from "@logtape/logtape";

/**
 * The levels `ONEBOT_LOG_LEVEL` accepts, most verbose first.
 *
 * @example
 * ```ts
 * import { DEMO_LOG_LEVELS } from "./log.ts";
 * import { expect } from "expect";
 *
 * expect(DEMO_LOG_LEVELS).toEqual(["debug", "info", "warning", "error"]);
 * ```
 */
export const DEMO_LOG_LEVELS = ["debug", "info", "warning", "error"] as const;

/**
 * One of {@linkcode DEMO_LOG_LEVELS}.
 *
 * @example
 * ```ts
 * import type { DemoLogLevel } from "./log.ts";
 *
 * const level: DemoLogLevel = "warning";
 * ```
 */
export type DemoLogLevel = typeof DEMO_LOG_LEVELS[number];

/**
 * Formats one record as a plain line: time, level, libob's area, the
 * message with its values bare (no quotes, an error as `Name: message`).
 *
 * @param record The log record.
 * @returns The line, ending with a line feed.
 *
 * @example
 * ```ts
 * import { formatDemoLine } from "./log.ts";
 * import { expect } from "expect";
 *
 * const line = formatDemoLine({
 *   category: ["libob", "webhook"],
 *   level: "warning",
 *   message: ["Webhook ", "http://127.0.0.1:9/", " answered ", 503, ""],
 *   rawMessage: "Webhook {url} answered {status}",
 *   properties: {},
 *   timestamp: Date.UTC(2026, 0, 1, 12, 0, 0),
 * });
 * expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} \[WRN\] webhook: Webhook http:\/\/127\.0\.0\.1:9\/ answered 503\n$/);
 * ```
 */
export function formatDemoLine(record: LogRecord): string {
  return TEXT_FORMATTER(record);
}

const TEXT_FORMATTER = getTextFormatter({
  timestamp: "time",
  level: "ABBR",
  // `["libob", "webhook"]` → `webhook`: every line the demo prints is libob's.
  category: (category) => category.slice(1).join(".") || category.join("."),
  value(value, inspect) {
    if (typeof value === "string") return value;
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    return inspect(value);
  },
});

/**
 * Sends libob's log records at `level` and above to the console (stderr),
 * one plain line each ({@linkcode formatDemoLine}); logtape's own warnings
 * too. Call it once, before the OneBot starts.
 *
 * @param level The lowest level printed. Default `info`: connections opened
 * and closed, push targets failing and recovering.
 * @returns Once logtape is configured.
 *
 * @example
 * ```ts
 * import { configureDemoLogging } from "./log.ts";
 * import { reset } from "@logtape/logtape";
 *
 * await configureDemoLogging("warning");
 * await reset();
 * ```
 */
export async function configureDemoLogging(level: DemoLogLevel = "info"): Promise<void> {
  const sink = getConsoleSink({
    formatter: formatDemoLine,
    // Every level to stderr (console.error): stdout is for the addresses printed at start.
    levelMap: {
      trace: "error",
      debug: "error",
      info: "error",
      warning: "error",
      error: "error",
      fatal: "error",
    },
  });
  await configure({
    reset: true,
    sinks: { console: sink },
    loggers: [
      { category: ["libob"], lowestLevel: level, sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}
