// Rule tests for action/compose.ts: handler records merge by spread, wrappers are
// handler → handler (design.md §8), and the merged keys are exactly the implemented
// actions, which get_supported_actions relies on (META-01).
import { expect } from "expect";
import { defineActions, mergeHandlers, wrapHandlers } from "../../action/compose.ts";
import { failed, ok } from "../../action/result.ts";
import { createActionRouter } from "../../action/router.ts";
import type { ActionContext, AnyActionHandlers } from "../../action/types.ts";

const context: ActionContext = { connection: "local", self: undefined };

Deno.test("mergeHandlers() lets a later record win for the same action (design.md §8)", async () => {
  const merged = mergeHandlers({ a: () => ok("first"), b: () => ok("b") }, {
    a: () => ok("second"),
  });
  expect(Object.keys(merged).sort()).toEqual(["a", "b"]);
  expect(await merged.a!({}, context)).toEqual(ok("second"));
});

Deno.test("mergeHandlers() drops undefined entries so the keys are exactly the implemented actions (META-01)", () => {
  const merged = mergeHandlers({ a: () => ok(1), b: undefined }, { c: undefined });
  expect(Object.keys(merged)).toEqual(["a"]);
  expect(Object.hasOwn(merged, "b")).toBe(false);
});

Deno.test("mergeHandlers() keeps an earlier handler when a later record sets it to undefined (META-01)", () => {
  const merged = mergeHandlers({ a: () => ok(1) }, { a: undefined });
  expect(Object.keys(merged)).toEqual(["a"]);
});

Deno.test("mergeHandlers() leaves its inputs unchanged (design.md: no mutation of inputs)", () => {
  const first: AnyActionHandlers = { a: () => ok(1) };
  const second: AnyActionHandlers = { b: () => ok(2) };
  const merged = mergeHandlers(first, second);
  expect(Object.keys(first)).toEqual(["a"]);
  expect(Object.keys(second)).toEqual(["b"]);
  expect(merged).not.toBe(first);
});

Deno.test("mergeHandlers() with no records is empty", () => {
  expect(Object.keys(mergeHandlers())).toEqual([]);
});

Deno.test("wrapHandlers() wraps every handler, keeps the keys and drops undefined entries (design.md §8)", async () => {
  const calls: string[] = [];
  const wrapped = wrapHandlers(
    { a: () => ok("a"), b: () => ok("b"), c: undefined },
    (handler) => (params, ctx) => {
      calls.push(ctx.connection);
      return handler(params, ctx);
    },
  );
  expect(Object.keys(wrapped).sort()).toEqual(["a", "b"]);
  expect(await wrapped.a!({}, context)).toEqual(ok("a"));
  expect(await wrapped.b!({}, context)).toEqual(ok("b"));
  expect(calls).toEqual(["local", "local"]);
});

Deno.test("wrapHandlers() wrappers compose, and a wrapper may answer a failure itself (design.md §8)", async () => {
  const order: string[] = [];
  const base = { ping: () => ok("pong") };
  const logged = wrapHandlers(base, (handler) => (params, ctx) => {
    order.push("outer");
    return handler(params, ctx);
  });
  const limited = wrapHandlers(logged, (handler) => (params, ctx) => {
    order.push("limit");
    return (params as { deny?: boolean }).deny ? failed(36000, "slow down") : handler(params, ctx);
  });
  const route = createActionRouter({
    handlers: limited,
    bots: () => [{ platform: "demo", user_id: "bot" }],
  });
  expect((await route({ action: "ping", params: {} }, { connection: "http" })).data).toBe("pong");
  expect(order).toEqual(["limit", "outer"]);
  const denied = await route({ action: "ping", params: { deny: true } }, { connection: "http" });
  expect(denied.retcode).toBe(36000);
});

Deno.test("defineActions() returns the same record, unchanged (design.md §4)", () => {
  const handlers = {
    get_self_info: () => ok({ user_id: "1", user_name: "b", user_displayname: "" }),
  };
  expect(defineActions(handlers)).toBe(handlers);
});
