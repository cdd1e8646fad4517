/**
 * libob: build a OneBot 12 implementation in Deno.
 *
 * You write action handlers and push your platform's events; libob does the
 * rest of the standard: the four OneBot Connect methods (HTTP, HTTP Webhook,
 * forward and reverse WebSocket), access tokens, JSON and MessagePack, the
 * action envelope and every retcode, the meta actions and meta events.
 *
 * ```ts
 * import { createEvent, createOneBot, ok } from "@libob/libob";
 *
 * const self = { platform: "demo", user_id: "bot" };
 * await using onebot = createOneBot({
 *   impl: "my-impl",
 *   version: "1.0.0",
 *   bots: [{ self, online: true }],
 *   handlers: {
 *     get_self_info: () => ok({ user_id: "bot", user_name: "Bot", user_displayname: "" }),
 *   },
 * });
 * onebot.emit(createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: "42" }));
 * // export default { fetch: onebot.fetch } in a `deno serve` entry point
 * ```
 *
 * @module
 */

export * from "./action/mod.ts";
export * from "./event/mod.ts";
export * from "./connection/mod.ts";
export {
  createOneBot,
  NAME_REGEXP,
  type OneBot,
  type OneBotHttpOptions,
  type OneBotOptions,
  type OneBotReverseWebSocketOptions,
  type OneBotWebhookOptions,
  type OneBotWebSocketOptions,
} from "./onebot.ts";
export { LIBOB_VERSION } from "./version.ts";
