import { expect } from "expect";
import * as v from "valibot";
import { ok } from "../../action/result.ts";
import { createActionRouter } from "../../action/router.ts";
import type { AnyActionHandlers } from "../../action/types.ts";
import {
  schemaValidator,
  STANDARD_VALIDATORS,
  type StandardSchemaV1,
} from "../../action/validate.ts";
import { createOneBot } from "../../onebot.ts";

const self = { platform: "demo", user_id: "bot" };
const context = { connection: "local" } as const;

/** A router whose handlers echo their params. */
function echoRouter(validators: Parameters<typeof createActionRouter>[0]["validators"]) {
  const handlers: AnyActionHandlers = {
    "demo.echo": (params) => ok(params),
    send_message: (params) => ok(params),
  };
  return createActionRouter({
    handlers,
    bots: () => [self],
    ...(validators ? { validators } : {}),
  });
}

Deno.test("schemaValidator() accepts a valibot schema: output to the handler, first issue as 10003 naming the field", async () => {
  const router = echoRouter({
    "demo.echo": schemaValidator(
      v.object({ user: v.object({ id: v.string() }), times: v.optional(v.number(), 1) }),
    ),
  });
  const good = await router({ action: "demo.echo", params: { user: { id: "1" } } }, context);
  expect(good).toEqual({
    status: "ok",
    retcode: 0,
    data: { user: { id: "1" }, times: 1 },
    message: "",
  });
  const bad = await router({ action: "demo.echo", params: { user: { id: 1 } } }, context);
  expect(bad.retcode).toBe(10003);
  expect(bad.message).toMatch(/^user\.id: /);
});

Deno.test("schemaValidator() awaits an asynchronous Standard Schema", async () => {
  const asyncSchema: StandardSchemaV1<unknown, { n: number }> = {
    "~standard": {
      version: 1,
      vendor: "test",
      validate: (value) =>
        Promise.resolve(
          typeof (value as { n?: unknown }).n === "number"
            ? { value: { n: (value as { n: number }).n * 2 } }
            : { issues: [{ message: "expected a number", path: [{ key: "n" }] }] },
        ),
    },
  };
  const router = echoRouter({ "demo.echo": schemaValidator(asyncSchema) });
  const good = await router({ action: "demo.echo", params: { n: 2 } }, context);
  expect(good.data).toEqual({ n: 4 });
  const bad = await router({ action: "demo.echo", params: {} }, context);
  expect(bad).toEqual({
    status: "failed",
    retcode: 10003,
    data: null,
    message: "n: expected a number",
  });
});

Deno.test("schemaValidator() names the params when an issue has no path, and survives an empty issue list", async () => {
  function schemaWith(issues: StandardSchemaV1["~standard"]["validate"]): StandardSchemaV1 {
    return { "~standard": { version: 1, vendor: "test", validate: issues } };
  }
  const router = echoRouter({
    "demo.echo": schemaValidator(schemaWith(() => ({ issues: [{ message: "nope" }] }))),
    send_message: schemaValidator(schemaWith(() => ({ issues: [] }))),
  });
  expect((await router({ action: "demo.echo", params: {} }, context)).message).toBe(
    "params: nope",
  );
  expect((await router({ action: "send_message", params: {} }, context)).retcode).toBe(10003);
});

Deno.test("schemaValidator() answers 20002 when the schema throws or rejects (RESP-03)", async () => {
  const throwing: StandardSchemaV1 = {
    "~standard": {
      version: 1,
      vendor: "test",
      validate: () => {
        throw new Error("boom");
      },
    },
  };
  const rejecting: StandardSchemaV1 = {
    "~standard": { version: 1, vendor: "test", validate: () => Promise.reject(new Error("boom")) },
  };
  const router = echoRouter({
    "demo.echo": schemaValidator(throwing),
    send_message: schemaValidator(rejecting),
  });
  expect((await router({ action: "demo.echo", params: {} }, context)).retcode).toBe(20002);
  expect((await router({ action: "send_message", params: {} }, context)).retcode).toBe(20002);
});

Deno.test("schemaValidator() throws TypeError for a value that is not a Standard Schema", () => {
  expect(() => schemaValidator({} as StandardSchemaV1)).toThrow(TypeError);
  expect(() => schemaValidator(null as unknown as StandardSchemaV1)).toThrow(TypeError);
});

Deno.test("createActionRouter() with STANDARD_VALIDATORS answers 10003 before the handler runs (§2.4)", async () => {
  let calls = 0;
  const router = createActionRouter({
    handlers: {
      send_message: () => {
        calls++;
        return ok({ message_id: "1", time: 1 });
      },
    },
    bots: () => [self],
    validators: STANDARD_VALIDATORS,
  });
  const response = await router(
    { action: "send_message", params: { detail_type: "group", message: "hi" }, echo: "e" },
    context,
  );
  expect(response).toEqual({
    status: "failed",
    retcode: 10003,
    data: null,
    message: "group_id: is required when detail_type is group",
    echo: "e",
  });
  expect(calls).toBe(0);
});

Deno.test("createOneBot() validates standard params by default and hands converted params to handlers", async () => {
  const seen: unknown[] = [];
  await using onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self, online: true }],
    handlers: {
      send_message: (params) => {
        seen.push(params);
        return ok({ message_id: "1", time: 1 });
      },
    },
  });
  const bad = await onebot.router(
    { action: "send_message", params: { detail_type: "private", message: "hi" } },
    context,
  );
  expect(bad.retcode).toBe(10003);
  const good = await onebot.router(
    {
      action: "send_message",
      params: { detail_type: "private", user_id: "2", message: "hi", x: 1 },
    },
    context,
  );
  expect(good.retcode).toBe(0);
  expect(seen).toEqual([{
    detail_type: "private",
    user_id: "2",
    message: [{ type: "text", data: { text: "hi" } }],
    x: 1,
  }]);
});

Deno.test("createOneBot({ strictParams, segments }) answers 10004 and 10005 (EXT-14, §6.3)", async () => {
  await using onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self, online: true }],
    handlers: { send_message: () => ok({ message_id: "1", time: 1 }) },
    strictParams: true,
    segments: { types: ["text"] },
  });
  const base = { detail_type: "private", user_id: "2" };
  const unknown = await onebot.router(
    { action: "send_message", params: { ...base, message: "hi", x: 1 } },
    context,
  );
  expect(unknown).toMatchObject({ retcode: 10004, message: "x: unsupported param" });
  const image = await onebot.router(
    {
      action: "send_message",
      params: { ...base, message: { type: "image", data: { file_id: "f" } } },
    },
    context,
  );
  expect(image.retcode).toBe(10005);
  const version = await onebot.router({ action: "get_version", params: { x: 1 } }, context);
  expect(version.retcode).toBe(10004);
});

Deno.test("createOneBot() lets the user's validators win over the standard ones", async () => {
  await using onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self, online: true }],
    handlers: {
      send_message: (params) => ok({ message_id: String(params.detail_type), time: 1 }),
      get_user_info: (params) =>
        ok({
          user_id: String(params.user_id),
          user_name: "",
          user_displayname: "",
          user_remark: "",
        }),
    },
    validators: {
      send_message: schemaValidator(v.looseObject({ detail_type: v.string() })),
      get_user_info: undefined,
    },
  });
  const send = await onebot.router(
    { action: "send_message", params: { detail_type: "discuss" } },
    context,
  );
  expect(send).toMatchObject({ retcode: 0, data: { message_id: "discuss" } });
  const user = await onebot.router({ action: "get_user_info", params: { user_id: 2 } }, context);
  expect(user).toMatchObject({ retcode: 0, data: { user_id: "2" } });
});
