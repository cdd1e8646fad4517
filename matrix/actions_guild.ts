/**
 * The guild and channel actions: a space is a guild, the rooms it lists
 * that the bot is in are its channels (see `rooms.ts`).
 *
 * @module
 */

import { type ActionHandlers, failed, ok, type StandardActions } from "@libob/libob";
import { channelRoom, memberInfo, roomPath } from "./actions.ts";
import type { MatrixClient } from "./client.ts";
import { MATRIX_RETCODE } from "./errors.ts";
import type { Rooms } from "./rooms.ts";

/**
 * The guild and channel handlers.
 *
 * @param client The client.
 * @param rooms The room tracker.
 * @returns The handlers.
 */
export function guildHandlers(
  client: MatrixClient,
  rooms: Rooms,
): ActionHandlers<StandardActions> {
  const guild = (id: string) => rooms.kindOf(id) === "space" ? rooms.get(id) : undefined;
  const noGuild = (id: string) => failed(MATRIX_RETCODE.UNKNOWN_GUILD, `not in guild ${id}`);
  const noChannel = (guildId: string, id: string) =>
    failed(MATRIX_RETCODE.UNKNOWN_CHANNEL, `not in channel ${id} of ${guildId}`);
  const notMember = (user: string, id: string) =>
    failed(MATRIX_RETCODE.NOT_A_MEMBER, `${user} is not in ${id}`);
  const rename = (roomId: string, name: string) =>
    client.request({ method: "PUT", path: roomPath(roomId, "state/m.room.name/"), body: { name } });
  const leave = (roomId: string) =>
    client.request({ method: "POST", path: roomPath(roomId, "leave"), body: {} });
  const members = (roomId: string) =>
    [...rooms.get(roomId)?.members.keys() ?? []].map((user) => memberInfo(rooms, roomId, user)!);

  return {
    get_guild_info({ guild_id }) {
      const space = guild(guild_id);
      return space ? ok({ guild_id, guild_name: space.name }) : noGuild(guild_id);
    },
    get_guild_list: () =>
      ok(rooms.list("space").map((space) => ({ guild_id: space.id, guild_name: space.name }))),
    async set_guild_name({ guild_id, guild_name }) {
      if (!guild(guild_id)) return noGuild(guild_id);
      await rename(guild_id, guild_name);
      return ok(null);
    },
    get_guild_member_info({ guild_id, user_id }) {
      if (!guild(guild_id)) return noGuild(guild_id);
      const found = memberInfo(rooms, guild_id, user_id);
      return found ? ok(found) : notMember(user_id, guild_id);
    },
    get_guild_member_list: ({ guild_id }) =>
      guild(guild_id) ? ok(members(guild_id)) : noGuild(guild_id),
    async leave_guild({ guild_id }) {
      if (!guild(guild_id)) return noGuild(guild_id);
      await leave(guild_id);
      return ok(null);
    },
    get_channel_info({ guild_id, channel_id }) {
      if (!channelRoom(rooms, guild_id, channel_id)) return noChannel(guild_id, channel_id);
      return ok({ channel_id, channel_name: rooms.get(channel_id)!.name });
    },
    get_channel_list({ guild_id, joined_only }) {
      const space = guild(guild_id);
      if (!space) return noGuild(guild_id);
      // The children the bot is not in have no known name.
      const children = [...space.children].filter((id) =>
        !joined_only || channelRoom(rooms, guild_id, id)
      );
      return ok(
        children.map((id) => ({ channel_id: id, channel_name: rooms.get(id)?.name ?? "" })),
      );
    },
    async set_channel_name({ guild_id, channel_id, channel_name }) {
      if (!channelRoom(rooms, guild_id, channel_id)) return noChannel(guild_id, channel_id);
      await rename(channel_id, channel_name);
      return ok(null);
    },
    get_channel_member_info({ guild_id, channel_id, user_id }) {
      if (!channelRoom(rooms, guild_id, channel_id)) return noChannel(guild_id, channel_id);
      const found = memberInfo(rooms, channel_id, user_id);
      return found ? ok(found) : notMember(user_id, channel_id);
    },
    get_channel_member_list({ guild_id, channel_id }) {
      if (!channelRoom(rooms, guild_id, channel_id)) return noChannel(guild_id, channel_id);
      return ok(members(channel_id));
    },
    async leave_channel({ guild_id, channel_id }) {
      if (!channelRoom(rooms, guild_id, channel_id)) return noChannel(guild_id, channel_id);
      await leave(channel_id);
      return ok(null);
    },
  };
}
