import { expect } from "expect";
import type { ActionResponse } from "../../action/types.ts";
import type { Event } from "../../event/types.ts";
import { createDemo, type DemoOptions } from "../../demo/app.ts";
import { DEMO_RETCODE } from "../../demo/handlers.ts";
import { parseDemoEnv } from "../../demo/config.ts";
import { openClient, serve, serveApp, within } from "../_loopback.ts";

type Call = (action: string, params?: Record<string, unknown>) => Promise<ActionResponse>;

interface Demo {
  /** Calls an action over HTTP. */
  call: Call;
  /** The unread non-meta events, over HTTP (`get_latest_events`, HTTP-12). */
  events: () => Promise<Event[]>;
  /** `ws://127.0.0.1:<port>/`. */
  wsUrl: string;
}

/** Runs `body` against the demo served on a loopback port. */
async function withDemo(
  body: (demo: Demo) => Promise<void>,
  options: DemoOptions = {},
): Promise<void> {
  await using onebot = createDemo(options);
  await using server = serve(onebot.fetch);
  const call: Call = async (action, params = {}) => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action, params }),
    });
    expect(response.status).toBe(200);
    return await response.json();
  };
  const events = async () => {
    const response = await call("get_latest_events", { limit: 0, timeout: 0 });
    expect(response.retcode).toBe(0);
    return (response.data as Event[]).filter((event) => event.type !== "meta");
  };
  await body({ call, events, wsUrl: server.wsUrl });
}

function expectOk(response: ActionResponse): unknown {
  expect(response).toMatchObject({ status: "ok", retcode: 0, message: "" });
  return response.data;
}

function expectFailed(response: ActionResponse, retcode: number, field: string): void {
  expect(response).toMatchObject({ status: "failed", retcode, data: null });
  expect(response.message.startsWith(`${field}: `)).toBe(true);
}

const SELF = { platform: "demo", user_id: "10000" };
const ALICE = {
  user_id: "10001",
  user_name: "alice",
  user_displayname: "Alice",
  user_remark: "alice from the demo",
};
const BOB = { user_id: "10002", user_name: "bob", user_displayname: "", user_remark: "" };

Deno.test("createDemo() answers get_version with impl libob-demo (§3.3, §8)", async () => {
  await withDemo(async ({ call }) => {
    expect(expectOk(await call("get_version"))).toEqual({
      impl: "libob-demo",
      version: (await import("../../version.ts")).LIBOB_VERSION,
      onebot_version: "12",
    });
    expect(expectOk(await call("get_status"))).toEqual({
      good: true,
      bots: [{ self: SELF, online: true }],
    });
  });
});

Deno.test("createDemo() lists every action it implements (META-01, §9.3 item 28)", async () => {
  await withDemo(async ({ call }) => {
    const actions = expectOk(await call("get_supported_actions")) as string[];
    expect([...actions].sort()).toEqual([
      "delete_message",
      "demo.get_messages",
      "demo.simulate_delete",
      "demo.simulate_join",
      "demo.simulate_leave",
      "demo.simulate_message",
      "get_channel_info",
      "get_channel_list",
      "get_channel_member_info",
      "get_channel_member_list",
      "get_file",
      "get_file_fragmented",
      "get_friend_list",
      "get_group_info",
      "get_group_list",
      "get_group_member_info",
      "get_group_member_list",
      "get_guild_info",
      "get_guild_list",
      "get_guild_member_info",
      "get_guild_member_list",
      "get_self_info",
      "get_status",
      "get_supported_actions",
      "get_user_info",
      "get_version",
      "leave_channel",
      "leave_group",
      "leave_guild",
      "send_message",
      "set_channel_name",
      "set_group_name",
      "set_guild_name",
      "upload_file",
      "upload_file_fragmented",
    ]);
  });
});

Deno.test("demo get_self_info, get_user_info and get_friend_list return every field (§4.2)", async () => {
  await withDemo(async ({ call }) => {
    expect(expectOk(await call("get_self_info"))).toEqual({
      user_id: "10000",
      user_name: "libob bot",
      user_displayname: "",
    });
    expect(expectOk(await call("get_user_info", { user_id: "10001" }))).toEqual(ALICE);
    // A stranger is a user too.
    expect(expectOk(await call("get_user_info", { user_id: "10003" }))).toEqual({
      user_id: "10003",
      user_name: "carol",
      user_displayname: "Carol",
      user_remark: "",
    });
    expect(expectOk(await call("get_friend_list"))).toEqual([ALICE, BOB]);
    expectFailed(
      await call("get_user_info", { user_id: "404" }),
      DEMO_RETCODE.UNKNOWN_USER,
      "user_id",
    );
    expectFailed(await call("get_user_info", {}), 10003, "user_id");
  });
});

Deno.test("demo group actions return every field and check targets (§4.3)", async () => {
  await withDemo(async ({ call }) => {
    const group = { group_id: "20001", group_name: "libob demo group" };
    expect(expectOk(await call("get_group_info", { group_id: "20001" }))).toEqual(group);
    expect(expectOk(await call("get_group_list"))).toEqual([group]);
    expect(expectOk(await call("get_group_member_list", { group_id: "20001" }))).toEqual([
      { user_id: "10000", user_name: "libob bot", user_displayname: "" },
      { user_id: "10001", user_name: "alice", user_displayname: "Alice (admin)" },
      { user_id: "10002", user_name: "bob", user_displayname: "" },
    ]);
    expect(expectOk(await call("get_group_member_info", { group_id: "20001", user_id: "10002" })))
      .toEqual({ user_id: "10002", user_name: "bob", user_displayname: "" });
    expectFailed(
      await call("get_group_member_info", { group_id: "20001", user_id: "10003" }),
      DEMO_RETCODE.NOT_A_MEMBER,
      "user_id",
    );
    expectFailed(
      await call("get_group_info", { group_id: "404" }),
      DEMO_RETCODE.UNKNOWN_GROUP,
      "group_id",
    );
    expectFailed(await call("get_group_member_list", {}), 10003, "group_id");

    expect(expectOk(await call("set_group_name", { group_id: "20001", group_name: "renamed" })))
      .toBeNull();
    expect(expectOk(await call("get_group_info", { group_id: "20001" }))).toEqual({
      group_id: "20001",
      group_name: "renamed",
    });
  });
});

Deno.test("demo leave_group emits group_member_decrease with sub_type leave (§4.3, §5.2)", async () => {
  await withDemo(async ({ call, events }) => {
    expect(expectOk(await call("leave_group", { group_id: "20001" }))).toBeNull();
    const [event, ...rest] = await events();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: "notice",
      detail_type: "group_member_decrease",
      sub_type: "leave",
      self: SELF,
      group_id: "20001",
      user_id: "10000",
      operator_id: "10000",
    });
    expect(expectOk(await call("get_group_list"))).toEqual([]);
    expectFailed(
      await call("leave_group", { group_id: "20001" }),
      DEMO_RETCODE.UNKNOWN_GROUP,
      "group_id",
    );
    expectFailed(
      await call("send_message", { detail_type: "group", group_id: "20001", message: "hi" }),
      DEMO_RETCODE.UNKNOWN_GROUP,
      "group_id",
    );
  });
});

Deno.test("demo guild actions return every field and check targets (§4.4)", async () => {
  await withDemo(async ({ call, events }) => {
    const guild = { guild_id: "30001", guild_name: "libob demo guild" };
    expect(expectOk(await call("get_guild_info", { guild_id: "30001" }))).toEqual(guild);
    expect(expectOk(await call("get_guild_list"))).toEqual([guild]);
    const members = expectOk(await call("get_guild_member_list", { guild_id: "30001" }));
    expect(members).toEqual([
      { user_id: "10000", user_name: "libob bot", user_displayname: "" },
      { user_id: "10001", user_name: "alice", user_displayname: "Alice" },
      { user_id: "10002", user_name: "bob", user_displayname: "bobby" },
      { user_id: "10003", user_name: "carol", user_displayname: "Carol" },
    ]);
    expect(expectOk(await call("get_guild_member_info", { guild_id: "30001", user_id: "10002" })))
      .toEqual({ user_id: "10002", user_name: "bob", user_displayname: "bobby" });
    expectFailed(
      await call("get_guild_member_info", { guild_id: "30001", user_id: "404" }),
      DEMO_RETCODE.UNKNOWN_USER,
      "user_id",
    );
    expectFailed(
      await call("get_guild_info", { guild_id: "404" }),
      DEMO_RETCODE.UNKNOWN_GUILD,
      "guild_id",
    );
    expect(expectOk(await call("set_guild_name", { guild_id: "30001", guild_name: "home" })))
      .toBeNull();
    expect(expectOk(await call("get_guild_info", { guild_id: "30001" }))).toEqual({
      guild_id: "30001",
      guild_name: "home",
    });

    expect(expectOk(await call("leave_guild", { guild_id: "30001" }))).toBeNull();
    expect(await events()).toEqual([expect.objectContaining({
      type: "notice",
      detail_type: "guild_member_decrease",
      sub_type: "leave",
      self: SELF,
      guild_id: "30001",
      user_id: "10000",
      operator_id: "10000",
    })]);
    expect(expectOk(await call("get_guild_list"))).toEqual([]);
    expectFailed(
      await call("get_channel_list", { guild_id: "30001" }),
      DEMO_RETCODE.UNKNOWN_GUILD,
      "guild_id",
    );
  });
});

Deno.test("demo channel actions return every field and check targets (§4.4)", async () => {
  await withDemo(async ({ call, events }) => {
    const general = { channel_id: "40001", channel_name: "general" };
    const random = { channel_id: "40002", channel_name: "random" };
    const staff = { channel_id: "40003", channel_name: "staff" };
    expect(expectOk(await call("get_channel_info", { guild_id: "30001", channel_id: "40002" })))
      .toEqual(random);
    // joined_only defaults to false (§4.4).
    expect(expectOk(await call("get_channel_list", { guild_id: "30001" })))
      .toEqual([general, random, staff]);
    expect(expectOk(await call("get_channel_list", { guild_id: "30001", joined_only: true })))
      .toEqual([general, random]);
    expect(
      expectOk(await call("get_channel_member_list", { guild_id: "30001", channel_id: "40002" })),
    ).toEqual([
      { user_id: "10000", user_name: "libob bot", user_displayname: "" },
      { user_id: "10001", user_name: "alice", user_displayname: "Alice" },
    ]);
    expect(expectOk(
      await call("get_channel_member_info", {
        guild_id: "30001",
        channel_id: "40001",
        user_id: "10002",
      }),
    )).toEqual({ user_id: "10002", user_name: "bob", user_displayname: "bobby" });
    expectFailed(
      await call("get_channel_member_info", {
        guild_id: "30001",
        channel_id: "40002",
        user_id: "10003",
      }),
      DEMO_RETCODE.NOT_A_MEMBER,
      "user_id",
    );
    expectFailed(
      await call("get_channel_info", { guild_id: "30001", channel_id: "404" }),
      DEMO_RETCODE.UNKNOWN_CHANNEL,
      "channel_id",
    );
    expectFailed(await call("get_channel_info", { guild_id: "30001" }), 10003, "channel_id");
    expect(expectOk(
      await call("set_channel_name", {
        guild_id: "30001",
        channel_id: "40002",
        channel_name: "off-topic",
      }),
    )).toBeNull();
    expect(expectOk(await call("get_channel_info", { guild_id: "30001", channel_id: "40002" })))
      .toEqual({ channel_id: "40002", channel_name: "off-topic" });

    expect(expectOk(await call("leave_channel", { guild_id: "30001", channel_id: "40002" })))
      .toBeNull();
    expect(await events()).toEqual([expect.objectContaining({
      type: "notice",
      detail_type: "channel_member_decrease",
      sub_type: "leave",
      self: SELF,
      guild_id: "30001",
      channel_id: "40002",
      user_id: "10000",
      operator_id: "10000",
    })]);
    expect(expectOk(await call("get_channel_list", { guild_id: "30001", joined_only: true })))
      .toEqual([general]);
    expectFailed(
      await call("leave_channel", { guild_id: "30001", channel_id: "40003" }),
      DEMO_RETCODE.NOT_A_MEMBER,
      "channel_id",
    );
  });
});

Deno.test("demo send_message stores the message and returns message_id and time (§4.1)", async () => {
  await withDemo(async ({ call }) => {
    const targets = [
      { detail_type: "private", user_id: "10001" },
      { detail_type: "private", user_id: "10003" },
      { detail_type: "group", group_id: "20001" },
      { detail_type: "channel", guild_id: "30001", channel_id: "40001" },
    ];
    const ids = new Set<string>();
    for (const target of targets) {
      const data = expectOk(
        await call("send_message", {
          ...target,
          message: [{ type: "text", data: { text: "hi" } }],
        }),
      ) as { message_id: string; time: number };
      expect(Object.keys(data).sort()).toEqual(["message_id", "time"]);
      expect(typeof data.message_id).toBe("string");
      ids.add(data.message_id);
      // Float seconds, not milliseconds (§9.3 item 31).
      expect(data.time).toBeGreaterThan(1e9);
      expect(data.time).toBeLessThan(1e11);
    }
    expect(ids.size).toBe(targets.length);
    // The three MSG-02 forms.
    expectOk(
      await call("send_message", { detail_type: "private", user_id: "10001", message: "x" }),
    );
    expectOk(
      await call("send_message", {
        detail_type: "private",
        user_id: "10001",
        message: { type: "mention", data: { user_id: "10001" } },
      }),
    );
  });
});

Deno.test("demo send_message answers logic errors for unknown targets (§2.4 35xxx)", async () => {
  await withDemo(async ({ call }) => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ detail_type: "private", user_id: "404" }, DEMO_RETCODE.UNKNOWN_USER, "user_id"],
      [{ detail_type: "group", group_id: "404" }, DEMO_RETCODE.UNKNOWN_GROUP, "group_id"],
      [
        { detail_type: "channel", guild_id: "404", channel_id: "40001" },
        DEMO_RETCODE.UNKNOWN_GUILD,
        "guild_id",
      ],
      [
        { detail_type: "channel", guild_id: "30001", channel_id: "404" },
        DEMO_RETCODE.UNKNOWN_CHANNEL,
        "channel_id",
      ],
      [
        { detail_type: "channel", guild_id: "30001", channel_id: "40003" },
        DEMO_RETCODE.NOT_A_MEMBER,
        "channel_id",
      ],
      [{ detail_type: "demo.discuss", user_id: "10001" }, 10004, "detail_type"],
      [{ detail_type: "group", user_id: "10001" }, 10003, "group_id"],
    ];
    for (const [target, retcode, field] of cases) {
      expectFailed(await call("send_message", { ...target, message: "hi" }), retcode, field);
    }
  });
});

Deno.test("demo.simulate_message emits the message event, seen by get_latest_events (§5.1, MSG-01, MSG-04)", async () => {
  await withDemo(async ({ call, events }) => {
    const sent = [
      {
        params: { detail_type: "private", user_id: "10001", message: "hello" },
        fields: { user_id: "10001" },
      },
      {
        params: {
          detail_type: "group",
          user_id: "10002",
          group_id: "20001",
          message: { type: "mention", data: { user_id: "10000" } },
        },
        fields: { user_id: "10002", group_id: "20001" },
      },
      {
        params: {
          detail_type: "channel",
          user_id: "10003",
          guild_id: "30001",
          channel_id: "40001",
          message: [{ type: "text", data: { text: "look " } }, {
            type: "image",
            data: { file_id: "f1" },
          }],
        },
        fields: { user_id: "10003", guild_id: "30001", channel_id: "40001" },
      },
    ];
    const ids: string[] = [];
    for (const { params } of sent) {
      const data = expectOk(await call("demo.simulate_message", params));
      expect(Object.keys(data as object)).toEqual(["message_id"]);
      ids.push((data as { message_id: string }).message_id);
    }
    const received = await events();
    expect(received).toHaveLength(3);
    expect(received[0]).toEqual({
      id: expect.any(String),
      time: expect.any(Number),
      type: "message",
      detail_type: "private",
      sub_type: "",
      self: SELF,
      message_id: ids[0],
      user_id: "10001",
      message: [{ type: "text", data: { text: "hello" } }],
      alt_message: "hello",
    });
    expect(received[1]).toMatchObject({
      detail_type: "group",
      sub_type: "",
      message_id: ids[1],
      ...sent[1]!.fields,
      message: [{ type: "mention", data: { user_id: "10000" } }],
      alt_message: "[mention:10000]",
    });
    expect(received[2]).toMatchObject({
      detail_type: "channel",
      sub_type: "",
      message_id: ids[2],
      ...sent[2]!.fields,
      alt_message: "look [image]",
    });
  });
});

Deno.test("demo.simulate_message gives a reply segment its quoted message's sender as user_id, as NoneBot2's event.reply needs (§6.2)", async () => {
  await withDemo(async ({ call, events }) => {
    const group = { detail_type: "group", group_id: "20001" };
    const botSaid = expectOk(
      await call("send_message", { ...group, message: "I am the bot" }),
    ) as { message_id: string };
    const reply = expectOk(
      await call("demo.simulate_message", {
        ...group,
        user_id: "10001",
        message: [
          { type: "reply", data: { message_id: botSaid.message_id } },
          { type: "text", data: { text: "replying to the bot" } },
        ],
      }),
    ) as { message_id: string };
    // A user_id that is the quoted sender is accepted as is.
    expectOk(
      await call("demo.simulate_message", {
        ...group,
        user_id: "10002",
        message: [{ type: "reply", data: { message_id: reply.message_id, user_id: "10001" } }],
      }),
    );
    const [first, second] = await events();
    expect(first!.message).toEqual([
      { type: "reply", data: { message_id: botSaid.message_id, user_id: "10000" } },
      { type: "text", data: { text: "replying to the bot" } },
    ]);
    expect(second!.message).toEqual([
      { type: "reply", data: { message_id: reply.message_id, user_id: "10001" } },
    ]);
  });
});

Deno.test("demo.simulate_message refuses a reply to an unknown message, to another chat's, or with the wrong user_id", async () => {
  await withDemo(async ({ call, events }) => {
    const inPrivate = expectOk(
      await call("demo.simulate_message", {
        detail_type: "private",
        user_id: "10001",
        message: "hi",
      }),
    ) as { message_id: string };
    const group = { detail_type: "group", group_id: "20001", user_id: "10002" };
    const replyTo = (data: Record<string, string>) =>
      call("demo.simulate_message", {
        ...group,
        message: [{ type: "reply", data }, { type: "text", data: { text: "x" } }],
      });
    const unknown = await replyTo({ message_id: "999999" });
    expectFailed(unknown, DEMO_RETCODE.UNKNOWN_MESSAGE, "message");
    expect(unknown.message).toBe("message: reply to unknown message 999999");
    const elsewhere = await replyTo({ message_id: inPrivate.message_id });
    expectFailed(elsewhere, DEMO_RETCODE.UNKNOWN_MESSAGE, "message");
    expect(elsewhere.message).toContain("in another chat");
    const said = expectOk(await call("send_message", { ...group, message: "hello" })) as {
      message_id: string;
    };
    const wrong = await replyTo({ message_id: said.message_id, user_id: "10001" });
    expectFailed(wrong, 10003, "message");
    expect(wrong.message).toContain("is not the sender of message");
    // Nothing was stored or emitted for the refused ones.
    expect((await events()).map((event) => event.message_id)).toEqual([inPrivate.message_id]);
  });
});

Deno.test("demo.simulate_message reaches forward WebSocket connections too (WS-01, WS-05)", async () => {
  await withDemo(async ({ call, wsUrl }) => {
    await using peer = await openClient(wsUrl);
    await peer.nextEvent((event) => event.detail_type === "status_update");
    const data = expectOk(
      await call("demo.simulate_message", {
        detail_type: "private",
        user_id: "10002",
        message: "over ws",
      }),
    ) as { message_id: string };
    const event = await peer.nextEvent((e) => e.type === "message");
    expect(event).toMatchObject({
      detail_type: "private",
      message_id: data.message_id,
      user_id: "10002",
      alt_message: "over ws",
    });
    expect(event.frame.kind).toBe("text");
  });
});

Deno.test("demo.simulate_message checks its params, naming the field (10003, 35xxx)", async () => {
  await withDemo(async ({ call, events }) => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ detail_type: "private", message: "hi" }, 10003, "user_id"],
      [{ detail_type: "private", user_id: 10001, message: "hi" }, 10003, "user_id"],
      [{ user_id: "10001", message: "hi" }, 10003, "detail_type"],
      [{ detail_type: "guild", user_id: "10001", message: "hi" }, 10003, "detail_type"],
      [{ detail_type: "group", user_id: "10001", message: "hi" }, 10003, "group_id"],
      [
        { detail_type: "channel", user_id: "10001", guild_id: "30001", message: "hi" },
        10003,
        "channel_id",
      ],
      [{ detail_type: "private", user_id: "10001" }, 10003, "message"],
      [{ detail_type: "private", user_id: "10001", message: [] }, 10003, "message"],
      [
        { detail_type: "private", user_id: "10001", message: [{ type: "image", data: {} }] },
        10006,
        "message.0.data.file_id",
      ],
      [
        { detail_type: "private", user_id: "404", message: "hi" },
        DEMO_RETCODE.UNKNOWN_USER,
        "user_id",
      ],
      [
        { detail_type: "private", user_id: "10000", message: "hi" },
        DEMO_RETCODE.SENDER_IS_BOT,
        "user_id",
      ],
      [
        { detail_type: "group", user_id: "10001", group_id: "404", message: "hi" },
        DEMO_RETCODE.UNKNOWN_GROUP,
        "group_id",
      ],
      [
        { detail_type: "group", user_id: "10003", group_id: "20001", message: "hi" },
        DEMO_RETCODE.NOT_A_MEMBER,
        "user_id",
      ],
      [
        {
          detail_type: "channel",
          user_id: "10003",
          guild_id: "30001",
          channel_id: "40002",
          message: "hi",
        },
        DEMO_RETCODE.NOT_A_MEMBER,
        "user_id",
      ],
      [
        {
          detail_type: "channel",
          user_id: "10001",
          guild_id: "30001",
          channel_id: "40003",
          message: "hi",
        },
        DEMO_RETCODE.NOT_A_MEMBER,
        "channel_id",
      ],
    ];
    for (const [params, retcode, field] of cases) {
      expectFailed(await call("demo.simulate_message", params), retcode, field);
    }
    expect(await events()).toEqual([]);
  });
});

Deno.test("demo.get_messages lists the messages of one chat, both directions, oldest first", async () => {
  await withDemo(async ({ call }) => {
    const text = (value: string) => [{ type: "text", data: { text: value } }];
    expectOk(
      await call("demo.simulate_message", {
        detail_type: "private",
        user_id: "10001",
        message: "ping",
      }),
    );
    expectOk(
      await call("send_message", { detail_type: "private", user_id: "10001", message: "pong" }),
    );
    expectOk(
      await call("send_message", { detail_type: "private", user_id: "10002", message: "hi bob" }),
    );
    expectOk(
      await call("send_message", { detail_type: "group", group_id: "20001", message: "hi all" }),
    );
    const messages = expectOk(
      await call("demo.get_messages", { detail_type: "private", user_id: "10001" }),
    );
    expect(messages).toEqual([
      {
        message_id: "1",
        time: expect.any(Number),
        user_id: "10001",
        message: text("ping"),
        alt_message: "ping",
      },
      {
        message_id: "2",
        time: expect.any(Number),
        user_id: "10000",
        message: text("pong"),
        alt_message: "pong",
      },
    ]);
    expect(expectOk(await call("demo.get_messages", { detail_type: "group", group_id: "20001" })))
      .toEqual([
        expect.objectContaining({ message_id: "4", user_id: "10000", alt_message: "hi all" }),
      ]);
    expect(
      expectOk(
        await call("demo.get_messages", {
          detail_type: "channel",
          guild_id: "30001",
          channel_id: "40001",
        }),
      ),
    ).toEqual([]);
    // Deleted messages are gone.
    expectOk(await call("delete_message", { message_id: "2" }));
    expect(
      expectOk(await call("demo.get_messages", { detail_type: "private", user_id: "10001" })),
    ).toEqual([expect.objectContaining({ message_id: "1" })]);
  });
});

Deno.test("demo.get_messages checks its params and its chat, naming the field (10003, 35xxx)", async () => {
  await withDemo(async ({ call }) => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{}, 10003, "detail_type"],
      [{ detail_type: "meeting" }, 10003, "detail_type"],
      [{ detail_type: "private" }, 10003, "user_id"],
      [{ detail_type: "group", group_id: 20001 }, 10003, "group_id"],
      [{ detail_type: "channel", guild_id: "30001" }, 10003, "channel_id"],
      [{ detail_type: "private", user_id: "404" }, DEMO_RETCODE.UNKNOWN_USER, "user_id"],
      [{ detail_type: "group", group_id: "404" }, DEMO_RETCODE.UNKNOWN_GROUP, "group_id"],
      [
        { detail_type: "channel", guild_id: "30001", channel_id: "404" },
        DEMO_RETCODE.UNKNOWN_CHANNEL,
        "channel_id",
      ],
    ];
    for (const [params, retcode, field] of cases) {
      expectFailed(await call("demo.get_messages", params), retcode, field);
    }
  });
});

Deno.test("demo delete_message emits the *_message_delete notice of its chat (§4.1, §5.2)", async () => {
  await withDemo(async ({ call, events }) => {
    async function messageId(response: Promise<ActionResponse>): Promise<string> {
      return (expectOk(await response) as { message_id: string }).message_id;
    }
    const own = await messageId(
      call("send_message", { detail_type: "group", group_id: "20001", message: "oops" }),
    );
    const alices = await messageId(
      call("demo.simulate_message", {
        detail_type: "channel",
        user_id: "10001",
        guild_id: "30001",
        channel_id: "40001",
        message: "spam",
      }),
    );
    const bobs = await messageId(
      call("demo.simulate_message", { detail_type: "private", user_id: "10002", message: "hey" }),
    );
    const ownChannel = await messageId(
      call("send_message", {
        detail_type: "channel",
        guild_id: "30001",
        channel_id: "40002",
        message: "x",
      }),
    );
    const bobsGroup = await messageId(
      call("demo.simulate_message", {
        detail_type: "group",
        user_id: "10002",
        group_id: "20001",
        message: "y",
      }),
    );
    await events(); // the simulated messages
    for (const id of [own, alices, bobs, ownChannel, bobsGroup]) {
      expect(expectOk(await call("delete_message", { message_id: id }))).toBeNull();
    }
    const notices = await events();
    expect(notices).toEqual([
      expect.objectContaining({
        type: "notice",
        detail_type: "group_message_delete",
        sub_type: "recall",
        self: SELF,
        group_id: "20001",
        message_id: own,
        user_id: "10000",
        operator_id: "10000",
      }),
      expect.objectContaining({
        detail_type: "channel_message_delete",
        sub_type: "delete",
        guild_id: "30001",
        channel_id: "40001",
        message_id: alices,
        user_id: "10001",
        operator_id: "10000",
      }),
      expect.objectContaining({
        detail_type: "private_message_delete",
        sub_type: "",
        message_id: bobs,
        user_id: "10002",
      }),
      expect.objectContaining({
        detail_type: "channel_message_delete",
        sub_type: "recall",
        channel_id: "40002",
        message_id: ownChannel,
        user_id: "10000",
        operator_id: "10000",
      }),
      expect.objectContaining({
        detail_type: "group_message_delete",
        sub_type: "delete",
        message_id: bobsGroup,
        user_id: "10002",
        operator_id: "10000",
      }),
    ]);
    expectFailed(
      await call("delete_message", { message_id: own }),
      DEMO_RETCODE.UNKNOWN_MESSAGE,
      "message_id",
    );
    expectFailed(await call("delete_message", {}), 10003, "message_id");
  });
});

Deno.test("createDemo() applies the parsed access token and buffer size (HTTP-03, HTTP-13)", async () => {
  await withDemo(async ({ wsUrl }) => {
    const url = wsUrl.replace("ws:", "http:");
    const denied = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action: "get_version", params: {} }),
    });
    await denied.body?.cancel();
    expect(denied.status).toBe(401);
    const call = async (action: string, params: Record<string, unknown>) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: "Bearer t" },
        body: JSON.stringify({ action, params }),
      });
      return await response.json() as ActionResponse;
    };
    for (const text of ["1", "2", "3"]) {
      expectOk(
        await call("demo.simulate_message", {
          detail_type: "private",
          user_id: "10001",
          message: text,
        }),
      );
    }
    const events = expectOk(await call("get_latest_events", {})) as Event[];
    // The buffer keeps the newest two; the oldest is dropped (HTTP-13).
    expect(events.filter((event) => event.type === "message").map((event) => event.alt_message))
      .toEqual(["2", "3"]);
  }, { accessToken: "t", http: { eventBufferSize: 2 } });
});

Deno.test("createDemo() pushes events to the reverse WebSockets of parseDemoEnv (CONN-03, §1.4)", async () => {
  await using first = serveApp();
  await using second = serveApp();
  await using onebot = createDemo(parseDemoEnv({
    ONEBOT_WS_REVERSE_URL: `${first.wsUrl},${second.wsUrl}`,
    ONEBOT_RECONNECT_INTERVAL: "100",
  }));
  const { peer } = await first.accept();
  const { peer: other } = await second.accept();
  const response = await peer.call({
    action: "demo.simulate_message",
    params: { detail_type: "private", user_id: "10001", message: "pushed" },
    echo: "1",
  });
  expect(response).toMatchObject({ status: "ok", retcode: 0, echo: "1" });
  const message_id = (response.data as { message_id: string }).message_id;
  for (const app of [peer, other]) {
    expect(await app.nextEvent((event) => event.type === "message")).toMatchObject({
      detail_type: "private",
      message_id,
      alt_message: "pushed",
    });
  }
  void onebot;
});

Deno.test({
  name: "createDemo() pushes events to the webhooks of parseDemoEnv (CONN-03, §1.2)",
  async fn() {
    const posted: Event[] = [];
    const messagePosted = Promise.withResolvers<Event>();
    await using hook = serve(async (request) => {
      const event = await request.json() as Event;
      posted.push(event);
      if (event.type === "message") messagePosted.resolve(event);
      return new Response(null, { status: 204 });
    });
    await using onebot = createDemo(parseDemoEnv({ ONEBOT_WEBHOOK_URL: hook.url }));
    const response = await onebot.router({
      action: "demo.simulate_message",
      params: { detail_type: "private", user_id: "10001", message: "pushed" },
    }, { connection: "local" });
    const message_id = (response.data as { message_id: string }).message_id;
    const event = await within(messagePosted.promise, "the webhook POST of the message");
    expect(event).toMatchObject({ detail_type: "private", message_id, alt_message: "pushed" });
    expect(posted[0]).toMatchObject({ type: "meta", detail_type: "status_update" });
  },
});

Deno.test("createDemo() stores and returns files through upload_file and get_file (§4.5, ENC-01)", async () => {
  await withDemo(async ({ call }) => {
    const uploaded = expectOk(
      await call("upload_file", { type: "data", name: "hi.txt", data: "aGVsbG8=" }),
    ) as { file_id: string };
    const file = expectOk(await call("get_file", { file_id: uploaded.file_id, type: "data" })) as {
      name: string;
      data: string;
      sha256: string;
    };
    expect(file.name).toBe("hi.txt");
    expect(file.data).toBe("aGVsbG8="); // Base64 in JSON
    expect(file.sha256).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  });
});

Deno.test("demo.simulate_delete lets a user recall their own message, with its notice (§5.2)", async () => {
  await withDemo(async ({ call, events }) => {
    const sent = expectOk(
      await call("demo.simulate_message", {
        detail_type: "group",
        user_id: "10001",
        group_id: "20001",
        message: "typo",
      }),
    ) as { message_id: string };
    await events();
    expectFailed(
      await call("demo.simulate_delete", { user_id: "10002", message_id: sent.message_id }),
      DEMO_RETCODE.NOT_THE_SENDER,
      "message_id",
    );
    expectFailed(
      await call("demo.simulate_delete", { user_id: "10001", message_id: "999" }),
      DEMO_RETCODE.UNKNOWN_MESSAGE,
      "message_id",
    );
    expectFailed(await call("demo.simulate_delete", { user_id: "10001" }), 10003, "message_id");
    expect(
      expectOk(
        await call("demo.simulate_delete", { user_id: "10001", message_id: sent.message_id }),
      ),
    ).toBeNull();
    expect(await events()).toEqual([
      expect.objectContaining({
        type: "notice",
        detail_type: "group_message_delete",
        sub_type: "recall",
        group_id: "20001",
        message_id: sent.message_id,
        user_id: "10001",
        operator_id: "10001",
      }),
    ]);
    const left = expectOk(
      await call("demo.get_messages", { detail_type: "group", group_id: "20001" }),
    );
    expect(left).toEqual([]);
  });
});

Deno.test("demo.simulate_join and demo.simulate_leave change members, with their notices (§5.2)", async () => {
  await withDemo(async ({ call, events }) => {
    expectOk(await call("demo.simulate_join", { user_id: "10003", group_id: "20001" }));
    expectFailed(
      await call("demo.simulate_join", { user_id: "10003", group_id: "20001" }),
      DEMO_RETCODE.ALREADY_A_MEMBER,
      "user_id",
    );
    expectFailed(
      await call("demo.simulate_join", { user_id: "10009", group_id: "20001" }),
      DEMO_RETCODE.UNKNOWN_USER,
      "user_id",
    );
    const members = expectOk(await call("get_group_member_list", { group_id: "20001" }));
    expect((members as { user_id: string }[]).map((m) => m.user_id)).toContain("10003");
    expectOk(await call("demo.simulate_leave", { user_id: "10003", group_id: "20001" }));
    expectFailed(
      await call("demo.simulate_leave", { user_id: "10003", group_id: "20001" }),
      DEMO_RETCODE.NOT_A_MEMBER,
      "user_id",
    );
    expectFailed(
      await call("demo.simulate_leave", { user_id: "10000", group_id: "20001" }),
      DEMO_RETCODE.SENDER_IS_BOT,
      "user_id",
    );
    expectFailed(await call("demo.simulate_leave", { group_id: "20001" }), 10003, "user_id");
    expect(await events()).toEqual([
      expect.objectContaining({
        type: "notice",
        detail_type: "group_member_increase",
        sub_type: "join",
        group_id: "20001",
        user_id: "10003",
        operator_id: "10003",
      }),
      expect.objectContaining({
        detail_type: "group_member_decrease",
        sub_type: "leave",
        group_id: "20001",
        user_id: "10003",
        operator_id: "10003",
      }),
    ]);
  });
});

Deno.test("demo keeps maxMessagesPerChat messages per chat: demo.get_messages lists the newest, a dropped ID answers 35005", async () => {
  await withDemo(async ({ call }) => {
    const chat = { detail_type: "group", group_id: "20001" };
    for (const message of ["one", "two", "three", "four"]) {
      expectOk(await call("send_message", { ...chat, message }));
    }
    const listed = expectOk(await call("demo.get_messages", chat)) as { alt_message: string }[];
    expect(listed.map((stored) => stored.alt_message)).toEqual(["two", "three", "four"]);
    expectFailed(
      await call("delete_message", { message_id: "1" }),
      DEMO_RETCODE.UNKNOWN_MESSAGE,
      "message_id",
    );
    expectFailed(
      await call("demo.simulate_delete", { user_id: "10001", message_id: "1" }),
      DEMO_RETCODE.UNKNOWN_MESSAGE,
      "message_id",
    );
    expectOk(await call("delete_message", { message_id: "2" }));
  }, parseDemoEnv({ ONEBOT_DEMO_MAX_MESSAGES: "3" }));
});
