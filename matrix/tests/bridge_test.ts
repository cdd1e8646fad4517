/**
 * The bridge end to end against a real Synapse (see `_synapse.ts`): human
 * users driven by plain `fetch` on one side, the bridge's OneBot (through
 * libob's test kit, and a real socket for the conformance checker) on the
 * other. One Synapse serves every step, so the steps share rooms and build
 * on each other in order.
 */

import { type Event, eventProblem, type StandardActions, type WithActions } from "@libob/libob";
import { runConformance } from "@libob/libob/conformance";
import { createTestKit, type TestKit } from "@libob/libob/testing";
import { expect } from "expect";
import { createMatrixBridge, login, type MatrixActions, type MatrixBridge } from "../mod.ts";
import { startReporter } from "../../tests/interop/_process.ts";
import { freePort } from "../../tests/_loopback.ts";
import { findsModule, findVenv } from "../../tests/_venv.ts";
import { driver } from "./_matrix_user.ts";
import {
  type MatrixUser,
  startSynapse,
  type Synapse,
  SYNAPSE_IGNORE,
  SYNAPSE_SKIPPED,
} from "./_synapse.ts";

const nonebot = await findVenv("nonebot", "nonebot2", findsModule("nonebot"));

/** Every wait for an event, ms: generous, for a loaded machine. */
const WAIT = { timeout: 30_000 };
/** Bytes travel as bytes in MessagePack (in JSON they are Base64). */
const MSGPACK = { encoding: "msgpack" } as const;

function isMessage(text: string) {
  return (event: Event) => event.type === "message" && event.alt_message === text;
}

/** The bridge for the bot, its state in `statePath`, inside a test kit. */
async function startBridge(
  synapse: Synapse,
  bot: MatrixUser,
  statePath: string,
): Promise<TestKit<WithActions<StandardActions, MatrixActions>>> {
  const { client, userId } = await login(synapse.url, { user: "bot", password: bot.password });
  const bridge: MatrixBridge = createMatrixBridge({
    client,
    userId,
    statePath,
    syncTimeout: 1000,
  });
  const kit = createTestKit(bridge);
  await bridge.ready;
  return kit;
}

/** Fails with the event's problem when libob's own checker refuses it. */
function valid(event: Event): Event {
  expect(eventProblem(event, { strict: true })).toBeUndefined();
  return event;
}

Deno.test({
  name: "matrix bridge: end to end against Synapse" + SYNAPSE_SKIPPED,
  ignore: SYNAPSE_IGNORE,
  async fn(t) {
    await using synapse = await startSynapse();
    const bot = await synapse.register("bot");
    const alice = driver(synapse.url, await synapse.register("alice"));
    const bob = driver(synapse.url, await synapse.register("bob"));
    const carol = driver(synapse.url, await synapse.register("carol"));
    const admin = driver(synapse.url, await synapse.register("admin", true));
    const statePath = await Deno.makeTempFile({ suffix: ".json" });
    await Deno.remove(statePath); // a first start: no state file yet

    // A group: alice's room with bob and the bot (invited: the bridge joins by itself).
    const group = await alice.createRoom({
      name: "Test group",
      preset: "private_chat",
      invite: [bob.userId, bot.userId],
    });
    await bob.join(group);
    let kit = await startBridge(synapse, bot, statePath);
    const self = { platform: "matrix", user_id: bot.userId };
    try {
      await t.step("the bot joins on an invite; the room is a group with its members", async () => {
        await kit.nextEvent(
          (e) => e.detail_type === "group_member_increase" && e.user_id === bob.userId,
          { timeout: 1 },
        ).catch(() => {}); // bob joined before the bridge: history, not news
        for (let attempt = 0; attempt < 300; attempt++) {
          const list = await kit.call("get_group_list", {});
          if (list.data?.some((g) => g.group_id === group)) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect((await kit.call("get_group_info", { group_id: group })).data)
          .toEqual({ group_id: group, group_name: "Test group" });
        const members = await kit.call("get_group_member_list", { group_id: group });
        expect(members.data?.map((m) => m.user_id).sort())
          .toEqual([alice.userId, bob.userId, bot.userId].sort());
        expect(await kit.call("get_self_info", {})).toMatchObject({
          retcode: 0,
          data: { user_id: bot.userId, user_name: "bot", user_displayname: "bot" },
        });
      });

      let first = "";
      await t.step("a user's text arrives as message.group", async () => {
        first = await alice.send(group, { msgtype: "m.text", body: "hello bridge" });
        const event = valid(await kit.nextEvent(isMessage("hello bridge"), WAIT));
        expect(event).toMatchObject({
          type: "message",
          detail_type: "group",
          self,
          group_id: group,
          user_id: alice.userId,
          message_id: `${group}/${first}`,
          message: [{ type: "text", data: { text: "hello bridge" } }],
        });
      });

      await t.step("a mention (pill and m.mentions) arrives as a mention segment", async () => {
        await alice.send(group, {
          msgtype: "m.text",
          body: "bot: look",
          format: "org.matrix.custom.html",
          formatted_body: `<a href="https://matrix.to/#/${bot.userId}">bot</a>: look`,
          "m.mentions": { user_ids: [bot.userId] },
        });
        const event = valid(
          await kit.nextEvent(
            (e) => e.type === "message" && /look/.test(String(e.alt_message)),
            WAIT,
          ),
        );
        expect(event.message).toEqual([
          { type: "mention", data: { user_id: bot.userId } },
          { type: "text", data: { text: ": look" } },
        ]);
      });

      await t.step(
        "a reply arrives as a reply segment with its user_id, without the fallback or a second mention",
        async () => {
          await alice.send(group, {
            msgtype: "m.text",
            body: "> <@alice:localhost> hello bridge\n\nindeed",
            // A reply mentions the replied-to sender: folded into the reply segment.
            "m.mentions": { user_ids: [alice.userId] },
            "m.relates_to": { "m.in_reply_to": { event_id: first } },
          });
          const event = valid(
            await kit.nextEvent(
              (e) => JSON.stringify(e.message ?? null).includes('"indeed"'),
              WAIT,
            ),
          );
          expect(event.message).toEqual([
            { type: "reply", data: { message_id: `${group}/${first}`, user_id: alice.userId } },
            { type: "text", data: { text: "indeed" } },
          ]);
        },
      );

      await t.step("an image arrives as an image segment, and get_file downloads it", async () => {
        const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
        const mxc = await alice.upload(bytes, "pic.png", "image/png");
        await alice.send(group, {
          msgtype: "m.image",
          body: "pic.png",
          url: mxc,
          info: { mimetype: "image/png", size: bytes.byteLength },
        });
        const event = valid(await kit.nextEvent((e) => e.alt_message === "[image]", WAIT));
        expect(event.message).toEqual([{ type: "image", data: { file_id: mxc } }]);
        const file = await kit.call("get_file", { file_id: mxc, type: "data" }, MSGPACK);
        expect(file.data).toMatchObject({ name: "pic.png", data: bytes });
      });

      await t.step(
        "send_message: text, mention, mention_all and reply become one m.text",
        async () => {
          const sent = await kit.call("send_message", {
            detail_type: "group",
            group_id: group,
            message: [
              { type: "reply", data: { message_id: `${group}/${first}` } },
              { type: "mention", data: { user_id: alice.userId } },
              { type: "text", data: { text: " hi <all> " } },
              { type: "mention_all", data: {} },
            ],
          });
          expect(sent.retcode).toBe(0);
          const [roomId, eventId] = sent.data!.message_id.split("/");
          expect(roomId).toBe(group);
          const event = await alice.event(group, eventId!);
          expect(event).toMatchObject({
            type: "m.room.message",
            sender: bot.userId,
            content: {
              msgtype: "m.text",
              body: "alice hi <all> @room",
              format: "org.matrix.custom.html",
              formatted_body:
                `<a href="https://matrix.to/#/${alice.userId}">alice</a> hi &lt;all&gt; @room`,
              "m.mentions": { user_ids: [alice.userId], room: true },
              "m.relates_to": { "m.in_reply_to": { event_id: first } },
            },
          });
        },
      );

      await t.step(
        "send_message: each media segment becomes its own event (upload_file first)",
        async () => {
          const uploaded = await kit.call("upload_file", {
            type: "data",
            name: "report.pdf",
            data: new TextEncoder().encode("%PDF-1.4 test"),
          }, MSGPACK);
          expect(uploaded.message).toBe("");
          const mxc = uploaded.data!.file_id;
          expect(mxc).toMatch(/^mxc:\/\/localhost\//);
          const sent = await kit.call("send_message", {
            detail_type: "group",
            group_id: group,
            message: [
              { type: "text", data: { text: "files:" } },
              { type: "image", data: { file_id: mxc } },
              { type: "file", data: { file_id: mxc } },
              { type: "voice", data: { file_id: mxc } },
              { type: "audio", data: { file_id: mxc } },
              { type: "video", data: { file_id: mxc } },
              {
                type: "location",
                data: { latitude: 48.85, longitude: 2.35, title: "Paris", content: "" },
              },
            ],
          });
          expect(sent.retcode).toBe(0);
          const ids = sent.data!.message_id.split("/")[1]!.split(",");
          const contents = await Promise.all(
            ids.map(async (id) => (await alice.event(group, id)).content),
          );
          const info = { mimetype: "application/pdf", size: 13 };
          expect(contents).toEqual([
            { msgtype: "m.text", body: "files:", "m.mentions": {} },
            { msgtype: "m.image", body: "report.pdf", url: mxc, info },
            { msgtype: "m.file", body: "report.pdf", url: mxc, info },
            {
              msgtype: "m.audio",
              body: "report.pdf",
              url: mxc,
              info,
              "org.matrix.msc3245.voice": {},
            },
            { msgtype: "m.audio", body: "report.pdf", url: mxc, info },
            { msgtype: "m.video", body: "report.pdf", url: mxc, info },
            { msgtype: "m.location", body: "Paris", geo_uri: "geo:48.85,2.35" },
          ]);
          // delete_message redacts every event of the message.
          expect((await kit.call("delete_message", { message_id: sent.data!.message_id })).retcode)
            .toBe(0);
          for (const id of ids) expect((await alice.event(group, id)).content).toEqual({});
        },
      );

      await t.step("a redaction becomes notice.group_message_delete", async () => {
        const eventId = await alice.send(group, { msgtype: "m.text", body: "oops" });
        await kit.nextEvent(isMessage("oops"), WAIT);
        await alice.call(
          "PUT",
          `/_matrix/client/v3/rooms/${encodeURIComponent(group)}/redact/${
            encodeURIComponent(eventId)
          }/${crypto.randomUUID()}`,
          {},
        );
        const event = valid(
          await kit.nextEvent((e) => e.detail_type === "group_message_delete", WAIT),
        );
        expect(event).toMatchObject({
          type: "notice",
          sub_type: "recall",
          group_id: group,
          message_id: `${group}/${eventId}`,
          user_id: alice.userId,
          operator_id: alice.userId,
        });
      });

      await t.step("a join and a leave become group_member_increase / _decrease", async () => {
        await alice.call("POST", `/_matrix/client/v3/rooms/${encodeURIComponent(group)}/invite`, {
          user_id: carol.userId,
        });
        await carol.join(group);
        const joined = valid(
          await kit.nextEvent((e) => e.detail_type === "group_member_increase", WAIT),
        );
        expect(joined).toMatchObject({
          sub_type: "invite",
          group_id: group,
          user_id: carol.userId,
          operator_id: carol.userId,
        });
        await carol.leave(group);
        const left = valid(
          await kit.nextEvent((e) => e.detail_type === "group_member_decrease", WAIT),
        );
        expect(left).toMatchObject({
          sub_type: "leave",
          group_id: group,
          user_id: carol.userId,
          operator_id: carol.userId,
        });
      });

      await t.step("a space is a guild, its rooms are channels, both ways", async () => {
        const path = (room: string) => `/_matrix/client/v3/rooms/${encodeURIComponent(room)}`;
        const space = await alice.createRoom({
          name: "A space",
          creation_content: { type: "m.space" },
          invite: [bot.userId, bob.userId],
        });
        const channel = await alice.createRoom({
          name: "general",
          preset: "private_chat",
          invite: [bot.userId],
        });
        await alice.call("PUT", `${path(space)}/state/m.space.child/${channel}`, {
          via: ["localhost"],
        });
        // The bridge joins both by itself; the room is a channel once it knows both.
        for (let attempt = 0; attempt < 300; attempt++) {
          const list = await kit.call("get_channel_list", { guild_id: space, joined_only: true });
          if (list.data?.some((c) => c.channel_id === channel)) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect((await kit.call("get_guild_list", {})).data)
          .toContainEqual({ guild_id: space, guild_name: "A space" });
        expect(await kit.call("get_channel_info", { guild_id: space, channel_id: channel }))
          .toMatchObject({ retcode: 0, data: { channel_id: channel, channel_name: "general" } });
        const groups = (await kit.call("get_group_list", {})).data?.map((g) => g.group_id);
        expect(groups).not.toContain(space);
        expect(groups).not.toContain(channel);
        expect((await kit.call("get_group_info", { group_id: channel })).retcode).toBe(35001);

        await alice.send(channel, { msgtype: "m.text", body: "in a channel" });
        expect(valid(await kit.nextEvent(isMessage("in a channel"), WAIT))).toMatchObject({
          detail_type: "channel",
          guild_id: space,
          channel_id: channel,
          user_id: alice.userId,
        });
        const sent = await kit.call("send_message", {
          detail_type: "channel",
          guild_id: space,
          channel_id: channel,
          message: [{ type: "text", data: { text: "to the channel" } }],
        });
        const [roomId, eventId] = sent.data!.message_id.split("/");
        expect(roomId).toBe(channel);
        expect((await alice.event(channel, eventId!)).content).toMatchObject({
          body: "to the channel",
        });
        const wrong = await kit.call("send_message", {
          detail_type: "channel",
          guild_id: space,
          channel_id: group,
          message: [{ type: "text", data: { text: "x" } }],
        });
        expect(wrong.retcode).toBe(35006);

        await bob.join(space);
        expect(valid(
          await kit.nextEvent((e) => e.detail_type === "guild_member_increase", WAIT),
        )).toMatchObject({ guild_id: space, user_id: bob.userId, sub_type: "invite" });
        await alice.call("POST", `${path(channel)}/invite`, { user_id: bob.userId });
        await bob.join(channel);
        expect(valid(
          await kit.nextEvent((e) => e.detail_type === "channel_member_increase", WAIT),
        )).toMatchObject({ guild_id: space, channel_id: channel, user_id: bob.userId });
        const members = await kit.call("get_guild_member_list", { guild_id: space });
        expect(members.data?.map((m) => m.user_id).sort())
          .toEqual([alice.userId, bob.userId, bot.userId].sort());
      });

      await t.step(
        "get_group_member_info, set_group_name, matrix.invite and leave_group",
        async () => {
          const room = await alice.createRoom({
            name: "Moderated",
            preset: "private_chat",
            invite: [bot.userId, bob.userId],
            power_level_content_override: { users: { [bot.userId]: 100 } },
          });
          await bob.join(room);
          // The bridge joins by itself; the room is a group once the bot is in.
          for (let attempt = 0; attempt < 300; attempt++) {
            const info = await kit.call("get_group_info", { group_id: room });
            if (info.retcode === 0) break;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          expect(await kit.call("get_group_member_info", { group_id: room, user_id: alice.userId }))
            .toMatchObject({
              retcode: 0,
              data: { user_id: alice.userId, user_name: "alice", user_displayname: "alice" },
            });
          expect(
            (await kit.call("get_group_member_info", { group_id: room, user_id: carol.userId }))
              .retcode,
          ).toBe(35004);
          expect(
            (await kit.call("set_group_name", { group_id: room, group_name: "Renamed" })).retcode,
          )
            .toBe(0);
          const name = await alice.call<{ name: string }>(
            "GET",
            `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/state/m.room.name/`,
          );
          expect(name).toEqual({ name: "Renamed" });
          const invited = await kit.call("matrix.invite", { room_id: room, user_id: carol.userId });
          expect(invited).toMatchObject({ status: "ok", retcode: 0 });
          expect(await carol.invited(room)).toBe(room);
          expect((await kit.call("leave_group", { group_id: room })).retcode).toBe(0);
          const left = valid(
            await kit.nextEvent(
              (e) => e.detail_type === "group_member_decrease" && e.user_id === bot.userId,
              WAIT,
            ),
          );
          expect(left).toMatchObject({ group_id: room, sub_type: "leave" });
          expect((await kit.call("get_group_info", { group_id: room })).retcode).toBe(35001);
        },
      );

      await t.step("a direct room is private, both ways", async () => {
        const direct = await alice.createRoom({
          is_direct: true,
          preset: "trusted_private_chat",
          invite: [bot.userId],
        });
        // The bridge joins by itself; alice writes once the bot is in.
        for (let attempt = 0; attempt < 300; attempt++) {
          const friends = await kit.call("get_friend_list", {});
          if (friends.data?.some((f) => f.user_id === alice.userId)) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await alice.send(direct, { msgtype: "m.text", body: "psst" });
        const event = valid(await kit.nextEvent(isMessage("psst"), WAIT));
        expect(event).toMatchObject({ detail_type: "private", user_id: alice.userId });
        expect("group_id" in event).toBe(false);
        const answer = await kit.call("send_message", {
          detail_type: "private",
          user_id: alice.userId,
          message: [{ type: "text", data: { text: "pssst" } }],
        });
        expect(answer.data?.message_id.startsWith(`${direct}/`)).toBe(true);
        // No direct room with bob yet: the bridge creates one and invites him.
        const created = await kit.call("send_message", {
          detail_type: "private",
          user_id: bob.userId,
          message: [{ type: "text", data: { text: "hello bob" } }],
        });
        expect(created.retcode).toBe(0);
        const roomId = created.data!.message_id.split("/")[0]!;
        expect(await bob.invited(roomId)).toBe(roomId);
      });

      await t.step(
        "errors: unknown group 35001, M_FORBIDDEN 34001, M_NOT_FOUND 34002, bad message_id 35003",
        async () => {
          expect((await kit.call("get_group_info", { group_id: "!nope:localhost" })).retcode)
            .toBe(35001);
          // private_chat: changing the name needs power level 50; the bot has 0.
          const renamed = await kit.call("set_group_name", { group_id: group, group_name: "x" });
          expect(renamed).toMatchObject({ retcode: 34001, message: /M_FORBIDDEN/ });
          expect((await kit.call("delete_message", { message_id: "42" })).retcode).toBe(35003);
          // An extended action: an alias that does not exist is M_NOT_FOUND.
          const joined = await kit.call("matrix.join_room", { room: "#nowhere:localhost" });
          expect(joined).toMatchObject({ retcode: 34002, message: /M_NOT_FOUND/ });
        },
      );

      await t.step("M_LIMIT_EXCEEDED is waited out: no message is lost", async () => {
        await admin.call(
          "POST",
          `/_synapse/admin/v1/users/${encodeURIComponent(bot.userId)}/override_ratelimit`,
          { messages_per_second: 2, burst_count: 1 },
        );
        const sent = await Promise.all(
          ["r1", "r2", "r3", "r4"].map((text) =>
            kit.call("send_message", {
              detail_type: "group",
              group_id: group,
              message: [{ type: "text", data: { text } }],
            })
          ),
        );
        expect(sent.map((r) => r.retcode)).toEqual([0, 0, 0, 0]);
        await admin.call(
          "DELETE",
          `/_synapse/admin/v1/users/${encodeURIComponent(bot.userId)}/override_ratelimit`,
        );
      });

      await t.step(
        "conformance: every MUST/SHALL check passes against the running bridge, with a token",
        async () => {
          const { client, userId } = await login(synapse.url, { accessToken: bot.accessToken });
          const token = "conformance-token";
          await using bridge = createMatrixBridge({
            client,
            userId,
            syncTimeout: 1000,
            connections: { http: { accessToken: token }, websocket: { accessToken: token } },
          });
          await bridge.ready;
          await using server = Deno.serve(
            { hostname: "127.0.0.1", port: 0, onListen() {} },
            bridge.fetch,
          );
          const report = await runConformance({
            url: `http://127.0.0.1:${server.addr.port}/`,
            token,
            timeout: 10_000,
            waitPush: 10,
          });
          expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
          expect(report.ok).toBe(true);
        },
      );

      await t.step({
        name: "a NoneBot2 bot over the forward WebSocket answers ping with pong in a room" +
          nonebot.skipped,
        ignore: nonebot.ignore,
        async fn() {
          if (!nonebot.available) throw new Error(nonebot.missing);
          const { client, userId } = await login(synapse.url, { accessToken: bot.accessToken });
          const token = "nonebot-token";
          await using bridge = createMatrixBridge({
            client,
            userId,
            syncTimeout: 1000,
            connections: { http: false, websocket: { accessToken: token } },
          });
          await bridge.ready;
          await using server = Deno.serve(
            { hostname: "127.0.0.1", port: 0, onListen() {} },
            bridge.fetch,
          );
          const app = startReporter(nonebot.python, ["ping_bot.py"], {
            cwd: new URL("./nonebot/", import.meta.url),
            env: {
              DRIVER: "~websockets",
              ONEBOT_V12_WS_URLS: JSON.stringify([`ws://127.0.0.1:${server.addr.port}/`]),
              ONEBOT_V12_ACCESS_TOKEN: token,
              PYTHONUNBUFFERED: "1",
            },
          });
          try {
            const connected = await app.find((r) => r.kind === "connected", "NoneBot", 90_000);
            expect(connected).toMatchObject({ self_id: bot.userId, platform: "matrix" });
            await alice.send(group, { msgtype: "m.text", body: "ping" });
            await app.find((r) => r.kind === "ping", "the ping", 60_000);
            const messages = `/_matrix/client/v3/rooms/${
              encodeURIComponent(group)
            }/messages?dir=b&limit=20`;
            let answered = false;
            for (let attempt = 0; attempt < 300 && !answered; attempt++) {
              const { chunk } = await alice.call<{ chunk: Record<string, unknown>[] }>(
                "GET",
                messages,
              );
              answered = chunk.some((e) =>
                e.sender === bot.userId && (e.content as { body?: string }).body === "pong"
              );
              if (!answered) await new Promise((resolve) => setTimeout(resolve, 100));
            }
            expect(answered).toBe(true);
          } catch (error) {
            await app[Symbol.asyncDispose]();
            throw new Error(`${error}\n--- NoneBot ---\n${app.log()}`, { cause: error });
          }
          await app[Symbol.asyncDispose]();
        },
      });

      await t.step(
        "deno task matrix starts the bridge from a TOML file, and SIGTERM stops it",
        async () => {
          const dir = await Deno.makeTempDir({ prefix: "libob-matrix-main-" });
          const port = freePort();
          await Deno.writeTextFile(
            `${dir}/matrix.toml`,
            [
              "[matrix]",
              `homeserver = "${synapse.url}"`,
              'user = "bot"',
              "sync_timeout = 1000",
              "[[http]]",
              'host = "127.0.0.1"',
              `port = ${port}`,
              'access_token = "main-token"',
            ].join("\n"),
          );
          const task = JSON.parse(
            await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
          )
            .tasks.matrix as string;
          const [command, ...args] = task.trim().split(/\s+/);
          expect(command).toBe("deno");
          const child = new Deno.Command(Deno.execPath(), {
            args: [...args, `${dir}/matrix.toml`],
            cwd: new URL("../../", import.meta.url),
            env: { MATRIX_PASSWORD: bot.password, NO_COLOR: "1" },
            stdin: "null",
            stdout: "piped",
            stderr: "piped",
          }).spawn();
          const output = child.output();
          try {
            let info: Record<string, unknown> | undefined;
            for (let attempt = 0; attempt < 600 && info === undefined; attempt++) {
              try {
                const response = await fetch(`http://127.0.0.1:${port}/`, {
                  method: "POST",
                  headers: {
                    "Content-Type": "application/json",
                    Authorization: "Bearer main-token",
                  },
                  body: JSON.stringify({ action: "get_self_info", params: {} }),
                });
                info = await response.json();
              } catch {
                await new Promise((resolve) => setTimeout(resolve, 100));
              }
            }
            expect(info).toMatchObject({ retcode: 0, data: { user_id: bot.userId } });
            // The first /sync's position is saved next to the configuration.
            let state: { since?: unknown } = {};
            for (let attempt = 0; attempt < 300 && state.since === undefined; attempt++) {
              try {
                state = JSON.parse(await Deno.readTextFile(`${dir}/matrix-state.json`));
              } catch {
                await new Promise((resolve) => setTimeout(resolve, 100));
              }
            }
            expect(typeof state.since).toBe("string");
          } finally {
            child.kill("SIGTERM");
            const { code, stdout, stderr } = await output;
            const printed = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
            expect({ code, printed }).toMatchObject({ code: 0, printed: /OneBot 12 on http/ });
            await Deno.remove(dir, { recursive: true });
          }
        },
      );

      await t.step("a restart of the bridge loses and repeats nothing", async () => {
        await alice.send(group, { msgtype: "m.text", body: "before restart" });
        await kit.nextEvent(isMessage("before restart"), WAIT);
        await kit[Symbol.asyncDispose]();
        await alice.send(group, { msgtype: "m.text", body: "while away" });
        kit = await startBridge(synapse, bot, statePath);
        await alice.send(group, { msgtype: "m.text", body: "after restart" });
        await kit.nextEvent(isMessage("after restart"), WAIT);
        const texts = kit.received.filter((e) => e.type === "message").map((e) => e.alt_message);
        expect(texts).toEqual(["while away", "after restart"]);
      });
    } finally {
      await kit[Symbol.asyncDispose]();
      await Deno.remove(statePath).catch(() => {});
    }
  },
});
