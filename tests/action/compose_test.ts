// Rule tests for action/compose.ts: handler records merge by spread, wrappers are
// handler → handler (design.md §8), and the merged keys are exactly the implemented
// actions, which get_supported_actions relies on (META-01).
import { expect } from "expect";
import * as v from "valibot";
import { defineAction, defineActions, mergeHandlers, wrapHandlers } from "../../action/compose.ts";
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

// ---- defineAction (issue 13 item 2) -------------------------------------------------------

const topicSchema = v.object({ topic: v.string() });

Deno.test("defineAction() returns a frozen { name, validate, handler } whose validate runs the schema (EXT-16, §2.4 10003)", async () => {
  const handler = ({ topic }: { topic: string }) => ok(topic);
  const action = defineAction("acme.set_topic", topicSchema, handler);
  expect(action.name).toBe("acme.set_topic");
  expect(action.handler).toBe(handler);
  expect(Object.isFrozen(action)).toBe(true);
  expect(action.validate({ topic: "news", extra: 1 })).toEqual({ topic: "news" });
  expect(action.validate({ topic: 5 })).toMatchObject({ status: "failed", retcode: 10003 });
  expect(await action.handler({ topic: "news" }, context)).toEqual(ok("news"));
});

Deno.test("defineAction() refuses a name that is not <prefix>.<name> with a [_a-z]+ prefix (TypeError; EXT-01, EXT-03)", () => {
  for (const name of ["Acme.set_topic", ".set_topic", "acme.", "go-cqhttp.x", "a1.x"] as const) {
    expect(() => defineAction(name, topicSchema, () => ok(null))).toThrow(
      new TypeError(
        `Cannot define action: name must be <prefix>.<name> with a prefix matching /^[_a-z]+$/ (EXT-01): current value is ${name}`,
      ),
    );
  }
  // Without a dot it does not compile; a caller without types still gets the TypeError.
  expect(() => defineAction("nodot" as `${string}.${string}`, topicSchema, () => ok(null)))
    .toThrow(TypeError);
  expect(defineAction("go_cqhttp.get_word_slices", topicSchema, () => ok(null)).name)
    .toBe("go_cqhttp.get_word_slices");
});

Deno.test("defineAction() refuses a schema without ~standard and a handler that is not a function (TypeError)", () => {
  expect(() => defineAction("acme.x", {} as typeof topicSchema, () => ok(null))).toThrow(TypeError);
  expect(() => defineAction("acme.x", topicSchema, "handler" as never)).toThrow(
    new TypeError("Cannot define action acme.x: handler must be a function"),
  );
});
