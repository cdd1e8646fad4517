// Rule tests for event/meta.ts: the three meta event builders (§3.4–3.6).
import { expect } from "expect";
import { connectEvent, heartbeatEvent, statusUpdateEvent } from "../../event/meta.ts";
import type { StatusData, VersionData } from "../../event/types.ts";

const version: VersionData = { impl: "my-impl", version: "1.0.0", onebot_version: "12" };
const alice = { platform: "demo", user_id: "alice" };

Deno.test("connectEvent() is a meta.connect whose version equals the get_version data (§3.4)", () => {
  const event = connectEvent(version);
  expect(event.type).toBe("meta");
  expect(event.detail_type).toBe("connect");
  expect(event.sub_type).toBe("");
  expect(event.version).toEqual({ impl: "my-impl", version: "1.0.0", onebot_version: "12" });
});

Deno.test("connectEvent() copies the version, so later changes to the input do not leak in (§3.4)", () => {
  const input = { ...version };
  const event = connectEvent(input);
  input.impl = "changed";
  expect((event.version as VersionData).impl).toBe("my-impl");
});

Deno.test("connectEvent() has a non-empty unique id and a time in seconds (§9.2 item 19)", () => {
  const a = connectEvent(version);
  const b = connectEvent(version);
  expect(a.id).not.toBe("");
  expect(a.id).not.toBe(b.id);
  expect(a.time).toBeLessThanOrEqual(Date.now() / 1000);
});

Deno.test("heartbeatEvent() is a meta.heartbeat with interval in ms and no status (§3.5, META-H1)", () => {
  const event = heartbeatEvent(5000);
  expect(event).toEqual({
    id: event.id,
    time: event.time,
    type: "meta",
    detail_type: "heartbeat",
    sub_type: "",
    interval: 5000,
  });
  expect("status" in event).toBe(false); // removed in #216
});

Deno.test("statusUpdateEvent() is a meta.status_update carrying a copy of the get_status data (§3.6)", () => {
  const status: StatusData = { good: true, bots: [{ self: alice, online: true }] };
  const event = statusUpdateEvent(status);
  expect(event.detail_type).toBe("status_update");
  expect(event.status).toEqual({ good: true, bots: [{ self: alice, online: true }] });
  status.bots[0]!.online = false;
  expect((event.status as StatusData).bots[0]!.online).toBe(true);
});

Deno.test("meta event builders carry no self (§5.4, §9.2 item 21)", () => {
  for (
    const event of [
      connectEvent(version),
      heartbeatEvent(1000),
      statusUpdateEvent({ good: true, bots: [{ self: alice, online: true }] }),
    ]
  ) {
    expect("self" in event).toBe(false);
    expect(event.type).toBe("meta");
  }
});
