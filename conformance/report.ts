/**
 * The conformance report: plain data, plus a readable table
 * (checklist rule IDs and levels, `/work/shared/onebot12-checklist.md`).
 *
 * @module
 */

/**
 * The requirement level of a checked rule, as the checklist labels it.
 *
 * @example
 * ```ts
 * import type { CheckLevel } from "@libob/libob/conformance";
 *
 * const level: CheckLevel = "MUST";
 * ```
 */
export type CheckLevel =
  | "MUST"
  | "MUST NOT"
  | "SHALL"
  | "SHALL NOT"
  | "RECOMMENDED"
  | "MAY"
  | "OPTIONAL";

/**
 * The outcome of one check: `skip` when the rule does not apply (the reason
 * is in `detail`).
 *
 * @example
 * ```ts
 * import type { CheckStatus } from "@libob/libob/conformance";
 *
 * const status: CheckStatus = "skip";
 * ```
 */
export type CheckStatus = "pass" | "fail" | "skip";

/**
 * One checked rule.
 *
 * @example
 * ```ts
 * import type { CheckResult } from "@libob/libob/conformance";
 *
 * const result: CheckResult = {
 *   id: "HTTP-04",
 *   level: "MUST",
 *   title: "a request without credentials gets 401",
 *   status: "fail",
 *   detail: "got 403 (the OneBot 11 answer)",
 * };
 * ```
 */
export interface CheckResult {
  /** The checklist rule ID, e.g. `HTTP-03`, or a section such as `§3.1`. */
  id: string;
  /** The rule's level. */
  level: CheckLevel;
  /** What was checked. */
  title: string;
  /** The outcome. */
  status: CheckStatus;
  /** What was seen, why it failed, or why it was skipped; `""` when nothing to add. */
  detail: string;
}

/**
 * The whole run, as plain (JSON-serializable) data.
 *
 * @example
 * ```ts
 * import type { ConformanceReport } from "@libob/libob/conformance";
 *
 * const failures = (report: ConformanceReport) =>
 *   report.checks.filter((check) => check.status === "fail");
 * ```
 */
export interface ConformanceReport {
  /** The implementation URL that was checked. */
  url: string;
  /** What `get_version` answered, or `null` when it could not be read. */
  version: { impl: string; version: string; onebot_version: string } | null;
  /** Every check, in the order run. */
  checks: CheckResult[];
  /** Counts by status; `required` counts failed MUST/SHALL checks. */
  summary: { pass: number; fail: number; skip: number; required: number };
  /** `true` when no MUST/SHALL (or MUST NOT/SHALL NOT) check failed. */
  ok: boolean;
}

/**
 * Whether a level is a requirement (MUST, MUST NOT, SHALL, SHALL NOT), whose
 * failure makes the run fail.
 *
 * @param level The level.
 * @returns `true` for the four requirement levels.
 *
 * @example
 * ```ts
 * import { isRequired } from "@libob/libob/conformance";
 * import { expect } from "expect";
 *
 * expect(isRequired("SHALL")).toBe(true);
 * expect(isRequired("MAY")).toBe(false);
 * ```
 */
export function isRequired(level: CheckLevel): boolean {
  return level === "MUST" || level === "MUST NOT" || level === "SHALL" || level === "SHALL NOT";
}

/**
 * Builds a report from the checks run.
 *
 * @param url The implementation URL.
 * @param version What `get_version` answered, or `null`.
 * @param checks The checks, in order.
 * @returns The report with its summary.
 *
 * @example
 * ```ts
 * import { createReport } from "@libob/libob/conformance";
 * import { expect } from "expect";
 *
 * const report = createReport("http://127.0.0.1:8080/", null, [
 *   { id: "HTTP-09", level: "MAY", title: "GET / gets 405", status: "fail", detail: "got 200" },
 * ]);
 * expect(report.ok).toBe(true);
 * expect(report.summary).toEqual({ pass: 0, fail: 1, skip: 0, required: 0 });
 * ```
 */
export function createReport(
  url: string,
  version: ConformanceReport["version"],
  checks: readonly CheckResult[],
): ConformanceReport {
  const summary = { pass: 0, fail: 0, skip: 0, required: 0 };
  for (const check of checks) {
    summary[check.status]++;
    if (check.status === "fail" && isRequired(check.level)) summary.required++;
  }
  return { url, version, checks: [...checks], summary, ok: summary.required === 0 };
}

const STATUS_LABEL: Record<CheckStatus, string> = { pass: "pass", fail: "FAIL", skip: "skip" };

/**
 * Formats a report as a plain-text table: one line per check (status, rule
 * ID, level, title, detail), then a summary line.
 *
 * @param report The report.
 * @returns The table, without a trailing newline.
 *
 * @example
 * ```ts
 * import { createReport, formatReport } from "@libob/libob/conformance";
 * import { expect } from "expect";
 *
 * const report = createReport("http://127.0.0.1:8080/", null, [
 *   { id: "HTTP-04", level: "MUST", title: "no credentials: 401", status: "fail", detail: "got 403" },
 * ]);
 * const table = formatReport(report);
 * expect(table).toContain("FAIL  HTTP-04  MUST  no credentials: 401  got 403");
 * expect(table).toContain("1 MUST/SHALL failed");
 * ```
 */
export function formatReport(report: ConformanceReport): string {
  const version = report.version === null
    ? "get_version unreadable"
    : `${report.version.impl} ${report.version.version}, OneBot ${report.version.onebot_version}`;
  const rows = report.checks.map((check) => [
    STATUS_LABEL[check.status],
    check.id,
    check.level,
    check.title,
    check.detail.replace(/\s+/g, " "),
  ]);
  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(0, ...rows.map((row) => row[column]!.length))
  );
  const lines = [`OneBot 12 conformance of ${report.url} (${version})`, ""];
  for (const row of rows) {
    const cells = row.map((cell, column) => column < 4 ? cell.padEnd(widths[column]!) : cell);
    lines.push(cells.join("  ").trimEnd());
  }
  const { pass, fail, skip, required } = report.summary;
  lines.push(
    "",
    `${pass} passed, ${fail} failed (${required} MUST/SHALL failed), ${skip} skipped: ${
      report.ok ? "conforms" : "does NOT conform"
    }`,
  );
  return lines.join("\n");
}
