/**
 * The standard action table (checklist §3, §4): every standard action name
 * mapped to its params and response data. Types only.
 *
 * @module
 */

import type { Event, StatusData, VersionData } from "../event/types.ts";
import type { ExtensionName } from "../event/extension.ts";
import type { Message } from "../event/segment.ts";

/**
 * A user as `get_self_info` describes the bot (§4.2).
 *
 * @example
 * ```ts
 * import type { SelfInfo } from "@libob/libob";
 *
 * const info: SelfInfo = { user_id: "1", user_name: "bot", user_displayname: "" };
 * ```
 */
export interface SelfInfo {
  /** The bot's user ID. */
  user_id: string;
  /** The bot's user name. */
  user_name: string;
  /** The display name, `""` if not set. */
  user_displayname: string;
}

/**
 * A user as `get_user_info` and `get_friend_list` describe them (§4.2).
 *
 * @example
 * ```ts
 * import type { UserInfo } from "@libob/libob";
 *
 * const info: UserInfo = { user_id: "2", user_name: "alice", user_displayname: "", user_remark: "" };
 * ```
 */
export interface UserInfo extends SelfInfo {
  /** The bot's remark for this user, `""` if none. */
  user_remark: string;
}

/**
 * A member of a group, guild or channel (§4.3, §4.4).
 *
 * @example
 * ```ts
 * import type { MemberInfo } from "@libob/libob";
 *
 * const member: MemberInfo = { user_id: "2", user_name: "alice", user_displayname: "Al" };
 * ```
 */
export interface MemberInfo {
  /** The user ID. */
  user_id: string;
  /** The user name. */
  user_name: string;
  /** The in-group or display name, `""` if none. */
  user_displayname: string;
}

/**
 * A group (§4.3).
 *
 * @example
 * ```ts
 * import type { GroupInfo } from "@libob/libob";
 *
 * const group: GroupInfo = { group_id: "g1", group_name: "friends" };
 * ```
 */
export interface GroupInfo {
  /** The group ID. */
  group_id: string;
  /** The group name. */
  group_name: string;
}

/**
 * A guild (§4.4).
 *
 * @example
 * ```ts
 * import type { GuildInfo } from "@libob/libob";
 *
 * const guild: GuildInfo = { guild_id: "1", guild_name: "home" };
 * ```
 */
export interface GuildInfo {
  /** The guild ID. */
  guild_id: string;
  /** The guild name. */
  guild_name: string;
}

/**
 * A channel of a guild (§4.4).
 *
 * @example
 * ```ts
 * import type { ChannelInfo } from "@libob/libob";
 *
 * const channel: ChannelInfo = { channel_id: "c1", channel_name: "general" };
 * ```
 */
export interface ChannelInfo {
  /** The channel ID. */
  channel_id: string;
  /** The channel name. */
  channel_name: string;
}

/**
 * Params of `send_message` to a user: `detail_type` `private` (§4.1).
 *
 * @example
 * ```ts
 * import type { PrivateSendMessageParams } from "@libob/libob";
 *
 * const params: PrivateSendMessageParams = {
 *   detail_type: "private",
 *   user_id: "2",
 *   message: [{ type: "text", data: { text: "hi" } }],
 * };
 * ```
 */
export interface PrivateSendMessageParams {
  /** A private chat. */
  detail_type: "private";
  /** The user. */
  user_id: string;
  /** The message, as a list of segments (MSG-02). */
  message: Message;
  /** Extension params (EXT-14). */
  [extension: ExtensionName]: unknown;
}

/**
 * Params of `send_message` to a group: `detail_type` `group` (§4.1).
 *
 * @example
 * ```ts
 * import type { GroupSendMessageParams } from "@libob/libob";
 *
 * const params: GroupSendMessageParams = {
 *   detail_type: "group",
 *   group_id: "g1",
 *   message: [{ type: "text", data: { text: "hi" } }],
 * };
 * ```
 */
export interface GroupSendMessageParams {
  /** A group chat. */
  detail_type: "group";
  /** The group. */
  group_id: string;
  /** The message, as a list of segments (MSG-02). */
  message: Message;
  /** Extension params (EXT-14). */
  [extension: ExtensionName]: unknown;
}

/**
 * Params of `send_message` to a channel of a guild: `detail_type` `channel`
 * (§4.1).
 *
 * @example
 * ```ts
 * import type { ChannelSendMessageParams } from "@libob/libob";
 *
 * const params: ChannelSendMessageParams = {
 *   detail_type: "channel",
 *   guild_id: "1",
 *   channel_id: "c1",
 *   message: [{ type: "text", data: { text: "hi" } }],
 * };
 * ```
 */
export interface ChannelSendMessageParams {
  /** A channel of a guild. */
  detail_type: "channel";
  /** The guild. */
  guild_id: string;
  /** The channel. */
  channel_id: string;
  /** The message, as a list of segments (MSG-02). */
  message: Message;
  /** Extension params (EXT-14). */
  [extension: ExtensionName]: unknown;
}

/**
 * Params of `send_message` to an extended chat kind, `<prefix>.<name>`
 * (§4.1, EXT-13), e.g. `qq.discuss` with a `qq.discuss_id` param. The
 * standard ids are optional here; when given, they are strings.
 *
 * @example
 * ```ts
 * import type { ExtendedSendMessageParams } from "@libob/libob";
 *
 * const params: ExtendedSendMessageParams = {
 *   detail_type: "qq.discuss",
 *   "qq.discuss_id": "d1",
 *   message: [{ type: "text", data: { text: "hi" } }],
 * };
 * ```
 */
export interface ExtendedSendMessageParams {
  /** The extended chat kind. */
  detail_type: ExtensionName;
  /** A user, if the chat kind has one. */
  user_id?: string;
  /** A group, if the chat kind has one. */
  group_id?: string;
  /** A guild, if the chat kind has one. */
  guild_id?: string;
  /** A channel, if the chat kind has one. */
  channel_id?: string;
  /** The message, as a list of segments (MSG-02). */
  message: Message;
  /** Extension params (EXT-14). */
  [extension: ExtensionName]: unknown;
}

/**
 * Params of `send_message` (§4.1), discriminated by `detail_type`: comparing
 * it narrows the ids, so `private` has a `user_id: string`, `group` a
 * `group_id`, `channel` a `guild_id` and a `channel_id`. The standard
 * validator guarantees them (10003 otherwise) and normalises `message` to a
 * list (MSG-02).
 *
 * @example Narrowing by detail_type
 * ```ts
 * import type { SendMessageParams } from "@libob/libob";
 *
 * function target(params: SendMessageParams): string {
 *   switch (params.detail_type) {
 *     case "private":
 *       return `user ${params.user_id}`;
 *     case "group":
 *       return `group ${params.group_id}`;
 *     case "channel":
 *       return `channel ${params.guild_id}/${params.channel_id}`;
 *     default:
 *       return params.detail_type;
 *   }
 * }
 * ```
 */
export type SendMessageParams =
  | PrivateSendMessageParams
  | GroupSendMessageParams
  | ChannelSendMessageParams
  | ExtendedSendMessageParams;

/**
 * How `upload_file` and `get_file` move file content (§4.5).
 *
 * @example
 * ```ts
 * import type { FileTransferType } from "@libob/libob";
 *
 * const type: FileTransferType = "data";
 * ```
 */
export type FileTransferType = "url" | "path" | "data" | ExtensionName;

/**
 * Params of `upload_file` (§4.5), discriminated by `type`: `url` has a
 * `url` (and optional `headers`), `path` a `path`, `data` the bytes; an
 * extended type may carry any of them. The standard validator guarantees the
 * field the type needs (10003 otherwise).
 *
 * @example Narrowing by type
 * ```ts
 * import type { UploadFileParams } from "@libob/libob";
 *
 * function size(params: UploadFileParams): number | undefined {
 *   return params.type === "data" ? params.data.byteLength : undefined;
 * }
 * const params: UploadFileParams = { type: "data", name: "a.txt", data: new Uint8Array([104, 105]) };
 * ```
 */
export type UploadFileParams =
  | {
    /** Download the content from `url` (HTTP or HTTPS). */
    type: "url";
    /** The file name. */
    name: string;
    /** Where to download the content. */
    url: string;
    /** Headers to send with the download. */
    headers?: Record<string, string>;
    /** Lowercase hex SHA-256 of the content, optional. */
    sha256?: string;
  }
  | {
    /** Read the content from a local `path`. */
    type: "path";
    /** The file name. */
    name: string;
    /** The local path. */
    path: string;
    /** Lowercase hex SHA-256 of the content, optional. */
    sha256?: string;
  }
  | {
    /** The content is in `data`. */
    type: "data";
    /** The file name. */
    name: string;
    /** The content. */
    data: Uint8Array;
    /** Lowercase hex SHA-256 of the content, optional. */
    sha256?: string;
  }
  | {
    /** An extended method, `<prefix>.<name>`. */
    type: ExtensionName;
    /** The file name. */
    name: string;
    /** A URL, if the method uses one. */
    url?: string;
    /** Headers, if the method uses them. */
    headers?: Record<string, string>;
    /** A local path, if the method uses one. */
    path?: string;
    /** The content, if the method carries it. */
    data?: Uint8Array;
    /** Lowercase hex SHA-256 of the content, optional. */
    sha256?: string;
  };

/**
 * Params of `upload_file_fragmented`, by stage (§4.5).
 *
 * @example
 * ```ts
 * import type { UploadFileFragmentedParams } from "@libob/libob";
 *
 * const params: UploadFileFragmentedParams = { stage: "prepare", name: "a.bin", total_size: 10 };
 * ```
 */
export type UploadFileFragmentedParams =
  | { stage: "prepare"; name: string; total_size: number }
  | { stage: "transfer"; file_id: string; offset: number; data: Uint8Array }
  | { stage: "finish"; file_id: string; sha256: string };

/**
 * Data of `get_file` (§4.5): the name and optional SHA-256, and the content
 * in the form the request's `type` asked for: a `url` (with optional
 * `headers`), a `path`, or the `data`. Check which with `in`.
 *
 * @example
 * ```ts
 * import type { GetFileData } from "@libob/libob";
 *
 * const data: GetFileData = { name: "a.txt", data: new Uint8Array([104, 105]) };
 * const bytes = "data" in data ? data.data : undefined;
 * ```
 */
export type GetFileData =
  | {
    /** The file name. */
    name: string;
    /** Where the application can download the content (HTTP or HTTPS), for `type` `url`. */
    url: string;
    /** Headers the application must send to fetch `url`. */
    headers?: Record<string, string>;
    /** Lowercase hex SHA-256 of the content. */
    sha256?: string;
  }
  | {
    /** The file name. */
    name: string;
    /** Where the application can read the content, for `type` `path`. */
    path: string;
    /** Lowercase hex SHA-256 of the content. */
    sha256?: string;
  }
  | {
    /** The file name. */
    name: string;
    /** The content, for `type` `data`. */
    data: Uint8Array;
    /** Lowercase hex SHA-256 of the content. */
    sha256?: string;
  };

/**
 * Params of `get_file_fragmented`, by stage (§4.5).
 *
 * @example
 * ```ts
 * import type { GetFileFragmentedParams } from "@libob/libob";
 *
 * const params: GetFileFragmentedParams = { stage: "transfer", file_id: "f", offset: 0, size: 1024 };
 * ```
 */
export type GetFileFragmentedParams =
  | { stage: "prepare"; file_id: string }
  | { stage: "transfer"; file_id: string; offset: number; size: number };

/**
 * Data of `get_file_fragmented`, by stage (§4.5).
 *
 * @example
 * ```ts
 * import type { GetFileFragmentedData } from "@libob/libob";
 *
 * const data: GetFileFragmentedData = { name: "a.bin", total_size: 2, sha256: "00" };
 * ```
 */
export type GetFileFragmentedData =
  | { name: string; total_size: number; sha256: string }
  | { data: Uint8Array };

/**
 * Every standard action of OneBot 12 (§4.6): 4 meta, 2 message, 3 user,
 * 6 group, 6 guild, 6 channel and 4 file actions. Extend it by intersection
 * in a type parameter, never by augmentation.
 *
 * @example
 * ```ts
 * import type { StandardActions } from "@libob/libob";
 *
 * type SendData = StandardActions["send_message"]["data"]; // { message_id: string; time: number }
 * ```
 */
export type StandardActions = {
  /** Polls unread non-meta events (§3.1); HTTP only. */
  get_latest_events: { params: { limit?: number; timeout?: number }; data: Event[] };
  /** Lists every supported action (META-01). */
  get_supported_actions: { params: Record<string, never>; data: string[] };
  /** The implementation's and the bots' status (§3.3). */
  get_status: { params: Record<string, never>; data: StatusData };
  /** The implementation's version (§3.3). */
  get_version: { params: Record<string, never>; data: VersionData };
  /** Sends a message (§4.1). */
  send_message: { params: SendMessageParams; data: { message_id: string; time: number } };
  /** Deletes (recalls) a message (§4.1). */
  delete_message: { params: { message_id: string }; data: null };
  /** The bot's own account (§4.2). */
  get_self_info: { params: Record<string, never>; data: SelfInfo };
  /** A user, friend or stranger (§4.2). */
  get_user_info: { params: { user_id: string }; data: UserInfo };
  /** Friends and followers (§4.2). */
  get_friend_list: { params: Record<string, never>; data: UserInfo[] };
  /** One group (§4.3). */
  get_group_info: { params: { group_id: string }; data: GroupInfo };
  /** The bot's groups (§4.3). */
  get_group_list: { params: Record<string, never>; data: GroupInfo[] };
  /** One member of a group (§4.3). */
  get_group_member_info: { params: { group_id: string; user_id: string }; data: MemberInfo };
  /** The members of a group (§4.3). */
  get_group_member_list: { params: { group_id: string }; data: MemberInfo[] };
  /** Renames a group (§4.3). */
  set_group_name: { params: { group_id: string; group_name: string }; data: null };
  /** Leaves a group (§4.3). */
  leave_group: { params: { group_id: string }; data: null };
  /** One guild (§4.4). */
  get_guild_info: { params: { guild_id: string }; data: GuildInfo };
  /** The bot's guilds (§4.4). */
  get_guild_list: { params: Record<string, never>; data: GuildInfo[] };
  /** Renames a guild (§4.4). */
  set_guild_name: { params: { guild_id: string; guild_name: string }; data: null };
  /** One member of a guild (§4.4). */
  get_guild_member_info: { params: { guild_id: string; user_id: string }; data: MemberInfo };
  /** The members of a guild (§4.4). */
  get_guild_member_list: { params: { guild_id: string }; data: MemberInfo[] };
  /** Leaves a guild (§4.4). */
  leave_guild: { params: { guild_id: string }; data: null };
  /** One channel (§4.4). */
  get_channel_info: { params: { guild_id: string; channel_id: string }; data: ChannelInfo };
  /** The channels of a guild; `joined_only` defaults to `false` (§4.4). */
  get_channel_list: { params: { guild_id: string; joined_only: boolean }; data: ChannelInfo[] };
  /** Renames a channel (§4.4). */
  set_channel_name: {
    params: { guild_id: string; channel_id: string; channel_name: string };
    data: null;
  };
  /** One member of a channel (§4.4). */
  get_channel_member_info: {
    params: { guild_id: string; channel_id: string; user_id: string };
    data: MemberInfo;
  };
  /** The members of a channel (§4.4). */
  get_channel_member_list: { params: { guild_id: string; channel_id: string }; data: MemberInfo[] };
  /** Leaves a channel (§4.4). */
  leave_channel: { params: { guild_id: string; channel_id: string }; data: null };
  /** Uploads a file in one request (§4.5). */
  upload_file: { params: UploadFileParams; data: { file_id: string } };
  /** Uploads a file in fragments: prepare, transfer, finish (§4.5). */
  upload_file_fragmented: { params: UploadFileFragmentedParams; data: { file_id: string } | null };
  /** Fetches a file in one response (§4.5). */
  get_file: { params: { file_id: string; type: FileTransferType }; data: GetFileData };
  /** Fetches a file in fragments: prepare, transfer (§4.5). */
  get_file_fragmented: { params: GetFileFragmentedParams; data: GetFileFragmentedData };
};
