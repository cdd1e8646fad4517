// Compile-time checks of the handler types (design.md §4). Every line after a
// `@ts-expect-error` comment must fail to type-check: if it ever compiles, the directive is
// unused and `deno check` / `deno test` fail with TS2578. The runtime assertions only make
// sure the accepted shapes really run.
import { expect } from "expect";
import { defineActions } from "../action/compose.ts";
import { failed, ok } from "../action/result.ts";
import { createActionRouter } from "../action/router.ts";
import type { StandardActions } from "../action/standard.ts";
import type {
  ActionContext,
  ActionHandler,
  ActionHandlers,
  ActionResult,
  AnyActionHandlers,
} from "../action/types.ts";
import type { Message } from "../event/segment.ts";
import { createOneBot } from "../onebot.ts";

/** `true` when `A` and `B` are mutually assignable. */
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertType<T extends true>(_value?: T): void {}

type SendMessage = NonNullable<ActionHandlers<StandardActions>["send_message"]>;

Deno.test("ActionHandlers types send_message's params and requires ActionResult<{message_id, time}> (design.md §4, §4.1)", () => {
  assertType<Equal<Parameters<SendMessage>[0], StandardActions["send_message"]["params"]>>();
  assertType<Equal<Parameters<SendMessage>[1], ActionContext>>();
  type Returned = ReturnType<SendMessage>;
  type Data = { message_id: string; time: number };
  assertType<Equal<Returned, ActionResult<Data> | Promise<ActionResult<Data>>>>();

  const handler: SendMessage = (params, context) => {
    assertType<Equal<typeof params.message, Message>>();
    assertType<
      Equal<typeof params.detail_type, "private" | "group" | "channel" | `${string}.${string}`>
    >();
    if (params.detail_type === "private") assertType<Equal<typeof params.user_id, string>>();
    assertType<Equal<typeof context.self, { platform: string; user_id: string } | undefined>>();
    return ok({ message_id: params.detail_type, time: 1.5 });
  };
  expect(typeof handler).toBe("function");
});

Deno.test("ActionHandlers accepts failures, promises and async handlers for send_message (design.md §6)", () => {
  const failing: SendMessage = () => failed(34001, "platform refused");
  const promised: SendMessage = () => Promise.resolve(ok({ message_id: "1", time: 1 }));
  const asynchronous: SendMessage = async () => {
    await Promise.resolve();
    return ok({ message_id: "1", time: 1 });
  };
  expect([failing, promised, asynchronous]).toHaveLength(3);
});

Deno.test("ActionHandlers refuses a send_message handler with the wrong return type (design.md §4)", () => {
  // @ts-expect-error message_id must be a string
  const numericId: SendMessage = () => ok({ message_id: 1, time: 1 });
  // @ts-expect-error time is required
  const noTime: SendMessage = () => ok({ message_id: "1" });
  // @ts-expect-error time must be a number (float seconds), not a string
  const stringTime: SendMessage = () => ok({ message_id: "1", time: "1" });
  // @ts-expect-error the bare data is not an ActionResult: wrap it in ok()
  const bare: SendMessage = () => ({ message_id: "1", time: 1 });
  // @ts-expect-error nothing returned
  const nothing: SendMessage = () => {};
  // @ts-expect-error a promise of the wrong data
  const wrongPromise: SendMessage = () => Promise.resolve(ok(null));
  expect([numericId, noTime, stringTime, bare, nothing, wrongPromise]).toHaveLength(6);
});

Deno.test("ActionHandlers refuses reading params send_message does not have (design.md §4)", () => {
  // @ts-expect-error send_message has no param group_name
  const typo: SendMessage = ({ group_name }) => ok({ message_id: group_name, time: 1 });
  expect(typeof typo).toBe("function");
});

Deno.test("defineActions() gives standard handlers their types in a record written on its own (design.md §4)", async () => {
  const handlers = defineActions({
    send_message: ({ message }) => ok({ message_id: String(message.length), time: 1.5 }),
    delete_message: ({ message_id }) => {
      assertType<Equal<typeof message_id, string>>();
      return ok(null);
    },
    get_self_info: () => ok({ user_id: "1", user_name: "bot", user_displayname: "" }),
  });
  const route = createActionRouter({
    handlers,
    bots: () => [{ platform: "demo", user_id: "bot" }],
  });
  const response = await route({
    action: "send_message",
    params: { detail_type: "private", user_id: "1", message: [] },
  }, { connection: "local" });
  expect(response.data).toEqual({ message_id: "0", time: 1.5 });
});

Deno.test("defineActions() refuses wrong return types and unknown actions (design.md §4)", () => {
  // @ts-expect-error send_message data needs message_id and time
  defineActions({ send_message: () => ok({ message_id: 1, time: 1 }) });
  // @ts-expect-error delete_message returns null data, not a string
  defineActions({ delete_message: () => ok("deleted") });
  // @ts-expect-error an unknown action is not in StandardActions
  defineActions({ no_such_action: () => ok(null) });
});

type MyActions = StandardActions & {
  "demo.ping": { params: { times: number }; data: string };
  "demo.nothing": { params: Record<string, never>; data: null };
};

Deno.test("defineActions<StandardActions & {...}>() types extended actions too (EXT-16, design.md §4)", async () => {
  const handlers = defineActions<MyActions>({
    "demo.ping": ({ times }) => {
      assertType<Equal<typeof times, number>>();
      return ok("pong".repeat(times));
    },
    "demo.nothing": () => ok(null),
    send_message: () => ok({ message_id: "1", time: 1 }),
  });
  await using onebot = createOneBot({
    impl: "my-impl",
    version: "1",
    bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
    handlers,
    websocket: false,
  });
  const response = await onebot.router({ action: "demo.ping", params: { times: 2 } }, {
    connection: "local",
  });
  expect(response.data).toBe("pongpong");
});

Deno.test("defineActions<StandardActions & {...}>() refuses wrong extended return types (EXT-16, design.md §4)", () => {
  // @ts-expect-error demo.ping returns a string
  defineActions<MyActions>({ "demo.ping": () => ok(1) });
  // @ts-expect-error demo.ping has no param count
  defineActions<MyActions>({ "demo.ping": ({ count }) => ok(String(count)) });
  // @ts-expect-error standard actions keep their types in the extended table
  defineActions<MyActions>({ send_message: () => ok(null) });
});

Deno.test("ActionHandler<P, D> and AnyActionHandlers interoperate with the router (design.md §4)", () => {
  const ping: ActionHandler<{ n: number }, string> = ({ n }) => ok(String(n));
  // @ts-expect-error the data type is string
  const wrong: ActionHandler<{ n: number }, string> = ({ n }) => ok(n);
  const record: AnyActionHandlers = { ping, wrong };
  expect(Object.keys(record)).toEqual(["ping", "wrong"]);
});
