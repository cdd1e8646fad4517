/**
 * Builders and types of every standard message and notice event (checklist
 * §5.1, §5.2, EVT-00, §9.3 items 35 and 36). Each builder fills every
 * standard field, using the empty value `""` where none is given (e.g.
 * `operator_id`), and enforces the allowed `sub_type` values by type and at
 * runtime.
 *
 * @module
 */

import { createEvent } from "./create.ts";
import { type ExtensionName, isExtensionName } from "./extension.ts";
import { altMessage, type Message, type MessageInput, toMessage } from "./segment.ts";
import { isSegment } from "./segment.ts";
import type { BotSelf, Event } from "./types.ts";

/**
 * The `sub_type` of an event whose detail type lists none: `""`, or an
 * extension such as `qq.unidirectional` (EXT-11).
 *
 * @example
 * ```ts
 * import type { PlainSubType } from "@libob/libob";
 *
 * const subType: PlainSubType = "qq.unidirectional";
 * ```
 */
export type PlainSubType = "" | ExtensionName;

/**
 * The `sub_type` of the member-increase notices: `join` (joined on their
 * own), `invite` (was invited), `""`, or an extension (§5.2).
 *
 * @example
 * ```ts
 * import type { MemberIncreaseSubType } from "@libob/libob";
 *
 * const subType: MemberIncreaseSubType = "invite";
 * ```
 */
export type MemberIncreaseSubType = "join" | "invite" | PlainSubType;

/**
 * The `sub_type` of the member-decrease notices: `leave` (left on their own),
 * `kick` (was kicked), `""`, or an extension (§5.2).
 *
 * @example
 * ```ts
 * import type { MemberDecreaseSubType } from "@libob/libob";
 *
 * const subType: MemberDecreaseSubType = "kick";
 * ```
 */
export type MemberDecreaseSubType = "leave" | "kick" | PlainSubType;

/**
 * The `sub_type` of the message-delete notices of groups and channels:
 * `recall` (the sender withdrew it), `delete` (an admin deleted it), `""`,
 * or an extension (§5.2).
 *
 * @example
 * ```ts
 * import type { MessageDeleteSubType } from "@libob/libob";
 *
 * const subType: MessageDeleteSubType = "recall";
 * ```
 */
export type MessageDeleteSubType = "recall" | "delete" | PlainSubType;

/**
 * What every standard event builder takes besides the event's own fields.
 *
 * @example
 * ```ts
 * import type { StandardEventInit } from "@libob/libob";
 *
 * const init: StandardEventInit = {
 *   self: { platform: "qq", user_id: "1" },
 *   time: 1632847927.599013,
 *   "qq.extra": true,
 * };
 * ```
 */
export interface StandardEventInit {
  /** The bot the event belongs to (required on every non-meta event). */
  self: BotSelf;
  /** A fresh UUID when omitted. */
  id?: string;
  /** Unix seconds; now when omitted. RECOMMENDED: the platform's time. */
  time?: number;
  /** Extension fields (EXT-10). */
  [extension: ExtensionName]: unknown;
}

/**
 * What the message event builders take: the message in any MSG-02 form;
 * `alt_message` is derived from it when omitted (MSG-04).
 *
 * @example
 * ```ts
 * import type { MessageEventInit } from "@libob/libob";
 *
 * const init: MessageEventInit = {
 *   self: { platform: "qq", user_id: "1" },
 *   message_id: "m1",
 *   user_id: "2",
 *   message: "hi",
 * };
 * ```
 */
export interface MessageEventInit extends StandardEventInit {
  /** The message ID. */
  message_id: string;
  /** The sender; a fixed, documented value for anonymous or system messages. */
  user_id: string;
  /** The message: a list, one segment, or a string; always a list in the event. */
  message: MessageInput;
  /** The text form; `altMessage(message)` when omitted. */
  alt_message?: string;
  /** `""` or an extension; `""` when omitted. */
  sub_type?: PlainSubType;
}

/**
 * The fields every standard message or notice event carries (§2.1).
 *
 * @typeParam T The event type.
 * @typeParam D The detail type.
 * @typeParam S The allowed sub types.
 *
 * @example
 * ```ts
 * import type { StandardEventBase } from "@libob/libob";
 *
 * type Ping = StandardEventBase<"notice", "qq.ping", "">;
 * ```
 */
export interface StandardEventBase<
  T extends "message" | "notice",
  D extends string,
  S extends string,
> extends Event {
  /** The event type. */
  type: T;
  /** The detail type. */
  detail_type: D;
  /** One of the allowed sub types. */
  sub_type: S;
  /** The bot the event belongs to. */
  self: BotSelf;
}

/**
 * `message.private` (§5.1).
 *
 * @example
 * ```ts
 * import { type PrivateMessageEvent, privateMessageEvent } from "@libob/libob";
 *
 * const event: PrivateMessageEvent = privateMessageEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   message_id: "m1",
 *   user_id: "2",
 *   message: "hi",
 * });
 * ```
 */
export interface PrivateMessageEvent extends StandardEventBase<"message", "private", PlainSubType> {
  /** The message ID. */
  message_id: string;
  /** The message, always a list (MSG-01). */
  message: Message;
  /** Its text form (MSG-04). */
  alt_message: string;
  /** The sender. */
  user_id: string;
}

/**
 * `message.group` (§5.1).
 *
 * @example
 * ```ts
 * import type { GroupMessageEvent } from "@libob/libob";
 *
 * type GroupOf = GroupMessageEvent["group_id"]; // string
 * ```
 */
export interface GroupMessageEvent extends StandardEventBase<"message", "group", PlainSubType> {
  /** The message ID. */
  message_id: string;
  /** The message, always a list (MSG-01). */
  message: Message;
  /** Its text form (MSG-04). */
  alt_message: string;
  /** The group. */
  group_id: string;
  /** The sender. */
  user_id: string;
}

/**
 * `message.channel` (§5.1).
 *
 * @example
 * ```ts
 * import type { ChannelMessageEvent } from "@libob/libob";
 *
 * type ChannelOf = ChannelMessageEvent["channel_id"]; // string
 * ```
 */
export interface ChannelMessageEvent extends StandardEventBase<"message", "channel", PlainSubType> {
  /** The message ID. */
  message_id: string;
  /** The message, always a list (MSG-01). */
  message: Message;
  /** Its text form (MSG-04). */
  alt_message: string;
  /** The guild. */
  guild_id: string;
  /** The channel. */
  channel_id: string;
  /** The sender. */
  user_id: string;
}

/**
 * `notice.friend_increase`: a friend or follower was added (§5.2).
 *
 * @example
 * ```ts
 * import type { FriendIncreaseEvent } from "@libob/libob";
 *
 * type Detail = FriendIncreaseEvent["detail_type"]; // "friend_increase"
 * ```
 */
export interface FriendIncreaseEvent
  extends StandardEventBase<"notice", "friend_increase", PlainSubType> {
  /** The friend. */
  user_id: string;
}

/**
 * `notice.friend_decrease`: a friend or follower was removed (§5.2).
 *
 * @example
 * ```ts
 * import type { FriendDecreaseEvent } from "@libob/libob";
 *
 * type Detail = FriendDecreaseEvent["detail_type"]; // "friend_decrease"
 * ```
 */
export interface FriendDecreaseEvent
  extends StandardEventBase<"notice", "friend_decrease", PlainSubType> {
  /** The former friend. */
  user_id: string;
}

/**
 * `notice.private_message_delete` (§5.2).
 *
 * @example
 * ```ts
 * import type { PrivateMessageDeleteEvent } from "@libob/libob";
 *
 * type Detail = PrivateMessageDeleteEvent["detail_type"]; // "private_message_delete"
 * ```
 */
export interface PrivateMessageDeleteEvent
  extends StandardEventBase<"notice", "private_message_delete", PlainSubType> {
  /** The deleted message. */
  message_id: string;
  /** Its sender. */
  user_id: string;
}

/**
 * `notice.group_member_increase`, for any member including the bot (§5.2).
 *
 * @example
 * ```ts
 * import type { GroupMemberIncreaseEvent } from "@libob/libob";
 *
 * type Sub = GroupMemberIncreaseEvent["sub_type"]; // "join" | "invite" | "" | `${string}.${string}`
 * ```
 */
export interface GroupMemberIncreaseEvent
  extends StandardEventBase<"notice", "group_member_increase", MemberIncreaseSubType> {
  /** The group. */
  group_id: string;
  /** The member who joined. */
  user_id: string;
  /** Who invited or approved, `""` if unknown. */
  operator_id: string;
}

/**
 * `notice.group_member_decrease`, for any member including the bot (§5.2).
 *
 * @example
 * ```ts
 * import type { GroupMemberDecreaseEvent } from "@libob/libob";
 *
 * type Sub = GroupMemberDecreaseEvent["sub_type"]; // "leave" | "kick" | "" | `${string}.${string}`
 * ```
 */
export interface GroupMemberDecreaseEvent
  extends StandardEventBase<"notice", "group_member_decrease", MemberDecreaseSubType> {
  /** The group. */
  group_id: string;
  /** The member who left. */
  user_id: string;
  /** Who kicked them, `""` if unknown. */
  operator_id: string;
}

/**
 * `notice.group_message_delete` (§5.2).
 *
 * @example
 * ```ts
 * import type { GroupMessageDeleteEvent } from "@libob/libob";
 *
 * type Sub = GroupMessageDeleteEvent["sub_type"]; // "recall" | "delete" | "" | `${string}.${string}`
 * ```
 */
export interface GroupMessageDeleteEvent
  extends StandardEventBase<"notice", "group_message_delete", MessageDeleteSubType> {
  /** The group. */
  group_id: string;
  /** The deleted message. */
  message_id: string;
  /** Its sender. */
  user_id: string;
  /** Who deleted it, `""` if unknown. */
  operator_id: string;
}

/**
 * `notice.guild_member_increase` (§5.2).
 *
 * @example
 * ```ts
 * import type { GuildMemberIncreaseEvent } from "@libob/libob";
 *
 * type Guild = GuildMemberIncreaseEvent["guild_id"]; // string
 * ```
 */
export interface GuildMemberIncreaseEvent
  extends StandardEventBase<"notice", "guild_member_increase", MemberIncreaseSubType> {
  /** The guild. */
  guild_id: string;
  /** The member who joined. */
  user_id: string;
  /** Who invited or approved, `""` if unknown. */
  operator_id: string;
}

/**
 * `notice.guild_member_decrease` (§5.2).
 *
 * @example
 * ```ts
 * import type { GuildMemberDecreaseEvent } from "@libob/libob";
 *
 * type Guild = GuildMemberDecreaseEvent["guild_id"]; // string
 * ```
 */
export interface GuildMemberDecreaseEvent
  extends StandardEventBase<"notice", "guild_member_decrease", MemberDecreaseSubType> {
  /** The guild. */
  guild_id: string;
  /** The member who left. */
  user_id: string;
  /** Who kicked them, `""` if unknown. */
  operator_id: string;
}

/**
 * `notice.channel_member_increase` (§5.2).
 *
 * @example
 * ```ts
 * import type { ChannelMemberIncreaseEvent } from "@libob/libob";
 *
 * type Channel = ChannelMemberIncreaseEvent["channel_id"]; // string
 * ```
 */
export interface ChannelMemberIncreaseEvent
  extends StandardEventBase<"notice", "channel_member_increase", MemberIncreaseSubType> {
  /** The guild. */
  guild_id: string;
  /** The channel. */
  channel_id: string;
  /** The member who joined. */
  user_id: string;
  /** Who invited or approved, `""` if unknown. */
  operator_id: string;
}

/**
 * `notice.channel_member_decrease` (§5.2).
 *
 * @example
 * ```ts
 * import type { ChannelMemberDecreaseEvent } from "@libob/libob";
 *
 * type Channel = ChannelMemberDecreaseEvent["channel_id"]; // string
 * ```
 */
export interface ChannelMemberDecreaseEvent
  extends StandardEventBase<"notice", "channel_member_decrease", MemberDecreaseSubType> {
  /** The guild. */
  guild_id: string;
  /** The channel. */
  channel_id: string;
  /** The member who left. */
  user_id: string;
  /** Who kicked them, `""` if unknown. */
  operator_id: string;
}

/**
 * `notice.channel_message_delete` (§5.2).
 *
 * @example
 * ```ts
 * import type { ChannelMessageDeleteEvent } from "@libob/libob";
 *
 * type Sub = ChannelMessageDeleteEvent["sub_type"]; // "recall" | "delete" | "" | `${string}.${string}`
 * ```
 */
export interface ChannelMessageDeleteEvent
  extends StandardEventBase<"notice", "channel_message_delete", MessageDeleteSubType> {
  /** The guild. */
  guild_id: string;
  /** The channel. */
  channel_id: string;
  /** The deleted message. */
  message_id: string;
  /** Its sender. */
  user_id: string;
  /** Who deleted it, `""` if unknown. */
  operator_id: string;
}

/**
 * `notice.channel_create` (§5.2).
 *
 * @example
 * ```ts
 * import type { ChannelCreateEvent } from "@libob/libob";
 *
 * type Detail = ChannelCreateEvent["detail_type"]; // "channel_create"
 * ```
 */
export interface ChannelCreateEvent
  extends StandardEventBase<"notice", "channel_create", PlainSubType> {
  /** The guild. */
  guild_id: string;
  /** The new channel. */
  channel_id: string;
  /** Who created it, `""` if unknown. */
  operator_id: string;
}

/**
 * `notice.channel_delete` (§5.2).
 *
 * @example
 * ```ts
 * import type { ChannelDeleteEvent } from "@libob/libob";
 *
 * type Detail = ChannelDeleteEvent["detail_type"]; // "channel_delete"
 * ```
 */
export interface ChannelDeleteEvent
  extends StandardEventBase<"notice", "channel_delete", PlainSubType> {
  /** The guild. */
  guild_id: string;
  /** The deleted channel. */
  channel_id: string;
  /** Who deleted it, `""` if unknown. */
  operator_id: string;
}

/**
 * Every standard message and notice event (§5.1, §5.2). The meta events are
 * built by `connectEvent`, `heartbeatEvent` and `statusUpdateEvent`; the
 * standard defines no request events (§5.3).
 *
 * @example
 * ```ts
 * import type { StandardEvent } from "@libob/libob";
 *
 * function describe(event: StandardEvent): string {
 *   return event.detail_type === "group" ? `group ${event.group_id}` : event.detail_type;
 * }
 * ```
 */
export type StandardEvent =
  | PrivateMessageEvent
  | GroupMessageEvent
  | ChannelMessageEvent
  | FriendIncreaseEvent
  | FriendDecreaseEvent
  | PrivateMessageDeleteEvent
  | GroupMemberIncreaseEvent
  | GroupMemberDecreaseEvent
  | GroupMessageDeleteEvent
  | GuildMemberIncreaseEvent
  | GuildMemberDecreaseEvent
  | ChannelMemberIncreaseEvent
  | ChannelMemberDecreaseEvent
  | ChannelMessageDeleteEvent
  | ChannelCreateEvent
  | ChannelDeleteEvent;

const INCREASE: ReadonlySet<string> = new Set(["join", "invite"]);
const DECREASE: ReadonlySet<string> = new Set(["leave", "kick"]);
const DELETE: ReadonlySet<string> = new Set(["recall", "delete"]);
const NONE: ReadonlySet<string> = new Set();

const MESSAGE_FIELDS = new Set(["message", "alt_message"]);

/**
 * Builds one standard event: string fields default to `""`, `sub_type` is
 * checked against `allowed` plus `""` and extensions (EXT-11), a given field
 * of the wrong type throws, and the message (if any) becomes a list with its
 * `alt_message`.
 */
function build(
  type: "message" | "notice",
  detailType: string,
  init: StandardEventInit,
  fields: readonly string[],
  allowed: ReadonlySet<string>,
): Event {
  const what = `${type}.${detailType}`;
  const { self, id, time, sub_type: subType = "", ...rest } = init as
    & StandardEventInit
    & Record<string, unknown>;
  if (
    typeof subType !== "string" ||
    !(subType === "" || allowed.has(subType) || isExtensionName(subType))
  ) {
    const values = [...allowed, ""].map((value) => JSON.stringify(value)).join(", ");
    throw new TypeError(
      `Cannot create ${what} event: sub_type must be one of ${values} or <prefix>.<name>: current value is ${
        String(subType)
      }`,
    );
  }
  const own: Record<string, unknown> = {};
  for (const field of fields) {
    const value = rest[field] ?? "";
    if (typeof value !== "string") {
      throw new TypeError(
        `Cannot create ${what} event: ${field} must be a string: current type is ${typeof value}`,
      );
    }
    own[field] = value;
  }
  if (type === "message") {
    const message = toMessage((rest.message ?? []) as MessageInput);
    const bad = message.findIndex((segment) => !isSegment(segment));
    if (bad !== -1) {
      throw new TypeError(
        `Cannot create ${what} event: message.${bad} must be an object with a string type and an object data (MSG-03)`,
      );
    }
    const alt = rest.alt_message ?? altMessage(message);
    if (typeof alt !== "string") {
      throw new TypeError(`Cannot create ${what} event: alt_message must be a string`);
    }
    own.message = message;
    own.alt_message = alt;
  }
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (!Object.hasOwn(own, key) && !MESSAGE_FIELDS.has(key)) extensions[key] = value;
  }
  return createEvent({
    type,
    detail_type: detailType,
    sub_type: subType,
    ...(self === undefined ? {} : { self: self as BotSelf }),
    ...(id === undefined ? {} : { id: id as string }),
    ...(time === undefined ? {} : { time: time as number }),
    ...own,
    ...extensions,
  });
}

/**
 * Builds `message.private` (§5.1): `message` in any MSG-02 form becomes a
 * list, `alt_message` is derived from it unless given (MSG-04).
 *
 * @param init The bot, the message ID, the sender and the message.
 * @returns A complete event.
 * @throws {TypeError} When a field has the wrong type, a segment is
 * malformed (MSG-03), or `sub_type` is not `""` or an extension.
 *
 * @example
 * ```ts
 * import { image, privateMessageEvent, text } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = privateMessageEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   message_id: "m1",
 *   user_id: "2",
 *   message: [text("look "), image("f1")],
 * });
 * expect(event.alt_message).toBe("look [image]");
 * ```
 */
export function privateMessageEvent(init: MessageEventInit): PrivateMessageEvent {
  return build("message", "private", init, ["message_id", "user_id"], NONE) as PrivateMessageEvent;
}

/**
 * Builds `message.group` (§5.1).
 *
 * @param init The bot, the message ID, the sender, the group and the message.
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode privateMessageEvent} does.
 *
 * @example
 * ```ts
 * import { groupMessageEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = groupMessageEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   message_id: "m1",
 *   user_id: "2",
 *   group_id: "g1",
 *   message: "hi",
 * });
 * expect(event.message).toEqual([{ type: "text", data: { text: "hi" } }]);
 * ```
 */
export function groupMessageEvent(
  init: MessageEventInit & { group_id: string },
): GroupMessageEvent {
  return build(
    "message",
    "group",
    init,
    ["message_id", "group_id", "user_id"],
    NONE,
  ) as GroupMessageEvent;
}

/**
 * Builds `message.channel` (§5.1).
 *
 * @param init The bot, the message ID, the sender, the guild, the channel and
 * the message.
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode privateMessageEvent} does.
 *
 * @example
 * ```ts
 * import { channelMessageEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = channelMessageEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   message_id: "m1",
 *   user_id: "2",
 *   guild_id: "1",
 *   channel_id: "c1",
 *   message: "hi",
 * });
 * expect(event.alt_message).toBe("hi");
 * ```
 */
export function channelMessageEvent(
  init: MessageEventInit & { guild_id: string; channel_id: string },
): ChannelMessageEvent {
  return build(
    "message",
    "channel",
    init,
    ["message_id", "guild_id", "channel_id", "user_id"],
    NONE,
  ) as ChannelMessageEvent;
}

/**
 * Builds `notice.friend_increase` (§5.2).
 *
 * @param init The bot and the new friend.
 * @returns A complete event.
 * @throws {TypeError} When a field has the wrong type or `sub_type` is not
 * `""` or an extension.
 *
 * @example
 * ```ts
 * import { friendIncreaseEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = friendIncreaseEvent({ self: { platform: "qq", user_id: "1" }, user_id: "2" });
 * expect(event.sub_type).toBe("");
 * ```
 */
export function friendIncreaseEvent(
  init: StandardEventInit & { user_id: string; sub_type?: PlainSubType },
): FriendIncreaseEvent {
  return build("notice", "friend_increase", init, ["user_id"], NONE) as FriendIncreaseEvent;
}

/**
 * Builds `notice.friend_decrease` (§5.2).
 *
 * @param init The bot and the former friend.
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode friendIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { friendDecreaseEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = friendDecreaseEvent({ self: { platform: "qq", user_id: "1" }, user_id: "2" });
 * expect(event.user_id).toBe("2");
 * ```
 */
export function friendDecreaseEvent(
  init: StandardEventInit & { user_id: string; sub_type?: PlainSubType },
): FriendDecreaseEvent {
  return build("notice", "friend_decrease", init, ["user_id"], NONE) as FriendDecreaseEvent;
}

/**
 * Builds `notice.private_message_delete` (§5.2).
 *
 * @param init The bot, the deleted message and its sender.
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode friendIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { privateMessageDeleteEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = privateMessageDeleteEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   message_id: "m1",
 *   user_id: "2",
 * });
 * expect(event.detail_type).toBe("private_message_delete");
 * ```
 */
export function privateMessageDeleteEvent(
  init: StandardEventInit & { message_id: string; user_id: string; sub_type?: PlainSubType },
): PrivateMessageDeleteEvent {
  return build(
    "notice",
    "private_message_delete",
    init,
    ["message_id", "user_id"],
    NONE,
  ) as PrivateMessageDeleteEvent;
}

/**
 * Builds `notice.group_member_increase` (§5.2); `operator_id` is `""` when
 * not given.
 *
 * @param init The bot, the group, the member, and optionally the operator and
 * `sub_type` (`join`, `invite`, `""` or an extension).
 * @returns A complete event.
 * @throws {TypeError} When a field has the wrong type or `sub_type` is not
 * allowed (§9.3 item 36).
 *
 * @example
 * ```ts
 * import { groupMemberIncreaseEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = groupMemberIncreaseEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   group_id: "g1",
 *   user_id: "2",
 *   sub_type: "join",
 * });
 * expect(event.operator_id).toBe("");
 * ```
 */
export function groupMemberIncreaseEvent(
  init: StandardEventInit & {
    group_id: string;
    user_id: string;
    operator_id?: string;
    sub_type?: MemberIncreaseSubType;
  },
): GroupMemberIncreaseEvent {
  return build(
    "notice",
    "group_member_increase",
    init,
    ["group_id", "user_id", "operator_id"],
    INCREASE,
  ) as GroupMemberIncreaseEvent;
}

/**
 * Builds `notice.group_member_decrease` (§5.2); `operator_id` is `""` when
 * not given.
 *
 * @param init The bot, the group, the member, and optionally the operator and
 * `sub_type` (`leave`, `kick`, `""` or an extension).
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode groupMemberIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { groupMemberDecreaseEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = groupMemberDecreaseEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   group_id: "g1",
 *   user_id: "2",
 *   operator_id: "3",
 *   sub_type: "kick",
 * });
 * expect(event.sub_type).toBe("kick");
 * ```
 */
export function groupMemberDecreaseEvent(
  init: StandardEventInit & {
    group_id: string;
    user_id: string;
    operator_id?: string;
    sub_type?: MemberDecreaseSubType;
  },
): GroupMemberDecreaseEvent {
  return build(
    "notice",
    "group_member_decrease",
    init,
    ["group_id", "user_id", "operator_id"],
    DECREASE,
  ) as GroupMemberDecreaseEvent;
}

/**
 * Builds `notice.group_message_delete` (§5.2); `operator_id` is `""` when
 * not given.
 *
 * @param init The bot, the group, the message, its sender, and optionally
 * the operator and `sub_type` (`recall`, `delete`, `""` or an extension).
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode groupMemberIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { groupMessageDeleteEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = groupMessageDeleteEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   group_id: "g1",
 *   message_id: "m1",
 *   user_id: "2",
 *   sub_type: "recall",
 * });
 * expect(event.operator_id).toBe("");
 * ```
 */
export function groupMessageDeleteEvent(
  init: StandardEventInit & {
    group_id: string;
    message_id: string;
    user_id: string;
    operator_id?: string;
    sub_type?: MessageDeleteSubType;
  },
): GroupMessageDeleteEvent {
  return build(
    "notice",
    "group_message_delete",
    init,
    ["group_id", "message_id", "user_id", "operator_id"],
    DELETE,
  ) as GroupMessageDeleteEvent;
}

/**
 * Builds `notice.guild_member_increase` (§5.2); `operator_id` is `""` when
 * not given.
 *
 * @param init The bot, the guild, the member, and optionally the operator and
 * `sub_type` (`join`, `invite`, `""` or an extension).
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode groupMemberIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { guildMemberIncreaseEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = guildMemberIncreaseEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   guild_id: "1",
 *   user_id: "2",
 * });
 * expect(event.sub_type).toBe("");
 * ```
 */
export function guildMemberIncreaseEvent(
  init: StandardEventInit & {
    guild_id: string;
    user_id: string;
    operator_id?: string;
    sub_type?: MemberIncreaseSubType;
  },
): GuildMemberIncreaseEvent {
  return build(
    "notice",
    "guild_member_increase",
    init,
    ["guild_id", "user_id", "operator_id"],
    INCREASE,
  ) as GuildMemberIncreaseEvent;
}

/**
 * Builds `notice.guild_member_decrease` (§5.2); `operator_id` is `""` when
 * not given.
 *
 * @param init The bot, the guild, the member, and optionally the operator and
 * `sub_type` (`leave`, `kick`, `""` or an extension).
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode groupMemberIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { guildMemberDecreaseEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = guildMemberDecreaseEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   guild_id: "1",
 *   user_id: "2",
 *   sub_type: "leave",
 * });
 * expect(event.operator_id).toBe("");
 * ```
 */
export function guildMemberDecreaseEvent(
  init: StandardEventInit & {
    guild_id: string;
    user_id: string;
    operator_id?: string;
    sub_type?: MemberDecreaseSubType;
  },
): GuildMemberDecreaseEvent {
  return build(
    "notice",
    "guild_member_decrease",
    init,
    ["guild_id", "user_id", "operator_id"],
    DECREASE,
  ) as GuildMemberDecreaseEvent;
}

/**
 * Builds `notice.channel_member_increase` (§5.2); `operator_id` is `""` when
 * not given.
 *
 * @param init The bot, the guild, the channel, the member, and optionally the
 * operator and `sub_type` (`join`, `invite`, `""` or an extension).
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode groupMemberIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { channelMemberIncreaseEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = channelMemberIncreaseEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   guild_id: "1",
 *   channel_id: "c1",
 *   user_id: "2",
 *   sub_type: "invite",
 * });
 * expect(event.channel_id).toBe("c1");
 * ```
 */
export function channelMemberIncreaseEvent(
  init: StandardEventInit & {
    guild_id: string;
    channel_id: string;
    user_id: string;
    operator_id?: string;
    sub_type?: MemberIncreaseSubType;
  },
): ChannelMemberIncreaseEvent {
  return build(
    "notice",
    "channel_member_increase",
    init,
    ["guild_id", "channel_id", "user_id", "operator_id"],
    INCREASE,
  ) as ChannelMemberIncreaseEvent;
}

/**
 * Builds `notice.channel_member_decrease` (§5.2); `operator_id` is `""` when
 * not given.
 *
 * @param init The bot, the guild, the channel, the member, and optionally the
 * operator and `sub_type` (`leave`, `kick`, `""` or an extension).
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode groupMemberIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { channelMemberDecreaseEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = channelMemberDecreaseEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   guild_id: "1",
 *   channel_id: "c1",
 *   user_id: "2",
 * });
 * expect(event.operator_id).toBe("");
 * ```
 */
export function channelMemberDecreaseEvent(
  init: StandardEventInit & {
    guild_id: string;
    channel_id: string;
    user_id: string;
    operator_id?: string;
    sub_type?: MemberDecreaseSubType;
  },
): ChannelMemberDecreaseEvent {
  return build(
    "notice",
    "channel_member_decrease",
    init,
    ["guild_id", "channel_id", "user_id", "operator_id"],
    DECREASE,
  ) as ChannelMemberDecreaseEvent;
}

/**
 * Builds `notice.channel_message_delete` (§5.2); `operator_id` is `""` when
 * not given.
 *
 * @param init The bot, the guild, the channel, the message, its sender, and
 * optionally the operator and `sub_type` (`recall`, `delete`, `""` or an
 * extension).
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode groupMemberIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { channelMessageDeleteEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = channelMessageDeleteEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   guild_id: "1",
 *   channel_id: "c1",
 *   message_id: "m1",
 *   user_id: "2",
 *   operator_id: "3",
 *   sub_type: "delete",
 * });
 * expect(event.operator_id).toBe("3");
 * ```
 */
export function channelMessageDeleteEvent(
  init: StandardEventInit & {
    guild_id: string;
    channel_id: string;
    message_id: string;
    user_id: string;
    operator_id?: string;
    sub_type?: MessageDeleteSubType;
  },
): ChannelMessageDeleteEvent {
  return build(
    "notice",
    "channel_message_delete",
    init,
    ["guild_id", "channel_id", "message_id", "user_id", "operator_id"],
    DELETE,
  ) as ChannelMessageDeleteEvent;
}

/**
 * Builds `notice.channel_create` (§5.2); `operator_id` is `""` when not given.
 *
 * @param init The bot, the guild, the new channel and optionally the operator.
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode friendIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { channelCreateEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = channelCreateEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   guild_id: "1",
 *   channel_id: "c2",
 * });
 * expect(event.operator_id).toBe("");
 * ```
 */
export function channelCreateEvent(
  init: StandardEventInit & {
    guild_id: string;
    channel_id: string;
    operator_id?: string;
    sub_type?: PlainSubType;
  },
): ChannelCreateEvent {
  return build(
    "notice",
    "channel_create",
    init,
    ["guild_id", "channel_id", "operator_id"],
    NONE,
  ) as ChannelCreateEvent;
}

/**
 * Builds `notice.channel_delete` (§5.2); `operator_id` is `""` when not given.
 *
 * @param init The bot, the guild, the deleted channel and optionally the
 * operator.
 * @returns A complete event.
 * @throws {TypeError} As {@linkcode friendIncreaseEvent} does.
 *
 * @example
 * ```ts
 * import { channelDeleteEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = channelDeleteEvent({
 *   self: { platform: "qq", user_id: "1" },
 *   guild_id: "1",
 *   channel_id: "c2",
 *   operator_id: "3",
 * });
 * expect(event.detail_type).toBe("channel_delete");
 * ```
 */
export function channelDeleteEvent(
  init: StandardEventInit & {
    guild_id: string;
    channel_id: string;
    operator_id?: string;
    sub_type?: PlainSubType;
  },
): ChannelDeleteEvent {
  return build(
    "notice",
    "channel_delete",
    init,
    ["guild_id", "channel_id", "operator_id"],
    NONE,
  ) as ChannelDeleteEvent;
}
