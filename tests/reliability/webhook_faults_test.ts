// Fault: a webhook receiver that is down, then slower than the timeout, then answers 500,
// then garbage, then recovers. The emitter's backlog stays bounded, delivery resumes, every
// event ends up delivered, failed or dropped exactly once, and the other connections of the
// same OneBot (a healthy webhook, a forward WebSocket client) are not held up (HTTP-14).
import { expect } from "expect";
import { createWebhookEmitter } from "../../connection/webhook.ts";
import { createOneBot } from "../../onebot.ts";
import { freePort, openClient, type Peer, serve, type Served } from "../_loopback.ts";
import { SELF, seqEvent, seqOf, until } from "./_reliability.ts";

type Phase = "slow" | "500" | "garbage" | "ok";

/** The replies of the garbage phase: 200s whose bodies are no list of actions (WH-12, WH-14). */
const GARBAGE: [string, BodyInit][] = [
  ["application/json", "{not json"],
  ["text/html", "<html>hello</html>"],
  ["application/json", '{"action":"get_version"}'],
  ["application/json", '[1, {"action": 5}, {"action": "nope", "params": {}}, null]'],
  ["application/msgpack", new Uint8Array([0xc1, 0xff, 0x00])],
];

/** Collects the numbered events a WebSocket client receives, in order. */
function collect(peer: Peer): number[] {
  const seqs: number[] = [];
  peer.socket.addEventListener("message", (message) => {
    if (typeof message.data !== "string") return;
    const seq = seqOf(JSON.parse(message.data));
    if (seq !== undefined) seqs.push(seq);
  });
  return seqs;
}

/** A raw TCP listener that answers every connection with bytes that are not HTTP. */
function serveGarbage(port: number): AsyncDisposable & { readonly connections: number } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  let connections = 0;
  const loop = (async () => {
    for await (const conn of listener) {
      connections++;
      try {
        await conn.read(new Uint8Array(4096));
        await conn.write(new TextEncoder().encode("NOT HTTP AT ALL\r\n\r\n\0\0\0"));
      } catch {
        // the client gave up first
      } finally {
        conn.close();
      }
    }
  })();
  return {
    get connections() {
      return connections;
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      await loop.catch(() => {});
    },
  };
}

Deno.test("createWebhookEmitter() rides out a receiver that is down, slow, failing and garbled, then delivers again, without holding up the others (WH-08, WH-13, WH-14, HTTP-14)", async () => {
  const healthy: number[] = [];
  await using healthyServer = serve(async (request) => {
    const seq = seqOf(await request.json());
    if (seq !== undefined) healthy.push(seq);
    return new Response(null, { status: 204 });
  });
  await using onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    handlers: {},
    httpWebhook: [{ url: healthyServer.url }],
  });
  await using wsServer = serve(onebot.fetch);
  await using client = await openClient(wsServer.wsUrl);
  const viaWs = collect(client);

  const port = freePort();
  await using faulty = createWebhookEmitter(onebot.router, {
    url: `http://127.0.0.1:${port}/`,
    impl: "test-impl",
    timeout: 50,
    maxBacklog: 10,
  });
  using _attached = onebot.attach(faulty, { greeting: false });
  const settled = () => faulty.delivered + faulty.failed + faulty.dropped;

  let seq = 0;
  function burst(count: number): number {
    for (let i = 0; i < count; i++) onebot.emit(seqEvent(seq++));
    return seq;
  }
  async function everyoneElseHas(total: number): Promise<void> {
    await until(() => healthy.length >= total && viaWs.length >= total, `events up to ${total}`);
  }

  // 1. Down: nothing listens. A burst of 30 into a backlog of 10: 20 dropped, 10 fail fast.
  burst(30);
  await until(() => settled() === 30, "the down phase to settle");
  expect({ failed: faulty.failed, dropped: faulty.dropped }).toEqual({ failed: 10, dropped: 20 });
  await everyoneElseHas(30);

  // 2..4. Up, but slow past the timeout, then 500, then 200 with garbage bodies.
  let phase: Phase = "slow";
  const release = Promise.withResolvers<void>();
  const seen: { phase: Phase; seq: number }[] = [];
  let garbage = 0;
  let receiver: Served | undefined = serve(async (request) => {
    const seq = seqOf(await request.json())!;
    seen.push({ phase, seq });
    if (phase === "slow") {
      await release.promise;
      return new Response(null, { status: 204 });
    }
    if (phase === "500") return new Response("boom", { status: 500 });
    if (phase === "garbage") {
      const [type, body] = GARBAGE[garbage++ % GARBAGE.length]!;
      return new Response(body, { status: 200, headers: { "Content-Type": type } });
    }
    return new Response(null, { status: 204 });
  }, port);
  try {
    // Slow: 10 posts each wait out the 50 ms timeout, so the faulty webhook needs far
    // longer than the others, which get the whole burst while it is still stuck.
    burst(30);
    await everyoneElseHas(60);
    expect(settled()).toBeLessThan(60);
    await until(() => settled() === 60, "the slow phase to settle");
    expect({ failed: faulty.failed, dropped: faulty.dropped }).toEqual({ failed: 20, dropped: 40 });
    release.resolve();

    phase = "500";
    burst(10);
    await until(() => settled() === 70, "the 500 phase to settle");
    expect(faulty.failed).toBe(30);

    phase = "garbage";
    burst(10);
    await until(() => settled() === 80, "the garbage phase to settle");
    // A 200 is a delivery (WH-10); what it carries is only logged (WH-12, WH-14).
    expect(faulty.delivered).toBe(10);
    await receiver[Symbol.asyncDispose]();
    receiver = undefined;

    // 5. Not HTTP at all: a raw listener that answers bytes and hangs up.
    {
      await using raw = serveGarbage(port);
      burst(5);
      await until(() => settled() === 85, "the not-HTTP phase to settle");
      expect(faulty.failed).toBe(35);
      expect(raw.connections).toBeGreaterThan(0);
    }

    // 6. Recovered: everything from now on arrives, in order.
    phase = "ok";
    receiver = serve(async (request) => {
      seen.push({ phase, seq: seqOf(await request.json())! });
      return new Response(null, { status: 204 });
    }, port);
    burst(10);
    await until(() => settled() === 95, "the recovery phase to settle");
    expect(faulty.delivered).toBe(20);
    expect(seen.filter((s) => s.phase === "ok").map((s) => s.seq))
      .toEqual(Array.from({ length: 10 }, (_, i) => 85 + i));
  } finally {
    release.resolve();
    await receiver?.[Symbol.asyncDispose]();
  }

  // Each event reached the faulty receiver at most once, in emission order.
  const order = seen.map((s) => s.seq);
  expect(order).toEqual([...new Set(order)].sort((a, b) => a - b));
  expect(faulty.delivered + faulty.failed + faulty.dropped).toBe(95);
  // The healthy webhook and the WebSocket client got all 95, once each, in order.
  await everyoneElseHas(95);
  const all = Array.from({ length: 95 }, (_, i) => i);
  expect(healthy).toEqual(all);
  expect(viaWs).toEqual(all);
});
