/**
 * The demo's action handlers: the message, user, group, guild and channel
 * actions of checklist §4.1–4.4 over the in-memory platform, plus the
 * extended action `demo.simulate_message`, which makes a user "send" a
 * message so that the matching `message` event is emitted, and
 * `demo.get_messages`, which lists the messages of one chat (what a test
 * reads to see an application's replies).
 *
 * @module
 */

import { clip, describe } from "../_text.ts";
import {
  type ActionHandlers,
  type BotSelf,
  channelMemberDecreaseEvent,
  channelMessageDeleteEvent,
  channelMessageEvent,
  createMessageValidator,
  defineActions,
  type Event,
  failed,
  type Failure,
  groupMemberDecreaseEvent,
  groupMemberIncreaseEvent,
  groupMessageDeleteEvent,
  groupMessageEvent,
  guildMemberDecreaseEvent,
  isFailure,
  type MemberInfo,
  type Message,
  type MessageInput,
  type Ok,
  ok,
  type ParamsValidator,
  privateMessageDeleteEvent,
  privateMessageEvent,
  RETCODE,
  schemaValidator,
  type StandardActions,
  toMessage,
  type UserInfo,
} from "../mod.ts";
import type {
  DemoChannel,
  DemoChat,
  DemoGroup,
  DemoGuild,
  DemoMessage,
  DemoPlatform,
  DemoUser,
} from "./platform.ts";
import * as v from "valibot";

/**
 * The demo's logic errors (35xxx, §2.4): the target of an action does not
 * exist or the bot (or the user) is not where the action needs it to be.
 * Messages name the param: `"group_id: unknown group 999"`.
 *
 * @example
 * ```ts
 * import { DEMO_RETCODE } from "./handlers.ts";
 * import { expect } from "expect";
 *
 * expect(DEMO_RETCODE.UNKNOWN_USER).toBe(35001);
 * ```
 */
export const DEMO_RETCODE = {
  /** No user has this ID. */
  UNKNOWN_USER: 35001,
  /** No group has this ID, or the bot is not a member of it. */
  UNKNOWN_GROUP: 35002,
  /** No guild has this ID, or the bot is not a member of it. */
  UNKNOWN_GUILD: 35003,
  /** The guild has no channel with this ID. */
  UNKNOWN_CHANNEL: 35004,
  /** No message has this ID (never sent, or already deleted). */
  UNKNOWN_MESSAGE: 35005,
  /** The user (or the bot) is not a member of the group, guild or channel. */
  NOT_A_MEMBER: 35006,
  /** The bot's own messages are sent with `send_message`, not simulated. */
  SENDER_IS_BOT: 35007,
  /** A user may only delete (recall) a message they sent. */
  NOT_THE_SENDER: 35008,
  /** The user is already a member of the group. */
  ALREADY_A_MEMBER: 35009,
} as const;

/**
 * Params of `demo.simulate_message`, after validation: `message` is a list.
 *
 * @example
 * ```ts
 * import type { SimulateMessageParams } from "./handlers.ts";
 *
 * const params: SimulateMessageParams = {
 *   detail_type: "group",
 *   user_id: "10001",
 *   group_id: "20001",
 *   message: [{ type: "text", data: { text: "hi" } }],
 * };
 * ```
 */
export interface SimulateMessageParams {
  /** Which kind of chat the user writes in. */
  detail_type: "private" | "group" | "channel";
  /** The sender. */
  user_id: string;
  /** Required when `detail_type` is `group`. */
  group_id?: string;
  /** Required with `channel_id` when `detail_type` is `channel`. */
  guild_id?: string;
  /** Required with `guild_id` when `detail_type` is `channel`. */
  channel_id?: string;
  /** The message, in any MSG-02 form before validation; a list after. */
  message: Message;
}

/**
 * Params of `demo.get_messages`: a chat, named as `send_message` names it.
 *
 * @example
 * ```ts
 * import type { GetMessagesParams } from "./handlers.ts";
 *
 * const params: GetMessagesParams = { detail_type: "private", user_id: "10001" };
 * ```
 */
export interface GetMessagesParams {
  /** Which kind of chat. */
  detail_type: "private" | "group" | "channel";
  /** The other user of a private chat. */
  user_id?: string;
  /** Required when `detail_type` is `group`. */
  group_id?: string;
  /** Required with `channel_id` when `detail_type` is `channel`. */
  guild_id?: string;
  /** Required with `guild_id` when `detail_type` is `channel`. */
  channel_id?: string;
}

/**
 * One stored message as `demo.get_messages` lists it.
 *
 * @example
 * ```ts
 * import type { DemoMessageInfo } from "./handlers.ts";
 *
 * const info: DemoMessageInfo = {
 *   message_id: "2",
 *   time: 1700000000.5,
 *   user_id: "10000",
 *   message: [{ type: "text", data: { text: "pong" } }],
 *   alt_message: "pong",
 * };
 * ```
 */
export interface DemoMessageInfo {
  /** The message ID. */
  message_id: string;
  /** Unix time in float seconds. */
  time: number;
  /** The sender: the bot (`10000`) or a user. */
  user_id: string;
  /** The content. */
  message: Message;
  /** Its text form. */
  alt_message: string;
}

/**
 * The demo's extended actions, to intersect with {@linkcode StandardActions}.
 *
 * @example
 * ```ts
 * import type { DemoActions } from "./handlers.ts";
 *
 * type Data = DemoActions["demo.simulate_message"]["data"]; // { message_id: string }
 * ```
 */
export type DemoActions = {
  /** Delivers a message as if `user_id` had sent it; emits the `message` event. */
  "demo.simulate_message": { params: SimulateMessageParams; data: { message_id: string } };
  /**
   * The stored messages of one chat, oldest first: deleted ones are gone, and
   * only the newest `maxMessagesPerChat` (1000) are kept.
   */
  "demo.get_messages": { params: GetMessagesParams; data: DemoMessageInfo[] };
  /** `user_id` deletes (recalls) a message they sent; emits the `*_message_delete` notice. */
  "demo.simulate_delete": { params: SimulateDeleteParams; data: null };
  /** `user_id` joins a group; emits `group_member_increase` (`join`). */
  "demo.simulate_join": { params: SimulateMembershipParams; data: null };
  /** `user_id` leaves a group; emits `group_member_decrease` (`leave`). */
  "demo.simulate_leave": { params: SimulateMembershipParams; data: null };
};

/**
 * Params of `demo.simulate_delete`.
 *
 * @example
 * ```ts
 * import type { SimulateDeleteParams } from "./handlers.ts";
 *
 * const params: SimulateDeleteParams = { user_id: "10001", message_id: "3" };
 * ```
 */
export interface SimulateDeleteParams {
  /** The user who deletes, who must have sent the message. */
  user_id: string;
  /** The message. */
  message_id: string;
}

/**
 * Params of `demo.simulate_join` and `demo.simulate_leave`.
 *
 * @example
 * ```ts
 * import type { SimulateMembershipParams } from "./handlers.ts";
 *
 * const params: SimulateMembershipParams = { user_id: "10003", group_id: "20001" };
 * ```
 */
export interface SimulateMembershipParams {
  /** The user who joins or leaves. */
  user_id: string;
  /** The group. */
  group_id: string;
}

/**
 * Options of {@linkcode createDemoHandlers}.
 *
 * @example
 * ```ts
 * import { createDemoPlatform } from "./platform.ts";
 * import type { DemoHandlersOptions } from "./handlers.ts";
 *
 * const options: DemoHandlersOptions = { platform: createDemoPlatform(), emit: () => {} };
 * ```
 */
export interface DemoHandlersOptions {
  /** The platform the actions read and change. */
  platform: DemoPlatform;
  /** Sends an event to every connection (`OneBot.emit`). */
  emit: (event: Event) => void;
  /** The bot's `self`; `{ platform: "demo", user_id: <the platform's bot> }` by default. */
  self?: BotSelf;
}

const SIMULATE_DETAIL_TYPES: ReadonlySet<unknown> = new Set(["private", "group", "channel"]);
const validateMessage = createMessageValidator();

/**
 * Checks and normalises the params of `demo.simulate_message`: 10003 naming
 * the field for a missing or mistyped `user_id`, an unknown `detail_type` or
 * a missing `group_id` / `guild_id` / `channel_id`; the message checks of
 * `send_message` (10003/10005/10006, MSG-02) for `message`, which becomes a
 * list. Unknown targets are the handler's business (35xxx).
 *
 * @param params The raw params.
 * @returns The params for the handler, or the failure to answer with.
 *
 * @example
 * ```ts
 * import { validateSimulateMessage } from "./handlers.ts";
 * import { expect } from "expect";
 *
 * expect(validateSimulateMessage({ detail_type: "private", message: "hi" }))
 *   .toMatchObject({ retcode: 10003, message: "user_id: is required" });
 * expect(validateSimulateMessage({ detail_type: "private", user_id: "10001", message: "hi" }))
 *   .toEqual({
 *     detail_type: "private",
 *     user_id: "10001",
 *     message: [{ type: "text", data: { text: "hi" } }],
 *   });
 * ```
 */
export function validateSimulateMessage(
  params: Record<string, unknown>,
): SimulateMessageParams | Failure {
  const { detail_type: detailType } = params;
  if (!SIMULATE_DETAIL_TYPES.has(detailType)) {
    return failed(
      RETCODE.BAD_PARAM,
      detailType === undefined
        ? "detail_type: is required"
        : `detail_type: expected private, group or channel, received ${describe(detailType)}`,
    );
  }
  const needed = detailType === "group"
    ? ["user_id", "group_id"]
    : detailType === "channel"
    ? ["user_id", "guild_id", "channel_id"]
    : ["user_id"];
  for (const field of ["user_id", "group_id", "guild_id", "channel_id"]) {
    const value = params[field];
    if (typeof value === "string" || (value === undefined && !needed.includes(field))) continue;
    const problem = value !== undefined
      ? `expected string, received ${describe(value)}`
      : field === "user_id"
      ? "is required"
      : `is required when detail_type is ${detailType}`;
    return failed(RETCODE.BAD_PARAM, `${field}: ${problem}`);
  }
  const message = validateMessage(params.message);
  if (isFailure(message)) return message;
  return { ...params, message } as unknown as SimulateMessageParams;
}

/**
 * Checks the params of `demo.get_messages`: 10003 naming the field for an
 * unknown `detail_type`, a missing id of that chat (`user_id`, `group_id`,
 * `guild_id` and `channel_id`, as `send_message` needs them) or an id that is
 * not a string. Unknown chats are the handler's business (35xxx).
 *
 * @param params The raw params.
 * @returns The params for the handler, or the failure to answer with.
 *
 * @example
 * ```ts
 * import { validateGetMessages } from "./handlers.ts";
 * import { expect } from "expect";
 *
 * expect(validateGetMessages({ detail_type: "group" }))
 *   .toMatchObject({ retcode: 10003, message: "group_id: is required when detail_type is group" });
 * expect(validateGetMessages({ detail_type: "private", user_id: "10001" }))
 *   .toEqual({ detail_type: "private", user_id: "10001" });
 * ```
 */
export function validateGetMessages(params: Record<string, unknown>): GetMessagesParams | Failure {
  const { detail_type: detailType } = params;
  if (!SIMULATE_DETAIL_TYPES.has(detailType)) {
    return failed(
      RETCODE.BAD_PARAM,
      detailType === undefined
        ? "detail_type: is required"
        : `detail_type: expected private, group or channel, received ${describe(detailType)}`,
    );
  }
  const needed = detailType === "group"
    ? ["group_id"]
    : detailType === "channel"
    ? ["guild_id", "channel_id"]
    : ["user_id"];
  for (const field of ["user_id", "group_id", "guild_id", "channel_id"]) {
    const value = params[field];
    if (typeof value === "string" || (value === undefined && !needed.includes(field))) continue;
    const problem = value !== undefined
      ? `expected string, received ${describe(value)}`
      : `is required when detail_type is ${detailType}`;
    return failed(RETCODE.BAD_PARAM, `${field}: ${problem}`);
  }
  return params as unknown as GetMessagesParams;
}

/**
 * Param validators of the demo's extended actions, for the `validators`
 * option of `createOneBot`.
 *
 * @example
 * ```ts
 * import { DEMO_VALIDATORS } from "./handlers.ts";
 * import { expect } from "expect";
 *
 * expect(Object.keys(DEMO_VALIDATORS)).toContain("demo.simulate_message");
 * ```
 */
export const DEMO_VALIDATORS: { readonly [A in keyof DemoActions]: ParamsValidator } = {
  "demo.simulate_message": validateSimulateMessage,
  "demo.get_messages": validateGetMessages,
  "demo.simulate_delete": schemaValidator(
    v.object({ user_id: v.string(), message_id: v.string() }),
  ),
  "demo.simulate_join": schemaValidator(v.object({ user_id: v.string(), group_id: v.string() })),
  "demo.simulate_leave": schemaValidator(v.object({ user_id: v.string(), group_id: v.string() })),
};

/**
 * Builds the demo's handlers over a platform. Actions that change the
 * platform emit the standard notices: `delete_message` the
 * `*_message_delete` of its chat (`recall` when the bot deletes its own
 * message, `delete` with the bot as operator when it deletes a user's;
 * private deletes have no sub type), `leave_group` / `leave_guild` /
 * `leave_channel` the `*_member_decrease` with `sub_type` `leave` and the bot
 * as user and operator. Renames emit nothing (the standard has no notice for
 * them). The targets are checked: an unknown one, or one the bot has left,
 * answers a {@linkcode DEMO_RETCODE} logic error naming the param. A `reply`
 * segment in `demo.simulate_message` must quote a message of the same chat
 * (else `UNKNOWN_MESSAGE`) and gets that message's sender as `user_id`.
 *
 * @param options The platform, the emit function and the bot's `self`.
 * @returns The handler record, typed by `StandardActions & DemoActions`.
 *
 * @example Simulating a message from alice
 * ```ts
 * import type { Event } from "../mod.ts";
 * import { createDemoHandlers } from "./handlers.ts";
 * import { createDemoPlatform } from "./platform.ts";
 * import { expect } from "expect";
 *
 * const events: Event[] = [];
 * const handlers = createDemoHandlers({
 *   platform: createDemoPlatform(),
 *   emit: (event) => events.push(event),
 * });
 * const result = await handlers["demo.simulate_message"]!({
 *   detail_type: "private",
 *   user_id: "10001",
 *   message: [{ type: "text", data: { text: "hi" } }],
 * }, { connection: "local", self: undefined });
 * expect(result).toMatchObject({ status: "ok", data: { message_id: "1" } });
 * expect(events[0]).toMatchObject({ type: "message", detail_type: "private", alt_message: "hi" });
 * ```
 */
export function createDemoHandlers(
  options: DemoHandlersOptions,
): ActionHandlers<StandardActions & DemoActions> {
  const { platform, emit } = options;
  const botId = platform.bot.user_id;
  const self: BotSelf = options.self ?? { platform: "demo", user_id: botId };

  function findUser(userId: string): DemoUser | Failure {
    return platform.user(userId) ??
      failed(DEMO_RETCODE.UNKNOWN_USER, `user_id: unknown user ${clip(userId)}`);
  }
  /** A group the bot is a member of. */
  function findGroup(groupId: string): DemoGroup | Failure {
    const group = platform.group(groupId);
    return group !== undefined && group.members.has(botId)
      ? group
      : failed(DEMO_RETCODE.UNKNOWN_GROUP, `group_id: unknown group ${clip(groupId)}`);
  }
  /** A guild the bot is a member of. */
  function findGuild(guildId: string): DemoGuild | Failure {
    const guild = platform.guild(guildId);
    return guild !== undefined && guild.members.has(botId)
      ? guild
      : failed(DEMO_RETCODE.UNKNOWN_GUILD, `guild_id: unknown guild ${clip(guildId)}`);
  }
  /** A channel of a guild the bot is a member of (joined or only visible). */
  function findChannel(guildId: string, channelId: string): DemoChannel | Failure {
    const guild = findGuild(guildId);
    if (isFailure(guild)) return guild;
    return guild.channels.get(channelId) ??
      failed(
        DEMO_RETCODE.UNKNOWN_CHANNEL,
        `channel_id: guild ${clip(guildId)} has no channel ${clip(channelId)}`,
      );
  }
  /** The user, who must exist and be a member. */
  function findMember(
    members: { has(userId: string): boolean },
    userId: string,
    where: string,
  ): DemoUser | Failure {
    const user = findUser(userId);
    if (isFailure(user)) return user;
    return members.has(userId)
      ? user
      : failed(DEMO_RETCODE.NOT_A_MEMBER, `user_id: ${clip(userId)} is not a member of ${where}`);
  }
  function botNotIn(where: string, param: string): Failure {
    return failed(DEMO_RETCODE.NOT_A_MEMBER, `${param}: the bot is not a member of ${where}`);
  }

  /** Checks that a chat exists and that `senderId` may write in it. */
  function checkChat(chat: DemoChat, senderId: string): Failure | undefined {
    switch (chat.detail_type) {
      case "private": {
        const user = findUser(chat.user_id);
        return isFailure(user) ? user : undefined;
      }
      case "group": {
        const group = findGroup(chat.group_id);
        if (isFailure(group)) return group;
        if (senderId === botId) return undefined;
        const member = findMember(group.members, senderId, `group ${clip(chat.group_id)}`);
        return isFailure(member) ? member : undefined;
      }
      case "channel": {
        const channel = findChannel(chat.guild_id, chat.channel_id);
        if (isFailure(channel)) return channel;
        const where = `channel ${clip(chat.channel_id)}`;
        if (!channel.members.has(botId)) return botNotIn(where, "channel_id");
        if (senderId === botId) return undefined;
        const member = findMember(channel.members, senderId, where);
        return isFailure(member) ? member : undefined;
      }
    }
  }

  /**
   * Checks each `reply` segment against the message it quotes, which must
   * exist in this chat (else `UNKNOWN_MESSAGE`), and gives it that message's
   * sender as `user_id` (§6.2 lets a sender omit it; an application reads it:
   * NoneBot2's `event.reply` and `to_me`). A `user_id` that names someone else
   * answers 10003.
   */
  function withReplySenders(message: Message, chat: DemoChat): Message | Failure {
    const result: Message = [];
    for (const segment of message) {
      if (segment.type !== "reply") {
        result.push(segment);
        continue;
      }
      const { message_id: id, user_id: given } = segment.data as Record<string, unknown>;
      const quoted = platform.message(String(id));
      if (quoted === undefined) {
        return failed(
          DEMO_RETCODE.UNKNOWN_MESSAGE,
          `message: reply to unknown message ${clip(String(id))}`,
        );
      }
      if (!platform.messages(chat).some((other) => other.message_id === quoted.message_id)) {
        return failed(
          DEMO_RETCODE.UNKNOWN_MESSAGE,
          `message: reply to message ${clip(quoted.message_id)}, which is in another chat`,
        );
      }
      if (given !== undefined && given !== quoted.sender_id) {
        return failed(
          RETCODE.BAD_PARAM,
          `message: reply user_id ${clip(String(given))} is not the sender of message ${
            clip(quoted.message_id)
          } (${clip(quoted.sender_id)})`,
        );
      }
      result.push({ ...segment, data: { ...segment.data, user_id: quoted.sender_id } });
    }
    return result;
  }

  function messageEvent(stored: DemoMessage): Event {
    const init = {
      self,
      time: stored.time,
      message_id: stored.message_id,
      user_id: stored.sender_id,
      message: stored.message,
      alt_message: stored.alt_message,
    };
    const { chat } = stored;
    switch (chat.detail_type) {
      case "private":
        return privateMessageEvent(init);
      case "group":
        return groupMessageEvent({ ...init, group_id: chat.group_id });
      case "channel":
        return channelMessageEvent({
          ...init,
          guild_id: chat.guild_id,
          channel_id: chat.channel_id,
        });
    }
  }

  /** The notice of a deleted message; `operator_id` deleted it (`recall` when it is the sender). */
  function deleteEvent(stored: DemoMessage, operator_id: string): Event {
    const { chat, message_id, sender_id: user_id } = stored;
    const init = { self, message_id, user_id };
    const sub_type = user_id === operator_id ? "recall" : "delete";
    switch (chat.detail_type) {
      case "private":
        return privateMessageDeleteEvent(init);
      case "group":
        return groupMessageDeleteEvent({ ...init, group_id: chat.group_id, operator_id, sub_type });
      case "channel":
        return channelMessageDeleteEvent({
          ...init,
          guild_id: chat.guild_id,
          channel_id: chat.channel_id,
          operator_id,
          sub_type,
        });
    }
  }

  /** A member (the bot or a user) leaves a group on their own: `group_member_decrease` `leave`. */
  function leavesGroup(groupId: string, userId: string): Ok<null> {
    platform.leaveGroup(groupId, userId);
    emit(groupMemberDecreaseEvent({
      self,
      group_id: groupId,
      user_id: userId,
      operator_id: userId,
      sub_type: "leave",
    }));
    return ok(null);
  }

  function userInfo(user: DemoUser): UserInfo {
    return {
      user_id: user.user_id,
      user_name: user.user_name,
      user_displayname: user.user_displayname,
      user_remark: user.user_remark,
    };
  }
  /** A member as listed: their nickname there, else their display name, else `""`. */
  function memberInfo(userId: string, nickname: string): MemberInfo {
    const user = platform.user(userId);
    return {
      user_id: userId,
      user_name: user?.user_name ?? "",
      user_displayname: nickname || (user?.user_displayname ?? ""),
    };
  }
  function guildNickname(guildId: string, userId: string): string {
    return platform.guild(guildId)?.members.get(userId) ?? "";
  }

  return defineActions<StandardActions & DemoActions>({
    send_message(params) {
      const chat = sendTarget(params);
      if (isFailure(chat)) return chat;
      const problem = checkChat(chat, botId);
      if (problem !== undefined) return problem;
      const stored = platform.addMessage({ sender_id: botId, chat, message: params.message });
      return ok({ message_id: stored.message_id, time: stored.time });
    },
    delete_message({ message_id }) {
      const stored = platform.message(message_id);
      if (stored === undefined) {
        return failed(
          DEMO_RETCODE.UNKNOWN_MESSAGE,
          `message_id: unknown message ${clip(message_id)}`,
        );
      }
      const problem = checkChat(stored.chat, botId);
      if (problem !== undefined) return problem;
      platform.removeMessage(message_id);
      emit(deleteEvent(stored, botId));
      return ok(null);
    },
    "demo.simulate_message"(params) {
      const sender = findUser(params.user_id);
      if (isFailure(sender)) return sender;
      if (sender.user_id === botId) {
        return failed(
          DEMO_RETCODE.SENDER_IS_BOT,
          `user_id: ${clip(botId)} is the bot; send its messages with send_message`,
        );
      }
      const chat = chatOf(params);
      const problem = checkChat(chat, sender.user_id);
      if (problem !== undefined) return problem;
      const message = withReplySenders(toMessage(params.message as MessageInput), chat);
      if (isFailure(message)) return message;
      const stored = platform.addMessage({ sender_id: sender.user_id, chat, message });
      emit(messageEvent(stored));
      return ok({ message_id: stored.message_id });
    },
    "demo.simulate_delete"({ user_id, message_id }) {
      const user = findUser(user_id);
      if (isFailure(user)) return user;
      const stored = platform.message(message_id);
      if (stored === undefined) {
        return failed(
          DEMO_RETCODE.UNKNOWN_MESSAGE,
          `message_id: unknown message ${clip(message_id)}`,
        );
      }
      if (stored.sender_id !== user_id) {
        return failed(
          DEMO_RETCODE.NOT_THE_SENDER,
          `message_id: ${clip(message_id)} was not sent by ${clip(user_id)}`,
        );
      }
      platform.removeMessage(message_id);
      emit(deleteEvent(stored, user_id));
      return ok(null);
    },
    "demo.simulate_join"({ user_id, group_id }) {
      const group = findGroup(group_id);
      if (isFailure(group)) return group;
      const user = findUser(user_id);
      if (isFailure(user)) return user;
      if (group.members.has(user_id)) {
        return failed(
          DEMO_RETCODE.ALREADY_A_MEMBER,
          `user_id: ${clip(user_id)} is already a member of group ${clip(group_id)}`,
        );
      }
      platform.joinGroup(group_id, user_id);
      emit(groupMemberIncreaseEvent({
        self,
        group_id,
        user_id,
        operator_id: user_id,
        sub_type: "join",
      }));
      return ok(null);
    },
    "demo.simulate_leave"({ user_id, group_id }) {
      const group = findGroup(group_id);
      if (isFailure(group)) return group;
      if (user_id === botId) {
        return failed(
          DEMO_RETCODE.SENDER_IS_BOT,
          `user_id: ${clip(botId)} is the bot; it leaves with leave_group`,
        );
      }
      const member = findMember(group.members, user_id, `group ${clip(group_id)}`);
      return isFailure(member) ? member : leavesGroup(group_id, user_id);
    },
    "demo.get_messages"(params) {
      const chat = chatOf(params);
      const problem = checkChat(chat, botId);
      if (problem !== undefined) return problem;
      return ok(
        platform.messages(chat).map((stored) => ({
          message_id: stored.message_id,
          time: stored.time,
          user_id: stored.sender_id,
          message: stored.message, // frozen by the platform: shared, not copied
          alt_message: stored.alt_message,
        })),
      );
    },
    get_self_info() {
      const { user_id, user_name, user_displayname } = platform.bot;
      return ok({ user_id, user_name, user_displayname });
    },
    get_user_info({ user_id }) {
      const user = findUser(user_id);
      return isFailure(user) ? user : ok(userInfo(user));
    },
    get_friend_list() {
      return ok(platform.friends().map(userInfo));
    },
    get_group_info({ group_id }) {
      const group = findGroup(group_id);
      return isFailure(group) ? group : ok({ group_id, group_name: group.group_name });
    },
    get_group_list() {
      return ok(platform.groups().map(({ group_id, group_name }) => ({ group_id, group_name })));
    },
    get_group_member_info({ group_id, user_id }) {
      const group = findGroup(group_id);
      if (isFailure(group)) return group;
      const member = findMember(group.members, user_id, `group ${clip(group_id)}`);
      if (isFailure(member)) return member;
      return ok(memberInfo(user_id, group.members.get(user_id) ?? ""));
    },
    get_group_member_list({ group_id }) {
      const group = findGroup(group_id);
      if (isFailure(group)) return group;
      return ok([...group.members].map(([userId, nickname]) => memberInfo(userId, nickname)));
    },
    set_group_name({ group_id, group_name }) {
      const group = findGroup(group_id);
      if (isFailure(group)) return group;
      platform.renameGroup(group_id, group_name);
      return ok(null);
    },
    leave_group({ group_id }) {
      const group = findGroup(group_id);
      return isFailure(group) ? group : leavesGroup(group_id, botId);
    },
    get_guild_info({ guild_id }) {
      const guild = findGuild(guild_id);
      return isFailure(guild) ? guild : ok({ guild_id, guild_name: guild.guild_name });
    },
    get_guild_list() {
      return ok(platform.guilds().map(({ guild_id, guild_name }) => ({ guild_id, guild_name })));
    },
    set_guild_name({ guild_id, guild_name }) {
      const guild = findGuild(guild_id);
      if (isFailure(guild)) return guild;
      platform.renameGuild(guild_id, guild_name);
      return ok(null);
    },
    get_guild_member_info({ guild_id, user_id }) {
      const guild = findGuild(guild_id);
      if (isFailure(guild)) return guild;
      const member = findMember(guild.members, user_id, `guild ${clip(guild_id)}`);
      if (isFailure(member)) return member;
      return ok(memberInfo(user_id, guild.members.get(user_id) ?? ""));
    },
    get_guild_member_list({ guild_id }) {
      const guild = findGuild(guild_id);
      if (isFailure(guild)) return guild;
      return ok([...guild.members].map(([userId, nickname]) => memberInfo(userId, nickname)));
    },
    leave_guild({ guild_id }) {
      const guild = findGuild(guild_id);
      if (isFailure(guild)) return guild;
      platform.leaveGuild(guild_id, botId);
      emit(guildMemberDecreaseEvent({
        self,
        guild_id,
        user_id: botId,
        operator_id: botId,
        sub_type: "leave",
      }));
      return ok(null);
    },
    get_channel_info({ guild_id, channel_id }) {
      const channel = findChannel(guild_id, channel_id);
      return isFailure(channel) ? channel : ok({ channel_id, channel_name: channel.channel_name });
    },
    get_channel_list({ guild_id, joined_only }) {
      const guild = findGuild(guild_id);
      if (isFailure(guild)) return guild;
      const channels = [...guild.channels.values()]
        .filter((channel) => !joined_only || channel.members.has(botId))
        .map(({ channel_id, channel_name }) => ({ channel_id, channel_name }));
      return ok(channels);
    },
    set_channel_name({ guild_id, channel_id, channel_name }) {
      const channel = findChannel(guild_id, channel_id);
      if (isFailure(channel)) return channel;
      platform.renameChannel(guild_id, channel_id, channel_name);
      return ok(null);
    },
    get_channel_member_info({ guild_id, channel_id, user_id }) {
      const channel = findChannel(guild_id, channel_id);
      if (isFailure(channel)) return channel;
      const member = findMember(channel.members, user_id, `channel ${clip(channel_id)}`);
      if (isFailure(member)) return member;
      return ok(memberInfo(user_id, guildNickname(guild_id, user_id)));
    },
    get_channel_member_list({ guild_id, channel_id }) {
      const channel = findChannel(guild_id, channel_id);
      if (isFailure(channel)) return channel;
      return ok(
        [...channel.members].map((userId) => memberInfo(userId, guildNickname(guild_id, userId))),
      );
    },
    leave_channel({ guild_id, channel_id }) {
      const channel = findChannel(guild_id, channel_id);
      if (isFailure(channel)) return channel;
      if (!channel.members.has(botId)) {
        return botNotIn(`channel ${clip(channel_id)}`, "channel_id");
      }
      platform.leaveChannel(guild_id, channel_id, botId);
      emit(channelMemberDecreaseEvent({
        self,
        guild_id,
        channel_id,
        user_id: botId,
        operator_id: botId,
        sub_type: "leave",
      }));
      return ok(null);
    },
  });
}

/** The chat of a `send_message`; the demo platform has no extended chat kinds. */
function sendTarget(params: StandardActions["send_message"]["params"]): DemoChat | Failure {
  switch (params.detail_type) {
    case "private":
      return { detail_type: "private", user_id: params.user_id };
    case "group":
      return { detail_type: "group", group_id: params.group_id };
    case "channel":
      return { detail_type: "channel", guild_id: params.guild_id, channel_id: params.channel_id };
    default:
      return failed(
        RETCODE.UNSUPPORTED_PARAM,
        `detail_type: the demo platform has no ${clip(params.detail_type)} chats`,
      );
  }
}

/**
 * The chat that `demo.simulate_message` writes to or `demo.get_messages`
 * reads, named the way `send_message` names it; the validator has checked the ids.
 */
function chatOf(params: GetMessagesParams): DemoChat {
  switch (params.detail_type) {
    case "private":
      return { detail_type: "private", user_id: params.user_id ?? "" };
    case "group":
      return { detail_type: "group", group_id: params.group_id ?? "" };
    case "channel":
      return {
        detail_type: "channel",
        guild_id: params.guild_id ?? "",
        channel_id: params.channel_id ?? "",
      };
  }
}
