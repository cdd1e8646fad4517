/**
 * Message segments and messages (checklist §6), and segment builders.
 *
 * @module
 */

import { type ExtensionName, isExtensionName } from "./extension.ts";

/**
 * The shape of a segment as it may arrive from a peer, before validation: a
 * string `type` and a `data` record (MSG-03). {@linkcode isSegment} checks
 * for it; handlers and events carry a {@linkcode Segment} instead.
 *
 * @example
 * ```ts
 * import type { AnySegment } from "@libob/libob";
 *
 * const face: AnySegment = { type: "face", data: { id: "1" } };
 * ```
 */
export interface AnySegment {
  /** The segment type: a standard type, an extension such as `qq.face`, or anything else. */
  type: string;
  /** The segment's data; never contains the key `type` in extensions (EXT-18). */
  data: Record<string, unknown>;
}

/**
 * The ten standard segments by type, with their data (§6.2).
 *
 * @example
 * ```ts
 * import type { StandardSegmentData } from "@libob/libob";
 *
 * const data: StandardSegmentData["mention"] = { user_id: "1" };
 * ```
 */
export interface StandardSegmentData {
  /** Plain text. */
  text: { text: string };
  /** A mention of one user. */
  mention: { user_id: string };
  /** A mention of everyone; data is `{}`. */
  mention_all: Record<string, never>;
  /** An image by file ID. */
  image: { file_id: string };
  /** A voice clip by file ID. */
  voice: { file_id: string };
  /** An audio file by file ID. */
  audio: { file_id: string };
  /** A video by file ID. */
  video: { file_id: string };
  /** A file by file ID. */
  file: { file_id: string };
  /** A location. */
  location: { latitude: number; longitude: number; title: string; content: string };
  /** A reply; `user_id` may be omitted when sending (§6.2). */
  reply: { message_id: string; user_id?: string };
}

/**
 * A segment type: one of the ten standard types (§6.2) or an extended type
 * with its prefix, `<prefix>.<name>` (EXT-01, EXT-18).
 *
 * @example
 * ```ts
 * import type { SegmentType } from "@libob/libob";
 *
 * const types: SegmentType[] = ["text", "mention", "qq.face"];
 * ```
 */
export type SegmentType = keyof StandardSegmentData | ExtensionName;

/**
 * A segment of a message, discriminated by `type` (MSG-03, §6.2, §6.4): a
 * standard segment carries its {@linkcode StandardSegmentData}, an extended
 * one (`qq.face`) a `data` record. Comparing `type` narrows `data`:
 * `segment.type === "text"` gives `segment.data.text: string`. Extended types
 * need their prefix so that they never collide with a standard type.
 *
 * @typeParam T One or more segment types; all of them by default.
 *
 * @example Narrowing a segment by its type
 * ```ts
 * import type { Segment } from "@libob/libob";
 * import { expect } from "expect";
 *
 * function describe(segment: Segment): string {
 *   switch (segment.type) {
 *     case "text":
 *       return segment.data.text;
 *     case "mention":
 *       return `@${segment.data.user_id}`;
 *     default:
 *       return `[${segment.type}]`;
 *   }
 * }
 * const message: Segment[] = [{ type: "text", data: { text: "hi" } }, { type: "qq.face", data: {} }];
 * expect(message.map(describe)).toEqual(["hi", "[qq.face]"]);
 * ```
 */
export type Segment<T extends SegmentType = SegmentType> = T extends keyof StandardSegmentData
  ? { type: T; data: StandardSegmentData[T] }
  : { type: T; data: Record<string, unknown> };

/**
 * A message as events and responses carry it: always a list (MSG-01).
 *
 * @example
 * ```ts
 * import type { Message } from "@libob/libob";
 *
 * const message: Message = [{ type: "text", data: { text: "hi" } }];
 * ```
 */
export type Message = Segment[];

/**
 * A message as action params may give it: a list, one segment, or a string
 * read as one text segment (MSG-02).
 *
 * @example
 * ```ts
 * import type { MessageInput } from "@libob/libob";
 *
 * const inputs: MessageInput[] = ["hi", { type: "text", data: { text: "hi" } }, []];
 * ```
 */
export type MessageInput = string | Segment | Message;

/**
 * Normalises the three accepted message forms into a list (MSG-02). It does
 * not validate the segments.
 *
 * @param input A string, one segment, or a list.
 * @returns A list of segments; a string becomes one `text` segment.
 *
 * @example
 * ```ts
 * import { toMessage } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(toMessage("hi")).toEqual([{ type: "text", data: { text: "hi" } }]);
 * ```
 */
export function toMessage(input: MessageInput): Message {
  if (typeof input === "string") return [{ type: "text", data: { text: input } }];
  return Array.isArray(input) ? input : [input];
}

/**
 * How {@linkcode messageText} renders each kind of segment. Every renderer
 * is optional; text segments are always kept verbatim.
 *
 * @example
 * ```ts
 * import type { MessageTextOptions } from "@libob/libob";
 *
 * const names = new Map([["42", "alice"]]);
 * const options: MessageTextOptions = {
 *   mention: ({ data }) => `@${names.get(data.user_id) ?? data.user_id}`,
 *   media: ({ type }) => `<${type}>`,
 * };
 * ```
 */
export interface MessageTextOptions {
  /** A mention of one user. Default: `@<user_id>`. */
  mention?: (segment: Segment<"mention">) => string;
  /** A mention of everyone. Default: `@all`. */
  mentionAll?: (segment: Segment<"mention_all">) => string;
  /**
   * An `image`, `voice`, `audio`, `video` or `file` segment. Default: the
   * type in brackets, e.g. `[image]`.
   */
  media?: (segment: Segment<"image" | "voice" | "audio" | "video" | "file">) => string;
  /** A location. Default: `[location: <title>]`, or `[location]` without a title. */
  location?: (segment: Segment<"location">) => string;
  /** A reply. Default: omitted (`""`); return e.g. a quote of the original. */
  reply?: (segment: Segment<"reply">) => string;
  /** An extended segment such as `qq.face`. Default: omitted (`""`). */
  extended?: (segment: Segment<ExtensionName>) => string;
}

/**
 * Renders a message as plain text, for a platform or a log that only has
 * text: text segments verbatim, every other segment as its renderer in
 * `options` says. The renderers run synchronously in segment order, so look
 * up names (for mentions, say) before calling it.
 *
 * @param message The message, e.g. the `message` param of `send_message`.
 * @param options How mentions, media, locations, replies and extended
 * segments read.
 * @returns The text.
 *
 * @example Rendering a message for a text-only platform
 * ```ts
 * import { image, mention, mentionAll, messageText, reply, text } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const message = [reply("m1"), mention("42"), text(" look "), image("f1"), mentionAll()];
 * expect(messageText(message)).toBe("@42 look [image]@all");
 *
 * const names = new Map([["42", "alice"]]);
 * expect(messageText(message, {
 *   mention: ({ data }) => `@${names.get(data.user_id) ?? data.user_id}`,
 *   mentionAll: () => "@everyone",
 *   media: () => "",
 *   reply: ({ data }) => `> re ${data.message_id}\n`,
 * })).toBe("> re m1\n@alice look @everyone");
 * ```
 */
export function messageText(message: Message, options: MessageTextOptions = {}): string {
  let text = "";
  for (const segment of message) text += segmentText(segment, options);
  return text;
}

function segmentText(segment: Segment, options: MessageTextOptions): string {
  switch (segment.type) {
    case "text":
      return segment.data.text;
    case "mention":
      return options.mention?.(segment) ?? `@${segment.data.user_id}`;
    case "mention_all":
      return options.mentionAll?.(segment) ?? "@all";
    case "image":
    case "voice":
    case "audio":
    case "video":
    case "file":
      return options.media?.(segment) ?? `[${segment.type}]`;
    case "location":
      return options.location?.(segment) ??
        (segment.data.title === "" ? "[location]" : `[location: ${segment.data.title}]`);
    case "reply":
      return options.reply?.(segment) ?? "";
    default:
      return options.extended?.(segment) ?? "";
  }
}

const ALT_MESSAGE_OPTIONS: MessageTextOptions = {
  mention: ({ data }) => `[mention:${data.user_id}]`,
  mentionAll: () => "[mention_all]",
  location: () => "[location]",
  reply: () => "[reply]",
  extended: ({ type }) => `[${type}]`,
};

/**
 * The plain-text form of a message for `alt_message` (MSG-04): text verbatim,
 * every other segment in brackets, e.g. `[image]`, `[mention:42]`,
 * `[qq.face]`. {@linkcode messageText} with bracket renderers.
 *
 * @param message The message.
 * @returns Its text form.
 *
 * @example
 * ```ts
 * import { altMessage } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(altMessage([
 *   { type: "text", data: { text: "look " } },
 *   { type: "image", data: { file_id: "f" } },
 * ])).toBe("look [image]");
 * ```
 */
export function altMessage(message: Message): string {
  return messageText(message, ALT_MESSAGE_OPTIONS);
}

/**
 * A `text` segment (§6.2).
 *
 * @param t The text, sent verbatim.
 * @returns `{ type: "text", data: { text } }`.
 *
 * @example
 * ```ts
 * import { text } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(text("hi")).toEqual({ type: "text", data: { text: "hi" } });
 * ```
 */
export function text(t: string): Segment<"text"> {
  return { type: "text", data: { text: requireString("text", "text", t) } };
}

/**
 * A `mention` segment: a mention of one user (§6.2).
 *
 * @param userId The user's ID.
 * @returns `{ type: "mention", data: { user_id } }`.
 *
 * @example
 * ```ts
 * import { mention } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(mention("42").data).toEqual({ user_id: "42" });
 * ```
 */
export function mention(userId: string): Segment<"mention"> {
  return { type: "mention", data: { user_id: requireString("mention", "user_id", userId) } };
}

/**
 * A `mention_all` segment; its data is the empty object `{}`, never `null` (§6.2).
 *
 * @returns `{ type: "mention_all", data: {} }`.
 *
 * @example
 * ```ts
 * import { mentionAll } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(mentionAll()).toEqual({ type: "mention_all", data: {} });
 * ```
 */
export function mentionAll(): Segment<"mention_all"> {
  return { type: "mention_all", data: {} };
}

/**
 * An `image` segment by file ID, from `upload_file` (§6.2, §4.5).
 *
 * @param fileId The file ID.
 * @returns `{ type: "image", data: { file_id } }`.
 *
 * @example
 * ```ts
 * import { image } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(image("f1")).toEqual({ type: "image", data: { file_id: "f1" } });
 * ```
 */
export function image(fileId: string): Segment<"image"> {
  return { type: "image", data: { file_id: requireString("image", "file_id", fileId) } };
}

/**
 * A `voice` segment: a recorded voice clip by file ID (§6.2).
 *
 * @param fileId The file ID.
 * @returns `{ type: "voice", data: { file_id } }`.
 *
 * @example
 * ```ts
 * import { voice } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(voice("f1").type).toBe("voice");
 * ```
 */
export function voice(fileId: string): Segment<"voice"> {
  return { type: "voice", data: { file_id: requireString("voice", "file_id", fileId) } };
}

/**
 * An `audio` segment: a playable audio file by file ID (§6.2).
 *
 * @param fileId The file ID.
 * @returns `{ type: "audio", data: { file_id } }`.
 *
 * @example
 * ```ts
 * import { audio } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(audio("f1").type).toBe("audio");
 * ```
 */
export function audio(fileId: string): Segment<"audio"> {
  return { type: "audio", data: { file_id: requireString("audio", "file_id", fileId) } };
}

/**
 * A `video` segment by file ID (§6.2).
 *
 * @param fileId The file ID.
 * @returns `{ type: "video", data: { file_id } }`.
 *
 * @example
 * ```ts
 * import { video } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(video("f1").type).toBe("video");
 * ```
 */
export function video(fileId: string): Segment<"video"> {
  return { type: "video", data: { file_id: requireString("video", "file_id", fileId) } };
}

/**
 * A `file` segment by file ID (§6.2).
 *
 * @param fileId The file ID.
 * @returns `{ type: "file", data: { file_id } }`.
 *
 * @example
 * ```ts
 * import { file } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(file("f1").type).toBe("file");
 * ```
 */
export function file(fileId: string): Segment<"file"> {
  return { type: "file", data: { file_id: requireString("file", "file_id", fileId) } };
}

/**
 * What {@linkcode location} takes.
 *
 * @example
 * ```ts
 * import type { LocationInit } from "@libob/libob";
 *
 * const place: LocationInit = { latitude: 31.03, longitude: 121.45 };
 * ```
 */
export interface LocationInit {
  /** Latitude in degrees, -90 to 90. */
  latitude: number;
  /** Longitude in degrees, -180 to 180. */
  longitude: number;
  /** A title; `""` when omitted. */
  title?: string;
  /** A description; `""` when omitted. */
  content?: string;
}

/**
 * A `location` segment; `title` and `content` default to `""`, so every
 * field of §6.2 is present.
 *
 * @param init Latitude, longitude, and optionally a title and content.
 * @returns `{ type: "location", data: { latitude, longitude, title, content } }`.
 * @throws {TypeError} When a coordinate is not a finite number in range.
 *
 * @example
 * ```ts
 * import { location } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(location({ latitude: 31.03, longitude: 121.45, title: "Shanghai" }).data).toEqual({
 *   latitude: 31.03,
 *   longitude: 121.45,
 *   title: "Shanghai",
 *   content: "",
 * });
 * ```
 */
export function location(init: LocationInit): Segment<"location"> {
  const { latitude, longitude, title = "", content = "" } = init;
  if (!isCoordinate(latitude, 90) || !isCoordinate(longitude, 180)) {
    throw new TypeError(
      `Cannot build location segment: latitude must be in [-90, 90] and longitude in [-180, 180]: current values are ${latitude}, ${longitude}`,
    );
  }
  return {
    type: "location",
    data: {
      latitude,
      longitude,
      title: requireString("location", "title", title),
      content: requireString("location", "content", content),
    },
  };
}

/**
 * A `reply` segment. `user_id`, the original sender, may be omitted when
 * sending (§6.2); events should carry it.
 *
 * @param messageId The ID of the message replied to.
 * @param userId The original sender, if known.
 * @returns `{ type: "reply", data: { message_id, user_id? } }`.
 *
 * @example
 * ```ts
 * import { reply } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(reply("m1").data).toEqual({ message_id: "m1" });
 * expect(reply("m1", "42").data).toEqual({ message_id: "m1", user_id: "42" });
 * ```
 */
export function reply(messageId: string, userId?: string): Segment<"reply"> {
  const data: StandardSegmentData["reply"] = {
    message_id: requireString("reply", "message_id", messageId),
  };
  if (userId !== undefined) data.user_id = requireString("reply", "user_id", userId);
  return { type: "reply", data };
}

/**
 * An extended segment (§6.4, EXT-18): a prefixed type such as `qq.face`, and
 * data without the key `type`, so that data can be flattened into the segment.
 *
 * @param type The segment type, `<prefix>.<name>`.
 * @param data The segment's data.
 * @returns `{ type, data }` (a shallow copy of `data`).
 * @throws {TypeError} When `type` is not an extension name (EXT-01) or `data`
 * is not a plain object or contains the key `type` (EXT-18).
 *
 * @example
 * ```ts
 * import { extensionSegment } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(extensionSegment("qq.face", { id: "1" })).toEqual({ type: "qq.face", data: { id: "1" } });
 * expect(() => extensionSegment("QQ.face", { id: "1" })).toThrow(TypeError); // EXT-01 prefix
 * expect(() => extensionSegment("qq.face", { type: "x" })).toThrow(TypeError);
 * ```
 */
export function extensionSegment<T extends ExtensionName, D extends Record<string, unknown>>(
  type: T,
  data: D,
): { type: T; data: D } {
  if (!isExtensionName(type)) {
    throw new TypeError(
      `Cannot build extension segment: type must be <prefix>.<name> with a prefix of [_a-z]+: current value is ${
        String(type)
      }`,
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new TypeError("Cannot build extension segment: data must be an object");
  }
  if (Object.hasOwn(data, "type")) {
    throw new TypeError("Cannot build extension segment: data must not contain the key type");
  }
  return { type, data: { ...data } };
}

function requireString(segment: string, field: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new TypeError(
      `Cannot build ${segment} segment: ${field} must be a string: current type is ${typeof value}`,
    );
  }
  return value;
}

/** Whether `value` is a finite number within ±`limit` (a latitude: 90, a longitude: 180). */
export function isCoordinate(value: unknown, limit: number): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= -limit &&
    value <= limit;
}

/**
 * The ten standard segment types (§6.2).
 *
 * @example
 * ```ts
 * import { STANDARD_SEGMENT_TYPES } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(STANDARD_SEGMENT_TYPES).toContain("mention_all");
 * expect(STANDARD_SEGMENT_TYPES.length).toBe(10);
 * ```
 */
export const STANDARD_SEGMENT_TYPES: readonly (keyof StandardSegmentData)[] = [
  "text",
  "mention",
  "mention_all",
  "image",
  "voice",
  "audio",
  "video",
  "file",
  "location",
  "reply",
];

/**
 * Whether a value has the shape of a segment (MSG-03): an object with a
 * string `type` and an object `data` (not `null`, not a list).
 *
 * @param value Anything.
 * @returns `true` for a well-formed segment of any type.
 *
 * @example
 * ```ts
 * import { isSegment } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isSegment({ type: "mention_all", data: {} })).toBe(true);
 * expect(isSegment({ type: "mention_all", data: null })).toBe(false);
 * ```
 */
export function isSegment(value: unknown): value is AnySegment {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { type, data } = value as Record<string, unknown>;
  return typeof type === "string" && type !== "" && typeof data === "object" &&
    data !== null && !Array.isArray(data);
}
