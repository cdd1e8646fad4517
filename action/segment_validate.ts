/**
 * Checks of incoming message segments (checklist §6.2–§6.4, MSG-02, MSG-03,
 * EXT-17, EXT-18): the 10005/10006/10007 answers of `send_message`.
 *
 * @module
 */

import { clip, describe } from "../_text.ts";
import { failed } from "./result.ts";
import { RETCODE } from "./retcode.ts";
import type { Failure } from "./types.ts";
import { isExtensionName } from "../event/extension.ts";
import {
  isCoordinate,
  isSegment,
  type Message,
  type SegmentType,
  STANDARD_SEGMENT_TYPES,
  type StandardSegmentData,
} from "../event/segment.ts";

/**
 * Which segments an implementation can send. Anything not declared is
 * supported as far as the checks go.
 *
 * @example
 * ```ts
 * import type { SegmentSupport } from "@libob/libob";
 *
 * const support: SegmentSupport = {
 *   types: ["text", "mention", "image", "reply", "qq.face"],
 *   unsupportedData: { reply: ["user_id"] },
 * };
 * ```
 */
export interface SegmentSupport {
  /**
   * The segment types the implementation sends: standard ones and extended
   * ones with their prefix (`qq.face`, EXT-01). Every other type answers
   * 10005. Default: the ten standard types, and no extended type.
   */
  types?: readonly SegmentType[];
  /**
   * Data keys, by segment type, that the implementation cannot honour: a
   * segment carrying one answers 10007 (§6.3, opt-in). Default: none.
   */
  unsupportedData?: { readonly [type: string]: readonly string[] };
}

/**
 * Checks a message param and returns it as a list of segments, or the
 * failure to answer with.
 *
 * @example
 * ```ts
 * import { createMessageValidator, type MessageValidator } from "@libob/libob";
 *
 * const validate: MessageValidator = createMessageValidator();
 * ```
 */
export type MessageValidator = (message: unknown) => Message | Failure;

const STANDARD_TYPES: ReadonlySet<string> = new Set(STANDARD_SEGMENT_TYPES);

/** How one standard data field is checked. */
type FieldKind = "string" | "optional string" | "latitude" | "longitude";

const STANDARD_FIELDS: {
  readonly [T in keyof StandardSegmentData]: Readonly<Record<string, FieldKind>>;
} = {
  text: { text: "string" },
  mention: { user_id: "string" },
  mention_all: {},
  image: { file_id: "string" },
  voice: { file_id: "string" },
  audio: { file_id: "string" },
  video: { file_id: "string" },
  file: { file_id: "string" },
  location: { latitude: "latitude", longitude: "longitude", title: "string", content: "string" },
  // §6.2: user_id may be omitted when sending; if given it must be a string.
  reply: { message_id: "string", user_id: "optional string" },
};

/** {@linkcode STANDARD_FIELDS} as lists, made once: checked on every segment sent. */
const FIELD_LIST: ReadonlyMap<string, readonly (readonly [string, FieldKind])[]> = new Map(
  Object.entries(STANDARD_FIELDS).map(([type, fields]) => [type, Object.entries(fields)]),
);
const NO_KEYS: readonly string[] = [];

/**
 * Builds the checker of `message` params (§6). It normalises the three forms
 * of MSG-02 (a list, one segment, a string read as one `text` segment), then
 * checks each segment in order and answers the first problem:
 *
 * - not a list, segment or string → 10003 (bad param), naming `message`;
 * - an empty list → 10003 (there is nothing to send);
 * - a segment that is not an object, lacks a string `type`, or whose `data`
 *   is not an object → 10006 (MSG-03; the segment itself is malformed);
 * - a type not in `types` → 10005 (§6.3, SHALL);
 * - a standard segment with a required field missing or mistyped (`image`
 *   without `file_id`, `text` whose `text` is not a string, `location`
 *   coordinates that are not finite numbers in range) → 10006; `reply`
 *   without `user_id` is fine (§6.2);
 * - an extended segment whose data holds the key `type` → 10006 (EXT-18);
 * - a data key listed in `unsupportedData` for that type → 10007.
 *
 * Messages name the field, e.g. `message.0.data.file_id: expected a string,
 * received undefined`. Extra data keys (EXT-17) are kept as they are.
 *
 * @param options The declared segment support.
 * @returns The checker; it never throws.
 * @throws {TypeError} When `types` or `unsupportedData` are not lists of
 * non-empty strings, or a type in `types` is neither standard nor prefixed
 * (`face` instead of `qq.face`): a {@linkcode Segment} type never collides
 * with a standard one.
 *
 * @example Answering 10005 for a segment type the platform lacks
 * ```ts
 * import { createMessageValidator, isFailure } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const validate = createMessageValidator({ types: ["text", "image"] });
 * expect(validate("hi")).toEqual([{ type: "text", data: { text: "hi" } }]);
 * const result = validate([{ type: "mention", data: { user_id: "1" } }]);
 * expect(isFailure(result) && result.retcode).toBe(10005);
 * ```
 */
export function createMessageValidator(options: SegmentSupport = {}): MessageValidator {
  const types = new Set<string>(checkNames("types", options.types ?? STANDARD_SEGMENT_TYPES));
  for (const type of types) {
    if (!STANDARD_TYPES.has(type) && !isExtensionName(type)) {
      throw new TypeError(
        `Cannot create message validator: types must be standard segment types or <prefix>.<name>: current value is ${type}`,
      );
    }
  }
  const unsupported = new Map<string, readonly string[]>();
  for (const [type, keys] of Object.entries(options.unsupportedData ?? {})) {
    if (keys === undefined) continue;
    unsupported.set(type, checkNames(`unsupportedData.${type}`, keys));
  }

  function checkSegment(segment: unknown, path: string): Failure | undefined {
    if (!isSegment(segment)) return malformed(segment, path);
    const { type, data } = segment;
    if (!types.has(type)) {
      return failed(
        RETCODE.UNSUPPORTED_SEGMENT,
        `${path}.type: unsupported segment type ${clip(type)}`,
      );
    }
    const fields = FIELD_LIST.get(type);
    if (fields !== undefined) {
      for (const [key, kind] of fields) {
        const problem = fieldProblem(kind, data[key]);
        if (problem !== undefined) {
          return failed(RETCODE.BAD_SEGMENT_DATA, `${path}.data.${key}: ${problem}`);
        }
      }
    } else if (Object.hasOwn(data, "type")) {
      return failed(
        RETCODE.BAD_SEGMENT_DATA,
        `${path}.data.type: an extended segment's data must not contain the key type`,
      );
    }
    for (const key of unsupported.get(type) ?? NO_KEYS) {
      if (Object.hasOwn(data, key) && data[key] !== undefined) {
        return failed(
          RETCODE.UNSUPPORTED_SEGMENT_DATA,
          `${path}.data.${key}: not supported on ${clip(type)} segments`,
        );
      }
    }
    return undefined;
  }

  return function validateMessage(message) {
    let list: readonly unknown[];
    if (typeof message === "string") return [{ type: "text", data: { text: message } }];
    if (Array.isArray(message)) list = message;
    else if (typeof message === "object" && message !== null) list = [message];
    else {
      return failed(
        RETCODE.BAD_PARAM,
        `message: expected a string, a segment or a list of segments, received ${
          describe(message)
        }`,
      );
    }
    if (list.length === 0) return failed(RETCODE.BAD_PARAM, "message: must not be empty");
    for (let i = 0; i < list.length; i++) {
      const problem = checkSegment(list[i], `message.${i}`);
      if (problem !== undefined) return problem;
    }
    return list as Message;
  };
}

function malformed(segment: unknown, path: string): Failure {
  if (typeof segment !== "object" || segment === null || Array.isArray(segment)) {
    return failed(
      RETCODE.BAD_SEGMENT_DATA,
      `${path}: expected a segment object, received ${describe(segment)}`,
    );
  }
  const { type, data } = segment as Record<string, unknown>;
  if (typeof type !== "string" || type === "") {
    return failed(
      RETCODE.BAD_SEGMENT_DATA,
      `${path}.type: expected a non-empty string, received ${describe(type)}`,
    );
  }
  return failed(
    RETCODE.BAD_SEGMENT_DATA,
    `${path}.data: expected an object, received ${describe(data)}`,
  );
}

function fieldProblem(kind: FieldKind, value: unknown): string | undefined {
  switch (kind) {
    case "string":
      return typeof value === "string"
        ? undefined
        : `expected a string, received ${describe(value)}`;
    case "optional string":
      return value === undefined || typeof value === "string"
        ? undefined
        : `expected a string, received ${describe(value)}`;
    case "latitude":
      return isCoordinate(value, 90)
        ? undefined
        : `expected a number from -90 to 90, received ${describe(value)}`;
    case "longitude":
      return isCoordinate(value, 180)
        ? undefined
        : `expected a number from -180 to 180, received ${describe(value)}`;
  }
}

function checkNames(option: string, names: unknown): string[] {
  if (!Array.isArray(names) || !names.every((name) => typeof name === "string" && name !== "")) {
    throw new TypeError(
      `Cannot create message validator: ${option} must be a list of non-empty strings`,
    );
  }
  return names;
}
