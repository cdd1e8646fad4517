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

Deno.test("eventProblem() refuses time in milliseconds, a platform out of format and an empty self.user_id (§2.1, §8)", () => {
  const valid = {
    id: "1",
    time: 1632847927.5,
    type: "notice",
    detail_type: "x",
    sub_type: "",
    self,
  };
  expect(eventProblem({ ...valid, time: 1632847927599 })).toBe(
    "time must be in seconds: current value is 1632847927599, which looks like milliseconds (divide by 1000)",
  );
  expect(eventProblem({ ...valid, time: 1e11 })).toBe(undefined);
  expect(eventProblem({ ...valid, self: { platform: "Fake_Chat", user_id: "1" } })).toBe(
    "self.platform must match /^[a-z][-a-z0-9]*(\\.[-a-z0-9]+)*$/: current value is Fake_Chat",
  );
  expect(eventProblem({ ...valid, self: { platform: "qq", user_id: "" } })).toBe(
    "self.user_id must be a non-empty string",
  );
  // A meta event may carry self (compat.metaSelf, §9.2 item 21); if it does, it is checked.
  const meta = { ...valid, type: "meta", detail_type: "heartbeat", interval: 5000 };
  expect(eventProblem({ ...meta, self: { platform: "qq", user_id: "" } })).toBe(
    "self.user_id must be a non-empty string",
  );
});

Deno.test("eventProblem() strict refuses an unprefixed extended detail_type (EXT-13) and accepts a prefixed one", () => {
  const base = { id: "1", time: 1.5, sub_type: "", self: { platform: "go-chat", user_id: "1" } };
  const strict = { strict: true };
  expect(eventProblem({ ...base, type: "notice", detail_type: "poke" }, strict)).toBe(
    "detail_type poke is not a standard notice detail type: an extended one needs a prefix, e.g. go_chat.poke (EXT-13)",
  );
  expect(eventProblem({ ...base, type: "notice", detail_type: "poke" })).toBe(undefined);
  expect(eventProblem({ ...base, type: "request", detail_type: "friend" }, strict)).toMatch(
    /^detail_type friend is not a standard request detail type/,
  );
  expect(eventProblem({ ...base, type: "notice", detail_type: "go_chat.poke" }, strict)).toBe(
    undefined,
  );
  // A standard detail type of another event type is not standard here.
  expect(eventProblem({ ...base, type: "notice", detail_type: "private" }, strict)).toMatch(
    /^detail_type private is not a standard notice/,
  );
  const heartbeat = { id: "1", time: 1.5, sub_type: "", type: "meta", detail_type: "heartbeat" };
  expect(eventProblem({ ...heartbeat, interval: 5000 }, strict)).toBe(undefined);
});

Deno.test("eventProblem() strict refuses a standard event with an empty or missing ID field; operator_id may be empty (EVT-00, §5)", () => {
  const base = { id: "1", time: 1.5, sub_type: "", self };
  const strict = { strict: true };
  const message = {
    ...base,
    type: "message",
    detail_type: "group",
    message_id: "m1",
    group_id: "g1",
    user_id: "u1",
    message: [],
    alt_message: "",
  };
  expect(eventProblem(message, strict)).toBe(undefined);
  expect(eventProblem({ ...message, user_id: "" }, strict)).toBe(
    'user_id must be a non-empty string on message.group events (EVT-00): current value is ""',
  );
  expect(eventProblem({ ...message, group_id: undefined }, strict)).toBe(
    "group_id must be a non-empty string on message.group events (EVT-00): current value is undefined",
  );
  expect(eventProblem({ ...message, group_id: 5 }, strict)).toMatch(/^group_id must be/);
  expect(eventProblem({ ...message, message: "hi" }, strict)).toBe(
    "message must be a list of segments (MSG-01)",
  );
  expect(eventProblem({ ...message, alt_message: undefined }, strict)).toBe(
    "alt_message must be a string (MSG-04)",
  );
  expect(eventProblem({ ...message, user_id: "" })).toBe(undefined);
  const notice = {
    ...base,
    type: "notice",
    detail_type: "group_member_increase",
    group_id: "g1",
    user_id: "u1",
    operator_id: "",
  };
  expect(eventProblem(notice, strict)).toBe(undefined);
  expect(eventProblem({ ...notice, operator_id: undefined }, strict)).toBe(
    "operator_id must be a string on notice.group_member_increase events (EVT-00): current value is undefined",
  );
});
