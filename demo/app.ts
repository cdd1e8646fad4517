/**
 * The whole demo implementation from a parsed configuration: the platform,
 * its handlers and the OneBot around them.
 *
 * @module
 */

import {
  createFileActions,
  createMemoryFileStore,
  createOneBot,
  type FileActionsOptions,
  type FileStore,
  type FrameTap,
  LIBOB_VERSION,
  type OneBot,
  type StandardActions,
} from "../mod.ts";
import type { DemoConfig } from "./config.ts";
import { createDemoHandlers, DEMO_VALIDATORS, type DemoActions } from "./handlers.ts";
import { createDemoPlatform, type DemoPlatform, type DemoPlatformOptions } from "./platform.ts";

/**
 * The demo's `impl` (§8), sent in `get_version`, `X-Impl` and the
 * WebSocket subprotocol.
 *
 * @example
 * ```ts
 * import { DEMO_IMPL } from "./app.ts";
 * import { expect } from "expect";
 *
 * expect(DEMO_IMPL).toBe("libob-demo");
 * ```
 */
export const DEMO_IMPL = "libob-demo";

/**
 * The demo bot's `self.platform`.
 *
 * @example
 * ```ts
 * import { DEMO_PLATFORM } from "./app.ts";
 * import { expect } from "expect";
 *
 * expect(DEMO_PLATFORM).toBe("demo");
 * ```
 */
export const DEMO_PLATFORM = "demo";

/**
 * Options of {@linkcode createDemo}: the connections (from
 * `parseDemoEnv`), and optionally the platform to serve.
 *
 * @example
 * ```ts
 * import type { DemoOptions } from "./app.ts";
 *
 * const options: DemoOptions = { accessToken: "t", http: { eventBufferSize: 10 } };
 * ```
 */
export type DemoOptions = DemoConfig & {
  /**
   * The platform; by default a fresh `createDemoPlatform()` with the
   * message bounds of the configuration (`maxMessagesPerChat`,
   * `maxMessagesSize`), which are ignored when a platform is given.
   */
  platform?: DemoPlatform;
  /** The store of the file actions; by default in memory, 64 MiB, oldest evicted first. */
  files?: FileStore;
  /** Sees every OneBot frame (`createOneBot`'s `tap`): the playground's log. */
  tap?: FrameTap;
  /** The URL of a stored file for `get_file` `type` `url`; without it that type answers 10004. */
  urlFor?: FileActionsOptions["urlFor"];
};

/**
 * Builds the demo implementation: `impl` `libob-demo` at libob's version,
 * one bot `{platform: "demo", user_id: "10000"}` that is online, the demo
 * handlers and validators, and the connections of `options`. Serve its
 * `fetch` (HTTP on `POST /`, forward WebSocket on `GET /`); dispose it to
 * stop the push connections.
 *
 * @param options The connections and the platform.
 * @returns The running OneBot.
 * @throws {TypeError | RangeError} As `createOneBot` does for bad options.
 *
 * @example Calling get_self_info without a network
 * ```ts
 * import { createDemo } from "./app.ts";
 * import { expect } from "expect";
 *
 * await using onebot = createDemo();
 * const response = await onebot.router(
 *   { action: "get_self_info", params: {} },
 *   { connection: "http" },
 * );
 * expect(response.data).toEqual({
 *   user_id: "10000",
 *   user_name: "libob bot",
 *   user_displayname: "",
 * });
 * ```
 */
export function createDemo(options: DemoOptions = {}): OneBot {
  const {
    platform = createDemoPlatform(demoPlatformOptions(options)),
    files = createDemoFileStore(),
    playground: _playground,
    logLevel: _logLevel,
    urlFor,
    maxMessagesPerChat: _maxMessagesPerChat,
    maxMessagesSize: _maxMessagesSize,
    ...connections
  } = options;
  const self = { platform: DEMO_PLATFORM, user_id: platform.bot.user_id };
  // The handlers emit through the OneBot they are part of: they run only
  // once it serves requests, so `onebot` is always initialised by then.
  const onebot: OneBot = createOneBot<StandardActions & DemoActions>({
    impl: DEMO_IMPL,
    version: LIBOB_VERSION,
    bots: [{ self, online: true }],
    handlers: {
      ...createDemoHandlers({ platform, self, emit: (event) => onebot.emit(event) }),
      // The defaults: upload_file never fetches loopback or private addresses, and no file
      // (fragmented ones included) may exceed the store's capacity.
      ...createFileActions({ store: files, ...(urlFor === undefined ? {} : { urlFor }) }),
    },
    validators: DEMO_VALIDATORS,
    ...connections,
  });
  return onebot;
}

/**
 * The demo's default file store: in memory, 64 MiB in all, the oldest file
 * evicted first when a new one does not fit.
 *
 * @returns A new store.
 *
 * @example
 * ```ts
 * import { createDemoFileStore } from "./app.ts";
 * import { expect } from "expect";
 *
 * const store = createDemoFileStore();
 * const record = await store.put({
 *   name: "hi.txt",
 *   data: new Uint8Array([104, 105]),
 *   sha256: "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4",
 * });
 * expect(record.size).toBe(2);
 * ```
 */
export function createDemoFileStore(): FileStore {
  return createMemoryFileStore({ maxTotalSize: 64 * 1024 * 1024, evictOldest: true });
}

/**
 * The platform options a demo configuration sets: the bounds of the
 * message store, where given.
 *
 * @param config The configuration, e.g. from `parseDemoEnv`.
 * @returns Options for `createDemoPlatform`.
 *
 * @example
 * ```ts
 * import { demoPlatformOptions } from "./app.ts";
 * import { parseDemoEnv } from "./config.ts";
 * import { expect } from "expect";
 *
 * expect(demoPlatformOptions(parseDemoEnv({ ONEBOT_DEMO_MAX_MESSAGES: "50" })))
 *   .toEqual({ maxMessagesPerChat: 50 });
 * ```
 */
export function demoPlatformOptions(config: DemoConfig): DemoPlatformOptions {
  const { maxMessagesPerChat, maxMessagesSize } = config;
  return {
    ...(maxMessagesPerChat === undefined ? {} : { maxMessagesPerChat }),
    ...(maxMessagesSize === undefined ? {} : { maxMessagesSize }),
  };
}
