/**
 * What the bridge knows of its rooms, kept from `/sync`: joined members with
 * their display names, room names, spaces and their children, and which
 * rooms are direct chats. Each joined room is of one kind:
 *
 * - a **space** (`m.room.create` type `m.space`): a OneBot guild;
 * - a **channel**: a room that a space the bot is in lists as its child
 *   (`m.space.child` with a non-empty `via`); its guild is that space;
 * - **private**: a room the bot's `m.direct` account data lists, or where
 *   exactly two users (the bot and one other) are joined;
 * - a **group**: any other room.
 *
 * @module
 */

/** A joined member. */
export interface RoomMember {
  displayname: string;
}

/** What a joined room is in OneBot terms (see the module). */
export type RoomKind = "private" | "group" | "channel" | "space";

/** One joined room. */
export interface Room {
  readonly id: string;
  name: string;
  /** A space (`m.room.create` type `m.space`). */
  space: boolean;
  /** For a space: the rooms it lists (`m.space.child` with a non-empty `via`). */
  readonly children: Set<string>;
  readonly members: Map<string, RoomMember>;
}

/** A Matrix event as `/sync` gives it (only the fields the bridge reads). */
export interface MatrixEvent {
  type: string;
  event_id?: string;
  sender?: string;
  state_key?: string;
  origin_server_ts?: number;
  content?: Record<string, unknown>;
  redacts?: string;
  unsigned?: Record<string, unknown>;
}

/** The rooms of one account. */
export interface Rooms {
  readonly self: string;
  /** A joined room of any kind. */
  get(roomId: string): Room | undefined;
  /** The joined rooms of one kind. */
  list(kind: RoomKind): Room[];
  /** What a joined room is; `undefined` for a room the bot is not in. */
  kindOf(roomId: string): RoomKind | undefined;
  /** The space (guild) of a channel. */
  guildOf(roomId: string): string | undefined;
  /** Applies a state event (members, name, type, space children); returns the room. */
  apply(roomId: string, event: MatrixEvent): Room;
  /** Forgets a room the bot left. */
  forget(roomId: string): void;
  /** Replaces the direct chats (`m.direct` account data: user → rooms). */
  setDirect(content: Record<string, unknown>): void;
  /** The other user of a private room. */
  peerOf(roomId: string): string | undefined;
  /** A private room with `userId`, if there is one. */
  directRoomOf(userId: string): string | undefined;
  /** The `m.direct` content after adding a room for a user. */
  withDirect(userId: string, roomId: string): Record<string, string[]>;
}

/**
 * Creates the room tracker of the account `self`.
 *
 * @param self The bot's user ID.
 * @returns The tracker.
 */
export function createRooms(self: string): Rooms {
  const rooms = new Map<string, Room>();
  let direct = new Map<string, string>(); // room → user

  function room(roomId: string): Room {
    let found = rooms.get(roomId);
    if (found === undefined) {
      found = { id: roomId, name: "", space: false, children: new Set(), members: new Map() };
      rooms.set(roomId, found);
    }
    return found;
  }

  const tracker: Rooms = {
    self,
    get: (roomId) => rooms.get(roomId),
    list: (kind) => [...rooms.values()].filter((room) => tracker.kindOf(room.id) === kind),
    kindOf(roomId) {
      const room = rooms.get(roomId);
      if (room === undefined) return undefined;
      if (room.space) return "space";
      if (tracker.guildOf(roomId) !== undefined) return "channel";
      if (direct.has(roomId)) return "private";
      return room.members.size === 2 && room.members.has(self) ? "private" : "group";
    },
    guildOf(roomId) {
      for (const room of rooms.values()) {
        if (room.space && room.children.has(roomId)) return room.id;
      }
      return undefined;
    },
    apply(roomId, event) {
      const target = room(roomId);
      const content = event.content ?? {};
      if (event.type === "m.room.member" && typeof event.state_key === "string") {
        if (content.membership === "join") {
          const name = typeof content.displayname === "string" ? content.displayname : "";
          target.members.set(event.state_key, { displayname: name });
        } else {
          target.members.delete(event.state_key);
        }
      } else if (event.type === "m.room.create") {
        target.space = content.type === "m.space";
      } else if (event.type === "m.space.child" && typeof event.state_key === "string") {
        const via = content.via;
        if (Array.isArray(via) && via.length > 0) target.children.add(event.state_key);
        else target.children.delete(event.state_key);
      } else if (event.type === "m.room.name") {
        target.name = typeof content.name === "string" ? content.name : "";
      }
      return target;
    },
    forget: (roomId) => void rooms.delete(roomId),
    setDirect(content) {
      direct = new Map();
      for (const [user, list] of Object.entries(content)) {
        if (!Array.isArray(list)) continue;
        for (const roomId of list) if (typeof roomId === "string") direct.set(roomId, user);
      }
    },
    peerOf(roomId) {
      const user = direct.get(roomId);
      if (user !== undefined) return user;
      const members = rooms.get(roomId)?.members;
      if (members === undefined || members.size !== 2) return undefined;
      return [...members.keys()].find((id) => id !== self);
    },
    directRoomOf(userId) {
      for (const [roomId, user] of direct) {
        if (user === userId && tracker.kindOf(roomId) === "private") return roomId;
      }
      for (const room of tracker.list("private")) {
        if (tracker.peerOf(room.id) === userId) return room.id;
      }
      return undefined;
    },
    withDirect(userId, roomId) {
      const content: Record<string, string[]> = {};
      for (const [room, user] of direct) (content[user] ??= []).push(room);
      (content[userId] ??= []).push(roomId);
      direct.set(roomId, userId);
      return content;
    },
  };
  return tracker;
}
