/**
 * OneBot Connect, piece by piece: the HTTP handler, the forward and reverse
 * WebSocket, the webhook emitter, heartbeats, access tokens and the two
 * encodings. `createOneBot` composes them all; use these to build your own
 * composition. Each handler is a Web-standard `Request → Response` function.
 *
 * ```ts
 * import { createActionRouter, defineActions, ok } from "@libob/libob/action";
 * import { createHttpHandler } from "@libob/libob/connection";
 * import { expect } from "expect";
 *
 * const router = createActionRouter({
 *   handlers: defineActions({ delete_message: () => ok(null) }),
 *   bots: () => [{ platform: "demo", user_id: "bot" }],
 * });
 * const handler = createHttpHandler(router, { accessToken: "s3cret" });
 * const response = await handler(
 *   new Request("http://localhost/", {
 *     method: "POST",
 *     headers: { "Content-Type": "application/json", Authorization: "Bearer s3cret" },
 *     body: JSON.stringify({ action: "delete_message", params: { message_id: "1" } }),
 *   }),
 * );
 * expect(await response.json()).toMatchObject({ status: "ok", retcode: 0 });
 * ```
 *
 * Rule IDs in this documentation (HTTP-14, META-C2…) name the rules of the
 * OneBot 12 standard; `docs/rules.md` in this package lists each with its
 * words and a link to its page at https://12.onebot.dev/.
 *
 * @module
 */

export { checkAccessToken, isAuthorized, timingSafeEqual } from "./auth.ts";
export {
  decode,
  decodeJson,
  decodeMsgpack,
  encodeJson,
  encodeMsgpack,
  encodeResponse,
  type Encoding,
  encodingOf,
  MEDIA_TYPE,
} from "./codec.ts";
export type { Frame, FrameTap } from "./frame.ts";
export { startHeartbeat } from "./heartbeat.ts";
export { createHttpHandler, type HttpHandlerOptions, type RequestHandler } from "./http.ts";
export type { EventSink, Greeting } from "./types.ts";
export { createWebhookEmitter, type WebhookEmitter, type WebhookOptions } from "./webhook.ts";
export {
  createWebSocketHandler,
  isWebSocketUpgrade,
  type WebSocketHandler,
  type WebSocketHandlerOptions,
} from "./websocket.ts";
export { connectReverseWebSocket, type ReverseWebSocketOptions } from "./websocket_reverse.ts";

// Types that this entry point's signatures use, re-exported so that its
// documentation stands alone (`deno doc --lint`).
export type {
  ActionResponse,
  ActionRouter,
  ConnectionKind,
  RequestContext,
} from "../action/mod.ts";
export type { BotSelf, Event, EventBuffer, EventType } from "../event/mod.ts";
