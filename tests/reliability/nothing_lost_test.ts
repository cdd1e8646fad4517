// "Nothing lost": numbered events ("test.seq") are emitted in bursts while the connections
// churn: forward WebSocket clients come and go, the application behind the reverse WebSocket
// drops the connection, the webhook receiver stalls, two pollers long-poll get_latest_events.
// Each connection must get every event emitted while it was connected exactly once and in
// order, within the documented bounds (reverse WS backlog 1000 non-meta events while
// disconnected; webhook backlog 1000; event buffer 1000): here no bound is reached.
import { expect } from "expect";
import { createOneBot } from "../../onebot.ts";
import { freePort, serve } from "../_loopback.ts";
import {
  appServers,
  contiguityProblem,
  pause,
  seeded,
  SELF,
  seqEvent,
  seqOf,
  until,
} from "./_reliability.ts";

const TOTAL = 800;

/** A forward WebSocket client and what it saw. */
interface Client {
  socket: WebSocket;
  /** The first frame: must be meta.connect (META-C2). */
  first?: Record<string, unknown>;
  seqs: number[];
  /** The next seq to be emitted when the client saw `open`. */
  openedAt: number;
  /** The next seq to be emitted when the client started closing. */
  closingAt: number;
  closed: Promise<void>;
}

Deno.test("createOneBot() loses no event while connections churn: each forward WS, the reverse WS, a webhook and get_latest_events get theirs once, in order (WS-10, WSR-05, WSR-06, WH-01, HTTP-14, HTTP-16)", async () => {
  const random = seeded(20261128);
  let seq = 0;

  const hook: number[] = [];
  let stall: PromiseWithResolvers<void> | undefined;
  await using receiver = serve(async (request) => {
    const n = seqOf(await request.json());
    if (n !== undefined) hook.push(n);
    await stall?.promise;
    return new Response(null, { status: 204 });
  });
  const port = freePort();
  await using app = appServers(port);
  app.start();
  const onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    handlers: {},
    heartbeat: { interval: 20 },
    httpWebhook: [{ url: receiver.url, timeout: 0 }],
    websocketReverse: [{ url: `ws://127.0.0.1:${port}/`, reconnectInterval: 20 }],
  });
  await using server = serve(onebot.fetch);

  const open: Client[] = [];
  const clients: Client[] = [];
  function openForward(): Promise<Client> {
    const socket = new WebSocket(server.wsUrl);
    const client: Client = {
      socket,
      seqs: [],
      openedAt: -1,
      closingAt: TOTAL,
      closed: new Promise((resolve) => socket.addEventListener("close", () => resolve())),
    };
    socket.addEventListener("message", (message) => {
      const value = JSON.parse(message.data as string);
      client.first ??= value;
      const n = seqOf(value);
      if (n !== undefined) client.seqs.push(n);
    });
    clients.push(client);
    return new Promise((resolve, reject) => {
      socket.addEventListener("open", () => {
        client.openedAt = seq;
        resolve(client);
      });
      socket.addEventListener("error", () => reject(new Error("a forward client failed")));
    });
  }

  const reverseSeqs = () =>
    app.peers.flatMap((peer) =>
      peer.frames.map((frame) => seqOf(frame.value)).filter((n) => n !== undefined)
    );

  let polled = 0;
  let stopped = false;
  const pollers = Array.from({ length: 2 }, async (_, index) => {
    const limits = seeded(index + 1);
    const mine: number[] = [];
    while (polled < TOTAL && !stopped) {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          action: "get_latest_events",
          params: { limit: limits(3) * 10, timeout: 1 },
        }),
      });
      const events: unknown[] = (await response.json()).data;
      // Meta events (heartbeats) never reach the buffer (§3.1).
      const seqs = events.map(seqOf);
      expect(seqs).not.toContain(undefined);
      mine.push(...seqs as number[]);
      polled += seqs.length;
    }
    return mine;
  });

  const churn = { opened: 0, closed: 0, dropped: 0, stalls: 0 };
  try {
    open.push(await openForward());
    while (seq < TOTAL) {
      const size = 1 + random(12);
      for (let i = 0; i < size && seq < TOTAL; i++) onebot.emit(seqEvent(seq++));
      switch (random(6)) {
        case 0:
          if (open.length < 4) {
            open.push(await openForward());
            churn.opened++;
          }
          break;
        case 1:
          if (open.length > 1) {
            const [client] = open.splice(random(open.length), 1);
            client!.closingAt = seq;
            client!.socket.close(1000);
            await client!.closed;
            churn.closed++;
          }
          break;
        case 2: {
          // The application drops the reverse connection once it has read what was sent
          // (what is in flight when a socket dies is the documented loss, not tested here).
          const peer = app.peers.at(-1);
          if (peer?.socket.readyState === WebSocket.OPEN) {
            // A liveness bound, not a timing: a loaded 2-core machine can take seconds to reconnect.
            await until(() => reverseSeqs().length === seq, "the reverse WS to catch up", 30_000);
            peer.socket.close(1000, "churn");
            await peer.closed;
            churn.dropped++;
          }
          break;
        }
        case 3:
          if (stall === undefined) {
            stall = Promise.withResolvers();
            churn.stalls++;
          } else {
            stall.resolve();
            stall = undefined;
          }
          break;
        default:
          await pause(random(3));
      }
    }
    stall?.resolve();
    stall = undefined;
    await until(
      () =>
        open.every((client) => client.seqs.at(-1) === TOTAL - 1) && hook.length === TOTAL &&
        reverseSeqs().length === TOTAL && polled === TOTAL,
      "every connection to receive every event",
    );
  } finally {
    stall?.resolve();
    stopped = true;
    await onebot[Symbol.asyncDispose]();
  }
  const polls = await Promise.all(pollers);
  await Promise.all(clients.map((client) => client.closed));

  // The churn really happened.
  for (const count of Object.values(churn)) expect(count).toBeGreaterThan(0);

  const all = Array.from({ length: TOTAL }, (_, i) => i);
  // Forward WebSocket: meta.connect first, then a run with no gap and no repeat that covers
  // everything emitted between `open` and `close()`.
  for (const client of clients) {
    expect(client.first).toMatchObject({ type: "meta", detail_type: "connect" });
    expect(contiguityProblem(client.seqs)).toBeUndefined();
    if (client.openedAt < client.closingAt) {
      expect(client.seqs[0]).toBeLessThanOrEqual(client.openedAt);
      expect(client.seqs.at(-1)).toBeGreaterThanOrEqual(client.closingAt - 1);
    }
  }
  // Reverse WebSocket: each connection starts with meta.connect; the backlog bridges the
  // gaps, so across connections every event arrives once, in order; one connection at a time.
  for (const peer of app.peers) {
    expect(peer.frames[0]?.value).toMatchObject({ type: "meta", detail_type: "connect" });
  }
  expect(reverseSeqs()).toEqual(all);
  expect(app.maxLive).toBe(1);
  // Webhook: every event once, in order, stalls or not.
  expect(hook).toEqual(all);
  // get_latest_events: each event to exactly one poll, each poller in order.
  for (const mine of polls) expect(mine).toEqual([...mine].sort((a, b) => a - b));
  expect(polls.flat().sort((a, b) => a - b)).toEqual(all);
});
