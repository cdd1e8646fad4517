import { expect } from "expect";
import {
  createActionRouter,
  createEvent,
  createOneBot,
  createWebhookEmitter,
  encodeMsgpack,
  type Event,
  type FrameTap,
  LIBOB_VERSION,
  ok,
} from "../../mod.ts";
import { captureLogs } from "../_logs.ts";
import { within } from "../_loopback.ts";

const self = { platform: "demo", user_id: "bot" };

interface Seen {
  url: string;
  port: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A loopback webhook receiver whose reply is chosen per request; on a free port by default. */
function receiver(
  reply: (seen: Seen, index: number) => Response | Promise<Response>,
  port = 0,
) {
  const seen: Seen[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen() {} },
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
    /** Resolves once `count` requests have arrived; rejects after a generous safety timeout. */
    received(count: number): Promise<void> {
      if (seen.length >= count) return Promise.resolve();
      let timer: ReturnType<typeof setTimeout> | undefined;
      return Promise.race([
        new Promise<void>((resolve) => waiters.push({ count, resolve })),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`waited for ${count} posts`)), 5000);
        }),
      ]).finally(() => clearTimeout(timer));
    },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** A promise the test resolves by hand: a receiver blocked until released. */
function gate(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => release = resolve);
  return { promise, release };
}

/** A port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function notice(n: number): Event {
  return createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: String(n) });
}

function noContent(): Response {
  return new Response(null, { status: 204 });
}
const emptyRouter = createActionRouter({ handlers: {}, bots: () => [self] });

/** A router whose `record` action notes its `n` param, slowly, so order shows. */
function recordingRouter(calls: string[]) {
  return createActionRouter({
    handlers: {
      record: async (p: { n: string }) => {
        await new Promise((r) => setTimeout(r, 2)); // a later, faster call must still wait
        calls.push(p.n);
        return ok({ answer: "discarded" });
      },
    },
    bots: () => [self],
  });
}

Deno.test("createWebhookEmitter() POSTs each event as JSON with the required headers (WH-01..07)", async () => {
  await using hook = receiver(noContent);
  const first = notice(1);
  {
    await using webhook = createWebhookEmitter(emptyRouter, {
      url: hook.url,
      impl: "my-impl",
      accessToken: "s3cret",
    });
    webhook.emit(first);
    webhook.emit(notice(2));
  }
  expect(hook.seen).toHaveLength(2);
  const { headers, body, url } = hook.seen[0]!;
  expect(headers.get("content-type")).toBe("application/json");
  expect(headers.get("user-agent")).toBe(`OneBot/12 libob/${LIBOB_VERSION}`);
  expect(headers.get("x-onebot-version")).toBe("12");
  expect(headers.get("x-impl")).toBe("my-impl");
  expect(headers.get("authorization")).toBe("Bearer s3cret");
  expect(url).not.toContain("s3cret");
  expect(body).toEqual(JSON.parse(JSON.stringify(first)));
  expect(hook.seen[1]!.body.user_id).toBe("2");
});

Deno.test("createWebhookEmitter() sends a configured User-Agent (WH-03)", async () => {
  await using hook = receiver(noContent);
  {
    await using webhook = createWebhookEmitter(emptyRouter, {
      url: hook.url,
      impl: "x",
      userAgent: "OneBot/12 (demo) Custom/2.0",
    });
    webhook.emit(notice(1));
  }
  expect(hook.seen[0]!.headers.get("user-agent")).toBe("OneBot/12 (demo) Custom/2.0");
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

Deno.test("createWebhookEmitter() counts a 204 reply as delivered (WH-09)", async () => {
  await using hook = receiver(noContent);
  let webhook;
  {
    await using emitter = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
    webhook = emitter;
    emitter.emit(notice(1));
  }
  expect(webhook.delivered).toBe(1);
  expect(webhook.failed).toBe(0);
  expect(webhook.dropped).toBe(0);
});

/** Runs two events whose 200 replies come from `reply`, each listing two `record` actions. */
async function runReplies(
  reply: (actions: unknown[]) => Response,
): Promise<{ calls: string[]; posts: number; delivered: number }> {
  const calls: string[] = [];
  await using hook = receiver((_seen, index) =>
    reply([
      { action: "record", params: { n: `${index}a` }, echo: "ignored" },
      { action: "record", params: { n: `${index}b` } },
    ])
  );
  let webhook;
  {
    await using emitter = createWebhookEmitter(recordingRouter(calls), {
      url: hook.url,
      impl: "x",
    });
    webhook = emitter;
    emitter.emit(notice(0));
    emitter.emit(notice(1));
  }
  return { calls, posts: hook.seen.length, delivered: webhook.delivered };
}

Deno.test("createWebhookEmitter() runs the JSON action list of a 200 reply in order and discards the responses (WH-10, WH-11)", async () => {
  const result = await runReplies((actions) => Response.json(actions));
  expect(result.calls).toEqual(["0a", "0b", "1a", "1b"]);
  expect(result.posts).toBe(2); // the responses went nowhere: only the two events were posted
  expect(result.delivered).toBe(2);
});

Deno.test("createWebhookEmitter() runs a MessagePack action list of a 200 reply (WH-11)", async () => {
  const result = await runReplies((actions) =>
    new Response(encodeMsgpack(actions), { headers: { "Content-Type": "application/msgpack" } })
  );
  expect(result.calls).toEqual(["0a", "0b", "1a", "1b"]);
});

Deno.test("createWebhookEmitter() tolerates media-type parameters on a 200 reply (WH-10, §9.1 item 7)", async () => {
  const result = await runReplies((actions) =>
    new Response(JSON.stringify(actions), {
      headers: { "Content-Type": "Application/JSON; charset=utf-8" },
    })
  );
  expect(result.calls).toEqual(["0a", "0b", "1a", "1b"]);
});

const MIB = 1024 * 1024;

/** `total` bytes of JSON white space, streamed in 64 KiB chunks: never held at once. */
function spaces(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      sent += 64 * 1024;
    },
  });
}

Deno.test("createWebhookEmitter() drops a 100 MB streamed 200 reply unread and logged, with memory bounded (issue 12)", async () => {
  using logs = captureLogs();
  await using hook = receiver(() =>
    new Response(spaces(100 * MIB), { headers: { "Content-Type": "application/json" } })
  );
  const before = Deno.memoryUsage().rss;
  let webhook;
  {
    await using emitter = createWebhookEmitter(emptyRouter, {
      url: hook.url,
      impl: "x",
      drainTimeout: 60_000,
    });
    webhook = emitter;
    emitter.emit(notice(0));
  }
  // The default limit is 16 MiB: reading stops there. With the runtime's buffers and garbage
  // not yet collected RSS grows by about 40 MB; reading the whole reply grew it by 275 MB.
  expect(Deno.memoryUsage().rss - before).toBeLessThan(64 * MIB);
  expect(webhook.delivered).toBe(1);
  const dropped = logs.text().filter((line) => line.includes("dropped unread"));
  expect(dropped).toHaveLength(1);
  expect(dropped[0]).toContain(`${16 * MIB}`);
});

Deno.test("createWebhookEmitter() runs a reply within maxReplySize and drops a larger one, declared or streamed (issue 12)", async () => {
  using logs = captureLogs();
  const action = (seen: Seen) => ({ action: "record", params: { n: seen.body.user_id } });
  const padded = (seen: Seen) => JSON.stringify([action(seen)]) + " ".repeat(2048);
  const replies = [
    (seen: Seen) => Response.json([action(seen)]), // within the limit: run
    (seen: Seen) => new Response(padded(seen), { headers: { "Content-Type": "application/json" } }),
    (seen: Seen) =>
      new Response(ReadableStream.from([new TextEncoder().encode(padded(seen))]), {
        headers: { "Content-Type": "application/json" },
      }),
  ];
  await using hook = receiver((seen, index) => replies[index]!(seen));
  const calls: string[] = [];
  {
    await using emitter = createWebhookEmitter(recordingRouter(calls), {
      url: hook.url,
      impl: "x",
      maxReplySize: 1024,
    });
    for (let n = 0; n < 3; n++) emitter.emit(notice(n));
  }
  expect(calls).toEqual(["0"]);
  expect(logs.text().filter((line) => line.includes("dropped unread"))).toHaveLength(2);
});

Deno.test("createWebhookEmitter() accepts an empty 200 body and [] without logging an error (WH-10)", async () => {
  using logs = captureLogs();
  const replies = [() => new Response(null, { status: 200 }), () => Response.json([])];
  await using hook = receiver((_seen, index) => replies[index]!());
  let webhook;
  {
    await using emitter = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
    webhook = emitter;
    emitter.emit(notice(0));
    emitter.emit(notice(1));
  }
  expect(webhook.delivered).toBe(2);
  expect(logs.records.filter((r) => r.level === "error" || r.level === "warning")).toEqual([]);
});

Deno.test("createWebhookEmitter() logs {} / garbage / an unsupported Content-Type, never throws, and goes on (WH-12, WH-14)", async () => {
  using logs = captureLogs();
  const replies = [
    () => Response.json({}),
    () => new Response("not json", { headers: { "Content-Type": "application/json" } }),
    () => new Response("\xc1\xff", { headers: { "Content-Type": "application/msgpack" } }),
    () => new Response("[]", { headers: { "Content-Type": "text/plain" } }),
    noContent,
  ];
  await using hook = receiver((_seen, index) => (replies[index] ?? noContent)());
  let webhook;
  {
    await using emitter = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
    webhook = emitter;
    for (let i = 0; i < replies.length; i++) emitter.emit(notice(i));
  }
  expect(hook.seen.map((s) => s.body.user_id)).toEqual(["0", "1", "2", "3", "4"]);
  expect(webhook.delivered).toBe(5); // a 200 is a successful push whatever its body (WH-10)
  const errors = logs.records.filter((r) => r.level === "error").map((r) => r.rawMessage);
  expect(errors).toHaveLength(4);
  expect(errors.some((m) => String(m).includes("unsupported reply Content-Type"))).toBe(true);
});

Deno.test("createWebhookEmitter() logs a failing element of the action list and still runs the rest (WH-14)", async () => {
  using logs = captureLogs();
  const calls: string[] = [];
  await using hook = receiver(() =>
    Response.json([
      { action: "record", params: { n: "first" } },
      1,
      { action: 3 },
      { action: "no_such_action", params: {} },
      { action: "record", params: { n: "last" } },
    ])
  );
  {
    await using webhook = createWebhookEmitter(recordingRouter(calls), {
      url: hook.url,
      impl: "x",
    });
    webhook.emit(notice(0));
  }
  expect(calls).toEqual(["first", "last"]);
  expect(logs.records.filter((r) => String(r.rawMessage).includes("returned action failed")))
    .toHaveLength(3);
  expect(hook.seen).toHaveLength(1);
});

Deno.test("createWebhookEmitter() counts other statuses as failed pushes and delivers the next events (WH-13)", async () => {
  const replies = [
    () => new Response("boom", { status: 500 }),
    () => new Response("moved", { status: 302, headers: { Location: "/elsewhere" } }),
    () => new Response(null, { status: 202 }),
  ];
  await using hook = receiver((_seen, index) => (replies[index] ?? noContent)());
  let webhook;
  {
    await using emitter = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
    webhook = emitter;
    for (let i = 0; i < 5; i++) emitter.emit(notice(i));
  }
  expect(hook.seen.map((s) => s.body.user_id)).toEqual(["0", "1", "2", "3", "4"]);
  expect(hook.seen.map((s) => new URL(s.url).pathname)).not.toContain("/elsewhere");
  expect(webhook.failed).toBe(3);
  expect(webhook.delivered).toBe(2);
});

Deno.test("createWebhookEmitter() counts a receiver slower than the timeout as failed and goes on (WH-08)", async () => {
  const slow = gate();
  await using hook = receiver(async (_seen, index) => {
    if (index === 0) await slow.promise;
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
  slow.release();
  expect(webhook.failed).toBe(1);
  expect(webhook.delivered).toBe(1);
});

Deno.test("createWebhookEmitter() keeps the order of 50 events and reuses one keep-alive connection (§9.1 item 16)", async () => {
  const ports = new Set<number>();
  await using hook = receiver((_seen, index) =>
    index % 2 === 0 ? noContent() : new Response("[]", { status: 500 }) // bodies left unread
  );
  {
    await using webhook = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
    for (let i = 0; i < 50; i++) webhook.emit(notice(i));
  }
  for (const seen of hook.seen) ports.add(seen.port);
  expect(hook.seen.map((s) => Number(s.body.user_id))).toEqual([...Array(50).keys()]);
  expect(ports.size).toBe(1); // keep-alive: one TCP connection reused
});

Deno.test("createWebhookEmitter() drops the oldest queued event when the backlog is full and counts it", async () => {
  using logs = captureLogs();
  const blocked = gate();
  await using hook = receiver(async (_seen, index) => {
    if (index === 0) await blocked.promise;
    return noContent();
  });
  let webhook;
  const events = [0, 1, 2, 3, 4, 5].map(notice);
  {
    await using emitter = createWebhookEmitter(emptyRouter, {
      url: hook.url,
      impl: "x",
      maxBacklog: 3,
    });
    webhook = emitter;
    emitter.emit(events[0]!);
    await hook.received(1); // event 0 is in flight, the backlog is empty
    for (const event of events.slice(1)) emitter.emit(event);
    expect(emitter.dropped).toBe(2);
    blocked.release();
  }
  expect(hook.seen.map((s) => s.body.user_id)).toEqual(["0", "3", "4", "5"]);
  expect(webhook.dropped).toBe(2);
  expect(webhook.delivered).toBe(4);
  const dropLogs = logs.records.filter((r) => String(r.rawMessage).includes("backlog is full"));
  expect(dropLogs.map((r) => r.properties.id)).toEqual([events[1]!.id, events[2]!.id]);
});

Deno.test("createWebhookEmitter() dispose drains every queued event", async () => {
  await using hook = receiver(async () => {
    await new Promise((r) => setTimeout(r, 1));
    return noContent();
  });
  const webhook = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
  for (let i = 0; i < 10; i++) webhook.emit(notice(i));
  expect(hook.seen.length).toBeLessThan(10); // emit only enqueued
  await webhook[Symbol.asyncDispose]();
  expect(hook.seen).toHaveLength(10);
  expect(webhook.delivered).toBe(10);
  webhook.emit(notice(10)); // after dispose: dropped and counted, never thrown
  expect(webhook.dropped).toBe(1);
  await webhook[Symbol.asyncDispose](); // a second dispose is harmless
});

Deno.test("createWebhookEmitter() dispose aborts a stuck post after drainTimeout and drops the rest", async () => {
  using logs = captureLogs();
  const stuck = gate();
  await using hook = receiver(async () => {
    await stuck.promise;
    return noContent();
  });
  const webhook = createWebhookEmitter(emptyRouter, {
    url: hook.url,
    impl: "x",
    timeout: 0, // no request timeout: only the drain bound ends the stuck post
    drainTimeout: 50,
  });
  for (let i = 0; i < 3; i++) webhook.emit(notice(i));
  await hook.received(1);
  await webhook[Symbol.asyncDispose](); // returns although the receiver never answers
  expect(webhook.failed).toBe(1);
  expect(webhook.dropped).toBe(2);
  expect(hook.seen).toHaveLength(1);
  expect(logs.records.some((r) => r.properties.left === 2)).toBe(true);
  stuck.release();
});

Deno.test("createWebhookEmitter() never throws when its receiver is down (WH-13)", async () => {
  let dead;
  {
    await using emitter = createWebhookEmitter(emptyRouter, {
      url: `http://127.0.0.1:${closedPort()}/`,
      impl: "x",
    });
    dead = emitter;
    for (let i = 0; i < 3; i++) emitter.emit(notice(i));
  }
  expect(dead.failed).toBe(3);
  expect(dead.delivered).toBe(0);
});

Deno.test("createWebhookEmitter() is not delayed by another emitter whose receiver hangs (HTTP-14)", async () => {
  const hung = gate();
  await using hangingHook = receiver(async () => {
    await hung.promise;
    return noContent();
  });
  await using hook = receiver(noContent);
  {
    await using hanging = createWebhookEmitter(emptyRouter, {
      url: hangingHook.url,
      impl: "x",
      drainTimeout: 0,
    });
    await using live = createWebhookEmitter(emptyRouter, { url: hook.url, impl: "x" });
    for (let i = 0; i < 3; i++) {
      hanging.emit(notice(i));
      live.emit(notice(i));
    }
    await hook.received(3); // all three arrive while the other receiver holds its first post
    expect(hangingHook.seen).toHaveLength(1);
  }
  hung.release();
  expect(hook.seen.map((s) => s.body.user_id)).toEqual(["0", "1", "2"]);
});

Deno.test("createWebhookEmitter() never logs the access token", async () => {
  using logs = captureLogs();
  const token = "T0KEN-never-logged";
  await using hook = receiver(() => new Response("no", { status: 401 }));
  for (const url of [`http://127.0.0.1:${closedPort()}/`, hook.url]) {
    for (const tokenInQuery of [false, true]) {
      await using webhook = createWebhookEmitter(emptyRouter, {
        url,
        impl: "x",
        accessToken: token,
        tokenInQuery,
      });
      webhook.emit(notice(0));
    }
  }
  expect(hook.seen).toHaveLength(2);
  const text = logs.text();
  expect(text.length).toBeGreaterThanOrEqual(4); // every push failed and was logged
  expect(text.filter((line) => line.includes("T0KEN"))).toEqual([]);
  expect(text.some((line) => line.includes("access_token=[REDACTED]"))).toBe(true);
});

Deno.test("createWebhookEmitter() skips meta.heartbeat only when heartbeat is false (WH-15)", async () => {
  await using hook = receiver(noContent);
  const heartbeat = createEvent({ type: "meta", detail_type: "heartbeat", interval: 5000 });
  for (const enabled of [true, false]) {
    await using webhook = createWebhookEmitter(emptyRouter, {
      url: hook.url,
      impl: "x",
      heartbeat: enabled,
    });
    webhook.emit(heartbeat);
    webhook.emit(notice(enabled ? 1 : 2));
  }
  expect(hook.seen.map((s) => s.body.detail_type)).toEqual([
    "heartbeat",
    "friend_increase",
    "friend_increase",
  ]);
});

Deno.test("createWebhookEmitter() validates its options once", () => {
  const base = { url: "http://x/", impl: "x" };
  expect(() => createWebhookEmitter(emptyRouter, { url: "ws://x/", impl: "x" })).toThrow(TypeError);
  expect(() => createWebhookEmitter(emptyRouter, { url: "nope", impl: "x" })).toThrow(TypeError);
  expect(() => createWebhookEmitter(emptyRouter, { url: "http://x/", impl: "" })).toThrow(
    TypeError,
  );
  expect(() => createWebhookEmitter(emptyRouter, { ...base, userAgent: "a\nb" })).toThrow(
    TypeError,
  );
  expect(() => createWebhookEmitter(emptyRouter, { ...base, timeout: -1 }))
    .toThrow("Cannot create webhook emitter: timeout must be an integer >= 0: current value is -1");
  expect(() => createWebhookEmitter(emptyRouter, { ...base, timeout: 1.5 })).toThrow(RangeError);
  expect(() => createWebhookEmitter(emptyRouter, { ...base, maxBacklog: -1 })).toThrow(RangeError);
  expect(() => createWebhookEmitter(emptyRouter, { ...base, drainTimeout: -1 })).toThrow(
    RangeError,
  );
  expect(() => createWebhookEmitter(emptyRouter, { ...base, accessToken: " t" })).toThrow(
    TypeError,
  );
  // Nothing was started: no timer or request is left for the sanitizers to find.
  const idle = createWebhookEmitter(emptyRouter, { ...base, timeout: 0 });
  expect([idle.delivered, idle.failed, idle.dropped]).toEqual([0, 0, 0]);
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
    expect(hook.seen[0]!.headers.get("x-impl")).toBe("my-impl");
    expect(hook.seen[1]!.body.user_id).toBe("7");
    expect(hook.seen.filter((s) => s.body.detail_type === "status_update")).toHaveLength(1);
  }
  const beats = hookA.seen.filter((s) => s.body.detail_type === "heartbeat");
  expect(beats.length).toBeGreaterThanOrEqual(1);
  expect(beats[0]!.body.interval).toBe(20);
  expect(hookB.seen.some((s) => s.body.detail_type === "heartbeat")).toBe(false);
});

Deno.test("createWebhookEmitter() logs a dead receiver once, not once per event, and one line when it delivers again", async () => {
  using logs = captureLogs();
  const port = closedPort();
  const url = `http://127.0.0.1:${port}/hook`;
  const down = failedDeliveries(20);
  const webhook = createWebhookEmitter(emptyRouter, { url, impl: "x", tap: down.tap });
  try {
    for (let n = 0; n < 20; n++) webhook.emit(notice(n));
    await down.done;
    await using hook = receiver(noContent, port); // the receiver starts on the dead port
    webhook.emit(notice(20));
    await hook.received(1);
    const line = await logs.logged("delivers again");
    expect(line).toBe(`info Webhook ${url} delivers again, after 20 failed post(s)`);
    // One line for the outage (two if a minute passed on a loaded machine), not twenty.
    const failures = logs.find("warning", "failed for event");
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.length).toBeLessThanOrEqual(2);
    expect(String(failures[0]!.properties.url)).toBe(url);
  } finally {
    await webhook[Symbol.asyncDispose]();
  }
});

function kinds(seen: Seen[]): string[] {
  return seen.map((s) => `${s.body.type}.${s.body.detail_type}`);
}

/** A frame tap that resolves once `count` webhook posts have failed. */
function failedDeliveries(count: number): { tap: FrameTap; done: Promise<void> } {
  const done = Promise.withResolvers<void>();
  let failed = 0;
  return {
    tap(frame) {
      if (frame.type === "delivery" && "error" in (frame.data as object) && ++failed === count) {
        done.resolve();
      }
    },
    done: done.promise,
  };
}

Deno.test("createOneBot() posts the current status_update again right after the first delivery once a dead webhook works (META-S2, statusOnRecovery)", async () => {
  const port = closedPort();
  const down = failedDeliveries(3);
  await using onebot = createOneBot({
    impl: "my-impl",
    version: "1.0.0",
    bots: [{ self, online: true }],
    handlers: {},
    http: false,
    websocket: false,
    httpWebhook: [{ url: `http://127.0.0.1:${port}/hook` }],
    tap: down.tap,
  });
  // The start-up status_update, this notice and the next status_update go to nobody.
  onebot.emit(notice(1));
  onebot.updateBot({ self: { platform: "demo", user_id: "bot2" }, online: true });
  await down.done;
  // A webhook-only application starts after the implementation.
  await using hook = receiver(noContent, port);
  onebot.emit(notice(2));
  await hook.received(2);
  onebot.emit(notice(3));
  await hook.received(3);
  // No status try before the first event (one was posted within the minute): the event is
  // delivered, then the status_update with the current bots, then the next event, and no more.
  expect(kinds(hook.seen)).toEqual([
    "notice.friend_increase",
    "meta.status_update",
    "notice.friend_increase",
  ]);
  expect(hook.seen[1]!.body.status).toEqual({
    good: true,
    bots: [{ self, online: true }, { self: { platform: "demo", user_id: "bot2" }, online: true }],
  });
  expect(hook.seen.map((s) => s.body.user_id)).toEqual(["2", undefined, "3"]);
});

Deno.test("createOneBot() does not post the status_update again when statusOnRecovery is false", async () => {
  const port = closedPort();
  const down = failedDeliveries(2);
  await using onebot = createOneBot({
    impl: "my-impl",
    version: "1.0.0",
    bots: [{ self, online: true }],
    handlers: {},
    http: false,
    websocket: false,
    httpWebhook: [{ url: `http://127.0.0.1:${port}/hook`, statusOnRecovery: false }],
    tap: down.tap,
  });
  onebot.emit(notice(1));
  await down.done;
  await using hook = receiver(noContent, port);
  onebot.emit(notice(2));
  onebot.emit(notice(3));
  await hook.received(2);
  await onebot[Symbol.asyncDispose]();
  expect(hook.seen.some((s) => s.body.detail_type === "status_update")).toBe(false);
  expect(() =>
    createOneBot({
      impl: "x",
      version: "1",
      httpWebhook: [{ url: hook.url, statusOnRecovery: "yes" as unknown as boolean }],
    })
  ).toThrow("statusOnRecovery must be a boolean");
});

Deno.test("createWebhookEmitter() with maxBacklog 0 keeps every event (0 = unlimited, as every size option)", async () => {
  const webhook = createWebhookEmitter(emptyRouter, {
    url: "http://127.0.0.1:1/",
    impl: "x",
    maxBacklog: 0,
    drainTimeout: 0,
  });
  for (let i = 0; i < 1500; i++) {
    webhook.emit(createEvent({ type: "meta", detail_type: "heartbeat", interval: 1 }));
  }
  expect(webhook.dropped).toBe(0);
  await webhook[Symbol.asyncDispose]();
});

Deno.test("createWebhookEmitter() dispose returns when an action of a reply never finishes, and aborts its signal", async () => {
  using logs = captureLogs();
  const started = Promise.withResolvers<AbortSignal | undefined>();
  const router = createActionRouter({
    handlers: {
      // Never settles, and holds no timer or op: only the bound on dispose's wait ends it.
      hang: (_params: unknown, context) => {
        started.resolve(context.signal);
        return new Promise<never>(() => {});
      },
    },
    bots: () => [self],
  });
  await using hook = receiver(() => Response.json([{ action: "hang", params: {} }]));
  const webhook = createWebhookEmitter(router, { url: hook.url, impl: "x", drainTimeout: 100 });
  webhook.emit(notice(0));
  webhook.emit(notice(1));
  const signal = await within(started.promise, "the hanging action");
  await within(Promise.resolve(webhook[Symbol.asyncDispose]()), "dispose"); // hung forever before
  expect(signal?.aborted).toBe(true);
  expect(webhook.delivered).toBe(1);
  expect(webhook.dropped).toBe(1); // the event queued behind the hanging action
  expect(hook.seen).toHaveLength(1);
  await logs.logged("an action of a webhook reply did not stop");
});

Deno.test("createWebhookEmitter() tries an owed status_update at most once a minute while the receiver is down, and right after it delivers again (statusUpdate)", async () => {
  const port = closedPort();
  const events = Array.from({ length: 10 }, (_, n) => notice(n));
  const last = Promise.withResolvers<void>();
  let failedPosts = 0;
  const status = (): Event =>
    createEvent({ type: "meta", detail_type: "status_update", status: { good: true, bots: [] } });
  const webhook = createWebhookEmitter(emptyRouter, {
    url: `http://127.0.0.1:${port}/hook`,
    impl: "x",
    tap(frame) {
      if (frame.type !== "delivery") return;
      const data = frame.data as { event_id: string };
      if ("error" in data) failedPosts++;
      if (data.event_id === events.at(-1)!.id) last.resolve();
    },
    statusUpdate: status,
  });
  try {
    for (const event of events) webhook.emit(event);
    await within(last.promise, "the last event's post");
    // The first event fails and leaves a status owed; the second is preceded by one try of it;
    // the eight others go alone: 11 posts, not 19 (each costs a timeout against a silent receiver).
    expect(failedPosts).toBe(11);
    await using hook = receiver(noContent, port);
    webhook.emit(notice(10));
    webhook.emit(notice(11));
    await hook.received(3);
    // The owed status goes right after the first delivery, before the following event.
    expect(kinds(hook.seen)).toEqual([
      "notice.friend_increase",
      "meta.status_update",
      "notice.friend_increase",
    ]);
  } finally {
    await webhook[Symbol.asyncDispose]();
  }
});
