// Tests of the opt-in interop options: `compat.metaSelf` of createOneBot (meta events with the
// first bot's `self`, checklist §9.2 item 21) and `subprotocols` of the reverse WebSocket
// (WSR-03). Both exist for applications that need more than the spec asks, such as alemonjs'
// OneBot 12 adapter (see tests/interop/alemonjs_test.ts for the real client).
import { expect } from "expect";
import type { EventSink } from "../connection/types.ts";
import { connectReverseWebSocket } from "../connection/websocket_reverse.ts";
import { createActionRouter } from "../action/router.ts";
import { connectEvent } from "../event/meta.ts";
import type { Event } from "../event/types.ts";
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
