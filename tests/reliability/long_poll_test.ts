// Fault: HTTP clients that vanish in the middle of a get_latest_events long poll, and many
// pollers at once while events arrive in bursts. A vanished client's wait ends as soon as the
// server sees the connection close (its slot is freed, and an event arriving later goes to the
// next poll); waits also end on dispose (no timer outlives them), later polls still work, and
// no event is ever returned twice (HTTP-12, HTTP-16 decision: each event goes to exactly one poll).
import { expect } from "expect";
import { createLatestEventsHandler } from "../../action/latest_events.ts";
import { createActionRouter } from "../../action/router.ts";
import type { ActionRouter } from "../../action/types.ts";
import { createHttpHandler } from "../../connection/http.ts";
import { createEventBuffer, type EventBuffer } from "../../event/buffer.ts";
import type { Event } from "../../event/types.ts";
import { createOneBot } from "../../onebot.ts";
import { serve, within } from "../_loopback.ts";
import { pause, seeded, SELF, seqEvent, seqOf, until } from "./_reliability.ts";

/** A router that serves get_latest_events over `events`. */
function polling(events: EventBuffer): ActionRouter {
  return createActionRouter({
    handlers: { get_latest_events: createLatestEventsHandler(events) },
    bots: () => [SELF],
  });
}

/** A buffer that records the polls the HTTP handler makes, to know when one waits. */
function observed(buffer: EventBuffer): EventBuffer & { polls: Promise<Event[]>[] } {
  const polls: Promise<Event[]>[] = [];
  return {
    polls,
    push: (event) => buffer.push(event),
    poll(limit, timeoutMs, signal) {
      const poll = buffer.poll(limit, timeoutMs, signal);
      polls.push(poll);
      return poll;
    },
    get length() {
      return buffer.length;
    },
    get dropped() {
      return buffer.dropped;
    },
    [Symbol.dispose]: () => buffer[Symbol.dispose](),
  };
}

function pollBody(params: Record<string, unknown>): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "get_latest_events", params }),
  };
}

/** Starts `count` long polls and abandons them once the server waits on them. */
async function vanish(
  url: string,
  events: ReturnType<typeof observed>,
  count: number,
  timeout: number,
): Promise<void> {
  const before = events.polls.length;
  const clients = Array.from({ length: count }, () => new AbortController());
  const fetches = clients.map((client) =>
    fetch(url, { ...pollBody({ timeout }), signal: client.signal }).then(
      (response) => response.body?.cancel(),
      () => {},
    )
  );
  await until(() => events.polls.length === before + count, `${count} waiting polls`);
  for (const client of clients) client.abort();
  await Promise.all(fetches);
}

Deno.test("createHttpHandler() ends the long polls of vanished clients when they go and serves later polls (§3.1 timeout, HTTP-16)", async () => {
  using events = observed(createEventBuffer({ maxWaiters: 4 }));
  await using server = serve(createHttpHandler(polling(events)));
  // Four clients take every waiter slot, then vanish.
  await vanish(server.url, events, 4, 30);
  // The server sees them go (it cancels the response body): their 30 s waits end with [] now.
  for (const poll of events.polls) expect(await within(poll, "a vanished poll")).toEqual([]);
  // Their slots are free again: four new waiting polls each get one event of a burst.
  const before = events.polls.length;
  const polls = Array.from(
    { length: 4 },
    () => fetch(server.url, pollBody({ limit: 1, timeout: 5 })).then((r) => r.json()),
  );
  await until(() => events.polls.length === before + 4, "four new waiting polls");
  for (let seq = 0; seq < 4; seq++) events.push(seqEvent(seq));
  const got = (await Promise.all(polls)).map((r) => r.data.map(seqOf));
  expect(got.flat().sort()).toEqual([0, 1, 2, 3]);
  for (const one of got) expect(one).toHaveLength(1);
});

/** Sends a long poll over a raw connection, waits until the server polls, then closes it. */
async function vanishRaw(port: number, events: ReturnType<typeof observed>): Promise<void> {
  const before = events.polls.length;
  const body = JSON.stringify({ action: "get_latest_events", params: { timeout: 30 } });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(
    `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${body}`,
  ));
  await until(() => events.polls.length === before + 1, "the raw client's poll to wait");
  conn.close();
}

Deno.test("createHttpHandler() gives an event that arrives after a long poller vanished to the next poll (§3.1, HTTP-12, HTTP-16)", async () => {
  using events = observed(createEventBuffer());
  await using server = serve(createHttpHandler(polling(events)));
  await vanishRaw(Number(new URL(server.url).port), events);
  // The server sees the connection close and frees the slot, with nothing taken.
  expect(await within(events.polls[0]!, "the vanished poll to end")).toEqual([]);
  events.push(seqEvent(1));
  const live = await fetch(server.url, pollBody({ timeout: 5 }));
  expect((await live.json()).data.map(seqOf)).toEqual([1]);
});

Deno.test("createHttpHandler() watches for vanished long pollers without Deno's legacy-abort notice on stderr", async () => {
  // The notice is printed once per process: only a fresh one shows whether libob triggers it.
  const script = `
    import { createActionRouter } from ${
    JSON.stringify(import.meta.resolve("../../action/router.ts"))
  };
    import { createLatestEventsHandler } from ${
    JSON.stringify(import.meta.resolve("../../action/latest_events.ts"))
  };
    import { createHttpHandler } from ${
    JSON.stringify(import.meta.resolve("../../connection/http.ts"))
  };
    import { createEventBuffer } from ${
    JSON.stringify(import.meta.resolve("../../event/buffer.ts"))
  };
    using events = createEventBuffer();
    const router = createActionRouter({
      handlers: { get_latest_events: createLatestEventsHandler(events) },
      bots: () => [],
    });
    await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} },
      createHttpHandler(router));
    const poll = (timeout) => fetch("http://127.0.0.1:" + server.addr.port + "/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action: "get_latest_events", params: { timeout } }),
    }).then((response) => response.json());
    await poll(0);
    // A client that vanishes during its long poll, then one that stays.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    const body = JSON.stringify({ action: "get_latest_events", params: { timeout: 600 } });
    await conn.write(new TextEncoder().encode("POST / HTTP/1.1\\r\\nHost: x\\r\\n" +
      "Content-Type: application/json\\r\\nContent-Length: " + body.length + "\\r\\n\\r\\n" + body));
    await new Promise((resolve) => setTimeout(resolve, 100));
    conn.close();
    setTimeout(() => events.push({ id: "1", time: 1, type: "notice", detail_type: "x", sub_type: "" }), 200);
    console.log((await poll(5)).data.length);
  `;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  expect(stderr).toBe("");
  expect(output.success).toBe(true);
});

Deno.test("createHttpHandler() releases the long polls of vanished clients on dispose, with no timer left (§3.1, design §9)", async () => {
  const events = observed(createEventBuffer());
  await using server = serve(createHttpHandler(polling(events)));
  // 600 s waits: only dispose can end them before the test's sanitizers would notice.
  await vanish(server.url, events, 3, 600);
  events[Symbol.dispose]();
  for (const poll of events.polls) expect(await within(poll, "a released poll")).toEqual([]);
  // A poll after dispose does not wait either: nothing would ever wake it.
  const late = await within(fetch(server.url, pollBody({ timeout: 600 })), "a poll after dispose");
  expect((await late.json()).data).toEqual([]);
});

Deno.test("createOneBot() returns each event to exactly one of many concurrent get_latest_events polls while bursts arrive (HTTP-12, HTTP-16)", async () => {
  const TOTAL = 600;
  const onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    handlers: {},
    websocket: false,
  });
  await using server = serve(onebot.fetch);
  // A fixed pseudo-random sequence: bursts, limits and timeouts vary, runs repeat.
  const random = seeded(20261128);
  let collected = 0;
  let disposed = false;
  const pollers = Array.from({ length: 5 }, async () => {
    const mine: number[] = [];
    while (collected < TOTAL && !disposed) {
      const params = { limit: random(4) * 5, timeout: random(5) === 0 ? 0 : 1 };
      const response = await fetch(server.url, pollBody(params));
      const seqs = (await response.json()).data.map(seqOf) as number[];
      mine.push(...seqs);
      collected += seqs.length;
      if (params.timeout === 0 && seqs.length === 0) await pause(1);
    }
    return mine;
  });
  for (let seq = 0; seq < TOTAL;) {
    const size = 1 + random(25);
    for (let i = 0; i < size && seq < TOTAL; i++) onebot.emit(seqEvent(seq++));
    await pause(random(3));
  }
  await until(() => collected >= TOTAL, "every event to be polled");
  // The pollers still waiting are released by dispose.
  disposed = true;
  await onebot[Symbol.asyncDispose]();
  const results = await within(Promise.all(pollers), "the pollers to stop");
  for (const mine of results) {
    // Each poller sees its share in emission order.
    expect(mine).toEqual([...mine].sort((a, b) => a - b));
  }
  // The events really were shared out between the pollers.
  expect(results.filter((mine) => mine.length > 0).length).toBeGreaterThan(1);
  const all = results.flat().sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
});
