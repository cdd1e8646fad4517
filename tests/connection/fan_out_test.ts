// Tests for connection/fan_out.ts: the one guarded fan-out from emit to every sink (issue 12
// item 1, issue 16 item 1). Each sink in isolation, failures logged by name once per burst,
// the greeting first, and each event encoded once for the built-in sinks.
import { expect } from "expect";
import { logger } from "../../_log.ts";
import type { EncodedEvent } from "../../connection/codec.ts";
import { createFanOut, EMIT_ENCODED, type Emitting } from "../../connection/fan_out.ts";
import { createEvent } from "../../event/create.ts";
import type { Event } from "../../event/types.ts";
import { captureLogs } from "../_logs.ts";

const self = { platform: "test", user_id: "bot" };

function notice(n: number): Event {
  return createEvent({ type: "notice", detail_type: "test.tick", self, "test.seq": n });
}

function seqs(events: readonly Event[]): unknown[] {
  return events.map((event) => event["test.seq"]);
}

function recorder(): Emitting & { events: Event[] } {
  const events: Event[] = [];
  return { events, emit: (event) => void events.push(event) };
}

const broken: Emitting = {
  emit() {
    throw new Error("broken sink");
  },
};

Deno.test("createFanOut() hands every event to every sink, in order, when one between them throws (issue 12)", () => {
  using _logs = captureLogs();
  using fanOut = createFanOut({ log: logger("onebot") });
  const before = recorder();
  const after = recorder();
  fanOut.add(before, { name: "before" });
  fanOut.add(broken, { name: "broken" });
  fanOut.add(after, { name: "after" });
  for (let n = 0; n < 3; n++) expect(() => fanOut.emit(notice(n))).not.toThrow();
  expect(seqs(before.events)).toEqual([0, 1, 2]);
  expect(seqs(after.events)).toEqual([0, 1, 2]);
});

Deno.test("createFanOut() isolates a sink whose emit returns a promise that rejects (issue 12)", async () => {
  using logs = captureLogs();
  using fanOut = createFanOut({ log: logger("onebot") });
  const good = recorder();
  fanOut.add({
    emit: () => Promise.reject(new Error("async sink")) as unknown as undefined,
  }, { name: "async" });
  fanOut.add(good, { name: "good" });
  fanOut.emit(notice(0));
  // The rejection is handled a few microtasks later; a timer runs after them.
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(seqs(good.events)).toEqual([0]);
  expect(logs.find("error", "Event sink {name} failed")[0]!.properties).toMatchObject({
    name: "async",
  });
});

Deno.test("createFanOut() logs a failing sink's name and event once per burst, not once per event (issue 12)", () => {
  using logs = captureLogs();
  let time = 0;
  const fanOut = createFanOut({ log: logger("onebot"), now: () => time });
  fanOut.add(broken, { name: "attached sink #1" });
  const first = notice(0);
  fanOut.emit(first);
  for (let n = 1; n < 50; n++) fanOut.emit(notice(n));
  const lines = logs.find("error", "Event sink {name}");
  expect(lines).toHaveLength(1);
  expect(lines[0]!.properties).toMatchObject({ name: "attached sink #1", id: first.id });
  time += 60_000;
  fanOut.emit(notice(50));
  expect(logs.find("error", "Event sink {name}")).toHaveLength(2);
  fanOut.emit(notice(51));
  fanOut[Symbol.dispose](); // a last count of what is still unlogged
  const all = logs.find("error", "Event sink {name}");
  expect(all.map((record) => record.properties.counted)).toEqual([undefined, 49, 1]);
});

Deno.test("createFanOut() sends a sink's greeting to it alone, before it joins (META-C2)", () => {
  using fanOut = createFanOut({ log: logger("onebot") });
  const old = recorder();
  fanOut.add(old, { name: "old" });
  const joining = recorder();
  fanOut.add(joining, { name: "new", greeting: [notice(-2), notice(-1)] });
  fanOut.emit(notice(0));
  expect(seqs(old.events)).toEqual([0]);
  expect(seqs(joining.events)).toEqual([-2, -1, 0]);
});

Deno.test("createFanOut() isolates a sink that throws on its greeting", () => {
  using _logs = captureLogs();
  using fanOut = createFanOut({ log: logger("onebot") });
  expect(() => fanOut.add(broken, { name: "broken", greeting: [notice(-1)] })).not.toThrow();
  expect(fanOut.size).toBe(1);
});

Deno.test("createFanOut(): a removed sink gets nothing more; removing twice is harmless", () => {
  using fanOut = createFanOut({ log: logger("onebot") });
  const sink = recorder();
  const handle = fanOut.add(sink, { name: "sink" });
  fanOut.emit(notice(0));
  handle[Symbol.dispose]();
  handle[Symbol.dispose]();
  fanOut.emit(notice(1));
  expect(seqs(sink.events)).toEqual([0]);
  expect(fanOut.size).toBe(0);
});

Deno.test("createFanOut(): a sink that adds or removes sinks while called does not disturb the event in flight", () => {
  using fanOut = createFanOut({ log: logger("onebot") });
  const late = recorder();
  const last = recorder();
  let self: Disposable | undefined;
  self = fanOut.add({
    emit() {
      self?.[Symbol.dispose]();
      self = undefined;
      fanOut.add(late, { name: "late" });
    },
  }, { name: "once" });
  fanOut.add(last, { name: "last" });
  fanOut.emit(notice(0));
  fanOut.emit(notice(1));
  expect(seqs(last.events)).toEqual([0, 1]);
  expect(seqs(late.events)).toEqual([1]);
});

Deno.test("createFanOut() gives the built-in sinks one encoding per event, shared by all (issue 16)", () => {
  using fanOut = createFanOut({ log: logger("onebot") });
  const seen: EncodedEvent[] = [];
  const texts: (string | undefined)[] = [];
  const encoding = (): Emitting => ({
    emit() {
      throw new Error("not called: the fan-out uses EMIT_ENCODED");
    },
    [EMIT_ENCODED](event: EncodedEvent) {
      seen.push(event);
      texts.push(event.json());
    },
  });
  const plain = recorder();
  fanOut.add(encoding(), { name: "one" });
  fanOut.add(encoding(), { name: "two" });
  fanOut.add(plain, { name: "plain" });
  const event = notice(0);
  fanOut.emit(event);
  expect(seen).toHaveLength(2);
  expect(seen[0]).toBe(seen[1]);
  expect(seen[0]!.event).toBe(event);
  expect(JSON.parse(texts[0]!)).toEqual(event);
  expect(plain.events).toEqual([event]);
});

Deno.test("createFanOut() logs an event that cannot be encoded once, however many sinks send it (issue 16)", () => {
  using logs = captureLogs();
  using fanOut = createFanOut({ log: logger("onebot") });
  const texts: (string | undefined)[] = [];
  for (const name of ["one", "two", "three"]) {
    fanOut.add({
      emit() {},
      [EMIT_ENCODED]: (event: EncodedEvent) => void texts.push(event.json()),
    }, { name });
  }
  fanOut.emit({ ...notice(0), "test.big": 1n });
  expect(texts).toEqual([undefined, undefined, undefined]);
  expect(logs.find("error", "cannot be encoded")).toHaveLength(1);
});
