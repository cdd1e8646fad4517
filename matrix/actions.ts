/**
 * The bridge's actions: the standard ones over the Client-Server API, and
 * Matrix's own as `matrix.*` extended actions. Matrix failures are thrown
 * and mapped once by `mapMatrixError`.
 *
 * @module
 */

import {
  type ActionHandlers,
  defineAction,
  defineActions,
  type DefinedAction,
  failed,
  type MemberInfo,
  ok,
  type StandardActions,
} from "@libob/libob";
import * as v from "valibot";
import { type MatrixClient, segment } from "./client.ts";
import { MATRIX_RETCODE } from "./errors.ts";
import { messageId, parseMessageId } from "./map_in.ts";
import { messageToContents } from "./map_out.ts";
import type { MediaInfo } from "./media.ts";
import type { Rooms } from "./rooms.ts";

/** What the actions work on. */
export interface ActionsContext {
  client: MatrixClient;
  rooms: Rooms;
  media: Map<string, MediaInfo>;
}

/** The localpart of a user ID (`@alice:example.org` → `alice`). */
export function localpart(userId: string): string {
  return /^@([^:]+):/.exec(userId)?.[1] ?? userId;
}

/** The path of a room endpoint. */
export function roomPath(roomId: string, rest: string): string {
  return `/_matrix/client/v3/rooms/${segment(roomId)}/${rest}`;
}

/** A joined member of a room as OneBot's member info, or `undefined`. */
export function memberInfo(rooms: Rooms, roomId: string, userId: string): MemberInfo | undefined {
  const found = rooms.get(roomId)?.members.get(userId);
  return found === undefined ? undefined : {
    user_id: userId,
    user_name: localpart(userId),
    user_displayname: found.displayname,
  };
}

/** The room of a channel, when the bot is in it and it belongs to that guild. */
export function channelRoom(rooms: Rooms, guildId: string, channelId: string): string | undefined {
  return rooms.kindOf(channelId) === "channel" && rooms.guildOf(channelId) === guildId
    ? channelId
    : undefined;
}

/**
 * The standard action handlers of the bridge (file actions aside).
 *
 * @param context The client, the room tracker and the media names.
 * @returns The handlers.
 */
export function matrixHandlers(context: ActionsContext): ActionHandlers<StandardActions> {
  const { client, rooms } = context;
  const self = rooms.self;

  function group(groupId: string) {
    return rooms.kindOf(groupId) === "group" ? rooms.get(groupId) : undefined;
  }

  async function profile(userId: string): Promise<{ displayname?: string }> {
    return await client.request<{ displayname?: string }>({
      method: "GET",
      path: `/_matrix/client/v3/profile/${segment(userId)}`,
    });
  }

  /** The direct room with a user, created (and recorded in `m.direct`) when there is none. */
  async function directRoom(userId: string): Promise<string> {
    const known = rooms.directRoomOf(userId);
    if (known !== undefined) return known;
    await profile(userId); // M_NOT_FOUND for a user that does not exist
    const { room_id } = await client.request<{ room_id: string }>({
      method: "POST",
      path: "/_matrix/client/v3/createRoom",
      body: { is_direct: true, invite: [userId], preset: "trusted_private_chat" },
    });
    rooms.apply(room_id, {
      type: "m.room.member",
      state_key: self,
      content: { membership: "join" },
    });
    await client.request({
      method: "PUT",
      path: `/_matrix/client/v3/user/${segment(self)}/account_data/m.direct`,
      body: rooms.withDirect(userId, room_id),
    });
    return room_id;
  }

  const member = (roomId: string, userId: string) => memberInfo(rooms, roomId, userId);

  return defineActions<StandardActions>({
    async get_self_info() {
      const { displayname } = await profile(self);
      return ok({ user_id: self, user_name: localpart(self), user_displayname: displayname ?? "" });
    },
    async get_user_info({ user_id }) {
      const { displayname } = await profile(user_id);
      return ok({
        user_id,
        user_name: localpart(user_id),
        user_displayname: displayname ?? "",
        user_remark: "",
      });
    },
    get_friend_list() {
      const friends = new Map<string, string>();
      for (const room of rooms.list("private")) {
        const peer = rooms.peerOf(room.id);
        if (peer !== undefined) friends.set(peer, room.members.get(peer)?.displayname ?? "");
      }
      return ok([...friends].map(([user_id, name]) => ({
        user_id,
        user_name: localpart(user_id),
        user_displayname: name,
        user_remark: "",
      })));
    },
    async send_message(params) {
      let roomId: string;
      if (params.detail_type === "private") roomId = await directRoom(params.user_id);
      else if (params.detail_type === "group") {
        if (group(params.group_id) === undefined) {
          return failed(MATRIX_RETCODE.UNKNOWN_GROUP, `not in group ${params.group_id}`);
        }
        roomId = params.group_id;
      } else if (params.detail_type === "channel") {
        const room = channelRoom(rooms, params.guild_id, params.channel_id);
        if (room === undefined) {
          return failed(
            MATRIX_RETCODE.UNKNOWN_CHANNEL,
            `not in channel ${params.channel_id} of ${params.guild_id}`,
          );
        }
        roomId = room;
      } else {
        return failed(10004, `detail_type ${params.detail_type}: Matrix has no such chats`);
      }
      const contents = messageToContents(params.message, {
        displayName: (user) => rooms.get(roomId)?.members.get(user)?.displayname,
        fileInfo: (fileId) => context.media.get(fileId),
      });
      if ("problem" in contents) return failed(10006, contents.problem);
      const eventIds: string[] = [];
      for (const content of contents) {
        const { event_id } = await client.request<{ event_id: string }>({
          method: "PUT",
          path: roomPath(roomId, `send/m.room.message/${crypto.randomUUID()}`),
          body: content,
        });
        eventIds.push(event_id);
      }
      return ok({ message_id: messageId(roomId, eventIds), time: Date.now() / 1000 });
    },
    async delete_message({ message_id }) {
      const parsed = parseMessageId(message_id);
      if (parsed === undefined) {
        return failed(
          MATRIX_RETCODE.UNKNOWN_MESSAGE,
          `not a message of this bridge: ${message_id}`,
        );
      }
      for (const eventId of parsed.eventIds) {
        await client.request({
          method: "PUT",
          path: roomPath(parsed.roomId, `redact/${segment(eventId)}/${crypto.randomUUID()}`),
          body: {},
        });
      }
      return ok(null);
    },
    get_group_info({ group_id }) {
      const room = group(group_id);
      if (room === undefined) return failed(MATRIX_RETCODE.UNKNOWN_GROUP, `not in ${group_id}`);
      return ok({ group_id, group_name: room.name });
    },
    get_group_list() {
      return ok(
        rooms.list("group").map((room) => ({
          group_id: room.id,
          group_name: room.name,
        })),
      );
    },
    get_group_member_info({ group_id, user_id }) {
      if (group(group_id) === undefined) {
        return failed(MATRIX_RETCODE.UNKNOWN_GROUP, `not in ${group_id}`);
      }
      const found = member(group_id, user_id);
      if (found === undefined) {
        return failed(MATRIX_RETCODE.NOT_A_MEMBER, `${user_id} is not in ${group_id}`);
      }
      return ok(found);
    },
    get_group_member_list({ group_id }) {
      const room = group(group_id);
      if (room === undefined) return failed(MATRIX_RETCODE.UNKNOWN_GROUP, `not in ${group_id}`);
      return ok([...room.members.keys()].map((user) => member(group_id, user)!));
    },
    async set_group_name({ group_id, group_name }) {
      if (group(group_id) === undefined) {
        return failed(MATRIX_RETCODE.UNKNOWN_GROUP, `not in ${group_id}`);
      }
      await client.request({
        method: "PUT",
        path: roomPath(group_id, "state/m.room.name/"),
        body: { name: group_name },
      });
      return ok(null);
    },
    async leave_group({ group_id }) {
      if (group(group_id) === undefined) {
        return failed(MATRIX_RETCODE.UNKNOWN_GROUP, `not in ${group_id}`);
      }
      await client.request({ method: "POST", path: roomPath(group_id, "leave"), body: {} });
      return ok(null);
    },
  });
}

/**
 * The types of Matrix's own actions, for typed clients: `matrix.join_room`
 * and `matrix.invite` (see {@linkcode MatrixBridge}).
 *
 * @example
 * ```ts
 * import type { MatrixActions } from "@libob/matrix";
 *
 * type JoinRoom = MatrixActions[0]["name"]; // "matrix.join_room"
 * ```
 */
export type MatrixActions = readonly [
  DefinedAction<"matrix.join_room", { room: string }, { room_id: string }>,
  DefinedAction<"matrix.invite", { room_id: string; user_id: string }, null>,
];

/**
 * Matrix's own actions: `matrix.join_room` (`room`: an ID or alias; answers
 * `room_id`) and `matrix.invite` (`room_id`, `user_id`).
 *
 * @param client The client.
 * @returns The defined actions.
 */
export function matrixActions(client: MatrixClient): MatrixActions {
  return [
    defineAction(
      "matrix.join_room",
      v.object({ room: v.pipe(v.string(), v.regex(/^[!#]/, "a room ID or alias")) }),
      async ({ room }) => {
        const { room_id } = await client.request<{ room_id: string }>({
          method: "POST",
          path: `/_matrix/client/v3/join/${segment(room)}`,
          body: {},
        });
        return ok({ room_id });
      },
    ),
    defineAction(
      "matrix.invite",
      v.object({ room_id: v.string(), user_id: v.string() }),
      async ({ room_id, user_id }) => {
        await client.request({
          method: "POST",
          path: roomPath(room_id, "invite"),
          body: { user_id },
        });
        return ok(null);
      },
    ),
  ];
}
