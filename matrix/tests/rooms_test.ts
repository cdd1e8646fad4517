import { expect } from "expect";
import { createRooms, type MatrixEvent } from "../rooms.ts";

const BOT = "@bot:localhost";

function member(user: string, membership: string, displayname = ""): MatrixEvent {
  return { type: "m.room.member", state_key: user, content: { membership, displayname } };
}

Deno.test("rooms: two joined members make a private room, more a group; leaving changes it back", () => {
  const rooms = createRooms(BOT);
  rooms.apply("!r", member(BOT, "join"));
  rooms.apply("!r", member("@alice:localhost", "join", "Alice"));
  expect(rooms.isPrivate("!r")).toBe(true);
  expect(rooms.peerOf("!r")).toBe("@alice:localhost");
  expect(rooms.directRoomOf("@alice:localhost")).toBe("!r");
  rooms.apply("!r", member("@bob:localhost", "join"));
  expect(rooms.isPrivate("!r")).toBe(false);
  expect(rooms.directRoomOf("@alice:localhost")).toBeUndefined();
  rooms.apply("!r", member("@bob:localhost", "leave"));
  expect(rooms.isPrivate("!r")).toBe(true);
  expect(rooms.get("!r")?.members.get("@alice:localhost")).toEqual({ displayname: "Alice" });
  // Invited is not joined.
  rooms.apply("!r", member("@carol:localhost", "invite"));
  expect(rooms.get("!r")?.members.has("@carol:localhost")).toBe(false);
});

Deno.test("rooms: m.direct makes a room private whatever its size; withDirect adds one", () => {
  const rooms = createRooms(BOT);
  for (const user of [BOT, "@a:l", "@b:l"]) rooms.apply("!d", member(user, "join"));
  expect(rooms.isPrivate("!d")).toBe(false);
  rooms.setDirect({ "@a:l": ["!d"], "@x:l": "not a list" });
  expect(rooms.isPrivate("!d")).toBe(true);
  expect(rooms.peerOf("!d")).toBe("@a:l");
  expect(rooms.withDirect("@b:l", "!e")).toEqual({ "@a:l": ["!d"], "@b:l": ["!e"] });
  expect(rooms.isPrivate("!e")).toBe(true);
  // A direct room the bot is not in is not used to reach the user.
  expect(rooms.directRoomOf("@b:l")).toBeUndefined();
});

Deno.test("rooms: names follow m.room.name; spaces are neither groups nor private; forget", () => {
  const rooms = createRooms(BOT);
  rooms.apply("!g", { type: "m.room.name", state_key: "", content: { name: "Lobby" } });
  expect(rooms.get("!g")?.name).toBe("Lobby");
  rooms.apply("!s", { type: "m.room.create", state_key: "", content: { type: "m.space" } });
  rooms.apply("!s", member(BOT, "join"));
  rooms.apply("!s", member("@a:l", "join"));
  expect(rooms.isSpace("!s")).toBe(true);
  expect(rooms.get("!s")).toBeUndefined();
  expect(rooms.isPrivate("!s")).toBe(false);
  expect(rooms.all().map((room) => room.id)).toEqual(["!g"]);
  rooms.forget("!g");
  expect(rooms.all()).toEqual([]);
});
