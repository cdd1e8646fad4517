/**
 * What the playground page is sent: plain JSON views of the platform's state,
 * of its messages, and of OneBot frames for the log. Pure functions.
 *
 * @module
 */

import type { Frame } from "../../mod.ts";
import type { DemoChat, DemoMessage, DemoPlatform } from "../platform.ts";

/**
 * A user as the page lists them.
 *
 * @example
 * ```ts
 * import type { UserView } from "./view.ts";
 *
 * const user: UserView = { user_id: "10001", user_name: "alice", user_displayname: "Alice", friend: true };
 * ```
 */
export interface UserView {
  /** The user ID. */
  user_id: string;
  /** The account name. */
  user_name: string;
  /** The display name, `""` if none. */
  user_displayname: string;
  /** Whether the user is the bot's friend. */
  friend: boolean;
}

/**
 * A member of a group or guild with their nickname there.
 *
 * @example
 * ```ts
 * import type { MemberView } from "./view.ts";
 *
 * const member: MemberView = { user_id: "10002", nickname: "bobby" };
 * ```
 */
export interface MemberView {
  /** The user ID. */
  user_id: string;
  /** The nickname there, `""` if none. */
  nickname: string;
}

/**
 * Everything but the messages: who exists and who is where. Groups, guilds
 * and channels the bot has left are listed too.
 *
 * @example
 * ```ts
 * import { createDemoPlatform } from "../platform.ts";
 * import { stateView, type StateView } from "./view.ts";
 *
 * const state: StateView = stateView(createDemoPlatform());
 * ```
 */
export interface StateView {
  /** The bot's own account. */
  bot: UserView;
  /** Every other user, in ID order. */
  users: UserView[];
  /** Every group. */
  groups: { group_id: string; group_name: string; members: MemberView[] }[];
  /** Every guild with its channels. */
  guilds: {
    guild_id: string;
    guild_name: string;
    members: MemberView[];
    channels: { channel_id: string; channel_name: string; members: string[] }[];
  }[];
}

/**
 * A stored message as the page renders it.
 *
 * @example
 * ```ts
 * import type { MessageView } from "./view.ts";
 *
 * const message: MessageView = {
 *   message_id: "1",
 *   time: 1700000000.5,
 *   sender_id: "10001",
 *   chat: { detail_type: "private", user_id: "10001" },
 *   message: [{ type: "text", data: { text: "hi" } }],
 *   alt_message: "hi",
 * };
 * ```
 */
export interface MessageView {
  /** The message ID. */
  message_id: string;
  /** Unix time in float seconds. */
  time: number;
  /** Who sent it. */
  sender_id: string;
  /** Where. */
  chat: DemoChat;
  /** The segments. */
  message: unknown[];
  /** The text form. */
  alt_message: string;
}

/**
 * One OneBot frame in the page's log: the frame, numbered and timed, with
 * its data made loggable by {@linkcode logValue}.
 *
 * @example
 * ```ts
 * import type { LogFrame } from "./view.ts";
 *
 * const frame: LogFrame = {
 *   seq: 1,
 *   time: 1700000000123,
 *   direction: "in",
 *   type: "action",
 *   connection: "http",
 *   peer: "127.0.0.1:50000",
 *   encoding: "json",
 *   data: { action: "get_version", params: {} },
 * };
 * ```
 */
export interface LogFrame extends Frame {
  /** Its number, from 1, in the order frames were seen. */
  seq: number;
  /** When it was seen, in Unix milliseconds. */
  time: number;
}

/**
 * The platform's state as the page lists it.
 *
 * @param platform The platform.
 * @returns A fresh, JSON-ready snapshot.
 *
 * @example
 * ```ts
 * import { createDemoPlatform } from "../platform.ts";
 * import { stateView } from "./view.ts";
 * import { expect } from "expect";
 *
 * const state = stateView(createDemoPlatform());
 * expect(state.bot.user_id).toBe("10000");
 * expect(state.users.map((user) => user.user_name)).toEqual(["alice", "bob", "carol"]);
 * expect(state.groups[0]?.members.map((member) => member.user_id)).toEqual(["10000", "10001", "10002"]);
 * ```
 */
export function stateView(platform: DemoPlatform): StateView {
  const botId = platform.bot.user_id;
  return {
    bot: userView(platform.bot),
    users: platform.allUsers().filter((user) => user.user_id !== botId).map(userView),
    groups: platform.allGroups().map((group) => ({
      group_id: group.group_id,
      group_name: group.group_name,
      members: membersView(group.members),
    })),
    guilds: platform.allGuilds().map((guild) => ({
      guild_id: guild.guild_id,
      guild_name: guild.guild_name,
      members: membersView(guild.members),
      channels: [...guild.channels.values()].map((channel) => ({
        channel_id: channel.channel_id,
        channel_name: channel.channel_name,
        members: [...channel.members],
      })),
    })),
  };
}

/**
 * A stored message as the page renders it; its segments are made loggable
 * (bytes and long strings shortened) by {@linkcode logValue}.
 *
 * @param stored The stored message.
 * @returns The view.
 *
 * @example
 * ```ts
 * import { createDemoPlatform } from "../platform.ts";
 * import { messageView } from "./view.ts";
 * import { expect } from "expect";
 *
 * const platform = createDemoPlatform();
 * const stored = platform.addMessage({
 *   sender_id: "10001",
 *   chat: { detail_type: "private", user_id: "10001" },
 *   message: [{ type: "text", data: { text: "hi" } }],
 * });
 * expect(messageView(stored).alt_message).toBe("hi");
 * ```
 */
export function messageView(stored: DemoMessage): MessageView {
  return {
    message_id: stored.message_id,
    time: stored.time,
    sender_id: stored.sender_id,
    chat: stored.chat,
    message: logValue(stored.message) as unknown[],
    alt_message: stored.alt_message,
  };
}

/** Strings longer than this are cut in the log. */
const MAX_STRING = 2048;
/** Arrays longer than this are cut in the log. */
const MAX_ITEMS = 200;
/** Deeper values are replaced in the log. */
const MAX_DEPTH = 12;

/**
 * A JSON-ready copy of a frame's data for the log: bytes become
 * `{"$bytes": <length>}`, strings over 2048 characters and arrays over 200
 * items are cut (saying how much is left out), and values nested deeper
 * than 12 levels become `"…"`. A log must stay readable and small whatever
 * a peer sends.
 *
 * @param value Any decoded frame data.
 * @returns The loggable copy.
 *
 * @example
 * ```ts
 * import { logValue } from "./view.ts";
 * import { expect } from "expect";
 *
 * expect(logValue({ data: new Uint8Array(3), name: "x".repeat(2050) })).toEqual({
 *   data: { $bytes: 3 },
 *   name: `${"x".repeat(2048)}… (2 more characters)`,
 * });
 * ```
 */
export function logValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") {
    return value.length > MAX_STRING
      ? `${value.slice(0, MAX_STRING)}… (${value.length - MAX_STRING} more characters)`
      : value;
  }
  if (typeof value !== "object" || value === null) {
    return typeof value === "bigint" ? value.toString() : value;
  }
  if (value instanceof Uint8Array) return { $bytes: value.byteLength };
  if (depth >= MAX_DEPTH) return "…";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => logValue(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`… (${value.length - MAX_ITEMS} more items)`);
    return items;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = logValue(item, depth + 1);
  return copy;
}

function userView(
  user: { user_id: string; user_name: string; user_displayname: string; friend: boolean },
): UserView {
  const { user_id, user_name, user_displayname, friend } = user;
  return { user_id, user_name, user_displayname, friend };
}

function membersView(members: ReadonlyMap<string, string>): MemberView[] {
  return [...members].map(([user_id, nickname]) => ({ user_id, nickname }));
}
