/**
 * Valibot schemas of the params of every standard action (checklist §3.1,
 * §4, ENC-01, MSG-02). Internal: the public API is
 * {@linkcode createValidators} in `validate.ts`, whose signatures use only our
 * own types; valibot stays out of it.
 *
 * What the schemas do:
 * - check every required param's presence and type, and the conditional
 *   requirements (`send_message` ids by `detail_type`, `upload_file`
 *   `url`/`path`/`data` by `type`, fragmented stages by `stage`), each
 *   schema's output being the discriminated params type of
 *   {@linkcode StandardActions}, so that the compiler checks runtime and
 *   types against each other;
 * - convert: `bytes` (a `Uint8Array` from a MessagePack bin, or a Base64
 *   string from JSON: standard, unpadded or URL-safe) become a `Uint8Array`;
 *   `message` in any of the three MSG-02 forms becomes a list; defaults are
 *   filled (`joined_only: false`, `limit: 0`, `timeout: 0`); a `sha256` is
 *   lowercased; the obsolete `size` of the `upload_file_fragmented` transfer
 *   stage (#230) is dropped;
 * - keep unknown params as they are (EXT-14); `strictParams` is applied in
 *   `validate.ts` from each schema's `entries`.
 *
 * The segments inside `message` are checked afterwards by
 * {@linkcode createMessageValidator} (10005/10006/10007).
 *
 * @module
 */

import * as v from "valibot";
import { isExtensionName } from "../event/extension.ts";
import type { Message } from "../event/segment.ts";
import type {
  FileTransferType,
  SendMessageParams,
  StandardActions,
  UploadFileParams,
} from "./standard.ts";

/** IDs are strings (§5: every ID is a string, never a number). */
const ID = v.string();

const SIZE_MESSAGE = "expected a non-negative safe integer";

/** An int64 size or offset: a non-negative safe integer. */
const SIZE = v.pipe(
  v.number(),
  v.check(
    (n) => Number.isSafeInteger(n) && n >= 0,
    (issue) => `${SIZE_MESSAGE}, received ${issue.received}`,
  ),
);

/** A conditional string that must not be empty when it is required (`url`, `path`). */
const NON_EMPTY = v.pipe(v.string(), v.nonEmpty("must not be empty"));

const BASE64_REGEXP = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Whether a value can be read as `bytes` (ENC-01): a `Uint8Array` (a
 * MessagePack bin) or a Base64 string. Base64 is read leniently: standard or
 * URL-safe alphabet, padded or not.
 *
 * @param value A param value.
 * @returns `true` when {@linkcode toBytes} can convert it.
 *
 * @example
 * ```ts
 * import { isBytesInput } from "./schemas.ts";
 * import { expect } from "expect";
 *
 * expect(isBytesInput("aGk=")).toBe(true);
 * expect(isBytesInput("aGk")).toBe(true);
 * expect(isBytesInput("a")).toBe(false);
 * ```
 */
export function isBytesInput(value: unknown): value is Uint8Array | string {
  if (value instanceof Uint8Array) return true;
  if (typeof value !== "string" || !BASE64_REGEXP.test(value)) return false;
  // One leftover Base64 character cannot encode a byte.
  return stripPadding(value).length % 4 !== 1;
}

/**
 * Converts a `bytes` param to a `Uint8Array` (ENC-01): a `Uint8Array` is
 * returned as is, a Base64 string is decoded (standard or URL-safe, padded or
 * not). Check the value with {@linkcode isBytesInput} first.
 *
 * @param value A `Uint8Array` or a Base64 string.
 * @returns The bytes.
 *
 * @example
 * ```ts
 * import { toBytes } from "./schemas.ts";
 * import { expect } from "expect";
 *
 * expect(toBytes("-_8")).toEqual(new Uint8Array([251, 255]));
 * ```
 */
export function toBytes(value: Uint8Array | string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const standard = stripPadding(value).replaceAll("-", "+").replaceAll("_", "/");
  return Uint8Array.fromBase64(standard, { lastChunkHandling: "loose" });
}

function stripPadding(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 61) end--;
  return value.slice(0, end);
}

/** A `bytes` param (ENC-01), converted to a `Uint8Array`. */
const BYTES = v.pipe(
  v.unknown(),
  v.check(
    isBytesInput,
    (issue) => `expected bytes (a Base64 string or a MessagePack bin), received ${issue.received}`,
  ),
  v.transform((value) => toBytes(value as Uint8Array | string)),
);

const SHA256_REGEXP = /^[0-9a-f]{64}$/i;

/** A SHA-256 in hex, lowercased (§4.5). */
const SHA256 = v.pipe(
  v.string(),
  v.regex(SHA256_REGEXP, "expected 64 hexadecimal digits"),
  v.toLowerCase(),
);

/** The optional `sha256` of `upload_file`: `""` is read as "not given". */
const OPTIONAL_SHA256 = v.pipe(
  v.string(),
  v.check((s) => s === "" || SHA256_REGEXP.test(s), "expected 64 hexadecimal digits"),
  v.toLowerCase(),
);

function isMessageInput(value: unknown): boolean {
  return typeof value === "string" || (typeof value === "object" && value !== null);
}

function toMessageList(value: unknown): Message {
  if (typeof value === "string") return [{ type: "text", data: { text: value } }];
  return (Array.isArray(value) ? value : [value]) as Message;
}

/** A `message` param in any of the three MSG-02 forms, normalised to a list. */
const MESSAGE = v.pipe(
  v.unknown(),
  v.check(
    isMessageInput,
    (issue) => `expected a string, a segment or a list of segments, received ${issue.received}`,
  ),
  v.transform(toMessageList),
);

/**
 * Whether a `send_message` `detail_type` is standard or a prefixed extension
 * (§4.1, EXT-01). Any other value answers 10004: the param is well typed, but
 * libob cannot know an unprefixed extension.
 *
 * @param value The `detail_type` param.
 * @returns `true` for `private`, `group`, `channel` and `<prefix>.<name>`.
 *
 * @example
 * ```ts
 * import { isSendDetailType } from "./schemas.ts";
 * import { expect } from "expect";
 *
 * expect(isSendDetailType("qq.discuss")).toBe(true);
 * expect(isSendDetailType("discuss")).toBe(false);
 * ```
 */
export function isSendDetailType(value: string): boolean {
  return value === "private" || value === "group" || value === "channel" ||
    isExtensionName(value);
}

/**
 * Whether a file transfer `type` is standard or a prefixed extension (§4.5).
 * Any other value answers 10004.
 *
 * @param value The `type` param of `upload_file` or `get_file`.
 * @returns `true` for `url`, `path`, `data` and `<prefix>.<name>`.
 *
 * @example
 * ```ts
 * import { isFileTransferType } from "./schemas.ts";
 * import { expect } from "expect";
 *
 * expect(isFileTransferType("data")).toBe(true);
 * expect(isFileTransferType("ftp")).toBe(false);
 * ```
 */
export function isFileTransferType(value: string): boolean {
  return value === "url" || value === "path" || value === "data" || isExtensionName(value);
}

/**
 * The checks whose failure means "well typed, but not supported": their issue
 * answers 10004 instead of 10003.
 *
 * @example
 * ```ts
 * import { isSendDetailType, UNSUPPORTED_VALUE_CHECKS } from "./schemas.ts";
 * import { expect } from "expect";
 *
 * expect(UNSUPPORTED_VALUE_CHECKS.has(isSendDetailType)).toBe(true);
 * ```
 */
export const UNSUPPORTED_VALUE_CHECKS: ReadonlySet<unknown> = new Set([
  isSendDetailType,
  isFileTransferType,
]);

const DETAIL_TYPE = v.pipe(
  v.string(),
  v.check(
    isSendDetailType,
    (issue) =>
      `unsupported value ${issue.received}: expected private, group, channel or <prefix>.<name>`,
  ),
  v.transform((value) => value as SendMessageParams["detail_type"]),
);

const TRANSFER_TYPE = v.pipe(
  v.string(),
  v.check(
    isFileTransferType,
    (issue) => `unsupported value ${issue.received}: expected url, path, data or <prefix>.<name>`,
  ),
  v.transform((value) => value as FileTransferType),
);

/**
 * Reports a missing conditional param, `field` being required when `key` is
 * `value`; the validation fails with an issue naming `field`.
 */
type Missing = (key: string, value: string, field: string) => never;

/**
 * Adds conditional requirements (§4.1, §4.5) to an object schema, checked
 * once the object is well typed: `narrow` returns the params as their
 * discriminated type, or reports the missing field. The output type is
 * `narrow`'s, so the compiler checks that each variant has its fields.
 */
function withConditions<I extends Record<string, unknown>, O>(
  schema: v.GenericSchema<unknown, I>,
  narrow: (params: I, missing: Missing) => O,
): v.GenericSchema<unknown, O> {
  return v.pipe(
    schema,
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const input = dataset.value;
      return narrow(input, (key, value, field) => {
        addIssue({
          message: `is required when ${key} is ${value}`,
          path: [{ type: "object", origin: "value", input, key: field, value: undefined }],
        });
        return NEVER;
      });
    }),
  );
}

const SEND_MESSAGE = v.looseObject({
  detail_type: DETAIL_TYPE,
  user_id: v.exactOptional(ID),
  group_id: v.exactOptional(ID),
  guild_id: v.exactOptional(ID),
  channel_id: v.exactOptional(ID),
  message: MESSAGE,
});

/** The `send_message` params as their `detail_type` variant (§4.1). */
function sendMessageParams(
  params: v.InferOutput<typeof SEND_MESSAGE>,
  missing: Missing,
): SendMessageParams {
  const { user_id, group_id, guild_id, channel_id } = params;
  switch (params.detail_type) {
    case "private":
      if (user_id === undefined) return missing("detail_type", "private", "user_id");
      return { ...params, detail_type: "private", user_id };
    case "group":
      if (group_id === undefined) return missing("detail_type", "group", "group_id");
      return { ...params, detail_type: "group", group_id };
    case "channel":
      if (guild_id === undefined) return missing("detail_type", "channel", "guild_id");
      if (channel_id === undefined) return missing("detail_type", "channel", "channel_id");
      return { ...params, detail_type: "channel", guild_id, channel_id };
    default:
      return { ...params, detail_type: params.detail_type };
  }
}

const UPLOAD_FILE = v.looseObject({
  type: TRANSFER_TYPE,
  name: v.string(),
  url: v.exactOptional(NON_EMPTY),
  headers: v.exactOptional(v.record(v.string(), v.string())),
  path: v.exactOptional(NON_EMPTY),
  data: v.exactOptional(BYTES),
  sha256: v.exactOptional(OPTIONAL_SHA256),
});

/** The `upload_file` params as their `type` variant (§4.5). */
function uploadFileParams(
  params: v.InferOutput<typeof UPLOAD_FILE>,
  missing: Missing,
): UploadFileParams {
  const { url, path, data } = params;
  switch (params.type) {
    case "url":
      if (url === undefined) return missing("type", "url", "url");
      return { ...params, type: "url", url };
    case "path":
      if (path === undefined) return missing("type", "path", "path");
      return { ...params, type: "path", path };
    case "data":
      if (data === undefined) return missing("type", "data", "data");
      return { ...params, type: "data", data };
    default:
      return { ...params, type: params.type };
  }
}

/** Actions without params: any param is kept (EXT-14), none is required. */
export const NO_PARAMS = v.pipe(
  v.looseObject({}),
  v.transform((params) => params as Record<string, never>),
);

function ids<const K extends string>(...keys: K[]) {
  return v.looseObject(Object.fromEntries(keys.map((key) => [key, ID])) as Record<K, typeof ID>);
}

/**
 * The params schema of every standard action (§4.6: all 31), typed so that
 * each one's output is the params type of {@linkcode StandardActions}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PARAMS_SCHEMAS } from "./schemas.ts";
 * import { expect } from "expect";
 *
 * const params = v.parse(PARAMS_SCHEMAS.get_channel_list, { guild_id: "1" });
 * expect(params).toEqual({ guild_id: "1", joined_only: false });
 * ```
 */
export const PARAMS_SCHEMAS: {
  readonly [A in keyof StandardActions]: v.GenericSchema<unknown, StandardActions[A]["params"]>;
} = {
  get_latest_events: v.looseObject({
    limit: v.optional(SIZE, 0),
    timeout: v.optional(SIZE, 0),
  }),
  get_supported_actions: NO_PARAMS,
  get_status: NO_PARAMS,
  get_version: NO_PARAMS,
  send_message: withConditions(SEND_MESSAGE, sendMessageParams),
  delete_message: ids("message_id"),
  get_self_info: NO_PARAMS,
  get_user_info: ids("user_id"),
  get_friend_list: NO_PARAMS,
  get_group_info: ids("group_id"),
  get_group_list: NO_PARAMS,
  get_group_member_info: ids("group_id", "user_id"),
  get_group_member_list: ids("group_id"),
  set_group_name: v.looseObject({ group_id: ID, group_name: v.string() }),
  leave_group: ids("group_id"),
  get_guild_info: ids("guild_id"),
  get_guild_list: NO_PARAMS,
  set_guild_name: v.looseObject({ guild_id: ID, guild_name: v.string() }),
  get_guild_member_info: ids("guild_id", "user_id"),
  get_guild_member_list: ids("guild_id"),
  leave_guild: ids("guild_id"),
  get_channel_info: ids("guild_id", "channel_id"),
  get_channel_list: v.looseObject({ guild_id: ID, joined_only: v.optional(v.boolean(), false) }),
  set_channel_name: v.looseObject({ guild_id: ID, channel_id: ID, channel_name: v.string() }),
  get_channel_member_info: ids("guild_id", "channel_id", "user_id"),
  get_channel_member_list: ids("guild_id", "channel_id"),
  leave_channel: ids("guild_id", "channel_id"),
  upload_file: withConditions(UPLOAD_FILE, uploadFileParams),
  upload_file_fragmented: v.variant("stage", [
    v.looseObject({ stage: v.literal("prepare"), name: v.string(), total_size: SIZE }),
    v.pipe(
      v.looseObject({
        stage: v.literal("transfer"),
        file_id: ID,
        offset: SIZE,
        data: BYTES,
        // Removed in #230: tolerated, even with strictParams, and dropped.
        size: v.exactOptional(v.unknown()),
      }),
      v.transform(({ size: _size, ...rest }) => rest),
    ),
    v.looseObject({ stage: v.literal("finish"), file_id: ID, sha256: SHA256 }),
  ]),
  get_file: v.looseObject({ file_id: ID, type: TRANSFER_TYPE }),
  get_file_fragmented: v.variant("stage", [
    v.looseObject({ stage: v.literal("prepare"), file_id: ID }),
    v.looseObject({ stage: v.literal("transfer"), file_id: ID, offset: SIZE, size: SIZE }),
  ]),
};
