/**
 * Event creation and checks: fills `id`, `time` and `sub_type`, and checks
 * the base fields (checklist §2.1, EV-01) and, when strict, the standard
 * events' own fields (EVT-00) and extension names (EXT-13).
 *
 * @module
 */

import { isExtensionName, NAME_REGEXP } from "./extension.ts";
import type { BotSelf, Event, EventType } from "./types.ts";

/**
 * What {@linkcode createEvent} takes: the base fields that cannot be derived,
 * plus the detail type's own fields.
 *
 * @example
 * ```ts
 * import type { EventInit } from "@libob/libob";
 *
 * const init: EventInit = {
 *   type: "notice",
 *   detail_type: "friend_increase",
 *   self: { platform: "qq", user_id: "1" },
 *   user_id: "2",
 * };
 * ```
 */
export interface EventInit {
  /** One of the four types (EXT-12: never extended). */
  type: EventType;
  /** The detail type. */
  detail_type: string;
  /** `""` when omitted. */
  sub_type?: string;
  /** Required unless `type` is `meta`. */
  self?: BotSelf;
  /** A fresh UUID when omitted. */
  id?: string;
  /** Unix seconds; now when omitted. RECOMMENDED: the platform's time. */
  time?: number;
  /** The detail type's fields and extension fields. */
  [field: string]: unknown;
}

/**
 * Builds an event: a unique `id`, `time` in float seconds, `sub_type` `""`
 * where none is given, and checks the result (EV-01).
 *
 * @param init The event's fields.
 * @returns A complete event.
 * @throws {TypeError} When a base field is missing or mistyped, e.g. a
 * non-meta event without `self`: such an object must never be emitted.
 *
 * @example
 * ```ts
 * import { createEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = createEvent({
 *   type: "notice",
 *   detail_type: "friend_increase",
 *   self: { platform: "qq", user_id: "1" },
 *   user_id: "2",
 * });
 * expect(event.sub_type).toBe("");
 * expect(typeof event.id).toBe("string");
 * ```
 */
export function createEvent(init: EventInit): Event {
  const { id, time, type, detail_type, sub_type, self, ...fields } = init;
  const event: Event = {
    id: id ?? crypto.randomUUID(),
    time: time ?? Date.now() / 1000,
    type,
    detail_type,
    sub_type: sub_type ?? "",
    ...(self === undefined ? {} : { self }),
    ...fields,
  };
  const problem = eventProblem(event);
  if (problem !== undefined) throw new TypeError(`Cannot create event: ${problem}`);
  return event;
}

const EVENT_TYPES: ReadonlySet<unknown> = new Set(["meta", "message", "notice", "request"]);

/**
 * Past this, `time` is taken for milliseconds: 1e11 seconds is the year 5138,
 * while `Date.now()` has been above 1e12 since 2001.
 */
const MAX_SECONDS = 1e11;

/**
 * The standard detail types of each event type (§3.3, §5.1, §5.2), with the
 * ID fields that must be non-empty strings; `operator_id`, where listed by
 * the standard, may be `""` (no operator). `request` has no standard ones.
 */
const STANDARD_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ["meta.connect", []],
  ["meta.heartbeat", []],
  ["meta.status_update", []],
  ["message.private", ["message_id", "user_id"]],
  ["message.group", ["message_id", "group_id", "user_id"]],
  ["message.channel", ["message_id", "guild_id", "channel_id", "user_id"]],
  ["notice.friend_increase", ["user_id"]],
  ["notice.friend_decrease", ["user_id"]],
  ["notice.private_message_delete", ["message_id", "user_id"]],
  ["notice.group_member_increase", ["group_id", "user_id", "operator_id?"]],
  ["notice.group_member_decrease", ["group_id", "user_id", "operator_id?"]],
  ["notice.group_message_delete", ["group_id", "message_id", "user_id", "operator_id?"]],
  ["notice.guild_member_increase", ["guild_id", "user_id", "operator_id?"]],
  ["notice.guild_member_decrease", ["guild_id", "user_id", "operator_id?"]],
  ["notice.channel_member_increase", ["guild_id", "channel_id", "user_id", "operator_id?"]],
  ["notice.channel_member_decrease", ["guild_id", "channel_id", "user_id", "operator_id?"]],
  [
    "notice.channel_message_delete",
    ["guild_id", "channel_id", "message_id", "user_id", "operator_id?"],
  ],
  ["notice.channel_create", ["guild_id", "channel_id", "operator_id?"]],
  ["notice.channel_delete", ["guild_id", "channel_id", "operator_id?"]],
]);

/**
 * How {@linkcode eventProblem} checks.
 *
 * @example
 * ```ts
 * import type { EventCheckOptions } from "@libob/libob";
 *
 * const options: EventCheckOptions = { strict: false };
 * ```
 */
export interface EventCheckOptions {
  /**
   * Also refuse what the standard only recommends against and what is
   * almost surely a bug: an extended `detail_type` without a prefix
   * (EXT-13), and a standard event with a missing field or an empty ID
   * (EVT-00; `operator_id` may be `""`). Default `false`; `emit` of a OneBot
   * uses `true` unless `strictEvents` is `false`.
   */
  strict?: boolean;
}

/**
 * What is wrong with an event (§2.1), if anything. Always checked (EV-01,
 * §8): `id` a non-empty string; `time` a finite number of **seconds** (a
 * value above 1e11, i.e. milliseconds, is refused); `type` one of the four;
 * `detail_type` non-empty; `sub_type` a string; `self` on every non-meta
 * event, with a `platform` in the name format ({@linkcode NAME_REGEXP}) and a
 * non-empty `user_id`. With `strict`, see {@linkcode EventCheckOptions}.
 *
 * @param event A value to be emitted.
 * @param options `strict` adds the checks of the standard's recommendations.
 * @returns A sentence naming the first problem, or `undefined` when there is
 * none.
 *
 * @example
 * ```ts
 * import { eventProblem } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const self = { platform: "qq", user_id: "1" };
 * expect(eventProblem({ id: "1", time: 1, type: "message", detail_type: "private", sub_type: "" }))
 *   .toBe("self is required on message events");
 * expect(eventProblem({ id: "1", time: Date.now(), type: "notice", detail_type: "x", sub_type: "", self }))
 *   .toMatch(/^time must be in seconds/);
 * expect(eventProblem({ id: "1", time: 1, type: "notice", detail_type: "poke", sub_type: "", self }, { strict: true }))
 *   .toMatch(/^detail_type poke is not a standard notice detail type/);
 * ```
 */
export function eventProblem(event: unknown, options: EventCheckOptions = {}): string | undefined {
  if (typeof event !== "object" || event === null) return "an event must be an object";
  const e = event as Record<string, unknown>;
  const problem = baseProblem(e);
  if (problem !== undefined || options.strict !== true) return problem;
  return strictProblem(e);
}

function baseProblem(e: Record<string, unknown>): string | undefined {
  if (typeof e.id !== "string" || e.id === "") return "id must be a non-empty string";
  if (typeof e.time !== "number" || !Number.isFinite(e.time)) {
    return "time must be a finite number of seconds";
  }
  if (Math.abs(e.time) > MAX_SECONDS) {
    return `time must be in seconds: current value is ${e.time}, which looks like milliseconds (divide by 1000)`;
  }
  if (!EVENT_TYPES.has(e.type)) return "type must be meta, message, notice or request";
  if (typeof e.detail_type !== "string" || e.detail_type === "") {
    return "detail_type must be a non-empty string";
  }
  if (typeof e.sub_type !== "string") return "sub_type must be a string";
  if (e.type === "meta" && e.self === undefined) return undefined;
  const self = e.self as Record<string, unknown> | undefined;
  if (typeof self !== "object" || self === null) return `self is required on ${e.type} events`;
  if (typeof self.platform !== "string" || typeof self.user_id !== "string") {
    return "self must have string platform and user_id";
  }
  if (!NAME_REGEXP.test(self.platform)) {
    return `self.platform must match ${NAME_REGEXP}: current value is ${self.platform}`;
  }
  if (self.user_id === "") return "self.user_id must be a non-empty string";
  return undefined;
}

function strictProblem(e: Record<string, unknown>): string | undefined {
  const detailType = e.detail_type as string;
  const fields = STANDARD_FIELDS.get(`${e.type}.${detailType}`);
  if (fields === undefined) {
    if (isExtensionName(detailType)) return undefined;
    const platform = (e.self as { platform?: string } | undefined)?.platform ?? "qq";
    return `detail_type ${detailType} is not a standard ${e.type} detail type: an extended one needs a prefix, e.g. ${
      platform.replace(/[^_a-z]/g, "_")
    }.${detailType} (EXT-13)`;
  }
  for (const field of fields) {
    const optional = field.endsWith("?");
    const name = optional ? field.slice(0, -1) : field;
    const value = e[name];
    if (typeof value !== "string" || (!optional && value === "")) {
      return `${name} must be a ${
        optional ? "" : "non-empty "
      }string on ${e.type}.${detailType} events (EVT-00): current value is ${
        JSON.stringify(value) ?? "undefined"
      }`;
    }
  }
  if (e.type === "message") {
    if (!Array.isArray(e.message)) return "message must be a list of segments (MSG-01)";
    if (typeof e.alt_message !== "string") return "alt_message must be a string (MSG-04)";
  }
  return undefined;
}
