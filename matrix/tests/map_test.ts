import { expect } from "expect";
import {
  contentToMessage,
  htmlSegments,
  messageId,
  parseMessageId,
  stripReplyFallback,
} from "../map_in.ts";
import { messageToContents } from "../map_out.ts";

const ROOM = "!room:localhost";
const context = {
  displayName: (user: string) => user === "@alice:localhost" ? "Alice <3" : undefined,
  fileInfo: (id: string) => id === "mxc://localhost/abc" ? { name: "a.png" } : undefined,
};

Deno.test("message IDs: room and events round-trip; anything else is not one", () => {
  const id = messageId(ROOM, ["$a", "$b"]);
  expect(id).toBe("!room:localhost/$a,$b");
  expect(parseMessageId(id)).toEqual({ roomId: ROOM, eventIds: ["$a", "$b"] });
  for (const bad of ["", "42", "!room:localhost", "!room:localhost/", "!r/x", "/$a", "$a"]) {
    expect(parseMessageId(bad)).toBeUndefined();
  }
});

Deno.test("htmlSegments: pills are mentions, tags dropped, entities decoded, reply fallback gone", () => {
  expect(htmlSegments(
    '<mx-reply><blockquote>old</blockquote></mx-reply><b>hi</b> <a href="https://matrix.to/#/%40bob%3Alocalhost">Bob</a> &amp; <a href="https://example.org">a link</a><br>x &#x1F600;',
  )).toEqual([
    { type: "text", data: { text: "hi " } },
    { type: "mention", data: { user_id: "@bob:localhost" } },
    { type: "text", data: { text: " & a link\nx 😀" } },
  ]);
  expect(htmlSegments("<p>one</p><p>two</p>")).toEqual([
    { type: "text", data: { text: "one\ntwo" } },
  ]);
});

Deno.test("stripReplyFallback: drops the quoted lines and the blank line after them", () => {
  expect(stripReplyFallback("> <@a:b> old\n> more\n\nnew\ntext")).toBe("new\ntext");
  expect(stripReplyFallback("no quote")).toBe("no quote");
});

Deno.test("contentToMessage: text, notice, emote, media, location; unknown msgtypes are not mapped", () => {
  for (const msgtype of ["m.text", "m.notice", "m.emote"]) {
    expect(contentToMessage(ROOM, { msgtype, body: "hi" })).toEqual([
      { type: "text", data: { text: "hi" } },
    ]);
  }
  expect(contentToMessage(ROOM, { msgtype: "m.image", body: "a.png", url: "mxc://s/x" }))
    .toEqual([{ type: "image", data: { file_id: "mxc://s/x" } }]);
  expect(contentToMessage(ROOM, {
    msgtype: "m.audio",
    url: "mxc://s/v",
    "org.matrix.msc3245.voice": {},
  })).toEqual([{ type: "voice", data: { file_id: "mxc://s/v" } }]);
  expect(contentToMessage(ROOM, { msgtype: "m.location", body: "Here", geo_uri: "geo:1.5,-2" }))
    .toEqual([{
      type: "location",
      data: { latitude: 1.5, longitude: -2, title: "Here", content: "Here" },
    }]);
  // Encrypted media (no url), unknown types, redacted content.
  expect(contentToMessage(ROOM, { msgtype: "m.image", file: {} })).toBeUndefined();
  expect(contentToMessage(ROOM, { msgtype: "org.example.poll", body: "?" })).toBeUndefined();
  expect(contentToMessage(ROOM, {})).toBeUndefined();
});

Deno.test("contentToMessage: m.mentions without pills (plain clients) lead; @room is mention_all", () => {
  expect(contentToMessage(ROOM, {
    msgtype: "m.text",
    body: "@room hey bob",
    "m.mentions": { user_ids: ["@bob:localhost"], room: true },
  })).toEqual([
    { type: "mention_all", data: {} },
    { type: "mention", data: { user_id: "@bob:localhost" } },
    { type: "text", data: { text: "@room hey bob" } },
  ]);
});

Deno.test("messageToContents: one m.text with pills, m.mentions and the reply; escaped HTML", () => {
  const contents = messageToContents([
    { type: "text", data: { text: "a<b " } },
    { type: "mention", data: { user_id: "@alice:localhost" } },
    { type: "reply", data: { message_id: `${ROOM}/$orig`, user_id: "@carol:localhost" } },
  ], context);
  expect(contents).toEqual([{
    msgtype: "m.text",
    body: "a<b Alice <3",
    format: "org.matrix.custom.html",
    formatted_body: 'a&lt;b <a href="https://matrix.to/#/@alice:localhost">Alice &lt;3</a>',
    "m.mentions": { user_ids: ["@alice:localhost", "@carol:localhost"] },
    "m.relates_to": { "m.in_reply_to": { event_id: "$orig" } },
  }]);
  // Plain text needs no HTML.
  expect(messageToContents([{ type: "text", data: { text: "plain" } }], context)).toEqual([
    { msgtype: "m.text", body: "plain", "m.mentions": {} },
  ]);
});

Deno.test("messageToContents: refuses what Matrix cannot carry, with the reason", () => {
  expect(messageToContents([{ type: "image", data: { file_id: "https://x/y.png" } }], context))
    .toEqual({ problem: "image.file_id must be an mxc:// URI from upload_file" });
  expect(messageToContents([{ type: "reply", data: { message_id: "42" } }], context))
    .toEqual({ problem: "reply.message_id is not a message of this bridge" });
  expect(messageToContents([], context)).toEqual({ problem: "the message has nothing to send" });
  expect(messageToContents([{ type: "text", data: { text: "" } }], context))
    .toEqual({ problem: "the message has nothing to send" });
});

Deno.test("contentToMessage: a reply names the replied-to sender, and its mention of them is folded in", () => {
  const content = {
    msgtype: "m.text",
    body: "> <@bob:localhost> hi\n\nyes",
    "m.mentions": { user_ids: ["@bob:localhost", "@carol:localhost"] },
    "m.relates_to": { "m.in_reply_to": { event_id: "$orig" } },
  };
  expect(contentToMessage(ROOM, content, "@bob:localhost")).toEqual([
    { type: "reply", data: { message_id: `${ROOM}/$orig`, user_id: "@bob:localhost" } },
    { type: "mention", data: { user_id: "@carol:localhost" } },
    { type: "text", data: { text: "yes" } },
  ]);
  // The sender unknown (the event could not be read): no user_id, nothing folded.
  expect(contentToMessage(ROOM, content)?.slice(0, 2)).toEqual([
    { type: "reply", data: { message_id: `${ROOM}/$orig` } },
    { type: "mention", data: { user_id: "@bob:localhost" } },
  ]);
});
