/**
 * The bridge: a libob OneBot in front of one Matrix account.
 *
 * @module
 */

import { createOneBot, type OneBotWith } from "@libob/libob";
import type { OneBotConfig } from "@libob/libob/config";
import { createFileActions } from "@libob/libob/file";
import { type MatrixActions, matrixActions, matrixHandlers } from "./actions.ts";
import { guildHandlers } from "./actions_guild.ts";
import type { MatrixClient } from "./client.ts";
import { mapMatrixError } from "./errors.ts";
import { createMatrixFileStore, type MediaInfo } from "./media.ts";
import { createRooms } from "./rooms.ts";
import { startSync } from "./sync.ts";
import { MATRIX_BRIDGE_VERSION } from "./version.ts";

/** The `platform` of the bot's `self`. */
export const PLATFORM = "matrix";

/**
 * Options of {@linkcode createMatrixBridge}.
 *
 * @example
 * ```ts
 * import type { MatrixBridgeOptions } from "@libob/matrix";
 *
 * const options: Partial<MatrixBridgeOptions> = { statePath: "./matrix-state.json", autoJoin: true };
 * ```
 */
export interface MatrixBridgeOptions {
  /** A logged-in client ({@linkcode login}). */
  client: MatrixClient;
  /** The account's user ID (`@bot:example.org`), as `login` returns it. */
  userId: string;
  /**
   * The state file keeping the `/sync` position across restarts (JSON,
   * replaced atomically after each batch). Without it, each start begins
   * from the present.
   */
  statePath?: string | undefined;
  /** Join every room the bot is invited to. Default `true`. */
  autoJoin?: boolean;
  /** The `/sync` long-poll timeout in ms. Default 30000. */
  syncTimeout?: number;
  /** The largest file `upload_file` and `get_file` handle, bytes. Default 100 MiB. */
  maxFileSize?: number;
  /** The OneBot connections (`loadOneBotConfig(path).connections`). */
  connections?: OneBotConfig["connections"];
}

/**
 * The bridge: a OneBot serving the standard actions and
 * {@linkcode MatrixActions} (typed in `kit.call`), whose dispose also stops
 * the `/sync` loop (a pipe) and its joins.
 */
export interface MatrixBridge extends OneBotWith<MatrixActions> {
  /** Resolves once the first `/sync` is handled: rooms and members are known. */
  readonly ready: Promise<void>;
}

/**
 * Builds the OneBot in front of a Matrix account and starts following
 * `/sync`. The bot (`{platform: "matrix", user_id}`) is online while
 * `/sync` answers.
 *
 * @param options The client, the account, the state file and the connections.
 * @returns The bridge; dispose it to stop syncing and close every connection.
 * @throws {TypeError} When an option is out of type.
 * @throws {RangeError} When `syncTimeout` or `maxFileSize` is out of range.
 *
 * @example
 * ```ts ignore
 * import { createMatrixBridge, login } from "@libob/matrix";
 *
 * const { client, userId } = await login("http://127.0.0.1:8008", { accessToken: "syt_…" });
 * await using bridge = createMatrixBridge({ client, userId, statePath: "state.json" });
 * Deno.serve({ port: 5700 }, bridge.fetch);
 * ```
 */
export function createMatrixBridge(options: MatrixBridgeOptions): MatrixBridge {
  const { client, userId, statePath, autoJoin = true, syncTimeout = 30_000 } = options;
  const maxFileSize = options.maxFileSize ?? 100 * 1024 * 1024;
  if (typeof userId !== "string" || !/^@[^:]+:.+$/.test(userId)) {
    throw new TypeError(`Cannot create Matrix bridge: userId must be a Matrix user ID`);
  }
  if (!Number.isInteger(syncTimeout) || syncTimeout < 0) {
    throw new RangeError(
      `Cannot create Matrix bridge: syncTimeout must be an integer >= 0: current value is ${syncTimeout}`,
    );
  }
  if (!Number.isInteger(maxFileSize) || maxFileSize < 1) {
    throw new RangeError(
      `Cannot create Matrix bridge: maxFileSize must be an integer > 0: current value is ${maxFileSize}`,
    );
  }
  const rooms = createRooms(userId);
  const media = new Map<string, MediaInfo>();
  const files = createFileActions({
    store: createMatrixFileStore(client, media, maxFileSize),
    maxFileSize,
  });
  const onebot = createOneBot({
    impl: "libob-matrix",
    version: MATRIX_BRIDGE_VERSION,
    bots: [{ self: { platform: PLATFORM, user_id: userId }, online: false }],
    handlers: {
      ...matrixHandlers({ client, rooms, media }),
      ...guildHandlers(client, rooms),
      ...files,
    },
    actions: matrixActions(client),
    mapError: mapMatrixError,
    // segments: the default, the ten standard types: Matrix carries each of them.
    ...options.connections,
  });
  const sync = startSync({
    client,
    rooms,
    onebot,
    bot: onebot.bot({ platform: PLATFORM, user_id: userId }),
    statePath,
    autoJoin,
    timeout: syncTimeout,
    media,
  });
  onebot.defer(() => sync.stop()); // the /sync pipe is stopped by then; this awaits the joins
  return Object.assign(onebot, { ready: sync.ready });
}
