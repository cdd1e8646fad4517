// The tests of examples/bridge_skeleton.ts, written as a bridge's own tests would be: only
// `@libob/libob`, `@libob/libob/testing` and the bridge. Copy this file with the skeleton.
//
// - `createTestKit(bridge)` runs the bridge in-process: typed calls through its real HTTP
//   handler, and `nextEvent` for what applications would receive.
// - `connectTestClient(url)` is a fake application over a real socket (WebSocket or HTTP).
import { type Event, text } from "@libob/libob";
import { connectTestClient, createTestKit } from "@libob/libob/testing";
import { expect } from "expect";
import { createBridge, createFakeClient } from "./bridge_skeleton.ts";

const self = { platform: "fakechat", user_id: "bridge-bot" };

/** A `meta.status_update` saying whether the bridge's bot is online. */
function botOnline(online: boolean): (event: Event) => boolean {
  return (event) =>
    event.detail_type === "status_update" &&
    JSON.stringify(event.status) === JSON.stringify({ good: true, bots: [{ self, online }] });
}

Deno.test("bridge: the bot's online state follows the platform connection (META-S3)", async () => {
  const client = createFakeClient();
  await using kit = createTestKit(createBridge(client));
  expect(kit.onebot.status().bots).toEqual([{ self, online: false }]);
  await client.connect();
  await kit.nextEvent(botOnline(true));
  await client.close();
  await kit.nextEvent(botOnline(false));
});

Deno.test("bridge: send_message reaches the platform, and the platform's reply comes back as message.private (§4.1, §5.1)", async () => {
  const client = createFakeClient();
  await using kit = createTestKit(createBridge(client));
  await client.connect();
  const sent = await kit.call("send_message", {
    detail_type: "private",
    user_id: "u1",
    message: [{ type: "text", data: { text: "hi " } }, {
      type: "mention",
      data: { user_id: "u2" },
    }],
  });
  expect(sent).toMatchObject({ status: "ok", data: { message_id: "1" } });
  expect(await kit.nextEvent()).toMatchObject({
    type: "message",
    detail_type: "private",
    self,
    user_id: "u1",
    alt_message: "you said: hi @u2",
  });
});

Deno.test("bridge: what the platform cannot do answers a retcode, never a crash (10005, 34000)", async () => {
  const client = createFakeClient();
  await using kit = createTestKit(createBridge(client));
  const image = await kit.call("send_message", {
    detail_type: "private",
    user_id: "u1",
    message: [{ type: "image", data: { file_id: "f" } }],
  });
  expect(image.retcode).toBe(10005); // only text and mentions are let in
  // Not connected: the platform refuses, the application gets 34000 with the reason.
  const deleted = await kit.call("delete_message", { message_id: "1" });
  expect(deleted).toMatchObject({ retcode: 34000, message: "the platform refused: not connected" });
});

for (const scheme of ["ws", "http"] as const) {
  Deno.test(`bridge: an application over a real ${scheme} socket calls actions and receives events`, async () => {
    const client = createFakeClient();
    await using bridge = createBridge(client, {
      connections: { http: { accessToken: "t0ken" }, websocket: { accessToken: "t0ken" } },
    });
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      bridge.fetch,
    );
    await using app = await connectTestClient(`${scheme}://127.0.0.1:${server.addr.port}/`, {
      token: "t0ken",
    });
    await client.connect();
    const info = await app.call("get_self_info", {});
    expect(info.data).toEqual({
      user_id: "bridge-bot",
      user_name: "Bridge bot",
      user_displayname: "",
    });
    await app.call("send_message", {
      detail_type: "private",
      user_id: "u1",
      message: [text("ping")],
    });
    expect(await app.nextEvent()).toMatchObject({
      detail_type: "private",
      alt_message: "you said: ping",
    });
  });
}
