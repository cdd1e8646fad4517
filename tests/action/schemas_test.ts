import { expect } from "expect";
import { decodeMsgpack, encodeMsgpack } from "../../connection/codec.ts";
import { isFailure } from "../../action/result.ts";
import { createValidators, STANDARD_VALIDATORS } from "../../action/validate.ts";
import type { StandardActions } from "../../action/standard.ts";

type Params = Record<string, unknown>;

interface Case {
  /** A valid call. */
  valid: Params;
  /** What the handler receives; `valid` when omitted. */
  output?: Params;
  /** Params whose absence or wrong type answers 10003. */
  required: readonly string[];
}

const TEXT = [{ type: "text", data: { text: "hi" } }];
const HI = new Uint8Array([104, 105]);
const SHA = "a".repeat(64);

/** One valid call per standard action (§4.6: all 31). */
const CASES: { [A in keyof StandardActions]: Case } = {
  get_latest_events: { valid: {}, output: { limit: 0, timeout: 0 }, required: [] },
  get_supported_actions: { valid: {}, required: [] },
  get_status: { valid: {}, required: [] },
  get_version: { valid: {}, required: [] },
  send_message: {
    valid: { detail_type: "private", user_id: "2", message: TEXT },
    required: ["detail_type", "user_id", "message"],
  },
  delete_message: { valid: { message_id: "m1" }, required: ["message_id"] },
  get_self_info: { valid: {}, required: [] },
  get_user_info: { valid: { user_id: "2" }, required: ["user_id"] },
  get_friend_list: { valid: {}, required: [] },
  get_group_info: { valid: { group_id: "g" }, required: ["group_id"] },
  get_group_list: { valid: {}, required: [] },
  get_group_member_info: {
    valid: { group_id: "g", user_id: "2" },
    required: ["group_id", "user_id"],
  },
  get_group_member_list: { valid: { group_id: "g" }, required: ["group_id"] },
  set_group_name: {
    valid: { group_id: "g", group_name: "n" },
    required: ["group_id", "group_name"],
  },
  leave_group: { valid: { group_id: "g" }, required: ["group_id"] },
  get_guild_info: { valid: { guild_id: "1" }, required: ["guild_id"] },
  get_guild_list: { valid: {}, required: [] },
  set_guild_name: {
    valid: { guild_id: "1", guild_name: "n" },
    required: ["guild_id", "guild_name"],
  },
  get_guild_member_info: {
    valid: { guild_id: "1", user_id: "2" },
    required: ["guild_id", "user_id"],
  },
  get_guild_member_list: { valid: { guild_id: "1" }, required: ["guild_id"] },
  leave_guild: { valid: { guild_id: "1" }, required: ["guild_id"] },
  get_channel_info: {
    valid: { guild_id: "1", channel_id: "c" },
    required: ["guild_id", "channel_id"],
  },
  get_channel_list: {
    valid: { guild_id: "1" },
    output: { guild_id: "1", joined_only: false },
    required: ["guild_id"],
  },
  set_channel_name: {
    valid: { guild_id: "1", channel_id: "c", channel_name: "n" },
    required: ["guild_id", "channel_id", "channel_name"],
  },
  get_channel_member_info: {
    valid: { guild_id: "1", channel_id: "c", user_id: "2" },
    required: ["guild_id", "channel_id", "user_id"],
  },
  get_channel_member_list: {
    valid: { guild_id: "1", channel_id: "c" },
    required: ["guild_id", "channel_id"],
  },
  leave_channel: {
    valid: { guild_id: "1", channel_id: "c" },
    required: ["guild_id", "channel_id"],
  },
  upload_file: {
    valid: { type: "data", name: "a.txt", data: "aGk=" },
    output: { type: "data", name: "a.txt", data: HI },
    required: ["type", "name", "data"],
  },
  upload_file_fragmented: {
    valid: { stage: "prepare", name: "a.bin", total_size: 10 },
    required: ["stage", "name", "total_size"],
  },
  get_file: { valid: { file_id: "f", type: "url" }, required: ["file_id", "type"] },
  get_file_fragmented: {
    valid: { stage: "prepare", file_id: "f" },
    required: ["stage", "file_id"],
  },
};

/** The other stages of the fragmented file actions (§4.5). */
const STAGE_CASES: readonly (readonly [keyof StandardActions, Case])[] = [
  ["upload_file_fragmented", {
    valid: { stage: "transfer", file_id: "f", offset: 0, data: "aGk=" },
    output: { stage: "transfer", file_id: "f", offset: 0, data: HI },
    required: ["file_id", "offset", "data"],
  }],
  ["upload_file_fragmented", {
    valid: { stage: "finish", file_id: "f", sha256: SHA },
    required: ["file_id", "sha256"],
  }],
  ["get_file_fragmented", {
    valid: { stage: "transfer", file_id: "f", offset: 2, size: 1024 },
    required: ["file_id", "offset", "size"],
  }],
];

/** A value of the wrong type for a param whose valid value is `value`. */
function mistyped(value: unknown): unknown {
  if (typeof value === "string") return 42;
  if (typeof value === "number") return "1";
  return true;
}

function validate(action: keyof StandardActions, params: Params, strict = false): unknown {
  const validators = strict ? createValidators({ strictParams: true }) : STANDARD_VALIDATORS;
  return validators[action](params);
}

function expectFailure(result: unknown, retcode: number, message: RegExp | string): void {
  expect(isFailure(result)).toBe(true);
  expect(result).toMatchObject({ status: "failed", retcode, data: null });
  expect((result as { message: string }).message).toMatch(message);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

Deno.test("STANDARD_VALIDATORS covers all 31 standard actions (§4.6)", () => {
  expect(Object.keys(STANDARD_VALIDATORS).sort()).toEqual(Object.keys(CASES).sort());
  expect(Object.keys(STANDARD_VALIDATORS).length).toBe(31);
});

const ALL_CASES: readonly (readonly [keyof StandardActions, Case])[] = [
  ...(Object.entries(CASES) as [keyof StandardActions, Case][]),
  ...STAGE_CASES,
];

for (const [action, { valid, output, required }] of ALL_CASES) {
  const stage = typeof valid.stage === "string" ? ` (stage ${valid.stage})` : "";
  Deno.test(`STANDARD_VALIDATORS.${action}${stage} passes a valid call and converts it (§4)`, () => {
    expect(validate(action, structuredClone(valid))).toEqual(output ?? valid);
  });
  for (const field of required) {
    if (field === "stage") continue; // covered by the stage tests below
    Deno.test(`STANDARD_VALIDATORS.${action}${stage} answers 10003 without ${field} (§2.4)`, () => {
      const { [field]: _removed, ...params } = valid;
      expectFailure(validate(action, params), 10003, new RegExp(`^${escape(field)}: is required`));
    });
    Deno.test(`STANDARD_VALIDATORS.${action}${stage} answers 10003 for a mistyped ${field} (§2.4)`, () => {
      const params = { ...valid, [field]: mistyped(valid[field]) };
      expectFailure(validate(action, params), 10003, new RegExp(`^${escape(field)}: `));
    });
  }
}

Deno.test("STANDARD_VALIDATORS rejects numeric IDs: every ID is a string (§9.3 item 31)", () => {
  expectFailure(
    validate("get_user_info", { user_id: 2 }),
    10003,
    "user_id: expected string, received 2",
  );
  expectFailure(validate("delete_message", { message_id: 1 }), 10003, /^message_id: /);
});

Deno.test("STANDARD_VALIDATORS.send_message requires the ids of its detail_type (§4.1)", () => {
  const message = "hi";
  expectFailure(
    validate("send_message", { detail_type: "private", message }),
    10003,
    "user_id: is required when detail_type is private",
  );
  expectFailure(
    validate("send_message", { detail_type: "group", user_id: "2", message }),
    10003,
    "group_id: is required when detail_type is group",
  );
  expectFailure(
    validate("send_message", { detail_type: "channel", channel_id: "c", message }),
    10003,
    "guild_id: is required when detail_type is channel",
  );
  expectFailure(
    validate("send_message", { detail_type: "channel", guild_id: "1", message }),
    10003,
    "channel_id: is required when detail_type is channel",
  );
  expect(validate("send_message", { detail_type: "group", group_id: "g", message })).toEqual({
    detail_type: "group",
    group_id: "g",
    message: [{ type: "text", data: { text: "hi" } }],
  });
  expect(
    validate("send_message", { detail_type: "channel", guild_id: "1", channel_id: "c", message }),
  ).toMatchObject({ guild_id: "1", channel_id: "c" });
});

Deno.test("STANDARD_VALIDATORS.send_message passes an extended detail_type to the handler (§4.1, EXT-13)", () => {
  const params = { detail_type: "qq.discuss", "qq.discuss_id": "d1", message: "hi" };
  expect(validate("send_message", params)).toEqual({
    ...params,
    message: [{ type: "text", data: { text: "hi" } }],
  });
});

Deno.test("STANDARD_VALIDATORS answers 10004 for an unprefixed non-standard detail_type or file type (§2.4)", () => {
  expectFailure(
    validate("send_message", { detail_type: "discuss", message: "hi" }),
    10004,
    /^detail_type: unsupported value "discuss"/,
  );
  expectFailure(validate("upload_file", { type: "ftp", name: "a" }), 10004, /^type: /);
  expectFailure(validate("get_file", { file_id: "f", type: "ftp" }), 10004, /^type: /);
  expect(validate("get_file", { file_id: "f", type: "qq.silk" })).toEqual({
    file_id: "f",
    type: "qq.silk",
  });
});

Deno.test("STANDARD_VALIDATORS.send_message normalises the three message forms to a list (MSG-02)", () => {
  const base = { detail_type: "private", user_id: "2" };
  const segment = { type: "text", data: { text: "hi" } };
  for (const message of ["hi", segment, [segment]]) {
    expect(validate("send_message", { ...base, message })).toEqual({ ...base, message: [segment] });
  }
  expectFailure(validate("send_message", { ...base, message: 42 }), 10003, /^message: /);
  expectFailure(validate("send_message", { ...base, message: null }), 10003, /^message: /);
  expectFailure(validate("send_message", { ...base, message: [] }), 10003, /^message: /);
});

Deno.test("STANDARD_VALIDATORS.get_channel_list defaults joined_only to false (§4.4)", () => {
  expect(validate("get_channel_list", { guild_id: "1" })).toEqual({
    guild_id: "1",
    joined_only: false,
  });
  expect(validate("get_channel_list", { guild_id: "1", joined_only: true })).toEqual({
    guild_id: "1",
    joined_only: true,
  });
  expectFailure(
    validate("get_channel_list", { guild_id: "1", joined_only: "yes" }),
    10003,
    /^joined_only: /,
  );
});

Deno.test("STANDARD_VALIDATORS.upload_file requires url, path or data by type (§4.5)", () => {
  expectFailure(
    validate("upload_file", { type: "url", name: "a" }),
    10003,
    "url: is required when type is url",
  );
  expectFailure(
    validate("upload_file", { type: "path", name: "a" }),
    10003,
    "path: is required when type is path",
  );
  expectFailure(
    validate("upload_file", { type: "data", name: "a" }),
    10003,
    "data: is required when type is data",
  );
  expectFailure(validate("upload_file", { type: "url", name: "a", url: "" }), 10003, /^url: /);
  const url = {
    type: "url",
    name: "a.jpg",
    url: "https://example.com/a.jpg",
    headers: { "X-Token": "t" },
    sha256: SHA.toUpperCase(),
  };
  expect(validate("upload_file", url)).toEqual({ ...url, sha256: SHA });
  expect(validate("upload_file", { type: "path", name: "a", path: "/tmp/a" })).toEqual({
    type: "path",
    name: "a",
    path: "/tmp/a",
  });
  expectFailure(
    validate("upload_file", { ...url, headers: { "X-Token": 1 } }),
    10003,
    /^headers\.X-Token: /,
  );
  expectFailure(validate("upload_file", { ...url, sha256: "abc" }), 10003, /^sha256: /);
});

Deno.test("STANDARD_VALIDATORS answers 10003 for an unknown or missing stage (§4.5)", () => {
  for (const action of ["upload_file_fragmented", "get_file_fragmented"] as const) {
    expectFailure(validate(action, { stage: "commit", file_id: "f" }), 10003, /^stage: expected /);
    expectFailure(validate(action, { file_id: "f" }), 10003, /^stage: is required/);
    expectFailure(validate(action, { stage: 1, file_id: "f" }), 10003, /^stage: /);
  }
  // get_file_fragmented has no finish stage
  expectFailure(
    validate("get_file_fragmented", { stage: "finish", file_id: "f", sha256: SHA }),
    10003,
    /^stage: /,
  );
});

Deno.test("STANDARD_VALIDATORS requires int64 sizes and offsets to be non-negative safe integers (§4.5)", () => {
  const transfer = { stage: "transfer", file_id: "f", offset: 0, size: 10 };
  for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, "10", Number.NaN]) {
    expectFailure(
      validate("get_file_fragmented", { ...transfer, offset: bad }),
      10003,
      /^offset: /,
    );
    expectFailure(validate("get_file_fragmented", { ...transfer, size: bad }), 10003, /^size: /);
    expectFailure(
      validate("upload_file_fragmented", { stage: "prepare", name: "a", total_size: bad }),
      10003,
      /^total_size: /,
    );
  }
  expect(validate("get_file_fragmented", { ...transfer, offset: Number.MAX_SAFE_INTEGER }))
    .toEqual({ ...transfer, offset: Number.MAX_SAFE_INTEGER });
});

Deno.test("STANDARD_VALIDATORS.get_latest_events answers 10003 for a negative limit or timeout (§3.1)", () => {
  expect(validate("get_latest_events", { limit: 5 })).toEqual({ limit: 5, timeout: 0 });
  expectFailure(validate("get_latest_events", { limit: -1 }), 10003, /^limit: /);
  expectFailure(validate("get_latest_events", { timeout: -1 }), 10003, /^timeout: /);
});

Deno.test("STANDARD_VALIDATORS reads bytes from Base64 strings, lenient about padding and alphabet (ENC-01)", () => {
  const transfer = { stage: "transfer", file_id: "f", offset: 0 };
  const bytes = new Uint8Array([251, 255, 104]);
  for (const data of ["+/9o", "-_9o", "+/8=", "+/8", "-_8"]) {
    const result = validate("upload_file_fragmented", { ...transfer, data }) as Params;
    expect(result.data).toBeInstanceOf(Uint8Array);
    expect(result.data).toEqual(
      data.length === 4 && !data.endsWith("=") ? bytes : bytes.slice(0, 2),
    );
  }
  expect((validate("upload_file_fragmented", { ...transfer, data: "" }) as Params).data)
    .toEqual(new Uint8Array());
  for (const data of ["a", "a=b", "aGk===", "aGk!", 42, [104, 105], null]) {
    expectFailure(
      validate("upload_file_fragmented", { ...transfer, data }),
      10003,
      /^data: expected bytes/,
    );
  }
});

Deno.test("STANDARD_VALIDATORS takes bytes from a MessagePack bin as a Uint8Array (ENC-01)", () => {
  const decoded = decodeMsgpack(
    encodeMsgpack({ type: "data", name: "a.txt", data: new Uint8Array([1, 2, 3]) }),
  ) as Params;
  expect(decoded.data).toBeInstanceOf(Uint8Array);
  const result = validate("upload_file", decoded) as Params;
  expect(result.data).toEqual(new Uint8Array([1, 2, 3]));
});

Deno.test("STANDARD_VALIDATORS tolerates and drops the obsolete transfer size (#230, §9.3 item 29)", () => {
  const params = { stage: "transfer", file_id: "f", offset: 0, data: "aGk=", size: 2 };
  const expected = { stage: "transfer", file_id: "f", offset: 0, data: HI };
  expect(validate("upload_file_fragmented", params)).toEqual(expected);
  expect(validate("upload_file_fragmented", params, true)).toEqual(expected);
});

Deno.test("STANDARD_VALIDATORS ignores unknown params and passes them on by default (§9.4, EXT-14)", () => {
  expect(validate("get_user_info", { user_id: "2", foo: 1, "qq.bar": 2 })).toEqual({
    user_id: "2",
    foo: 1,
    "qq.bar": 2,
  });
  expect(validate("get_version", { foo: 1 })).toEqual({ foo: 1 });
});

Deno.test("createValidators({ strictParams: true }) answers 10004 for unknown params without a dot (EXT-14)", () => {
  expectFailure(
    validate("get_user_info", { user_id: "2", foo: 1 }, true),
    10004,
    "foo: unsupported param",
  );
  expectFailure(validate("get_version", { foo: 1 }, true), 10004, "foo: unsupported param");
  expectFailure(
    validate(
      "upload_file_fragmented",
      { stage: "finish", file_id: "f", sha256: SHA, name: "a" },
      true,
    ),
    10004,
    "name: unsupported param",
  );
  expect(validate("get_user_info", { user_id: "2", "qq.bar": 2 }, true)).toEqual({
    user_id: "2",
    "qq.bar": 2,
  });
  // Missing or mistyped params are reported first (10003).
  expectFailure(validate("get_user_info", { foo: 1 }, true), 10003, /^user_id: /);
});

Deno.test("createValidators() throws TypeError for a non-boolean strictParams", () => {
  expect(() => createValidators({ strictParams: "yes" as unknown as boolean })).toThrow(TypeError);
  expect(() => createValidators({ segments: { types: "text" as never } })).toThrow(
    TypeError,
  );
});

Deno.test("STANDARD_VALIDATORS never mutates the request params", () => {
  const params = { detail_type: "private", user_id: "2", message: "hi" };
  const copy = structuredClone(params);
  validate("send_message", params);
  expect(params).toEqual(copy);
});
