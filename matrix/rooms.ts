/**
 * What the bridge knows of its rooms, kept from `/sync`: joined members with
 * their display names, room names, and which rooms are direct chats.
 *
 * A room is **private** when the bot's `m.direct` account data lists it, or
 * when exactly two users (the bot and one other) are joined; every other
 * joined room is a **group**. Spaces (`m.room.create` type `m.space`) are
 * neither: `get` and `all` leave them out, and their events are not bridged.
 *
 * @module
 */

/** A joined member. */
export interface RoomMember {
  displayname: string;
}

/** One joined room. */
export interface Room {
  readonly id: string;
  name: string;
  /** A space (`m.room.create` type `m.space`): not a chat, not mapped. */
  space: boolean;
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
  get(roomId: string): Room | undefined;
  /** Joined rooms, in no particular order. */
  all(): Room[];
  /** Applies a state event (members, name); returns the room. */
  apply(roomId: string, event: MatrixEvent): Room;
  /** Whether a room is a space. */
  isSpace(roomId: string): boolean;
  /** Forgets a room the bot left. */
  forget(roomId: string): void;
  /** Replaces the direct chats (`m.direct` account data: user → rooms). */
  setDirect(content: Record<string, unknown>): void;
  /** Whether a room is a direct chat (see the module). */
  isPrivate(roomId: string): boolean;
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
      found = { id: roomId, name: "", space: false, members: new Map() };
      rooms.set(roomId, found);
    }
    return found;
  }

  const tracker: Rooms = {
    self,
    get: (roomId) => {
      const room = rooms.get(roomId);
      return room?.space ? undefined : room;
    },
    all: () => [...rooms.values()].filter((room) => !room.space),
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
      } else if (event.type === "m.room.name") {
        target.name = typeof content.name === "string" ? content.name : "";
      }
      return target;
    },
    isSpace: (roomId) => rooms.get(roomId)?.space ?? false,
    forget: (roomId) => void rooms.delete(roomId),
    setDirect(content) {
      direct = new Map();
      for (const [user, list] of Object.entries(content)) {
        if (!Array.isArray(list)) continue;
        for (const roomId of list) if (typeof roomId === "string") direct.set(roomId, user);
      }
    },
    isPrivate(roomId) {
      if (rooms.get(roomId)?.space) return false;
      if (direct.has(roomId)) return true;
      const members = rooms.get(roomId)?.members;
      return members !== undefined && members.size === 2 && members.has(self);
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
        if (user === userId && tracker.get(roomId) !== undefined) return roomId;
      }
      for (const room of tracker.all()) {
        if (tracker.isPrivate(room.id) && tracker.peerOf(room.id) === userId) return room.id;
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
