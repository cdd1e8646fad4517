/**
 * The event layer: the standard event builders, event and identity types,
 * messages and segments, meta events and the unread-event buffer. Builders
 * fill `id` and `time` and check what the standard requires.
 *
 * ```ts
 * import { mention, messageText, privateMessageEvent, text } from "@libob/libob/event";
 * import { expect } from "expect";
 *
 * const event = privateMessageEvent({
 *   self: { platform: "demo", user_id: "bot" },
 *   message_id: "1",
 *   user_id: "42",
 *   message: [mention("bot"), text(" hello")],
 * });
 * expect(event).toMatchObject({ type: "message", detail_type: "private", user_id: "42" });
 * expect(messageText(event.message)).toBe("@bot hello");
 * ```
 *
 * Rule IDs in this documentation (HTTP-14, META-C2…) name the rules of the
 * OneBot 12 standard; `docs/rules.md` in this package lists each with its
 * words and a link to its page at https://12.onebot.dev/.
 *
 * @module
 */

export { createEventBuffer, type EventBuffer, type EventBufferOptions } from "./buffer.ts";
export { type Bot, type BotEventInit, type BotEvents } from "./bot.ts";
export { createEvent, type EventCheckOptions, type EventInit, eventProblem } from "./create.ts";
export { type EventPipe, type PipeSource } from "./pipe.ts";
export { connectEvent, heartbeatEvent, statusUpdateEvent } from "./meta.ts";
export {
  altMessage,
  type AnySegment,
  type Message,
  type MessageInput,
  messageText,
  type MessageTextOptions,
  type Segment,
  type SegmentType,
  type StandardSegmentData,
  toMessage,
} from "./segment.ts";
export type { BotSelf, BotStatus, Event, EventType, StatusData, VersionData } from "./types.ts";
export { extensionKey, type ExtensionName, isExtensionName, PREFIX_REGEXP } from "./extension.ts";
export {
  audio,
  extensionSegment,
  file,
  image,
  location,
  type LocationInit,
  mention,
  mentionAll,
  reply,
  text,
  video,
  voice,
} from "./segment.ts";
export { isSegment, STANDARD_SEGMENT_TYPES } from "./segment.ts";
export {
  type ChannelCreateEvent,
  channelCreateEvent,
  type ChannelDeleteEvent,
  channelDeleteEvent,
  type ChannelMemberDecreaseEvent,
  channelMemberDecreaseEvent,
  type ChannelMemberIncreaseEvent,
  channelMemberIncreaseEvent,
  type ChannelMessageDeleteEvent,
  channelMessageDeleteEvent,
  type ChannelMessageEvent,
  channelMessageEvent,
  type FriendDecreaseEvent,
  friendDecreaseEvent,
  type FriendIncreaseEvent,
  friendIncreaseEvent,
  type GroupMemberDecreaseEvent,
  groupMemberDecreaseEvent,
  type GroupMemberIncreaseEvent,
  groupMemberIncreaseEvent,
  type GroupMessageDeleteEvent,
  groupMessageDeleteEvent,
  type GroupMessageEvent,
  groupMessageEvent,
  type GuildMemberDecreaseEvent,
  guildMemberDecreaseEvent,
  type GuildMemberIncreaseEvent,
  guildMemberIncreaseEvent,
  type MemberDecreaseSubType,
  type MemberIncreaseSubType,
  type MessageDeleteSubType,
  type MessageEventInit,
  type PlainSubType,
  type PrivateMessageDeleteEvent,
  privateMessageDeleteEvent,
  type PrivateMessageEvent,
  privateMessageEvent,
  type StandardEvent,
  type StandardEventBase,
  type StandardEventInit,
} from "./standard.ts";

// Types that this entry point's signatures use, re-exported so that its
// documentation stands alone (`deno doc --lint`).
export type { Failure } from "../action/mod.ts";
