/**
 * One `/sync` batch's room events as OneBot events: the room tracker is kept
 * up to date event by event, and messages, redactions and member changes are
 * emitted through the bot's builders.
 *
 * @module
 */

import type { Bot } from "@libob/libob";
import type { Log } from "./_log.ts";
import { type MatrixClient, segment } from "./client.ts";
import { contentToMessage, messageId, replyTarget } from "./map_in.ts";
import { type MediaInfo, rememberMedia } from "./media.ts";
import type { MatrixEvent, RoomKind, Rooms } from "./rooms.ts";

/** What turning events into OneBot events needs. */
export interface EventContext {
  client: MatrixClient;
  rooms: Rooms;
  bot: Bot;
  media: Map<string, MediaInfo>;
  /** Aborted when the bridge stops. */
  signal: AbortSignal;
  log: Log;
}

/** A room of a `/sync` answer, with its state and timeline. */
export interface SyncRoom {
  state?: { events?: MatrixEvent[] };
  timeline?: { events?: MatrixEvent[]; limited?: boolean };
}

/**
 * Applies a room's state and timeline to the tracker and emits its news.
 * `history`: only learn (a first start). Events before the bot's own join
 * are the room's past, not news.
 */
export async function handleRoom(
  ctx: EventContext,
  roomId: string,
  room: SyncRoom,
  history: boolean,
): Promise<void> {
  for (const event of room.state?.events ?? []) ctx.rooms.apply(roomId, event);
  const timeline = room.timeline?.events ?? [];
  if (room.timeline?.limited === true && !history) {
    ctx.log.warn("Matrix skipped events of {roomId} (a gap in the timeline)", { roomId });
  }
  // Events before the bot's own join are the room's history, not news.
  const joinedAt = timeline.findLastIndex((event) => isOwnJoin(event, ctx.rooms.self));
  for (const [index, event] of timeline.entries()) {
    const emit = !history && index > joinedAt;
    try {
      await handleEvent(ctx, roomId, event, emit);
    } catch (error) {
      ctx.log.error("Matrix event {id} in {roomId} was not bridged: {error}", {
        id: event.event_id,
        roomId,
        error,
      });
    }
  }
}

async function handleEvent(
  ctx: EventContext,
  roomId: string,
  event: MatrixEvent,
  emit: boolean,
): Promise<void> {
  const rooms = ctx.rooms;
  if (typeof event.state_key === "string") {
    const before = rooms.kindOf(roomId);
    const wasMember = rooms.get(roomId)?.members.has(event.state_key) ?? false;
    rooms.apply(roomId, event);
    if (emit && event.type === "m.room.member") {
      // A room turning private (a group of 3 losing one) reports that change as the group it was.
      const after = rooms.kindOf(roomId);
      emitMember(ctx, roomId, event, wasMember, after === "private" ? before : after);
    }
    return;
  }
  if (!emit || event.sender === undefined || event.sender === rooms.self) return;
  const kind = rooms.kindOf(roomId);
  const guild_id = rooms.guildOf(roomId) ?? "";
  const time = (event.origin_server_ts ?? Date.now()) / 1000;
  if (event.type === "m.room.message" && event.event_id !== undefined) {
    const content = event.content ?? {};
    const relation = content["m.relates_to"] as Record<string, unknown> | undefined;
    if (relation?.rel_type === "m.replace") return; // edits are not mapped
    rememberMedia(ctx.media, content);
    const target = replyTarget(content);
    const replySender = target === undefined ? undefined : await senderOf(ctx, roomId, target);
    const message = contentToMessage(roomId, content, replySender);
    if (message === undefined || message.length === 0) return;
    const init = {
      message_id: messageId(roomId, [event.event_id]),
      user_id: event.sender,
      message,
      time,
    };
    if (kind === "private") ctx.bot.emit.privateMessage(init);
    else if (kind === "group") ctx.bot.emit.groupMessage({ ...init, group_id: roomId });
    else if (kind === "channel") {
      ctx.bot.emit.channelMessage({ ...init, guild_id, channel_id: roomId });
    }
  } else if (event.type === "m.room.redaction") {
    const redacts = typeof event.content?.redacts === "string"
      ? event.content.redacts
      : event.redacts;
    if (redacts === undefined) return;
    const author = await senderOf(ctx, roomId, redacts) ?? event.sender;
    const init = { message_id: messageId(roomId, [redacts]), user_id: author, time };
    const moderation = {
      ...init,
      operator_id: event.sender,
      sub_type: author === event.sender ? "recall" as const : "delete" as const,
    };
    if (kind === "private") ctx.bot.emit.privateMessageDelete(init);
    else if (kind === "group") ctx.bot.emit.groupMessageDelete({ ...moderation, group_id: roomId });
    else if (kind === "channel") {
      ctx.bot.emit.channelMessageDelete({ ...moderation, guild_id, channel_id: roomId });
    }
  }
}

/** A join or leave as the member notice of the room's kind (none for private rooms). */
function emitMember(
  ctx: EventContext,
  roomId: string,
  event: MatrixEvent,
  wasMember: boolean,
  kind: RoomKind | undefined,
): void {
  const user = event.state_key!;
  const membership = event.content?.membership;
  const operator_id = event.sender ?? user;
  const time = (event.origin_server_ts ?? Date.now()) / 1000;
  const emit = ctx.bot.emit;
  const guild_id = kind === "space" ? roomId : ctx.rooms.guildOf(roomId) ?? "";
  if (membership === "join" && !wasMember && user !== ctx.rooms.self) {
    const invited = event.unsigned?.prev_content !== undefined &&
      (event.unsigned.prev_content as Record<string, unknown>).membership === "invite";
    const init = {
      user_id: user,
      operator_id,
      sub_type: invited ? "invite" : "join",
      time,
    } as const;
    if (kind === "group") emit.groupMemberIncrease({ ...init, group_id: roomId });
    else if (kind === "channel") {
      emit.channelMemberIncrease({ ...init, guild_id, channel_id: roomId });
    } else if (kind === "space") emit.guildMemberIncrease({ ...init, guild_id });
  } else if ((membership === "leave" || membership === "ban") && wasMember) {
    const init = {
      user_id: user,
      operator_id,
      sub_type: operator_id === user ? "leave" : "kick",
      time,
    } as const;
    if (kind === "group") emit.groupMemberDecrease({ ...init, group_id: roomId });
    else if (kind === "channel") {
      emit.channelMemberDecrease({ ...init, guild_id, channel_id: roomId });
    } else if (kind === "space") emit.guildMemberDecrease({ ...init, guild_id });
  }
}

async function senderOf(
  ctx: EventContext,
  roomId: string,
  eventId: string,
): Promise<string | undefined> {
  try {
    const event = await ctx.client.request<MatrixEvent>({
      method: "GET",
      path: `/_matrix/client/v3/rooms/${segment(roomId)}/event/${segment(eventId)}`,
      signal: ctx.signal,
    });
    return event.sender;
  } catch {
    return undefined;
  }
}

function isOwnJoin(event: MatrixEvent, self: string): boolean {
  if (event.type !== "m.room.member" || event.state_key !== self) return false;
  const before = (event.unsigned?.prev_content as Record<string, unknown> | undefined)?.membership;
  return event.content?.membership === "join" && before !== "join";
}
