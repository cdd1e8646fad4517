// Rule tests for action/retcode.ts: the retcode table of checklist §2.4 as data and guards.
import { expect } from "expect";
import {
  isExecutionErrorRetcode,
  isFailureRetcode,
  isHandlerErrorRetcode,
  isOtherErrorRetcode,
  isRequestErrorRetcode,
  RETCODE,
  RETCODE_MESSAGE,
} from "../../action/retcode.ts";

const LISTED_REQUEST_ERRORS = [10001, 10002, 10003, 10004, 10005, 10006, 10007, 10101, 10102];
const LISTED_HANDLER_ERRORS = [20001, 20002];

Deno.test("RETCODE names every code of the §2.4 table with its exact value (§2.4)", () => {
  expect(RETCODE).toEqual({
    OK: 0,
    BAD_REQUEST: 10001,
    UNSUPPORTED_ACTION: 10002,
    BAD_PARAM: 10003,
    UNSUPPORTED_PARAM: 10004,
    UNSUPPORTED_SEGMENT: 10005,
    BAD_SEGMENT_DATA: 10006,
    UNSUPPORTED_SEGMENT_DATA: 10007,
    WHO_AM_I: 10101,
    UNKNOWN_SELF: 10102,
    BAD_HANDLER: 20001,
    INTERNAL_HANDLER_ERROR: 20002,
    DATABASE_ERROR: 31000,
    FILESYSTEM_ERROR: 32000,
    NETWORK_ERROR: 33000,
    PLATFORM_ERROR: 34000,
    LOGIC_ERROR: 35000,
    I_AM_TIRED: 36000,
  });
});

Deno.test("RETCODE_MESSAGE has a message for every named code, empty only for OK (§2.3 message)", () => {
  for (const code of Object.values(RETCODE)) {
    const message = RETCODE_MESSAGE[code];
    expect(typeof message).toBe("string");
    if (code === 0) expect(message).toBe("");
    else expect(message.length).toBeGreaterThan(0);
  }
});

Deno.test("isRequestErrorRetcode() accepts exactly the nine listed 1xxxx codes (§2.4)", () => {
  for (const code of LISTED_REQUEST_ERRORS) expect(isRequestErrorRetcode(code)).toBe(true);
  for (const code of [10000, 10008, 10100, 10103, 11001, 19999, 10001.5, 0]) {
    expect(isRequestErrorRetcode(code)).toBe(false);
  }
});

Deno.test("isHandlerErrorRetcode() accepts exactly 20001 and 20002 (§2.4)", () => {
  for (const code of LISTED_HANDLER_ERRORS) expect(isHandlerErrorRetcode(code)).toBe(true);
  for (const code of [20000, 20003, 21000, 29999]) expect(isHandlerErrorRetcode(code)).toBe(false);
});

Deno.test("isExecutionErrorRetcode() accepts 31000..36999 and nothing else (§2.4)", () => {
  for (const code of [31000, 31999, 32001, 33500, 34001, 35001, 36000, 36999]) {
    expect(isExecutionErrorRetcode(code)).toBe(true);
  }
  for (const code of [30000, 30999, 37000, 39999, 34001.5]) {
    expect(isExecutionErrorRetcode(code)).toBe(false);
  }
});

Deno.test("isOtherErrorRetcode() accepts the free 6xxxx..9xxxx range only (§2.4)", () => {
  for (const code of [60000, 70001, 89999, 99999]) expect(isOtherErrorRetcode(code)).toBe(true);
  for (const code of [59999, 100000, 60000.5]) expect(isOtherErrorRetcode(code)).toBe(false);
});

Deno.test("isFailureRetcode() accepts every listed 1xxxx/2xxxx code and the 3xxxx/6-9xxxx ranges (§2.4)", () => {
  for (const code of [...LISTED_REQUEST_ERRORS, ...LISTED_HANDLER_ERRORS, 31001, 36000, 60001]) {
    expect(isFailureRetcode(code)).toBe(true);
  }
});

Deno.test("isFailureRetcode() refuses 0, unlisted 1xxxx/2xxxx, reserved 4xxxx/5xxxx and v11-style codes (§2.4, §9.3 item 23)", () => {
  for (
    const code of [0, 10008, 10000, 20003, -1, -10001, 40000, 45000, 50000, 59999, 1403, 200, 404]
  ) {
    expect(isFailureRetcode(code)).toBe(false);
  }
  for (const code of [Number.NaN, Infinity, 10001.5]) expect(isFailureRetcode(code)).toBe(false);
});
