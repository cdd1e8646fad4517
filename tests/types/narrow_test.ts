// Compile-time checks that params and messages narrow (issue #13 item 3, §4.1, §4.5, §6):
// every line after a `@ts-expect-error` comment must fail to type-check, or `deno check` /
// `deno test` fail with TS2578 (unused directive). The runtime assertions make sure the
// accepted shapes really run through the standard validators.
import { expect } from "expect";
import * as v from "valibot";
import { defineActions } from "../../action/compose.ts";
import { ok } from "../../action/result.ts";
import { createActionRouter } from "../../action/router.ts";
import { PARAMS_SCHEMAS } from "../../action/schemas.ts";
import type {
  GetFileData,
  SendMessageParams,
  StandardActions,
  UploadFileParams,
} from "../../action/standard.ts";
import { STANDARD_VALIDATORS } from "../../action/validate.ts";
import type { ExtensionName } from "../../event/extension.ts";
import {
  image,
  type Message,
  messageText,
  type MessageTextOptions,
  type Segment,
  text,
} from "../../event/segment.ts";
import type { SegmentSupport } from "../../action/segment_validate.ts";
import { groupMessageEvent, type StandardEvent } from "../../event/standard.ts";

/** `true` when `A` and `B` are mutually assignable. */
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertType<T extends true>(_value?: T): void {}

Deno.test("send_message params narrow by detail_type: no ! in a handler (§4.1)", async () => {
  const handlers = defineActions({
    send_message(params) {
      // @ts-expect-error: user_id exists only once detail_type is private
      void params.user_id;
      switch (params.detail_type) {
        case "private":
          assertType<Equal<typeof params.user_id, string>>();
          // @ts-expect-error: a private message has no group_id
          void params.group_id;
          return ok({ message_id: `u:${params.user_id}`, time: 1 });
        case "group":
          assertType<Equal<typeof params.group_id, string>>();
          // @ts-expect-error: a group message has no user_id to send to
          void params.user_id;
          return ok({ message_id: `g:${params.group_id}`, time: 1 });
        case "channel":
          assertType<Equal<typeof params.guild_id, string>>();
          assertType<Equal<typeof params.channel_id, string>>();
          return ok({ message_id: `c:${params.guild_id}/${params.channel_id}`, time: 1 });
        default:
          assertType<Equal<typeof params.detail_type, ExtensionName>>();
          assertType<Equal<typeof params.group_id, string | undefined>>();
          assertType<Equal<typeof params["qq.discuss_id"], unknown>>();
          return ok({ message_id: `x:${params.detail_type}`, time: 1 });
      }
    },
  });
  const router = createActionRouter({
    handlers,
    bots: () => [{ platform: "qq", user_id: "1" }],
    validators: STANDARD_VALIDATORS,
  });
  const requests = [
    [{ detail_type: "private", user_id: "2", message: "hi" }, "u:2"],
    [{ detail_type: "group", group_id: "g", message: "hi" }, "g:g"],
    [{ detail_type: "channel", guild_id: "1", channel_id: "c", message: "hi" }, "c:1/c"],
    [{ detail_type: "qq.discuss", "qq.discuss_id": "d", message: "hi" }, "x:qq.discuss"],
  ] as const;
  for (const [params, id] of requests) {
    const response = await router({ action: "send_message", params }, { connection: "local" });
    expect(response).toMatchObject({ retcode: 0, data: { message_id: id } });
  }
});

Deno.test("SendMessageParams refuses a variant without its ids or an unprefixed detail_type (§4.1, EXT-01)", () => {
  const message: Message = [text("hi")];
  const params: SendMessageParams[] = [
    { detail_type: "private", user_id: "2", message },
    { detail_type: "channel", guild_id: "1", channel_id: "c", message, "qq.silent": true },
    { detail_type: "qq.discuss", "qq.discuss_id": "d", message },
    // @ts-expect-error: private needs user_id
    { detail_type: "private", group_id: "g", message },
    // @ts-expect-error: channel needs channel_id as well as guild_id
    { detail_type: "channel", guild_id: "1", message },
    // @ts-expect-error: an extended detail_type needs its prefix
    { detail_type: "discuss", message },
  ];
  expect(params).toHaveLength(6);
});

Deno.test("the send_message and upload_file schemas output exactly the discriminated params (§4.1, §4.5)", () => {
  type SendOutput = v.InferOutput<typeof PARAMS_SCHEMAS.send_message>;
  type UploadOutput = v.InferOutput<typeof PARAMS_SCHEMAS.upload_file>;
  assertType<Equal<SendOutput, SendMessageParams>>();
  assertType<Equal<UploadOutput, UploadFileParams>>();
  const output = v.parse(PARAMS_SCHEMAS.upload_file, { type: "data", name: "a", data: "aGk=" });
  expect(output.type === "data" && output.data).toEqual(new Uint8Array([104, 105]));
});

Deno.test("upload_file params narrow by type; get_file data by the field present (§4.5)", () => {
  defineActions({
    upload_file(params) {
      // @ts-expect-error: url exists only once type is url
      void params.url.length;
      switch (params.type) {
        case "url":
          assertType<Equal<typeof params.url, string>>();
          assertType<Equal<typeof params.headers, Record<string, string> | undefined>>();
          return ok({ file_id: params.url });
        case "path":
          assertType<Equal<typeof params.path, string>>();
          return ok({ file_id: params.path });
        case "data":
          assertType<Equal<typeof params.data, Uint8Array>>();
          return ok({ file_id: String(params.data.byteLength) });
        default:
          assertType<Equal<typeof params.data, Uint8Array | undefined>>();
          return ok({ file_id: params.type });
      }
    },
    get_file: ({ file_id, type }) =>
      type === "url" ? ok({ name: file_id, url: "https://example.com/f" }) : ok({
        name: file_id,
        data: new Uint8Array(0),
      }),
  });
  const answers: StandardActions["get_file"]["data"][] = [
    { name: "a", path: "/tmp/a", sha256: "" },
    // @ts-expect-error: get_file answers with the content: url, path or data (§4.5)
    { name: "a", sha256: "" },
  ];
  function urlOf(data: GetFileData): string | undefined {
    // @ts-expect-error: which field is present must be checked first
    void data.url;
    return "url" in data ? data.url : undefined;
  }
  expect(urlOf({ name: "a", url: "https://example.com/a" })).toBe("https://example.com/a");
  expect(answers).toHaveLength(2);
});

Deno.test("Segment narrows by type; extended segments need a prefix (§6.2, §6.4, EXT-18)", () => {
  const message: Message = [text("look "), image("f"), { type: "qq.face", data: { id: 1 } }];
  const seen: string[] = [];
  for (const segment of message) {
    // @ts-expect-error: data.text exists only once type is text
    void segment.data.text;
    if (segment.type === "text") {
      assertType<Equal<typeof segment.data.text, string>>();
      seen.push(segment.data.text);
    } else if (segment.type === "image") {
      assertType<Equal<typeof segment.data, { file_id: string }>>();
      seen.push(segment.data.file_id);
    } else if (segment.type === "qq.face") {
      assertType<Equal<typeof segment.data, Record<string, unknown>>>();
      seen.push(String(segment.data.id));
    }
  }
  expect(seen).toEqual(["look ", "f", "1"]);

  const segments: Segment[] = [
    { type: "mention_all", data: {} },
    { type: "reply", data: { message_id: "m" } },
    // @ts-expect-error: text must be a string (§6.2)
    { type: "text", data: { text: 1 } },
    // @ts-expect-error: image needs file_id (§6.2)
    { type: "image", data: {} },
    // @ts-expect-error: an extended segment type needs its prefix (EXT-01)
    { type: "face", data: { id: "1" } },
  ];
  // @ts-expect-error: segment support lists standard or prefixed types only
  const support: SegmentSupport = { types: ["text", "face"] };
  expect([segments, support]).toHaveLength(2);
});

Deno.test("MessageTextOptions gives each renderer its segment type", () => {
  const options: MessageTextOptions = {
    mention: ({ data }) => `@${data.user_id}`,
    media: (segment) => {
      assertType<Equal<typeof segment.type, "image" | "voice" | "audio" | "video" | "file">>();
      return `[${segment.type}:${segment.data.file_id}]`;
    },
    location: ({ data }) => `${data.latitude},${data.longitude}`,
    extended: ({ type, data }) => `${type}${Object.keys(data).length}`,
    // @ts-expect-error: a renderer returns text
    reply: () => 1,
  };
  expect(messageText([image("f")], options)).toBe("[image:f]");
});

Deno.test("message events narrow by detail_type, and their segments by type (§5.1, MSG-01)", () => {
  function describe(event: StandardEvent): string {
    if (event.type !== "message") return event.detail_type;
    // @ts-expect-error: group_id is a string only once detail_type is group
    void (event.group_id satisfies string);
    const words = messageText(event.message, { mention: ({ data }) => `@${data.user_id}` });
    switch (event.detail_type) {
      case "private":
        return `${event.user_id}: ${words}`;
      case "group":
        return `${event.group_id}/${event.user_id}: ${words}`;
      case "channel":
        return `${event.guild_id}/${event.channel_id}/${event.user_id}: ${words}`;
    }
  }
  const self = { platform: "qq", user_id: "1" };
  const event = groupMessageEvent({
    self,
    message_id: "m",
    user_id: "2",
    group_id: "g",
    message: "hi",
  });
  expect(describe(event)).toBe("g/2: hi");
});
