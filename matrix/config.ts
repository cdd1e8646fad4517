/**
 * The bridge's configuration file: a `[matrix]` table (homeserver and
 * credentials) next to libob's usual OneBot connection sections.
 *
 * @module
 */

import { type OneBotConfig, parseOneBotConfig } from "@libob/libob/config";
import { parse as parseToml } from "smol-toml";
import { checkHomeserver, type MatrixCredentials } from "./client.ts";

/**
 * The `[matrix]` table, checked.
 *
 * @example
 * ```ts
 * import type { MatrixConfig } from "@libob/matrix";
 *
 * const matrix: MatrixConfig = {
 *   homeserver: "https://matrix.example.org",
 *   credentials: { accessToken: "syt_…" },
 *   statePath: "matrix-state.json",
 *   autoJoin: true,
 *   syncTimeout: 30_000,
 * };
 * ```
 */
export interface MatrixConfig {
  /** The homeserver's base URL. */
  homeserver: string;
  /** A user and password, or an access token. */
  credentials: MatrixCredentials;
  /** The state file (`since`), resolved against the configuration file's directory. */
  statePath: string;
  /** Join rooms on invite. */
  autoJoin: boolean;
  /** The `/sync` long-poll timeout, ms. */
  syncTimeout: number;
}

/**
 * The whole configuration: Matrix, and the OneBot connections.
 *
 * @example
 * ```ts
 * import type { MatrixBridgeConfig } from "@libob/matrix";
 *
 * const listen = (config: MatrixBridgeConfig) => config.onebot.listen;
 * ```
 */
export interface MatrixBridgeConfig {
  /** The `[matrix]` table. */
  matrix: MatrixConfig;
  /** The OneBot connections and listen addresses (libob's `parseOneBotConfig`). */
  onebot: OneBotConfig;
}

/** Variables that override the file's secrets, so that they need not be written in it. */
const ENV = { password: "MATRIX_PASSWORD", accessToken: "MATRIX_ACCESS_TOKEN" } as const;

/**
 * Checks a parsed configuration. Every problem is reported at once, one a
 * line, in a `TypeError`. `MATRIX_PASSWORD` and `MATRIX_ACCESS_TOKEN` in
 * `env` take the place of `password` and `access_token`.
 *
 * @param value The parsed TOML (or JSON) document.
 * @param base The directory a relative `state_file` is resolved against.
 * @param env The environment (secrets).
 * @returns The configuration.
 * @throws {TypeError} Listing every problem, e.g. `matrix.homeserver is required`.
 *
 * @example
 * ```ts
 * import { parseMatrixConfig } from "@libob/matrix";
 * import { expect } from "expect";
 *
 * const config = parseMatrixConfig({
 *   matrix: { homeserver: "http://127.0.0.1:8008", user: "bot", password: "secret" },
 *   http: [{ host: "127.0.0.1", port: 5700 }],
 * }, "/srv/bridge");
 * expect(config.matrix.statePath).toBe("/srv/bridge/matrix-state.json");
 * expect(config.onebot.listen).toEqual([{ hostname: "127.0.0.1", port: 5700 }]);
 * ```
 */
export function parseMatrixConfig(
  value: unknown,
  base: string,
  env: Record<string, string | undefined> = {},
): MatrixBridgeConfig {
  const problems: string[] = [];
  const root = typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : (problems.push("the configuration must be a table"), {});
  let onebot: OneBotConfig | undefined;
  let table: unknown = root.matrix; // still checked when the OneBot sections are not
  try {
    const { extra, ...connections } = parseOneBotConfig(root, { extra: ["matrix"] });
    table = extra.matrix;
    onebot = connections;
  } catch (error) {
    problems.push((error as Error).message);
  }
  const section = typeof table === "object" && table !== null && !Array.isArray(table)
    ? table as Record<string, unknown>
    : (problems.push("[matrix] is required"), {});
  const known = [
    "homeserver",
    "user",
    "password",
    "access_token",
    "state_file",
    "auto_join",
    "sync_timeout",
  ];
  for (const key of Object.keys(section)) {
    if (!known.includes(key)) problems.push(`matrix.${key} is not a known key`);
  }
  const string = (key: string): string | undefined => {
    const found = section[key];
    if (found === undefined || found === "") return undefined;
    if (typeof found !== "string") problems.push(`matrix.${key} must be a string`);
    return typeof found === "string" ? found : undefined;
  };
  let homeserver = "";
  const url = string("homeserver");
  if (url === undefined) problems.push("matrix.homeserver is required");
  else {
    try {
      homeserver = checkHomeserver(url, "read the configuration");
    } catch (error) {
      problems.push(`matrix.homeserver: ${(error as Error).message}`);
    }
  }
  const accessToken = env[ENV.accessToken] || string("access_token");
  const user = string("user");
  const password = env[ENV.password] || string("password");
  let credentials: MatrixCredentials = { accessToken: "" };
  if (accessToken !== undefined) credentials = { accessToken };
  else if (user !== undefined && password !== undefined) credentials = { user, password };
  else {
    problems.push(
      `matrix: give access_token (or ${ENV.accessToken}), or user and password (or ${ENV.password})`,
    );
  }
  const state = string("state_file") ?? "matrix-state.json";
  const statePath = state.startsWith("/") ? state : `${base.replace(/\/+$/, "")}/${state}`;
  const autoJoin = section.auto_join ?? true;
  if (typeof autoJoin !== "boolean") problems.push("matrix.auto_join must be a boolean");
  const syncTimeout = section.sync_timeout ?? 30_000;
  if (!Number.isInteger(syncTimeout) || (syncTimeout as number) < 0) {
    problems.push(
      `matrix.sync_timeout must be an integer >= 0 (milliseconds): current value is ${syncTimeout}`,
    );
  }
  if (problems.length > 0 || onebot === undefined) {
    throw new TypeError(`Invalid Matrix bridge configuration:\n${problems.join("\n")}`);
  }
  return {
    matrix: {
      homeserver,
      credentials,
      statePath,
      autoJoin: autoJoin as boolean,
      syncTimeout: syncTimeout as number,
    },
    onebot,
  };
}

/**
 * Reads and checks a TOML configuration file.
 *
 * @param path The file.
 * @param env The environment, for the secrets (default `Deno.env`).
 * @returns The configuration.
 * @throws {TypeError} When the file is not valid TOML or a value is wrong.
 *
 * @example
 * ```ts ignore
 * import { loadMatrixConfig } from "@libob/matrix";
 *
 * const config = await loadMatrixConfig("matrix.toml");
 * ```
 */
export async function loadMatrixConfig(
  path: string,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Promise<MatrixBridgeConfig> {
  const text = await Deno.readTextFile(path);
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (error) {
    throw new TypeError(`${path} is not valid TOML: ${(error as Error).message}`);
  }
  const slash = path.lastIndexOf("/");
  const base = slash < 0 ? Deno.cwd() : slash === 0 ? "/" : path.slice(0, slash);
  return parseMatrixConfig(value, base.startsWith("/") ? base : `${Deno.cwd()}/${base}`, env);
}
