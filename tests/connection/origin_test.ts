// Cross-site control (issue 12 item 6): a web page the operator opens must not drive the bot.
// Browsers always send `Origin` (also on WebSocket upgrades, which CORS does not cover); bot
// clients usually do not. A request or upgrade with an `Origin` that is not listed gets 403,
// before any body is read or any upgrade is made.
import { expect } from "expect";
import {
  createActionRouter,
  createHttpHandler,
  createOneBot,
  createWebSocketHandler,
  ok,
} from "../../mod.ts";
import { openClient, rawGet, serve } from "../_loopback.ts";
import { until } from "../reliability/_reliability.ts";

const SELF = { platform: "test", user_id: "bot" };
const router = createActionRouter({ handlers: { ping: () => ok("pong") }, bots: () => [SELF] });
const UPGRADE = {
  Upgrade: "websocket",
  Connection: "Upgrade",
  "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
  "Sec-WebSocket-Version": "13",
};

function onebot(options: { allowedOrigins?: readonly string[] } = {}) {
  return createOneBot({ impl: "test-impl", version: "1.0.0", handlers: {}, ...options });
}

function post(url: string, origin?: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(origin === undefined ? {} : { Origin: origin }),
    },
    body: JSON.stringify({ action: "get_version", params: {} }),
  });
}

Deno.test("createOneBot() refuses a POST / and a WebSocket upgrade from a foreign Origin with 403 by default (issue 12)", async () => {
  await using bot = onebot();
  await using server = serve(bot.fetch);
  for (const origin of ["https://evil.example", "http://127.0.0.1:8080", "null"]) {
    const response = await post(server.url, origin);
    expect(response.status).toBe(403);
    await response.body?.cancel();
    expect((await rawGet(server.port, "/", { ...UPGRADE, Origin: origin })).status).toBe(403);
  }
});

Deno.test("createOneBot() serves requests and upgrades without an Origin, as bot clients send them (issue 12)", async () => {
  await using bot = onebot();
  await using server = serve(bot.fetch);
  const response = await post(server.url);
  expect(response.status).toBe(200);
  expect((await response.json()).retcode).toBe(0);
  await using peer = await openClient(server.wsUrl);
  expect(await peer.nextEvent()).toMatchObject({ type: "meta", detail_type: "connect" });
});

Deno.test("createOneBot() lets a listed Origin in, and `null` only when listed (issue 12)", async () => {
  await using bot = onebot({ allowedOrigins: ["https://App.example:443/", "null"] });
  await using server = serve(bot.fetch);
  for (const origin of ["https://app.example", "null"]) {
    const response = await post(server.url, origin);
    expect(response.status).toBe(200);
    await response.body?.cancel();
  }
  const foreign = await post(server.url, "https://app.example:8443");
  expect(foreign.status).toBe(403);
  await foreign.body?.cancel();
  await using peer = await openClient(server.wsUrl, {
    headers: { Origin: "https://app.example" },
  });
  expect(await peer.nextEvent()).toMatchObject({ type: "meta", detail_type: "connect" });
});

Deno.test("createOneBot() takes a per-connection allowedOrigins over the shared one (issue 12)", async () => {
  await using bot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    handlers: {},
    allowedOrigins: ["https://shared.example"],
    http: { allowedOrigins: ["*"] },
  });
  await using server = serve(bot.fetch);
  const response = await post(server.url, "https://any.example");
  expect(response.status).toBe(200);
  await response.body?.cancel();
  const upgrade = { ...UPGRADE, Origin: "https://any.example" };
  expect((await rawGet(server.port, "/", upgrade)).status).toBe(403);
});

Deno.test("createHttpHandler() checks the Origin after the method and before the token (issue 12)", async () => {
  const handler = createHttpHandler(router, { accessToken: "s3cret" });
  const request = (method: string) =>
    new Request("http://localhost/", {
      method,
      headers: { Origin: "https://evil.example", "Content-Type": "application/json" },
      ...(method === "POST" ? { body: "{}" } : {}),
    });
  expect((await handler(request("GET"))).status).toBe(405);
  const refused = await handler(request("POST"));
  expect(refused.status).toBe(403);
  expect(await refused.text()).toBe("Forbidden: this Origin is not allowed");
});

Deno.test("createHttpHandler() and createWebSocketHandler() validate allowedOrigins once", () => {
  for (const bad of [["example.com"], ["https://example.com/path"], ["file:///x"], [1]]) {
    expect(() => createHttpHandler(router, { allowedOrigins: bad as string[] }))
      .toThrow("Cannot create HTTP handler: allowedOrigins must hold origins like");
    expect(() => createWebSocketHandler(router, { allowedOrigins: bad as string[] }))
      .toThrow("Cannot create WebSocket handler: allowedOrigins must hold origins like");
  }
  expect(() => createHttpHandler(router, { allowedOrigins: "*" as unknown as string[] }))
    .toThrow("allowedOrigins must be an array");
  expect(() => createWebSocketHandler(router, { maxConnections: 0 }))
    .toThrow("Cannot create WebSocket handler: maxConnections must be an integer > 0");
});

Deno.test("createWebSocketHandler() refuses an upgrade past maxConnections with 503 before upgrading, and accepts again once one closes (issue 12)", async () => {
  await using ws = createWebSocketHandler(router, { maxConnections: 2 });
  await using server = serve(ws.fetch);
  const first = await openClient(server.wsUrl);
  await using _second = await openClient(server.wsUrl);
  expect(ws.connections).toBe(2);
  expect((await rawGet(server.port, "/", UPGRADE)).status).toBe(503);
  await first[Symbol.asyncDispose]();
  await until(() => ws.connections === 1, "the server to see the first socket close");
  await using _third = await openClient(server.wsUrl);
  expect(ws.connections).toBe(2);
});
