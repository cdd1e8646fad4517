// Rule tests for onebot.ts, the composition root: option validation (§8), HTTP on `fetch`
// (§1.1, §3.1), get_status and the bots (§3.3, REQ-02..06), emit (EV-01, HTTP-14) and the
// greeting's connect version (§3.4). WebSocket and webhook behaviour is tested in
// tests/connection/websocket*_test.ts and tests/connection/webhook_test.ts.
import { expect } from "expect";
import * as v from "valibot";
import { defineAction } from "../action/compose.ts";
import { failed, ok } from "../action/result.ts";
import type { StandardActions } from "../action/standard.ts";
import type { ActionResponse, WithActions } from "../action/types.ts";
import type { EventSink } from "../connection/types.ts";
import { createEvent } from "../event/create.ts";
import type { BotSelf, Event } from "../event/types.ts";
import { createOneBot, NAME_REGEXP, type OneBotOptions } from "../onebot.ts";
import { openClient, serve, serveApp, within } from "./_loopback.ts";
import { captureLogs } from "./_logs.ts";

const alice = { platform: "demo", user_id: "alice" };
const bob = { platform: "demo", user_id: "bob" };

/** The standard actions and the test's own. */
type TestActions = StandardActions & {
  whoami: { params: Record<string, never>; data: BotSelf | null };
  "demo.ping": { params: Record<string, never>; data: string };
};

/** Options for a OneBot with one bot and no forward WebSocket. */
function options(extra: Partial<OneBotOptions<TestActions>> = {}): OneBotOptions<TestActions> {
  return {
    impl: "my-impl",
    version: "1.2.3",
    bots: [{ self: alice, online: true }],
    handlers: {},
    websocket: false,
    ...extra,
  };
}

function notice(n: number, self = alice): Event {
  return createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: String(n) });
}

/** POSTs one JSON action to a `fetch` handler or a URL. */
async function call(
  target: string | ((request: Request) => Promise<Response>),
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; response: ActionResponse | undefined }> {
  const init: RequestInit = {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
  const answer = typeof target === "string"
    ? await fetch(target, init)
    : await target(new Request("http://localhost/", init));
  if (answer.status !== 200) {
    await answer.body?.cancel();
    return { status: answer.status, response: undefined };
  }
  return { status: answer.status, response: await answer.json() };
}

async function action(
  target: string | ((request: Request) => Promise<Response>),
  name: string,
  params: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Promise<ActionResponse> {
  const { response } = await call(target, { action: name, params, ...extra });
  return response!;
}

function userIds(response: ActionResponse): string[] {
  return (response.data as Event[]).map((event) => event.user_id as string);
}

/** An attached sink that records what it receives. */
function recorder(): EventSink & { events: Event[]; next(detail: string): Promise<Event> } {
  const events: Event[] = [];
  const waiters = new Set<() => void>();
  let cursor = 0;
  return {
    events,
    emit(event) {
      events.push(event);
      for (const wake of [...waiters]) wake();
    },
    /** The next event of this detail type after the last one handed out. */
    next(detail) {
      const { promise, resolve } = Promise.withResolvers<Event>();
      const wake = (): void => {
        while (cursor < events.length) {
          const event = events[cursor++]!;
          if (event.detail_type === detail) {
            waiters.delete(wake);
            resolve(event);
            return;
          }
        }
      };
      waiters.add(wake);
      wake();
      return within(promise, `a ${detail} event`).finally(() => waiters.delete(wake));
    },
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

// ---- option validation (§8) ---------------------------------------------------------------

Deno.test("createOneBot() refuses an impl that does not match the name format (TypeError; §8)", () => {
  for (const impl of ["Bad_Impl", "MyImpl", "1impl", "", "-impl", "impl.", "impl..v2", "im pl"]) {
    expect(() => createOneBot(options({ impl }))).toThrow(TypeError);
  }
});

Deno.test("createOneBot() accepts the §8 impl examples (§8)", async () => {
  for (
    const impl of [
      "walle-q",
      "walle-q.v2",
      "go-cqhttp.v2.3",
      "go-cqhttp.v2.another-compatible-impl",
    ]
  ) {
    expect(NAME_REGEXP.test(impl)).toBe(true);
    await using onebot = createOneBot(options({ impl }));
    expect((await action(onebot.fetch, "get_version")).data).toMatchObject({ impl });
  }
});

Deno.test("createOneBot() refuses a bot whose platform does not match the name format (TypeError; §8)", () => {
  for (const platform of ["QQ", "qq_group", "", "1qq", "qq."]) {
    expect(() =>
      createOneBot(options({ bots: [{ self: { platform, user_id: "1" }, online: true }] }))
    )
      .toThrow(TypeError);
  }
});

Deno.test("createOneBot() refuses a bot with a non-string user_id or non-boolean online (TypeError; ENC-03)", () => {
  const bad = [
    { self: { platform: "qq", user_id: 1 }, online: true },
    { self: { platform: "qq", user_id: "1" }, online: "yes" },
  ] as unknown as OneBotOptions["bots"];
  for (const bot of bad!) {
    expect(() => createOneBot(options({ bots: [bot] }))).toThrow(TypeError);
  }
});

Deno.test("createOneBot() refuses an empty version (TypeError; §3.3)", () => {
  expect(() => createOneBot(options({ version: "" }))).toThrow(TypeError);
});

Deno.test("createOneBot() refuses an access token with surrounding white space (TypeError; HTTP-03 decision)", () => {
  expect(() => createOneBot(options({ accessToken: "t " }))).toThrow(TypeError);
  expect(() => createOneBot(options({ http: { accessToken: " t" } }))).toThrow(TypeError);
});

Deno.test("createOneBot() refuses bad HTTP limits and heartbeat intervals (RangeError; §9.1 item 13)", () => {
  expect(() => createOneBot(options({ http: { eventBufferSize: -1 } }))).toThrow(RangeError);
  expect(() => createOneBot(options({ http: { eventBufferSize: 1.5 } }))).toThrow(RangeError);
  expect(() => createOneBot(options({ http: { maxBodySize: 0 } }))).toThrow(RangeError);
  expect(() => createOneBot(options({ http: { maxPollTimeout: -1 } }))).toThrow(RangeError);
  expect(() => createOneBot(options({ http: { eventEnabled: false, maxPollTimeout: 0 } })))
    .toThrow(
      "Cannot create OneBot: http.maxPollTimeout must be an integer > 0: current value is 0",
    );
  expect(() => createOneBot(options({ heartbeat: { interval: 0 } }))).toThrow(RangeError);
  expect(() => createOneBot(options({ heartbeat: { interval: 2.5 } }))).toThrow(RangeError);
});

Deno.test("createOneBot() leaves nothing running when a later reverse WebSocket target is invalid (RangeError; WSR-05)", async () => {
  await using app = serveApp();
  // The first target starts connecting at once; the second is refused. The sanitizers fail this
  // test if the first one's socket or reconnect timer were left behind.
  expect(() =>
    createOneBot(options({
      websocketReverse: [{ url: app.wsUrl }, { url: app.wsUrl, reconnectInterval: 0 }],
    }))
  ).toThrow(RangeError);
});

// ---- HTTP on fetch (§1.1) -----------------------------------------------------------------

Deno.test("OneBot.fetch serves HTTP actions on POST / over a real loopback server (HTTP-01, META-00)", async () => {
  await using onebot = createOneBot(options());
  await using server = serve(onebot.fetch);
  const response = await action(server.url, "get_version", {}, { echo: "v" });
  expect(response).toEqual({
    status: "ok",
    retcode: 0,
    data: { impl: "my-impl", version: "1.2.3", onebot_version: "12" },
    message: "",
    echo: "v",
  });
});

Deno.test("OneBot.fetch answers GET / without an upgrade with 405 (HTTP-09)", async () => {
  await using onebot = createOneBot(options({ websocket: {} }));
  await using server = serve(onebot.fetch);
  const response = await fetch(server.url);
  await response.body?.cancel();
  expect(response.status).toBe(405);
  expect(response.headers.get("allow")).toBe("POST");
});

Deno.test("OneBot.fetch applies the shared access token to HTTP, and http.accessToken overrides it (HTTP-02..04)", async () => {
  await using shared = createOneBot(options({ accessToken: "s" }));
  expect((await call(shared.fetch, { action: "get_version", params: {} })).status).toBe(401);
  expect(
    (await call(shared.fetch, { action: "get_version", params: {} }, { Authorization: "Bearer s" }))
      .status,
  ).toBe(200);
  await using overridden = createOneBot(options({ accessToken: "s", http: { accessToken: "h" } }));
  const asShared = { Authorization: "Bearer s" };
  const asHttp = { Authorization: "Bearer h" };
  expect((await call(overridden.fetch, { action: "get_version", params: {} }, asShared)).status)
    .toBe(401);
  expect((await call(overridden.fetch, { action: "get_version", params: {} }, asHttp)).status)
    .toBe(200);
  await using disabled = createOneBot(options({ accessToken: "s", http: { accessToken: "" } }));
  expect((await call(disabled.fetch, { action: "get_version", params: {} })).status).toBe(200);
});

Deno.test("OneBot.fetch answers 404 to POST / when HTTP is turned off (http: false)", async () => {
  await using onebot = createOneBot(options({ http: false }));
  expect((await call(onebot.fetch, { action: "get_version", params: {} })).status).toBe(404);
});

// ---- §3.1 get_latest_events through OneBot.emit -------------------------------------------

Deno.test("get_latest_events returns emitted events once, over a real loopback server (§3.1, HTTP-12)", async () => {
  await using onebot = createOneBot(options());
  await using server = serve(onebot.fetch);
  onebot.emit(notice(1));
  onebot.emit(notice(2));
  expect(userIds(await action(server.url, "get_latest_events"))).toEqual(["1", "2"]);
  expect((await action(server.url, "get_latest_events")).data).toEqual([]);
});

Deno.test("get_latest_events never returns heartbeat or status_update events (§3.1, §9.2 item 22)", async () => {
  await using onebot = createOneBot(options({ heartbeat: { interval: 5 } }));
  await using sink = recorder();
  using _attached = onebot.attach(sink, { greeting: false });
  onebot.emit(createEvent({ type: "meta", detail_type: "heartbeat", interval: 5 }));
  onebot.updateBot({ self: bob, online: true }); // a status_update
  onebot.setGood(false); // another
  await sink.next("heartbeat"); // and a real heartbeat has gone out
  onebot.emit(notice(1));
  const response = await action(onebot.fetch, "get_latest_events");
  expect(userIds(response)).toEqual(["1"]);
  expect((response.data as Event[]).every((event) => event.type !== "meta")).toBe(true);
});

Deno.test("get_latest_events respects limit (§3.1 limit)", async () => {
  await using onebot = createOneBot(options());
  for (let n = 0; n < 4; n++) onebot.emit(notice(n));
  expect(userIds(await action(onebot.fetch, "get_latest_events", { limit: 3 }))).toEqual([
    "0",
    "1",
    "2",
  ]);
  expect(userIds(await action(onebot.fetch, "get_latest_events", { limit: 3 }))).toEqual(["3"]);
});

Deno.test("get_latest_events drops the oldest beyond http.eventBufferSize (HTTP-13)", async () => {
  await using onebot = createOneBot(options({ http: { eventBufferSize: 3 } }));
  for (let n = 0; n < 6; n++) onebot.emit(notice(n));
  expect(userIds(await action(onebot.fetch, "get_latest_events"))).toEqual(["3", "4", "5"]);
});

Deno.test("get_latest_events keeps everything with http.eventBufferSize 0 (§1.1 event_buffer_size)", async () => {
  await using onebot = createOneBot(options({ http: { eventBufferSize: 0 } }));
  for (let n = 0; n < 1500; n++) onebot.emit(notice(n)); // the default size keeps 1000
  expect((await action(onebot.fetch, "get_latest_events")).data).toHaveLength(1500);
});

Deno.test("get_latest_events answers 10003 for a bad limit or timeout (§3.1)", async () => {
  await using onebot = createOneBot(options());
  for (const params of [{ limit: -1 }, { timeout: -1 }, { limit: 0.5 }, { timeout: "1" }]) {
    expect((await action(onebot.fetch, "get_latest_events", params)).retcode).toBe(10003);
  }
});

Deno.test("get_latest_events long polling returns early when an event is emitted, over loopback (§3.1, #182)", async () => {
  await using onebot = createOneBot(options());
  await using server = serve(onebot.fetch);
  const polling = action(server.url, "get_latest_events", { timeout: 60 });
  setTimeout(() => onebot.emit(notice(9)), 20);
  const response = await within(polling, "the long poll"); // well before 60 s
  expect(userIds(response)).toContain("9");
});

Deno.test("get_latest_events answers [] after a 1 s timeout with nothing emitted (§3.1 timeout)", async () => {
  await using onebot = createOneBot(options());
  await using server = serve(onebot.fetch);
  const response = await within(action(server.url, "get_latest_events", { timeout: 1 }), "1 s");
  expect(response).toMatchObject({ status: "ok", retcode: 0, data: [] });
});

Deno.test("get_latest_events: concurrent long polls never receive the same event (HTTP-16 decision)", async () => {
  await using onebot = createOneBot(options());
  await using server = serve(onebot.fetch);
  const polls = [1, 2, 3].map(() =>
    action(server.url, "get_latest_events", { timeout: 60, limit: 1 })
  );
  setTimeout(() => {
    for (let n = 0; n < 3; n++) onebot.emit(notice(n));
  }, 50);
  const responses = await within(Promise.all(polls), "three long polls");
  for (const response of responses) expect(userIds(response)).toHaveLength(1);
  expect(responses.flatMap(userIds).sort()).toEqual(["0", "1", "2"]);
});

Deno.test("get_latest_events is 10002 when http.eventEnabled is false (HTTP-12, §2.4)", async () => {
  await using onebot = createOneBot(options({ http: { eventEnabled: false } }));
  onebot.emit(notice(1));
  expect((await action(onebot.fetch, "get_latest_events")).retcode).toBe(10002);
});

Deno.test("get_latest_events shortens a poll longer than http.maxPollTimeout (§3.1)", async () => {
  await using onebot = createOneBot(options({ http: { maxPollTimeout: 1 } }));
  await using server = serve(onebot.fetch);
  const response = await within(
    action(server.url, "get_latest_events", { timeout: 3600 }),
    "a poll shortened to 1 s",
  );
  expect(response.data).toEqual([]);
});

Deno.test("get_latest_events is not served outside HTTP: the router answers 10002 (§2.4 decision)", async () => {
  await using onebot = createOneBot(options());
  onebot.emit(notice(1));
  const response = await onebot.router({ action: "get_latest_events", params: {} }, {
    connection: "websocket",
  });
  expect(response.retcode).toBe(10002);
});

Deno.test("OneBot.emit delivers an event to every connection, get_latest_events included (HTTP-14)", async () => {
  await using onebot = createOneBot(options());
  await using sink = recorder();
  using _attached = onebot.attach(sink, { greeting: false });
  onebot.emit(notice(1));
  expect(sink.events.map((event) => event.user_id)).toEqual(["1"]);
  expect(userIds(await action(onebot.fetch, "get_latest_events"))).toEqual(["1"]);
});

// ---- get_status and bots (§3.3, REQ-02..06) -----------------------------------------------

Deno.test("get_status reports the configured bots and good (§3.3)", async () => {
  await using onebot = createOneBot(options({
    bots: [{ self: alice, online: true }, { self: bob, online: false, "demo.note": "x" }],
    good: false,
  }));
  expect((await action(onebot.fetch, "get_status")).data).toEqual({
    good: false,
    bots: [{ self: alice, online: true }, { self: bob, online: false, "demo.note": "x" }],
  });
});

Deno.test("get_status follows updateBot, setGood and removeBot (§3.3, META-S3)", async () => {
  await using onebot = createOneBot(options());
  onebot.updateBot({ self: bob, online: false });
  expect((await action(onebot.fetch, "get_status")).data).toEqual({
    good: true,
    bots: [{ self: alice, online: true }, { self: bob, online: false }],
  });
  onebot.updateBot({ self: bob, online: true });
  onebot.setGood(false);
  expect((await action(onebot.fetch, "get_status")).data).toEqual({
    good: false,
    bots: [{ self: alice, online: true }, { self: bob, online: true }],
  });
  onebot.removeBot(alice);
  onebot.setGood(true);
  expect((await action(onebot.fetch, "get_status")).data).toEqual({
    good: true,
    bots: [{ self: bob, online: true }],
  });
  expect(onebot.status()).toEqual({ good: true, bots: [{ self: bob, online: true }] });
});

Deno.test("OneBot.status() and get_status return copies the caller cannot change (§3.3)", async () => {
  await using onebot = createOneBot(options());
  const status = onebot.status();
  status.good = false;
  status.bots[0]!.online = false;
  const bot = { self: { ...bob }, online: true };
  onebot.updateBot(bot);
  bot.online = false;
  bot.self.user_id = "mallory";
  expect(onebot.status()).toEqual({
    good: true,
    bots: [{ self: alice, online: true }, { self: bob, online: true }],
  });
});

Deno.test("OneBot.updateBot() refuses a bot whose platform is not in the name format (TypeError; §8)", async () => {
  await using onebot = createOneBot(options());
  expect(() => onebot.updateBot({ self: { platform: "Bad Platform", user_id: "1" }, online: true }))
    .toThrow(TypeError);
});

Deno.test("OneBot bots drive self resolution: 10101 with two bots and no self, 10102 for an unknown one (REQ-02..05)", async () => {
  await using onebot = createOneBot(options({
    handlers: { whoami: (_, context) => ok(context.self ?? null) },
  }));
  expect((await action(onebot.fetch, "whoami")).data).toEqual(alice);
  onebot.updateBot({ self: bob, online: true });
  expect((await action(onebot.fetch, "whoami")).retcode).toBe(10101);
  expect((await action(onebot.fetch, "whoami", {}, { self: bob })).data).toEqual(bob);
  const eve = { platform: "demo", user_id: "eve" };
  expect((await action(onebot.fetch, "whoami", {}, { self: eve })).retcode).toBe(10102);
  onebot.removeBot(alice);
  expect((await action(onebot.fetch, "whoami")).data).toEqual(bob);
  expect((await action(onebot.fetch, "whoami", {}, { self: alice })).retcode).toBe(10102);
});

Deno.test("OneBot meta actions never require self, whatever the bots (REQ-06)", async () => {
  await using onebot = createOneBot(options({
    bots: [{ self: alice, online: true }, { self: bob, online: true }],
  }));
  const eve = { platform: "demo", user_id: "eve" };
  for (const name of ["get_version", "get_status", "get_supported_actions"]) {
    expect((await action(onebot.fetch, name)).retcode).toBe(0);
    expect((await action(onebot.fetch, name, {}, { self: eve })).retcode).toBe(0);
  }
  await using botless = createOneBot(options({ bots: [] }));
  expect((await action(botless.fetch, "get_version")).retcode).toBe(0);
});

Deno.test("OneBot get_supported_actions lists the handlers plus the meta actions (META-01)", async () => {
  await using onebot = createOneBot(options({
    handlers: {
      "demo.ping": () => ok("pong"),
      delete_message: () => ok(null),
      leave_group: undefined,
    },
  }));
  const supported = (await action(onebot.fetch, "get_supported_actions")).data as string[];
  expect(supported.sort()).toEqual(
    ["delete_message", "demo.ping", "get_status", "get_supported_actions", "get_version"].sort(),
  );
  for (const name of supported) {
    expect((await action(onebot.fetch, name, { message_id: "1" })).retcode).not.toBe(10002);
  }
});

// ---- extended actions (defineAction) and mapError (issue 13) ------------------------------

const setTopic = defineAction(
  "acme.set_topic",
  v.object({ channel_id: v.string(), topic: v.pipe(v.string(), v.maxLength(10)) }),
  ({ channel_id, topic }) => ok({ channel_id, topic: topic.toUpperCase() }),
);

Deno.test("createOneBot({ actions }) serves a defineAction over HTTP, its params checked by its schema (EXT-16, §2.4 10003)", async () => {
  await using onebot = createOneBot({ ...options(), actions: [setTopic] });
  await using server = serve(onebot.fetch);
  expect(await action(server.url, "acme.set_topic", { channel_id: "c1", topic: "news" }))
    .toEqual({ status: "ok", retcode: 0, data: { channel_id: "c1", topic: "NEWS" }, message: "" });
  for (
    const [params, message] of [
      [{ channel_id: "c1", topic: 5 }, /^topic: /],
      [{ channel_id: "c1" }, /^topic: /],
      [{ channel_id: "c1", topic: "far too long" }, /^topic: /],
      [{ topic: "news" }, /^channel_id: /],
    ] as const
  ) {
    const response = await action(server.url, "acme.set_topic", params);
    expect(response.retcode).toBe(10003);
    expect(response.message).toMatch(message);
  }
  const supported = (await action(server.url, "get_supported_actions")).data as string[];
  expect(supported).toContain("acme.set_topic");
});

Deno.test("createOneBot() refuses an actions entry not made by defineAction (TypeError)", () => {
  for (
    const entry of [
      null,
      { name: "acme.x", handler: () => ok(null) },
      { name: "nodot", validate: () => ({}), handler: () => ok(null) },
    ]
  ) {
    expect(() => createOneBot({ ...options(), actions: [entry as unknown as typeof setTopic] }))
      .toThrow(new TypeError("Cannot create OneBot: actions[0] must come from defineAction()"));
  }
  expect(() => createOneBot({ ...options(), actions: setTopic as unknown as [] })).toThrow(
    TypeError,
  );
});

Deno.test("createOneBot() refuses an action defined twice: in actions, handlers or validators (TypeError)", () => {
  const twice = new TypeError(
    "Cannot create OneBot: action acme.set_topic is defined twice (in actions, handlers or validators)",
  );
  expect(() => createOneBot({ ...options(), actions: [setTopic, setTopic] })).toThrow(twice);
  // The same action in the table too: it compiles, but is refused.
  type TopicActions = WithActions<StandardActions, [typeof setTopic]>;
  expect(() =>
    createOneBot<TopicActions>({
      ...options(),
      handlers: { "acme.set_topic": (params) => ok(params) },
      actions: [setTopic],
    })
  ).toThrow(twice);
  expect(() =>
    createOneBot<TopicActions>({
      ...options(),
      validators: { "acme.set_topic": undefined },
      actions: [setTopic],
    })
  ).toThrow(twice);
});

/** A platform client's error, as a bridge's handlers let it propagate. */
function platformError(status: number): Error {
  return Object.assign(new Error(`platform answered ${status}`), { status });
}

Deno.test("createOneBot({ mapError }) maps what handlers throw to retcodes in one place, over HTTP (issue 13 item 6, §2.4)", async () => {
  const seen: unknown[] = [];
  await using onebot = createOneBot({
    ...options(),
    handlers: {
      delete_message: ({ message_id }) => {
        throw platformError(Number(message_id));
      },
      async get_user_info({ user_id }) {
        await Promise.resolve();
        throw platformError(Number(user_id));
      },
      leave_group: () => {
        throw failed(35002, "group_id: not a member");
      },
    },
    mapError(error) {
      seen.push(error);
      const status = (error as { status?: number }).status;
      return status === 404 ? failed(35001, "no such thing") : undefined;
    },
  });
  await using server = serve(onebot.fetch);
  for (
    const [name, param] of [["delete_message", "message_id"], ["get_user_info", "user_id"]] as const
  ) {
    expect(await action(server.url, name, { [param]: "404" }, { echo: "1" })).toEqual({
      status: "failed",
      retcode: 35001,
      data: null,
      message: "no such thing",
      echo: "1",
    });
    expect((await action(server.url, name, { [param]: "500" })).retcode).toBe(20002);
  }
  expect((await action(server.url, "leave_group", { group_id: "g" })).message)
    .toBe("group_id: not a member");
  expect(seen.map((error) => (error as { status: number }).status)).toEqual([404, 500, 404, 500]);
});

Deno.test("createOneBot({ mapError }) isolates a mapError that throws: 20002, never a crash (issue 13 item 6)", async () => {
  await using onebot = createOneBot({
    ...options(),
    handlers: {
      delete_message: () => {
        throw platformError(404);
      },
    },
    mapError() {
      throw new Error("mapper bug");
    },
  });
  await using server = serve(onebot.fetch);
  const response = await action(server.url, "delete_message", { message_id: "1" });
  expect(response.retcode).toBe(20002);
  expect(response.message).toBe("the handler for delete_message failed");
});

// ---- emit (EV-01) and the greeting (§3.4) -------------------------------------------------

Deno.test("OneBot.emit() refuses invalid events with TypeError (EV-01)", async () => {
  await using onebot = createOneBot(options());
  const invalid: unknown[] = [
    { id: "1", time: 1, type: "message", detail_type: "private", sub_type: "" }, // no self
    { id: "", time: 1, type: "meta", detail_type: "x", sub_type: "" },
    { id: "1", time: "1", type: "meta", detail_type: "x", sub_type: "" },
    { id: "1", time: 1, type: "qq", detail_type: "x", sub_type: "" }, // EXT-12
    { id: "1", time: 1, type: "meta", detail_type: "x" }, // no sub_type
    null,
    "event",
  ];
  for (const event of invalid) expect(() => onebot.emit(event as Event)).toThrow(TypeError);
  expect((await action(onebot.fetch, "get_latest_events")).data).toEqual([]);
});

Deno.test("OneBot.emit() refuses, with a TypeError naming the problem, time in ms, an empty ID, a bad platform and an unprefixed extended detail_type (§2.1, §8, EVT-00, EXT-13)", async () => {
  await using onebot = createOneBot(options());
  const valid = notice(1);
  const cases: [Event, RegExp][] = [
    [{ ...valid, time: Date.now() }, /^Cannot emit event: time must be in seconds/],
    [{ ...valid, user_id: "" }, /^Cannot emit event: user_id must be a non-empty string/],
    [{ ...valid, self: { platform: "Demo", user_id: "a" } }, /self\.platform must match/],
    [{ ...valid, detail_type: "poke" }, /needs a prefix, e\.g\. demo\.poke \(EXT-13\)$/],
  ];
  for (const [event, message] of cases) {
    expect(() => onebot.emit(event)).toThrow(TypeError);
    expect(() => onebot.emit(event)).toThrow(message);
  }
  onebot.emit({ ...valid, detail_type: "demo.poke" });
  expect((await action(onebot.fetch, "get_latest_events")).data).toEqual([
    expect.objectContaining({ detail_type: "demo.poke" }),
  ]);
});

Deno.test("createOneBot({ strictEvents: false }) lets an unprefixed extension and an empty ID through, never ms or a bad platform (EXT-02)", async () => {
  await using onebot = createOneBot(options({ strictEvents: false }));
  const valid = notice(1);
  onebot.emit({ ...valid, detail_type: "poke" });
  onebot.emit({ ...valid, user_id: "" });
  expect(() => onebot.emit({ ...valid, time: Date.now() })).toThrow(TypeError);
  expect(() => onebot.emit({ ...valid, self: { platform: "", user_id: "a" } })).toThrow(TypeError);
  expect((await action(onebot.fetch, "get_latest_events")).data).toHaveLength(2);
  expect(() => createOneBot(options({ strictEvents: "no" as unknown as boolean }))).toThrow(
    "Cannot create OneBot: strictEvents must be a boolean: current value is no",
  );
});

Deno.test("OneBot.emit() after dispose drops the event without throwing", async () => {
  const onebot = createOneBot(options());
  await onebot[Symbol.asyncDispose]();
  expect(() => onebot.emit(notice(1))).not.toThrow();
});

Deno.test("OneBot greeting: meta.connect first, whose version equals get_version, then status_update (§3.4, META-C2, META-S1)", async () => {
  await using onebot = createOneBot(options({ impl: "my-impl.v2", version: "3.1.4" }));
  await using sink = recorder();
  using _attached = onebot.attach(sink);
  const [connect, update] = sink.events;
  expect(connect!.detail_type).toBe("connect");
  expect(connect!.version).toEqual((await action(onebot.fetch, "get_version")).data);
  expect(connect!.version).toEqual({ impl: "my-impl.v2", version: "3.1.4", onebot_version: "12" });
  expect("self" in connect!).toBe(false);
  expect(update!.detail_type).toBe("status_update");
  expect(update!.status).toEqual((await action(onebot.fetch, "get_status")).data);
});

Deno.test("OneBot status changes push one status_update each, listing every bot (META-S3, META-S4)", async () => {
  await using onebot = createOneBot(options());
  await using sink = recorder();
  using _attached = onebot.attach(sink, { greeting: false });
  onebot.updateBot({ self: bob, online: false });
  onebot.updateBot({ self: bob, online: false }); // no change: no update
  onebot.updateBot({ self: bob, online: true });
  onebot.setGood(false);
  onebot.setGood(false); // no change
  onebot.removeBot(alice);
  onebot.removeBot(alice); // already gone
  expect(sink.events.map((event) => event.status)).toEqual([
    { good: true, bots: [{ self: alice, online: true }, { self: bob, online: false }] },
    { good: true, bots: [{ self: alice, online: true }, { self: bob, online: true }] },
    { good: false, bots: [{ self: alice, online: true }, { self: bob, online: true }] },
    { good: false, bots: [{ self: bob, online: true }] },
  ]);
});

Deno.test("OneBot heartbeat pushes meta.heartbeat with interval in ms to push connections (META-H1, §3.5)", async () => {
  await using onebot = createOneBot(options({ heartbeat: { interval: 5 } }));
  await using sink = recorder();
  using _attached = onebot.attach(sink, { greeting: false });
  const beat = await sink.next("heartbeat");
  expect(beat).toMatchObject({ type: "meta", detail_type: "heartbeat", sub_type: "", interval: 5 });
  expect("self" in beat).toBe(false);
});

// ---- the fan-out: every sink in isolation (issue 12 item 1, issue 16 item 1) ----------------

/** An attached sink whose `emit` always throws. */
const brokenSink: EventSink = {
  emit() {
    throw new Error("broken sink");
  },
  [Symbol.asyncDispose]: () => Promise.resolve(),
};

Deno.test("OneBot.emit() never throws for a throwing attached sink, and the sinks after it get every event (issue 12)", async () => {
  using _logs = captureLogs();
  await using onebot = createOneBot(options());
  await using sink = recorder();
  using _broken = onebot.attach(brokenSink);
  using _attached = onebot.attach(sink, { greeting: false });
  for (let n = 0; n < 3; n++) expect(() => onebot.emit(notice(n))).not.toThrow();
  expect(sink.events.map((event) => event.user_id)).toEqual(["0", "1", "2"]);
  // The HTTP buffer, before the broken sink, has them too.
  expect(userIds(await action(onebot.fetch, "get_latest_events"))).toEqual(["0", "1", "2"]);
});

Deno.test("OneBot.attach() never throws for a sink that throws on its greeting (issue 12)", async () => {
  using _logs = captureLogs();
  await using onebot = createOneBot(options());
  expect(() => onebot.attach(brokenSink)[Symbol.dispose]()).not.toThrow();
});

Deno.test("OneBot heartbeat goes on, to every other sink, when an attached sink throws (issue 12, META-H1)", async () => {
  using _logs = captureLogs();
  await using onebot = createOneBot(options({ heartbeat: { interval: 5 } }));
  await using sink = recorder();
  using _broken = onebot.attach(brokenSink);
  using _attached = onebot.attach(sink, { greeting: false });
  // Before the fan-out, the first beat's throw escaped the timer and failed this test.
  for (let n = 0; n < 3; n++) await sink.next("heartbeat");
});

Deno.test("OneBot.attach() logs a failing sink under its name, once per burst (issue 12)", async () => {
  using logs = captureLogs();
  await using onebot = createOneBot(options());
  using _named = onebot.attach(brokenSink, { name: "my recorder" });
  using _unnamed = onebot.attach(brokenSink);
  for (let n = 0; n < 10; n++) onebot.emit(notice(n));
  const names = logs.find("error", "Event sink {name} failed").map((r) => r.properties.name);
  expect(names).toEqual(["my recorder", "attached sink #2"]);
});

Deno.test("OneBot.attach() refuses a sink without emit, or a name that is not a string (TypeError)", async () => {
  await using onebot = createOneBot(options());
  expect(() => onebot.attach({} as EventSink)).toThrow(TypeError);
  expect(() => onebot.attach(recorder(), { name: 1 as unknown as string })).toThrow(TypeError);
});

Deno.test("OneBot encodes each event once for every push connection: an unencodable one is logged once (issue 16)", async () => {
  using logs = captureLogs();
  const posted: unknown[] = [];
  await using receiver = serve(async (request) => {
    posted.push(await request.json());
    return new Response(null, { status: 204 });
  });
  await using app = serveApp();
  await using onebot = createOneBot(options({
    websocket: {},
    httpWebhook: [{ url: receiver.url }],
    websocketReverse: [{ url: app.wsUrl }],
  }));
  await using server = serve(onebot.fetch);
  await using client = await openClient(server.wsUrl);
  const { peer } = await app.accept();
  await client.nextEvent((event) => event.detail_type === "status_update");
  await peer.nextEvent((event) => event.detail_type === "status_update");
  onebot.emit({ ...notice(0), "test.big": 1n });
  onebot.emit(notice(1));
  const isOne = (event: Event): boolean => event.user_id === "1";
  expect((await client.nextEvent(isOne)).user_id).toBe("1");
  expect((await peer.nextEvent(isOne)).user_id).toBe("1");
  await within(
    (async () => {
      while (!posted.some((event) => (event as Event).user_id === "1")) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })(),
    "the webhook post of event 1",
  );
  expect(logs.find("error", "cannot be encoded")).toHaveLength(1);
});

Deno.test("OneBot.defer(): cleanups run at dispose, last first, awaited, isolated, before the connections close", async () => {
  using logs = captureLogs();
  const onebot = createOneBot({ impl: "my-impl", version: "1.0.0", handlers: {} });
  const seen: string[] = [];
  const sink: EventSink = {
    emit: (event) => void seen.push(`event ${event.type}.${event.detail_type}`),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
  onebot.attach(sink, { greeting: false });
  const bot = onebot.bot(alice);
  bot.setOnline(true);
  onebot.defer(async () => {
    await Promise.resolve();
    seen.push("first added");
  });
  onebot.defer(() => {
    throw new Error("cleanup broke");
  });
  onebot.defer(() => {
    seen.push("last added");
    bot.setOnline(false); // reaches the sink: the connections are still open
  });
  expect(() => onebot.defer("nope" as unknown as () => void)).toThrow(TypeError);
  await onebot[Symbol.asyncDispose]();
  expect(seen).toEqual([
    "event meta.status_update",
    "last added",
    "event meta.status_update",
    "first added",
  ]);
  expect(logs.lines()).toContainEqual(
    expect.stringMatching(/cleanup of dispose failed.*cleanup broke/),
  );
  // After dispose, a cleanup runs at once.
  const late = Promise.withResolvers<void>();
  onebot.defer(() => late.resolve());
  await within(late.promise, "the late cleanup");
  expect(logs.lines()).toContainEqual(expect.stringMatching(/deferred after dispose began/));
});

Deno.test("OneBot dispose called twice: the second call waits for the first to finish", async () => {
  const onebot = createOneBot({ impl: "my-impl", version: "1.0.0", handlers: {} });
  const seen: string[] = [];
  const gate = Promise.withResolvers<void>();
  onebot.defer(() => gate.promise.then(() => void seen.push("cleanup")));
  const first = onebot[Symbol.asyncDispose]();
  const second = onebot[Symbol.asyncDispose]().then(() => void seen.push("second"));
  gate.resolve();
  await Promise.all([first, second]);
  expect(seen).toEqual(["cleanup", "second"]);
});
