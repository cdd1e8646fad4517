import { expect } from "expect";
import { createDemoPlatform, type DemoChange } from "../../demo/platform.ts";
import type { Message } from "../../mod.ts";

function summary(change: DemoChange): string {
  switch (change.type) {
    case "message_added":
    case "message_removed":
      return `${change.type} ${change.message.message_id}`;
    case "renamed":
      return `renamed ${change.target} ${change.id} ${change.name}`;
    default:
      return `${change.type} ${change.target} ${change.id} ${change.user_id}`;
  }
}

Deno.test("createDemoPlatform() reports every change to its subscribers, in order", () => {
  const platform = createDemoPlatform();
  const seen: string[] = [];
  const subscription = platform.subscribe((change) => seen.push(summary(change)));
  // A throwing subscriber does not hide changes from the others.
  using _broken = platform.subscribe(() => {
    throw new Error("gone");
  });
  const group = { detail_type: "group", group_id: "20001" } as const;
  const sent = platform.addMessage({ sender_id: "10001", chat: group, message: [] });
  platform.removeMessage(sent.message_id);
  expect(platform.removeMessage(sent.message_id)).toBeUndefined(); // no change, no report
  platform.renameGroup("20001", "renamed");
  platform.renameGuild("30001", "guild 2");
  platform.renameChannel("30001", "40001", "lobby");
  expect(platform.renameGroup("99", "x")).toBe(false);
  expect(platform.joinGroup("20001", "10003")).toBe(true);
  expect(platform.joinGroup("20001", "10003")).toBe(false);
  expect(platform.joinGroup("20001", "99999")).toBe(false);
  platform.leaveGroup("20001", "10003");
  platform.leaveChannel("30001", "40002", "10001");
  platform.leaveGuild("30001", "10003");
  expect(platform.leaveGuild("30001", "10003")).toBe(false);
  subscription[Symbol.dispose]();
  platform.renameGroup("20001", "unseen");
  expect(seen).toEqual([
    "message_added 1",
    "message_removed 1",
    "renamed group 20001 renamed",
    "renamed guild 30001 guild 2",
    "renamed channel 40001 lobby",
    "member_joined group 20001 10003",
    "member_left group 20001 10003",
    "member_left channel 40002 10001",
    "member_left guild 30001 10003",
  ]);
  expect(platform.group("20001")?.group_name).toBe("unseen");
  expect(platform.guild("30001")?.channels.get("40001")?.members.has("10003")).toBe(false);
});

const GROUP = { detail_type: "group", group_id: "20001" } as const;
const ALICE_DM = { detail_type: "private", user_id: "10001" } as const;

function text(value: string): Message {
  return [{ type: "text", data: { text: value } }];
}

/**
 * A message with extra data: after validation a segment's data may carry more
 * keys than its type names (unknown params are ignored, EXT-14), and the
 * platform stores and counts what it is given.
 */
function withExtraData(message: readonly { type: string; data: object }[]): Message {
  return message as Message;
}

Deno.test("createDemoPlatform() keeps maxMessagesPerChat messages per chat: the oldest of the chat goes", () => {
  const platform = createDemoPlatform({ maxMessagesPerChat: 3 });
  const seen: string[] = [];
  using _subscription = platform.subscribe((change) => seen.push(summary(change)));
  platform.addMessage({ sender_id: "10001", chat: ALICE_DM, message: text("other chat") });
  for (const value of ["a", "b", "c", "d"]) {
    platform.addMessage({ sender_id: "10001", chat: GROUP, message: text(value) });
  }
  expect(platform.messages(GROUP).map((stored) => stored.alt_message)).toEqual(["b", "c", "d"]);
  expect(platform.message("2")).toBeUndefined(); // "a", dropped
  expect(platform.messages(ALICE_DM).map((stored) => stored.message_id)).toEqual(["1"]);
  expect(platform.allMessages().map((stored) => stored.message_id)).toEqual(["1", "3", "4", "5"]);
  // The drop is reported before the message that made it.
  expect(seen.slice(-2)).toEqual(["message_removed 2", "message_added 5"]);
});

Deno.test("createDemoPlatform() keeps maxMessagesSize in all: the oldest of any chat goes, the newest stays", () => {
  const platform = createDemoPlatform({ maxMessagesSize: 50_000 });
  platform.addMessage({ sender_id: "10001", chat: ALICE_DM, message: text("x".repeat(10_000)) });
  platform.addMessage({ sender_id: "10001", chat: GROUP, message: text("y".repeat(10_000)) });
  // 2 × (10 000 characters and the same alt_message) fit in 50 000; a third does not.
  expect(platform.allMessages().map((stored) => stored.message_id)).toEqual(["1", "2"]);
  platform.addMessage({ sender_id: "10001", chat: GROUP, message: text("z".repeat(10_000)) });
  expect(platform.allMessages().map((stored) => stored.message_id)).toEqual(["2", "3"]);
  expect(platform.messages(ALICE_DM)).toEqual([]);
  // One message bigger than the whole bound is kept, alone.
  platform.addMessage({ sender_id: "10001", chat: GROUP, message: text("w".repeat(60_000)) });
  expect(platform.allMessages().map((stored) => stored.message_id)).toEqual(["4"]);
  // Removing gives its size back.
  platform.removeMessage("4");
  platform.addMessage({ sender_id: "10001", chat: GROUP, message: text("v".repeat(10_000)) });
  platform.addMessage({ sender_id: "10001", chat: GROUP, message: text("u".repeat(10_000)) });
  expect(platform.allMessages().map((stored) => stored.message_id)).toEqual(["5", "6"]);
});

Deno.test("createDemoPlatform() counts object keys, not only characters, in maxMessagesSize", () => {
  const platform = createDemoPlatform({ maxMessagesSize: 1_000_000 });
  const data: Record<string, string> = { text: "x" };
  for (let key = 0; key < 20_000; key++) data[`k${key}`] = "";
  platform.addMessage({
    sender_id: "10001",
    chat: GROUP,
    message: withExtraData([{ type: "text", data }]),
  });
  // 20 000 keys hold far more than their 120 000 characters: about 1.7 MB here.
  platform.addMessage({ sender_id: "10001", chat: GROUP, message: text("next") });
  expect(platform.allMessages().map((stored) => stored.message_id)).toEqual(["2"]);
});

Deno.test("createDemoPlatform() keeps a message as given, frozen, with no copy", () => {
  const platform = createDemoPlatform();
  const bytes = new Uint8Array([1, 2, 3]);
  const deepest = { deeper: "x" };
  const message = withExtraData([
    { type: "text", data: { text: "hi", nested: [{ deep: deepest }] } },
    { type: "image", data: { file_id: "f", bytes } },
  ]);
  const stored = platform.addMessage({ sender_id: "10001", chat: GROUP, message });
  expect(stored.message).toBe(message);
  expect(Object.isFrozen(stored)).toBe(true);
  expect(Object.isFrozen(stored.chat)).toBe(true);
  expect(Object.isFrozen(message)).toBe(true);
  expect(Object.isFrozen(deepest)).toBe(true);
  expect(() => (message[0]!.data as Record<string, unknown>).text = "changed").toThrow(TypeError);
  expect(platform.message(stored.message_id)?.alt_message).toBe("hi[image]");
  // A message nested deeper than any stack is frozen all the same, and a cycle ends.
  let deep: unknown[] = [];
  const root = deep;
  for (let level = 0; level < 200_000; level++) deep = (deep[0] = []) as unknown[];
  const cyclic: Record<string, unknown> = { type: "x" };
  cyclic.data = cyclic;
  platform.addMessage({
    sender_id: "10001",
    chat: GROUP,
    message: withExtraData([{ type: "x", data: { root } }, cyclic as never]),
  });
  expect(Object.isFrozen(deep)).toBe(true);
});

Deno.test("createDemoPlatform() refuses message bounds that are not integers > 0", () => {
  expect(() => createDemoPlatform({ maxMessagesPerChat: 0 })).toThrow(
    new RangeError(
      "Cannot create demo platform: maxMessagesPerChat must be an integer > 0: current value is 0",
    ),
  );
  expect(() => createDemoPlatform({ maxMessagesSize: 1.5 })).toThrow(
    "Cannot create demo platform: maxMessagesSize must be an integer > 0: current value is 1.5",
  );
});

Deno.test("createDemoPlatform() drops exactly what a plain list model drops, through deletes and drops", () => {
  const perChat = 3;
  const platform = createDemoPlatform({ maxMessagesPerChat: perChat, maxMessagesSize: 8000 });
  const chats = [GROUP, ALICE_DM, { detail_type: "private", user_id: "10002" } as const];
  /** The model: every kept message as [id, chat index, size], oldest first. */
  let model: [string, number, number][] = [];
  let seed = 12345; // xorshift32: the same run every time
  const random = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  for (let step = 1; step <= 5000; step++) {
    if (random(4) === 0 && model.length > 0) {
      const [id] = model[random(model.length)]!;
      expect(platform.removeMessage(id)?.message_id).toBe(id);
      model = model.filter(([kept]) => kept !== id);
      continue;
    }
    const chat = random(chats.length);
    const text = "t".repeat(random(400));
    const sized: Message = [{ type: "text", data: { text } }];
    const size = 256 + 204 + 84 + 2 * text.length; // freezeMessage: record, 3 keys, 5 values; alt
    const id = platform.addMessage({ sender_id: "10001", chat: chats[chat]!, message: sized })
      .message_id;
    const inChat = model.filter(([, where]) => where === chat);
    if (inChat.length >= perChat) model = model.filter(([kept]) => kept !== inChat[0]![0]);
    let total = model.reduce((sum, [, , bytes]) => sum + bytes, 0);
    while (model.length > 0 && total + size > 8000) total -= model.shift()![2];
    model.push([id, chat, size]);
    if (step % 50 === 0) {
      expect(platform.allMessages().map((stored) => stored.message_id))
        .toEqual(model.map(([kept]) => kept));
      for (const [index, where] of chats.entries()) {
        expect(platform.messages(where).map((stored) => stored.message_id))
          .toEqual(model.filter(([, at]) => at === index).map(([kept]) => kept));
      }
    }
  }
});
