import { expect } from "expect";
import { ok } from "../../action/result.ts";
import { createActionRouter } from "../../action/router.ts";
import { connectReverseWebSocket } from "../../connection/websocket_reverse.ts";
import { createEvent } from "../../event/create.ts";
import { createOneBot } from "../../onebot.ts";
import { freePort, type Peer, privateMessage, serve, serveApp, within } from "../_loopback.ts";
import { captureLogs } from "../_logs.ts";

const SELF = { platform: "test", user_id: "bot" };

const router = createActionRouter({
  handlers: {
    ping: () => ok("pong"),
    kind: (_params, context) => ok(context.connection),
  },
  bots: () => [SELF],
});

async function expectGreeting(peer: Peer): Promise<void> {
  const first = await peer.nextFrame();
  expect(first.kind).toBe("text");
  expect(first.value).toMatchObject({ type: "meta", detail_type: "connect" });
  expect(first.value).not.toHaveProperty("self");
  const second = await peer.nextFrame();
  expect(second.value).toMatchObject({ type: "meta", detail_type: "status_update" });
}

Deno.test("connectReverseWebSocket() rejects bad options up front (WSR-05)", () => {
  const url = "ws://127.0.0.1:1/";
  for (const reconnectInterval of [0, -1, 1.5, Number.NaN]) {
    expect(() => connectReverseWebSocket(router, { url, impl: "demo", reconnectInterval }))
      .toThrow(RangeError);
  }
  expect(() => connectReverseWebSocket(router, { url, impl: "demo", reconnectInterval: 0 }))
    .toThrow(
      "Cannot connect reverse WebSocket: reconnectInterval must be an integer > 0: current value is 0",
    );
  expect(() => connectReverseWebSocket(router, { url: "http://127.0.0.1:1/", impl: "demo" }))
    .toThrow(TypeError);
  expect(() => connectReverseWebSocket(router, { url: "not a url", impl: "demo" }))
    .toThrow(TypeError);
  expect(() => connectReverseWebSocket(router, { url, impl: "a b" })).toThrow(TypeError);
  expect(() => connectReverseWebSocket(router, { url, impl: "demo", maxBacklog: -1 }))
    .toThrow(RangeError);
  expect(() => connectReverseWebSocket(router, { url, impl: "demo", maxFrameSize: 0 }))
    .toThrow(RangeError);
});

Deno.test("connectReverseWebSocket() sends User-Agent, Authorization and the 12.<impl> subprotocol (WSR-02, WSR-03, WSR-04)", async () => {
  await using app = serveApp();
  await using _sink = connectReverseWebSocket(router, {
    url: `${app.wsUrl}onebot`,
    impl: "test-impl",
    accessToken: "s3cret",
  });
  const { request, peer } = await app.accept();
  const url = new URL(request.url);
  expect(url.pathname).toBe("/onebot");
  expect(url.searchParams.has("access_token")).toBe(false);
  expect(request.headers.get("authorization")).toBe("Bearer s3cret");
  expect(request.headers.get("sec-websocket-protocol")).toBe("12.test-impl");
  // Deno's own User-Agent is the only one (see the JSDoc; raw bytes in push_target_test.ts).
  expect(request.headers.get("user-agent")).toBe(`Deno/${Deno.version.deno}`);
  expect(request.headers.has("x-impl")).toBe(false);
  expect(request.headers.has("x-onebot-version")).toBe(false);
  expect((await peer.call({ action: "ping", params: {}, echo: "1" })).data).toBe("pong");
});

Deno.test("connectReverseWebSocket() puts the token in the query only with tokenInQuery (WSR-04)", async () => {
  await using app = serveApp();
  await using _sink = connectReverseWebSocket(router, {
    url: app.wsUrl,
    impl: "test-impl",
    accessToken: "s3cret",
    tokenInQuery: true,
  });
  const { request } = await app.accept();
  expect(new URL(request.url).searchParams.get("access_token")).toBe("s3cret");
  expect(request.headers.has("authorization")).toBe(false);
});

Deno.test("connectReverseWebSocket() works with a server that does not echo the subprotocol (WSR-03)", async () => {
  await using app = serveApp({ echoProtocol: false });
  await using _sink = connectReverseWebSocket(router, { url: app.wsUrl, impl: "test-impl" });
  const { peer } = await app.accept();
  expect((await peer.call({ action: "kind", params: {}, echo: "k" })).data).toBe(
    "websocket_reverse",
  );
});

Deno.test("connectReverseWebSocket() serves actions like the forward socket (WSR-01, WS-08, WS-09)", async () => {
  await using app = serveApp();
  await using _sink = connectReverseWebSocket(router, { url: app.wsUrl, impl: "test-impl" });
  const { peer } = await app.accept();
  const binary = await peer.call({ action: "ping", params: {}, echo: "b" }, "binary");
  expect(binary.frame.kind).toBe("binary");
  expect(binary.data).toBe("pong");
  peer.socket.send("{oops");
  const bad = await peer.nextResponse();
  expect(bad).toMatchObject({ status: "failed", retcode: 10001 });
  expect(bad.frame.kind).toBe("text");
  const unknown = await peer.call({ action: "nope", params: {}, echo: "u" });
  expect(unknown.retcode).toBe(10002);
  expect(peer.socket.readyState).toBe(WebSocket.OPEN);
});

Deno.test("createOneBot() reverse WebSocket sends meta.connect first on every reconnect (WSR-05, WSR-06, META-C2)", async () => {
  await using app = serveApp();
  await using onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    handlers: {},
    websocketReverse: [{ url: app.wsUrl, reconnectInterval: 10 }],
  });
  const first = await app.accept();
  await expectGreeting(first.peer);
  // The application drops the connection; the implementation comes back.
  first.peer.socket.close(1000, "bye");
  await first.peer.closed;
  const second = await app.accept();
  await expectGreeting(second.peer);
  onebot.emit(privateMessage("after"));
  expect((await second.peer.nextEvent((e) => e.type === "message")).id).toBe("after");
  expect(app.accepted).toBe(2);
});

Deno.test("connectReverseWebSocket() retries after a failed first attempt (WSR-05)", async () => {
  // A listener that accepts TCP and hangs up at once: each attempt fails.
  const refuser = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = refuser.addr as Deno.NetAddr;
  await using onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    handlers: {},
    websocketReverse: [{ url: `ws://127.0.0.1:${port}/`, reconnectInterval: 10 }],
  });
  // Two failed attempts prove the loop also covers failed attempts.
  for (let attempt = 0; attempt < 2; attempt++) {
    const conn = await within(refuser.accept(), "a connection attempt");
    conn.close();
  }
  refuser.close();
  // Events emitted while disconnected wait in the backlog, after the greeting.
  onebot.emit(privateMessage("while-down"));
  await using app = serveApp({ port });
  const { peer } = await app.accept();
  await expectGreeting(peer);
  const third = await peer.nextFrame();
  expect(third.value).toMatchObject({ type: "message", id: "while-down" });
});

Deno.test("connectReverseWebSocket() keeps a bounded backlog and no meta events while disconnected", async () => {
  const port = freePort();
  const sink = connectReverseWebSocket(router, {
    url: `ws://127.0.0.1:${port}/`,
    impl: "test-impl",
    reconnectInterval: 10,
    maxBacklog: 2,
    greeting: () => [createEvent({ type: "meta", detail_type: "connect", version: {} })],
  });
  try {
    sink.emit(privateMessage("1"));
    sink.emit(createEvent({ type: "meta", detail_type: "heartbeat", interval: 10 }));
    sink.emit(privateMessage("2"));
    sink.emit(privateMessage("3"));
    await using app = serveApp({ port });
    const { peer } = await app.accept();
    expect((await peer.nextFrame()).value).toMatchObject({ detail_type: "connect" });
    expect((await peer.nextFrame()).value).toMatchObject({ id: "2" });
    expect((await peer.nextFrame()).value).toMatchObject({ id: "3" });
    sink.emit(privateMessage("4"));
    expect((await peer.nextFrame()).value).toMatchObject({ id: "4" });
  } finally {
    await sink[Symbol.asyncDispose]();
  }
});

Deno.test("createOneBot() reverse WebSocket delivers heartbeats (WS-12, META-H1)", async () => {
  await using app = serveApp();
  await using _onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    handlers: {},
    heartbeat: { interval: 20 },
    websocketReverse: [{ url: app.wsUrl, reconnectInterval: 10 }],
  });
  const { peer } = await app.accept();
  expect((await peer.nextFrame()).value).toMatchObject({ detail_type: "connect" });
  const beat = await peer.nextEvent((event) => event.detail_type === "heartbeat");
  expect(beat).toMatchObject({ type: "meta", interval: 20 });
  expect(beat).not.toHaveProperty("self");
});

Deno.test("connectReverseWebSocket() closes a too-slow socket with 4008 and keeps the refused event", async () => {
  await using app = serveApp();
  await using sink = connectReverseWebSocket(router, {
    url: app.wsUrl,
    impl: "test-impl",
    reconnectInterval: 10,
    maxBufferedAmount: 1024,
  });
  const first = await app.accept();
  await first.peer.call({ action: "ping", params: {}, echo: "ready" });
  const padding = "x".repeat(64 * 1024);
  sink.emit({ ...privateMessage("sent"), padding });
  // The socket now holds more than 1024 unsent bytes: this one is refused.
  sink.emit({ ...privateMessage("kept"), padding });
  const closed = await first.peer.closed;
  expect(closed.code).toBe(4008);
  expect(closed.reason).toBe("too slow");
  // The refused event was kept for the next connection, not lost.
  const second = await app.accept();
  expect((await second.peer.nextFrame()).value).toMatchObject({ id: "kept" });
  expect((await second.peer.call({ action: "ping", params: {}, echo: "again" })).data).toBe(
    "pong",
  );
});

Deno.test("connectReverseWebSocket() dispose closes the socket with 1000 and stops reconnecting", async () => {
  await using app = serveApp();
  const sink = connectReverseWebSocket(router, {
    url: app.wsUrl,
    impl: "test-impl",
    reconnectInterval: 10,
  });
  const { peer } = await app.accept();
  await peer.call({ action: "ping", params: {}, echo: "ready" });
  await sink[Symbol.asyncDispose]();
  const closed = await peer.closed;
  expect(closed.code).toBe(1000);
  expect(app.accepted).toBe(1);
});

Deno.test("connectReverseWebSocket() dispose while retrying clears the timer", async () => {
  const sink = connectReverseWebSocket(router, {
    url: `ws://127.0.0.1:${freePort()}/`,
    impl: "test-impl",
    reconnectInterval: 60_000,
  });
  await sink[Symbol.asyncDispose]();
});

Deno.test("connectReverseWebSocket() starts without a greeting that returns no list, and serves actions (issue 12)", async () => {
  using logs = captureLogs();
  await using app = serveApp();
  await using _sink = connectReverseWebSocket(router, {
    url: app.wsUrl,
    impl: "test-impl",
    greeting: (() => undefined) as unknown as () => [],
  });
  const { peer } = await app.accept();
  // Before the check, iterating `undefined` threw out of the socket's open listener.
  expect((await peer.call({ action: "ping", params: {}, echo: "p" })).data).toBe("pong");
  expect(logs.find("error", "The greeting did not return a list")).toHaveLength(1);
});

Deno.test("connectReverseWebSocket() logs an application that accepts and closes at once like an outage, not twice per attempt", async () => {
  using logs = captureLogs();
  let flapping = true;
  let opened = 0;
  const tenth = Promise.withResolvers<void>();
  await using app = serve((request) => {
    const { socket, response } = Deno.upgradeWebSocket(request, { protocol: "12.test-impl" });
    socket.addEventListener("open", () => {
      if (++opened === 10) tenth.resolve();
      if (flapping) socket.close(1000, "bye");
    });
    return response;
  });
  const sink = connectReverseWebSocket(router, {
    url: app.wsUrl,
    impl: "test-impl",
    reconnectInterval: 5,
  });
  try {
    await within(tenth.promise, "ten connections");
    const lines = () =>
      logs.lines().filter((line) => line.startsWith("info") || line.startsWith("warning"));
    // Before, each attempt logged "connected" and "disconnected": twenty lines here.
    // Now: the first "connected", then one warning for the outage (two if a minute passed).
    expect(lines().length).toBeLessThanOrEqual(3);
    expect(logs.find("warning", "closed")).not.toHaveLength(0);
    flapping = false;
    // The connection that stays up reports the attempts that failed, itself not among them.
    const line = await logs.logged("failed attempt(s)");
    expect(line).toMatch(/^info Reverse WebSocket connected to .*, after \d+ failed attempt\(s\)$/);
    expect(Number(/after (\d+) failed/.exec(line)![1])).toBeGreaterThanOrEqual(9);
  } finally {
    await sink[Symbol.asyncDispose]();
  }
});
