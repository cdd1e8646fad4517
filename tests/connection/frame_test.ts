import { decode as decodeMsgpack, encode as encodeMsgpack } from "@msgpack/msgpack";
import { expect } from "expect";
import { ok } from "../../action/result.ts";
import type { StandardActions } from "../../action/standard.ts";
import type { Frame, FrameTap } from "../../connection/frame.ts";
import { urlPeer } from "../../_log.ts";
import { createOneBot, type OneBotOptions } from "../../onebot.ts";
import { openClient, privateMessage, serve, serveApp, within } from "../_loopback.ts";
import { captureLogs } from "../_logs.ts";

const SELF = { platform: "test", user_id: "bot" };
const PEER = /^127\.0\.0\.1:\d+$/;

type PingActions = StandardActions & { ping: { params: Record<string, never>; data: string } };

function options(
  tap: FrameTap,
  more: Partial<OneBotOptions<PingActions>> = {},
): OneBotOptions<PingActions> {
  return {
    impl: "test",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    handlers: { ping: () => ok("pong") },
    tap,
    ...more,
  };
}

/** A tap that keeps every frame and wakes waiters. */
function record(): { tap: FrameTap; frames: Frame[]; count(n: number): Promise<Frame[]> } {
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  return {
    frames,
    tap(frame) {
      frames.push(frame);
      for (const wake of [...waiters]) wake();
    },
    count(n) {
      return within(
        new Promise<Frame[]>((resolve) => {
          function check(): void {
            if (frames.length < n) return;
            waiters.delete(check);
            resolve(frames.slice(0, n));
          }
          waiters.add(check);
          check();
        }),
        `${n} frames`,
      );
    },
  };
}

function summary(frame: Frame): string {
  const data = frame.data as Record<string, unknown>;
  const what = frame.type === "action"
    ? data.action
    : frame.type === "response"
    ? data.retcode
    : frame.type === "delivery"
    ? data.status ?? "error"
    : `${data.type}.${data.detail_type}`;
  return `${frame.direction} ${frame.type} ${what}`;
}

Deno.test("createOneBot() taps HTTP actions and responses with the client's address and encoding", async () => {
  const recorder = record();
  await using onebot = createOneBot(options(recorder.tap));
  await using server = serve(onebot.fetch);
  const json = await fetch(server.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "ping", params: {}, echo: "1" }),
  });
  await json.body?.cancel();
  const packed = await fetch(server.url, {
    method: "POST",
    headers: { "Content-Type": "application/msgpack" },
    body: encodeMsgpack({ action: "ping", params: {} }),
  });
  expect(decodeMsgpack(await packed.bytes())).toMatchObject({ data: "pong" });
  const garbage = await fetch(server.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "{",
  });
  await garbage.body?.cancel();
  const frames = await recorder.count(5);
  expect(frames.map(summary)).toEqual([
    "in action ping",
    "out response 0",
    "in action ping",
    "out response 0",
    // An undecodable body is not tapped; its 10001 answer is.
    "out response 10001",
  ]);
  expect(frames.map((frame) => frame.encoding)).toEqual([
    "json",
    "json",
    "msgpack",
    "msgpack",
    "json",
  ]);
  for (const frame of frames) {
    expect(frame.connection).toBe("http");
    expect(frame.peer).toMatch(PEER);
  }
  expect(frames[0]!.data).toEqual({ action: "ping", params: {}, echo: "1" });
});

Deno.test("createOneBot() taps a forward WebSocket: greeting, actions, responses, events (META-C2)", async () => {
  const recorder = record();
  await using onebot = createOneBot(options(recorder.tap));
  await using server = serve(onebot.fetch);
  await using client = await openClient(server.wsUrl);
  await client.nextEvent();
  await client.nextEvent();
  await client.call({ action: "ping", params: {}, echo: "a" }, "binary");
  onebot.emit(privateMessage("m1"));
  await client.nextEvent();
  const frames = await recorder.count(5);
  expect(frames.map(summary)).toEqual([
    "out event meta.connect",
    "out event meta.status_update",
    "in action ping",
    "out response 0",
    "out event message.private",
  ]);
  expect(frames.map((frame) => frame.encoding)).toEqual([
    "json",
    "json",
    "msgpack",
    "msgpack",
    "json",
  ]);
  expect(new Set(frames.map((frame) => frame.connection))).toEqual(new Set(["websocket"]));
  // One socket, one peer: its address.
  expect(new Set(frames.map((frame) => frame.peer)).size).toBe(1);
  expect(frames[0]!.peer).toMatch(PEER);
});

Deno.test("createOneBot() taps a reverse WebSocket under its URL, without the token", async () => {
  const recorder = record();
  await using app = serveApp();
  await using onebot = createOneBot(options(recorder.tap, {
    accessToken: "s3cret",
    websocketReverse: [{ url: `${app.wsUrl}path?x=1`, tokenInQuery: true }],
  }));
  const { peer } = await app.accept();
  await peer.nextEvent();
  await peer.nextEvent();
  await peer.call({ action: "ping", params: {}, echo: "r" });
  const frames = await recorder.count(4);
  expect(frames.map(summary)).toEqual([
    "out event meta.connect",
    "out event meta.status_update",
    "in action ping",
    "out response 0",
  ]);
  for (const frame of frames) {
    expect(frame.connection).toBe("websocket_reverse");
    expect(frame.peer).toBe(`${app.wsUrl}path`);
  }
  await onebot[Symbol.asyncDispose]();
});

Deno.test("createOneBot() taps webhook posts, how each ended, and the actions of a reply with their results (WH-10)", async () => {
  const recorder = record();
  let posts = 0;
  await using receiver = serve(async (request) => {
    await request.body?.cancel();
    posts++;
    // The second post (the emitted message) answers with one action.
    return posts === 2
      ? Response.json([{ action: "ping", params: {} }, { action: "nope", params: {} }])
      : new Response(null, { status: 204 });
  });
  await using onebot = createOneBot(options(recorder.tap, {
    http: false,
    websocket: false,
    accessToken: "s3cret",
    httpWebhook: [{ url: `${receiver.url}hook?access=1`, tokenInQuery: true }],
  }));
  onebot.emit(privateMessage("m2"));
  const frames = await recorder.count(8);
  expect(frames.map(summary)).toEqual([
    "out event meta.status_update", // META-S2
    "in delivery 204",
    "out event message.private",
    "in delivery 200",
    "in action ping",
    "out response 0",
    "in action nope",
    "out response 10002",
  ]);
  expect(frames[3]!.data).toEqual({
    event_id: (frames[2]!.data as { id: string }).id,
    status: 200,
  });
  for (const frame of frames) {
    expect(frame.connection).toBe("http_webhook");
    expect(frame.peer).toBe(`${receiver.url}hook`);
  }
  await onebot[Symbol.asyncDispose]();
});

Deno.test("createOneBot() taps a failed webhook post as a delivery frame with the status or the error (WH-13)", async () => {
  const recorder = record();
  await using receiver = serve(async (request) => {
    await request.body?.cancel();
    return new Response("busy", { status: 503 });
  });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closed = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await using onebot = createOneBot(options(recorder.tap, {
    http: false,
    websocket: false,
    httpWebhook: [
      { url: `${receiver.url}hook`, statusOnRecovery: false },
      { url: `http://127.0.0.1:${closed}/`, statusOnRecovery: false },
    ],
  }));
  const frames = await recorder.count(4);
  const deliveries = frames.filter((frame) => frame.type === "delivery");
  expect(deliveries).toHaveLength(2);
  const refused = deliveries.find((frame) => frame.peer === `${receiver.url}hook`)!;
  expect(refused).toMatchObject({ direction: "in", connection: "http_webhook" });
  expect(refused.data).toEqual({ event_id: expect.any(String), status: 503 });
  const unreachable = deliveries.find((frame) => frame.peer === `http://127.0.0.1:${closed}/`)!;
  expect(unreachable.data).toEqual({ event_id: expect.any(String), error: expect.any(String) });
  await onebot[Symbol.asyncDispose]();
});

Deno.test("createOneBot() keeps answering when the tap throws", async () => {
  await using onebot = createOneBot(options(() => {
    throw new Error("broken tap");
  }));
  await using server = serve(onebot.fetch);
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "ping", params: {} }),
  });
  expect(await response.json()).toMatchObject({ status: "ok", data: "pong" });
});

Deno.test("createOneBot() logs a tap that throws on every frame once per burst, not once per frame (issue 12)", async () => {
  using logs = captureLogs();
  let calls = 0;
  await using onebot = createOneBot(options(() => {
    calls++;
    throw new Error("broken tap");
  }));
  for (let n = 0; n < 5; n++) {
    const response = await onebot.fetch(
      new Request("http://localhost/", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ action: "ping", params: {} }),
      }),
    );
    expect(await response.json()).toMatchObject({ status: "ok", data: "pong" });
  }
  expect(calls).toBe(10);
  const lines = logs.find("error", "The frame tap of {name} failed");
  expect(lines).toHaveLength(1);
  expect(lines[0]!.properties).toMatchObject({ name: "http", direction: "in", type: "action" });
});

Deno.test("createOneBot() isolates a tap whose promise rejects: no unhandled rejection (issue 12)", async () => {
  using logs = captureLogs();
  await using onebot = createOneBot(options(
    (() => Promise.reject(new Error("async tap"))) as unknown as FrameTap,
  ));
  const response = await onebot.fetch(
    new Request("http://localhost/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action: "ping", params: {} }),
    }),
  );
  expect(await response.json()).toMatchObject({ status: "ok", data: "pong" });
  await new Promise((resolve) => setTimeout(resolve, 0)); // the rejections are handled by now
  expect(logs.find("error", "The frame tap of {name} failed")).toHaveLength(1);
});

Deno.test("createOneBot() refuses a tap that is not a function", () => {
  expect(() => createOneBot(options("log" as unknown as FrameTap))).toThrow(
    "Cannot create OneBot: tap must be a function: current value is string",
  );
});

Deno.test("urlPeer() drops the query, fragment and credentials of a URL", () => {
  expect(urlPeer("ws://user:pw@example.com:8080/ob?access_token=s3cret#x")).toBe(
    "ws://example.com:8080/ob",
  );
});
