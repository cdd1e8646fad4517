/**
 * The `/sync` loop: long polls the homeserver, keeps the room tracker up to
 * date, turns each batch's events into OneBot events, and only then saves
 * the batch's `next_batch` in the state file, so that a restart continues
 * exactly after the last batch emitted.
 *
 * @module
 */

import type { Bot, OneBot } from "@libob/libob";
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
  /** The OneBot whose pipe runs the loop: its dispose aborts the long poll in flight. */
  onebot: Pick<OneBot, "pipe">;
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
  /** Stops the long poll at once and resolves when the loop and its joins have ended. */
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
 * Starts the loop, as a cancellable pipe of the OneBot: the long polls are
 * its source, each batch is handled and then saved. The first `/sync` asks
 * for the full state (the tracker starts empty); without a saved `since` its
 * timeline is history and is not emitted.
 */
export function startSync(options: SyncOptions): SyncLoop {
  const log = logger("sync");
  const ready = Promise.withResolvers<void>();
  const joining = new Map<string, Promise<void>>();
  let since: string | undefined;
  let first = true;

  /** The `/sync` batches, retried with a backoff; the bot is online while they come. */
  async function* batches(
    signal: AbortSignal,
  ): AsyncGenerator<{ batch: SyncResponse; history: boolean }> {
    try {
      since = options.statePath === undefined
        ? undefined
        : (await readState(options.statePath)).since;
      let backoff = 1000;
      while (!signal.aborted) {
        let batch: SyncResponse;
        try {
          batch = await options.client.request<SyncResponse>({
            method: "GET",
            path: `/_matrix/client/v3/sync?${query()}`,
            signal,
            // The long poll itself, and a margin for a large batch.
            timeout: options.timeout + 30_000,
          });
        } catch (error) {
          if (signal.aborted) return;
          log.warn("Matrix /sync failed, retrying in {ms} ms: {error}", { ms: backoff, error });
          options.bot.setOnline(false);
          await sleep(backoff, signal);
          backoff = Math.min(backoff * 2, 30_000);
          continue;
        }
        backoff = 1000;
        options.bot.setOnline(true);
        yield { batch, history: first && since === undefined };
      }
    } finally {
      ready.resolve();
      options.bot.setOnline(false);
    }
  }

  function query(): URLSearchParams {
    const query = new URLSearchParams({
      timeout: String(first ? 0 : options.timeout),
      filter: FILTER,
    });
    if (since !== undefined) query.set("since", since);
    if (first) query.set("full_state", "true");
    return query;
  }

  /** Emits a batch's events, then saves its position (even when stopping meanwhile). */
  async function handleBatch(
    { batch, history }: { batch: SyncResponse; history: boolean },
    signal: AbortSignal,
  ): Promise<void> {
    const { client, rooms, bot, media } = options;
    const ctx: EventContext = { client, rooms, bot, media, signal, log };
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
      for (const roomId of Object.keys(batch.rooms?.invite ?? {})) join(roomId, signal);
    }
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

  /** Joins a room the bot is invited to, once at a time; stop() waits for it. */
  function join(roomId: string, signal: AbortSignal): void {
    if (joining.has(roomId)) return;
    const done = options.client.request({
      method: "POST",
      path: `/_matrix/client/v3/join/${segment(roomId)}`,
      body: {},
      signal,
    }).then(() => {}, (error) => {
      if (!signal.aborted) {
        log.warn("Cannot join {roomId} after an invite: {error}", { roomId, error });
      }
    }).finally(() => joining.delete(roomId));
    joining.set(roomId, done);
  }

  const pipe = options.onebot.pipe(batches, handleBatch);
  return {
    ready: ready.promise,
    async stop() {
      await pipe[Symbol.asyncDispose]();
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
