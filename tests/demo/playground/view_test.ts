import { expect } from "expect";
import { createDemoPlatform } from "../../../demo/platform.ts";
import type { Message } from "../../../mod.ts";
import {
  GREETING_MESSAGES,
  GREETING_UNITS,
  greetingMessages,
  LOG_VALUE_UNITS,
  logValue,
  messageView,
} from "../../../demo/playground/view.ts";

Deno.test("logValue() keeps at most 200 keys per object and counts the rest", () => {
  const wide = Object.fromEntries(Array.from({ length: 150_000 }, (_, i) => [`k${i}`, i]));
  const logged = logValue({ params: wide, nested: { inner: wide } }) as {
    params: Record<string, unknown>;
    nested: { inner: Record<string, unknown> };
  };
  expect(Object.keys(logged.params)).toHaveLength(201);
  expect(logged.params).toMatchObject({ k0: 0, k199: 199, "…": "149800 more keys" });
  expect(logged.params.k200).toBeUndefined();
  expect(Object.keys(logged.nested.inner).length).toBeLessThanOrEqual(201);
});

Deno.test("logValue() spends one budget per frame: 16 Ki units, however wide and deep the data", () => {
  // 200 × 200 strings of 100 characters: 4 MB that every per-level cap lets through.
  const row = Array.from({ length: 200 }, () => "x".repeat(100));
  const grid = Array.from({ length: 200 }, () => row);
  const budget = { left: LOG_VALUE_UNITS };
  const logged = logValue({ grid }, budget) as { grid: unknown[] };
  expect(budget.left).toBeLessThanOrEqual(0);
  expect(JSON.stringify(logged).length).toBeLessThan(2 * LOG_VALUE_UNITS);
  expect(logged.grid.at(-1)).toMatch(/^… \(\d+ more items\)$/);
  // What is left of the budget cuts the last string.
  // 32 = 1 (object) + 2 (key a) + 21 (its value) + 2 (key b) + 1 (its value) + 5 characters.
  const small = logValue({ a: "y".repeat(20), b: "z".repeat(20) }, { left: 32 });
  expect(small).toEqual({ a: "y".repeat(20), b: `${"z".repeat(5)}… (15 more characters)` });
  // Keys are cut as strings are.
  const key = "k".repeat(3000);
  expect(Object.keys(logValue({ [key]: 1 }) as object)).toEqual([
    `${"k".repeat(2048)}… (952 more characters)`,
  ]);
});

Deno.test("messageView() cuts alt_message too", () => {
  const platform = createDemoPlatform();
  const text = "x".repeat(1_000_000);
  const stored = platform.addMessage({
    sender_id: "10001",
    chat: { detail_type: "group", group_id: "20001" },
    message: [{ type: "text", data: { text } }],
  });
  const view = messageView(stored);
  expect(view.alt_message).toBe(`${"x".repeat(2048)}… (${1_000_000 - 2048} more characters)`);
  expect(JSON.stringify(view).length).toBeLessThan(5000);
});

Deno.test("greetingMessages() gives the newest messages within 1000 and 1 Mi units, oldest first", () => {
  const platform = createDemoPlatform({ maxMessagesPerChat: 2000 });
  const chat = { detail_type: "group", group_id: "20001" } as const;
  for (let i = 1; i <= GREETING_MESSAGES + 5; i++) {
    platform.addMessage({
      sender_id: "10001",
      chat,
      message: [{ type: "text", data: { text: `${i}` } }],
    });
  }
  const views = greetingMessages(platform.allMessages());
  expect(views).toHaveLength(GREETING_MESSAGES);
  expect(views[0]?.message_id).toBe("6");
  expect(views.at(-1)?.message_id).toBe(String(GREETING_MESSAGES + 5));

  // Messages that each fill a view's budget: only the newest that fit in all.
  const big = createDemoPlatform();
  const wide: Message = Array.from(
    { length: 200 },
    () => ({ type: "text", data: { text: "y".repeat(2048) } }),
  );
  for (let i = 0; i < 200; i++) big.addMessage({ sender_id: "10001", chat, message: wide });
  const greeted = greetingMessages(big.allMessages());
  expect(greeted.length).toBeGreaterThan(10);
  expect(greeted.length).toBeLessThanOrEqual(Math.ceil(GREETING_UNITS / LOG_VALUE_UNITS));
  expect(greeted.at(-1)?.message_id).toBe("200");
  expect(JSON.stringify(greeted).length).toBeLessThan(2 * GREETING_UNITS);
});

Deno.test("logValue() keeps a peer's __proto__ key as a key", () => {
  const logged = logValue(JSON.parse('{"__proto__":{"polluted":true},"a":1}')) as Record<
    string,
    unknown
  >;
  expect(Object.getPrototypeOf(logged)).toBe(Object.prototype);
  expect(Object.keys(logged)).toEqual(["__proto__", "a"]);
  expect(JSON.stringify(logged)).toBe('{"__proto__":{"polluted":true},"a":1}');
});
