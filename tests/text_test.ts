import { expect } from "expect";
import { clip, describe, hasControlCharacter } from "../_text.ts";

Deno.test("clip() keeps at most 64 characters and marks a cut with …", () => {
  expect(clip("a".repeat(64))).toBe("a".repeat(64));
  expect(clip("a".repeat(65))).toBe(`${"a".repeat(64)}…`);
  expect(clip("abcdef", 3)).toBe("abc…");
});

Deno.test("describe() names a value from outside in a few words", () => {
  expect([null, [], {}, "x", 1, true, undefined, 1n].map(describe)).toEqual([
    "null",
    "a list",
    "an object",
    '"x"',
    "1",
    "true",
    "undefined",
    "bigint",
  ]);
});

Deno.test("hasControlCharacter() finds C0 controls and DEL, nothing else", () => {
  expect(hasControlCharacter("token")).toBe(false);
  expect(hasControlCharacter("tök en")).toBe(false);
  for (const c of ["\u0000", "\n", "\u001f", "\u007f"]) {
    expect(hasControlCharacter(`a${c}b`)).toBe(true);
  }
});
