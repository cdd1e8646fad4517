/**
 * Forward WebSocket (checklist §1.3). STUB: to be implemented.
 *
 * @module
 */

import type { ActionRouter } from "../action/types.ts";
import type { RequestHandler } from "./http.ts";
import type { EventSink, Greeting } from "./types.ts";

/**
 * Options of {@linkcode createWebSocketHandler}.
 *
 * @example
 * ```ts
 * import type { WebSocketHandlerOptions } from "@libob/libob";
 *
 * const options: WebSocketHandlerOptions = { accessToken: "s3cret" };
 * ```
 */
export interface WebSocketHandlerOptions {
  /** The access token; empty or unset disables auth (WS-02). */
  accessToken?: string;
  /** The frames each new connection starts with (META-C2, META-S1). */
  greeting?: Greeting;
}

/**
 * The forward WebSocket server: an upgrade handler plus an event sink.
 *
 * @example
 * ```ts
 * import type { WebSocketHandler } from "@libob/libob";
 *
 * const count = (handler: WebSocketHandler) => handler.connections;
 * ```
 */
export interface WebSocketHandler extends EventSink {
  /** Answers a `GET /` upgrade request (401 before upgrading when auth fails). */
  fetch: RequestHandler;
  /** How many sockets are open. */
  readonly connections: number;
}

/**
 * Whether a request asks for a WebSocket upgrade.
 *
 * @param request The request.
 * @returns `true` when its `Upgrade` header names `websocket`.
 *
 * @example
 * ```ts
 * import { isWebSocketUpgrade } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isWebSocketUpgrade(new Request("http://localhost/"))).toBe(false);
 * ```
 */
export function isWebSocketUpgrade(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}

/**
 * Creates the forward WebSocket server.
 *
 * @param _router The action router.
 * @param _options Token and greeting.
 * @returns The handler.
 *
 * @example
 * ```ts
 * import { createActionRouter, createWebSocketHandler } from "@libob/libob";
 *
 * await using ws = createWebSocketHandler(createActionRouter({ handlers: {}, bots: () => [] }));
 * ```
 */
export function createWebSocketHandler(
  _router: ActionRouter,
  _options: WebSocketHandlerOptions = {},
): WebSocketHandler {
  return {
    fetch: () => Promise.resolve(new Response("Not Implemented", { status: 501 })),
    connections: 0,
    emit() {},
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}
