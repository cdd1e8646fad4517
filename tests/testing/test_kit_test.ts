import { expect } from "expect";
import { createEvent, failed, ok, RETCODE } from "../../mod.ts";
import { createTestKit } from "../../testing/mod.ts";

const self = { platform: "demo", user_id: "bot" };

function kit() {
  return createTestKit({
    impl: "kit-test",
    version: "1.0.0",
    bots: [{ self, online: true }],
    handlers: {
      get_user_info: (params: { user_id: string }) =>
        params.user_id === "1"
          ? ok({ user_id: "1", user_name: "alice", user_displayname: "", user_remark: "" })
          : failed(35001, "no such user"),
    },
  });
}

Deno.test("createTestKit() calls actions through the real HTTP handler, in JSON and MessagePack", async () => {
  await using k = kit();
  expect(await k.call("get_user_info", { user_id: "1" }, { echo: "e" })).toEqual({
    status: "ok",
    retcode: 0,
    data: { user_id: "1", user_name: "alice", user_displayname: "", user_remark: "" },
    message: "",
    echo: "e",
  });
  const missing = await k.call("get_user_info", { user_id: "2" }, { encoding: "msgpack" });
  expect(missing.retcode).toBe(35001);
  expect((await k.call("get_version", {})).data.impl).toBe("kit-test");
});

Deno.test("createTestKit() answers malformed requests like a peer would see them (REQ-01)", async () => {
  await using k = kit();
  expect((await k.callRaw({ action: "get_version" })).retcode).toBe(RETCODE.BAD_REQUEST);
  expect((await k.callRaw({ action: "nope", params: {} })).retcode).toBe(
    RETCODE.UNSUPPORTED_ACTION,
  );
});

Deno.test("createTestKit() records what a push connection receives, connect first (META-C2)", async () => {
  await using k = kit();
  k.onebot.emit(
    createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: "2" }),
  );
  k.onebot.updateBot({ self, online: false });
  expect(k.received.map((e) => e.detail_type)).toEqual([
    "connect",
    "status_update",
    "friend_increase",
    "status_update",
  ]);
  expect(k.events.map((e) => e.user_id)).toEqual(["2"]);
  const polled = await k.latestEvents();
  expect(polled.map((e) => e.detail_type)).toEqual(["friend_increase"]);
  expect(await k.latestEvents()).toEqual([]);
  k.clear();
  expect(k.received).toEqual([]);
});
