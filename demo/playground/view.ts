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
 * A stored message as the page renders it: its segments and its text form
 * are made loggable by {@linkcode logValue} (bytes shown as their length;
 * long strings, arrays and objects cut), within one budget.
 *
 * @param stored The stored message.
 * @param budget What the view may spend; a fresh {@linkcode LOG_VALUE_UNITS} by default.
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
export function messageView(stored: DemoMessage, budget?: LogBudget): MessageView {
  const spend = budget ?? { left: LOG_VALUE_UNITS };
  return {
    message_id: stored.message_id,
    time: stored.time,
    sender_id: stored.sender_id,
    chat: stored.chat,
    message: logValue(stored.message, spend) as unknown[],
    alt_message: logValue(stored.alt_message, spend) as string,
  };
}

/** Messages in a page's greeting, at most. */
export const GREETING_MESSAGES = 1000;
/** What the messages of a page's greeting may spend in all ({@linkcode LogBudget} units). */
export const GREETING_UNITS = 1024 * 1024;

/**
 * The messages a page is greeted with: the newest that fit, oldest first.
 * At most {@linkcode GREETING_MESSAGES}, each shortened as
 * {@linkcode messageView} does, and all of them within
 * {@linkcode GREETING_UNITS}: a page opened after three messages of 4 MB
 * receives about 12 KB, not 12 MB.
 *
 * @param stored The stored messages, oldest first.
 * @returns The views, oldest first.
 *
 * @example
 * ```ts
 * import { createDemoPlatform } from "../platform.ts";
 * import { greetingMessages } from "./view.ts";
 * import { expect } from "expect";
 *
 * const platform = createDemoPlatform();
 * const chat = { detail_type: "group", group_id: "20001" } as const;
 * const text = "x".repeat(4_000_000);
 * for (let i = 0; i < 3; i++) {
 *   platform.addMessage({ sender_id: "10001", chat, message: [{ type: "text", data: { text } }] });
 * }
 * const views = greetingMessages(platform.allMessages());
 * expect(views.map((view) => view.message_id)).toEqual(["1", "2", "3"]);
 * expect(JSON.stringify(views).length).toBeLessThan(20_000);
 * ```
 */
export function greetingMessages(stored: readonly DemoMessage[]): MessageView[] {
  const views: MessageView[] = [];
  let left = GREETING_UNITS;
  for (let index = stored.length - 1; index >= 0 && views.length < GREETING_MESSAGES; index--) {
    const budget = { left: LOG_VALUE_UNITS };
    const view = messageView(stored[index]!, budget);
    left -= LOG_VALUE_UNITS - budget.left;
    if (left < 0) break; // this one and the older ones do not fit
    views.push(view);
  }
  return views.reverse();
}

/**
 * What a shortened copy ({@linkcode logValue}) may still spend: one unit per
 * value and per key, plus the characters of strings and keys. Shared by the
 * calls that fill one frame, one message or one greeting.
 *
 * @example
 * ```ts
 * import { type LogBudget, logValue } from "./view.ts";
 * import { expect } from "expect";
 *
 * const budget: LogBudget = { left: 100 };
 * logValue({ text: "hello" }, budget);
 * expect(budget.left).toBe(100 - 1 - (1 + 4) - (1 + 5));
 * ```
 */
export interface LogBudget {
  /** Units left; a copy that runs out cuts what is left and may end below 0. */
  left: number;
}

/** Strings longer than this are cut in the log. */
const MAX_STRING = 2048;
/** Arrays longer than this are cut in the log. */
const MAX_ITEMS = 200;
/** Objects with more keys than this are cut in the log. */
const MAX_KEYS = 200;
/** Deeper values are replaced in the log. */
const MAX_DEPTH = 12;
/**
 * What one logged frame or one message view may spend
 * ({@linkcode LogBudget} units, about characters): 16 Ki.
 */
export const LOG_VALUE_UNITS = 16 * 1024;

/**
 * A JSON-ready copy of a frame's data for the log: bytes become
 * `{"$bytes": <length>}`, strings over 2048 characters, arrays over 200
 * items and objects over 200 keys are cut (saying how much is left out:
 * an object's last key `"…"` counts its missing keys), values nested
 * deeper than 12 levels become `"…"`, and the whole copy stops at its
 * budget ({@linkcode LOG_VALUE_UNITS} by default: about 16 Ki characters).
 * A cut string is a fresh string, not a slice that would keep the peer's
 * whole string alive. A log must stay readable and small whatever a peer
 * sends.
 *
 * @param value Any decoded frame data.
 * @param budget What the copy may spend; decreased by what it spends.
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
 * const keys = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
 * expect(Object.keys(logValue(keys) as object)).toHaveLength(201);
 * expect(logValue(keys)).toMatchObject({ k199: 199, "…": "800 more keys" });
 * ```
 */
export function logValue(value: unknown, budget: LogBudget = { left: LOG_VALUE_UNITS }): unknown {
  return copy(value, 0, budget);
}

function copy(value: unknown, depth: number, budget: LogBudget): unknown {
  budget.left -= 1;
  if (typeof value === "string") return cut(value, budget);
  if (typeof value !== "object" || value === null) {
    return typeof value === "bigint" ? value.toString() : value;
  }
  if (value instanceof Uint8Array) return { $bytes: value.byteLength };
  if (depth >= MAX_DEPTH) return "…";
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    const shown = Math.min(value.length, MAX_ITEMS);
    while (items.length < shown && budget.left > 0) {
      items.push(copy(value[items.length], depth + 1, budget));
    }
    if (items.length < value.length) items.push(`… (${value.length - items.length} more items)`);
    return items;
  }
  const keys = Object.keys(value);
  const shown = Math.min(keys.length, MAX_KEYS);
  const entries: [string, unknown][] = [];
  while (entries.length < shown && budget.left > 0) {
    const key = keys[entries.length]!;
    budget.left -= 1;
    entries.push([
      cut(key, budget),
      copy((value as Record<string, unknown>)[key], depth + 1, budget),
    ]);
  }
  if (entries.length < keys.length) {
    entries.push(["…", `${keys.length - entries.length} more keys`]);
  }
  // fromEntries defines each key: a peer's "__proto__" stays a key, not our copy's prototype.
  return Object.fromEntries(entries);
}

/**
 * `text` if it fits the budget and {@linkcode MAX_STRING}, else a fresh copy
 * of its start saying how much is cut. Spends what it keeps.
 */
function cut(text: string, budget: LogBudget): string {
  const limit = Math.max(0, Math.min(MAX_STRING, budget.left));
  if (text.length <= limit) {
    budget.left -= text.length;
    return text;
  }
  budget.left -= limit;
  // A slice would share the peer's string (V8 sliced strings) and keep all of it alive.
  const start = JSON.parse(JSON.stringify(text.slice(0, limit))) as string;
  return `${start}… (${text.length - limit} more characters)`;
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
