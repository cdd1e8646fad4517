/**
 * The built-in meta actions (checklist §3.2, §3.3, META-00, META-01).
 *
 * @module
 */

import type { StatusData, VersionData } from "../event/types.ts";
import { mergeHandlers } from "./compose.ts";
import { GET_LATEST_EVENTS } from "./latest_events.ts";
import { ok } from "./result.ts";
import type { AnyActionHandlers } from "./types.ts";

/**
 * What the meta actions report.
 *
 * @example
 * ```ts
 * import type { MetaInfo } from "@libob/libob";
 *
 * const info: MetaInfo = {
 *   version: { impl: "demo", version: "1.0.0", onebot_version: "12" },
 *   status: () => ({ good: true, bots: [] }),
 * };
 * ```
 */
export interface MetaInfo {
  /** The `get_version` data; `meta.connect` carries the same (§3.4). */
  version: VersionData;
  /** The current `get_status` data. */
  status: () => StatusData;
}

/**
 * Adds `get_version`, `get_status` and `get_supported_actions` to a handler
 * record. They replace handlers of the same names, so that `get_version`
 * always equals `meta.connect.version`. `get_supported_actions` is computed
 * from the final record's keys, so it cannot drift (META-01); it leaves out
 * `get_latest_events`, which only HTTP serves.
 *
 * @param handlers The implementation's handlers.
 * @param info The version and a status reader.
 * @returns The merged record.
 *
 * @example
 * ```ts
 * import { createActionRouter, ok, withMetaActions } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const handlers = withMetaActions({ ping: () => ok("pong") }, {
 *   version: { impl: "demo", version: "1.0.0", onebot_version: "12" },
 *   status: () => ({ good: true, bots: [] }),
 * });
 * const router = createActionRouter({ handlers, bots: () => [] });
 * const response = await router({ action: "get_supported_actions", params: {} }, {
 *   connection: "http",
 * });
 * expect(response.data).toEqual(["ping", "get_version", "get_status", "get_supported_actions"]);
 * ```
 */
export function withMetaActions(handlers: AnyActionHandlers, info: MetaInfo): AnyActionHandlers {
  const version: VersionData = { ...info.version };
  let supported: string[] = [];
  const merged = mergeHandlers(handlers, {
    get_version: () => ok({ ...version }),
    get_status: () => ok(info.status()),
    get_supported_actions: () => ok([...supported]),
  });
  supported = Object.keys(merged).filter((action) => action !== GET_LATEST_EVENTS);
  return merged;
}
