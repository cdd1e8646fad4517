// Compile-time pins of the typed API (issue 13 items 1, 2, 6; design.md §4). Every line after
// a `@ts-expect-error` comment must fail to type-check: if it ever compiles, the directive is
// unused and `deno check` / `deno test` fail with TS2578. The refusals sit in functions that
// are never called; the accepted shapes also run.
import { expect } from "expect";
import * as v from "valibot";
import {
  createOneBot,
  defineAction,
  failed,
  mergeHandlers,
  ok,
  type OneBot,
  type OneBotWith,
  schemaValidator,
  type StandardActions,
  type WithActions,
} from "../../mod.ts";
import { createTestKit } from "../../testing/mod.ts";

/** `true` when `A` and `B` are mutually assignable. */
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertType<T extends true>(_value?: T): void {}

const self = { platform: "types", user_id: "bot" };
const base = { impl: "types-impl", version: "1.0.0", bots: [{ self, online: true }] };
const selfInfo = { user_id: "bot", user_name: "Bot", user_displayname: "" };

type MyActions = StandardActions & {
  "acme.ping": { params: { times: number }; data: string };
};

const setTopic = defineAction(
  "acme.set_topic",
  v.object({ topic: v.string(), channel_id: v.optional(v.string()) }),
  ({ topic, channel_id }) => ok({ topic, channel: channel_id ?? null }),
);

// ---- item 1: inline handlers of createOneBot and createTestKit ----------------------------

Deno.test("createOneBot() types inline handlers by StandardActions: params and data (issue 13 item 1)", async () => {
  await using onebot = createOneBot({
    ...base,
    handlers: {
      delete_message: ({ message_id }) => {
        assertType<Equal<typeof message_id, string>>();
        return ok(null);
      },
      get_self_info: (params, context) => {
        assertType<Equal<typeof params, Record<string, never>>>();
        return ok({ ...selfInfo, user_id: context.self?.user_id ?? "" });
      },
    },
  });
  const plain: OneBot = onebot; // a typed OneBot is still a OneBot
  const response = await plain.router({ action: "get_self_info", params: {} }, {
    connection: "local",
  });
  expect(response.data).toEqual(selfInfo);
});

function refusedInlineHandlers(): void {
  createOneBot({
    ...base,
    handlers: {
      // @ts-expect-error a misspelt action name is not in StandardActions
      get_self_inf: () => ok(selfInfo),
    },
  });
  createOneBot({
    ...base,
    handlers: {
      // @ts-expect-error user_name is missing from the get_self_info data
      get_self_info: () => ok({ user_id: "bot", user_displayname: "" }),
    },
  });
  createOneBot({
    ...base,
    handlers: {
      // @ts-expect-error delete_message answers null data, not a string
      delete_message: () => ok("deleted"),
    },
  });
  createOneBot({
    ...base,
    handlers: {
      // @ts-expect-error the bare data is not an ActionResult: wrap it in ok()
      get_self_info: () => selfInfo,
    },
  });
  createOneBot({
    ...base,
    handlers: {
      // @ts-expect-error delete_message has no param msg_id
      delete_message: ({ msg_id }) => ok(msg_id),
    },
  });
  createOneBot({
    ...base,
    handlers: {
      delete_message: ({ message_id }) => {
        // @ts-expect-error message_id is a string
        const id: number = message_id;
        return ok(id === 0 ? null : null);
      },
    },
  });
  createOneBot({
    ...base,
    // @ts-expect-error validators are keyed by the action table: delete_mesage is misspelt
    validators: { delete_mesage: schemaValidator(v.object({})) },
  });
  createTestKit({
    ...base,
    handlers: {
      // @ts-expect-error createTestKit is as strict: a misspelt action
      get_self_inf: () => ok(selfInfo),
    },
  });
  createTestKit({
    ...base,
    handlers: {
      // @ts-expect-error createTestKit is as strict: wrong data
      delete_message: () => ok(1),
    },
  });
  createTestKit({
    ...base,
    // @ts-expect-error createTestKit is as strict: an unknown validator key
    validators: { "acme.nothing": schemaValidator(v.object({})) },
  });
}

Deno.test("createOneBot() and createTestKit() refuse misspelt actions, wrong data and params, unknown validator keys (issue 13 item 1)", () => {
  expect(typeof refusedInlineHandlers).toBe("function");
});

Deno.test("createOneBot<M>() and createTestKit<M>() type extended actions of the table M (issue 13 item 1, EXT-16)", async () => {
  await using kit = createTestKit<MyActions>({
    ...base,
    handlers: {
      "acme.ping": ({ times }) => {
        assertType<Equal<typeof times, number>>();
        return ok("pong".repeat(times));
      },
    },
    validators: { "acme.ping": schemaValidator(v.object({ times: v.number() })) },
  });
  const response = await kit.call("acme.ping", { times: 2 });
  assertType<Equal<typeof response.data, string>>();
  expect(response.data).toBe("pongpong");
  expect((await kit.callRaw({ action: "acme.ping", params: { times: "2" } })).retcode).toBe(10003);
});

function refusedExtendedHandlers(): void {
  createOneBot<MyActions>({
    ...base,
    handlers: {
      // @ts-expect-error acme.pong is not in MyActions
      "acme.pong": () => ok("pong"),
    },
  });
  createOneBot<MyActions>({
    ...base,
    handlers: {
      // @ts-expect-error acme.ping answers a string
      "acme.ping": ({ times }) => ok(times),
    },
  });
  createOneBot<MyActions>({
    ...base,
    // @ts-expect-error acme.pong is not in MyActions
    validators: { "acme.pong": schemaValidator(v.object({})) },
  });
}

Deno.test("createOneBot<M>() refuses extended actions, data and validator keys outside M (issue 13 item 1)", () => {
  expect(typeof refusedExtendedHandlers).toBe("function");
});

Deno.test("createOneBot() takes a record already erased by mergeHandlers() as it is (design.md §8)", async () => {
  await using onebot = createOneBot({
    ...base,
    handlers: mergeHandlers({ get_self_info: () => ok(selfInfo) }, {
      delete_message: () => ok(null),
    }),
  });
  expect(onebot.status().good).toBe(true);
});

// ---- item 2: defineAction ----------------------------------------------------------------

Deno.test("defineAction() infers the handler's params from a valibot schema's output, and its data from ok() (issue 13 item 2)", () => {
  defineAction("acme.set_topic", v.object({ topic: v.string() }), (params) => {
    assertType<Equal<typeof params, { topic: string }>>();
    return ok(null);
  });
  const parsed = defineAction(
    "acme.count",
    v.object({ n: v.pipe(v.string(), v.transform(Number)) }),
    ({ n }) => {
      assertType<Equal<typeof n, number>>(); // the output, not the input
      return n > 0 ? ok({ n }) : failed(10003, "n: must be positive");
    },
  );
  type Defined = typeof setTopic extends { handler: (...args: infer A) => infer R } ? [A, R]
    : never;
  type Params = Defined[0][0];
  assertType<Equal<Params, { topic: string; channel_id?: string | undefined }>>();
  type Table = WithActions<StandardActions, [typeof setTopic, typeof parsed]>;
  assertType<Equal<Table["acme.set_topic"]["data"], { topic: string; channel: string | null }>>();
  assertType<Equal<Table["acme.count"], { params: { n: number }; data: { n: number } }>>();
  assertType<Equal<Table["delete_message"], StandardActions["delete_message"]>>();
});

function refusedDefinitions(): void {
  // @ts-expect-error an extended action's name needs a prefix and a dot (EXT-01)
  defineAction("set_topic", v.object({ topic: v.string() }), () => ok(null));
  defineAction("acme.set_topic", v.object({ topic: v.string() }), ({ topic }) => {
    // @ts-expect-error topic is a string
    const n: number = topic;
    return ok(n);
  });
  // @ts-expect-error the schema has no param title
  defineAction("acme.set_topic", v.object({ topic: v.string() }), ({ title }) => ok(title));
  createOneBot({
    ...base,
    actions: [setTopic],
    handlers: {
      // @ts-expect-error a defined action has its handler already: it is not in handlers
      "acme.set_topic": () => ok(null),
    },
  });
  createOneBot({
    ...base,
    actions: [setTopic],
    // @ts-expect-error nor in validators: its schema is its validator
    validators: { "acme.set_topic": schemaValidator(v.object({})) },
  });
}

Deno.test("defineAction() refuses a name without a dot and a wrong use of its params; createOneBot() keeps it out of handlers and validators (issue 13 item 2)", () => {
  expect(typeof refusedDefinitions).toBe("function");
});

Deno.test("createTestKit({ actions }) and createOneBot({ actions }) add defined actions to the typed table (issue 13 item 2)", async () => {
  await using kit = createTestKit({
    ...base,
    actions: [setTopic],
    handlers: { get_self_info: () => ok(selfInfo) },
  });
  const response = await kit.call("acme.set_topic", { topic: "news" });
  assertType<Equal<typeof response.data, { topic: string; channel: string | null }>>();
  expect(response.data).toEqual({ topic: "news", channel: null });
  expect((await kit.call("get_self_info", {})).data.user_name).toBe("Bot");

  await using onebot = createOneBot({ ...base, actions: [setTopic] });
  type Served = NonNullable<typeof onebot["~types"]>["actions"];
  assertType<Equal<Served["acme.set_topic"]["params"], Parameters<typeof setTopic.handler>[0]>>();
  const typed: OneBot<WithActions<StandardActions, [typeof setTopic]>> = onebot;
  expect(typed.status().bots).toHaveLength(1);
});

function refusedCalls(kit: ReturnType<typeof createTestKit<StandardActions, [typeof setTopic]>>) {
  // @ts-expect-error topic is a string
  void kit.call("acme.set_topic", { topic: 5 });
  // @ts-expect-error acme.set_topc is misspelt
  void kit.call("acme.set_topc", { topic: "news" });
}

Deno.test("a test kit's call() refuses wrong params of a defined action and unknown names (issue 13 item 2)", () => {
  expect(typeof refusedCalls).toBe("function");
});

// ---- item 6: mapError --------------------------------------------------------------------

function refusedMappers(): void {
  createOneBot({
    ...base,
    // @ts-expect-error mapError returns a failure or undefined, not a success
    mapError: () => ok(null),
  });
  createOneBot({
    ...base,
    // @ts-expect-error mapError returns a failure, not a bare retcode
    mapError: () => 35001,
  });
}

Deno.test("createOneBot({ mapError }) takes (error: unknown) => Failure | undefined (issue 13 item 6)", async () => {
  await using onebot = createOneBot({
    ...base,
    mapError: (error) => {
      assertType<Equal<typeof error, unknown>>();
      return error instanceof RangeError ? failed(36000) : undefined;
    },
  });
  expect(typeof onebot.fetch).toBe("function");
  expect(typeof refusedMappers).toBe("function");
});

// ---- issue 17 item 5.4: OneBotWith, a factory's declared return type ----------------------

/** A bridge's factory, as a bridge declares it: its defined actions in the return type. */
function createTopicBridge(): OneBotWith<readonly [typeof setTopic]> {
  return createOneBot({ ...base, actions: [setTopic], handlers: {} });
}

async function refusedBridgeCalls(): Promise<void> {
  // @ts-expect-error a OneBot without the defined action is not a OneBotWith<[setTopic]>
  const _wrong: OneBotWith<readonly [typeof setTopic]> = createOneBot({ ...base, handlers: {} });
  await using kit = createTestKit(createTopicBridge());
  // @ts-expect-error topic is a string: the action's params come through OneBotWith
  await kit.call("acme.set_topic", { topic: 42 });
  // @ts-expect-error acme.unknown is not an action of the bridge
  await kit.call("acme.unknown", {});
}

Deno.test("OneBotWith<A>: a factory declared with it gives typed calls of its defined actions (issue 17 item 5)", async () => {
  assertType<
    Equal<
      OneBotWith<readonly [typeof setTopic]>,
      OneBot<WithActions<StandardActions, [typeof setTopic]>>
    >
  >();
  await using kit = createTestKit(createTopicBridge());
  const response = await kit.call("acme.set_topic", { topic: "news" });
  assertType<Equal<typeof response.data, { topic: string; channel: string | null }>>();
  expect(response.data).toEqual({ topic: "news", channel: null });
  expect(typeof refusedBridgeCalls).toBe("function");
});
