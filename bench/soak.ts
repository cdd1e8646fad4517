// deno-lint-ignore-file no-console
// A bounded soak run over all four transports (issue 6, reliability):
//   deno task soak                    (or: deno run -A bench/soak.ts [--seconds 60])
// A libob server runs in its own process (bench/_server.ts, with --expose-gc); this process
// drives a mixed load against it for --seconds (default 60) on 127.0.0.1 only:
//   - HTTP actions (JSON and MessagePack) from a few keep-alive loops,
//   - an HTTP poller on get_latest_events,
//   - forward WebSocket clients sending actions and receiving the event fan-out, plus one
//     client slot that connects, works and disconnects over and over,
//   - a webhook receiver and a reverse WebSocket application server (which sends actions too),
//   - an emitter asking the server for bursts of numbered events ("bench.n").
// It checks that every answer is ok, that each connection gets its events once and in order,
// and samples the server's memory (after a GC) ten times; start, middle and end are printed,
// and it must settle, not climb (see `settled` below). Prints two small tables; exits 1
// when there was an error or memory climbed.
import { decodeMsgpack, encodeMsgpack } from "../mod.ts";

const secondsArg = Deno.args.indexOf("--seconds");
const SECONDS = secondsArg === -1 ? 60 : Number(Deno.args[secondsArg + 1]);
if (!Number.isFinite(SECONDS) || SECONDS < 5) {
  console.error("--seconds must be a number >= 5");
  Deno.exit(2);
}
// A steady mixed load that leaves the 2 cores some slack: a soak looks for leaks and
// losses, not for the peak (bench/load.ts measures that).
const HTTP_LOOPS = 2;
const WS_CLIENTS = 4;
const EVENTS_PER_BURST = 10;
const BURST_PAUSE_MS = 20;
const here = new URL(".", import.meta.url);

interface Stat {
  /** Requests answered ok (actions, polls). */
  served: number;
  /** Numbered events received. */
  events: number;
  errors: number;
  notes: string[];
}
const names = ["http", "poll", "ws", "webhook", "reverse"] as const;
type Name = typeof names[number];
const stats = Object.fromEntries(
  names.map((name) => [name, { served: 0, events: 0, errors: 0, notes: [] }]),
) as unknown as Record<Name, Stat>;

function fail(name: Name, note: string): void {
  const stat = stats[name];
  stat.errors++;
  if (stat.notes.length < 5) stat.notes.push(note);
}

let running = true;
const started = performance.now();
function elapsed(): number {
  return (performance.now() - started) / 1000;
}
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Tracks one connection's numbered events: each once, in order, no gap. */
function sequence(name: Name, label: string, from?: number) {
  let next = from;
  return {
    get next() {
      return next;
    },
    see(n: number): void {
      stats[name].events++;
      if (next !== undefined && n !== next) fail(name, `${label}: expected ${next}, got ${n}`);
      next = n + 1;
    },
  };
}

// --- The receivers that live in this process: webhook and reverse WebSocket application. ---

const webhookSeq = sequence("webhook", "webhook", 0);
const webhookServer = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (r) => {
  const event = await r.json();
  if (event.detail_type === "bench.tick") webhookSeq.see(event["bench.n"]);
  return new Response(null, { status: 204 });
});

const reverseSeq = sequence("reverse", "reverse", 0);
let reverseConnections = 0;
let reverseSocket: WebSocket | undefined;
const reverseOpen = Promise.withResolvers<void>();
const reverseServer = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (r) => {
  const { socket, response } = Deno.upgradeWebSocket(r, { protocol: "12.libob-bench" });
  socket.binaryType = "arraybuffer";
  let first = true;
  let echo = 0;
  const ask = () => {
    if (running && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ action: "get_version", params: {}, echo: `r${echo++}` }));
    }
  };
  socket.onopen = () => {
    reverseConnections++;
    if (reverseConnections > 1) fail("reverse", "the reverse WebSocket reconnected");
    reverseSocket = socket;
    reverseOpen.resolve();
  };
  socket.onmessage = (message) => {
    const frame = JSON.parse(message.data as string);
    if (first && frame.detail_type !== "connect") fail("reverse", "first frame not meta.connect");
    first = false;
    if (frame.retcode !== undefined) {
      if (frame.retcode === 0) stats.reverse.served++;
      else fail("reverse", `retcode ${frame.retcode}`);
      ask();
    } else if (frame.detail_type === "bench.tick") {
      reverseSeq.see(frame["bench.n"]);
    } else if (frame.detail_type === "connect") {
      ask();
    }
  };
  return response;
});

// --- The server under test, in its own process. ---

const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "--v8-flags=--expose-gc", new URL("_server.ts", here).pathname, "libob"],
  env: {
    BENCH_WEBHOOK_URL: `http://127.0.0.1:${webhookServer.addr.port}/`,
    BENCH_REVERSE_URL: `ws://127.0.0.1:${reverseServer.addr.port}/`,
    BENCH_EVENT_BUFFER_SIZE: "1000",
    BENCH_HEARTBEAT_MS: "1000",
  },
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
let banner = "";
while (!/listening \d+/.test(banner)) {
  const { value, done } = await reader.read();
  if (done) throw new Error("the server exited");
  banner += value;
}
const port = Number(/listening (\d+)/.exec(banner)![1]);
const httpUrl = `http://127.0.0.1:${port}/`;
const wsUrl = `ws://127.0.0.1:${port}/`;
await reverseOpen.promise;

async function post(body: unknown, msgpack = false): Promise<Record<string, unknown>> {
  const response = await fetch(httpUrl, {
    method: "POST",
    headers: { "Content-Type": msgpack ? "application/msgpack" : "application/json" },
    body: msgpack ? encodeMsgpack(body) : JSON.stringify(body),
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  return msgpack
    ? decodeMsgpack(await response.bytes()) as Record<string, unknown>
    : await response.json();
}

interface Memory {
  at: number;
  rss: number;
  heapUsed: number;
}
async function memory(): Promise<Memory> {
  const { data } = await post({ action: "bench.memory", params: {} });
  const { rss, heapUsed } = data as { rss: number; heapUsed: number };
  return { at: elapsed(), rss, heapUsed };
}

// --- The load. ---

const HTTP_REQUESTS = [
  [{ action: "get_version", params: {} }, false],
  [{ action: "get_status", params: {} }, false],
  [{ action: "get_version", params: {} }, true],
  [{ action: "get_supported_actions", params: {} }, false],
] as const;

async function httpLoop(index: number): Promise<void> {
  for (let i = index; running; i++) {
    const [request, msgpack] = HTTP_REQUESTS[i % HTTP_REQUESTS.length]!;
    try {
      const answer = await post(request, msgpack);
      if (answer.retcode === 0) stats.http.served++;
      else fail("http", `${request.action}: retcode ${answer.retcode}`);
    } catch (error) {
      fail("http", String(error));
    }
  }
}

let emittedByUs = 0;
async function emitLoop(): Promise<void> {
  while (running) {
    try {
      const answer = await post({ action: "bench.emit", params: { count: EVENTS_PER_BURST } });
      if (answer.retcode === 0) {
        stats.http.served++;
        emittedByUs += EVENTS_PER_BURST;
      } else fail("http", `bench.emit: retcode ${answer.retcode}`);
    } catch (error) {
      fail("http", String(error));
    }
    await sleep(BURST_PAUSE_MS);
  }
}

const pollSeq = sequence("poll", "get_latest_events", 0);
async function pollLoop(): Promise<void> {
  while (running) {
    try {
      const answer = await post({
        action: "get_latest_events",
        params: { limit: 500, timeout: 1 },
      });
      if (answer.retcode !== 0) fail("poll", `retcode ${answer.retcode}`);
      stats.poll.served++;
      for (const event of answer.data as Record<string, unknown>[]) {
        pollSeq.see(event["bench.n"] as number);
      }
    } catch (error) {
      fail("poll", String(error));
    }
  }
}

/** A forward WebSocket client: actions one at a time, events checked for order. */
interface Client {
  socket: WebSocket;
  seq: ReturnType<typeof sequence>;
  closed: Promise<void>;
  requests: number;
}

function openClient(label: string, maxRequests = Infinity): Promise<Client> {
  const socket = new WebSocket(wsUrl);
  socket.binaryType = "arraybuffer";
  const closed = Promise.withResolvers<void>();
  const client: Client = {
    socket,
    seq: sequence("ws", label),
    closed: closed.promise,
    requests: 0,
  };
  let first = true;
  let echo = 0;
  const ask = () => {
    if (!running || client.requests >= maxRequests || socket.readyState !== WebSocket.OPEN) {
      return;
    }
    client.requests++;
    const request = { action: "get_version", params: {}, echo: `${echo++}` };
    if (echo % 2 === 0) socket.send(JSON.stringify(request));
    else socket.send(encodeMsgpack(request));
  };
  socket.onmessage = (message) => {
    const frame = typeof message.data === "string"
      ? JSON.parse(message.data)
      : decodeMsgpack(new Uint8Array(message.data as ArrayBuffer)) as Record<string, unknown>;
    if (first && frame.detail_type !== "connect") fail("ws", `${label}: first frame not connect`);
    first = false;
    if (frame.retcode !== undefined) {
      if (frame.retcode === 0) stats.ws.served++;
      else fail("ws", `${label}: retcode ${frame.retcode}`);
      ask();
    } else if (frame.detail_type === "bench.tick") {
      client.seq.see(frame["bench.n"]);
    }
  };
  socket.onclose = (event) => {
    if (running && event.code !== 1000) fail("ws", `${label}: closed with ${event.code}`);
    closed.resolve();
  };
  return new Promise((resolve, reject) => {
    socket.onopen = () => {
      ask();
      resolve(client);
    };
    socket.onerror = () => reject(new Error(`${label}: cannot connect`));
  });
}

let churned = 0;
async function churnLoop(): Promise<void> {
  while (running) {
    try {
      const client = await openClient(`churn ${churned}`, 20);
      while (running && client.requests < 20) await sleep(10);
      client.socket.close(1000);
      await client.closed;
      churned++;
    } catch (error) {
      fail("ws", String(error));
    }
  }
}

const clients = await Promise.all(
  Array.from({ length: WS_CLIENTS }, (_, i) => openClient(`client ${i}`)),
);
const loops = [
  ...Array.from({ length: HTTP_LOOPS }, (_, i) => httpLoop(i)),
  emitLoop(),
  pollLoop(),
  churnLoop(),
];

const samples: Memory[] = [];
// start/middle/end are the 10 %, 50 % and 100 % marks; the others only go to the trace.
const marks = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((f) => f * SECONDS);
for (const mark of marks) {
  await sleep(Math.max(0, (mark - elapsed()) * 1000));
  const sample = await memory();
  samples.push(sample);
  console.error(
    `t=${sample.at.toFixed(0)} s: RSS ${mib(sample.rss)} MiB, heap ${mib(sample.heapUsed)} MiB, ` +
      `${fmt(stats.http.served + stats.ws.served + stats.reverse.served)} actions so far`,
  );
}

// Stop the load, then let every connection catch up with what was emitted.
running = false;
await Promise.all(loops);
const { data } = await post({ action: "bench.memory", params: {} });
const emitted = (data as { emitted: number }).emitted;
const drainEnd = performance.now() + 15_000;
function caughtUp(): boolean {
  return webhookSeq.next === emitted && reverseSeq.next === emitted &&
    clients.every((client) => client.seq.next === emitted);
}
while (!caughtUp() && performance.now() < drainEnd) {
  // The poller takes what is left in the buffer.
  const answer = await post({ action: "get_latest_events", params: { limit: 0 } });
  for (const event of answer.data as Record<string, unknown>[]) {
    pollSeq.see(event["bench.n"] as number);
  }
  await sleep(50);
}
for (const [name, next] of [["webhook", webhookSeq.next], ["reverse", reverseSeq.next]] as const) {
  if (next !== emitted) fail(name, `got ${next} of ${emitted} events`);
}
for (const [i, client] of clients.entries()) {
  if (client.seq.next !== emitted) fail("ws", `client ${i}: last event ${client.seq.next}`);
}
if (pollSeq.next !== emitted) fail("poll", `got ${pollSeq.next} of ${emitted} events`);
if (emitted !== emittedByUs) fail("http", `server emitted ${emitted}, asked ${emittedByUs}`);

for (const client of clients) client.socket.close(1000);
await Promise.all(clients.map((client) => client.closed));
reverseSocket?.close(1000);
child.kill("SIGTERM");
await reader.cancel();
await child.status;
await webhookServer.shutdown();
await reverseServer.shutdown();

// --- Report. ---

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
const rows: [string, Stat, string][] = [
  [`HTTP actions (${HTTP_LOOPS} loops + emitter)`, stats.http, "—"],
  ["HTTP get_latest_events (1 poller)", stats.poll, fmt(stats.poll.events)],
  [
    `Forward WS (${WS_CLIENTS} clients + ${fmt(churned)} churned)`,
    stats.ws,
    `${fmt(stats.ws.events)} (${WS_CLIENTS} × ${fmt(emitted)} + churn)`,
  ],
  ["Webhook", stats.webhook, fmt(stats.webhook.events)],
  ["Reverse WS", stats.reverse, fmt(stats.reverse.events)],
];
const errors = names.reduce((sum, name) => sum + stats[name].errors, 0);
const served = names.reduce((sum, name) => sum + stats[name].served, 0);
const [start, middle, end] = [samples[0]!, samples[4]!, samples[9]!];
// Settled: the JS heap (after a GC) does not grow from the middle to the end, and RSS has
// reached a plateau over the last three samples (80–100 %). RSS grows in steps while the
// allocator sizes its arenas (a bare Deno WebSocket server under the same connection churn
// does the same), so a middle-to-end RSS ratio alone would judge the allocator, not libob.
const tail = samples.slice(-3).map((sample) => sample.rss);
const plateau = Math.max(...tail) <= Math.min(...tail) * 1.05;
const settled = plateau && end.heapUsed <= middle.heapUsed * 1.25;
const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ?? "?";

console.log(
  `\nlibob soak — ${SECONDS} s, Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores (${cpu})`,
);
console.log(`${fmt(emitted)} events emitted (${fmt(Math.round(emitted / SECONDS))}/s)\n`);
console.log("| transport | requests served | events received | errors |");
console.log("| --- | ---: | ---: | ---: |");
for (const [label, stat, events] of rows) {
  const requests = stat === stats.webhook ? "—" : fmt(stat.served);
  console.log(`| ${label} | ${requests} | ${events} | ${stat.errors} |`);
}
console.log(`| **total** | ${fmt(served)} | | **${errors}** |`);
console.log("\n| server memory (after GC) | start | middle | end |");
console.log("| --- | ---: | ---: | ---: |");
console.log(
  `| time | ${start.at.toFixed(0)} s | ${middle.at.toFixed(0)} s | ${end.at.toFixed(0)} s |`,
);
console.log(`| RSS | ${mib(start.rss)} MiB | ${mib(middle.rss)} MiB | ${mib(end.rss)} MiB |`);
console.log(
  `| heap used | ${mib(start.heapUsed)} MiB | ${mib(middle.heapUsed)} MiB | ${
    mib(end.heapUsed)
  } MiB |`,
);
console.log(
  `\nmemory: ${settled ? "settled" : "CLIMBING"} (RSS over the last 30 %: ${
    tail.map(mib).join(" → ")
  } MiB; heap end/middle ${(end.heapUsed / middle.heapUsed).toFixed(2)}); errors: ${errors}`,
);
for (const name of names) {
  for (const note of stats[name].notes) console.log(`  ${name}: ${note}`);
}
if (errors > 0 || !settled) Deno.exit(1);
