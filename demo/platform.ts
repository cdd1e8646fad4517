/**
 * The demo's chat platform: users, friends, groups, guilds with channels, and
 * messages, all in memory. Plain records and functions, no OneBot concepts
 * beyond the field names; `handlers.ts` turns it into OneBot actions.
 *
 * @module
 */

import { altMessage, type Message } from "../mod.ts";
import { checkInteger } from "../_check.ts";

/**
 * A user account of the demo platform.
 *
 * @example
 * ```ts
 * import type { DemoUser } from "./platform.ts";
 *
 * const user: DemoUser = {
 *   user_id: "10009",
 *   user_name: "zoe",
 *   user_displayname: "",
 *   user_remark: "",
 *   friend: false,
 * };
 * ```
 */
export interface DemoUser {
  /** The user ID. */
  readonly user_id: string;
  /** The account name. */
  readonly user_name: string;
  /** The display name, `""` if none. */
  readonly user_displayname: string;
  /** The bot's remark for this user, `""` if none. */
  readonly user_remark: string;
  /** Whether the user is the bot's friend. */
  readonly friend: boolean;
}

/**
 * A group: one level, members by user ID with their in-group name (`""` if
 * none).
 *
 * @example
 * ```ts
 * import type { DemoGroup } from "./platform.ts";
 *
 * const group: DemoGroup = { group_id: "1", group_name: "g", members: new Map([["10000", ""]]) };
 * ```
 */
export interface DemoGroup {
  /** The group ID. */
  readonly group_id: string;
  /** The group name. */
  readonly group_name: string;
  /** Member user ID → in-group name. */
  readonly members: ReadonlyMap<string, string>;
}

/**
 * A channel of a guild; its members are a subset of the guild's.
 *
 * @example
 * ```ts
 * import type { DemoChannel } from "./platform.ts";
 *
 * const channel: DemoChannel = { channel_id: "1", channel_name: "general", members: new Set(["10000"]) };
 * ```
 */
export interface DemoChannel {
  /** The channel ID. */
  readonly channel_id: string;
  /** The channel name. */
  readonly channel_name: string;
  /** Member user IDs. */
  readonly members: ReadonlySet<string>;
}

/**
 * A guild: members by user ID with their guild nickname (`""` if none), and
 * its channels.
 *
 * @example
 * ```ts
 * import type { DemoGuild } from "./platform.ts";
 *
 * const guild: DemoGuild = {
 *   guild_id: "1",
 *   guild_name: "home",
 *   members: new Map([["10000", ""]]),
 *   channels: new Map(),
 * };
 * ```
 */
export interface DemoGuild {
  /** The guild ID. */
  readonly guild_id: string;
  /** The guild name. */
  readonly guild_name: string;
  /** Member user ID → guild nickname. */
  readonly members: ReadonlyMap<string, string>;
  /** Channel ID → channel. */
  readonly channels: ReadonlyMap<string, DemoChannel>;
}

/**
 * Where a message was sent: a private chat with a user (the other party,
 * whoever sent it), a group, or a channel of a guild.
 *
 * @example
 * ```ts
 * import type { DemoChat } from "./platform.ts";
 *
 * const chat: DemoChat = { detail_type: "channel", guild_id: "30001", channel_id: "40001" };
 * ```
 */
export type DemoChat =
  | { readonly detail_type: "private"; readonly user_id: string }
  | { readonly detail_type: "group"; readonly group_id: string }
  | { readonly detail_type: "channel"; readonly guild_id: string; readonly channel_id: string };

/**
 * A message kept by the platform until it is deleted or dropped (see
 * {@linkcode DemoPlatformOptions}). Frozen, its content too: readers share it.
 *
 * @example
 * ```ts
 * import type { DemoMessage } from "./platform.ts";
 *
 * const message: DemoMessage = {
 *   message_id: "1",
 *   time: 1700000000.5,
 *   sender_id: "10001",
 *   chat: { detail_type: "private", user_id: "10001" },
 *   message: [{ type: "text", data: { text: "hi" } }],
 *   alt_message: "hi",
 * };
 * ```
 */
export interface DemoMessage {
  /** The message ID: a decimal counter, unique per platform. */
  readonly message_id: string;
  /** Unix time in float seconds. */
  readonly time: number;
  /** Who sent it (the bot or a user). */
  readonly sender_id: string;
  /** Where it was sent. */
  readonly chat: DemoChat;
  /** The content, a list of segments. */
  readonly message: Message;
  /** Its text form. */
  readonly alt_message: string;
}

/**
 * What a demo platform starts with: the bot's own account, the other users,
 * the groups and the guilds.
 *
 * @example
 * ```ts
 * import { DEMO_FIXTURES, type DemoFixtures } from "./platform.ts";
 *
 * const fixtures: DemoFixtures = { ...DEMO_FIXTURES, groups: [] };
 * ```
 */
export interface DemoFixtures {
  /** The bot's account (never listed as a friend). */
  readonly bot: DemoUser;
  /** The other users, friends or strangers. */
  readonly users: readonly DemoUser[];
  /** The groups, with the bot among the members of those it has joined. */
  readonly groups: readonly DemoGroup[];
  /** The guilds, with the bot among the members of those it has joined. */
  readonly guilds: readonly DemoGuild[];
}

/**
 * The demo's fixed starting state: the bot `10000` ("libob bot"); friends
 * alice `10001` and bob `10002`; a stranger carol `10003`; the group `20001`
 * (bot, alice, bob); the guild `30001` (bot, alice, bob, carol) with the
 * channels `40001` general (everyone), `40002` random (bot, alice) and
 * `40003` staff (alice, bob: the bot has not joined it).
 *
 * @example
 * ```ts
 * import { DEMO_FIXTURES } from "./platform.ts";
 * import { expect } from "expect";
 *
 * expect(DEMO_FIXTURES.bot.user_id).toBe("10000");
 * ```
 */
export const DEMO_FIXTURES: DemoFixtures = {
  bot: user("10000", "libob bot", "", "", false),
  users: [
    user("10001", "alice", "Alice", "alice from the demo", true),
    user("10002", "bob", "", "", true),
    user("10003", "carol", "Carol", "", false),
  ],
  groups: [{
    group_id: "20001",
    group_name: "libob demo group",
    members: new Map([["10000", ""], ["10001", "Alice (admin)"], ["10002", ""]]),
  }],
  guilds: [{
    guild_id: "30001",
    guild_name: "libob demo guild",
    members: new Map([["10000", ""], ["10001", ""], ["10002", "bobby"], ["10003", ""]]),
    channels: new Map([
      channel("40001", "general", ["10000", "10001", "10002", "10003"]),
      channel("40002", "random", ["10000", "10001"]),
      channel("40003", "staff", ["10001", "10002"]),
    ]),
  }],
};

/**
 * One change of the platform, as {@linkcode DemoPlatform.subscribe} reports
 * it: a message stored, or deleted or dropped to make room (both
 * `message_removed`), a group, guild or channel renamed, a member joined or
 * gone. The playground turns them into live updates.
 *
 * @example
 * ```ts
 * import type { DemoChange } from "./platform.ts";
 *
 * const change: DemoChange = { type: "renamed", target: "group", id: "20001", name: "new name" };
 * ```
 */
export type DemoChange =
  | { readonly type: "message_added"; readonly message: DemoMessage }
  | { readonly type: "message_removed"; readonly message: DemoMessage }
  | {
    readonly type: "renamed";
    readonly target: "group" | "guild" | "channel";
    /** The group, guild or channel ID. */
    readonly id: string;
    readonly name: string;
  }
  | {
    readonly type: "member_joined" | "member_left";
    readonly target: "group" | "guild" | "channel";
    /** The group, guild or channel ID. */
    readonly id: string;
    readonly user_id: string;
  };

/**
 * Options of {@linkcode createDemoPlatform}.
 *
 * @example
 * ```ts
 * import type { DemoPlatformOptions } from "./platform.ts";
 *
 * const options: DemoPlatformOptions = { now: () => 1700000000 };
 * ```
 */
export interface DemoPlatformOptions {
  /** The starting state; {@linkcode DEMO_FIXTURES} by default. It is copied. */
  fixtures?: DemoFixtures;
  /** The clock, in float seconds; `Date.now() / 1000` by default. */
  now?: () => number;
  /**
   * Messages kept per chat, an integer > 0; a new message past it drops the
   * oldest of its chat. Default {@linkcode DEMO_MAX_MESSAGES_PER_CHAT} (1000).
   */
  maxMessagesPerChat?: number;
  /**
   * The size of all kept messages together, in bytes as
   * {@linkcode freezeMessage} estimates it (plus each `alt_message`), an
   * integer > 0; a new message past it drops the oldest messages of any chat
   * (the newest is always kept). Default {@linkcode DEMO_MAX_MESSAGES_SIZE}
   * (32 MiB).
   */
  maxMessagesSize?: number;
}

/**
 * The default of {@linkcode DemoPlatformOptions.maxMessagesPerChat}.
 *
 * @example
 * ```ts
 * import { DEMO_MAX_MESSAGES_PER_CHAT } from "./platform.ts";
 * import { expect } from "expect";
 *
 * expect(DEMO_MAX_MESSAGES_PER_CHAT).toBe(1000);
 * ```
 */
export const DEMO_MAX_MESSAGES_PER_CHAT = 1000;

/**
 * The default of {@linkcode DemoPlatformOptions.maxMessagesSize}: 32 MiB.
 *
 * @example
 * ```ts
 * import { DEMO_MAX_MESSAGES_SIZE } from "./platform.ts";
 * import { expect } from "expect";
 *
 * expect(DEMO_MAX_MESSAGES_SIZE).toBe(32 * 1024 * 1024);
 * ```
 */
export const DEMO_MAX_MESSAGES_SIZE = 32 * 1024 * 1024;

/**
 * One in-memory platform. Reads return records the caller must not change;
 * every change goes through a function, which answers `false` (or
 * `undefined`) when the target does not exist.
 *
 * @example
 * ```ts
 * import { createDemoPlatform, type DemoPlatform } from "./platform.ts";
 *
 * const platform: DemoPlatform = createDemoPlatform();
 * ```
 */
export interface DemoPlatform {
  /** The bot's own account. */
  readonly bot: DemoUser;
  /** A user by ID, the bot included. */
  user(userId: string): DemoUser | undefined;
  /** The bot's friends, in ID order. */
  friends(): DemoUser[];
  /** Every user, the bot included, in ID order. */
  allUsers(): DemoUser[];
  /** A group by ID, joined or not. */
  group(groupId: string): DemoGroup | undefined;
  /** The groups the bot is a member of. */
  groups(): DemoGroup[];
  /** Every group, joined or not, in ID order. */
  allGroups(): DemoGroup[];
  /** A guild by ID, joined or not. */
  guild(guildId: string): DemoGuild | undefined;
  /** The guilds the bot is a member of. */
  guilds(): DemoGuild[];
  /** Every guild, joined or not, in ID order. */
  allGuilds(): DemoGuild[];
  /** Renames a group. */
  renameGroup(groupId: string, name: string): boolean;
  /** Renames a guild. */
  renameGuild(guildId: string, name: string): boolean;
  /** Renames a channel. */
  renameChannel(guildId: string, channelId: string, name: string): boolean;
  /** Adds a user to a group (`false` when there is no such group, or they are in it). */
  joinGroup(groupId: string, userId: string): boolean;
  /** Removes a member from a group. */
  leaveGroup(groupId: string, userId: string): boolean;
  /** Removes a member from a guild and from all its channels. */
  leaveGuild(guildId: string, userId: string): boolean;
  /** Removes a member from one channel. */
  leaveChannel(guildId: string, channelId: string, userId: string): boolean;
  /**
   * Stores a message and gives it the next ID and the current time, first
   * dropping the oldest messages past the bounds of
   * {@linkcode DemoPlatformOptions}. The platform takes `message` as it
   * is, without a copy, and freezes it (arrays and objects, deeply):
   * do not change it afterwards.
   */
  addMessage(init: { sender_id: string; chat: DemoChat; message: Message }): DemoMessage;
  /** A stored message by ID. */
  message(messageId: string): DemoMessage | undefined;
  /** The stored messages of one chat, oldest first (at most `maxMessagesPerChat`). */
  messages(chat: DemoChat): DemoMessage[];
  /** Every stored message, oldest first. */
  allMessages(): DemoMessage[];
  /** Deletes a stored message; returns it, or `undefined` when there is none. */
  removeMessage(messageId: string): DemoMessage | undefined;
  /**
   * Calls `listener` after every change, in order, until the returned handle
   * is disposed. A listener that throws does not stop the others.
   */
  subscribe(listener: (change: DemoChange) => void): Disposable;
}

interface MutableGroup {
  group_id: string;
  group_name: string;
  members: Map<string, string>;
}

interface MutableChannel {
  channel_id: string;
  channel_name: string;
  members: Set<string>;
}

interface MutableGuild {
  guild_id: string;
  guild_name: string;
  members: Map<string, string>;
  channels: Map<string, MutableChannel>;
}

/**
 * Creates an in-memory platform from fixtures. All state lives in the
 * returned closures; two platforms share nothing. Messages are kept within
 * two bounds, per chat and in all: past them the oldest are dropped (each
 * reported as `message_removed`).
 *
 * @param options The fixtures, the clock and the bounds of the messages.
 * @returns The platform.
 * @throws {RangeError} When a bound is not an integer > 0.
 *
 * @example Sending a message, then deleting it
 * ```ts
 * import { createDemoPlatform } from "./platform.ts";
 * import { expect } from "expect";
 *
 * const platform = createDemoPlatform({ now: () => 1700000000.25 });
 * const sent = platform.addMessage({
 *   sender_id: "10000",
 *   chat: { detail_type: "group", group_id: "20001" },
 *   message: [{ type: "text", data: { text: "hello" } }],
 * });
 * expect(sent).toMatchObject({ message_id: "1", time: 1700000000.25, alt_message: "hello" });
 * expect(platform.messages({ detail_type: "group", group_id: "20001" })).toEqual([sent]);
 * expect(platform.removeMessage("1")).toEqual(sent);
 * expect(platform.message("1")).toBeUndefined();
 * ```
 *
 * @example Keeping the last two messages of each chat
 * ```ts
 * import { createDemoPlatform } from "./platform.ts";
 * import { expect } from "expect";
 *
 * const platform = createDemoPlatform({ maxMessagesPerChat: 2 });
 * const chat = { detail_type: "private", user_id: "10001" } as const;
 * for (const text of ["a", "b", "c"]) {
 *   platform.addMessage({ sender_id: "10001", chat, message: [{ type: "text", data: { text } }] });
 * }
 * expect(platform.messages(chat).map((stored) => stored.alt_message)).toEqual(["b", "c"]);
 * expect(platform.message("1")).toBeUndefined();
 * ```
 */
export function createDemoPlatform(options: DemoPlatformOptions = {}): DemoPlatform {
  const {
    maxMessagesPerChat = DEMO_MAX_MESSAGES_PER_CHAT,
    maxMessagesSize = DEMO_MAX_MESSAGES_SIZE,
  } = options;
  checkInteger("create demo platform", "maxMessagesPerChat", maxMessagesPerChat, 1);
  checkInteger("create demo platform", "maxMessagesSize", maxMessagesSize, 1);
  const fixtures = options.fixtures ?? DEMO_FIXTURES;
  const now = options.now ?? (() => Date.now() / 1000);
  const bot = { ...fixtures.bot };
  const users = new Map<string, DemoUser>([[bot.user_id, bot]]);
  for (const u of fixtures.users) users.set(u.user_id, { ...u });
  const groups = new Map<string, MutableGroup>();
  for (const g of fixtures.groups) {
    groups.set(g.group_id, { ...g, members: new Map(g.members) });
  }
  const guilds = new Map<string, MutableGuild>();
  for (const g of fixtures.guilds) {
    const channels = new Map<string, MutableChannel>();
    for (const c of g.channels.values()) {
      channels.set(c.channel_id, { ...c, members: new Set(c.members) });
    }
    guilds.set(g.guild_id, { ...g, members: new Map(g.members), channels });
  }
  /** Every kept message by ID, oldest first, with its chat's key and its size. */
  const messages = new Map<string, { stored: DemoMessage; chat: string; size: number }>();
  const order: IdQueue = { ids: [], head: 0 };
  /** The kept messages of each chat, by chat key. */
  const chats = new Map<string, { byId: Map<string, DemoMessage>; order: IdQueue }>();
  let messagesSize = 0;
  let lastMessageId = 0;
  const listeners = new Set<(change: DemoChange) => void>();

  function changed<T>(result: T, change: DemoChange): T {
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch {
        // One broken listener (a closed page) must not hide the change from the others.
      }
    }
    return result;
  }
  function rename<R extends object>(
    target: "group" | "guild" | "channel",
    record: R | undefined,
    field: keyof R & `${string}_name`,
    id: string,
    name: string,
  ): boolean {
    if (record === undefined) return false;
    (record as Record<string, unknown>)[field] = name;
    return changed(true, { type: "renamed", target, id, name });
  }
  function left(
    target: "group" | "guild" | "channel",
    id: string,
    userId: string,
    removed: boolean | undefined,
  ): boolean {
    return removed === true
      ? changed(true, { type: "member_left", target, id, user_id: userId })
      : false;
  }

  function removeMessage(messageId: string): DemoMessage | undefined {
    const kept = messages.get(messageId);
    if (kept === undefined) return undefined;
    messages.delete(messageId);
    const chat = chats.get(kept.chat);
    chat?.byId.delete(messageId);
    if (chat?.byId.size === 0) chats.delete(kept.chat);
    messagesSize -= kept.size;
    return changed(kept.stored, { type: "message_removed", message: kept.stored });
  }

  /** Removes the oldest message of a list; `false` when it has none. */
  function dropOldest(queue: IdQueue, live: ReadonlyMap<string, unknown>): boolean {
    const id = oldestId(queue, live);
    return id !== undefined && removeMessage(id) !== undefined;
  }

  return {
    bot,
    user: (userId) => users.get(userId),
    friends: () => byId([...users.values()].filter((u) => u.friend), "user_id"),
    allUsers: () => byId([...users.values()], "user_id"),
    group: (groupId) => groups.get(groupId),
    groups: () => byId([...groups.values()].filter((g) => g.members.has(bot.user_id)), "group_id"),
    allGroups: () => byId([...groups.values()], "group_id"),
    guild: (guildId) => guilds.get(guildId),
    guilds: () => byId([...guilds.values()].filter((g) => g.members.has(bot.user_id)), "guild_id"),
    allGuilds: () => byId([...guilds.values()], "guild_id"),
    renameGroup: (groupId, name) =>
      rename("group", groups.get(groupId), "group_name", groupId, name),
    renameGuild: (guildId, name) =>
      rename("guild", guilds.get(guildId), "guild_name", guildId, name),
    renameChannel: (guildId, channelId, name) =>
      rename(
        "channel",
        guilds.get(guildId)?.channels.get(channelId),
        "channel_name",
        channelId,
        name,
      ),
    joinGroup(groupId, userId) {
      const group = groups.get(groupId);
      if (group === undefined || group.members.has(userId) || !users.has(userId)) return false;
      group.members.set(userId, "");
      return changed(true, {
        type: "member_joined",
        target: "group",
        id: groupId,
        user_id: userId,
      });
    },
    leaveGroup: (groupId, userId) =>
      left("group", groupId, userId, groups.get(groupId)?.members.delete(userId)),
    leaveGuild(guildId, userId) {
      const guild = guilds.get(guildId);
      if (guild === undefined || !guild.members.has(userId)) return false;
      for (const channel of guild.channels.values()) channel.members.delete(userId);
      return left("guild", guildId, userId, guild.members.delete(userId));
    },
    leaveChannel: (guildId, channelId, userId) =>
      left(
        "channel",
        channelId,
        userId,
        guilds.get(guildId)?.channels.get(channelId)?.members.delete(userId),
      ),
    addMessage({ sender_id, chat, message }) {
      const alt_message = altMessage(message);
      const size = freezeMessage(message) + alt_message.length;
      const key = chatKey(chat);
      // Make room first: the new message is always kept, the oldest go.
      const full = chats.get(key);
      while (full !== undefined && full.byId.size >= maxMessagesPerChat) {
        if (!dropOldest(full.order, full.byId)) break;
      }
      while (messagesSize + size > maxMessagesSize) {
        if (!dropOldest(order, messages)) break;
      }
      const inChat = chats.get(key) ??
        { byId: new Map<string, DemoMessage>(), order: { ids: [], head: 0 } };
      chats.set(key, inChat);
      lastMessageId += 1;
      const stored: DemoMessage = Object.freeze({
        message_id: String(lastMessageId),
        time: now(),
        sender_id,
        chat: Object.freeze({ ...chat }),
        message,
        alt_message,
      });
      messages.set(stored.message_id, { stored, chat: key, size });
      pushId(order, stored.message_id, messages);
      inChat.byId.set(stored.message_id, stored);
      pushId(inChat.order, stored.message_id, inChat.byId);
      messagesSize += size;
      return changed(stored, { type: "message_added", message: stored });
    },
    message: (messageId) => messages.get(messageId)?.stored,
    messages: (chat) => [...chats.get(chatKey(chat))?.byId.values() ?? []],
    allMessages: () => Array.from(messages.values(), (kept) => kept.stored),
    removeMessage,
    subscribe(listener) {
      listeners.add(listener);
      return { [Symbol.dispose]: () => void listeners.delete(listener) };
    },
  };
}

/**
 * Message IDs, oldest first from `head`. A message removed otherwise (deleted,
 * or dropped from another list) stays until it is met or swept. A `Map`
 * alone would do, but finding its first entry skips every deleted one: a
 * cost that grows with the cap.
 */
interface IdQueue {
  ids: string[];
  head: number;
}

/** The oldest ID of `queue` still in `live`; gone ones on the way are passed for good. */
function oldestId(queue: IdQueue, live: ReadonlyMap<string, unknown>): string | undefined {
  while (queue.head < queue.ids.length) {
    const id = queue.ids[queue.head]!;
    if (live.has(id)) return id;
    queue.head += 1;
  }
  return undefined;
}

/** Adds the newest ID; sweeps gone IDs once they are half the list (amortised O(1)). */
function pushId(queue: IdQueue, id: string, live: ReadonlyMap<string, unknown>): void {
  queue.ids.push(id);
  if (queue.ids.length > 2 * live.size + 64) {
    queue.ids = queue.ids.slice(queue.head).filter((kept) => live.has(kept));
    queue.head = 0;
  }
}

/** One string per chat; the guild ID's length keeps a `:` in an ID from mixing two chats up. */
function chatKey(chat: DemoChat): string {
  switch (chat.detail_type) {
    case "private":
      return `p:${chat.user_id}`;
    case "group":
      return `g:${chat.group_id}`;
    case "channel":
      return `c:${chat.guild_id.length}:${chat.guild_id}:${chat.channel_id}`;
  }
}

/** What a kept message costs besides its content: its record, ID, time and chat. */
const MESSAGE_OVERHEAD = 256;
/** What a value costs besides its characters or bytes. */
const VALUE_OVERHEAD = 16;
/** What a key costs besides its characters (V8 keeps a big object as a hash table). */
const KEY_OVERHEAD = 64;

/**
 * Freezes a message's arrays and objects, deeply, and estimates what
 * keeping it costs in bytes, close to what V8 holds: 16 per value (an
 * array item included) plus the length of a string or the buffer that bytes
 * keep alive, 64 per object key plus its length, and 256 for the record.
 * A value already frozen is taken as owned and not counted again (it is
 * shared, or it is a cycle). No recursion: any depth is fine.
 *
 * @param message The message, as `addMessage` receives it.
 * @returns The estimate.
 *
 * @example
 * ```ts
 * import { freezeMessage } from "./platform.ts";
 * import type { Message } from "../mod.ts";
 * import { expect } from "expect";
 *
 * const message: Message = [{ type: "text", data: { text: "x".repeat(1000) } }];
 * expect(freezeMessage(message)).toBeGreaterThan(1000);
 * expect(Object.isFrozen(message)).toBe(true);
 * expect(Object.isFrozen(message[0]?.data)).toBe(true);
 * ```
 */
export function freezeMessage(message: Message): number {
  let size = MESSAGE_OVERHEAD;
  const pending: unknown[] = [message];
  while (pending.length > 0) {
    const value = pending.pop();
    size += VALUE_OVERHEAD;
    if (typeof value === "string") {
      size += value.length;
    } else if (ArrayBuffer.isView(value)) {
      size += value.buffer.byteLength; // a view keeps its whole buffer alive
    } else if (value instanceof ArrayBuffer) {
      size += value.byteLength;
    } else if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
      Object.freeze(value);
      if (Array.isArray(value)) {
        for (const item of value) pending.push(item);
        continue;
      }
      for (const key of Object.keys(value)) {
        size += KEY_OVERHEAD + key.length;
        pending.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return size;
}

function user(
  user_id: string,
  user_name: string,
  user_displayname: string,
  user_remark: string,
  friend: boolean,
): DemoUser {
  return { user_id, user_name, user_displayname, user_remark, friend };
}

function channel(
  channel_id: string,
  channel_name: string,
  members: readonly string[],
): [string, DemoChannel] {
  return [channel_id, { channel_id, channel_name, members: new Set(members) }];
}

function byId<T, K extends keyof T>(records: T[], key: K): T[] {
  return records.sort((a, b) => compareIds(String(a[key]), String(b[key])));
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
