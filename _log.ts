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

/**
 * A URL, or any text quoting one, as a log line may show it: every
 * `access_token` query parameter and, of a `URL`, a `user:password@`
 * password replaced by `[REDACTED]`.
 */
export function redactUrl(url: string | URL): string {
  let text = url;
  if (typeof url !== "string") {
    const shown = new URL(url.href);
    if (shown.password !== "") shown.password = "[REDACTED]"; // user:password@ is Basic auth
    text = shown.href;
  }
  return (text as string).replace(/([?&]access_token=)[^&#]*/gi, "$1[REDACTED]");
}

/**
 * A URL as a peer label (taps, fan-out names): no query, fragment or
 * credentials, which may hold the access token.
 */
export function urlPeer(url: string | URL): string {
  const shown = new URL(url);
  shown.search = "";
  shown.hash = "";
  shown.username = "";
  shown.password = "";
  return shown.href;
}
