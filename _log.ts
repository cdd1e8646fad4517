/**
 * The only file that imports logtape. libob never configures logging: the
 * application does (logtape's library rules).
 *
 * @module
 */

import { getLogger } from "@logtape/logtape";

/** Areas libob logs under, as `["libob", area]` categories. */
type Area =
  | "router"
  | "http"
  | "websocket"
  | "websocket_reverse"
  | "webhook"
  | "onebot"
  | "heartbeat"
  | "file";

/** The subset of a logtape logger libob uses; keeps logtape types private. */
export interface Log {
  debug(message: string, properties?: Record<string, unknown>): void;
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

/** The logger for one area of libob. */
export function logger(area: Area): Log {
  return getLogger(["libob", area]);
}

/** Replaces an `access_token` query parameter so that no log line carries it. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, "$1[REDACTED]");
}
