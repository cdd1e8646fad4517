/**
 * The only file of the bridge that imports logtape, under the categories
 * `["libob", "matrix", area]`. The bridge never configures logging, except
 * its `deno task matrix` entry point.
 *
 * @module
 */

import { getLogger } from "@logtape/logtape";

/** Areas the bridge logs under. */
type Area = "sync" | "actions" | "main";

/** The subset of a logtape logger the bridge uses. */
export interface Log {
  debug(message: string, properties?: Record<string, unknown>): void;
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

/** The logger for one area of the bridge. */
export function logger(area: Area): Log {
  return getLogger(["libob", "matrix", area]);
}
