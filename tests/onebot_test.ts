import { expect } from "expect";
import { createEvent, createOneBot, ok } from "../mod.ts";
import { createTestKit } from "../testing/mod.ts";

const alice = { platform: "demo", user_id: "alice" };
const bob = { platform: "demo", user_id: "bob" };

Deno.test("createOneBot() validates impl, platform, token and heartbeat before starting anything (§8)", () => {
  const base = { version: "1", handlers: {} };
  expect(() => createOneBot({ ...base, impl: "Bad_Impl" })).toThrow(TypeError);
  expect(() =>
    createOneBot({
      ...base,
      impl: "ok",
      bots: [{ self: { platform: "QQ", user_id: "1" }, online: true }],
    })
  )
    .toThrow(TypeError);
  expect(() => createOneBot({ ...base, impl: "ok", accessToken: "x " })).toThrow(TypeError);
  expect(() =>
    createOneBot({
      ...base,
      impl: "ok",
      heartbeat: { interval: 0 },
      websocketReverse: [{ url: "ws://127.0.0.1:1/" }],
    })
  ).toThrow(RangeError);
});

Deno.test("get_version and meta.connect carry the same version (META-00, §3.4)", async () => {
  await using kit = createTestKit({ impl: "my-impl.v2", version: "3.1.4", handlers: {} });
  const version = (await kit.call("get_version", {})).data;
  expect(version).toEqual({ impl: "my-impl.v2", version: "3.1.4", onebot_version: "12" });
  expect(kit.received[0]!.version).toEqual(version);
  expect("self" in kit.received[0]!).toBe(false);
});

Deno.test("get_status follows bots and good; each change sends one status_update listing all bots (§3.3, META-S3)", async () => {
  await using kit = createTestKit({
    impl: "x",
    version: "1",
    bots: [{ self: alice, online: true }],
    handlers: { ping: () => ok("pong") },
  });
  kit.clear();
  kit.onebot.updateBot({ self: bob, online: false });
  kit.onebot.updateBot({ self: bob, online: false }); // no change: no update
  kit.onebot.updateBot({ self: bob, online: true });
  kit.onebot.setGood(false);
  kit.onebot.setGood(false);
  kit.onebot.removeBot(alice);
  const updates = kit.received.filter((e) => e.detail_type === "status_update");
  expect(updates.map((e) => e.status)).toEqual([
    { good: true, bots: [{ self: alice, online: true }, { self: bob, online: false }] },
    { good: true, bots: [{ self: alice, online: true }, { self: bob, online: true }] },
    { good: false, bots: [{ self: alice, online: true }, { self: bob, online: true }] },
    { good: false, bots: [{ self: bob, online: true }] },
  ]);
  expect((await kit.call("get_status", {})).data).toEqual({
    good: false,
    bots: [{ self: bob, online: true }],
  });
});

Deno.test("OneBot.emit() refuses invalid events (EV-01) and fills nothing in behind the caller's back", async () => {
  await using onebot = createOneBot({ impl: "x", version: "1", handlers: {}, websocket: false });
  expect(() =>
    onebot.emit({ id: "1", time: 1, type: "message", detail_type: "private", sub_type: "" })
  )
    .toThrow(TypeError);
  expect(() => onebot.emit({ id: "", time: 1, type: "meta", detail_type: "x", sub_type: "" }))
    .toThrow(TypeError);
  expect(() =>
    onebot.emit({ id: "1", time: 1, type: "qq" as "meta", detail_type: "x", sub_type: "" })
  ).toThrow(TypeError); // EXT-12: type is never extended
});

Deno.test('createEvent() fills a unique id, float seconds, and sub_type "" (§2.1)', () => {
  const before = Date.now() / 1000;
  const a = createEvent({
    type: "notice",
    detail_type: "friend_increase",
    self: alice,
    user_id: "1",
  });
  const b = createEvent({
    type: "notice",
    detail_type: "friend_increase",
    self: alice,
    user_id: "1",
  });
  expect(a.id).not.toBe(b.id);
  expect(a.time).toBeGreaterThanOrEqual(before);
  expect(a.time).toBeLessThan(before + 60); // seconds, not milliseconds
  expect(a.sub_type).toBe("");
  expect(() => createEvent({ type: "notice", detail_type: "x" })).toThrow(TypeError);
});
