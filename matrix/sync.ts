/**
 * The `/sync` loop: long polls the homeserver, keeps the room tracker up to
 * date, turns each batch's events into OneBot events, and only then saves
 * the batch's `next_batch` in the state file, so that a restart continues
 * exactly after the last batch emitted.
 *
 * @module
 */

import type { Bot } from "@libob/libob";
import { logger } from "./_log.ts";
import { type MatrixClient, segment } from "./client.ts";
import { type MediaInfo, rememberMedia } from "./media.ts";
import { contentToMessage, messageId } from "./map_in.ts";
import type { MatrixEvent, Rooms } from "./rooms.ts";
import { readState, writeState } from "./state_file.ts";

/** Options of {@linkcode startSync}. */
export interface SyncOptions {
  client: MatrixClient;
  rooms: Rooms;
  bot: Bot;
  /** Where `since` is kept; without it every start begins from now. */
  statePath?: string | undefined;
  /** Join the rooms the bot is invited to. */
  autoJoin: boolean;
  /** The long-poll timeout of `/sync`, ms. */
  timeout: number;
  /** Names and types of the media seen, for `get_file`. */
  media: Map<string, MediaInfo>;
}

/** A running sync loop. */
export interface SyncLoop {
  /** Resolves after the first batch was handled (the tracker is full), or when the loop stops. */
  readonly ready: Promise<void>;
  /** Stops the long poll at once and resolves when the loop has ended. */
  stop(): Promise<void>;
}

/** Rooms of a `/sync` answer, each with its state and timeline. */
interface SyncRoom {
  state?: { events?: MatrixEvent[] };
  timeline?: { events?: MatrixEvent[]; limited?: boolean };
}

interface SyncResponse {
  next_batch: string;
  account_data?: { events?: MatrixEvent[] };
  rooms?: {
    join?: Record<string, SyncRoom>;
    leave?: Record<string, SyncRoom>;
    invite?: Record<string, unknown>;
  };
}

const FILTER = JSON.stringify({
  presence: { types: [] },
  room: {
    state: { lazy_load_members: false },
    timeline: { limit: 100 },
    ephemeral: { types: [] },
  },
});

/**
 * Starts the loop. The first `/sync` asks for the full state (the tracker
 * starts empty); without a saved `since` its timeline is history and is not
 * emitted.
 */
export function startSync(options: SyncOptions): SyncLoop {
  const log = logger("sync");
  const abort = new AbortController();
  const ready = Promise.withResolvers<void>();
  const joining = new Set<string>();

  async function loop(): Promise<void> {
    let since = options.statePath === undefined
      ? undefined
      : (await readState(options.statePath)).since;
    let first = true;
    let backoff = 1000;
    while (!abort.signal.aborted) {
      let batch: SyncResponse;
      try {
        const query = new URLSearchParams({
          timeout: String(first ? 0 : options.timeout),
          filter: FILTER,
        });
        if (since !== undefined) query.set("since", since);
        if (first) query.set("full_state", "true");
        batch = await options.client.request<SyncResponse>({
          method: "GET",
          path: `/_matrix/client/v3/sync?${query}`,
          signal: abort.signal,
        });
      } catch (error) {
        if (abort.signal.aborted) break;
        log.warn("Matrix /sync failed, retrying in {ms} ms: {error}", { ms: backoff, error });
        options.bot.setOnline(false);
        await sleep(backoff, abort.signal);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      backoff = 1000;
      options.bot.setOnline(true);
      await handleBatch(batch, first && since === undefined);
      since = batch.next_batch;
      if (options.statePath !== undefined) {
        try {
          await writeState(options.statePath, { since });
        } catch (error) {
          log.error("Cannot save the sync state: {error}", { error });
        }
      }
      if (first) ready.resolve();
      first = false;
    }
  }

  async function handleBatch(batch: SyncResponse, history: boolean): Promise<void> {
    for (const event of batch.account_data?.events ?? []) {
      if (event.type === "m.direct" && event.content) options.rooms.setDirect(event.content);
    }
    for (const [roomId, room] of Object.entries(batch.rooms?.join ?? {})) {
      await handleRoom(roomId, room, history);
    }
    for (const [roomId, room] of Object.entries(batch.rooms?.leave ?? {})) {
      await handleRoom(roomId, room, history);
      options.rooms.forget(roomId);
    }
    if (options.autoJoin) {
      for (const roomId of Object.keys(batch.rooms?.invite ?? {})) void join(roomId);
    }
  }

  async function join(roomId: string): Promise<void> {
    if (joining.has(roomId)) return;
    joining.add(roomId);
    try {
      await options.client.request({
        method: "POST",
        path: `/_matrix/client/v3/join/${segment(roomId)}`,
        body: {},
      });
    } catch (error) {
      log.warn("Cannot join {roomId} after an invite: {error}", { roomId, error });
    } finally {
      joining.delete(roomId);
    }
  }

  async function handleRoom(roomId: string, room: SyncRoom, history: boolean): Promise<void> {
    for (const event of room.state?.events ?? []) options.rooms.apply(roomId, event);
    const timeline = room.timeline?.events ?? [];
    if (room.timeline?.limited === true && !history) {
      log.warn("Matrix skipped events of {roomId} (a gap in the timeline)", { roomId });
    }
    const space = options.rooms.isSpace(roomId) ||
      timeline.some((event) => event.type === "m.room.create" && event.content?.type === "m.space");
    if (space) {
      // A space is not a chat: its state is kept (so it stays known as one), nothing is emitted.
      for (const event of timeline) {
        if (typeof event.state_key === "string") options.rooms.apply(roomId, event);
      }
      return;
    }
    // Events before the bot's own join are the room's history, not news.
    const joinedAt = timeline.findLastIndex((event) => isOwnJoin(event, options.rooms.self));
    for (const [index, event] of timeline.entries()) {
      const emit = !history && index > joinedAt;
      try {
        await handleEvent(roomId, event, emit);
      } catch (error) {
        log.error("Matrix event {id} in {roomId} was not bridged: {error}", {
          id: event.event_id,
          roomId,
          error,
        });
      }
    }
  }

  async function handleEvent(roomId: string, event: MatrixEvent, emit: boolean): Promise<void> {
    const rooms = options.rooms;
    if (typeof event.state_key === "string") {
      const wasPrivate = rooms.isPrivate(roomId);
      const wasMember = rooms.get(roomId)?.members.has(event.state_key) ?? false;
      rooms.apply(roomId, event);
      if (emit && event.type === "m.room.member") {
        const group = !wasPrivate || !rooms.isPrivate(roomId);
        emitMember(roomId, event, wasMember, group);
      }
      return;
    }
    if (!emit || event.sender === undefined || event.sender === rooms.self) return;
    const time = (event.origin_server_ts ?? Date.now()) / 1000;
    if (event.type === "m.room.message" && event.event_id !== undefined) {
      const content = event.content ?? {};
      const relation = content["m.relates_to"] as Record<string, unknown> | undefined;
      if (relation?.rel_type === "m.replace") return; // edits are not mapped
      rememberMedia(options.media, content);
      const message = contentToMessage(roomId, content);
      if (message === undefined || message.length === 0) return;
      const init = {
        message_id: messageId(roomId, [event.event_id]),
        user_id: event.sender,
        message,
        time,
      };
      if (rooms.isPrivate(roomId)) options.bot.emit.privateMessage(init);
      else options.bot.emit.groupMessage({ ...init, group_id: roomId });
    } else if (event.type === "m.room.redaction") {
      const redacts = typeof event.content?.redacts === "string"
        ? event.content.redacts
        : event.redacts;
      if (redacts === undefined) return;
      const author = await senderOf(roomId, redacts) ?? event.sender;
      const init = { message_id: messageId(roomId, [redacts]), user_id: author, time };
      if (rooms.isPrivate(roomId)) options.bot.emit.privateMessageDelete(init);
      else {
        options.bot.emit.groupMessageDelete({
          ...init,
          group_id: roomId,
          operator_id: event.sender,
          sub_type: author === event.sender ? "recall" : "delete",
        });
      }
    }
  }

  function emitMember(roomId: string, event: MatrixEvent, wasMember: boolean, group: boolean) {
    const user = event.state_key!;
    const membership = event.content?.membership;
    const sender = event.sender ?? user;
    const time = (event.origin_server_ts ?? Date.now()) / 1000;
    if (!group) return;
    if (membership === "join" && !wasMember && user !== options.rooms.self) {
      const invited = event.unsigned?.prev_content !== undefined &&
        (event.unsigned.prev_content as Record<string, unknown>).membership === "invite";
      options.bot.emit.groupMemberIncrease({
        group_id: roomId,
        user_id: user,
        operator_id: sender,
        sub_type: invited ? "invite" : "join",
        time,
      });
    } else if ((membership === "leave" || membership === "ban") && wasMember) {
      options.bot.emit.groupMemberDecrease({
        group_id: roomId,
        user_id: user,
        operator_id: sender,
        sub_type: sender === user ? "leave" : "kick",
        time,
      });
    }
  }

  async function senderOf(roomId: string, eventId: string): Promise<string | undefined> {
    try {
      const event = await options.client.request<MatrixEvent>({
        method: "GET",
        path: `/_matrix/client/v3/rooms/${segment(roomId)}/event/${segment(eventId)}`,
        signal: abort.signal,
      });
      return event.sender;
    } catch {
      return undefined;
    }
  }

  const done = loop().catch((error) => {
    log.error("The Matrix sync loop stopped: {error}", { error });
  }).finally(() => {
    ready.resolve();
    options.bot.setOnline(false);
  });
  return {
    ready: ready.promise,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

function isOwnJoin(event: MatrixEvent, self: string): boolean {
  if (event.type !== "m.room.member" || event.state_key !== self) return false;
  const before = (event.unsigned?.prev_content as Record<string, unknown> | undefined)?.membership;
  return event.content?.membership === "join" && before !== "join";
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
