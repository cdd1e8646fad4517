// Rule tests for action/parse_request.ts: the action-request envelope (§2.2, REQ-01).
import { expect } from "expect";
import { echoOf, parseActionRequest } from "../../action/parse_request.ts";
import { isFailure } from "../../action/result.ts";

function retcodeOf(value: unknown): number | undefined {
  const parsed = parseActionRequest(value);
  return isFailure(parsed) ? parsed.retcode : undefined;
}

Deno.test("parseActionRequest() accepts action + params and copies echo and self (§2.2)", () => {
  expect(parseActionRequest({ action: "get_version", params: {} })).toEqual({
    action: "get_version",
    params: {},
  });
  const self = { platform: "qq", user_id: "1" };
  expect(parseActionRequest({ action: "a", params: { x: 1 }, echo: "e", self })).toEqual({
    action: "a",
    params: { x: 1 },
    echo: "e",
    self,
  });
});

const malformed: [string, unknown][] = [
  ["an array body", [{ action: "a", params: {} }]],
  ["a number body", 42],
  ["a null body", null],
  ["a string body", "get_version"],
  ["a binary body", new Uint8Array([1])],
  ["a missing action", { params: {} }],
  ["a numeric action", { action: 1, params: {} }],
  ["a null action", { action: null, params: {} }],
  ["a missing params", { action: "a" }],
  ["params as an array", { action: "a", params: [] }],
  ["params null", { action: "a", params: null }],
  ["params as a string", { action: "a", params: "x" }],
  ["params as bytes", { action: "a", params: new Uint8Array([1]) }],
];
for (const [name, value] of malformed) {
  Deno.test(`parseActionRequest() answers 10001 for ${name} (REQ-01)`, () => {
    expect(retcodeOf(value)).toBe(10001);
  });
}

Deno.test("parseActionRequest() answers 10001 for a non-string echo (§2.2 decision: mistyped field)", () => {
  for (const echo of [5, null, true, {}, ["e"]]) {
    expect(retcodeOf({ action: "a", params: {}, echo })).toBe(10001);
  }
});

Deno.test("parseActionRequest() answers 10001 for a malformed self (ENC-03)", () => {
  for (
    const self of [
      "bot",
      null,
      {},
      { platform: "qq" },
      { user_id: "1" },
      { platform: "qq", user_id: 1 },
      [],
    ]
  ) {
    expect(retcodeOf({ action: "a", params: {}, self })).toBe(10001);
  }
});

Deno.test("parseActionRequest() ignores unknown top-level fields and extra self fields (§9.4 decision, EXT-14)", () => {
  expect(parseActionRequest({
    action: "a",
    params: {},
    "qq.extra": 1,
    self: { platform: "qq", user_id: "1", "qq.x": 2 },
  })).toEqual({ action: "a", params: {}, self: { platform: "qq", user_id: "1" } });
});

Deno.test("parseActionRequest() keeps an empty-string echo (RESP-03 echo fidelity)", () => {
  expect(parseActionRequest({ action: "a", params: {}, echo: "" })).toEqual({
    action: "a",
    params: {},
    echo: "",
  });
});

Deno.test("echoOf() extracts a string echo from any object, and nothing else (RESP-03)", () => {
  expect(echoOf({ action: 1, echo: "a" })).toBe("a");
  expect(echoOf({ echo: "" })).toBe("");
  expect(echoOf({ echo: 5 })).toBe(undefined);
  expect(echoOf({ echo: null })).toBe(undefined);
  for (const value of [null, undefined, "echo", 1, [{ echo: "x" }]]) {
    expect(echoOf(value)).toBe(undefined);
  }
});
