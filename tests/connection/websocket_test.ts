import { expect } from "expect";
import { failed, ok } from "../../action/result.ts";
import { createActionRouter } from "../../action/router.ts";
import type { ActionResponse, ActionRouter, AnyActionHandlers } from "../../action/types.ts";
import { createWebSocketHandler } from "../../connection/websocket.ts";
import { createEvent } from "../../event/create.ts";
import { createOneBot } from "../../onebot.ts";
import { openClient, rawGet, serve } from "../_loopback.ts";
import { captureLogs } from "../_logs.ts";

const SELF = { platform: "test", user_id: "bot" };

function routerWith(handlers: AnyActionHandlers): ActionRouter {
  return createActionRouter({ handlers, bots: () => [SELF] });
}

const ping = routerWith({ ping: () => ok("pong") });

/** A router with `slow`, which answers once `release` resolves, and `fast`, which answers at once. */
function slowAndFast() {
  const release = Promise.withResolvers<void>();
  const router = routerWith({
    slow: async () => {
      await release.promise;
      return ok("slow");
    },
    fast: () => ok("fast"),
  });
  return { release, router };
}

function upgradeRequest(url: string, init: { method?: string; headers?: HeadersInit } = {}) {
  const headers = new Headers(init.headers);
  headers.set("Upgrade", "websocket");
  headers.set("Connection", "Upgrade");
  return new Request(url, { method: init.method ?? "GET", headers });
}

function message() {
  return createEvent({
    type: "message",
    detail_type: "private",
    self: SELF,
    message_id: "m1",
    message: [],
    alt_message: "",
    user_id: "u1",
  });
}

// --- First layer: the upgrade handler called with a Request, no network. ---

Deno.test("createWebSocketHandler() answers 404 for a path other than / (WS-04)", async () => {
  await using ws = createWebSocketHandler(ping);
  const response = await ws.fetch(upgradeRequest("http://localhost/other"));
  expect(response.status).toBe(404);
  await response.body?.cancel();
});

Deno.test("createWebSocketHandler() answers 405 for a method other than GET", async () => {
  await using ws = createWebSocketHandler(ping);
  const response = await ws.fetch(upgradeRequest("http://localhost/", { method: "POST" }));
  expect(response.status).toBe(405);
  expect(response.headers.get("allow")).toBe("GET");
  await response.body?.cancel();
});

Deno.test("createWebSocketHandler() answers 400 for a GET that is not an upgrade", async () => {
  await using ws = createWebSocketHandler(ping);
  const response = await ws.fetch(new Request("http://localhost/"));
  expect(response.status).toBe(400);
  await response.body?.cancel();
});

Deno.test("createWebSocketHandler() answers 401 before the upgrade on a wrong token (WS-02, WS-03)", async () => {
  await using ws = createWebSocketHandler(ping, { accessToken: "s3cret" });
  for (
    const request of [
      upgradeRequest("http://localhost/"),
      upgradeRequest("http://localhost/?access_token=wrong"),
      upgradeRequest("http://localhost/?access_token=s3cret", {
        headers: { Authorization: "Bearer wrong" },
      }),
      upgradeRequest("http://localhost/", { headers: { Authorization: "bearer s3cret" } }),
    ]
  ) {
    const response = await ws.fetch(request);
    expect(response.status).toBe(401);
    await response.body?.cancel();
  }
});

Deno.test("createWebSocketHandler() rejects limits that are not integers > 0", () => {
  expect(() => createWebSocketHandler(ping, { maxFrameSize: 0 })).toThrow(RangeError);
  expect(() => createWebSocketHandler(ping, { maxInFlight: 1.5 })).toThrow(RangeError);
  expect(() => createWebSocketHandler(ping, { maxBufferedAmount: -1 })).toThrow(
    "Cannot create WebSocket handler: maxBufferedAmount must be an integer > 0: current value is -1",
  );
  expect(() => createWebSocketHandler(ping, { accessToken: " x" })).toThrow(TypeError);
});

Deno.test("createWebSocketHandler() answers 503 to upgrades after dispose", async () => {
  const ws = createWebSocketHandler(ping);
  await ws[Symbol.asyncDispose]();
  const response = await ws.fetch(upgradeRequest("http://localhost/"));
  expect(response.status).toBe(503);
  await response.body?.cancel();
});

// --- Second layer: real loopback sockets. ---

Deno.test("createWebSocketHandler() refuses a wrong header even with a right query: 401 (WS-03, HTTP-03)", async () => {
  await using ws = createWebSocketHandler(ping, { accessToken: "s3cret" });
  await using server = serve(ws.fetch);
  const upgrade = {
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
  };
  const wrong = await rawGet(server.port, "/?access_token=s3cret", {
    ...upgrade,
    Authorization: "Bearer wrong",
  });
  expect(wrong.status).toBe(401);
  const none = await rawGet(server.port, "/", upgrade);
  expect(none.status).toBe(401);
  const elsewhere = await rawGet(server.port, "/ws", {
    ...upgrade,
    Authorization: "Bearer s3cret",
  });
  expect(elsewhere.status).toBe(404);
  expect(ws.connections).toBe(0);
});

Deno.test("createWebSocketHandler() accepts the token in the query or the header (WS-02)", async () => {
  await using ws = createWebSocketHandler(ping, { accessToken: "s3cret" });
  await using server = serve(ws.fetch);
  {
    await using client = await openClient(`${server.wsUrl}?access_token=s3cret`);
    expect((await client.call({ action: "ping", params: {}, echo: "q" })).data).toBe("pong");
  }
  {
    await using client = await openClient(server.wsUrl, {
      headers: { Authorization: "Bearer s3cret" },
    });
    expect((await client.call({ action: "ping", params: {}, echo: "h" })).data).toBe("pong");
  }
});

Deno.test("createWebSocketHandler() echoes an offered subprotocol, preferring one that starts with 12", async () => {
  await using ws = createWebSocketHandler(ping);
  await using server = serve(ws.fetch);
  {
    await using client = await openClient(server.wsUrl, { protocols: ["chat", "12.app"] });
    expect(client.socket.protocol).toBe("12.app");
  }
  {
    await using client = await openClient(server.wsUrl, { protocols: ["chat", "other"] });
    expect(client.socket.protocol).toBe("chat");
  }
  {
    await using client = await openClient(server.wsUrl);
    expect(client.socket.protocol).toBe("");
  }
});

Deno.test("createOneBot() forward WebSocket sends meta.connect first, then meta.status_update (META-C2, WS-10, WS-11)", async () => {
  await using onebot = createOneBot({
    impl: "test-impl",
    version: "1.2.3",
    bots: [{ self: SELF, online: true }],
    handlers: {},
  });
  await using server = serve(onebot.fetch);
  for (let round = 0; round < 2; round++) {
    await using client = await openClient(server.wsUrl);
    const first = await client.nextFrame();
    expect(first.kind).toBe("text");
    expect(first.value).toMatchObject({
      type: "meta",
      detail_type: "connect",
      sub_type: "",
      version: { impl: "test-impl", version: "1.2.3", onebot_version: "12" },
    });
    expect(first.value).not.toHaveProperty("self");
    const second = await client.nextFrame();
    expect(second.value).toMatchObject({
      type: "meta",
      detail_type: "status_update",
      status: { good: true, bots: [{ self: SELF, online: true }] },
    });
    expect(second.value).not.toHaveProperty("self");
  }
});

Deno.test("createOneBot() forward WebSocket keeps events emitted while CONNECTING, after the greeting (META-C2)", async () => {
  await using onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    handlers: {},
  });
  const event = message();
  await using server = serve(async (request) => {
    const response = await onebot.fetch(request);
    // The socket exists but is not open yet: this event must wait its turn.
    onebot.emit(event);
    return response;
  });
  await using client = await openClient(server.wsUrl);
  const kinds = [];
  for (let i = 0; i < 3; i++) kinds.push((await client.nextFrame()).value);
  expect(kinds.map((value) => (value as { detail_type: string }).detail_type)).toEqual([
    "connect",
    "status_update",
    "private",
  ]);
  expect((kinds[2] as { id: string }).id).toBe(event.id);
});

Deno.test("createWebSocketHandler() answers text with JSON text and binary with MessagePack binary (WS-06..08)", async () => {
  await using ws = createWebSocketHandler(ping);
  await using server = serve(ws.fetch);
  await using client = await openClient(server.wsUrl);
  const text = await client.call({ action: "ping", params: {}, echo: "t" }, "text");
  expect(text.frame.kind).toBe("text");
  expect(text).toMatchObject({ status: "ok", retcode: 0, data: "pong", message: "", echo: "t" });
  const binary = await client.call({ action: "ping", params: {}, echo: "b" }, "binary");
  expect(binary.frame.kind).toBe("binary");
  expect(binary).toMatchObject({ status: "ok", retcode: 0, data: "pong", message: "", echo: "b" });
});

Deno.test("createWebSocketHandler() sends events as JSON text even to a MessagePack client (WS-05)", async () => {
  await using ws = createWebSocketHandler(ping);
  await using server = serve(ws.fetch);
  await using client = await openClient(server.wsUrl);
  await client.call({ action: "ping", params: {}, echo: "b" }, "binary");
  const event = message();
  ws.emit(event);
  const received = await client.nextEvent();
  expect(received.frame.kind).toBe("text");
  expect(received.id).toBe(event.id);
});

Deno.test("createWebSocketHandler() answers malformed frames with 10001 and keeps the socket open (WS-09, RESP-03)", async () => {
  await using ws = createWebSocketHandler(ping);
  await using server = serve(ws.fetch);
  await using client = await openClient(server.wsUrl);

  client.socket.send("{not json");
  const badJson = await client.nextResponse();
  expect(badJson.frame.kind).toBe("text");
  expect(badJson).toMatchObject({ status: "failed", retcode: 10001, data: null });
  expect(badJson).not.toHaveProperty("echo");

  client.socket.send(new Uint8Array([0xc1]));
  const badMsgpack = await client.nextResponse();
  expect(badMsgpack.frame.kind).toBe("binary");
  expect(badMsgpack.retcode).toBe(10001);

  for (const value of [[1, 2], "text", 42, null]) {
    const response = await client.call(value);
    expect(response.retcode).toBe(10001);
  }
  const echoed = await client.call({ action: 1, params: {}, echo: "kept" });
  expect(echoed).toMatchObject({ retcode: 10001, echo: "kept" });

  expect(client.socket.readyState).toBe(WebSocket.OPEN);
  expect((await client.call({ action: "ping", params: {}, echo: "after" })).data).toBe("pong");
});

Deno.test("createWebSocketHandler() answers a frame over maxFrameSize with 10001 and keeps the socket open", async () => {
  await using ws = createWebSocketHandler(ping, { maxFrameSize: 256 });
  await using server = serve(ws.fetch);
  await using client = await openClient(server.wsUrl);
  client.send({ action: "ping", params: { pad: "é".repeat(200) }, echo: "big" });
  const big = await client.nextResponse();
  expect(big).toMatchObject({ status: "failed", retcode: 10001 });
  client.send({ action: "ping", params: { pad: "x".repeat(300) } }, "binary");
  const bigBinary = await client.nextResponse();
  expect(bigBinary.frame.kind).toBe("binary");
  expect(bigBinary.retcode).toBe(10001);
  expect((await client.call({ action: "ping", params: {}, echo: "small" })).data).toBe("pong");
});

Deno.test("createWebSocketHandler() runs actions concurrently and matches them by echo (WS-13)", async () => {
  const { release, router } = slowAndFast();
  await using ws = createWebSocketHandler(router);
  await using server = serve(ws.fetch);
  await using client = await openClient(server.wsUrl);
  client.send({ action: "slow", params: {}, echo: "1" });
  client.send({ action: "fast", params: {}, echo: "2" });
  const fast = await client.response("2");
  expect(fast.data).toBe("fast");
  release.resolve();
  const slow = await client.response("1");
  expect(slow.data).toBe("slow");
  const order = client.frames.map((frame) => (frame.value as { echo?: string }).echo);
  expect(order).toEqual(["2", "1"]);
});

Deno.test("createWebSocketHandler() queues actions beyond maxInFlight and answers 36000 beyond twice that", async () => {
  const release = Promise.withResolvers<void>();
  const router = routerWith({
    slow: async ({ n }: { n: number }) => {
      await release.promise;
      return ok(n);
    },
  });
  await using ws = createWebSocketHandler(router, { maxInFlight: 1 });
  await using server = serve(ws.fetch);
  await using client = await openClient(server.wsUrl);
  for (const n of [1, 2, 3]) client.send({ action: "slow", params: { n }, echo: `${n}` });
  const tired = await client.response("3");
  expect(tired).toMatchObject({ status: "failed", retcode: 36000, echo: "3" });
  release.resolve();
  expect((await client.response("1")).data).toBe(1);
  expect((await client.response("2")).data).toBe(2);
});

Deno.test("createOneBot() forward WebSocket delivers heartbeats with their interval (WS-12, META-H1)", async () => {
  await using onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    handlers: {},
    heartbeat: { interval: 20 },
  });
  await using server = serve(onebot.fetch);
  await using client = await openClient(server.wsUrl);
  expect((await client.nextFrame()).value).toMatchObject({ detail_type: "connect" });
  const beat = await client.nextEvent((event) => event.detail_type === "heartbeat");
  expect(beat).toMatchObject({
    type: "meta",
    detail_type: "heartbeat",
    sub_type: "",
    interval: 20,
  });
  expect(beat).not.toHaveProperty("self");
  expect(beat.frame.kind).toBe("text");
});

Deno.test("createWebSocketHandler() fans events out to every socket in order", async () => {
  await using ws = createWebSocketHandler(ping);
  await using server = serve(ws.fetch);
  await using a = await openClient(server.wsUrl);
  await using b = await openClient(server.wsUrl);
  // A socket joins the fan-out at upgrade time, before the client sees `open`.
  expect(ws.connections).toBe(2);
  const events = [message(), message(), message()];
  for (const event of events) ws.emit(event);
  for (const client of [a, b]) {
    for (const event of events) expect((await client.nextEvent()).id).toBe(event.id);
  }
});

Deno.test("createWebSocketHandler() closes a socket that is too slow with 1008", async () => {
  await using ws = createWebSocketHandler(ping, { maxBufferedAmount: 1024 });
  await using server = serve(ws.fetch);
  await using client = await openClient(server.wsUrl);
  // Make sure the server side is open: one round trip.
  await client.call({ action: "ping", params: {}, echo: "ready" });
  const big = { ...message(), padding: "x".repeat(64 * 1024) };
  for (let i = 0; i < 4; i++) ws.emit(big);
  const closed = await client.closed;
  expect(closed.code).toBe(1008);
  expect(closed.reason).toBe("too slow");
});

Deno.test("createWebSocketHandler() dispose closes every socket with 1001 (design §9)", async () => {
  const ws = createWebSocketHandler(ping);
  await using server = serve(ws.fetch);
  await using client = await openClient(server.wsUrl);
  await client.call({ action: "ping", params: {}, echo: "ready" });
  expect(ws.connections).toBe(1);
  await ws[Symbol.asyncDispose]();
  const closed = await client.closed;
  expect(closed.code).toBe(1001);
  expect(ws.connections).toBe(0);
});

Deno.test("createWebSocketHandler() gives handlers the websocket connection kind", async () => {
  const router = routerWith({ kind: (_params, context) => ok(context.connection) });
  await using ws = createWebSocketHandler(router);
  await using server = serve(ws.fetch);
  await using client = await openClient(server.wsUrl);
  expect((await client.call({ action: "kind", params: {}, echo: "k" })).data).toBe("websocket");
});

Deno.test("createWebSocketHandler() answers a thrown failure with its retcode", async () => {
  const router = routerWith({
    refuse: () => {
      throw failed(35001, "no such user");
    },
  });
  await using ws = createWebSocketHandler(router);
  await using server = serve(ws.fetch);
  await using client = await openClient(server.wsUrl);
  const response = await client.call({ action: "refuse", params: {}, echo: "r" }, "binary");
  expect(response).toMatchObject({ status: "failed", retcode: 35001, message: "no such user" });
});

Deno.test("createWebSocketHandler() answers 20002 when a custom router throws at once, and goes on (RESP-03, issue 12)", async () => {
  using _logs = captureLogs();
  let calls = 0;
  const throwing: ActionRouter = (request, context) => {
    if (calls++ === 0) throw new Error("broken router");
    return ping(request, context);
  };
  await using handler = createWebSocketHandler(throwing);
  await using server = serve(handler.fetch);
  await using client = await openClient(server.wsUrl);
  // Before the guard, the throw escaped the socket's message listener.
  const first = await client.call({ action: "ping", params: {}, echo: "1" });
  expect(first).toMatchObject({ retcode: 20002, echo: "1" });
  const second = await client.call({ action: "ping", params: {}, echo: "2" });
  expect(second).toMatchObject({ retcode: 0, data: "pong", echo: "2" });
});

Deno.test("createWebSocketHandler() answers 20002 when a custom router resolves to no response, and frees the slot (RESP-03)", async () => {
  using _logs = captureLogs();
  let calls = 0;
  const broken: ActionRouter = (request, context) =>
    calls++ === 0
      ? Promise.resolve(undefined as unknown as ActionResponse)
      : ping(request, context);
  await using handler = createWebSocketHandler(broken, { maxInFlight: 1 });
  await using server = serve(handler.fetch);
  await using client = await openClient(server.wsUrl);
  const first = await client.call({ action: "ping", params: {}, echo: "1" });
  expect(first).toMatchObject({ retcode: 20002, echo: "1" });
  // With one slot, a slot kept by the broken answer would leave these waiting for ever.
  for (const echo of ["2", "3"]) {
    const next = await client.call({ action: "ping", params: {}, echo });
    expect(next).toMatchObject({ retcode: 0, data: "pong", echo });
  }
});

Deno.test("createWebSocketHandler() drains a long queue of synchronous actions behind slow ones (WS-13)", async () => {
  const { release, router } = slowAndFast();
  // The slow actions take every slot; the fast ones wait in the queue, and when a slot frees
  // they all answer, one after another.
  const maxInFlight = 5_000;
  await using ws = createWebSocketHandler(router, { maxInFlight });
  await using server = serve(ws.fetch);
  const socket = new WebSocket(server.wsUrl);
  const answered = Promise.withResolvers<number>();
  let count = 0;
  let succeeded = 0;
  socket.onmessage = ({ data }) => {
    const frame = JSON.parse(data);
    if (frame.echo === undefined) return; // the greeting
    count++;
    if (frame.retcode === 0) succeeded++;
    if (count === 2 * maxInFlight) answered.resolve(succeeded);
  };
  socket.onclose = () => answered.reject(new Error(`closed after ${count} answers`));
  await new Promise((resolve) => socket.onopen = resolve);
  for (const action of ["slow", "fast"]) {
    for (let i = 0; i < maxInFlight; i++) {
      socket.send(JSON.stringify({ action, params: {}, echo: `${action}${i}` }));
    }
  }
  release.resolve();
  expect(await answered.promise).toBe(2 * maxInFlight);
  socket.onclose = null;
  const closed = new Promise((resolve) => socket.onclose = resolve);
  socket.close();
  await closed;
});

Deno.test("createWebSocketHandler() logs each connection opened and closed at info, with the peer's address", async () => {
  using logs = captureLogs();
  const handler = createWebSocketHandler(ping, {});
  await using server = serve(handler.fetch);
  {
    await using client = await openClient(server.url.replace("http", "ws"));
    const opened = await logs.logged("opened");
    expect(opened).toMatch(/^info WebSocket connection from 127\.0\.0\.1:\d+ opened \(1 open\)$/);
    client.socket.close(1000);
    await client.closed;
  }
  const closed = await logs.logged("closed (");
  expect(closed).toMatch(
    /^info WebSocket connection from 127\.0\.0\.1:\d+ closed \(1000; 0 open\)$/,
  );
  await handler[Symbol.asyncDispose]();
});
