/**
 * The demo's configuration from environment variables. The listening
 * address is not here: `deno serve` owns it (`--host`/`--port`, or
 * `DENO_SERVE_ADDRESS=tcp:HOST:PORT`).
 *
 * @module
 */

import { hasControlCharacter } from "../_text.ts";
import { loadOneBotConfig } from "../config/mod.ts";
import { checkOrigins } from "../_origin.ts";
import type { OneBotOptions } from "../mod.ts";
import { DEMO_LOG_LEVELS, type DemoLogLevel } from "./log.ts";
import type { DemoPlatformOptions } from "./platform.ts";

/**
 * The connection options of `createOneBot` that the environment sets.
 *
 * @example
 * ```ts
 * import type { DemoConfig } from "./config.ts";
 *
 * const config: DemoConfig = { accessToken: "s3cret", heartbeat: { interval: 5000 } };
 * ```
 */
export type DemoConfig =
  & Pick<
    OneBotOptions,
    | "accessToken"
    | "allowedOrigins"
    | "heartbeat"
    | "http"
    | "websocket"
    | "httpWebhook"
    | "websocketReverse"
    | "compat"
  >
  & Pick<DemoPlatformOptions, "maxMessagesPerChat" | "maxMessagesSize">
  & {
    /** Serve the playground web page under `/playground/`. Default `true`. */
    playground?: boolean;
    /** The lowest level of libob's log lines on the console. Default `info`. */
    logLevel?: DemoLogLevel;
  };

/**
 * The environment variables the demo reads, each with what it means. An
 * unset or empty variable takes the default.
 *
 * @example
 * ```ts
 * import { DEMO_ENV } from "./config.ts";
 * import { expect } from "expect";
 *
 * expect(Object.keys(DEMO_ENV)).toContain("ONEBOT_ACCESS_TOKEN");
 * ```
 */
export const DEMO_ENV = {
  /** The access token of every connection; unset or empty: no authentication. */
  ONEBOT_ACCESS_TOKEN: "access token of every connection (empty: none)",
  /** Comma-separated origins whose web pages may use OneBot and the playground socket. */
  ONEBOT_ALLOWED_ORIGINS:
    "comma-separated origins (https://host:port, null or *) whose pages may drive the bot (default none)",
  /** Heartbeat interval in ms on every push connection; 0 or unset: no heartbeat. */
  ONEBOT_HEARTBEAT_INTERVAL: "heartbeat interval in ms (0: off; default off)",
  /** Comma-separated `http(s)://` URLs to POST events to. */
  ONEBOT_WEBHOOK_URL: "comma-separated http(s) URLs of webhooks",
  /** Comma-separated `ws(s)://` URLs of applications to connect to. */
  ONEBOT_WS_REVERSE_URL: "comma-separated ws(s) URLs of reverse WebSocket servers",
  /** Webhook request timeout in ms; 0: none. Default 5000. */
  ONEBOT_WEBHOOK_TIMEOUT: "webhook timeout in ms (0: none; default 5000)",
  /** Reverse WebSocket reconnect interval in ms, > 0. Default 5000. */
  ONEBOT_RECONNECT_INTERVAL: "reverse WebSocket reconnect interval in ms (> 0; default 5000)",
  /** Unread events kept for `get_latest_events`; 0: unlimited. Default 1000. */
  ONEBOT_EVENT_BUFFER_SIZE: "events kept for get_latest_events (0: unlimited; default 1000)",
  /** A OneBot connection configuration file (TOML or JSON); variables override it. */
  ONEBOT_CONFIG: "path of a OneBot TOML/JSON configuration file (variables override it)",
  /** `1`/`true`: meta events carry the bot's `self` (`compat.metaSelf`). Default off. */
  ONEBOT_COMPAT_META_SELF: "1 or true: meta events carry the bot's self (default off)",
  /** `1`/`true`: a number, boolean or null `echo` is answered with itself (`compat.nonStringEcho`). */
  ONEBOT_COMPAT_NON_STRING_ECHO:
    "1 or true: answer a number, boolean or null echo with itself, not 10001 (default off)",
  /** `1`/`true`: params sent as `null` count as absent (`compat.nullParams`). Default off. */
  ONEBOT_COMPAT_NULL_PARAMS: "1 or true: params sent as null count as absent (default off)",
  /** Comma-separated subprotocols the reverse WebSockets offer. Default `12.libob-demo`. */
  ONEBOT_WS_REVERSE_SUBPROTOCOLS:
    "comma-separated reverse WebSocket subprotocols (default 12.libob-demo; alemonjs: 12)",
  /** `0`/`false`: no playground web page under `/playground/`. Default on. */
  ONEBOT_PLAYGROUND: "0 or false: do not serve the playground page at /playground/ (default on)",
  /** The lowest level of the console's log lines: `debug`, `info`, `warning` or `error`. */
  ONEBOT_LOG_LEVEL: "console log level: debug, info, warning or error (default info)",
  /** Messages the demo platform keeps per chat, > 0; the oldest go first. Default 1000. */
  ONEBOT_DEMO_MAX_MESSAGES: "messages kept per chat, oldest dropped (> 0; default 1000)",
  /** Bytes of messages the demo platform keeps in all, > 0; the oldest go first. Default 32 MiB. */
  ONEBOT_DEMO_MAX_MESSAGES_SIZE:
    "estimated bytes of messages kept in all, oldest dropped (> 0; default 33554432)",
} as const;

/**
 * Reads the demo's configuration from an environment record (pass
 * `Deno.env.toObject()`). Unset and empty variables take the defaults;
 * surrounding white space is trimmed from numbers, flags, URLs and
 * subprotocols, and empty items of the lists are skipped.
 *
 * @param env The environment.
 * @returns The connection options for `createOneBot`.
 * @throws {TypeError} When a value has the wrong form (not an integer, not a
 * URL, an `http` URL where `ws` is needed or the reverse, a token with
 * surrounding white space, a flag other than `1`/`0`/`true`/`false`, a
 * subprotocol that is not a token); the message starts with the variable's
 * name.
 * @throws {RangeError} When a number is out of range (negative, or a zero
 * reconnect interval); the message starts with the variable's name.
 *
 * @example
 * ```ts
 * import { parseDemoEnv } from "./config.ts";
 * import { expect } from "expect";
 *
 * expect(parseDemoEnv({
 *   ONEBOT_ACCESS_TOKEN: "t",
 *   ONEBOT_HEARTBEAT_INTERVAL: "5000",
 *   ONEBOT_WEBHOOK_URL: "http://127.0.0.1:9000/",
 * })).toEqual({
 *   accessToken: "t",
 *   heartbeat: { interval: 5000 },
 *   httpWebhook: [{ url: "http://127.0.0.1:9000/" }],
 * });
 * expect(() => parseDemoEnv({ ONEBOT_HEARTBEAT_INTERVAL: "-1" }))
 *   .toThrow("ONEBOT_HEARTBEAT_INTERVAL must be an integer >= 0");
 * // What alemonjs' OneBot 12 adapter needs in reverse mode:
 * expect(parseDemoEnv({
 *   ONEBOT_WS_REVERSE_URL: "ws://127.0.0.1:17158/",
 *   ONEBOT_WS_REVERSE_SUBPROTOCOLS: "12, 12.libob-demo",
 *   ONEBOT_COMPAT_META_SELF: "1",
 * })).toEqual({
 *   websocketReverse: [{ url: "ws://127.0.0.1:17158/", subprotocols: ["12", "12.libob-demo"] }],
 *   compat: { metaSelf: true },
 * });
 * ```
 */
export function parseDemoEnv(env: Readonly<Record<string, string | undefined>>): DemoConfig {
  const config: DemoConfig = {};
  const token = env.ONEBOT_ACCESS_TOKEN ?? "";
  if (token !== "") {
    if (token.trim() !== token || hasControlCharacter(token)) {
      throw new TypeError(
        "ONEBOT_ACCESS_TOKEN must not have surrounding white space or control characters",
      );
    }
    config.accessToken = token;
  }
  const allowedOrigins = origins(env, "ONEBOT_ALLOWED_ORIGINS");
  if (allowedOrigins.length > 0) config.allowedOrigins = allowedOrigins;
  const heartbeat = integer(env, "ONEBOT_HEARTBEAT_INTERVAL", 0);
  if (heartbeat !== undefined && heartbeat > 0) config.heartbeat = { interval: heartbeat };
  const bufferSize = integer(env, "ONEBOT_EVENT_BUFFER_SIZE", 0);
  if (bufferSize !== undefined) config.http = { eventBufferSize: bufferSize };

  const timeout = integer(env, "ONEBOT_WEBHOOK_TIMEOUT", 0);
  const webhooks = urls(env, "ONEBOT_WEBHOOK_URL", ["http:", "https:"]);
  if (webhooks.length > 0) {
    config.httpWebhook = webhooks.map((url) => timeout === undefined ? { url } : { url, timeout });
  }
  const reconnectInterval = integer(env, "ONEBOT_RECONNECT_INTERVAL", 1);
  const subprotocols = tokens(env, "ONEBOT_WS_REVERSE_SUBPROTOCOLS");
  const reverse = urls(env, "ONEBOT_WS_REVERSE_URL", ["ws:", "wss:"]);
  if (reverse.length > 0) {
    config.websocketReverse = reverse.map((url) => ({
      url,
      ...(reconnectInterval === undefined ? {} : { reconnectInterval }),
      ...(subprotocols.length === 0 ? {} : { subprotocols }),
    }));
  }
  const compat: NonNullable<DemoConfig["compat"]> = {};
  if (flag(env, "ONEBOT_COMPAT_META_SELF")) compat.metaSelf = true;
  if (flag(env, "ONEBOT_COMPAT_NON_STRING_ECHO")) compat.nonStringEcho = true;
  if (flag(env, "ONEBOT_COMPAT_NULL_PARAMS")) compat.nullParams = true;
  if (Object.keys(compat).length > 0) config.compat = compat;
  if ((env.ONEBOT_PLAYGROUND ?? "").trim() !== "" && !flag(env, "ONEBOT_PLAYGROUND")) {
    config.playground = false;
  }
  const logLevel = (env.ONEBOT_LOG_LEVEL ?? "").trim().toLowerCase();
  if (logLevel !== "") {
    if (!(DEMO_LOG_LEVELS as readonly string[]).includes(logLevel)) {
      throw new TypeError(
        `ONEBOT_LOG_LEVEL must be debug, info, warning or error: current value is ${
          JSON.stringify(env.ONEBOT_LOG_LEVEL)
        }`,
      );
    }
    config.logLevel = logLevel as DemoLogLevel;
  }
  const maxMessagesPerChat = integer(env, "ONEBOT_DEMO_MAX_MESSAGES", 1);
  if (maxMessagesPerChat !== undefined) config.maxMessagesPerChat = maxMessagesPerChat;
  const maxMessagesSize = integer(env, "ONEBOT_DEMO_MAX_MESSAGES_SIZE", 1);
  if (maxMessagesSize !== undefined) config.maxMessagesSize = maxMessagesSize;
  return config;
}

// A Map: a value such as `constructor` must not find Object.prototype's function.
const FLAGS: ReadonlyMap<string, boolean> = new Map([
  ["1", true],
  ["true", true],
  ["0", false],
  ["false", false],
]);
const TOKEN_REGEXP = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `1`/`true` or `0`/`false` (any case); unset or empty: `false`. */
function flag(
  env: Readonly<Record<string, string | undefined>>,
  name: keyof typeof DEMO_ENV,
): boolean {
  const raw = (env[name] ?? "").trim();
  const value = raw === "" ? false : FLAGS.get(raw.toLowerCase());
  if (value === undefined) {
    throw new TypeError(
      `${name} must be 1, 0, true or false: current value is ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** The comma-separated tokens of a variable, without repeats. */
function tokens(
  env: Readonly<Record<string, string | undefined>>,
  name: keyof typeof DEMO_ENV,
): string[] {
  const items = (env[name] ?? "").split(",").map((item) => item.trim()).filter((item) => item);
  for (const item of items) {
    if (!TOKEN_REGEXP.test(item)) {
      throw new TypeError(
        `${name} must be a comma-separated list of tokens: ${JSON.stringify(item)} is not a token`,
      );
    }
  }
  return [...new Set(items)];
}

const INTEGER_REGEXP = /^[-+]?\d+$/;

/** A decimal integer >= `min`, or `undefined` when the variable is unset or empty. */
function integer(
  env: Readonly<Record<string, string | undefined>>,
  name: keyof typeof DEMO_ENV,
  min: number,
): number | undefined {
  const raw = (env[name] ?? "").trim();
  if (raw === "") return undefined;
  const value = Number(raw);
  if (!INTEGER_REGEXP.test(raw) || !Number.isSafeInteger(value)) {
    throw new TypeError(
      `${name} must be an integer ${bound(min)}: current value is ${JSON.stringify(raw)}`,
    );
  }
  if (value < min) {
    throw new RangeError(
      `${name} must be an integer ${bound(min)}: current value is ${value}`,
    );
  }
  return value;
}

/** The comma-separated URLs of a variable, each with one of `protocols`. */
function urls(
  env: Readonly<Record<string, string | undefined>>,
  name: keyof typeof DEMO_ENV,
  protocols: readonly string[],
): string[] {
  const items = (env[name] ?? "").split(",").map((item) => item.trim()).filter((item) => item);
  const expected = protocols.map((protocol) => `${protocol}//`).join(" or ");
  return items.map((item) => {
    if (!URL.canParse(item)) {
      throw new TypeError(
        `${name} must be a comma-separated list of ${expected} URLs: ${
          JSON.stringify(item)
        } is not a URL`,
      );
    }
    const url = new URL(item);
    if (!protocols.includes(url.protocol)) {
      throw new TypeError(
        `${name} must be a comma-separated list of ${expected} URLs: ${
          JSON.stringify(item)
        } has the scheme ${url.protocol}`,
      );
    }
    return item;
  });
}

/** The comma-separated web origins of a variable (`https://host:port`, `null` or `*`). */
function origins(
  env: Readonly<Record<string, string | undefined>>,
  name: keyof typeof DEMO_ENV,
): string[] {
  const items = (env[name] ?? "").split(",").map((item) => item.trim()).filter((item) => item);
  try {
    return [...checkOrigins(name, items)];
  } catch {
    throw new TypeError(
      `${name} must be a comma-separated list of origins like https://example.com, null or *: current value is ${
        JSON.stringify(env[name])
      }`,
    );
  }
}

function bound(min: number): string {
  return min === 1 ? "> 0" : `>= ${min}`;
}

/**
 * The demo's whole configuration: the OneBot configuration file named by
 * `ONEBOT_CONFIG` (TOML or JSON, see `config/`), if any, with the `ONEBOT_*`
 * variables on top: a variable that is set overrides the same setting of
 * the file. The file's `host`/`port` are not used: `deno serve` owns the
 * address, and HTTP and the forward WebSocket stay on it.
 *
 * @param env The environment, e.g. `Deno.env.toObject()`.
 * @returns The connection options.
 * @throws {TypeError} Naming `ONEBOT_CONFIG` when the file cannot be read or is invalid.
 *
 * @example
 * ```ts
 * import { loadDemoConfig } from "./config.ts";
 * import { expect } from "expect";
 *
 * const path = await Deno.makeTempFile({ suffix: ".toml" });
 * await Deno.writeTextFile(path, "[heartbeat]\ninterval = 4000\n");
 * const config = await loadDemoConfig({ ONEBOT_CONFIG: path });
 * await Deno.remove(path);
 * expect(config.heartbeat).toEqual({ interval: 4000 });
 * ```
 */
export async function loadDemoConfig(
  env: Readonly<Record<string, string | undefined>>,
): Promise<DemoConfig> {
  const fromEnv = parseDemoEnv(env);
  const path = env.ONEBOT_CONFIG?.trim() ?? "";
  if (path === "") return fromEnv;
  let file;
  try {
    file = await loadOneBotConfig(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`ONEBOT_CONFIG ${path}: ${reason.replaceAll("\n", " ")}`);
  }
  const { http, websocket, httpWebhook, websocketReverse, heartbeat } = file.connections;
  const fromFile: DemoConfig = {};
  if (http) fromFile.http = http;
  if (websocket) fromFile.websocket = websocket;
  if (httpWebhook && httpWebhook.length > 0) fromFile.httpWebhook = httpWebhook;
  if (websocketReverse && websocketReverse.length > 0) fromFile.websocketReverse = websocketReverse;
  if (heartbeat) fromFile.heartbeat = heartbeat;
  return { ...fromFile, ...fromEnv };
}
