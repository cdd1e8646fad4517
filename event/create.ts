/**
 * Event creation: fills `id`, `time` and `sub_type`, and checks the base
 * fields (checklist §2.1, EV-01).
 *
 * @module
 */

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
 * What is wrong with an event's base fields (§2.1), if anything.
 *
 * @param event A value to be emitted.
 * @returns A sentence naming the first problem, or `undefined` when the base
 * fields are all present and well typed.
 *
 * @example
 * ```ts
 * import { eventProblem } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(eventProblem({ id: "1", time: 1, type: "message", detail_type: "private", sub_type: "" }))
 *   .toBe("self is required on message events");
 * ```
 */
export function eventProblem(event: unknown): string | undefined {
  if (typeof event !== "object" || event === null) return "an event must be an object";
  const e = event as Record<string, unknown>;
  if (typeof e.id !== "string" || e.id === "") return "id must be a non-empty string";
  if (typeof e.time !== "number" || !Number.isFinite(e.time)) {
    return "time must be a finite number of seconds";
  }
  if (!EVENT_TYPES.has(e.type)) return "type must be meta, message, notice or request";
  if (typeof e.detail_type !== "string" || e.detail_type === "") {
    return "detail_type must be a non-empty string";
  }
  if (typeof e.sub_type !== "string") return "sub_type must be a string";
  if (e.type !== "meta") {
    const self = e.self as Record<string, unknown> | undefined;
    if (typeof self !== "object" || self === null) return `self is required on ${e.type} events`;
    if (typeof self.platform !== "string" || typeof self.user_id !== "string") {
      return "self must have string platform and user_id";
    }
  }
  return undefined;
}
