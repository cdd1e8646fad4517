import { expect } from "expect";
import {
  createActionRouter,
  createEvent,
  createOneBot,
  createWebhookEmitter,
  encodeMsgpack,
  type Event,
  ok,
} from "../../mod.ts";

const self = { platform: "demo", user_id: "bot" };

interface Seen {
  url: string;
  port: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A loopback webhook receiver whose reply is chosen per request. */
function receiver(reply: (seen: Seen, index: number) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request, info) => {
      const entry = {
        url: request.url,
        port: info.remoteAddr.port,
        headers: request.headers,
        body: await request.json(),
      };
      seen.push(entry);
      for (const w of waiters.filter((w) => seen.length >= w.count)) w.resolve();
      return await reply(entry, seen.length - 1);
    },
  );
  return {
    seen,
    url: `http://127.0.0.1:${server.addr.port}/hook`,
    /** Resolves once `count` requests have arrived. */
    received(count: number): Promise<void> {
      if (seen.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function notice(n: number): Event {
  return createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: String(n) });
}

function noContent(): Response {
  return new Response(null, { status: 204 });
}
const emptyRouter = createActionRouter({ handlers: {}, bots: () => [self] });

Deno.test("createWebhookEmitter() POSTs each event as JSON with the required headers (WH-01..07)", async () => {
  await using hook = receiver(noContent);
  {
    await using webhook = createWebhookEmitter(emptyRouter, {
      url: hook.url,
      impl: "my-impl",
      accessToken: "s3cret",
    });
    webhook.emit(notice(1));
    webhook.emit(notice(2));
  }
  expect(hook.seen).toHaveLength(2);
  const { headers, body, url } = hook.seen[0]!;
  expect(headers.get("content-type")).toBe("application/json");
  expect(headers.get("user-agent")).toMatch(/^OneBot\/12 libob\//);
  expect(headers.get("x-onebot-version")).toBe("12");
  expect(headers.get("x-impl")).toBe("my-impl");
  expect(headers.get("authorization")).toBe("Bearer s3cret");
  expect(url).not.toContain("s3cret");
  expect(body.user_id).toBe("1");
  expect(hook.seen[1]!.body.user_id).toBe("2");
});

Deno.test("createWebhookEmitter() sends no Authorization without a token, and the query token only when asked (WH-06)", async () => {
  await using hook = receiver(noContent);
  {
    await using plain = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
    plain.emit(notice(1));
  }
  {
    await using query = createWebhookEmitter(emptyRouter, {
      url: hook.url,
      impl: "x",
      accessToken: "t",
      tokenInQuery: true,
    });
    query.emit(notice(2));
  }
  expect(hook.seen[0]!.headers.has("authorization")).toBe(false);
  expect(new URL(hook.seen[1]!.url).searchParams.get("access_token")).toBe("t");
  expect(hook.seen[1]!.headers.has("authorization")).toBe(false);
});

Deno.test("createWebhookEmitter() runs the action list of a 200 reply in order and discards the responses (WH-10, WH-11)", async () => {
  const calls: string[] = [];
  const router = createActionRouter({
    handlers: {
      record: async (p: { n: string }) => {
        await new Promise((r) => setTimeout(r, 5)); // a later, faster call must still wait
        calls.push(p.n);
        return ok(null);
      },
    },
    bots: () => [self],
  });
  await using hook = receiver((_seen, index) => {
    const actions = [
      { action: "record", params: { n: `${index}a` } },
      { action: "record", params: { n: `${index}b` } },
    ];
    if (index === 0) return Response.json(actions);
    if (index === 1) {
      return new Response(encodeMsgpack(actions), {
        headers: { "Content-Type": "application/msgpack" },
      });
    }
    return new Response(JSON.stringify(actions), {
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
  });
  {
    await using webhook = createWebhookEmitter(router, { url: hook.url, impl: "x" });
    for (let i = 0; i < 3; i++) webhook.emit(notice(i));
  }
  expect(calls).toEqual(["0a", "0b", "1a", "1b", "2a", "2b"]);
});

Deno.test("createWebhookEmitter() logs and survives malformed, unsupported and failed replies (WH-12..14)", async () => {
  const replies = [
    () => Response.json({}),
    () => new Response("not json", { headers: { "Content-Type": "application/json" } }),
    () => new Response("[]", { headers: { "Content-Type": "text/plain" } }),
    () => new Response("", { status: 200 }),
    () => Response.json([1, "x", { action: 3 }]),
    () => new Response("boom", { status: 500 }),
    () => new Response("moved", { status: 302, headers: { Location: "/elsewhere" } }),
    noContent,
  ];
  await using hook = receiver((_seen, index) => (replies[index] ?? noContent)());
  let webhook;
  {
    await using emitter = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
    webhook = emitter;
    for (let i = 0; i < replies.length; i++) emitter.emit(notice(i));
  }
  expect(hook.seen.map((s) => s.body.user_id)).toEqual(replies.map((_, i) => String(i)));
  expect(webhook.failed).toBeGreaterThanOrEqual(1);
  expect(webhook.delivered + webhook.failed).toBe(replies.length);
});

Deno.test("createWebhookEmitter() counts a receiver slower than the timeout as failed and goes on (WH-08)", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  await using hook = receiver(async (_seen, index) => {
    if (index === 0) await released;
    return noContent();
  });
  let webhook;
  {
    await using emitter = createWebhookEmitter(emptyRouter, {
      url: hook.url,
      impl: "x",
      timeout: 100,
    });
    webhook = emitter;
    emitter.emit(notice(1));
    emitter.emit(notice(2));
    await hook.received(2);
  }
  release();
  expect(webhook.failed).toBe(1);
  expect(webhook.delivered).toBe(1);
});

Deno.test("createWebhookEmitter() keeps the order of 50 events and reuses one keep-alive connection", async () => {
  const ports = new Set<number>();
  await using hook = receiver(noContent);
  {
    await using webhook = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
    for (let i = 0; i < 50; i++) webhook.emit(notice(i));
  }
  for (const seen of hook.seen) ports.add(seen.port);
  expect(hook.seen.map((s) => Number(s.body.user_id))).toEqual([...Array(50).keys()]);
  expect(ports.size).toBe(1); // keep-alive: one TCP connection reused
});

Deno.test("createWebhookEmitter() drops the oldest queued event when the backlog is full", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  await using hook = receiver(async (_seen, index) => {
    if (index === 0) await released;
    return noContent();
  });
  let webhook;
  {
    await using emitter = createWebhookEmitter(emptyRouter, {
      url: hook.url,
      impl: "x",
      maxBacklog: 3,
    });
    webhook = emitter;
    emitter.emit(notice(0));
    await hook.received(1); // event 0 is in flight, the backlog is empty
    for (let i = 1; i <= 5; i++) emitter.emit(notice(i));
    expect(emitter.dropped).toBe(2);
    release();
  }
  expect(hook.seen.map((s) => s.body.user_id)).toEqual(["0", "3", "4", "5"]);
  expect(webhook.dropped).toBe(2);
});

Deno.test("createWebhookEmitter() never throws or delays another emitter when its receiver is down", async () => {
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadUrl = `http://127.0.0.1:${(closed.addr as Deno.NetAddr).port}/`;
  closed.close();
  await using hook = receiver(noContent);
  let dead;
  {
    await using deadHook = createWebhookEmitter(emptyRouter, { url: deadUrl, impl: "x" });
    await using live = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
    dead = deadHook;
    for (let i = 0; i < 3; i++) {
      deadHook.emit(notice(i));
      live.emit(notice(i));
    }
    await hook.received(3);
  }
  expect(hook.seen).toHaveLength(3);
  expect(dead.failed).toBe(3);
});

Deno.test("createWebhookEmitter() validates its options once", () => {
  expect(() => createWebhookEmitter(emptyRouter, { url: "ws://x/", impl: "x" })).toThrow(TypeError);
  expect(() => createWebhookEmitter(emptyRouter, { url: "nope", impl: "x" })).toThrow(TypeError);
  expect(() => createWebhookEmitter(emptyRouter, { url: "http://x/", impl: "x", timeout: -1 }))
    .toThrow("timeout must be an integer >= 0: current value is -1");
  expect(() =>
    createWebhookEmitter(emptyRouter, { url: "http://x/", impl: "x", accessToken: " t" })
  ).toThrow(TypeError);
});

Deno.test("createOneBot() sends one status_update to each webhook at start, then events and heartbeats (META-S2, WH-15)", async () => {
  await using hookA = receiver(noContent);
  await using hookB = receiver(noContent);
  {
    await using onebot = createOneBot({
      impl: "my-impl",
      version: "1.0.0",
      bots: [{ self, online: true }],
      handlers: {},
      websocket: false,
      heartbeat: { interval: 20 },
      httpWebhook: [{ url: hookA.url }, { url: hookB.url, heartbeat: false }],
    });
    onebot.emit(notice(7));
    await hookA.received(3); // status_update, the notice, at least one heartbeat
    await hookB.received(2);
  }
  for (const hook of [hookA, hookB]) {
    expect(hook.seen[0]!.body.detail_type).toBe("status_update");
    expect(hook.seen[0]!.body.status).toEqual({ good: true, bots: [{ self, online: true }] });
    expect("self" in hook.seen[0]!.body).toBe(false);
    expect(hook.seen[1]!.body.user_id).toBe("7");
    expect(hook.seen.filter((s) => s.body.detail_type === "status_update")).toHaveLength(1);
  }
  expect(hookA.seen.some((s) => s.body.detail_type === "heartbeat")).toBe(true);
  expect(hookB.seen.some((s) => s.body.detail_type === "heartbeat")).toBe(false);
});
