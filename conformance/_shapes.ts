/**
 * Shape rules of the data protocol, as functions returning the problems
 * found (empty when the value conforms). Private.
 *
 * The checker keeps its own copy of these rules instead of importing libob's
 * validators: it judges any implementation, libob included.
 *
 * @module
 */

import { isObject, type Json } from "./_client.ts";
import { show } from "./_context.ts";

/** The `impl`/`platform` name format (§8). */
export const NAME_REGEXP: RegExp = /^[a-z][-a-z0-9]*(\.[-a-z0-9]+)*$/;

/** A `time` at or above this is taken as milliseconds, not seconds (§2.1, §9.3 item 31). */
export const TIME_MS_THRESHOLD = 1e11;

const EVENT_TYPES = new Set(["meta", "message", "notice", "request"]);

/** The string fields every standard non-meta event carries besides the base ones (§5). */
const STANDARD_FIELDS: Record<string, readonly string[]> = {
  "message.private": ["message_id", "alt_message", "user_id"],
  "message.group": ["message_id", "alt_message", "group_id", "user_id"],
  "message.channel": ["message_id", "alt_message", "guild_id", "channel_id", "user_id"],
  "notice.friend_increase": ["user_id"],
  "notice.friend_decrease": ["user_id"],
  "notice.private_message_delete": ["message_id", "user_id"],
  "notice.group_member_increase": ["group_id", "user_id", "operator_id"],
  "notice.group_member_decrease": ["group_id", "user_id", "operator_id"],
  "notice.group_message_delete": ["group_id", "message_id", "user_id", "operator_id"],
  "notice.guild_member_increase": ["guild_id", "user_id", "operator_id"],
  "notice.guild_member_decrease": ["guild_id", "user_id", "operator_id"],
  "notice.channel_member_increase": ["guild_id", "channel_id", "user_id", "operator_id"],
  "notice.channel_member_decrease": ["guild_id", "channel_id", "user_id", "operator_id"],
  "notice.channel_message_delete": [
    "guild_id",
    "channel_id",
    "message_id",
    "user_id",
    "operator_id",
  ],
  "notice.channel_create": ["guild_id", "channel_id", "operator_id"],
  "notice.channel_delete": ["guild_id", "channel_id", "operator_id"],
};

/** Problems with an action response envelope (RESP-01). */
export function responseProblems(value: unknown): string[] {
  if (!isObject(value)) return [`not an object: ${show(value)}`];
  const problems: string[] = [];
  if (value.status !== "ok" && value.status !== "failed") {
    problems.push(`status is ${show(value.status)}, not "ok" or "failed"`);
  }
  if (typeof value.retcode !== "number" || !Number.isInteger(value.retcode)) {
    problems.push(`retcode is ${show(value.retcode)}, not an integer`);
  }
  if (!("data" in value)) problems.push("data is missing (use null)");
  if (typeof value.message !== "string") {
    problems.push(`message is ${show(value.message)}, not a string`);
  }
  return problems;
}

/** Problems with `status`/`retcode`/`message` consistency (RESP-02). */
export function consistencyProblems(value: Json): string[] {
  if (value.status === "ok" && value.retcode !== 0) {
    return [`status "ok" with retcode ${show(value.retcode)}`];
  }
  if (value.status === "failed" && value.retcode === 0) return [`status "failed" with retcode 0`];
  if (value.status === "ok" && value.message !== "") {
    return [`status "ok" with message ${show(value.message)} (SHALL be "")`];
  }
  return [];
}

/** Problems with a `self` object (ENC-03). */
export function selfProblems(value: unknown, where: string): string[] {
  if (!isObject(value)) return [`${where} is ${show(value)}, not a self object`];
  const problems: string[] = [];
  if (typeof value.platform !== "string") problems.push(`${where}.platform is not a string`);
  if (typeof value.user_id !== "string") problems.push(`${where}.user_id is not a string`);
  return problems;
}

/** Problems with `get_version` data or `meta.connect.version` (§3.3, §8). */
export function versionProblems(value: unknown): string[] {
  if (!isObject(value)) return [`not an object: ${show(value)}`];
  const problems: string[] = [];
  for (const field of ["impl", "version", "onebot_version"]) {
    if (typeof value[field] !== "string") problems.push(`${field} is ${show(value[field])}`);
  }
  if ("platform" in value) problems.push("platform is no longer a get_version field (#215)");
  return problems;
}

/** Problems with `get_status` data or `meta.status_update.status` (§3.3). */
export function statusProblems(value: unknown): string[] {
  if (!isObject(value)) return [`not an object: ${show(value)}`];
  const problems: string[] = [];
  if (typeof value.good !== "boolean") problems.push(`good is ${show(value.good)}, not a bool`);
  if (!Array.isArray(value.bots)) return [...problems, `bots is ${show(value.bots)}, not a list`];
  value.bots.forEach((bot: unknown, index: number) => {
    if (!isObject(bot)) {
      problems.push(`bots[${index}] is not an object`);
      return;
    }
    problems.push(...selfProblems(bot.self, `bots[${index}].self`));
    if (typeof bot.online !== "boolean") problems.push(`bots[${index}].online is not a bool`);
  });
  return problems;
}

/** `platform/user_id` of every well-formed bot in a status. */
export function botKeys(status: unknown): string[] {
  if (!isObject(status) || !Array.isArray(status.bots)) return [];
  return status.bots.flatMap((bot: unknown) =>
    isObject(bot) && isObject(bot.self) ? [`${bot.self.platform}/${bot.self.user_id}`] : []
  );
}

/** Problems with the base fields every event carries (EV-01, §2.1). */
export function eventProblems(value: unknown): string[] {
  if (!isObject(value)) return [`not an object: ${show(value)}`];
  const problems: string[] = [];
  if (typeof value.id !== "string") problems.push(`id is ${show(value.id)}, not a string`);
  else if (value.id === "") problems.push(`id is "" (not a unique identifier, §9.2 item 19)`);
  if (typeof value.time !== "number" || !Number.isFinite(value.time)) {
    problems.push(`time is ${show(value.time)}, not a number`);
  } else if (value.time >= TIME_MS_THRESHOLD) {
    problems.push(`time ${value.time} looks like milliseconds (must be seconds)`);
  } else if (value.time <= 0) {
    problems.push(`time ${value.time} is not a Unix time`);
  }
  if (typeof value.type !== "string" || !EVENT_TYPES.has(value.type)) {
    problems.push(`type is ${show(value.type)}, not meta/message/notice/request`);
  }
  if (typeof value.detail_type !== "string") {
    problems.push(`detail_type is ${show(value.detail_type)}, not a string`);
  }
  if (typeof value.sub_type !== "string") {
    problems.push(`sub_type is ${show(value.sub_type)}, not a string (use "")`);
  }
  if (value.type !== "meta" && EVENT_TYPES.has(String(value.type))) {
    problems.push(...selfProblems(value.self, "self"));
  }
  return problems;
}

/**
 * Problems with the fields of standard events beyond the base ones (EVT-00,
 * MSG-01, MSG-03, §3.4–3.6, §5). Unknown (extended) detail types pass.
 */
export function standardFieldProblems(value: Json): string[] {
  const key = `${value.type}.${value.detail_type}`;
  const problems: string[] = [];
  if (key === "meta.connect") {
    problems.push(...versionProblems(value.version).map((p) => `version: ${p}`));
  } else if (key === "meta.heartbeat") {
    problems.push(...heartbeatProblems(value));
  } else if (key === "meta.status_update") {
    problems.push(...statusProblems(value.status).map((p) => `status: ${p}`));
  }
  for (const field of STANDARD_FIELDS[key] ?? []) {
    if (typeof value[field] !== "string") {
      problems.push(`${field} is ${show(value[field])}, not a string`);
    }
  }
  if (value.type === "message") {
    if (!Array.isArray(value.message)) {
      problems.push(`message is ${show(value.message)}, not a list of segments (MSG-01)`);
    } else {
      value.message.forEach((segment: unknown, index: number) => {
        if (!isObject(segment) || typeof segment.type !== "string" || !isObject(segment.data)) {
          problems.push(`message[${index}] is not {type, data} (MSG-03): ${show(segment)}`);
        }
      });
    }
  }
  return problems.map((problem) => `${key}: ${problem}`);
}

/** Problems with a heartbeat's `interval` (META-H1, §3.5: integer ms > 0). */
export function heartbeatProblems(value: Json): string[] {
  const interval = value.interval;
  if (typeof interval !== "number" || !Number.isInteger(interval) || interval <= 0) {
    return [`interval is ${show(interval)}, not an integer > 0 (ms)`];
  }
  return [];
}

/** Whether an event is `type: meta` with this `detail_type`. */
export function isMeta(value: unknown, detailType: string): boolean {
  return isObject(value) && value.type === "meta" && value.detail_type === detailType;
}

/** Deep equality of two JSON values (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length &&
      keys.every((key) => key in b && sameJson(a[key], b[key]));
  }
  return false;
}
