// Rule tests for event/create.ts: the base fields of every event (§2.1, EV-01).
import { expect } from "expect";
import { createEvent, eventProblem } from "../../event/create.ts";

const self = { platform: "demo", user_id: "bot" };

function notice(fields: Record<string, unknown> = {}) {
  return createEvent({
    type: "notice",
    detail_type: "friend_increase",
    self,
    user_id: "1",
    ...fields,
  });
}

Deno.test("createEvent() fills a unique string id (§2.1 id)", () => {
  const ids = new Set(Array.from({ length: 100 }, () => notice().id));
  expect(ids.size).toBe(100);
  for (const id of ids) expect(id.length).toBeGreaterThan(0);
});

Deno.test("createEvent() fills time as float seconds of now (§2.1 time)", () => {
  const before = Date.now() / 1000;
  const event = notice();
  const after = Date.now() / 1000;
  expect(event.time).toBeGreaterThanOrEqual(before);
  expect(event.time).toBeLessThanOrEqual(after);
});

Deno.test('createEvent() fills sub_type "" when none is given and keeps a given one (§2.1 sub_type)', () => {
  expect(notice().sub_type).toBe("");
  expect(notice({ sub_type: "qq.unidirectional" }).sub_type).toBe("qq.unidirectional");
});

Deno.test("createEvent() keeps a given id and time, e.g. the platform's (§2.1)", () => {
  const event = notice({ id: "platform-7", time: 1632847927.599013 });
  expect(event.id).toBe("platform-7");
  expect(event.time).toBe(1632847927.599013);
});

Deno.test("createEvent() keeps the detail fields and extension fields (EV-02, EXT-10)", () => {
  const event = notice({ "qq.remark": "x" });
  expect(event).toEqual({
    id: event.id,
    time: event.time,
    type: "notice",
    detail_type: "friend_increase",
    sub_type: "",
    self,
    user_id: "1",
    "qq.remark": "x",
  });
});

Deno.test("createEvent() throws TypeError for a non-meta event without self (EV-01)", () => {
  for (const type of ["message", "notice", "request"] as const) {
    expect(() => createEvent({ type, detail_type: "x" })).toThrow(TypeError);
  }
});

Deno.test("createEvent() throws TypeError for a malformed self (EV-01, ENC-03)", () => {
  expect(() =>
    createEvent({
      type: "notice",
      detail_type: "x",
      self: { platform: "demo" } as unknown as typeof self,
    })
  ).toThrow(TypeError);
});

Deno.test("createEvent() throws TypeError for a mistyped base field (EV-01)", () => {
  const bad: Record<string, unknown>[] = [
    { id: "" },
    { time: Number.NaN },
    { time: "1" },
    { detail_type: "" },
    { sub_type: 1 },
    { type: "qq" }, // EXT-12: type is never extended
  ];
  for (const fields of bad) expect(() => notice(fields)).toThrow(TypeError);
});

Deno.test("createEvent() builds a meta event without self (§3.4–3.6, §9.2 item 21)", () => {
  const event = createEvent({ type: "meta", detail_type: "heartbeat", interval: 5000 });
  expect("self" in event).toBe(false);
});

Deno.test("eventProblem() names the first problem of an invalid event, or undefined (EV-01)", () => {
  const valid = { id: "1", time: 1.5, type: "notice", detail_type: "x", sub_type: "", self };
  expect(eventProblem(valid)).toBe(undefined);
  expect(eventProblem({ ...valid, self: undefined })).toBe("self is required on notice events");
  expect(eventProblem(null)).toBe("an event must be an object");
  expect(eventProblem({ ...valid, time: Infinity })).toBe(
    "time must be a finite number of seconds",
  );
  expect(eventProblem({ ...valid, type: "meta", self: undefined })).toBe(undefined);
});
