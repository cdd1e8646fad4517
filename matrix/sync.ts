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
import type { MediaInfo } from "./media.ts";
import type { MatrixEvent, Rooms } from "./rooms.ts";
import { readState, writeState } from "./state_file.ts";
import { type EventContext, handleRoom, type SyncRoom } from "./sync_events.ts";

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
  const joining = new Map<string, Promise<void>>();
  const ctx: EventContext = {
    client: options.client,
    rooms: options.rooms,
    bot: options.bot,
    media: options.media,
    signal: abort.signal,
    log,
  };

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
      await handleRoom(ctx, roomId, room, history);
    }
    for (const [roomId, room] of Object.entries(batch.rooms?.leave ?? {})) {
      await handleRoom(ctx, roomId, room, history);
      options.rooms.forget(roomId);
    }
    if (options.autoJoin) {
      for (const roomId of Object.keys(batch.rooms?.invite ?? {})) join(roomId);
    }
  }

  /** Joins a room the bot is invited to, once at a time; stop() waits for it. */
  function join(roomId: string): void {
    if (joining.has(roomId)) return;
    const done = options.client.request({
      method: "POST",
      path: `/_matrix/client/v3/join/${segment(roomId)}`,
      body: {},
      signal: abort.signal,
    }).then(() => {}, (error) => {
      if (!abort.signal.aborted) {
        log.warn("Cannot join {roomId} after an invite: {error}", { roomId, error });
      }
    }).finally(() => joining.delete(roomId));
    joining.set(roomId, done);
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
      await Promise.all(joining.values());
    },
  };
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
