/**
 * The conventional OneBot connection configuration (`http`, `http_webhook`,
 * `websocket`, `websocket_rev`, `heartbeat`; checklist §1.1–1.4, §3.5) read
 * from JSON or TOML and turned into {@linkcode OneBotOptions} fields.
 *
 * @module
 */

import { parse as parseToml } from "smol-toml";
import type {
  OneBotHttpOptions,
  OneBotOptions,
  OneBotReverseWebSocketOptions,
  OneBotWebhookOptions,
  OneBotWebSocketOptions,
} from "../onebot.ts";
import { readLimited } from "../_read_limited.ts";
import { describe } from "../_text.ts";

/** The largest configuration file read, in bytes (1 MiB): a real one is a few hundred. */
const MAX_CONFIG_SIZE = 1024 * 1024;

/**
 * One address to serve `fetch` on, from an `http` or `websocket` entry.
 *
 * @example
 * ```ts
 * import type { ListenAddress } from "@libob/libob/config";
 *
 * const address: ListenAddress = { hostname: "127.0.0.1", port: 5700 };
 * ```
 */
export interface ListenAddress {
  /** The host name or IP address. */
  hostname: string;
  /** The TCP port. */
  port: number;
}

/**
 * What a configuration file yields: the connection fields of
 * {@linkcode OneBotOptions}, the addresses to listen on, and warnings about
 * values that are legal but probably in the wrong unit.
 *
 * @example
 * ```ts
 * import type { OneBotConfig } from "@libob/libob/config";
 *
 * const config: OneBotConfig = { connections: { http: false }, listen: [], warnings: [] };
 * ```
 */
export interface OneBotConfig {
  /** Spread these into {@linkcode OneBotOptions}. */
  connections: Pick<
    OneBotOptions,
    "http" | "websocket" | "httpWebhook" | "websocketReverse" | "heartbeat"
  >;
  /** The distinct `host:port` pairs of the `http` and `websocket` entries. */
  listen: ListenAddress[];
  /** Legal values that look like a unit mistake (seconds where ms are meant). */
  warnings: string[];
}

/**
 * Options of {@linkcode parseOneBotConfig} and {@linkcode loadOneBotConfig}.
 *
 * @typeParam K The names of the extra sections.
 *
 * @example
 * ```ts
 * import type { OneBotConfigOptions } from "@libob/libob/config";
 *
 * const options: OneBotConfigOptions<"matrix"> = { extra: ["matrix"] };
 * ```
 */
export interface OneBotConfigOptions<K extends string = never> {
  /**
   * Top-level sections that are not OneBot's (a bridge's own `[matrix]`
   * table): accepted and returned untouched in `extra`, unchecked. They may
   * not name a OneBot section. Default none: any other section is refused.
   */
  extra?: readonly K[];
}

/**
 * The extra sections a configuration was read with, untouched: `undefined`
 * for one the document does not have.
 *
 * @typeParam K The names of the extra sections.
 *
 * @example
 * ```ts
 * import type { ExtraSections } from "@libob/libob/config";
 *
 * const sections: ExtraSections<"matrix"> = { extra: { matrix: { homeserver: "https://example.org" } } };
 * ```
 */
export interface ExtraSections<K extends string> {
  /** Each extra section by name, as parsed (check it yourself). */
  extra: { readonly [P in K]: unknown };
}

type Json = Record<string, unknown>;

const SECTIONS: ReadonlySet<string> = new Set([
  "http",
  "http_webhook",
  "websocket",
  "websocket_rev",
  "heartbeat",
]);

/**
 * Checks a parsed configuration object and converts it. Every problem is
 * reported, one line each, in a single `TypeError`.
 *
 * Units (§9.1 item 13): `heartbeat.interval`, `reconnect_interval` and the
 * webhook `timeout` are milliseconds; intervals must be > 0; `timeout` and
 * `event_buffer_size` may be 0 (no timeout, unlimited). Several `http` or
 * `websocket` entries become several listen addresses that all serve the same
 * `fetch`; the first entry's `access_token` and options apply (docs/config.md).
 *
 * A bridge with a section of its own names it in `extra` and gets it back
 * untouched in `extra` (typed `unknown`, for its own checks).
 *
 * @typeParam K The names of the extra sections.
 * @param value The parsed JSON or TOML document.
 * @param options `extra`: sections that are not OneBot's, returned untouched.
 * @returns The converted configuration, and the extra sections.
 * @throws {TypeError} When `extra` is not an array of strings or names a
 * OneBot section; listing every problem, e.g. `websocket_rev[0].reconnect_interval must be an integer > 0 (milliseconds): current value is 0`.
 *
 * @example
 * ```ts
 * import { parseOneBotConfig } from "@libob/libob/config";
 * import { expect } from "expect";
 *
 * const config = parseOneBotConfig({
 *   heartbeat: { enabled: true, interval: 5000 },
 *   http: [{ host: "127.0.0.1", port: 5700, event_buffer_size: 100 }],
 *   websocket_rev: [{ url: "ws://127.0.0.1:8080/onebot", reconnect_interval: 3000 }],
 * });
 * expect(config.connections.heartbeat).toEqual({ interval: 5000 });
 * expect(config.listen).toEqual([{ hostname: "127.0.0.1", port: 5700 }]);
 * expect(() => parseOneBotConfig({ heartbeat: { enabled: true, interval: -1 } }))
 *   .toThrow("heartbeat.interval");
 * ```
 *
 * @example A bridge's own section next to the OneBot ones
 * ```ts
 * import { parseOneBotConfig } from "@libob/libob/config";
 * import { expect } from "expect";
 *
 * const document = { matrix: { homeserver: "https://example.org" }, http: [{ port: 5700 }] };
 * const config = parseOneBotConfig(document, { extra: ["matrix"] });
 * expect(config.extra.matrix).toEqual({ homeserver: "https://example.org" }); // unknown: check it
 * expect(() => parseOneBotConfig(document)).toThrow("matrix is not a OneBot connection section");
 * ```
 */
export function parseOneBotConfig<K extends string = never>(
  value: unknown,
  options: OneBotConfigOptions<K> = {},
): OneBotConfig & ExtraSections<K> {
  const extraNames = checkExtra(options.extra);
  const problems: string[] = [];
  const warnings: string[] = [];
  const root = record(value, "the configuration", problems) ?? {};
  const extra: Record<string, unknown> = {};
  for (const name of extraNames) extra[name] = Object.hasOwn(root, name) ? root[name] : undefined;
  for (const key of Object.keys(root)) {
    if (!SECTIONS.has(key) && !extraNames.includes(key)) {
      problems.push(`${key} is not a OneBot connection section`);
    }
  }
  const listen: ListenAddress[] = [];
  const addListen = (entry: Json, path: string) => {
    const hostname = text(entry, "host", path, problems, "127.0.0.1");
    const port = integer(entry, "port", path, problems, { min: 0, max: 65535 });
    if (hostname !== undefined && port !== undefined) {
      if (!listen.some((a) => a.hostname === hostname && a.port === port)) {
        listen.push({ hostname, port });
      }
    }
  };

  const httpEntries = list(root, "http", problems);
  let http: OneBotHttpOptions | false = false;
  httpEntries.forEach((entry, i) => {
    const path = `http[${i}]`;
    addListen(entry, path);
    const options: OneBotHttpOptions = {};
    const token = text(entry, "access_token", path, problems, "");
    if (token) options.accessToken = token;
    const enabled = bool(entry, "event_enabled", path, problems);
    if (enabled !== undefined) options.eventEnabled = enabled;
    const size = integer(entry, "event_buffer_size", path, problems, { min: 0 });
    if (size !== undefined) options.eventBufferSize = size;
    if (i === 0) http = options;
  });

  const wsEntries = list(root, "websocket", problems);
  let websocket: OneBotWebSocketOptions | false = false;
  wsEntries.forEach((entry, i) => {
    const path = `websocket[${i}]`;
    addListen(entry, path);
    const options: OneBotWebSocketOptions = {};
    const token = text(entry, "access_token", path, problems, "");
    if (token) options.accessToken = token;
    if (i === 0) websocket = options;
  });

  const httpWebhook: OneBotWebhookOptions[] = [];
  list(root, "http_webhook", problems).forEach((entry, i) => {
    const path = `http_webhook[${i}]`;
    const url = urlOf(entry, path, problems, ["http:", "https:"]);
    const options: OneBotWebhookOptions = { url: url ?? "" };
    const token = text(entry, "access_token", path, problems, "");
    if (token) options.accessToken = token;
    const timeout = integer(entry, "timeout", path, problems, { min: 0, unit: "milliseconds" });
    if (timeout !== undefined) {
      options.timeout = timeout;
      if (timeout > 0 && timeout < 100) {
        warnings.push(`${path}.timeout is ${timeout} ms: timeouts are in milliseconds`);
      }
    }
    if (url !== undefined) httpWebhook.push(options);
  });

  const websocketReverse: OneBotReverseWebSocketOptions[] = [];
  list(root, "websocket_rev", problems).forEach((entry, i) => {
    const options = parseReverse(entry, `websocket_rev[${i}]`, problems, warnings);
    if (options !== undefined) websocketReverse.push(options);
  });

  const heartbeat = parseHeartbeat(root, problems, warnings);

  if (problems.length > 0) {
    throw new TypeError(`Cannot read OneBot configuration:\n  ${problems.join("\n  ")}`);
  }
  return {
    connections: { http, websocket, httpWebhook, websocketReverse, heartbeat },
    listen,
    warnings,
    extra: extra as { readonly [P in K]: unknown },
  };
}

/** One `websocket_rev` entry; `undefined` (a problem noted) without a usable URL. */
function parseReverse(
  entry: Json,
  path: string,
  problems: string[],
  warnings: string[],
): OneBotReverseWebSocketOptions | undefined {
  const url = urlOf(entry, path, problems, ["ws:", "wss:"]);
  const options: OneBotReverseWebSocketOptions = { url: url ?? "" };
  const token = text(entry, "access_token", path, problems, "");
  if (token) options.accessToken = token;
  const interval = integer(entry, "reconnect_interval", path, problems, {
    min: 1,
    unit: "milliseconds",
  });
  if (interval !== undefined) {
    options.reconnectInterval = interval;
    if (interval < 100) {
      warnings.push(`${path}.reconnect_interval is ${interval} ms: intervals are in milliseconds`);
    }
  }
  // Not in the spec's sample config: libob's handshake timeout (WSR-05), same unit.
  const handshake = integer(entry, "handshake_timeout", path, problems, {
    min: 1,
    unit: "milliseconds",
  });
  if (handshake !== undefined) options.handshakeTimeout = handshake;
  return url === undefined ? undefined : options;
}

/** The `heartbeat` section: `false` when absent or disabled. */
function parseHeartbeat(
  root: Json,
  problems: string[],
  warnings: string[],
): { interval: number } | false {
  if (root.heartbeat === undefined) return false;
  const entry = record(root.heartbeat, "heartbeat", problems) ?? {};
  const enabled = bool(entry, "enabled", "heartbeat", problems) ?? true;
  const interval = integer(entry, "interval", "heartbeat", problems, {
    min: 1,
    unit: "milliseconds",
  });
  if (!enabled) return false;
  if (interval === undefined) {
    if (!("interval" in entry)) problems.push("heartbeat.interval is required when enabled");
    return false;
  }
  if (interval < 100) {
    warnings.push(`heartbeat.interval is ${interval} ms: intervals are in milliseconds`);
  }
  return { interval };
}

/** The `extra` option: distinct names, none of them a OneBot section. */
function checkExtra(extra: readonly string[] | undefined): readonly string[] {
  if (extra === undefined) return [];
  if (!Array.isArray(extra) || !extra.every((name) => typeof name === "string")) {
    throw new TypeError("Cannot read OneBot configuration: extra must be an array of strings");
  }
  const clash = extra.find((name) => SECTIONS.has(name));
  if (clash !== undefined) {
    throw new TypeError(
      `Cannot read OneBot configuration: extra must not name a OneBot section: current value is ${clash}`,
    );
  }
  return extra;
}

/** A configuration file's text; one past {@linkcode MAX_CONFIG_SIZE} (`/dev/zero`) is refused. */
async function readConfigText(path: string | URL, name: string): Promise<string> {
  const file = await Deno.open(path, { read: true });
  // Reading `readable` to its end, or cancelling it, closes the file.
  const read = await readLimited(file.readable, MAX_CONFIG_SIZE);
  if (!("bytes" in read)) {
    throw new TypeError(
      `Cannot read OneBot configuration ${name}: the file is larger than ${MAX_CONFIG_SIZE} bytes`,
    );
  }
  return new TextDecoder().decode(read.bytes);
}

/**
 * Reads a configuration file: `.toml` with smol-toml, anything else as JSON.
 *
 * @typeParam K The names of the extra sections.
 * @param path The file path.
 * @param options `extra`: sections that are not OneBot's, returned untouched
 * (see {@linkcode parseOneBotConfig}).
 * @returns The converted configuration, and the extra sections.
 * @throws {TypeError} On a syntax error (naming the file), a file larger than
 * 1 MiB, or any invalid value.
 *
 * @example
 * ```ts
 * import { loadOneBotConfig } from "@libob/libob/config";
 * import { expect } from "expect";
 *
 * const path = await Deno.makeTempFile({ suffix: ".toml" });
 * await Deno.writeTextFile(path, "[[websocket]]\nhost = '127.0.0.1'\nport = 6700\n");
 * const config = await loadOneBotConfig(path);
 * await Deno.remove(path);
 * expect(config.listen).toEqual([{ hostname: "127.0.0.1", port: 6700 }]);
 * ```
 */
export async function loadOneBotConfig<K extends string = never>(
  path: string | URL,
  options: OneBotConfigOptions<K> = {},
): Promise<OneBotConfig & ExtraSections<K>> {
  const name = String(path);
  const source = await readConfigText(path, name);
  let value: unknown;
  try {
    value = name.toLowerCase().endsWith(".toml") ? parseToml(source) : JSON.parse(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new TypeError(`Cannot read OneBot configuration ${name}: ${reason}`);
  }
  return parseOneBotConfig(value, options);
}

function record(value: unknown, path: string, problems: string[]): Json | undefined {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Json;
  problems.push(`${path} must be a table/object: current value is ${describe(value)}`);
  return undefined;
}

function list(root: Json, key: string, problems: string[]): Json[] {
  const value = root[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${key} must be a list of tables ([[${key}]] in TOML)`);
    return [];
  }
  return value.flatMap((entry: unknown, i): Json[] => {
    const item = record(entry, `${key}[${i}]`, problems);
    return item === undefined ? [] : [item];
  });
}

function text(
  entry: Json,
  key: string,
  path: string,
  problems: string[],
  fallback: string,
): string | undefined {
  const value = entry[key];
  if (value === undefined) return fallback;
  if (typeof value === "string") return value;
  problems.push(`${path}.${key} must be a string: current value is ${describe(value)}`);
  return undefined;
}

function bool(entry: Json, key: string, path: string, problems: string[]): boolean | undefined {
  const value = entry[key];
  if (value === undefined || typeof value === "boolean") return value;
  problems.push(`${path}.${key} must be true or false: current value is ${describe(value)}`);
  return undefined;
}

function integer(
  entry: Json,
  key: string,
  path: string,
  problems: string[],
  range: { min: number; max?: number; unit?: string },
): number | undefined {
  let value = entry[key];
  if (value === undefined) return undefined;
  if (typeof value === "bigint") value = Number(value); // smol-toml gives bigints past 2^53
  const bounds = range.max === undefined ? `>= ${range.min}` : `${range.min}..${range.max}`;
  const unit = range.unit ? ` (${range.unit})` : "";
  if (
    typeof value !== "number" || !Number.isSafeInteger(value) || value < range.min ||
    (range.max !== undefined && value > range.max)
  ) {
    const what = range.min === 1 && range.max === undefined ? "> 0" : bounds;
    problems.push(
      `${path}.${key} must be an integer ${what}${unit}: current value is ${describe(value)}`,
    );
    return undefined;
  }
  return value;
}

function urlOf(
  entry: Json,
  path: string,
  problems: string[],
  schemes: readonly string[],
): string | undefined {
  const value = entry.url;
  if (typeof value !== "string" || !URL.canParse(value)) {
    problems.push(`${path}.url must be a URL: current value is ${describe(value)}`);
    return undefined;
  }
  const { protocol } = new URL(value);
  if (!schemes.includes(protocol)) {
    problems.push(`${path}.url must use ${schemes.join(" or ")}: current value is ${value}`);
    return undefined;
  }
  return value;
}
