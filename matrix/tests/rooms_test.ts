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
  expect(rooms.kindOf("!r")).toBe("private");
  expect(rooms.peerOf("!r")).toBe("@alice:localhost");
  expect(rooms.directRoomOf("@alice:localhost")).toBe("!r");
  rooms.apply("!r", member("@bob:localhost", "join"));
  expect(rooms.kindOf("!r")).not.toBe("private");
  expect(rooms.directRoomOf("@alice:localhost")).toBeUndefined();
  rooms.apply("!r", member("@bob:localhost", "leave"));
  expect(rooms.kindOf("!r")).toBe("private");
  expect(rooms.get("!r")?.members.get("@alice:localhost")).toEqual({ displayname: "Alice" });
  // Invited is not joined.
  rooms.apply("!r", member("@carol:localhost", "invite"));
  expect(rooms.get("!r")?.members.has("@carol:localhost")).toBe(false);
});

Deno.test("rooms: m.direct makes a room private whatever its size; withDirect adds one", () => {
  const rooms = createRooms(BOT);
  for (const user of [BOT, "@a:l", "@b:l"]) rooms.apply("!d", member(user, "join"));
  expect(rooms.kindOf("!d")).not.toBe("private");
  rooms.setDirect({ "@a:l": ["!d"], "@x:l": "not a list" });
  expect(rooms.kindOf("!d")).toBe("private");
  expect(rooms.peerOf("!d")).toBe("@a:l");
  expect(rooms.withDirect("@b:l", "!e")).toEqual({ "@a:l": ["!d"], "@b:l": ["!e"] });
  expect(rooms.kindOf("!e")).toBeUndefined(); // not joined yet
  rooms.apply("!e", member(BOT, "join"));
  expect(rooms.kindOf("!e")).toBe("private");
  expect(rooms.directRoomOf("@b:l")).toBe("!e");
  // A direct room the bot is not in is not used to reach the user.
  rooms.forget("!e");
  expect(rooms.directRoomOf("@b:l")).toBeUndefined();
});

Deno.test("rooms: a space is a guild; the rooms it lists are its channels, whatever their size", () => {
  const rooms = createRooms(BOT);
  rooms.apply("!g", { type: "m.room.name", state_key: "", content: { name: "Lobby" } });
  expect(rooms.get("!g")?.name).toBe("Lobby");
  expect(rooms.kindOf("!g")).toBe("group");
  rooms.apply("!s", { type: "m.room.create", state_key: "", content: { type: "m.space" } });
  rooms.apply("!s", member(BOT, "join"));
  rooms.apply("!s", member("@a:l", "join"));
  expect(rooms.kindOf("!s")).toBe("space");
  rooms.apply("!c", member(BOT, "join"));
  rooms.apply("!c", member("@a:l", "join"));
  expect(rooms.kindOf("!c")).toBe("private");
  rooms.apply("!s", { type: "m.space.child", state_key: "!c", content: { via: ["l"] } });
  expect(rooms.kindOf("!c")).toBe("channel");
  expect(rooms.guildOf("!c")).toBe("!s");
  expect(rooms.list("space").map((room) => room.id)).toEqual(["!s"]);
  expect(rooms.list("channel").map((room) => room.id)).toEqual(["!c"]);
  expect(rooms.list("group").map((room) => room.id)).toEqual(["!g"]);
  // A child event without via removes the child.
  rooms.apply("!s", { type: "m.space.child", state_key: "!c", content: {} });
  expect(rooms.kindOf("!c")).toBe("private");
  rooms.forget("!g");
  expect(rooms.kindOf("!g")).toBeUndefined();
});
