/**
 * A bot-bound emitter (`OneBot.bot(self)`): the standard event builders with
 * `self` filled in, each emitting what it builds, so a bridge never writes
 * `self`, `id` or `time` by hand and never emits an unchecked event.
 *
 * @module
 */

import { createEvent } from "./create.ts";
import { NAME_REGEXP } from "./extension.ts";
import {
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
  type PrivateMessageDeleteEvent,
  privateMessageDeleteEvent,
  type PrivateMessageEvent,
  privateMessageEvent,
  type StandardEventInit,
} from "./standard.ts";
import type { BotSelf, BotStatus, Event } from "./types.ts";

/**
 * What {@linkcode BotEvents.event} takes: any non-meta event, standard or
 * extended (`detail_type` like `qq.poke`, EXT-13), without `self`.
 *
 * @example
 * ```ts
 * import type { BotEventInit } from "@libob/libob";
 *
 * const init: BotEventInit = { type: "notice", detail_type: "fakechat.typing", user_id: "2" };
 * ```
 */
export interface BotEventInit {
  /** The event type; meta events are the OneBot's own. */
  type: "message" | "notice" | "request";
  /** The detail type; an extended one needs a prefix (EXT-13). */
  detail_type: string;
  /** `""` when omitted. */
  sub_type?: string;
  /** A fresh UUID when omitted. */
  id?: string;
  /** Unix seconds; now when omitted. */
  time?: number;
  /** The detail type's fields and extension fields. */
  [field: string]: unknown;
}

/**
 * The builders of a {@linkcode Bot}: each takes what the standard builder of
 * the same name takes (e.g. `privateMessageEvent`) without `self`, builds the
 * event, emits it through the OneBot (which checks it), and returns it.
 * Each throws the `TypeError` of the builder or of `OneBot.emit`.
 *
 * @example
 * ```ts
 * import type { BotEvents } from "@libob/libob";
 *
 * function greet(emit: BotEvents, user_id: string): void {
 *   emit.friendIncrease({ user_id });
 * }
 * ```
 */
export interface BotEvents {
  /** `message.private` (§5.1). */
  privateMessage(
    init: Omit<Parameters<typeof privateMessageEvent>[0], "self">,
  ): PrivateMessageEvent;
  /** `message.group` (§5.1). */
  groupMessage(init: Omit<Parameters<typeof groupMessageEvent>[0], "self">): GroupMessageEvent;
  /** `message.channel` (§5.1). */
  channelMessage(
    init: Omit<Parameters<typeof channelMessageEvent>[0], "self">,
  ): ChannelMessageEvent;
  /** `notice.friend_increase` (§5.2). */
  friendIncrease(
    init: Omit<Parameters<typeof friendIncreaseEvent>[0], "self">,
  ): FriendIncreaseEvent;
  /** `notice.friend_decrease` (§5.2). */
  friendDecrease(
    init: Omit<Parameters<typeof friendDecreaseEvent>[0], "self">,
  ): FriendDecreaseEvent;
  /** `notice.private_message_delete` (§5.2). */
  privateMessageDelete(
    init: Omit<Parameters<typeof privateMessageDeleteEvent>[0], "self">,
  ): PrivateMessageDeleteEvent;
  /** `notice.group_member_increase` (§5.2). */
  groupMemberIncrease(
    init: Omit<Parameters<typeof groupMemberIncreaseEvent>[0], "self">,
  ): GroupMemberIncreaseEvent;
  /** `notice.group_member_decrease` (§5.2). */
  groupMemberDecrease(
    init: Omit<Parameters<typeof groupMemberDecreaseEvent>[0], "self">,
  ): GroupMemberDecreaseEvent;
  /** `notice.group_message_delete` (§5.2). */
  groupMessageDelete(
    init: Omit<Parameters<typeof groupMessageDeleteEvent>[0], "self">,
  ): GroupMessageDeleteEvent;
  /** `notice.guild_member_increase` (§5.2). */
  guildMemberIncrease(
    init: Omit<Parameters<typeof guildMemberIncreaseEvent>[0], "self">,
  ): GuildMemberIncreaseEvent;
  /** `notice.guild_member_decrease` (§5.2). */
  guildMemberDecrease(
    init: Omit<Parameters<typeof guildMemberDecreaseEvent>[0], "self">,
  ): GuildMemberDecreaseEvent;
  /** `notice.channel_member_increase` (§5.2). */
  channelMemberIncrease(
    init: Omit<Parameters<typeof channelMemberIncreaseEvent>[0], "self">,
  ): ChannelMemberIncreaseEvent;
  /** `notice.channel_member_decrease` (§5.2). */
  channelMemberDecrease(
    init: Omit<Parameters<typeof channelMemberDecreaseEvent>[0], "self">,
  ): ChannelMemberDecreaseEvent;
  /** `notice.channel_message_delete` (§5.2). */
  channelMessageDelete(
    init: Omit<Parameters<typeof channelMessageDeleteEvent>[0], "self">,
  ): ChannelMessageDeleteEvent;
  /** `notice.channel_create` (§5.2). */
  channelCreate(
    init: Omit<Parameters<typeof channelCreateEvent>[0], "self">,
  ): ChannelCreateEvent;
  /** `notice.channel_delete` (§5.2). */
  channelDelete(
    init: Omit<Parameters<typeof channelDeleteEvent>[0], "self">,
  ): ChannelDeleteEvent;
  /** Any other event, e.g. an extended one (`qq.poke`), built with `createEvent`. */
  event(init: BotEventInit): Event;
}

/**
 * One bot of a OneBot, from `OneBot.bot(self)`.
 *
 * @example
 * ```ts
 * import { createOneBot, type Bot } from "@libob/libob";
 *
 * await using onebot = createOneBot({ impl: "my-impl", version: "1.0.0", handlers: {} });
 * const bot: Bot = onebot.bot({ platform: "fakechat", user_id: "bot" });
 * bot.setOnline(true);
 * bot.emit.privateMessage({ message_id: "m1", user_id: "alice", message: "hi" });
 * ```
 */
export interface Bot {
  /** Which bot (a copy; every event gets its own). */
  readonly self: BotSelf;
  /** The event builders with `self` filled in; each emits what it builds. */
  readonly emit: BotEvents;
  /** Adds the bot (or changes it) with this `online`; a change sends `meta.status_update`. */
  setOnline(online: boolean): void;
}

/** What a {@linkcode Bot} needs from its OneBot. */
export interface BotTarget {
  emit(event: Event): void;
  updateBot(bot: BotStatus): void;
}

/**
 * Binds a bot to a OneBot (behind `OneBot.bot`).
 *
 * @param self The bot; checked like `bots` entries.
 * @param target The OneBot.
 * @returns The bot.
 * @throws {TypeError} When `self.platform` is not in the name format or
 * `self.user_id` is not a non-empty string.
 */
export function bindBot(self: BotSelf, target: BotTarget): Bot {
  const platform = self?.platform;
  const userId = self?.user_id;
  if (typeof platform !== "string" || !NAME_REGEXP.test(platform)) {
    throw new TypeError(
      `Cannot bind bot: self.platform must match ${NAME_REGEXP}: current value is ${platform}`,
    );
  }
  if (typeof userId !== "string" || userId === "") {
    throw new TypeError(
      `Cannot bind bot: self.user_id must be a non-empty string: current value is ${userId}`,
    );
  }
  const copy = (): BotSelf => ({ platform, user_id: userId });
  function bound<I extends StandardEventInit, E extends Event>(
    build: (init: I) => E,
  ): (init: Omit<I, "self">) => E {
    return (init) => {
      const event = build({ ...init, self: copy() } as I);
      target.emit(event);
      return event;
    };
  }
  const emit: BotEvents = {
    privateMessage: bound(privateMessageEvent),
    groupMessage: bound(groupMessageEvent),
    channelMessage: bound(channelMessageEvent),
    friendIncrease: bound(friendIncreaseEvent),
    friendDecrease: bound(friendDecreaseEvent),
    privateMessageDelete: bound(privateMessageDeleteEvent),
    groupMemberIncrease: bound(groupMemberIncreaseEvent),
    groupMemberDecrease: bound(groupMemberDecreaseEvent),
    groupMessageDelete: bound(groupMessageDeleteEvent),
    guildMemberIncrease: bound(guildMemberIncreaseEvent),
    guildMemberDecrease: bound(guildMemberDecreaseEvent),
    channelMemberIncrease: bound(channelMemberIncreaseEvent),
    channelMemberDecrease: bound(channelMemberDecreaseEvent),
    channelMessageDelete: bound(channelMessageDeleteEvent),
    channelCreate: bound(channelCreateEvent),
    channelDelete: bound(channelDeleteEvent),
    event(init) {
      const event = createEvent({ ...init, self: copy() });
      target.emit(event);
      return event;
    },
  };
  return {
    self: copy(),
    emit,
    setOnline: (online) => target.updateBot({ self: copy(), online }),
  };
}
