// Rule tests for action/result.ts: ok/failed as plain values (RESP-01, RESP-02, §2.4).
import { expect } from "expect";
import { failed, isActionResult, isFailure, ok } from "../../action/result.ts";

Deno.test('ok() builds status ok, retcode 0, message "" and keeps data, null included (RESP-01, RESP-02)', () => {
  expect(ok(null)).toEqual({ status: "ok", retcode: 0, data: null, message: "" });
  expect(ok({ message_id: "1", time: 1.5 })).toEqual({
    status: "ok",
    retcode: 0,
    data: { message_id: "1", time: 1.5 },
    message: "",
  });
});

Deno.test("failed() builds status failed with the code, a message and data null by default (RESP-02)", () => {
  expect(failed(10003, "user_id is required")).toEqual({
    status: "failed",
    retcode: 10003,
    data: null,
    message: "user_id is required",
  });
  expect(failed(35001, "x", { hint: 1 }).data).toEqual({ hint: 1 });
});

Deno.test("failed() falls back to the code's default message, or its range's (§2.3 message)", () => {
  expect(failed(10002).message).toBe("unsupported action");
  expect(failed(34001).message).toBe("platform error");
  expect(failed(36999).message).toBe("i am tired");
  expect(failed(60001).message).toBe("failed");
  expect(failed(10002, "").message).toBe("");
});

Deno.test("failed() throws RangeError for a code a failed response may not carry (RESP-02, §2.4)", () => {
  for (const code of [0, -1, 10008, 20003, 40000, 50000, 1403, 200]) {
    expect(() => failed(code)).toThrow(RangeError);
  }
});

Deno.test("isFailure() recognises failed() records and well-formed look-alikes only (RESP-02)", () => {
  expect(isFailure(failed(20002))).toBe(true);
  expect(isFailure({ status: "failed", retcode: 10003, data: null, message: "m" })).toBe(true);
  expect(isFailure(ok(null))).toBe(false);
  expect(isFailure({ status: "failed", retcode: 0, data: null, message: "" })).toBe(false);
  expect(isFailure({ status: "failed", retcode: 10003, message: "no data key" })).toBe(false);
  expect(isFailure({ status: "failed", retcode: "10003", data: null, message: "" })).toBe(false);
  expect(isFailure({ status: "failed", retcode: -1, data: null, message: "" })).toBe(false);
  for (const value of [null, undefined, "failed", 10001, new Error("x")]) {
    expect(isFailure(value)).toBe(false);
  }
});

Deno.test("isActionResult() accepts ok/failed results and refuses everything that would break RESP-01/RESP-02", () => {
  expect(isActionResult(ok(null))).toBe(true);
  expect(isActionResult(ok(0))).toBe(true);
  expect(isActionResult(failed(10001))).toBe(true);
  const broken: unknown[] = [
    undefined,
    null,
    { user_id: "1" },
    { status: "ok", retcode: 5, data: null, message: "" }, // ok with a non-zero code
    { status: "ok", retcode: 0, message: "" }, // no data
    { status: "ok", retcode: 0, data: undefined, message: "" },
    { status: "ok", retcode: 0, data: null, message: "not empty" },
    { status: "failed", retcode: 0, data: null, message: "" }, // failed with 0
    { status: "OK", retcode: 0, data: null, message: "" },
    "ok",
  ];
  for (const value of broken) expect(isActionResult(value)).toBe(false);
});
