import { expect } from "expect";
import {
  createActionRouter,
  createEvent,
  createEventBuffer,
  createHttpHandler,
  createOneBot,
  decodeMsgpack,
  encodeMsgpack,
  ok,
} from "../../mod.ts";
import { serve } from "../_loopback.ts";

const self = { platform: "demo", user_id: "bot" };
const router = createActionRouter({
  handlers: { ping: () => ok("pong") },
  bots: () => [self],
});

function post(
  body: BodyInit | null,
  init: { path?: string; type?: string | null; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers(init.headers);
  if (init.type !== null) headers.set("Content-Type", init.type ?? "application/json");
  return new Request(`http://localhost${init.path ?? "/"}`, { method: "POST", headers, body });
}

const PING = JSON.stringify({ action: "ping", params: {} });

async function status(handler: (r: Request) => Promise<Response>, request: Request) {
  const response = await handler(request);
  await response.body?.cancel();
  return response.status;
}

// ---- auth (HTTP-02..04) -------------------------------------------------------------------

const authCases: [string, Record<string, string>, string, number][] = [
  ["Bearer t", { Authorization: "Bearer t" }, "/", 200],
  ["lowercase bearer", { Authorization: "bearer t" }, "/", 401],
  ["two spaces", { Authorization: "Bearer  t" }, "/", 401],
  ["Token scheme", { Authorization: "Token t" }, "/", 401],
  ["bare token", { Authorization: "t" }, "/", 401],
  [
    "wrong header plus right query (no fallback)",
    { Authorization: "Bearer x" },
    "/?access_token=t",
    401,
  ],
  ["query only", {}, "/?access_token=t", 200],
  ["wrong query", {}, "/?access_token=x", 401],
  ["neither", {}, "/", 401],
  ["empty header", { Authorization: "" }, "/?access_token=t", 401],
];
for (const [name, headers, path, expected] of authCases) {
  Deno.test(`createHttpHandler() auth: ${name} → ${expected} (HTTP-03, HTTP-04)`, async () => {
    const handler = createHttpHandler(router, { accessToken: "t" });
    expect(await status(handler, post(PING, { path, headers }))).toBe(expected);
  });
}

Deno.test("createHttpHandler() accepts everything when the token is unset or empty (HTTP-02)", async () => {
  for (const accessToken of [undefined, ""]) {
    const handler = createHttpHandler(router, { accessToken });
    expect(await status(handler, post(PING, { headers: { Authorization: "Bearer nope" } })))
      .toBe(200);
  }
});

Deno.test("createHttpHandler() refuses a token that HTTP would trim (HTTP-03 decision)", () => {
  for (const accessToken of [" t", "t ", "t\n", "t\u0000"]) {
    expect(() => createHttpHandler(router, { accessToken })).toThrow(TypeError);
  }
});

// ---- method, path, content type, size (HTTP-01, 05..10) ---------------------------------

Deno.test("createHttpHandler() answers GET / with 405 and Allow: POST (HTTP-09)", async () => {
  const response = await createHttpHandler(router)(new Request("http://localhost/"));
  await response.body?.cancel();
  expect(response.status).toBe(405);
  expect(response.headers.get("allow")).toBe("POST");
});

Deno.test("createHttpHandler() answers a path other than / with 404, action in the URL included (HTTP-10, §9.1 item 8)", async () => {
  const handler = createHttpHandler(router);
  expect(await status(handler, post(PING, { path: "/send_message" }))).toBe(404);
  expect(await status(handler, post(PING, { path: "/?x=1" }))).toBe(200);
});

Deno.test("createHttpHandler() checks path, method, auth, type, size in that order (§1.1 decision)", async () => {
  const handler = createHttpHandler(router, { accessToken: "t", maxBodySize: 10 });
  expect(await status(handler, new Request("http://localhost/x"))).toBe(404);
  expect(await status(handler, new Request("http://localhost/"))).toBe(405);
  expect(await status(handler, post(PING, { type: "text/plain" }))).toBe(401);
  const auth = { Authorization: "Bearer t" };
  expect(await status(handler, post(PING, { type: "text/plain", headers: auth }))).toBe(415);
  expect(await status(handler, post(PING, { headers: auth }))).toBe(413);
});

Deno.test("createHttpHandler() answers unsupported or missing media types with 415 (HTTP-07)", async () => {
  const handler = createHttpHandler(router);
  for (const type of ["text/plain", "application/x-msgpack", "application/jsonx", null]) {
    expect(await status(handler, post(PING, { type }))).toBe(415);
  }
});

Deno.test("createHttpHandler() tolerates media-type parameters and case (HTTP-05, §1.1 decision)", async () => {
  const handler = createHttpHandler(router);
  for (
    const type of ["application/json; charset=utf-8", "Application/JSON", " application/json ;x=y"]
  ) {
    const response = await handler(post(PING, { type }));
    expect(response.headers.get("content-type")).toBe("application/json");
    expect((await response.json()).data).toBe("pong");
  }
});

Deno.test("createHttpHandler() answers MessagePack in MessagePack (HTTP-06, HTTP-08)", async () => {
  const handler = createHttpHandler(router);
  const response = await handler(
    post(encodeMsgpack({ action: "ping", params: {}, echo: "m" }), { type: "application/msgpack" }),
  );
  expect(response.headers.get("content-type")).toBe("application/msgpack");
  expect(decodeMsgpack(await response.bytes())).toEqual({
    status: "ok",
    retcode: 0,
    data: "pong",
    message: "",
    echo: "m",
  });
  const bad = await handler(post(new Uint8Array([0xc1]), { type: "application/msgpack" }));
  expect(bad.status).toBe(200);
  expect((decodeMsgpack(await bad.bytes()) as { retcode: number }).retcode).toBe(10001);
});

Deno.test("createHttpHandler() answers 413 from Content-Length and from a streamed body (body limit)", async () => {
  const handler = createHttpHandler(router, { maxBodySize: 64 });
  expect(await status(handler, post("x".repeat(65)))).toBe(413);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(32).fill(0x20));
    },
  });
  expect(await status(handler, post(stream))).toBe(413);
});

Deno.test("createHttpHandler() answers every malformed body with 200 and 10001 (HTTP-11, REQ-01)", async () => {
  const handler = createHttpHandler(router);
  const bodies: BodyInit[] = [
    "{bad json",
    new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), // invalid UTF-8
    "",
    "[]",
    "42",
    "null",
    '"ping"',
    JSON.stringify({ params: {} }),
    JSON.stringify({ action: 1, params: {} }),
    JSON.stringify({ action: "ping" }),
    JSON.stringify({ action: "ping", params: [] }),
    JSON.stringify({ action: "ping", params: null }),
    JSON.stringify({ action: "ping", params: "x" }),
    JSON.stringify({ action: "ping", params: {}, echo: 5 }),
    JSON.stringify({ action: "ping", params: {}, self: "bot" }),
  ];
  for (const body of bodies) {
    const response = await handler(post(body));
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer.retcode).toBe(10001);
    expect(answer.status).toBe("failed");
    expect("echo" in answer).toBe(false);
  }
});

Deno.test("createHttpHandler() keeps the echo of a request that is otherwise malformed (RESP-03)", async () => {
  const response = await createHttpHandler(router)(
    post(JSON.stringify({ action: "ping", echo: "kept" })),
  );
  expect(await response.json()).toEqual({
    status: "failed",
    retcode: 10001,
    data: null,
    message: "params must be an object",
    echo: "kept",
  });
});

Deno.test("createHttpHandler() answers 10002 for unknown actions, Object.prototype names included (§2.4)", async () => {
  const handler = createHttpHandler(router);
  for (const action of ["nope", "__proto__", "constructor", "toString", "hasOwnProperty"]) {
    const response = await handler(post(JSON.stringify({ action, params: {} })));
    expect((await response.json()).retcode).toBe(10002);
  }
});

// ---- get_latest_events (§3.1, HTTP-12..16) -------------------------------------------------

function notice(n: number) {
  return createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: String(n) });
}

async function poll(handler: (r: Request) => Promise<Response>, params: Record<string, unknown>) {
  const response = await handler(post(JSON.stringify({ action: "get_latest_events", params })));
  return await response.json();
}

Deno.test("get_latest_events consumes events and never returns meta events (§3.1, HTTP-12)", async () => {
  using events = createEventBuffer();
  const handler = createHttpHandler(router, { events });
  events.push(notice(1));
  events.push(createEvent({ type: "meta", detail_type: "heartbeat", interval: 1000 }));
  events.push(notice(2));
  const first = await poll(handler, {});
  expect(first.data.map((e: { user_id: string }) => e.user_id)).toEqual(["1", "2"]);
  expect((await poll(handler, {})).data).toEqual([]);
});

Deno.test("get_latest_events respects limit and keeps the rest, oldest first (§3.1)", async () => {
  using events = createEventBuffer();
  const handler = createHttpHandler(router, { events });
  for (let i = 0; i < 5; i++) events.push(notice(i));
  expect((await poll(handler, { limit: 2 })).data.map((e: { user_id: string }) => e.user_id))
    .toEqual(["0", "1"]);
  expect((await poll(handler, { limit: 0 })).data).toHaveLength(3);
});

Deno.test("get_latest_events drops the oldest beyond event_buffer_size; 0 is unlimited (HTTP-13)", async () => {
  using small = createEventBuffer({ size: 3 });
  using unlimited = createEventBuffer({ size: 0 });
  for (let i = 0; i < 10; i++) {
    small.push(notice(i));
    unlimited.push(notice(i));
  }
  expect((await small.poll(0, 0)).map((e) => e.user_id)).toEqual(["7", "8", "9"]);
  expect(small.dropped).toBe(7);
  expect(await unlimited.poll(0, 0)).toHaveLength(10);
});

Deno.test("get_latest_events answers 10003 for bad limit or timeout (§3.1)", async () => {
  using events = createEventBuffer();
  const handler = createHttpHandler(router, { events });
  for (
    const params of [{ limit: -1 }, { timeout: -1 }, { limit: 1.5 }, { timeout: "5" }, {
      limit: null,
    }]
  ) {
    expect((await poll(handler, params)).retcode).toBe(10003);
  }
});

Deno.test("get_latest_events long polling returns as soon as an event arrives (§3.1, #182)", async () => {
  using events = createEventBuffer();
  const handler = createHttpHandler(router, { events });
  const started = performance.now();
  const pending = poll(handler, { timeout: 30 });
  setTimeout(() => events.push(notice(1)), 20);
  const answer = await pending;
  expect(answer.data.map((e: { user_id: string }) => e.user_id)).toEqual(["1"]);
  expect(performance.now() - started).toBeLessThan(30_000); // returned before the timeout
});

Deno.test("get_latest_events returns [] when the timeout passes with nothing (§3.1)", async () => {
  using events = createEventBuffer();
  const handler = createHttpHandler(router, { events });
  expect((await poll(handler, { timeout: 1 })).data).toEqual([]);
});

Deno.test("concurrent long polls never receive the same event (HTTP-16 decision)", async () => {
  using events = createEventBuffer();
  const handler = createHttpHandler(router, { events });
  const a = poll(handler, { timeout: 30, limit: 1 });
  const b = poll(handler, { timeout: 30, limit: 1 });
  setTimeout(() => {
    events.push(notice(1));
    events.push(notice(2));
  }, 10);
  const [first, second] = await Promise.all([a, b]);
  const ids = [...first.data, ...second.data].map((e: { user_id: string }) => e.user_id);
  expect(ids.sort()).toEqual(["1", "2"]);
});

Deno.test("get_latest_events is 10002 when event_enabled is false (§2.4)", async () => {
  await using onebot = createOneBot({
    impl: "x",
    version: "1",
    bots: [{ self, online: true }],
    handlers: {},
    websocket: false,
    http: { eventEnabled: false },
  });
  expect((await poll(onebot.fetch, {})).retcode).toBe(10002);
});

Deno.test("createOneBot() serves HTTP on a real loopback server with long polling (HTTP-01, §3.1)", async () => {
  await using onebot = createOneBot({
    impl: "x",
    version: "1",
    bots: [{ self, online: true }],
    handlers: {},
    websocket: false,
  });
  await using server = serve(onebot.fetch);
  const polling = fetch(server.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "get_latest_events", params: { timeout: 30 } }),
  });
  setTimeout(() => onebot.emit(notice(9)), 20);
  const answer = await (await polling).json();
  expect(answer.data.map((e: { user_id: string }) => e.user_id)).toEqual(["9"]);
  const version = await fetch(server.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "get_version", params: {} }),
  });
  expect((await version.json()).data).toEqual({ impl: "x", version: "1", onebot_version: "12" });
});
