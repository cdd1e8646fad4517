/**
 * Reverse WebSocket (checklist §1.4). STUB: to be implemented.
 *
 * @module
 */

import type { ActionRouter } from "../action/types.ts";
import type { EventSink, Greeting } from "./types.ts";

/**
 * Options of {@linkcode connectReverseWebSocket}.
 *
 * @example
 * ```ts
 * import type { ReverseWebSocketOptions } from "@libob/libob";
 *
 * const options: ReverseWebSocketOptions = { url: "ws://127.0.0.1:8765/", impl: "demo" };
 * ```
 */
export interface ReverseWebSocketOptions {
  /** The application's WebSocket URL. */
  url: string;
  /** The implementation name, sent as subprotocol `12.<impl>` (WSR-03). */
  impl: string;
  /** The access token, sent as `Authorization: Bearer …` (WSR-04). */
  accessToken?: string;
  /** Milliseconds between reconnect attempts, > 0. Default 5000 (WSR-05). */
  reconnectInterval?: number;
  /** The frames each new connection starts with (WSR-06). */
  greeting?: Greeting;
}

/**
 * Connects to an application's WebSocket server and keeps reconnecting.
 *
 * @param _router The action router.
 * @param options URL, impl, token, interval and greeting.
 * @returns The event sink; dispose it to stop the loop.
 *
 * @example
 * ```ts
 * import type { connectReverseWebSocket } from "@libob/libob";
 * ```
 */
export function connectReverseWebSocket(
  _router: ActionRouter,
  options: ReverseWebSocketOptions,
): EventSink {
  void options;
  return { emit() {}, [Symbol.asyncDispose]: () => Promise.resolve() };
}
