/**
 * OneBot Connect: the HTTP handler, the forward and reverse WebSocket, the
 * webhook emitter, heartbeats, access tokens and the two encodings.
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
