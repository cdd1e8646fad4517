// Rule tests for connection/heartbeat.ts: meta.heartbeat every interval ms (META-H1, §3.5).
import { expect } from "expect";
import { startHeartbeat } from "../../connection/heartbeat.ts";
import type { Event } from "../../event/types.ts";
import { within } from "../_loopback.ts";
import { captureLogs } from "../_logs.ts";

Deno.test("startHeartbeat() emits meta.heartbeat events with interval in ms and no self (META-H1, §3.5)", async () => {
  const beats: Event[] = [];
  const three = Promise.withResolvers<void>();
  using _heartbeat = startHeartbeat((event) => {
    beats.push(event);
    if (beats.length === 3) three.resolve();
  }, 5);
  await within(three.promise, "three heartbeats");
  for (const beat of beats.slice(0, 3)) {
    expect(beat).toEqual({
      id: beat.id,
      time: beat.time,
      type: "meta",
      detail_type: "heartbeat",
      sub_type: "",
      interval: 5,
    });
  }
  expect(new Set(beats.map((beat) => beat.id)).size).toBe(beats.length);
});

Deno.test("startHeartbeat() stops when disposed (META-H1)", async () => {
  let count = 0;
  const first = Promise.withResolvers<void>();
  const heartbeat = startHeartbeat(() => {
    count++;
    first.resolve();
  }, 5);
  await within(first.promise, "the first heartbeat");
  heartbeat[Symbol.dispose]();
  const after = count;
  // Longer than several intervals; the sanitizer also fails the test if the timer is still live.
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(count).toBe(after);
});

Deno.test("startHeartbeat() keeps beating when emit throws or rejects, and logs it once per burst (issue 12)", async () => {
  using logs = captureLogs();
  let count = 0;
  const three = Promise.withResolvers<void>();
  {
    using _heartbeat = startHeartbeat(() => {
      count++;
      if (count === 3) three.resolve();
      if (count % 2 === 0) return Promise.reject(new Error("async beat"));
      throw new Error("broken beat");
    }, 5);
    // Before the guard, the first beat's throw escaped the timer and failed this test.
    await within(three.promise, "three heartbeats");
    await new Promise((resolve) => setTimeout(resolve, 0)); // the rejection is handled by now
  }
  const lines = logs.find("error", "The heartbeat callback failed");
  expect(lines.length).toBeGreaterThanOrEqual(1);
  expect(lines.length).toBeLessThanOrEqual(2); // the first, and the count at dispose
});

Deno.test("startHeartbeat() refuses an interval that is not an integer > 0 (RangeError; §3.5, §9.1 item 13)", () => {
  for (const interval of [0, -1, 1.5, Number.NaN, Infinity]) {
    expect(() => startHeartbeat(() => {}, interval)).toThrow(RangeError);
  }
});
