/**
 * The OneBot 12 retcode table (checklist §2.4) as data.
 *
 * @module
 */

/**
 * Every retcode OneBot 12 names. `1xxxx` and `2xxxx` codes must be one of these
 * exactly; `3xxxx` names only the start of each recommended range.
 *
 * @example Answering an unknown action
 * ```ts
 * import { RETCODE } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(RETCODE.UNSUPPORTED_ACTION).toBe(10002);
 * ```
 */
export const RETCODE = {
  /** The request was valid and the action succeeded (§2.4). */
  OK: 0,
  /** Malformed envelope: bad JSON/MessagePack, non-object body, bad `action` or `params` (REQ-01, HTTP-11). */
  BAD_REQUEST: 10001,
  /** The action is not implemented (§2.4). */
  UNSUPPORTED_ACTION: 10002,
  /** A parameter is missing or has the wrong type (§2.4). */
  BAD_PARAM: 10003,
  /** A parameter's meaning is not implemented (§2.4). */
  UNSUPPORTED_PARAM: 10004,
  /** A message segment type is not implemented (§6.3). */
  UNSUPPORTED_SEGMENT: 10005,
  /** A segment parameter is missing or has the wrong type (§6.3). */
  BAD_SEGMENT_DATA: 10006,
  /** A segment parameter's meaning is not implemented (§6.3). */
  UNSUPPORTED_SEGMENT_DATA: 10007,
  /** Several bots share the connection and the request names none (REQ-03). */
  WHO_AM_I: 10101,
  /** The request's `self` names no known bot (REQ-04, REQ-05). */
  UNKNOWN_SELF: 10102,
  /** The handler returned something that is not an action result (RESP-03). */
  BAD_HANDLER: 20001,
  /** The handler threw (RESP-03). */
  INTERNAL_HANDLER_ERROR: 20002,
  /** Start of the database error range, 31xxx (§2.4). */
  DATABASE_ERROR: 31000,
  /** Start of the filesystem error range, 32xxx (§2.4). */
  FILESYSTEM_ERROR: 32000,
  /** Start of the network error range, 33xxx (§2.4). */
  NETWORK_ERROR: 33000,
  /** Start of the platform error range, 34xxx (§2.4). */
  PLATFORM_ERROR: 34000,
  /** Start of the logic error range, 35xxx (§2.4). */
  LOGIC_ERROR: 35000,
  /** Start of the "I am tired" range, 36xxx (§2.4). */
  I_AM_TIRED: 36000,
} as const;

/**
 * A retcode named in {@linkcode RETCODE}. Any other integer a handler may
 * legally return is a `number`; see {@linkcode isValidRetcode}.
 *
 * @example
 * ```ts
 * import type { Retcode } from "@libob/libob";
 *
 * const code: Retcode = 10003;
 * ```
 */
export type Retcode = typeof RETCODE[keyof typeof RETCODE];

/**
 * The default human-readable message for each named retcode, used when a
 * failure is built without one.
 *
 * @example
 * ```ts
 * import { RETCODE, RETCODE_MESSAGE } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(RETCODE_MESSAGE[RETCODE.BAD_PARAM]).toBe("bad param");
 * ```
 */
export const RETCODE_MESSAGE: Readonly<Record<Retcode, string>> = {
  0: "",
  10001: "bad request",
  10002: "unsupported action",
  10003: "bad param",
  10004: "unsupported param",
  10005: "unsupported segment",
  10006: "bad segment data",
  10007: "unsupported segment data",
  10101: "who am i",
  10102: "unknown self",
  20001: "bad handler",
  20002: "internal handler error",
  31000: "database error",
  32000: "filesystem error",
  33000: "network error",
  34000: "platform error",
  35000: "logic error",
  36000: "i am tired",
};

const REQUEST_ERRORS: ReadonlySet<number> = new Set([
  10001,
  10002,
  10003,
  10004,
  10005,
  10006,
  10007,
  10101,
  10102,
]);

/**
 * Whether `code` is one of the listed request errors (`1xxxx`, §2.4).
 *
 * @param code The retcode to test.
 * @returns `true` for the nine named `1xxxx` codes only.
 *
 * @example
 * ```ts
 * import { isRequestErrorRetcode } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isRequestErrorRetcode(10003)).toBe(true);
 * expect(isRequestErrorRetcode(10008)).toBe(false);
 * ```
 */
export function isRequestErrorRetcode(code: number): boolean {
  return REQUEST_ERRORS.has(code);
}

/**
 * Whether `code` is one of the listed handler errors (`2xxxx`, §2.4).
 *
 * @param code The retcode to test.
 * @returns `true` for 20001 and 20002 only.
 *
 * @example
 * ```ts
 * import { isHandlerErrorRetcode } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isHandlerErrorRetcode(20002)).toBe(true);
 * ```
 */
export function isHandlerErrorRetcode(code: number): boolean {
  return code === 20001 || code === 20002;
}

/**
 * Whether `code` lies in one of the recommended execution-error ranges
 * `31xxx`–`36xxx` (§2.4).
 *
 * @param code The retcode to test.
 * @returns `true` for integers from 31000 to 36999.
 *
 * @example
 * ```ts
 * import { isExecutionErrorRetcode } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isExecutionErrorRetcode(34001)).toBe(true);
 * expect(isExecutionErrorRetcode(30000)).toBe(false);
 * ```
 */
export function isExecutionErrorRetcode(code: number): boolean {
  return Number.isInteger(code) && code >= 31000 && code <= 36999;
}

/**
 * Whether `code` lies in the free range `6xxxx`–`9xxxx` (§2.4).
 *
 * @param code The retcode to test.
 * @returns `true` for integers from 60000 to 99999.
 *
 * @example
 * ```ts
 * import { isOtherErrorRetcode } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isOtherErrorRetcode(60001)).toBe(true);
 * ```
 */
export function isOtherErrorRetcode(code: number): boolean {
  return Number.isInteger(code) && code >= 60000 && code <= 99999;
}

/**
 * Whether `code` may appear in a failed response: a listed `1xxxx`/`2xxxx`
 * code, a `3xxxx` execution error, or a free `6xxxx`–`9xxxx` code. Zero, negative
 * codes, the reserved `4xxxx`/`5xxxx` and v11-style codes are not (§2.4).
 *
 * @param code The retcode to test.
 * @returns `true` when a `failed` response may carry `code`.
 *
 * @example
 * ```ts
 * import { isFailureRetcode } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isFailureRetcode(10002)).toBe(true);
 * expect(isFailureRetcode(-1)).toBe(false);
 * expect(isFailureRetcode(40000)).toBe(false);
 * ```
 */
export function isFailureRetcode(code: number): boolean {
  return isRequestErrorRetcode(code) || isHandlerErrorRetcode(code) ||
    isExecutionErrorRetcode(code) || isOtherErrorRetcode(code);
}
