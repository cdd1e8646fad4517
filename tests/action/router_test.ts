// Rule tests for action/router.ts: routing, self resolution and the response envelope
// (REQ-01..06, RESP-01..03, §2.4). The router is called directly; transports are tested elsewhere.
import { expect } from "expect";
import fc from "fast-check";
import { withMetaActions } from "../../action/meta.ts";
import { failed, ok } from "../../action/result.ts";
import { createActionRouter, META_ACTIONS, toResponse } from "../../action/router.ts";
import type {
  ActionContext,
  ActionResponse,
  AnyActionHandlers,
  ConnectionKind,
} from "../../action/types.ts";
import type { BotSelf } from "../../event/types.ts";
import { captureLogs } from "../_logs.ts";

const alice: BotSelf = { platform: "demo", user_id: "alice" };
const bob: BotSelf = { platform: "demo", user_id: "bob" };
const eve: BotSelf = { platform: "demo", user_id: "eve" };
const version = { impl: "x", version: "1", onebot_version: "12" as const };
const http = { connection: "http" as ConnectionKind };

/** A router over `handlers` plus the meta actions, serving `bots`. */
function routerWith(handlers: AnyActionHandlers, bots: readonly BotSelf[] = [alice]) {
  return createActionRouter({
    handlers: withMetaActions(handlers, { version, status: () => ({ good: true, bots: [] }) }),
    bots: () => bots,
  });
}

/** A handler that records the context it ran with. */
function recorder(): { seen: ActionContext[]; handlers: AnyActionHandlers } {
  const seen: ActionContext[] = [];
  return {
    seen,
    handlers: {
      whoami: (_params: unknown, context: ActionContext) => {
        seen.push(context);
        return ok(null);
      },
    },
  };
}

const ENVELOPE = ["data", "message", "retcode", "status"];

function expectEnvelope(response: ActionResponse, echo?: string): void {
  const keys = Object.keys(response).sort();
  expect(keys).toEqual(echo === undefined ? ENVELOPE : [...ENVELOPE, "echo"].sort());
  if (echo !== undefined) expect(response.echo).toBe(echo);
  expect(Number.isSafeInteger(response.retcode)).toBe(true);
  expect(typeof response.message).toBe("string");
  expect(response.status === "ok").toBe(response.retcode === 0); // RESP-02
  if (response.status === "ok") expect(response.message).toBe("");
}

// ---- REQ-01 / 10002 -----------------------------------------------------------------------

Deno.test("createActionRouter() answers 10001 for a malformed envelope, keeping a string echo (REQ-01, RESP-03)", async () => {
  const route = routerWith({ ping: () => ok("pong") });
  for (
    const request of [null, [], "ping", { action: "ping" }, { action: 1, params: {} }, {
      action: "ping",
      params: [],
    }]
  ) {
    const response = await route(request, http);
    expect(response.retcode).toBe(10001);
    expectEnvelope(response);
  }
  const kept = await route({ action: "ping", params: null, echo: "e1" }, http);
  expect(kept.retcode).toBe(10001);
  expectEnvelope(kept, "e1");
});

Deno.test("createActionRouter() answers 10002 for an action without a handler (§2.4)", async () => {
  const route = routerWith({ ping: () => ok("pong") });
  const response = await route({ action: "send_message", params: {}, echo: "1" }, http);
  expect(response).toEqual({
    status: "failed",
    retcode: 10002,
    data: null,
    message: "unsupported action: send_message",
    echo: "1",
  });
});

Deno.test("createActionRouter() answers 10002 for Object.prototype names, never reaching the prototype (§2.4)", async () => {
  // A plain literal, not merged: only own properties may count as handlers.
  const route = createActionRouter({ handlers: { ping: () => ok("pong") }, bots: () => [alice] });
  for (
    const action of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", ""]
  ) {
    const response = await route({ action, params: {} }, http);
    expect(response.retcode).toBe(10002);
    expectEnvelope(response);
  }
});

Deno.test("createActionRouter() clips a long unknown action name in its message (§2.4)", async () => {
  const route = routerWith({});
  const response = await route({ action: "x".repeat(10_000), params: {} }, http);
  expect(response.retcode).toBe(10002);
  expect(response.message.length).toBeLessThan(200);
});

// ---- REQ-02..06 ---------------------------------------------------------------------------

Deno.test("createActionRouter() answers 10101 for a non-meta action without self when several bots share it (REQ-02, REQ-03)", async () => {
  const { seen, handlers } = recorder();
  const route = routerWith(handlers, [alice, bob]);
  const response = await route({ action: "whoami", params: {} }, http);
  expect(response.retcode).toBe(10101);
  expect(seen).toEqual([]);
});

Deno.test("createActionRouter() answers 10102 for an unknown self when several bots share it (REQ-04)", async () => {
  const { seen, handlers } = recorder();
  const route = routerWith(handlers, [alice, bob]);
  expect((await route({ action: "whoami", params: {}, self: eve }, http)).retcode).toBe(10102);
  const otherPlatform = { platform: "other", user_id: "alice" };
  expect((await route({ action: "whoami", params: {}, self: otherPlatform }, http)).retcode)
    .toBe(10102);
  expect(seen).toEqual([]);
});

Deno.test("createActionRouter() gives the handler the named bot as context.self (REQ-02)", async () => {
  const { seen, handlers } = recorder();
  const route = routerWith(handlers, [alice, bob]);
  const response = await route({ action: "whoami", params: {}, self: bob }, {
    connection: "websocket",
  });
  expect(response.retcode).toBe(0);
  expect(seen).toEqual([{ connection: "websocket", self: bob }]);
});

Deno.test("createActionRouter() with one bot and no self runs the action as that bot (REQ-05)", async () => {
  const { seen, handlers } = recorder();
  const route = routerWith(handlers, [alice]);
  expect((await route({ action: "whoami", params: {} }, http)).retcode).toBe(0);
  expect(seen[0]!.self).toEqual(alice);
});

Deno.test("createActionRouter() with one bot answers 10102 for an unknown self (REQ-05)", async () => {
  const { seen, handlers } = recorder();
  const route = routerWith(handlers, [alice]);
  expect((await route({ action: "whoami", params: {}, self: eve }, http)).retcode).toBe(10102);
  expect((await route({ action: "whoami", params: {}, self: alice }, http)).retcode).toBe(0);
  expect(seen.map((context) => context.self)).toEqual([alice]);
});

Deno.test("createActionRouter() with no bot at all answers 10101 for non-meta actions (REQ-03)", async () => {
  const { handlers } = recorder();
  const route = routerWith(handlers, []);
  expect((await route({ action: "whoami", params: {} }, http)).retcode).toBe(10101);
});

Deno.test("createActionRouter() never requires self for meta actions (REQ-06)", async () => {
  for (const bots of [[alice, bob], [alice], []]) {
    const route = routerWith({}, bots);
    for (const action of ["get_version", "get_status", "get_supported_actions"]) {
      const response = await route({ action, params: {} }, http);
      expect(response.retcode).toBe(0);
    }
  }
});

Deno.test("createActionRouter() ignores an unknown self on meta actions (REQ-06 decision)", async () => {
  const route = routerWith({}, [alice, bob]);
  const response = await route({ action: "get_version", params: {}, self: eve }, http);
  expect(response).toEqual({ status: "ok", retcode: 0, data: version, message: "" });
});

Deno.test("createActionRouter() reads the bot list on every request (REQ-04)", async () => {
  const { handlers } = recorder();
  let bots: BotSelf[] = [alice];
  const route = createActionRouter({ handlers, bots: () => bots });
  expect((await route({ action: "whoami", params: {}, self: bob }, http)).retcode).toBe(10102);
  bots = [alice, bob];
  expect((await route({ action: "whoami", params: {}, self: bob }, http)).retcode).toBe(0);
});

Deno.test("createActionRouter() honours a custom metaActions set (REQ-06)", async () => {
  const { handlers } = recorder();
  const route = createActionRouter({
    handlers,
    bots: () => [alice, bob],
    metaActions: new Set(["whoami"]),
  });
  expect((await route({ action: "whoami", params: {} }, http)).retcode).toBe(0);
  expect(META_ACTIONS).toEqual(
    new Set(["get_latest_events", "get_supported_actions", "get_status", "get_version"]),
  );
});

// ---- RESP-01..03 --------------------------------------------------------------------------

Deno.test("createActionRouter() answers exactly status, retcode, data, message, with data null for ok(null) (RESP-01)", async () => {
  const route = routerWith({ nothing: () => ok(null) });
  const response = await route({ action: "nothing", params: {} }, http);
  expect(response).toEqual({ status: "ok", retcode: 0, data: null, message: "" });
  expectEnvelope(response);
  expect(JSON.stringify(response)).toBe('{"status":"ok","retcode":0,"data":null,"message":""}');
});

Deno.test("createActionRouter() drops extra fields a handler puts on its result (RESP-01)", async () => {
  const route = routerWith({
    extra:
      (() => ({ status: "ok", retcode: 0, data: 1, message: "", echo: "x", more: 2 })) as never,
  });
  expect(await route({ action: "extra", params: {} }, http)).toEqual({
    status: "ok",
    retcode: 0,
    data: 1,
    message: "",
  });
});

Deno.test("createActionRouter() returns echo only when the request had one, never echo: null (RESP-01, §2.3)", async () => {
  const route = routerWith({ nothing: () => ok(null) });
  const without = await route({ action: "nothing", params: {} }, http);
  expect("echo" in without).toBe(false);
  const nullEcho = await route({ action: "nothing", params: {}, echo: null }, http);
  expect("echo" in nullEcho).toBe(false);
  expect(JSON.stringify(nullEcho)).not.toContain('"echo":');
});

Deno.test("createActionRouter() returns echo unchanged: unicode, empty, long (§2.3 echo)", async () => {
  const route = routerWith({ nothing: () => ok(null) });
  for (const echo of ["", "é🙂\n\u0000", "x".repeat(5000), "  padded  ", "123"]) {
    const response = await route({ action: "nothing", params: {}, echo }, http);
    expectEnvelope(response, echo);
  }
});

Deno.test("createActionRouter() pairs status ok with retcode 0 and failed with non-zero (RESP-02)", async () => {
  const route = routerWith({
    good: () => ok({ a: 1 }),
    bad: () => failed(35001, "no such user"),
    thrown: () => {
      throw new Error("x");
    },
  });
  for (const action of ["good", "bad", "thrown", "missing"]) {
    expectEnvelope(await route({ action, params: {} }, http));
  }
});

const throwers: [string, () => never | Promise<never>][] = [
  ["an Error", () => {
    throw new Error("secret detail at /home/me/app.ts:1:1");
  }],
  ["a string", () => {
    throw "oops";
  }],
  ["undefined", () => {
    throw undefined;
  }],
  ["null", () => {
    throw null;
  }],
  ["a rejected promise", () => Promise.reject(new TypeError("secret detail"))],
];
for (const [name, handler] of throwers) {
  Deno.test(`createActionRouter() answers 20002 without a stack when a handler throws ${name} (RESP-03)`, async () => {
    const route = routerWith({ explode: handler });
    const response = await route({ action: "explode", params: {}, echo: "e" }, http);
    expect(response).toEqual({
      status: "failed",
      retcode: 20002,
      data: null,
      message: "the handler for explode failed",
      echo: "e",
    });
    expect(response.message).not.toContain("secret");
  });
}

const badResults: [string, unknown][] = [
  ["undefined", undefined],
  ["a bare object", { user_id: "1" }],
  ['{status: "ok", retcode: 5}', { status: "ok", retcode: 5, data: null, message: "" }],
  ["an ok without data", { status: "ok", retcode: 0, message: "" }],
  ["ok(undefined)", ok(undefined)],
  ["a failure with a reserved code", { status: "failed", retcode: 40000, data: null, message: "" }],
  ["a number", 42],
];
for (const [name, value] of badResults) {
  Deno.test(`createActionRouter() answers 20001 when a handler returns ${name} (RESP-03)`, async () => {
    const route = routerWith({
      bad: (() => value) as never,
      badAsync: (() => Promise.resolve(value)) as never,
    });
    for (const action of ["bad", "badAsync"]) {
      const response = await route({ action, params: {}, echo: "e" }, http);
      expect(response.retcode).toBe(20001);
      expectEnvelope(response, "e");
    }
  });
}

Deno.test("createActionRouter() uses a thrown or rejected failed(...) as the answer (RESP-03)", async () => {
  const route = routerWith({
    deep: () => {
      throw failed(35001, "no such user");
    },
    rejects: () => Promise.reject(failed(10003, "user_id is required")),
  });
  expect(await route({ action: "deep", params: {} }, http)).toEqual({
    status: "failed",
    retcode: 35001,
    data: null,
    message: "no such user",
  });
  expect((await route({ action: "rejects", params: {} }, http)).retcode).toBe(10003);
});

// ---- mapError (issue 13 item 6) -----------------------------------------------------------

/** A platform client's error: what a bridge's handlers let propagate. */
function platformError(status: number): Error {
  return Object.assign(new Error(`platform answered ${status}`), { status });
}

/** Maps 404 to 35001 and 429 to 36000; anything else to the default. */
function mapPlatformError(error: unknown) {
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 404) return failed(35001, "message_id: no such message");
  if (status === 429) return failed(36000, "rate limited");
  return undefined;
}

/** A router whose actions throw or reject the given values, with `mapError`. */
function mappingRouter(mapError: (error: unknown) => unknown) {
  return createActionRouter({
    handlers: {
      throws: ({ status }: { status: number }) => {
        throw platformError(status);
      },
      rejects: ({ status }: { status: number }) => Promise.reject(platformError(status)),
      fails: () => {
        throw failed(10003, "thrown failure");
      },
    },
    bots: () => [alice],
    mapError: mapError as (error: unknown) => ReturnType<typeof failed> | undefined,
  });
}

Deno.test("createActionRouter() answers mapError's failure for a thrown or rejected error (issue 13 item 6, §2.4 35xxx/36xxx)", async () => {
  const route = mappingRouter(mapPlatformError);
  for (const action of ["throws", "rejects"]) {
    expect(await route({ action, params: { status: 404 }, echo: "e" }, http)).toEqual({
      status: "failed",
      retcode: 35001,
      data: null,
      message: "message_id: no such message",
      echo: "e",
    });
    expect((await route({ action, params: { status: 429 } }, http)).retcode).toBe(36000);
  }
});

Deno.test("createActionRouter() answers 20002, the error logged, when mapError returns undefined (issue 13 item 6, RESP-03)", async () => {
  using logs = captureLogs();
  const route = mappingRouter(mapPlatformError);
  const response = await route({ action: "throws", params: { status: 500 } }, http);
  expect(response).toEqual({
    status: "failed",
    retcode: 20002,
    data: null,
    message: "the handler for throws failed",
  });
  expect(logs.text().some((line) => line.includes("platform answered 500"))).toBe(true);
});

Deno.test("createActionRouter() passes a thrown failed(...) through without calling mapError (RESP-03)", async () => {
  let calls = 0;
  const route = mappingRouter(() => {
    calls++;
    return failed(35000);
  });
  expect((await route({ action: "fails", params: {} }, http)).retcode).toBe(10003);
  expect(calls).toBe(0);
});

const brokenMappers: [string, (error: unknown) => unknown][] = [
  ["throws", () => {
    throw new Error("mapper bug");
  }],
  ["returns ok(...)", () => ok(null)],
  ["returns a failure with a reserved code", () => ({
    status: "failed",
    retcode: 40000,
    data: null,
    message: "",
  })],
  ["returns a promise", () => Promise.resolve(failed(35001))],
  ["returns a rejected promise", () => Promise.reject(new Error("async mapper"))],
];
for (const [name, mapError] of brokenMappers) {
  Deno.test(`createActionRouter() isolates a mapError that ${name}: 20002, logged (issue 13 item 6)`, async () => {
    using logs = captureLogs();
    const route = mappingRouter(mapError);
    const response = await route({ action: "throws", params: { status: 404 }, echo: "e" }, http);
    expect(response.retcode).toBe(20002);
    expectEnvelope(response, "e");
    expect(logs.text().some((line) => line.includes("mapError"))).toBe(true);
    expect(logs.text().some((line) => line.includes("platform answered 404"))).toBe(true);
  });
}

Deno.test("createActionRouter() refuses a mapError that is not a function (TypeError)", () => {
  expect(() =>
    createActionRouter({
      handlers: {},
      bots: () => [],
      mapError: "35001" as unknown as () => undefined,
    })
  ).toThrow(
    new TypeError(
      "Cannot create action router: mapError must be a function: current type is string",
    ),
  );
});

Deno.test("createActionRouter() never rejects, even when the bot list throws (RESP-03)", async () => {
  const route = createActionRouter({
    handlers: { ping: () => ok("pong") },
    bots: () => {
      throw new Error("bot store down");
    },
  });
  const response = await route({ action: "ping", params: {}, echo: "e" }, http);
  expect(response.retcode).toBe(20002);
  expectEnvelope(response, "e");
});

// ---- validators ---------------------------------------------------------------------------

Deno.test("createActionRouter() runs validators before handlers: converted params, failures, throws (§2.4 10003)", async () => {
  const received: unknown[] = [];
  const route = createActionRouter({
    handlers: {
      sync: (params: unknown) => ok(received.push(params) && null),
      async: (params: unknown) => ok(received.push(params) && null),
      refuses: () => ok(null),
      throws: () => ok(null),
    },
    bots: () => [alice],
    validators: {
      sync: (params) => ({ ...params, added: true }),
      async: (params) => Promise.resolve({ ...params, awaited: true }),
      refuses: () => failed(10003, "n must be a number"),
      throws: () => {
        throw new Error("validator bug");
      },
    },
  });
  expect((await route({ action: "sync", params: { n: 1 } }, http)).retcode).toBe(0);
  expect((await route({ action: "async", params: {} }, http)).retcode).toBe(0);
  expect(received).toEqual([{ n: 1, added: true }, { awaited: true }]);
  expect(await route({ action: "refuses", params: {} }, http)).toEqual({
    status: "failed",
    retcode: 10003,
    data: null,
    message: "n must be a number",
  });
  expect((await route({ action: "throws", params: {} }, http)).retcode).toBe(20002);
});

Deno.test("createActionRouter() checks self before validating params (REQ-04 before 10003)", async () => {
  const route = createActionRouter({
    handlers: { act: () => ok(null) },
    bots: () => [alice],
    validators: { act: () => failed(10003) },
  });
  expect((await route({ action: "act", params: {}, self: eve }, http)).retcode).toBe(10102);
});

// ---- toResponse ---------------------------------------------------------------------------

Deno.test("toResponse() builds the four fields, turns undefined data into null, and adds echo only when given (RESP-01)", () => {
  expect(toResponse(failed(10002), undefined)).toEqual({
    status: "failed",
    retcode: 10002,
    data: null,
    message: "unsupported action",
  });
  const response = toResponse({ status: "ok", retcode: 0, data: undefined, message: "" }, "");
  expect(response).toEqual({ status: "ok", retcode: 0, data: null, message: "", echo: "" });
});

Deno.test("router: params nested deeper than maxDepth answer 10001, at the limit they pass (issue 6)", async () => {
  const nest = (depth: number): unknown => {
    let value: unknown = 1; // nest(d) holds d - 1 containers
    for (let i = 1; i < depth; i++) value = i % 2 ? [value] : { a: value };
    return value;
  };
  const route = createActionRouter({
    handlers: { echo: (p: unknown) => ok(p === undefined ? null : "ok") },
    bots: () => [{ platform: "demo", user_id: "bot" }],
    maxDepth: 8,
  });
  // params itself is level 1; its value adds the rest.
  const atLimit = await route({ action: "echo", params: { x: nest(8) } }, { connection: "http" });
  expect(atLimit.retcode).toBe(0);
  const deeper = await route({ action: "echo", params: { x: nest(9) } }, { connection: "http" });
  expect(deeper).toMatchObject({
    retcode: 10001,
    message: "params are nested deeper than 8 levels",
  });
  expect(() => createActionRouter({ handlers: {}, bots: () => [], maxDepth: 0 })).toThrow(
    RangeError,
  );
});

Deno.test("router: the depth bound answers 10001 exactly when params nest deeper than maxDepth, at any depth (issue 6)", async () => {
  /** Levels of objects and arrays in `value`, `value` itself counted (0 for anything else). */
  const depthOf = (value: unknown): number => {
    if (typeof value !== "object" || value === null) return 0;
    const children = Array.isArray(value) ? value : Object.values(value);
    return 1 + Math.max(0, ...children.map(depthOf));
  };
  const nested = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.integer(),
      fc.string({ maxLength: 2 }),
      fc.array(tie("value"), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom("a", "b", "c"), tie("value"), { maxKeys: 3 }),
    ),
  })).value;
  /** `value` inside `levels` more arrays and objects, alternating. */
  const wrap = (value: unknown, levels: number): unknown =>
    levels === 0 ? value : wrap(levels % 2 ? [value] : { a: value }, levels - 1);
  const deep = fc.tuple(nested, fc.integer({ min: 0, max: 16 })).map(([v, n]) => wrap(v, n));
  await fc.assert(
    fc.asyncProperty(deep, fc.integer({ min: 1, max: 14 }), async (x, maxDepth) => {
      const route = createActionRouter({
        handlers: { echo: () => ok(null) },
        bots: () => [{ platform: "demo", user_id: "bot" }],
        maxDepth,
      });
      const params = { x };
      const response = await route({ action: "echo", params }, { connection: "http" });
      expect(response.retcode).toBe(depthOf(params) > maxDepth ? 10001 : 0);
    }),
    { numRuns: 1000 },
  );
});
