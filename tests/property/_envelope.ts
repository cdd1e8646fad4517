// Shared invariants of the property tests: what a spec-shaped answer is.
import { expect } from "expect";
import fc from "fast-check";
import { isFailureRetcode, type StandardActions } from "../../mod.ts";

/** The actions of the fuzzed OneBots besides the standard ones: any params, some misbehave. */
export type FuzzActions = StandardActions & {
  ping: { params: Record<string, unknown>; data: string };
  throws: { params: Record<string, unknown>; data: never };
  fails: { params: Record<string, unknown>; data: never };
  echoParams: { params: Record<string, unknown>; data: Record<string, unknown> };
  slow: { params: Record<string, unknown>; data: string };
};

/** Runs per property; raise with LIBOB_FUZZ_RUNS for a longer fuzz session. */
export const RUNS = Number(Deno.env.get("LIBOB_FUZZ_RUNS") ?? "300");
/** Fixed seed so CI is reproducible; LIBOB_FUZZ_SEED picks another. */
export const SEED = Number(Deno.env.get("LIBOB_FUZZ_SEED") ?? "20261128");

export function params(runs = RUNS): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: runs };
}

/** RESP-01..03: exactly the envelope fields, well typed, status and retcode linked. */
export function expectEnvelope(value: unknown): asserts value is Record<string, unknown> {
  expect(typeof value).toBe("object");
  const response = value as Record<string, unknown>;
  expect(Object.keys(response).filter((k) => k !== "echo").sort()).toEqual([
    "data",
    "message",
    "retcode",
    "status",
  ]);
  expect(["ok", "failed"]).toContain(response.status);
  expect(Number.isInteger(response.retcode)).toBe(true);
  expect(typeof response.message).toBe("string");
  if (response.status === "ok") {
    expect(response.retcode).toBe(0);
    expect(response.message).toBe("");
  } else {
    expect(isFailureRetcode(response.retcode as number)).toBe(true);
  }
  if ("echo" in response) expect(typeof response.echo).toBe("string");
}

/** Keys that prototype pollution would add. */
export function expectPrototypesClean(): void {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBe(undefined);
  expect(Object.keys(Array.prototype)).toEqual([]);
}

/** JSON-ish values with hostile keys mixed in. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue(),
    fc.constantFrom(
      "__proto__",
      "constructor",
      "prototype",
      "toString",
      -0,
      Number.MAX_SAFE_INTEGER + 2,
      1e308,
      "",
    ),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "polluted", "type")),
      tie("value"),
      { maxKeys: 5 },
    ),
    fc.array(tie("value"), { maxLength: 5 }),
  ),
})).value;
