import { expect } from "expect";
import { isFailure } from "../../action/result.ts";
import { STANDARD_VALIDATORS } from "../../action/validate.ts";
import {
  audio,
  extensionSegment,
  file,
  image,
  location,
  mention,
  mentionAll,
  reply,
  text,
  video,
  voice,
} from "../../event/segment.ts";
import { createMessageValidator } from "../../action/segment_validate.ts";
import { isSegment, STANDARD_SEGMENT_TYPES } from "../../event/segment.ts";

const validate = createMessageValidator();

function expectFailure(result: unknown, retcode: number, message: RegExp | string): void {
  expect(isFailure(result)).toBe(true);
  expect(result).toMatchObject({ status: "failed", retcode });
  expect((result as { message: string }).message).toMatch(message);
}

Deno.test("createMessageValidator() accepts every standard segment (§6.2)", () => {
  const message = [
    { type: "text", data: { text: "hi" } },
    { type: "mention", data: { user_id: "2" } },
    { type: "mention_all", data: {} },
    { type: "image", data: { file_id: "f" } },
    { type: "voice", data: { file_id: "f" } },
    { type: "audio", data: { file_id: "f" } },
    { type: "video", data: { file_id: "f" } },
    { type: "file", data: { file_id: "f" } },
    { type: "location", data: { latitude: 31.03, longitude: 121.45, title: "t", content: "c" } },
    { type: "reply", data: { message_id: "m", user_id: "2" } },
  ];
  expect(validate(message)).toEqual(message);
  expect(STANDARD_SEGMENT_TYPES).toEqual(message.map((segment) => segment.type));
});

Deno.test("createMessageValidator() accepts reply without user_id when sending (§6.2, §9.3 item 33)", () => {
  const message = [{ type: "reply", data: { message_id: "m" } }, {
    type: "text",
    data: { text: "ok" },
  }];
  expect(validate(message)).toEqual(message);
});

Deno.test("createMessageValidator() normalises the three message forms (MSG-02)", () => {
  const segment = { type: "text", data: { text: "hi" } };
  expect(validate("hi")).toEqual([segment]);
  expect(validate(segment)).toEqual([segment]);
  expect(validate([segment])).toEqual([segment]);
});

Deno.test("createMessageValidator() answers 10003 for a message that is no message form, or empty", () => {
  expectFailure(validate(42), 10003, /^message: expected a string, a segment or a list/);
  expectFailure(validate(null), 10003, /^message: /);
  expectFailure(validate(undefined), 10003, /^message: /);
  expectFailure(validate([]), 10003, "message: must not be empty");
});

Deno.test("createMessageValidator() answers 10006 for a malformed segment (MSG-03)", () => {
  expectFailure(validate([42]), 10006, "message.0: expected a segment object, received 42");
  expectFailure(validate([null]), 10006, /^message\.0: /);
  expectFailure(validate(["hi"]), 10006, /^message\.0: /);
  expectFailure(validate([[]]), 10006, /^message\.0: /);
  expectFailure(validate([{ data: { text: "x" } }]), 10006, /^message\.0\.type: /);
  expectFailure(validate([{ type: 1, data: {} }]), 10006, /^message\.0\.type: /);
  expectFailure(validate([{ type: "", data: {} }]), 10006, /^message\.0\.type: /);
  expectFailure(validate([{ type: "text" }]), 10006, /^message\.0\.data: expected an object/);
  expectFailure(validate({ type: "mention_all", data: null }), 10006, /^message\.0\.data: /);
  expectFailure(validate({ type: "text", data: ["x"] }), 10006, /^message\.0\.data: /);
  expectFailure(validate({ type: "text", data: "x" }), 10006, /^message\.0\.data: /);
});

Deno.test("createMessageValidator() answers 10005 for a segment type not supported (§6.3, §9.3 item 34)", () => {
  expectFailure(
    validate([{ type: "at", data: { qq: "1" } }]),
    10005,
    "message.0.type: unsupported segment type at",
  );
  expectFailure(validate([{ type: "record", data: { file: "x" } }]), 10005, /^message\.0\.type: /);
  expectFailure(validate([{ type: "qq.face", data: { id: "1" } }]), 10005, /^message\.0\.type: /);
  const textOnly = createMessageValidator({ types: ["text"] });
  expect(textOnly("hi")).toEqual([{ type: "text", data: { text: "hi" } }]);
  expectFailure(
    textOnly([{ type: "text", data: { text: "a" } }, { type: "image", data: { file_id: "f" } }]),
    10005,
    /^message\.1\.type: /,
  );
});

Deno.test("createMessageValidator() answers 10006 for missing or mistyped standard segment data (§6.3)", () => {
  const cases: [unknown, string][] = [
    [{ type: "image", data: {} }, "message.0.data.file_id: expected a string, received undefined"],
    [{ type: "text", data: { text: 1 } }, "message.0.data.text: expected a string, received 1"],
    [{ type: "mention", data: { user_id: 2 } }, "message.0.data.user_id: "],
    [{ type: "voice", data: { file_id: null } }, "message.0.data.file_id: "],
    [{ type: "audio", data: {} }, "message.0.data.file_id: "],
    [{ type: "video", data: {} }, "message.0.data.file_id: "],
    [{ type: "file", data: {} }, "message.0.data.file_id: "],
    [{ type: "reply", data: { user_id: "2" } }, "message.0.data.message_id: "],
    [{ type: "reply", data: { message_id: "m", user_id: 2 } }, "message.0.data.user_id: "],
    [
      { type: "location", data: { latitude: "31", longitude: 121, title: "", content: "" } },
      "message.0.data.latitude: ",
    ],
    [
      { type: "location", data: { latitude: 31, longitude: Number.NaN, title: "", content: "" } },
      "message.0.data.longitude: ",
    ],
    [
      { type: "location", data: { latitude: 91, longitude: 0, title: "", content: "" } },
      "message.0.data.latitude: ",
    ],
    [
      { type: "location", data: { latitude: 1, longitude: 2, content: "" } },
      "message.0.data.title: ",
    ],
  ];
  for (const [segment, message] of cases) {
    const result = validate([segment]);
    expectFailure(result, 10006, message);
    expect((result as { message: string }).message.startsWith(message)).toBe(true);
  }
});

Deno.test("createMessageValidator() accepts mention_all with data {} and keeps extra data keys (§6.2, EXT-17)", () => {
  expect(validate([{ type: "mention_all", data: {} }])).toEqual([{
    type: "mention_all",
    data: {},
  }]);
  const image = { type: "image", data: { file_id: "f", "dc.url": "https://example.com/a.png" } };
  expect(validate([image])).toEqual([image]);
});

Deno.test("createMessageValidator() accepts an extended segment only when declared in types (§6.4)", () => {
  const withFace = createMessageValidator({ types: [...STANDARD_SEGMENT_TYPES, "qq.face"] });
  const face = { type: "qq.face", data: { id: "1" } };
  expect(withFace([face, { type: "text", data: { text: "!" } }])).toEqual([
    face,
    { type: "text", data: { text: "!" } },
  ]);
  expectFailure(validate([face]), 10005, /^message\.0\.type: /);
});

Deno.test("createMessageValidator() answers 10006 when an extended segment's data holds the key type (EXT-18)", () => {
  const withFace = createMessageValidator({ types: ["qq.face"] });
  expectFailure(
    withFace([{ type: "qq.face", data: { type: "big", id: "1" } }]),
    10006,
    /^message\.0\.data\.type: /,
  );
});

Deno.test("createMessageValidator() answers 10007 for data keys declared unsupported (§6.3)", () => {
  const noReplyUser = createMessageValidator({
    unsupportedData: { reply: ["user_id"], image: ["dc.url"] },
  });
  expect(noReplyUser([{ type: "reply", data: { message_id: "m" } }])).toEqual([
    { type: "reply", data: { message_id: "m" } },
  ]);
  expectFailure(
    noReplyUser([{ type: "reply", data: { message_id: "m", user_id: "2" } }]),
    10007,
    "message.0.data.user_id: not supported on reply segments",
  );
  expectFailure(
    noReplyUser([{ type: "image", data: { file_id: "f", "dc.url": "u" } }]),
    10007,
    /^message\.0\.data\.dc\.url: /,
  );
  // A required field that is missing is still 10006, checked first.
  expectFailure(noReplyUser([{ type: "reply", data: { user_id: "2" } }]), 10006, /message_id/);
});

Deno.test("createMessageValidator() answers the first failing segment, in order", () => {
  expectFailure(
    validate([{ type: "text", data: { text: "ok" } }, { type: "at", data: {} }, {
      type: "image",
      data: {},
    }]),
    10005,
    /^message\.1\./,
  );
});

Deno.test("createMessageValidator() throws TypeError for malformed options", () => {
  expect(() => createMessageValidator({ types: "text" as never })).toThrow(TypeError);
  expect(() => createMessageValidator({ types: ["" as never] })).toThrow(TypeError);
  // A Segment type never collides with a standard one: extended types carry their prefix.
  expect(() => createMessageValidator({ types: ["text", "face" as never] })).toThrow(
    "types must be standard segment types or <prefix>.<name>: current value is face",
  );
  expect(() => createMessageValidator({ types: ["Qq.face" as never] })).toThrow(TypeError);
  expect(() => createMessageValidator({ unsupportedData: { reply: [1 as unknown as string] } }))
    .toThrow(TypeError);
});

Deno.test("STANDARD_VALIDATORS.send_message answers 10005/10006 for its segments (§6.3)", () => {
  const base = { detail_type: "private", user_id: "2" };
  expectFailure(
    STANDARD_VALIDATORS.send_message({ ...base, message: [{ type: "at", data: {} }] }),
    10005,
    /^message\.0\.type/,
  );
  expectFailure(
    STANDARD_VALIDATORS.send_message({ ...base, message: { type: "image", data: {} } }),
    10006,
    /^message\.0\.data\.file_id/,
  );
  expectFailure(
    STANDARD_VALIDATORS.send_message({ ...base, message: [{ type: "image" }] }),
    10006,
    /^message\.0\.data/,
  );
});

Deno.test("isSegment() checks the segment shape (MSG-03)", () => {
  expect(isSegment({ type: "text", data: { text: "" } })).toBe(true);
  expect(isSegment({ type: "text", data: null })).toBe(false);
  expect(isSegment({ type: "", data: {} })).toBe(false);
  expect(isSegment([])).toBe(false);
});

Deno.test("segment builders produce segments that pass validation (§6.2)", () => {
  const message = [
    text("hi"),
    mention("2"),
    mentionAll(),
    image("f"),
    voice("f"),
    audio("f"),
    video("f"),
    file("f"),
    location({ latitude: 31.03, longitude: 121.45 }),
    reply("m"),
    reply("m", "2"),
  ];
  expect(validate(message)).toEqual(message);
  expect(mentionAll().data).toEqual({});
  expect(location({ latitude: 0, longitude: 0 }).data).toEqual({
    latitude: 0,
    longitude: 0,
    title: "",
    content: "",
  });
  expect(reply("m")).toEqual({ type: "reply", data: { message_id: "m" } });
});

Deno.test("segment builders throw TypeError for mistyped data", () => {
  expect(() => text(1 as unknown as string)).toThrow(TypeError);
  expect(() => image(undefined as unknown as string)).toThrow(TypeError);
  expect(() => location({ latitude: 100, longitude: 0 })).toThrow(TypeError);
  expect(() => location({ latitude: 0, longitude: Number.POSITIVE_INFINITY })).toThrow(TypeError);
});

Deno.test("extensionSegment() checks the prefix and the data (EXT-01, EXT-18)", () => {
  const data = { id: "1" };
  const face = extensionSegment("qq.face", data);
  expect(face).toEqual({ type: "qq.face", data: { id: "1" } });
  expect(face.data).not.toBe(data);
  expect(() => extensionSegment("face" as `${string}.${string}`, data)).toThrow(TypeError);
  expect(() => extensionSegment("go-cqhttp.face", data)).toThrow(TypeError);
  expect(() => extensionSegment("qq.", data)).toThrow(TypeError);
  expect(() => extensionSegment("qq.face", { type: "big" })).toThrow(TypeError);
  expect(() => extensionSegment("qq.face", null as unknown as Record<string, unknown>)).toThrow(
    TypeError,
  );
});
