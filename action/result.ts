/**
 * Results as plain values: {@linkcode ok} and {@linkcode failed}.
 *
 * @module
 */

import { isFailureRetcode, RETCODE_MESSAGE } from "./retcode.ts";
import type { ActionResult, Failure, Ok } from "./types.ts";

/**
 * A success result carrying `data`.
 *
 * @param data The response data; pass `null` for actions that return none.
 * @returns A frozen `{status: "ok", retcode: 0, data, message: ""}` record.
 *
 * @example
 * ```ts
 * import { ok } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(ok({ message_id: "1" })).toEqual({
 *   status: "ok",
 *   retcode: 0,
 *   data: { message_id: "1" },
 *   message: "",
 * });
 * ```
 */
export function ok<D>(data: D): Ok<D> {
  return { status: "ok", retcode: 0, data, message: "" };
}

/**
 * A failure result.
 *
 * @param retcode A failure retcode (§2.4), e.g. `RETCODE.BAD_PARAM`.
 * @param message A human-readable reason; the code's default message when omitted.
 * @param data Extra data for the peer, `null` by default.
 * @returns A `{status: "failed", retcode, data, message}` record.
 * @throws {RangeError} When `retcode` may not appear in a failed response
 * (0, negative, reserved `4xxxx`/`5xxxx`, unlisted `1xxxx`/`2xxxx`); that is a
 * programming error, found by the first test that hits it.
 *
 * @example
 * ```ts
 * import { failed, RETCODE } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(failed(RETCODE.BAD_PARAM, "user_id is required").retcode).toBe(10003);
 * expect(failed(35001).message).toBe("logic error");
 * ```
 */
export function failed(retcode: number, message?: string, data: unknown = null): Failure {
  if (!isFailureRetcode(retcode)) {
    throw new RangeError(
      `Cannot create failure: retcode must be a OneBot 12 failure code: current value is ${retcode}`,
    );
  }
  return { status: "failed", retcode, data, message: message ?? defaultMessage(retcode) };
}

function defaultMessage(retcode: number): string {
  const exact = (RETCODE_MESSAGE as Record<number, string>)[retcode];
  if (exact !== undefined) return exact;
  const rangeStart = Math.floor(retcode / 1000) * 1000;
  return (RETCODE_MESSAGE as Record<number, string>)[rangeStart] ?? "failed";
}

/**
 * Whether a value is a failure result (one built by {@linkcode failed}, or any
 * record of the same shape).
 *
 * @param value Anything, e.g. a caught error.
 * @returns `true` when `value` is a well-formed {@linkcode Failure}.
 *
 * @example
 * ```ts
 * import { failed, isFailure, ok } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isFailure(failed(10003))).toBe(true);
 * expect(isFailure(ok(null))).toBe(false);
 * ```
 */
export function isFailure(value: unknown): value is Failure {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.status === "failed" && typeof v.retcode === "number" && isFailureRetcode(v.retcode) &&
    typeof v.message === "string" && "data" in v;
}

/**
 * Whether a value is a well-formed action result: an {@linkcode Ok} with
 * `data` present, or a {@linkcode Failure} (RESP-01, RESP-02).
 *
 * @param value A handler's return value.
 * @returns `true` when the router can send it as is.
 *
 * @example
 * ```ts
 * import { isActionResult, ok } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isActionResult(ok(1))).toBe(true);
 * expect(isActionResult({ status: "ok", retcode: 1, data: null, message: "" })).toBe(false);
 * ```
 */
export function isActionResult(value: unknown): value is ActionResult<unknown> {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.status === "ok") {
    return v.retcode === 0 && v.message === "" && "data" in v && v.data !== undefined;
  }
  return isFailure(value);
}
