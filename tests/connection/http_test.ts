// Rule tests for connection/http.ts (checklist §1.1, HTTP-01..16, REQ-01, RESP-01..03, §3.1).
// Most rules run at two layers: the handler called directly with `new Request(...)` ("direct"),
// and a real loopback `Deno.serve` on 127.0.0.1 port 0 reached with real `fetch` ("loopback").
import { expect } from "expect";
import { failed, ok } from "../../action/result.ts";
import { createActionRouter } from "../../action/router.ts";
import { createLatestEventsHandler, type LatestEventsOptions } from "../../action/latest_events.ts";
import type { ActionResponse, ActionRouter } from "../../action/types.ts";
import { decodeMsgpack, encodeMsgpack } from "../../connection/codec.ts";
import { createHttpHandler, type HttpHandlerOptions } from "../../connection/http.ts";
import { createEventBuffer, type EventBuffer } from "../../event/buffer.ts";
import { createEvent } from "../../event/create.ts";
import { heartbeatEvent, statusUpdateEvent } from "../../event/meta.ts";
import type { Event } from "../../event/types.ts";
import { serve, within } from "../_loopback.ts";

const self = { platform: "demo", user_id: "bot" };
const router: ActionRouter = createActionRouter({
  handlers: {
    ping: () => ok("pong"),
    nothing: () => ok(null),
    bytes: () => ok({ data: new Uint8Array([1, 2, 3]) }),
    bigint: () => ok({ n: 1n }),
    explode: () => {
      throw new Error("kaboom");
    },
    refuse: () => failed(35001, "no such user"),
  },
  bots: () => [self],
});

const PING = JSON.stringify({ action: "ping", params: {} });

// ---- two layers -----------------------------------------------------------------------------

/** One HTTP exchange as a client sees it; the body is always read. */
interface Exchange {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

interface Send {
  method?: string;
  /** Path and query, default `/`. */
  path?: string;
  /** `Content-Type`; default `application/json`; `null` for none. */
  type?: string | null;
  headers?: Record<string, string>;
  body?: BodyInit | null;
}

interface Client extends AsyncDisposable {
  send(request: Send): Promise<Exchange>;
}

interface Layer {
  name: "direct" | "loopback";
  open(options?: HttpHandlerOptions, route?: ActionRouter): Client;
}

function headersOf(request: Send): Headers {
  const headers = new Headers(request.headers);
  if (request.type !== null) headers.set("Content-Type", request.type ?? "application/json");
  return headers;
}

function initOf(request: Send): RequestInit {
  const method = request.method ?? "POST";
  const hasBody = method !== "GET" && method !== "HEAD";
  return {
    method,
    headers: headersOf(request),
    ...(hasBody ? { body: request.body === undefined ? PING : request.body } : {}),
  };
}

const direct: Layer = {
  name: "direct",
  open(options, route = router) {
    const handler = createHttpHandler(route, options);
    return {
      async send(request) {
        const response = await handler(
          new Request(`http://localhost${request.path ?? "/"}`, initOf(request)),
        );
        return { status: response.status, headers: response.headers, body: await response.bytes() };
      },
      [Symbol.asyncDispose]: () => Promise.resolve(),
    };
  },
};

const loopback: Layer = {
  name: "loopback",
  open(options, route = router) {
    const server = serve(createHttpHandler(route, options));
    return {
      async send(request) {
        const url = `http://127.0.0.1:${server.port}${request.path ?? "/"}`;
        const response = await fetch(url, initOf(request));
        return { status: response.status, headers: response.headers, body: await response.bytes() };
      },
      [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
    };
  },
};

const LAYERS = [direct, loopback];

/** Registers `body` once per layer, the layer's name appended to the test name. */
function test(name: string, body: (layer: Layer) => Promise<void>): void {
  for (const layer of LAYERS) Deno.test(`${name} [${layer.name}]`, () => body(layer));
}

function json(exchange: Exchange): ActionResponse {
  return JSON.parse(new TextDecoder().decode(exchange.body));
}

function msgpack(exchange: Exchange): ActionResponse {
  return decodeMsgpack(exchange.body) as ActionResponse;
}

function expectEnvelope(response: ActionResponse): void {
  expect(Object.keys(response).filter((key) => key !== "echo").sort()).toEqual(
    ["data", "message", "retcode", "status"],
  );
  expect(response.status === "ok").toBe(response.retcode === 0);
}

// ---- HTTP-01 ------------------------------------------------------------------------------

test("createHttpHandler() serves one action per POST / and answers 200 with a JSON response (HTTP-01)", async (layer) => {
  await using client = layer.open();
  const exchange = await client.send({
    body: JSON.stringify({ action: "ping", params: {}, echo: "1" }),
  });
  expect(exchange.status).toBe(200);
  expect(exchange.headers.get("content-type")).toBe("application/json");
  expect(json(exchange)).toEqual({
    status: "ok",
    retcode: 0,
    data: "pong",
    message: "",
    echo: "1",
  });
});

test("createHttpHandler() accepts a query string on / (HTTP-01)", async (layer) => {
  await using client = layer.open();
  expect((await client.send({ path: "/?foo=bar" })).status).toBe(200);
});

// ---- HTTP-02..04: auth --------------------------------------------------------------------

test("createHttpHandler() without a token accepts any request (HTTP-02)", async (layer) => {
  await using client = layer.open();
  expect((await client.send({})).status).toBe(200);
  expect((await client.send({ headers: { Authorization: "Bearer whatever" } })).status).toBe(200);
});

test('createHttpHandler() with token "" accepts any request (HTTP-02)', async (layer) => {
  await using client = layer.open({ accessToken: "" });
  expect((await client.send({})).status).toBe(200);
  expect((await client.send({ path: "/?access_token=x" })).status).toBe(200);
});

const authCases: [string, string, Record<string, string>, number][] = [
  ["Authorization: Bearer t", "/", { Authorization: "Bearer t" }, 200],
  ["lowercase bearer", "/", { Authorization: "bearer t" }, 401],
  ["two spaces after Bearer", "/", { Authorization: "Bearer  t" }, 401],
  ["the Token scheme", "/", { Authorization: "Token t" }, 401],
  ["a wrong header plus the right query (no fallback)", "/?access_token=t", {
    Authorization: "Bearer x",
  }, 401],
  ["the query only", "/?access_token=t", {}, 200],
  ["neither header nor query", "/", {}, 401],
  ["a wrong query", "/?access_token=x", {}, 401],
];
for (const [name, path, headers, expected] of authCases) {
  test(`createHttpHandler() with ${name} answers ${expected} (HTTP-03, HTTP-04)`, async (layer) => {
    await using client = layer.open({ accessToken: "t" });
    const exchange = await client.send({ path, headers });
    expect(exchange.status).toBe(expected);
    if (expected === 200) expect(json(exchange).data).toBe("pong");
  });
}

test("createHttpHandler() answers every auth failure with 401, never 403 (HTTP-04, §9.1 item 1)", async (layer) => {
  await using client = layer.open({ accessToken: "t" });
  for (
    const request of [
      {},
      { headers: { Authorization: "Bearer x" } },
      { path: "/?access_token=x" },
      { headers: { Authorization: "Basic dDp0" } },
    ] satisfies Send[]
  ) {
    const exchange = await client.send(request);
    expect(exchange.status).toBe(401);
    expect(exchange.status).not.toBe(403);
  }
});

Deno.test("createHttpHandler() refuses a token with surrounding white space at creation (TypeError; HTTP-03 decision)", () => {
  for (const accessToken of [" t", "t ", "t\n"]) {
    expect(() => createHttpHandler(router, { accessToken })).toThrow(TypeError);
  }
});

// ---- HTTP-09 / HTTP-10 --------------------------------------------------------------------

test("createHttpHandler() answers GET / with 405 and Allow: POST (HTTP-09)", async (layer) => {
  await using client = layer.open();
  const exchange = await client.send({ method: "GET" });
  expect(exchange.status).toBe(405);
  expect(exchange.headers.get("allow")).toBe("POST");
});

test("createHttpHandler() answers every method other than POST with 405 (HTTP-09)", async (layer) => {
  await using client = layer.open();
  for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]) {
    const exchange = await client.send({ method });
    expect(exchange.status).toBe(405);
    expect(exchange.headers.get("allow")).toBe("POST");
  }
});

test("createHttpHandler() answers POST /send_message with 404: the action goes in the body (HTTP-10, §9.1 item 8)", async (layer) => {
  await using client = layer.open();
  expect((await client.send({ path: "/send_message" })).status).toBe(404);
});

test("createHttpHandler() answers any path other than / with 404 (HTTP-10)", async (layer) => {
  await using client = layer.open();
  for (const path of ["/api", "/api/", "//", "/index.html", "/%2F", "/x?y=1"]) {
    expect((await client.send({ path })).status).toBe(404);
  }
});

// ---- order of checks: path 404 → method 405 → auth 401 → type 415 → size 413 --------------

const orderCases: [string, Send, number][] = [
  ["an unauthorised request to a bad path", { path: "/x" }, 404],
  ["an unauthorised GET to a bad path", { path: "/x", method: "GET" }, 404],
  ["an unauthorised GET /", { method: "GET" }, 405],
  ["an unauthorised request with a bad content type", { type: "text/plain" }, 401],
  ["an unauthorised oversized request", { body: "x".repeat(100) }, 401],
  ["an authorised request with a bad content type and an oversized body", {
    headers: { Authorization: "Bearer t" },
    type: "text/plain",
    body: "x".repeat(100),
  }, 415],
  ["an authorised oversized request", {
    headers: { Authorization: "Bearer t" },
    body: "x".repeat(100),
  }, 413],
  ["an authorised PUT", { method: "PUT", headers: { Authorization: "Bearer t" } }, 405],
];
for (const [name, request, expected] of orderCases) {
  test(`createHttpHandler() answers ${name} with ${expected} (path → method → auth → type → size, §1.1 decision)`, async (layer) => {
    await using client = layer.open({ accessToken: "t", maxBodySize: 64 });
    expect((await client.send(request)).status).toBe(expected);
  });
}

// ---- HTTP-05..08: media types -------------------------------------------------------------

for (const type of ["application/json", "application/json; charset=utf-8", "Application/JSON"]) {
  test(`createHttpHandler() accepts Content-Type: ${type} and answers application/json (HTTP-05, HTTP-08)`, async (layer) => {
    await using client = layer.open();
    const exchange = await client.send({ type });
    expect(exchange.status).toBe(200);
    expect(exchange.headers.get("content-type")).toBe("application/json");
    expect(json(exchange).data).toBe("pong");
  });
}

test("createHttpHandler() answers a MessagePack request in MessagePack (HTTP-06, HTTP-08)", async (layer) => {
  await using client = layer.open();
  const exchange = await client.send({
    type: "application/msgpack",
    body: encodeMsgpack({ action: "ping", params: {}, echo: "m" }),
  });
  expect(exchange.status).toBe(200);
  expect(exchange.headers.get("content-type")).toBe("application/msgpack");
  expect(msgpack(exchange)).toEqual({
    status: "ok",
    retcode: 0,
    data: "pong",
    message: "",
    echo: "m",
  });
});

test("createHttpHandler() answers text/plain with 415 (HTTP-07)", async (layer) => {
  await using client = layer.open();
  const exchange = await client.send({ type: "text/plain" });
  expect(exchange.status).toBe(415);
  expect(exchange.headers.get("accept-post")).toBe("application/json, application/msgpack");
});

test("createHttpHandler() answers a request without Content-Type with 415 (HTTP-07)", async (layer) => {
  await using client = layer.open();
  // Bytes, not a string: fetch would add text/plain for a string body.
  const exchange = await client.send({ type: null, body: new TextEncoder().encode(PING) });
  expect(exchange.status).toBe(415);
});

test("createHttpHandler() answers other near-miss media types with 415 (HTTP-07)", async (layer) => {
  await using client = layer.open();
  for (const type of ["application/x-msgpack", "application/jsonx", "text/json"]) {
    expect((await client.send({ type })).status).toBe(415);
  }
});

// ---- body limit ---------------------------------------------------------------------------

test("createHttpHandler() accepts a body of exactly maxBodySize bytes (body limit)", async (layer) => {
  await using client = layer.open({ maxBodySize: 64 });
  const body = PING.padEnd(64, " ");
  expect(new TextEncoder().encode(body).byteLength).toBe(64);
  const exchange = await client.send({ body });
  expect(exchange.status).toBe(200);
  expect(json(exchange).data).toBe("pong");
});

test("createHttpHandler() answers 413 when the body is over maxBodySize (body limit)", async (layer) => {
  await using client = layer.open({ maxBodySize: 64 });
  expect((await client.send({ body: PING.padEnd(65, " ") })).status).toBe(413);
});

Deno.test("createHttpHandler() answers 413 from Content-Length without reading the body (body limit) [direct]", async () => {
  const handler = createHttpHandler(router, { maxBodySize: 64 });
  let pulls = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      // Finite, so that a handler reading it would end (and fail the assertions) rather than hang.
      if (++pulls > 100) controller.close();
      else controller.enqueue(new Uint8Array(64).fill(0x20));
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  const response = await handler(
    new Request("http://localhost/", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Length": "1000000" },
      body,
    }),
  );
  await response.body?.cancel();
  expect(response.status).toBe(413);
  expect(pulls).toBe(0);
  expect(cancelled).toBe(true);
});

Deno.test("createHttpHandler() answers 413 from Content-Length before the body is sent (body limit) [loopback]", async () => {
  await using server = serve(createHttpHandler(router, { maxBodySize: 64 }));
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    const head = [
      "POST / HTTP/1.1",
      `Host: 127.0.0.1:${server.port}`,
      "Content-Type: application/json",
      "Content-Length: 1000000",
      "Connection: close",
      "",
      "",
    ].join("\r\n");
    await conn.write(new TextEncoder().encode(head));
    // No body is ever sent: a handler that read it would wait until the safety timeout.
    const buffer = new Uint8Array(1024);
    const n = await within(conn.read(buffer), "the 413 status line");
    const statusLine = new TextDecoder().decode(buffer.subarray(0, n ?? 0)).split("\r\n")[0];
    expect(statusLine).toBe("HTTP/1.1 413 Payload Too Large");
  } finally {
    conn.close();
  }
});

function chunks(count: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === count) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
}

test("createHttpHandler() answers 413 for a streamed body without Content-Length that grows past the limit (body limit)", async (layer) => {
  await using client = layer.open({ maxBodySize: 64 });
  expect((await client.send({ body: chunks(8, 32) })).status).toBe(413);
});

test("createHttpHandler() accepts a streamed body within the limit (body limit)", async (layer) => {
  await using client = layer.open({ maxBodySize: 64 });
  const bytes = new TextEncoder().encode(PING);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.subarray(0, 10));
      controller.enqueue(bytes.subarray(10));
      controller.close();
    },
  });
  const exchange = await client.send({ body: stream });
  expect(exchange.status).toBe(200);
  expect(json(exchange).data).toBe("pong");
});

Deno.test("createHttpHandler() refuses a maxBodySize that is not an integer > 0 (RangeError)", () => {
  for (const value of [0, -1, 1.5, Number.NaN]) {
    expect(() => createHttpHandler(router, { maxBodySize: value })).toThrow(RangeError);
  }
});

// ---- HTTP-11 / REQ-01: 200 + 10001 --------------------------------------------------------

const malformedJson: [string, BodyInit][] = [
  ["malformed JSON", "{bad json"],
  ["invalid UTF-8 bytes", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ["an empty body", new Uint8Array()],
  ["a body that is an array", JSON.stringify([{ action: "ping", params: {} }])],
  ["a body that is a number", "42"],
  ["a body that is null", "null"],
  ["a body that is a string", '"ping"'],
  ["a missing action", JSON.stringify({ params: {} })],
  ["an action that is not a string", JSON.stringify({ action: 1, params: {} })],
  ["missing params", JSON.stringify({ action: "ping" })],
  ["params that are an array", JSON.stringify({ action: "ping", params: [] })],
  ["params that are null", JSON.stringify({ action: "ping", params: null })],
  ["params that are a string", JSON.stringify({ action: "ping", params: "x" })],
  [
    "an echo that is not a string (decision: 10001)",
    JSON.stringify({ action: "ping", params: {}, echo: 5 }),
  ],
  ["a malformed self", JSON.stringify({ action: "ping", params: {}, self: "bot" })],
];
for (const [name, body] of malformedJson) {
  test(`createHttpHandler() answers ${name} with 200 and 10001 (HTTP-11, REQ-01)`, async (layer) => {
    await using client = layer.open();
    const exchange = await client.send({ body });
    expect(exchange.status).toBe(200);
    expect(exchange.headers.get("content-type")).toBe("application/json");
    const response = json(exchange);
    expectEnvelope(response);
    expect(response).toMatchObject({ status: "failed", retcode: 10001, data: null });
    expect(response).not.toHaveProperty("echo");
  });
}

test("createHttpHandler() answers malformed MessagePack with 200 and 10001 in MessagePack (HTTP-11, HTTP-08)", async (layer) => {
  await using client = layer.open();
  for (const body of [new Uint8Array([0xc1]), new Uint8Array([0x82, 0xa1]), new Uint8Array()]) {
    const exchange = await client.send({ type: "application/msgpack", body });
    expect(exchange.status).toBe(200);
    expect(exchange.headers.get("content-type")).toBe("application/msgpack");
    expect(msgpack(exchange)).toMatchObject({ status: "failed", retcode: 10001, data: null });
  }
});

test("createHttpHandler() answers a malformed MessagePack envelope with 10001 in MessagePack (REQ-01, HTTP-08)", async (layer) => {
  await using client = layer.open();
  for (
    const value of [[1, 2], "ping", { action: "ping" }, {
      action: "ping",
      params: new Uint8Array(),
    }]
  ) {
    const exchange = await client.send({ type: "application/msgpack", body: encodeMsgpack(value) });
    expect(exchange.status).toBe(200);
    expect(exchange.headers.get("content-type")).toBe("application/msgpack");
    expect(msgpack(exchange).retcode).toBe(10001);
  }
});

test("createHttpHandler() keeps the echo of an otherwise malformed request (RESP-03)", async (layer) => {
  await using client = layer.open();
  const exchange = await client.send({ body: JSON.stringify({ action: "ping", echo: "kept" }) });
  expect(json(exchange)).toEqual({
    status: "failed",
    retcode: 10001,
    data: null,
    message: "params must be an object",
    echo: "kept",
  });
});

test("createHttpHandler() answers an unknown action with 200 and 10002, Object.prototype names included (HTTP-11, §2.4)", async (layer) => {
  await using client = layer.open();
  for (const action of ["no_such_action", "__proto__", "constructor", "toString"]) {
    const exchange = await client.send({ body: JSON.stringify({ action, params: {} }) });
    expect(exchange.status).toBe(200);
    expect(json(exchange).retcode).toBe(10002);
  }
});

test("createHttpHandler() answers 200 with 20002 when a handler throws (HTTP-11, RESP-03)", async (layer) => {
  await using client = layer.open();
  const exchange = await client.send({ body: JSON.stringify({ action: "explode", params: {} }) });
  expect(exchange.status).toBe(200);
  const response = json(exchange);
  expect(response.retcode).toBe(20002);
  expect(response.message).not.toContain("kaboom");
});

test("createHttpHandler() answers 200 with the handler's failure (HTTP-11, RESP-02)", async (layer) => {
  await using client = layer.open();
  const exchange = await client.send({ body: JSON.stringify({ action: "refuse", params: {} }) });
  expect(exchange.status).toBe(200);
  expect(json(exchange)).toEqual({
    status: "failed",
    retcode: 35001,
    data: null,
    message: "no such user",
  });
});

// ---- RESP-01..03 and ENC-01 over HTTP -----------------------------------------------------

test('createHttpHandler() writes data null and no echo for ok(null): exactly {"status","retcode","data","message"} (RESP-01)', async (layer) => {
  await using client = layer.open();
  const exchange = await client.send({ body: JSON.stringify({ action: "nothing", params: {} }) });
  expect(new TextDecoder().decode(exchange.body)).toBe(
    '{"status":"ok","retcode":0,"data":null,"message":""}',
  );
});

test("createHttpHandler() returns echo unchanged, unicode and empty included (§2.3 echo)", async (layer) => {
  await using client = layer.open();
  for (const echo of ["", "é🙂 中文\n", "\u0000"]) {
    const exchange = await client.send({
      body: JSON.stringify({ action: "nothing", params: {}, echo }),
    });
    expect(json(exchange).echo).toBe(echo);
  }
});

test("createHttpHandler() answers 20001 with the echo when handler data contains a bigint (RESP-03)", async (layer) => {
  await using client = layer.open();
  const exchange = await client.send({
    body: JSON.stringify({ action: "bigint", params: {}, echo: "b" }),
  });
  expect(exchange.status).toBe(200);
  expect(json(exchange)).toEqual({
    status: "failed",
    retcode: 20001,
    data: null,
    message: "the handler returned data that cannot be encoded",
    echo: "b",
  });
});

test("createHttpHandler() sends bytes as Base64 in JSON and as bin in MessagePack (ENC-01)", async (layer) => {
  await using client = layer.open();
  const request = { action: "bytes", params: {} };
  const asJson = json(await client.send({ body: JSON.stringify(request) }));
  expect(asJson.data).toEqual({ data: "AQID" });
  const asMsgpack = msgpack(
    await client.send({ type: "application/msgpack", body: encodeMsgpack(request) }),
  );
  expect((asMsgpack.data as { data: Uint8Array }).data).toEqual(new Uint8Array([1, 2, 3]));
});

test("createHttpHandler() passes bin params from MessagePack to handlers as bytes (ENC-01)", async (layer) => {
  await using client = layer.open();
  const exchange = await client.send({
    type: "application/msgpack",
    body: encodeMsgpack({ action: "ping", params: { blob: new Uint8Array([9]) } }),
  });
  expect(msgpack(exchange).data).toBe("pong");
});

// ---- §3.1 get_latest_events (HTTP-12..16) -------------------------------------------------

function notice(n: number): Event {
  return createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: String(n) });
}

function userIds(response: ActionResponse): string[] {
  return (response.data as Event[]).map((event) => event.user_id as string);
}

async function poll(client: Client, params: Record<string, unknown>): Promise<ActionResponse> {
  return json(
    await client.send({ body: JSON.stringify({ action: "get_latest_events", params, echo: "p" }) }),
  );
}

/** A client on a handler whose router serves get_latest_events over an event buffer. */
function withEvents(
  layer: Layer,
  options: LatestEventsOptions & { size?: number } = {},
): { client: Client; events: EventBuffer } & AsyncDisposable {
  const { size, ...poll } = options;
  const events = createEventBuffer(size === undefined ? {} : { size });
  const route = createActionRouter({
    handlers: { get_latest_events: createLatestEventsHandler(events, poll) },
    bots: () => [self],
  });
  const client = layer.open({}, route);
  return {
    client,
    events,
    async [Symbol.asyncDispose]() {
      events[Symbol.dispose]();
      await client[Symbol.asyncDispose]();
    },
  };
}

test("get_latest_events returns the unread events and consumes them (§3.1, HTTP-12)", async (layer) => {
  await using setup = withEvents(layer);
  setup.events.push(notice(1));
  setup.events.push(notice(2));
  const first = await poll(setup.client, {});
  expect(first).toMatchObject({ status: "ok", retcode: 0, message: "", echo: "p" });
  expect(userIds(first)).toEqual(["1", "2"]);
  expect((await poll(setup.client, {})).data).toEqual([]);
});

test("get_latest_events never returns meta events (§3.1, §9.2 item 22)", async (layer) => {
  await using setup = withEvents(layer);
  setup.events.push(heartbeatEvent(1000));
  setup.events.push(statusUpdateEvent({ good: true, bots: [] }));
  setup.events.push(notice(1));
  expect(userIds(await poll(setup.client, {}))).toEqual(["1"]);
});

test("get_latest_events respects limit, oldest first (§3.1 limit)", async (layer) => {
  await using setup = withEvents(layer);
  for (let n = 0; n < 5; n++) setup.events.push(notice(n));
  expect(userIds(await poll(setup.client, { limit: 2 }))).toEqual(["0", "1"]);
  expect(userIds(await poll(setup.client, { limit: 0 }))).toEqual(["2", "3", "4"]);
});

const badPollParams: Record<string, unknown>[] = [
  { limit: -1 },
  { timeout: -1 },
  { limit: 1.5 },
  { timeout: 0.5 },
  { limit: "5" },
  { timeout: "5" },
  { limit: null },
  { timeout: true },
];
test("get_latest_events answers 10003 for a negative, fractional or non-number limit or timeout (§3.1)", async (layer) => {
  await using setup = withEvents(layer);
  setup.events.push(notice(1));
  for (const params of badPollParams) {
    const response = await poll(setup.client, params);
    expect(response).toMatchObject({ status: "failed", retcode: 10003, echo: "p" });
  }
  expect(setup.events.length).toBe(1); // nothing was consumed by a refused call
});

test("get_latest_events answers 10001 for a malformed envelope (REQ-01)", async (layer) => {
  await using setup = withEvents(layer);
  const exchange = await setup.client.send({
    body: JSON.stringify({ action: "get_latest_events", params: [] }),
  });
  expect(json(exchange).retcode).toBe(10001);
});

test("get_latest_events long polling returns before the timeout once an event is pushed (§3.1, #182)", async (layer) => {
  await using setup = withEvents(layer);
  const polling = poll(setup.client, { timeout: 60 });
  setTimeout(() => setup.events.push(notice(1)), 20);
  // A 60 s poll; the safety timeout (10 s) fails the test if it does not return early.
  const response = await within(polling, "the long poll");
  expect(userIds(response)).toEqual(["1"]);
});

test("get_latest_events long polling answers [] when the timeout passes with nothing (§3.1 timeout)", async (layer) => {
  await using setup = withEvents(layer);
  const response = await within(poll(setup.client, { timeout: 1 }), "a 1 s poll");
  expect(response).toMatchObject({ status: "ok", retcode: 0, data: [] });
});

test("get_latest_events: two concurrent long polls never receive the same event (HTTP-16 decision: FIFO waiters)", async (layer) => {
  await using setup = withEvents(layer);
  const first = poll(setup.client, { timeout: 60, limit: 1 });
  const second = poll(setup.client, { timeout: 60, limit: 1 });
  // Wait until both requests are parked before pushing.
  setTimeout(() => {
    setup.events.push(notice(1));
    setup.events.push(notice(2));
  }, 50);
  const [a, b] = await within(Promise.all([first, second]), "two long polls");
  const all = [...userIds(a), ...userIds(b)];
  expect(all.sort()).toEqual(["1", "2"]);
  expect(userIds(a)).toHaveLength(1);
  expect(userIds(b)).toHaveLength(1);
});

test("get_latest_events shortens a poll longer than maxPollTimeout (§3.1)", async (layer) => {
  await using setup = withEvents(layer, { maxPollTimeout: 1 });
  // 600 s asked, 1 s served: returns long before the 10 s safety timeout.
  const response = await within(poll(setup.client, { timeout: 600 }), "the shortened poll");
  expect(response.data).toEqual([]);
});

test("get_latest_events drops the oldest beyond the buffer size (HTTP-13)", async (layer) => {
  await using setup = withEvents(layer, { size: 2 });
  for (let n = 0; n < 5; n++) setup.events.push(notice(n));
  expect(userIds(await poll(setup.client, {}))).toEqual(["3", "4"]);
});

test("get_latest_events without an event buffer answers 10002 (HTTP-12, §2.4)", async (layer) => {
  await using client = layer.open();
  expect((await poll(client, {})).retcode).toBe(10002);
});

test("get_latest_events answers in MessagePack for a MessagePack request (HTTP-08)", async (layer) => {
  await using setup = withEvents(layer);
  setup.events.push(notice(1));
  const exchange = await setup.client.send({
    type: "application/msgpack",
    body: encodeMsgpack({ action: "get_latest_events", params: {} }),
  });
  expect(exchange.headers.get("content-type")).toBe("application/msgpack");
  expect(userIds(msgpack(exchange))).toEqual(["1"]);
});

/** A router whose `wait` action resolves when the test says, reading its signal only if told. */
function waiting(readSignal: "never" | "after a wait") {
  const release = Promise.withResolvers<void>();
  const started = Promise.withResolvers<void>();
  const aborted = Promise.withResolvers<void>();
  const listening = Promise.withResolvers<void>();
  const router = createActionRouter({
    handlers: {
      wait: async (_params, context) => {
        started.resolve();
        if (readSignal === "never") {
          await release.promise;
          return ok("done");
        }
        await new Promise((resolve) => setTimeout(resolve, 0));
        const { signal } = context;
        signal?.addEventListener("abort", () => aborted.resolve(), { once: true });
        listening.resolve();
        await Promise.race([release.promise, aborted.promise]);
        return ok("done");
      },
    },
    bots: () => [self],
  });
  return {
    router,
    release,
    started: started.promise,
    listening: listening.promise,
    aborted: aborted.promise,
  };
}

const WAIT = {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ action: "wait", params: {} }),
};

Deno.test("createHttpHandler() answers a slow action that never reads context.signal with a plain body (HTTP-11) [loopback]", async () => {
  const { router, release, started } = waiting("never");
  await using server = serve(createHttpHandler(router));
  const answer = fetch(server.url, WAIT);
  await within(started, "the action to start");
  release.resolve();
  const response = await within(answer, "the answer");
  expect(response.headers.get("content-length")).not.toBeNull();
  expect(response.headers.get("transfer-encoding")).toBeNull();
  expect(await response.json()).toMatchObject({ retcode: 0, data: "done" });
});

Deno.test("createHttpHandler() aborts context.signal when the client goes away, even when the action reads it only after a wait (§3.1) [loopback]", async () => {
  const { router, release, listening, aborted } = waiting("after a wait");
  await using server = serve(createHttpHandler(router));
  const client = new AbortController();
  const answer = fetch(server.url, { ...WAIT, signal: client.signal }).then(
    (response) => response.body?.cancel(),
    () => {},
  );
  // The handler reads the signal a timer after it started; then the client goes.
  await within(listening, "the action to read its signal");
  client.abort();
  await within(aborted, "the action's signal to abort");
  release.resolve();
  await answer;
});

Deno.test("createHttpHandler() with a hand-written router that rejects fails that request only, with no unhandled rejection (design §7)", async () => {
  const handler = createHttpHandler(() => Promise.reject(new Error("broken router")));
  const request = new Request("http://localhost/", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "get_version", params: {} }),
  });
  await expect(handler(request)).rejects.toThrow("broken router");
});
