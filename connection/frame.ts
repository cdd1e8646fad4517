/**
 * Frame taps: a read-only view of every OneBot frame a connection receives
 * or sends, for logs, debuggers (the demo's playground) and test recorders.
 *
 * @module
 */

import type { Log } from "../_log.ts";
import type { ConnectionKind } from "../action/types.ts";
import type { Encoding } from "./codec.ts";
import { createFailureLog } from "./_failure_log.ts";

/**
 * One OneBot frame as a tap sees it, after decoding (`in`) or before
 * encoding (`out`). Plain data; the tap must not change `data`.
 *
 * - `in` + `action`: an action request from the application, as received
 *   (not yet validated). A frame that cannot be decoded is not tapped; its
 *   10001 answer is.
 * - `out` + `response`: the answer to an action. For the actions a webhook
 *   reply carries (WH-10), the answer has no way back to the application:
 *   the tap sees it all the same.
 * - `out` + `event`: an event pushed to this connection (WebSocket frames,
 *   webhook posts). Events kept for `get_latest_events` reach the tap inside
 *   that action's response.
 * - `in` + `delivery`: how a webhook post ended, after its `out` + `event`:
 *   `data` is `{ event_id, status }` with the HTTP status of the reply (204
 *   and 200 are deliveries, anything else a refusal), or
 *   `{ event_id, error }` when no reply came (network error, timeout).
 *
 * @example
 * ```ts
 * import type { Frame } from "@libob/libob";
 *
 * const frame: Frame = {
 *   direction: "in",
 *   type: "action",
 *   connection: "websocket",
 *   peer: "127.0.0.1:53422",
 *   encoding: "json",
 *   data: { action: "get_version", params: {} },
 * };
 * ```
 */
export interface Frame {
  /** `in`: received from the application; `out`: sent to it. */
  readonly direction: "in" | "out";
  /** What the frame holds; `delivery` only on webhooks. */
  readonly type: "action" | "response" | "event" | "delivery";
  /** The OneBot Connect method it went through. */
  readonly connection: Exclude<ConnectionKind, "local">;
  /**
   * Which connection of that kind: the remote address (`host:port`) for HTTP
   * and forward WebSocket, the URL (query removed: it may hold the token)
   * for webhooks and reverse WebSockets.
   */
  readonly peer: string;
  /** How it is encoded on the wire. */
  readonly encoding: Encoding;
  /** The decoded frame. */
  readonly data: unknown;
}

/**
 * Receives every frame (option `tap` of `createOneBot` and of each
 * transport). It runs synchronously on the connection's path, so it must be
 * quick and must not throw; a tap that throws is logged and ignored.
 *
 * @example Counting actions
 * ```ts
 * import type { FrameTap } from "@libob/libob";
 *
 * let actions = 0;
 * const tap: FrameTap = (frame) => {
 *   if (frame.type === "action") actions++;
 * };
 * ```
 */
export type FrameTap = (frame: Frame) => void;

/** A peer label for a remote address of `Deno.serve`. */
export function addrPeer(info: Deno.ServeHandlerInfo | undefined): string {
  const addr = info?.remoteAddr;
  if (addr === undefined) return "local";
  if (addr.transport === "tcp" || addr.transport === "udp") {
    return addr.hostname.includes(":")
      ? `[${addr.hostname}]:${addr.port}`
      : `${addr.hostname}:${addr.port}`;
  }
  return addr.transport;
}

/** Checks a `tap` option: a function or `undefined`. */
export function checkTap(where: string, tap: unknown): FrameTap | undefined {
  if (tap === undefined || typeof tap === "function") return tap as FrameTap | undefined;
  throw new TypeError(`Cannot ${where}: tap must be a function: current value is ${typeof tap}`);
}

/**
 * Checks a `tap` option and wraps it so that a throwing tap (or one whose
 * promise rejects) is logged, never breaking the connection it watches. The
 * failures are logged once per burst: the first at once, then at most one
 * line a minute with a count. Each transport wraps once, under its connection
 * kind as `name`; `createOneBot` only checks and passes the tap on.
 */
export function guardTap(
  where: string,
  tap: unknown,
  log: Log,
  name: Frame["connection"],
): FrameTap | undefined {
  const checked = checkTap(where, tap);
  if (checked === undefined) return undefined;
  const failures = createFailureLog<Frame>({
    log,
    label: "The frame tap of {name}",
    name,
    detail: (frame) => ({ direction: frame.direction, type: frame.type, peer: frame.peer }),
  });
  return function guarded(frame: Frame): void {
    failures.call(checked, frame);
  };
}
