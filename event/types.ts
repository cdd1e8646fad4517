/**
 * Event and identity types of the OneBot 12 data protocol (checklist §2.1, §8).
 *
 * @module
 */

/**
 * Identifies one bot account: `{platform, user_id}` (ENC-03).
 *
 * @example
 * ```ts
 * import type { BotSelf } from "@libob/libob";
 *
 * const self: BotSelf = { platform: "qq", user_id: "10000" };
 * ```
 */
export interface BotSelf {
  /** The platform name, e.g. `qq` (glossary format, §8). */
  platform: string;
  /** The bot's own user ID on that platform. */
  user_id: string;
}

/**
 * One bot's status, as listed by `get_status` and `meta.status_update` (§3.3).
 *
 * @example
 * ```ts
 * import type { BotStatus } from "@libob/libob";
 *
 * const bot: BotStatus = { self: { platform: "qq", user_id: "1" }, online: true };
 * ```
 */
export interface BotStatus {
  /** Which bot. */
  self: BotSelf;
  /** Whether the bot can send and receive messages. */
  online: boolean;
  /** Extension fields, e.g. `"qq.status"` (EXT-15). */
  [extension: `${string}.${string}`]: unknown;
}

/**
 * The data of `get_status` and the `status` of `meta.status_update` (§3.3).
 *
 * @example
 * ```ts
 * import type { StatusData } from "@libob/libob";
 *
 * const status: StatusData = { good: true, bots: [] };
 * ```
 */
export interface StatusData {
  /** Whether every part of the implementation works as expected. */
  good: boolean;
  /** Every bot on this connection. */
  bots: BotStatus[];
}

/**
 * The data of `get_version` and the `version` of `meta.connect` (§3.3, §8).
 *
 * @example
 * ```ts
 * import type { VersionData } from "@libob/libob";
 *
 * const version: VersionData = { impl: "libob-demo", version: "1.0.0", onebot_version: "12" };
 * ```
 */
export interface VersionData {
  /** The implementation name (glossary format, §8). */
  impl: string;
  /** The implementation's own version. */
  version: string;
  /** Always the string `"12"`. */
  onebot_version: "12";
}

/**
 * The four event types; `type` is never extended (EXT-12).
 *
 * @example
 * ```ts
 * import type { EventType } from "@libob/libob";
 *
 * const type: EventType = "notice";
 * ```
 */
export type EventType = "meta" | "message" | "notice" | "request";

/**
 * The fields every event carries (§2.1), plus whatever its `detail_type`
 * defines. Non-meta events carry `self`; meta events carry none by default.
 *
 * @example
 * ```ts
 * import type { Event } from "@libob/libob";
 *
 * const event: Event = {
 *   id: "b6e65187-5ac0-489c-b431-53078e9d2bbb",
 *   time: 1632847927.599013,
 *   type: "notice",
 *   detail_type: "friend_increase",
 *   sub_type: "",
 *   self: { platform: "qq", user_id: "123" },
 *   user_id: "456",
 * };
 * ```
 */
export interface Event {
  /** A unique identifier for this event. */
  id: string;
  /** Unix time in seconds, fractions allowed. */
  time: number;
  /** One of the four event types. */
  type: EventType;
  /** The event's detail type, e.g. `private`, `heartbeat`. */
  detail_type: string;
  /** The sub type, `""` where the spec lists none. */
  sub_type: string;
  /** The bot the event belongs to; required unless `type` is `meta`. */
  self?: BotSelf;
  /** Fields defined by the detail type, and extension fields (EXT-10). */
  [field: string]: unknown;
}
