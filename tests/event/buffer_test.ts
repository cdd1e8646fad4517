// Rule tests for event/buffer.ts: the unread-event buffer behind get_latest_events
// (§3.1, HTTP-12, HTTP-13, HTTP-16). The HTTP surface is tested in tests/connection/http_test.ts.
import { expect } from "expect";
import { createEventBuffer } from "../../event/buffer.ts";
import { createEvent } from "../../event/create.ts";
import { connectEvent, heartbeatEvent, statusUpdateEvent } from "../../event/meta.ts";
import type { Event } from "../../event/types.ts";
import { within } from "../_loopback.ts";

const self = { platform: "demo", user_id: "bot" };

function notice(n: number): Event {
  return createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: String(n) });
}

function ids(events: Event[]): string[] {
  return events.map((event) => event.user_id as string);
}

Deno.test("createEventBuffer() returns unread events oldest first and consumes them (§3.1)", async () => {
  using buffer = createEventBuffer();
  for (const n of [1, 2, 3]) buffer.push(notice(n));
  expect(buffer.length).toBe(3);
  expect(ids(await buffer.poll(0, 0))).toEqual(["1", "2", "3"]);
  expect(buffer.length).toBe(0);
  expect(await buffer.poll(0, 0)).toEqual([]);
});

Deno.test("createEventBuffer() never stores meta events (§3.1, §9.2 item 22)", async () => {
  using buffer = createEventBuffer();
  buffer.push(heartbeatEvent(1000));
  buffer.push(statusUpdateEvent({ good: true, bots: [] }));
  buffer.push(connectEvent({ impl: "x", version: "1", onebot_version: "12" }));
  buffer.push(notice(1));
  expect(buffer.length).toBe(1);
  expect(ids(await buffer.poll(0, 0))).toEqual(["1"]);
});

Deno.test("createEventBuffer() poll respects limit and leaves the rest unread (§3.1 limit)", async () => {
  using buffer = createEventBuffer();
  for (let n = 0; n < 5; n++) buffer.push(notice(n));
  expect(ids(await buffer.poll(2, 0))).toEqual(["0", "1"]);
  expect(ids(await buffer.poll(2, 0))).toEqual(["2", "3"]);
  expect(ids(await buffer.poll(0, 0))).toEqual(["4"]);
});

Deno.test("createEventBuffer() drops the oldest unread event beyond size (HTTP-13)", async () => {
  using buffer = createEventBuffer({ size: 3 });
  for (let n = 0; n < 10; n++) buffer.push(notice(n));
  expect(buffer.length).toBe(3);
  expect(buffer.dropped).toBe(7);
  expect(ids(await buffer.poll(0, 0))).toEqual(["7", "8", "9"]);
});

Deno.test("createEventBuffer() keeps at least size unread events (HTTP-12)", async () => {
  using buffer = createEventBuffer({ size: 100 });
  for (let n = 0; n < 100; n++) buffer.push(notice(n));
  expect(buffer.dropped).toBe(0);
  expect(await buffer.poll(0, 0)).toHaveLength(100);
});

Deno.test("createEventBuffer() with size 0 is unlimited (§1.1 event_buffer_size)", async () => {
  using buffer = createEventBuffer({ size: 0 });
  for (let n = 0; n < 5000; n++) buffer.push(notice(n));
  expect(buffer.dropped).toBe(0);
  expect(await buffer.poll(0, 0)).toHaveLength(5000);
});

Deno.test("createEventBuffer() stays correct across long runs without a poll (HTTP-13)", async () => {
  // Exercises the internal compaction: many more pushes than the size, nobody polling.
  using buffer = createEventBuffer({ size: 3 });
  for (let n = 0; n < 20_000; n++) buffer.push(notice(n));
  expect(buffer.length).toBe(3);
  expect(buffer.dropped).toBe(19_997);
  expect(ids(await buffer.poll(1, 0))).toEqual(["19997"]);
  for (let n = 20_000; n < 25_000; n++) buffer.push(notice(n));
  expect(ids(await buffer.poll(0, 0))).toEqual(["24997", "24998", "24999"]);
});

Deno.test("createEventBuffer() long poll returns as soon as one event arrives, not limit events (§3.1, #182)", async () => {
  using buffer = createEventBuffer();
  const polling = buffer.poll(10, 60_000);
  buffer.push(notice(1));
  expect(ids(await within(polling, "the long poll"))).toEqual(["1"]);
});

Deno.test("createEventBuffer() long poll delivers a synchronous burst together (§3.1)", async () => {
  using buffer = createEventBuffer();
  const polling = buffer.poll(0, 60_000);
  buffer.push(notice(1));
  buffer.push(notice(2));
  expect(ids(await within(polling, "the long poll"))).toEqual(["1", "2"]);
});

Deno.test("createEventBuffer() long poll returns [] at its timeout (§3.1 timeout)", async () => {
  using buffer = createEventBuffer();
  expect(await within(buffer.poll(0, 20), "the poll timeout")).toEqual([]);
});

Deno.test("createEventBuffer() long poll ignores meta events while waiting (§3.1)", async () => {
  using buffer = createEventBuffer();
  const polling = buffer.poll(0, 60_000);
  buffer.push(heartbeatEvent(1000));
  buffer.push(notice(1));
  expect(ids(await within(polling, "the long poll"))).toEqual(["1"]);
});

Deno.test("createEventBuffer() serves concurrent long polls in arrival order, each event once (HTTP-16 decision)", async () => {
  using buffer = createEventBuffer();
  const first = buffer.poll(1, 60_000);
  const second = buffer.poll(1, 60_000);
  const third = buffer.poll(1, 60_000);
  buffer.push(notice(1));
  buffer.push(notice(2));
  buffer.push(notice(3));
  const results = await within(Promise.all([first, second, third]), "three polls");
  expect(results.map(ids)).toEqual([["1"], ["2"], ["3"]]);
});

Deno.test("createEventBuffer() gives a later concurrent poll nothing the first already took (HTTP-16 decision)", async () => {
  using buffer = createEventBuffer();
  const first = buffer.poll(0, 60_000);
  const second = buffer.poll(0, 30);
  buffer.push(notice(1));
  buffer.push(notice(2));
  expect(ids(await within(first, "the first poll"))).toEqual(["1", "2"]);
  expect(await within(second, "the second poll")).toEqual([]);
});

Deno.test("createEventBuffer() answers [] at once to polls beyond maxWaiters (HTTP-16 decision)", async () => {
  using buffer = createEventBuffer({ maxWaiters: 1 });
  const waiting = buffer.poll(0, 60_000);
  expect(await within(buffer.poll(0, 60_000), "the refused poll")).toEqual([]);
  buffer.push(notice(1));
  expect(ids(await within(waiting, "the waiting poll"))).toEqual(["1"]);
});

Deno.test("createEventBuffer() ends a waiting poll with [] when its signal aborts", async () => {
  using buffer = createEventBuffer();
  const controller = new AbortController();
  const polling = buffer.poll(0, 60_000, controller.signal);
  controller.abort();
  expect(await within(polling, "the aborted poll")).toEqual([]);
  buffer.push(notice(1));
  expect(buffer.length).toBe(1); // the aborted poll took nothing
  expect(await buffer.poll(0, 0, AbortSignal.abort())).toHaveLength(1);
});

Deno.test("createEventBuffer() dispose releases waiting polls with [] and clears their timers", async () => {
  const buffer = createEventBuffer();
  const polling = buffer.poll(0, 60_000);
  buffer[Symbol.dispose]();
  expect(await within(polling, "the released poll")).toEqual([]);
});

Deno.test("createEventBuffer() refuses a negative or fractional size or maxWaiters (RangeError)", () => {
  for (const size of [-1, 1.5, Number.NaN]) {
    expect(() => createEventBuffer({ size })).toThrow(RangeError);
    expect(() => createEventBuffer({ maxWaiters: size })).toThrow(RangeError);
  }
});

Deno.test("createOneBot() http.maxPollers bounds the waiting long polls (HTTP-16)", async () => {
  const { createOneBot } = await import("../../mod.ts");
  await using onebot = createOneBot({
    impl: "x",
    version: "1",
    handlers: {},
    websocket: false,
    http: { maxPollers: 1 },
  });
  const poll = () =>
    onebot.fetch(
      new Request("http://localhost/", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ action: "get_latest_events", params: { timeout: 30 } }),
      }),
    ).then((r) => r.json());
  const first = poll(); // waits
  const second = await poll(); // over the bound: [] at once
  expect(second.data).toEqual([]);
  await onebot[Symbol.asyncDispose](); // releases the first
  expect((await first).data).toEqual([]);
});
