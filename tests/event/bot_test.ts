import { expect } from "expect";
import type { Event } from "../../event/types.ts";
import { createOneBot, type OneBot } from "../../onebot.ts";

const self = { platform: "fakechat", user_id: "bot" };

/** A OneBot without connections and a list of what it emits. */
function setup(): { onebot: OneBot; events: Event[] } {
  const onebot = createOneBot({
    impl: "bot-test",
    version: "1.0.0",
    handlers: {},
    websocket: false,
  });
  const events: Event[] = [];
  onebot.attach({
    emit: (event) => void events.push(event),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  }, { greeting: false });
  return { onebot, events };
}

Deno.test("OneBot.bot() emits the standard events with self, id and time filled in (§2.1, §5)", async () => {
  const { onebot, events } = setup();
  await using _onebot = onebot;
  const bot = onebot.bot(self);
  const sent = bot.emit.privateMessage({ message_id: "m1", user_id: "alice", message: "hi" });
  bot.emit.groupMessage({ message_id: "m2", user_id: "alice", group_id: "g", message: "yo" });
  bot.emit.channelMessage({
    message_id: "m3",
    user_id: "alice",
    guild_id: "1",
    channel_id: "c",
    message: "hey",
  });
  bot.emit.friendIncrease({ user_id: "bob" });
  bot.emit.friendDecrease({ user_id: "bob" });
  bot.emit.privateMessageDelete({ message_id: "m1", user_id: "alice" });
  bot.emit.groupMemberIncrease({ group_id: "g", user_id: "bob", sub_type: "join" });
  bot.emit.groupMemberDecrease({ group_id: "g", user_id: "bob", sub_type: "kick" });
  bot.emit.groupMessageDelete({ group_id: "g", message_id: "m2", user_id: "alice" });
  bot.emit.guildMemberIncrease({ guild_id: "1", user_id: "bob" });
  bot.emit.guildMemberDecrease({ guild_id: "1", user_id: "bob" });
  bot.emit.channelMemberIncrease({ guild_id: "1", channel_id: "c", user_id: "bob" });
  bot.emit.channelMemberDecrease({ guild_id: "1", channel_id: "c", user_id: "bob" });
  bot.emit.channelMessageDelete({ guild_id: "1", channel_id: "c", message_id: "m3", user_id: "a" });
  bot.emit.channelCreate({ guild_id: "1", channel_id: "d" });
  bot.emit.channelDelete({ guild_id: "1", channel_id: "d", operator_id: "alice" });
  bot.emit.event({ type: "notice", detail_type: "fakechat.typing", user_id: "alice" });

  expect(events[0]).toBe(sent);
  expect(sent).toMatchObject({
    type: "message",
    detail_type: "private",
    sub_type: "",
    self,
    alt_message: "hi",
    message: [{ type: "text", data: { text: "hi" } }],
  });
  expect(events.map((event) => event.detail_type)).toEqual([
    "private",
    "group",
    "channel",
    "friend_increase",
    "friend_decrease",
    "private_message_delete",
    "group_member_increase",
    "group_member_decrease",
    "group_message_delete",
    "guild_member_increase",
    "guild_member_decrease",
    "channel_member_increase",
    "channel_member_decrease",
    "channel_message_delete",
    "channel_create",
    "channel_delete",
    "fakechat.typing",
  ]);
  for (const event of events) {
    expect(event.self).toEqual(self);
    expect(event.time).toBeLessThan(1e11);
  }
  expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  // Every event has its own copy of self: changing one changes no other.
  events[0]!.self!.user_id = "changed";
  expect(events[1]!.self).toEqual(self);
  expect(bot.self).toEqual(self);
});

Deno.test("OneBot.bot() refuses what emit refuses, and a bad self at once (EVT-00, EXT-13, §8)", async () => {
  const { onebot, events } = setup();
  await using _onebot = onebot;
  const bot = onebot.bot(self);
  expect(() => bot.emit.privateMessage({ message_id: "m1", user_id: "", message: "hi" })).toThrow(
    /^Cannot emit event: user_id must be a non-empty string on message\.private events/,
  );
  expect(() =>
    bot.emit.privateMessage({ message_id: "m1", user_id: "a", message: "", time: Date.now() })
  ).toThrow(/time must be in seconds/);
  expect(() => bot.emit.event({ type: "notice", detail_type: "typing" })).toThrow(
    /an extended one needs a prefix, e\.g\. fakechat\.typing \(EXT-13\)$/,
  );
  expect(events).toEqual([]);
  expect(() => onebot.bot({ platform: "Fake Chat", user_id: "bot" })).toThrow(
    "Cannot bind bot: self.platform must match /^[a-z][-a-z0-9]*(\\.[-a-z0-9]+)*$/: current value is Fake Chat",
  );
  expect(() => onebot.bot({ platform: "fakechat", user_id: "" })).toThrow(
    "Cannot bind bot: self.user_id must be a non-empty string: current value is ",
  );
});

Deno.test("Bot.setOnline() adds the bot and sends meta.status_update on a change (META-S3)", async () => {
  const { onebot, events } = setup();
  await using _onebot = onebot;
  const bot = onebot.bot(self);
  expect(onebot.status().bots).toEqual([]);
  bot.setOnline(true);
  bot.setOnline(true);
  bot.setOnline(false);
  expect(onebot.status().bots).toEqual([{ self, online: false }]);
  expect(events.map((event) => (event.status as { bots: unknown[] }).bots)).toEqual([
    [{ self, online: true }],
    [{ self, online: false }],
  ]);
});

Deno.test("Bot.emit builders are typed: self is filled in, the detail type's fields are required (compile-time)", () => {
  // Never called: the lines below are checked by the compiler only.
  function pins(bot: ReturnType<OneBot["bot"]>): void {
    // @ts-expect-error self is the bot's own, never passed
    bot.emit.privateMessage({ self, message_id: "m", user_id: "u", message: "hi" });
    // @ts-expect-error group_id is required on message.group
    bot.emit.groupMessage({ message_id: "m", user_id: "u", message: "hi" });
    // @ts-expect-error sub_type of group_member_increase is join, invite, "" or an extension
    bot.emit.groupMemberIncrease({ group_id: "g", user_id: "u", sub_type: "kick" });
    // @ts-expect-error meta events are the OneBot's own
    bot.emit.event({ type: "meta", detail_type: "fakechat.tick" });
    bot.emit.groupMemberIncrease({ group_id: "g", user_id: "u", "fakechat.extra": 1 });
  }
  expect(typeof pins).toBe("function");
});
