// Smoke test of examples/bridge_skeleton.ts over its fake platform: platform messages become
// standard events, handlers call the platform, the bot's online state follows the connection.
import { expect } from "expect";
import type { ActionResponse } from "../../action/types.ts";
import type { Event } from "../../event/types.ts";
import { createBridge, createFakeClient } from "../../examples/bridge_skeleton.ts";

Deno.test("examples/bridge_skeleton.ts follows the platform connection and maps messages both ways (§4.1, §5.1, META-S3)", async () => {
  const client = createFakeClient();
  await using bridge = createBridge(client);
  const events: Event[] = [];
  using _attached = bridge.attach(
    { emit: (event) => void events.push(event), [Symbol.asyncDispose]: () => Promise.resolve() },
    { greeting: false },
  );
  const call = (action: string, params: Record<string, unknown>): Promise<ActionResponse> =>
    bridge.router({ action, params }, { connection: "local" });
  const self = { platform: "fakechat", user_id: "bridge-bot" };

  expect(bridge.status().bots).toEqual([{ self, online: false }]);
  await client.connect();
  expect(bridge.status().bots).toEqual([{ self, online: true }]);

  const sent = await call("send_message", {
    detail_type: "private",
    user_id: "u1",
    message: [{ type: "text", data: { text: "hi " } }, {
      type: "mention",
      data: { user_id: "u2" },
    }],
  });
  expect(sent).toMatchObject({ status: "ok", data: { message_id: "1" } });
  await Promise.resolve(); // The fake platform answers in a microtask.
  expect(events.filter((event) => event.type === "message")).toEqual([
    expect.objectContaining({
      detail_type: "private",
      self,
      user_id: "u1",
      alt_message: "you said: hi @u2",
    }),
  ]);
  expect(
    await call("send_message", {
      detail_type: "private",
      user_id: "u1",
      message: [{ type: "image", data: { file_id: "f" } }],
    }),
  )
    .toMatchObject({ retcode: 10005 });

  await client.close();
  expect(bridge.status().bots).toEqual([{ self, online: false }]);
  expect(
    events.filter((event) => event.detail_type === "status_update").map((event) => event.status),
  )
    .toEqual([{ good: true, bots: [{ self, online: true }] }, {
      good: true,
      bots: [{ self, online: false }],
    }]);
  expect(await call("delete_message", { message_id: "1" })).toMatchObject({ retcode: 34000 });
});
