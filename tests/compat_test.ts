// Tests of the opt-in interop options: `compat.metaSelf` of createOneBot (meta events with the
// first bot's `self`, checklist §9.2 item 21) and `subprotocols` of the reverse WebSocket
// (WSR-03). Both exist for applications that need more than the spec asks, such as alemonjs'
// OneBot 12 adapter (see tests/interop/alemonjs_test.ts for the real client). And the opt-in
// leniency for client deviations: `compat.nonStringEcho` and `compat.nullParams` (§2.2).
import { expect } from "expect";
import type { EventSink } from "../connection/types.ts";
import { connectReverseWebSocket } from "../connection/websocket_reverse.ts";
import { createActionRouter } from "../action/router.ts";
import { failed, ok } from "../action/result.ts";
import { connectEvent } from "../event/meta.ts";
import type { Event } from "../event/types.ts";
import type { StandardActions } from "../action/standard.ts";
import { createOneBot, type OneBotOptions } from "../onebot.ts";
import { openClient, serve, serveApp, within } from "./_loopback.ts";

const alice = { platform: "demo", user_id: "alice" };
const bob = { platform: "demo", user_id: "bob" };

function options(extra: Partial<OneBotOptions> = {}): OneBotOptions {
  return {
    impl: "my-impl",
    version: "1.2.3",
    bots: [{ self: alice, online: true }, { self: bob, online: true }],
    handlers: {},
    websocket: false,
    ...extra,
  };
}

/** A sink that records what it gets and wakes whoever waits for a matching event. */
function recorder(): EventSink & { events: Event[]; next(detail: string): Promise<Event> } {
  const events: Event[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    emit(event) {
      events.push(event);
      for (const wake of [...waiters]) wake();
    },
    next(detail) {
      const found = Promise.withResolvers<Event>();
      const wake = (): void => {
        const event = events.find((e) => e.detail_type === detail);
        if (event === undefined) return;
        waiters.delete(wake);
        found.resolve(event);
      };
      waiters.add(wake);
      wake();
      return within(found.promise, `a ${detail} event`).finally(() => waiters.delete(wake));
    },
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

Deno.test("createOneBot() sends meta events without self by default (§9.2 item 21, META-C2)", async () => {
  await using onebot = createOneBot(options());
  const sink = recorder();
  using _attached = onebot.attach(sink);
  onebot.updateBot({ self: bob, online: false });
  expect(sink.events.map((event) => event.detail_type)).toEqual([
    "connect",
    "status_update",
    "status_update",
  ]);
  for (const event of sink.events) expect(event).not.toHaveProperty("self");
});

Deno.test("createOneBot() with compat.metaSelf gives meta.connect and meta.status_update the first bot's self (§9.2 item 21, META-C2, META-S3)", async () => {
  await using onebot = createOneBot(options({ compat: { metaSelf: true } }));
  const sink = recorder();
  using _attached = onebot.attach(sink);
  onebot.updateBot({ self: bob, online: false });
  const [connect, greetingUpdate, changed] = sink.events;
  expect(connect).toMatchObject({ type: "meta", detail_type: "connect", self: alice });
  expect(greetingUpdate).toMatchObject({ detail_type: "status_update", self: alice });
  expect(changed).toMatchObject({
    detail_type: "status_update",
    self: alice,
    status: { good: true, bots: [{ self: alice, online: true }, { self: bob, online: false }] },
  });
  // Each event has its own copy.
  expect(connect!.self).not.toBe(greetingUpdate!.self);
});

Deno.test("createOneBot() with compat.metaSelf follows the bot list: the next bot after a removal, none when empty (§9.2 item 21)", async () => {
  await using onebot = createOneBot(options({ compat: { metaSelf: true } }));
  const sink = recorder();
  using _attached = onebot.attach(sink, { greeting: false });
  onebot.removeBot(alice);
  onebot.removeBot(bob);
  expect(sink.events.map((event) => event.self)).toEqual([bob, undefined]);
  expect(sink.events[1]).not.toHaveProperty("self");
});

Deno.test("createOneBot() with compat.metaSelf gives meta.heartbeat the first bot's self (§9.2 item 21, META-H1)", async () => {
  await using onebot = createOneBot(options({
    compat: { metaSelf: true },
    heartbeat: { interval: 10 },
  }));
  const sink = recorder();
  using _attached = onebot.attach(sink, { greeting: false });
  expect(await sink.next("heartbeat")).toMatchObject({
    type: "meta",
    detail_type: "heartbeat",
    interval: 10,
    self: alice,
  });
});

Deno.test("createOneBot() with compat.metaSelf leaves non-meta events and get_status alone (§9.2 item 21)", async () => {
  await using onebot = createOneBot(options({ compat: { metaSelf: true } }));
  expect(onebot.status()).toEqual({
    good: true,
    bots: [{ self: alice, online: true }, { self: bob, online: true }],
  });
  expect(onebot.status()).not.toHaveProperty("self");
});

Deno.test("createOneBot() rejects a compat.metaSelf that is not a boolean (§9.1 item 13)", () => {
  expect(() => createOneBot(options({ compat: { metaSelf: "yes" as unknown as boolean } })))
    .toThrow("Cannot create OneBot: compat.metaSelf must be a boolean: current value is yes");
});

Deno.test("createOneBot() forward WebSocket echoes a bare 12 and greets with self under compat.metaSelf (WS-01, META-C2)", async () => {
  await using onebot = createOneBot(options({ websocket: {}, compat: { metaSelf: true } }));
  await using server = serve(onebot.fetch);
  // What alemonjs' forward client does: offer only `12`, and require it back.
  await using peer = await openClient(server.url.replace("http:", "ws:"), { protocols: ["12"] });
  expect(peer.socket.protocol).toBe("12");
  expect(await peer.nextEvent()).toMatchObject({ detail_type: "connect", self: alice });
  expect(await peer.nextEvent()).toMatchObject({ detail_type: "status_update", self: alice });
});

Deno.test("connectReverseWebSocket() offers 12.<impl> by default (WSR-03)", async () => {
  await using app = serveApp();
  const router = createActionRouter({ handlers: {}, bots: () => [] });
  await using _reverse = connectReverseWebSocket(router, {
    url: `ws://127.0.0.1:${app.port}/`,
    impl: "my-impl",
  });
  const { request } = await app.accept();
  expect(request.headers.get("sec-websocket-protocol")).toBe("12.my-impl");
});

Deno.test("connectReverseWebSocket() offers the subprotocols option in order and accepts a server that picks 12 (WSR-03)", async () => {
  await using app = serveApp();
  const router = createActionRouter({ handlers: {}, bots: () => [] });
  await using _reverse = connectReverseWebSocket(router, {
    url: `ws://127.0.0.1:${app.port}/`,
    impl: "my-impl",
    subprotocols: ["12", "12.my-impl"],
    greeting: () => [connectEvent({ impl: "my-impl", version: "1", onebot_version: "12" })],
  });
  const { request, peer } = await app.accept();
  expect(request.headers.get("sec-websocket-protocol")).toBe("12, 12.my-impl");
  // serveApp echoes the first offered (`12`), as Node's `ws` server does; the client accepts
  // it and sends its greeting.
  expect(await peer.nextEvent()).toMatchObject({ detail_type: "connect" });
});

Deno.test("connectReverseWebSocket() rejects empty, repeated or non-token subprotocols before connecting (WSR-03)", () => {
  const router = createActionRouter({ handlers: {}, bots: () => [] });
  const message = "Cannot connect reverse WebSocket: subprotocols must be a non-empty list of " +
    "distinct tokens: current value is ";
  for (
    const subprotocols of [[], ["12", "12"], ["12 x"], [""], [12], "12"] as unknown as string[][]
  ) {
    expect(() =>
      connectReverseWebSocket(router, { url: "ws://127.0.0.1:1/", impl: "my-impl", subprotocols })
    ).toThrow(`${message}${JSON.stringify(subprotocols)}`);
  }
});

Deno.test("createOneBot() passes websocketReverse subprotocols and compat.metaSelf to a reverse WebSocket (WSR-03, WSR-06)", async () => {
  await using app = serveApp();
  await using _onebot = createOneBot(options({
    compat: { metaSelf: true },
    websocketReverse: [{ url: `ws://127.0.0.1:${app.port}/`, subprotocols: ["12"] }],
  }));
  const { request, peer } = await app.accept();
  expect(request.headers.get("sec-websocket-protocol")).toBe("12");
  expect(await peer.nextEvent()).toMatchObject({ detail_type: "connect", self: alice });
  expect(await peer.nextEvent()).toMatchObject({ detail_type: "status_update", self: alice });
});

/** `greet`, whose optional `name` must be a string when present. */
type GreetActions = StandardActions & { greet: { params: { name?: string }; data: string } };

/** One bot, `send_message`, and `greet`. */
function lenientOptions(compat: OneBotOptions["compat"]): OneBotOptions<GreetActions> {
  return {
    impl: "my-impl",
    version: "1.2.3",
    bots: [{ self: alice, online: true }],
    handlers: {
      greet: (params) => ok(`hello ${params.name ?? "you"}`),
      send_message: () => ok({ message_id: "m", time: 0 }),
    },
    validators: {
      greet: (params) =>
        "name" in params && typeof params.name !== "string"
          ? failed(10003, "name must be a string")
          : params,
    },
    ...(compat === undefined ? {} : { compat }),
  };
}

/** Posts one JSON request to a OneBot served on loopback; the decoded answer. */
async function postJson(url: string, request: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  return await response.json();
}

Deno.test("createOneBot() answers a non-string echo with 10001 and no echo by default, over HTTP and WebSocket (§2.2, RESP-03)", async () => {
  await using onebot = createOneBot(lenientOptions(undefined));
  await using server = serve(onebot.fetch);
  const request = { action: "greet", params: {}, echo: 7 };
  const overHttp = await postJson(server.url, request);
  expect(overHttp).toMatchObject({ status: "failed", retcode: 10001 });
  expect(overHttp).not.toHaveProperty("echo");
  await using peer = await openClient(server.url.replace("http:", "ws:"));
  for (const kind of ["text", "binary"] as const) {
    peer.send(request, kind);
    const overWs = await peer.nextResponse();
    expect(overWs).toMatchObject({ retcode: 10001 });
    expect(overWs).not.toHaveProperty("echo");
  }
});

Deno.test("createOneBot() with compat.nonStringEcho answers a number, boolean or null echo with that same value, over HTTP and WebSocket (§2.2)", async () => {
  await using onebot = createOneBot(lenientOptions({ nonStringEcho: true }));
  await using server = serve(onebot.fetch);
  await using peer = await openClient(server.url.replace("http:", "ws:"));
  for (const echo of [7, 0, -1.5, true, false, null]) {
    const request = { action: "greet", params: {}, echo };
    expect(await postJson(server.url, request)).toEqual({
      status: "ok",
      retcode: 0,
      data: "hello you",
      message: "",
      echo,
    });
    for (const kind of ["text", "binary"] as const) {
      peer.send(request, kind);
      const { frame: _, ...response } = await peer.nextResponse();
      expect(response).toEqual({ status: "ok", retcode: 0, data: "hello you", message: "", echo });
    }
  }
  // A failed answer carries it too; a string echo is unchanged.
  expect(await postJson(server.url, { action: "nope", params: {}, echo: 3 }))
    .toMatchObject({ retcode: 10002, echo: 3 });
  expect(await postJson(server.url, { action: "greet", params: {}, echo: "s" }))
    .toMatchObject({ retcode: 0, echo: "s" });
  // An object or array echo is still a malformed request.
  for (const echo of [{ n: 1 }, [1]]) {
    const answer = await postJson(server.url, { action: "greet", params: {}, echo });
    expect(answer).toMatchObject({ retcode: 10001 });
    expect(answer).not.toHaveProperty("echo");
  }
});

Deno.test("createOneBot() answers an optional param sent as null with 10003 by default, over HTTP and WebSocket (§2.2)", async () => {
  await using onebot = createOneBot(lenientOptions({ nonStringEcho: true }));
  await using server = serve(onebot.fetch);
  const request = { action: "greet", params: { name: null }, echo: "n" };
  expect(await postJson(server.url, request)).toMatchObject({ retcode: 10003, echo: "n" });
  await using peer = await openClient(server.url.replace("http:", "ws:"));
  expect(await peer.call(request)).toMatchObject({ retcode: 10003, echo: "n" });
});

Deno.test("createOneBot() with compat.nullParams treats params sent as null as absent before validation, over HTTP and WebSocket (§2.2)", async () => {
  await using onebot = createOneBot(lenientOptions({ nullParams: true }));
  await using server = serve(onebot.fetch);
  const request = { action: "greet", params: { name: null }, echo: "n" };
  expect(await postJson(server.url, request)).toMatchObject({
    retcode: 0,
    data: "hello you",
    echo: "n",
  });
  await using peer = await openClient(server.url.replace("http:", "ws:"));
  expect(await peer.call(request)).toMatchObject({ retcode: 0, data: "hello you", echo: "n" });
  expect(await peer.call(request, "binary")).toMatchObject({ retcode: 0, data: "hello you" });
  // Other values are validated as ever, and nonStringEcho stays off.
  expect(await postJson(server.url, { action: "greet", params: { name: 1 } }))
    .toMatchObject({ retcode: 10003 });
  expect(await postJson(server.url, { action: "greet", params: { name: "Ann" }, echo: 1 }))
    .toMatchObject({ retcode: 10001 });
  // A standard validator: send_message's message is required, so null is missing: 10003.
  expect(
    await postJson(server.url, {
      action: "send_message",
      params: { detail_type: "private", user_id: "u", message: null },
    }),
  ).toMatchObject({ retcode: 10003 });
});

Deno.test("createOneBot() rejects compat.nonStringEcho and compat.nullParams that are not booleans", () => {
  for (const name of ["nonStringEcho", "nullParams"]) {
    expect(() => createOneBot(lenientOptions({ [name]: 1 } as OneBotOptions["compat"])))
      .toThrow(`Cannot create OneBot: compat.${name} must be a boolean: current value is 1`);
  }
});

Deno.test("createOneBot() applies compat leniency to get_latest_events, an ordinary action now (§2.2, §3.1)", async () => {
  await using onebot = createOneBot(lenientOptions({ nullParams: true, nonStringEcho: true }));
  await using server = serve(onebot.fetch);
  const request = { action: "get_latest_events", params: { limit: null, timeout: null }, echo: 3 };
  expect(await postJson(server.url, request)).toMatchObject({ retcode: 0, data: [], echo: 3 });
});
