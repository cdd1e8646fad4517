/**
 * Message segments and messages (checklist §6).
 *
 * @module
 */

/**
 * A segment of any type: `type` plus a `data` record (MSG-03).
 *
 * @example
 * ```ts
 * import type { AnySegment } from "@libob/libob";
 *
 * const face: AnySegment = { type: "qq.face", data: { id: "1" } };
 * ```
 */
export interface AnySegment {
  /** The segment type, e.g. `text` or an extension such as `qq.face`. */
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
 * A standard segment, discriminated by `type`.
 *
 * @typeParam T One standard type, or all of them.
 *
 * @example
 * ```ts
 * import type { Segment } from "@libob/libob";
 *
 * const text: Segment<"text"> = { type: "text", data: { text: "hi" } };
 * ```
 */
export type Segment<T extends keyof StandardSegmentData = keyof StandardSegmentData> = {
  [K in T]: { type: K; data: StandardSegmentData[K] };
}[T];

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
export type Message = Array<Segment | AnySegment>;

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
export type MessageInput = string | Segment | AnySegment | Message;

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
 * The plain-text form of a message for `alt_message` (MSG-04): text verbatim,
 * other segments in brackets.
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
  let text = "";
  for (const segment of message) {
    if (segment.type === "text" && typeof segment.data.text === "string") {
      text += segment.data.text;
    } else if (segment.type === "mention" && typeof segment.data.user_id === "string") {
      text += `[mention:${segment.data.user_id}]`;
    } else {
      text += `[${segment.type}]`;
    }
  }
  return text;
}
