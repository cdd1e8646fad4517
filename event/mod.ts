/**
 * The event layer: event and identity types, event creation, meta events,
 * messages and segments, and the unread-event buffer.
 *
 * @module
 */

export { createEventBuffer, type EventBuffer, type EventBufferOptions } from "./buffer.ts";
export { type Bot, type BotEventInit, type BotEvents } from "./bot.ts";
export { createEvent, type EventCheckOptions, type EventInit, eventProblem } from "./create.ts";
export { type EventPipe } from "./pipe.ts";
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
