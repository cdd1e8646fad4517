/**
 * Wire encodings: JSON and MessagePack (HTTP-05..08, WS-06..08, ENC-01, ENC-02).
 *
 * @module
 */

import { Decoder, Encoder } from "@msgpack/msgpack";
import type { Log } from "../_log.ts";
import { failed } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import { toResponse } from "../action/router.ts";
import type { ActionResponse } from "../action/types.ts";
import type { Event } from "../event/types.ts";

/**
 * The two encodings of OneBot 12.
 *
 * @example
 * ```ts
 * import type { Encoding } from "@libob/libob";
 *
 * const encoding: Encoding = "msgpack";
 * ```
 */
export type Encoding = "json" | "msgpack";

/**
 * The media type of each encoding.
 *
 * @example
 * ```ts
 * import { MEDIA_TYPE } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(MEDIA_TYPE.msgpack).toBe("application/msgpack");
 * ```
 */
export const MEDIA_TYPE = {
  json: "application/json",
  msgpack: "application/msgpack",
} as const satisfies Record<Encoding, string>;

/**
 * The encoding a `Content-Type` names, ignoring case, white space and
 * parameters such as `; charset=utf-8`.
 *
 * @param contentType The header value, or `null` when absent.
 * @returns The encoding, or `undefined` when unsupported (HTTP-07: 415).
 *
 * @example
 * ```ts
 * import { encodingOf } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(encodingOf("Application/JSON; charset=utf-8")).toBe("json");
 * expect(encodingOf("text/plain")).toBe(undefined);
 * ```
 */
export function encodingOf(contentType: string | null): Encoding | undefined {
  if (contentType === null) return undefined;
  const semicolon = contentType.indexOf(";");
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon))
    .trim().toLowerCase();
  if (mediaType === MEDIA_TYPE.json) return "json";
  if (mediaType === MEDIA_TYPE.msgpack) return "msgpack";
  return undefined;
}

// One encoder and decoder for the whole process, as @msgpack/msgpack advises:
// both are synchronous, so sharing them is safe.
const msgpackEncoder = new Encoder({ ignoreUndefined: true });
const msgpackDecoder = new Decoder();
const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Lossy = new TextDecoder("utf-8");

/**
 * UTF-8 bytes as text; invalid UTF-8 throws. The replacing decoder is several
 * times faster on short input than the fatal one, and invalid input always
 * comes out of it with a U+FFFD: only text that has one is decoded again,
 * fatally (a U+FFFD the peer wrote is valid and passes).
 */
function utf8Text(bytes: Uint8Array): string {
  const text = utf8Lossy.decode(bytes);
  return text.includes("\uFFFD") ? utf8.decode(bytes) : text;
}

/**
 * Decodes one JSON text; invalid UTF-8 and invalid JSON throw (ENC-02).
 *
 * @param input UTF-8 bytes or an already decoded string.
 * @returns The value.
 *
 * @example
 * ```ts
 * import { decodeJson } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(decodeJson(new TextEncoder().encode('{"a":1}'))).toEqual({ a: 1 });
 * ```
 */
export function decodeJson(input: Uint8Array | string): unknown {
  return JSON.parse(typeof input === "string" ? input : utf8Text(input));
}

function bytesToBase64(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? value.toBase64() : value;
}

/**
 * Encodes a value as JSON; `Uint8Array` values become Base64 strings (ENC-01).
 *
 * @param value The value.
 * @returns The JSON text.
 *
 * @example
 * ```ts
 * import { encodeJson } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(encodeJson({ data: new Uint8Array([1, 2, 3]) })).toBe('{"data":"AQID"}');
 * ```
 */
export function encodeJson(value: unknown): string {
  // A replacer makes JSON.stringify several times slower; only bytes need one.
  return hasBytes(value, 0) ? JSON.stringify(value, bytesToBase64) : JSON.stringify(value);
}

/** Whether a `Uint8Array` sits anywhere in `value` (deep structures are assumed to). */
function hasBytes(value: unknown, depth: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (value instanceof Uint8Array) return true;
  if (depth > 32) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (hasBytes(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (hasBytes((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/**
 * Decodes one MessagePack value; malformed input throws.
 *
 * @param input The bytes.
 * @returns The value; `bin` values are `Uint8Array`s (ENC-01).
 *
 * @example
 * ```ts
 * import { decodeMsgpack, encodeMsgpack } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(decodeMsgpack(encodeMsgpack({ a: 1 }))).toEqual({ a: 1 });
 * ```
 */
export function decodeMsgpack(input: Uint8Array | ArrayBuffer): unknown {
  return msgpackDecoder.decode(input);
}

/**
 * Encodes a value as MessagePack; `Uint8Array` values become `bin` (ENC-01)
 * and `undefined` fields are left out, as in JSON.
 *
 * @param value The value.
 * @returns The bytes.
 *
 * @example
 * ```ts
 * import { encodeMsgpack } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(encodeMsgpack({})).toEqual(new Uint8Array([0x80]));
 * ```
 */
export function encodeMsgpack(value: unknown): Uint8Array<ArrayBuffer> {
  return msgpackEncoder.encode(value) as Uint8Array<ArrayBuffer>;
}

/**
 * Decodes a request body or frame in the given encoding.
 *
 * @param input The bytes (or, for JSON, text).
 * @param encoding The encoding.
 * @returns The value; throws when malformed (the caller answers 10001).
 *
 * @example
 * ```ts
 * import { decode } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(decode("[]", "json")).toEqual([]);
 * ```
 */
export function decode(input: Uint8Array | string, encoding: Encoding): unknown {
  if (encoding === "json") return decodeJson(input);
  return decodeMsgpack(typeof input === "string" ? new TextEncoder().encode(input) : input);
}

/**
 * Encodes an action response. If the handler's data cannot be encoded (a
 * `bigint` in JSON, a cycle), the answer becomes 20001 with the same `echo`,
 * so the peer still gets a response (RESP-03).
 *
 * @param response The response.
 * @param encoding The request's encoding (HTTP-08, WS-08).
 * @returns JSON text or MessagePack bytes.
 *
 * @example
 * ```ts
 * import { encodeResponse } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const text = encodeResponse(
 *   { status: "ok", retcode: 0, data: { n: 1n }, message: "", echo: "e" },
 *   "json",
 * );
 * expect(JSON.parse(text as string).retcode).toBe(20001);
 * ```
 */
export function encodeResponse(
  response: ActionResponse,
  encoding: Encoding,
): string | Uint8Array<ArrayBuffer> {
  try {
    return encoding === "json" ? encodeJson(response) : encodeMsgpack(response);
  } catch {
    const fallback = toResponse(
      failed(RETCODE.BAD_HANDLER, "the handler returned data that cannot be encoded"),
      response.echo,
    );
    return encoding === "json" ? encodeJson(fallback) : encodeMsgpack(fallback);
  }
}

/**
 * An event as the JSON text every push connection sends (WS-05, WH-07), or
 * `undefined`, logged, when it cannot be encoded (a `bigint`, a cycle).
 * Not exported from `mod.ts`.
 */
export function encodeEvent(event: Event, log: Log): string | undefined {
  try {
    return encodeJson(event);
  } catch (error) {
    log.error("Event {id} cannot be encoded as JSON and was dropped: {error}", {
      id: event.id,
      error,
    });
    return undefined;
  }
}

/**
 * An event on its way to the push connections, with its JSON text made on
 * first use and shared by all: a fan-out encodes each event once, however
 * many sinks send it. Not exported from `mod.ts`.
 */
export interface EncodedEvent {
  /** The event. */
  readonly event: Event;
  /** Its JSON text, or `undefined` (logged once) when it cannot be encoded. */
  json(): string | undefined;
}

/**
 * Wraps an event so that its JSON text is made at most once, when a sink
 * first asks for it ({@linkcode encodeEvent}; a failure is logged once).
 */
export function encodeOnce(event: Event, log: Log): EncodedEvent {
  let done = false;
  let text: string | undefined;
  return {
    event,
    json() {
      if (!done) {
        done = true;
        text = encodeEvent(event, log);
      }
      return text;
    },
  };
}
