import { expect } from "expect";
import { createActionRouter, failed, mergeHandlers, ok, withMetaActions } from "../../mod.ts";
import type { ActionContext, AnyActionHandlers } from "../../mod.ts";

const alice = { platform: "demo", user_id: "alice" };
const bob = { platform: "demo", user_id: "bob" };
const version = { impl: "x", version: "1", onebot_version: "12" as const };

function routerWith(handlers: AnyActionHandlers, bots = [alice]) {
  return createActionRouter({
    handlers: withMetaActions(handlers, { version, status: () => ({ good: true, bots: [] }) }),
    bots: () => bots,
  });
}

const seen: ActionContext[] = [];
const whoami = { whoami: (_: unknown, context: ActionContext) => ok(seen.push(context) && null) };

Deno.test("router: several bots and no self on a non-meta action → 10101 (REQ-02, REQ-03)", async () => {
  const route = routerWith(whoami, [alice, bob]);
  expect((await route({ action: "whoami", params: {} }, { connection: "http" })).retcode).toBe(
    10101,
  );
});

Deno.test("router: an unknown self → 10102, on shared and single-bot routers (REQ-04, REQ-05)", async () => {
  for (const bots of [[alice, bob], [alice]]) {
    const route = routerWith(whoami, bots);
    const request = { action: "whoami", params: {}, self: { platform: "demo", user_id: "eve" } };
    expect((await route(request, { connection: "http" })).retcode).toBe(10102);
  }
});

Deno.test("router: a known self reaches the handler's context", async () => {
  const route = routerWith(whoami, [alice, bob]);
  seen.length = 0;
  await route({ action: "whoami", params: {}, self: bob }, { connection: "websocket" });
  expect(seen[0]).toEqual({ connection: "websocket", self: bob });
});

Deno.test("router: one bot and no self → that bot; no bot at all → 10101", async () => {
  seen.length = 0;
  await routerWith(whoami)({ action: "whoami", params: {} }, { connection: "http" });
  expect(seen[0]!.self).toEqual(alice);
  const none = routerWith(whoami, []);
  expect((await none({ action: "whoami", params: {} }, { connection: "http" })).retcode)
    .toBe(10101);
});

Deno.test("router: meta actions never require self, and ignore an unknown one (REQ-06)", async () => {
  const route = routerWith({}, [alice, bob]);
  for (
    const request of [
      { action: "get_version", params: {} },
      { action: "get_status", params: {}, self: { platform: "demo", user_id: "eve" } },
    ]
  ) {
    expect((await route(request, { connection: "http" })).retcode).toBe(0);
  }
});

Deno.test("router: any throw becomes 20002 with no stack in the message (RESP-03)", async () => {
  const throwers: AnyActionHandlers = {
    error: () => {
      throw new Error("secret detail");
    },
    string: () => {
      throw "oops";
    },
    undefined: () => {
      throw undefined;
    },
    rejects: () => Promise.reject(new TypeError("x")),
  };
  const route = routerWith(throwers);
  for (const action of Object.keys(throwers)) {
    const response = await route({ action, params: {}, echo: "e" }, { connection: "http" });
    expect(response).toEqual({
      status: "failed",
      retcode: 20002,
      data: null,
      message: `the handler for ${action} failed`,
      echo: "e",
    });
  }
});

Deno.test("router: a result that is not an ok/failed record becomes 20001 (RESP-03)", async () => {
  const bad: AnyActionHandlers = {
    none: (() => undefined) as never,
    bare: (() => ({ user_id: "1" })) as never,
    mixed: (() => ({ status: "ok", retcode: 5, data: null, message: "" })) as never,
    noData: (() => ({ status: "ok", retcode: 0, message: "" })) as never,
  };
  const route = routerWith(bad);
  for (const action of Object.keys(bad)) {
    expect((await route({ action, params: {} }, { connection: "http" })).retcode).toBe(20001);
  }
});

Deno.test("router: a thrown failed(...) is the answer", async () => {
  const route = routerWith({
    deep: () => {
      throw failed(35001, "no such user");
    },
  });
  expect(await route({ action: "deep", params: {} }, { connection: "http" })).toEqual({
    status: "failed",
    retcode: 35001,
    data: null,
    message: "no such user",
  });
});

Deno.test("router: responses have exactly the four fields, echo only when given, data null by default (RESP-01, RESP-02)", async () => {
  const route = routerWith({ nothing: () => ok(null), value: () => ok({ a: 1 }) });
  expect(await route({ action: "nothing", params: {} }, { connection: "http" })).toEqual({
    status: "ok",
    retcode: 0,
    data: null,
    message: "",
  });
  const withEcho = await route({ action: "value", params: {}, echo: "" }, { connection: "http" });
  expect(withEcho.echo).toBe("");
  const unicode = await route({ action: "value", params: {}, echo: "é🙂\n" }, {
    connection: "http",
  });
  expect(unicode.echo).toBe("é🙂\n");
});

Deno.test("get_supported_actions lists exactly the merged handlers plus meta actions (META-01)", async () => {
  const merged = mergeHandlers({ a: () => ok(1), b: undefined }, { c: () => ok(2) });
  const route = routerWith(merged);
  const response = await route({ action: "get_supported_actions", params: {} }, {
    connection: "http",
  });
  expect((response.data as string[]).sort()).toEqual(
    ["a", "c", "get_status", "get_supported_actions", "get_version"].sort(),
  );
  expect((await route({ action: "b", params: {} }, { connection: "http" })).retcode).toBe(10002);
});
