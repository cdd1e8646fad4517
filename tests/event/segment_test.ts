// Rule tests for event/segment.ts: the message type and the standard segment builders (§6).
import { expect } from "expect";
import {
  altMessage,
  audio,
  extensionSegment,
  file,
  image,
  location,
  mention,
  mentionAll,
  type Message,
  messageText,
  reply,
  type Segment,
  text,
  toMessage,
  video,
  voice,
} from "../../event/segment.ts";

Deno.test("toMessage() reads a plain string as one text segment (MSG-02)", () => {
  expect(toMessage("hi there")).toEqual([{ type: "text", data: { text: "hi there" } }]);
  expect(toMessage("")).toEqual([{ type: "text", data: { text: "" } }]);
});

Deno.test("toMessage() wraps a single segment object in a list (MSG-02)", () => {
  const segment: Segment = { type: "image", data: { file_id: "f1" } };
  expect(toMessage(segment)).toEqual([segment]);
});

Deno.test("toMessage() keeps a list as it is, empty included (MSG-01, MSG-02)", () => {
  const message: Message = [text("a"), mention("1")];
  expect(toMessage(message)).toBe(message);
  expect(toMessage([])).toEqual([]);
});

Deno.test("altMessage() keeps text segments verbatim (MSG-04)", () => {
  const verbatim = "  spaces, [brackets], 中文, emoji 🙂\nnew line  ";
  expect(altMessage([text(verbatim)])).toBe(verbatim);
  expect(altMessage([text("a"), text("b")])).toBe("ab");
});

Deno.test("altMessage() renders other segments in a readable bracket form (MSG-04)", () => {
  expect(altMessage([
    text("look "),
    image("f"),
    text(" and "),
    mention("42"),
    mentionAll(),
    { type: "qq.face", data: { id: "1" } },
  ])).toBe("look [image] and [mention:42][mention_all][qq.face]");
  expect(altMessage([])).toBe("");
});

Deno.test("messageText() keeps text verbatim and renders the other segments by default as a bridge needs them", () => {
  const verbatim = "  spaces, [brackets], 中文\nnew line  ";
  expect(messageText([text(verbatim)])).toBe(verbatim);
  expect(messageText([
    reply("m1", "7"),
    mention("42"),
    text(" hi "),
    mentionAll(),
    text(" "),
    image("f"),
    voice("f"),
    audio("f"),
    video("f"),
    file("f"),
    location({ latitude: 1, longitude: 2, title: "Home" }),
    location({ latitude: 1, longitude: 2 }),
    extensionSegment("qq.face", { id: "1" }),
  ])).toBe("@42 hi @all [image][voice][audio][video][file][location: Home][location]");
  expect(messageText([])).toBe("");
});

Deno.test("messageText() renders each segment kind with the renderer its option gives", () => {
  const names = new Map([["42", "alice"]]);
  const calls: string[] = [];
  const rendered = messageText(
    [
      reply("m1", "42"),
      mention("42"),
      mention("9"),
      text(": "),
      mentionAll(),
      image("f1"),
      file("f2"),
      location({ latitude: 31.5, longitude: 121.25 }),
      extensionSegment("qq.face", { id: "7" }),
    ],
    {
      mention: ({ data }) => `@${names.get(data.user_id) ?? data.user_id}`,
      mentionAll: () => "@全体成员",
      media: ({ type, data }) => `<${type} ${data.file_id}>`,
      location: ({ data }) => `(${data.latitude}, ${data.longitude})`,
      reply: ({ data }) => {
        calls.push(`reply ${data.message_id}`);
        return `> ${names.get(data.user_id ?? "") ?? "someone"} said\n`;
      },
      extended: ({ type, data }) => `{${type}:${String(data.id)}}`,
    },
  );
  expect(rendered).toBe(
    "> alice said\n@alice@9: @全体成员<image f1><file f2>(31.5, 121.25){qq.face:7}",
  );
  expect(calls).toEqual(["reply m1"]);
});

Deno.test("segment builders produce {type, data} with the §6.2 fields (MSG-03)", () => {
  expect(text("hi")).toEqual({ type: "text", data: { text: "hi" } });
  expect(mention("1")).toEqual({ type: "mention", data: { user_id: "1" } });
  expect(mentionAll()).toEqual({ type: "mention_all", data: {} }); // {}, never null
  for (
    const [build, type] of [[image, "image"], [voice, "voice"], [audio, "audio"], [
      video,
      "video",
    ], [file, "file"]] as const
  ) {
    expect(build("f1")).toEqual({ type, data: { file_id: "f1" } });
  }
  expect(location({ latitude: 1.5, longitude: -2.5 })).toEqual({
    type: "location",
    data: { latitude: 1.5, longitude: -2.5, title: "", content: "" },
  });
});

Deno.test("reply() may omit user_id when sending (§6.2 reply)", () => {
  expect(reply("m1")).toEqual({ type: "reply", data: { message_id: "m1" } });
  expect("user_id" in reply("m1").data).toBe(false);
  expect(reply("m1", "42").data).toEqual({ message_id: "m1", user_id: "42" });
});

Deno.test("segment builders throw TypeError for non-string IDs (§9.3 item 31: IDs are strings)", () => {
  expect(() => mention(42 as unknown as string)).toThrow(TypeError);
  expect(() => image(undefined as unknown as string)).toThrow(TypeError);
  expect(() => reply("m1", 42 as unknown as string)).toThrow(TypeError);
  expect(() => text(null as unknown as string)).toThrow(TypeError);
});

Deno.test("location() throws TypeError for coordinates out of range or not finite (§6.2 location)", () => {
  for (
    const [latitude, longitude] of [[91, 0], [0, 181], [Number.NaN, 0], [0, Infinity]] as const
  ) {
    expect(() => location({ latitude, longitude })).toThrow(TypeError);
  }
});

Deno.test("extensionSegment() needs a prefixed type and data without the key type (EXT-18, EXT-01)", () => {
  expect(extensionSegment("qq.face", { id: "1" })).toEqual({ type: "qq.face", data: { id: "1" } });
  expect(() => extensionSegment("face" as "x.face", { id: "1" })).toThrow(TypeError);
  expect(() => extensionSegment("q1.face" as "x.face", { id: "1" })).toThrow(TypeError);
  expect(() => extensionSegment("qq.face", { type: "x" })).toThrow(TypeError);
  expect(() => extensionSegment("qq.face", [] as unknown as Record<string, unknown>))
    .toThrow(TypeError);
});
