// deno-lint-ignore-file no-console
// Scale figures (`deno task load --scale`, or `deno run -A bench/scale.ts`), on 127.0.0.1:
//   - fan-out: a burst of numbered events to 10, 100 and 1000 forward WebSockets plus one
//     webhook, all received by this process; events/s until the last delivery, and whether
//     every connection got every event, in order; beside a bare Deno server doing the same
//     with the least work ("bare-fanout" in bench/_server.ts);
//   - RSS per idle forward WebSocket (1000 of them), libob beside a bare Deno WebSocket server;
//   - long-poll wake-up: from bench.emit to the waiting get_latest_events returning, p50/p99.
// The libob server is bench/_server.ts ("libob") in its own process; the receiving clients
// run here and share the 2 cores with it.
import { benchServer, rssOf, startProc } from "./_procs.ts";
import { closeAll, openSocket } from "./_ws_load.ts";

const FAN_OUT = [10, 100, 1000];
const IDLE_SOCKETS = 1000;
const LONG_POLLS = 200;

async function post(port: number, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${port}/`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return await res.json();
}

async function openMany(url: string, count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Math.min(50, count - i);
    sockets.push(...await Promise.all(Array.from({ length: batch }, () => openSocket(url))));
  }
  return sockets;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

interface FanOut {
  eventsPerSecond: number;
  deliveriesPerSecond: number;
  note: string;
}

/** One burst of `events` to `clients` sockets and a webhook from a server of `kind`. */
async function fanOut(kind: string, clients: number, events: number): Promise<FanOut> {
  const received: number[][] = Array.from({ length: clients + 1 }, () => []);
  let remaining = events * (clients + 1);
  let socketsLeft = events * clients;
  let finish!: () => void;
  const finished = new Promise<void>((r) => finish = r);
  const done = { sockets: NaN, webhook: NaN };
  // A regular expression, not JSON.parse: the receivers share the 2 cores with the server.
  const record = (i: number, text: string) => {
    const seq = /"bench\.seq":(\d+)/.exec(text)?.[1];
    if (seq === undefined) return; // meta events
    received[i]!.push(Number(seq));
    const at = (performance.now() - t0) / 1000;
    if (i < clients && --socketsLeft === 0) done.sockets = at;
    if (i === clients && received[i]!.length === events) done.webhook = at;
    if (--remaining === 0) finish();
  };
  let t0 = performance.now();
  await using receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      record(clients, await req.text());
      return new Response(null, { status: 204 });
    },
  );
  await using server = await startProc(
    benchServer(kind, kind, { BENCH_WEBHOOK_URL: `http://127.0.0.1:${receiver.addr.port}/` }),
  );
  const sockets = await openMany(`ws://127.0.0.1:${server.wsPort}/`, clients);
  sockets.forEach((ws, i) => ws.onmessage = (e) => record(i, e.data as string));
  t0 = performance.now();
  await post(server.httpPort, { action: "bench.emit", params: { count: events } });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    finished.then(() => "ok" as const),
    new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), 120_000)),
  ]);
  clearTimeout(timer);
  const seconds = (performance.now() - t0) / 1000;
  const rss = await rssOf(server.pid);
  const lost = received.reduce((sum, seqs) => sum + events - seqs.length, 0);
  const inOrder = received.every((seqs) => seqs.every((s, i) => s === i));
  await closeAll(sockets);
  return {
    eventsPerSecond: outcome === "ok" ? events / seconds : NaN,
    deliveriesPerSecond: outcome === "ok" ? (events * (clients + 1)) / seconds : NaN,
    note: `${outcome === "ok" ? "" : "TIMEOUT, "}${
      lost === 0 ? "nothing lost" : `${fmt(lost)} LOST`
    }, ${inOrder ? "in order" : "OUT OF ORDER"}; last WS delivery at ${
      fmt(done.sockets, 2)
    } s, last webhook at ${fmt(done.webhook, 2)} s; RSS ${fmt(rss / 2 ** 20)} MiB`,
  };
}

async function fanOutRow(clients: number): Promise<string[]> {
  const events = Math.max(200, Math.min(1000, 200_000 / clients));
  const bare = await fanOut("bare-fanout", clients, events);
  const lib = await fanOut("libob", clients, events);
  const cell = (f: FanOut) =>
    `${fmt(f.eventsPerSecond)} events/s (${fmt(f.deliveriesPerSecond)} deliveries/s)`;
  return [
    `Fan-out: ${events} events to ${clients} forward WS + 1 webhook`,
    cell(lib),
    cell(bare),
    `ratio ${
      fmt(lib.eventsPerSecond / bare.eventsPerSecond, 2)
    }; libob: ${lib.note}; bare: ${bare.note}`,
  ];
}

async function idleRss(kind: string): Promise<number> {
  await using server = await startProc(benchServer(kind, kind));
  const before = await rssOf(server.pid);
  const sockets = await openMany(`ws://127.0.0.1:${server.wsPort}/`, IDLE_SOCKETS);
  await new Promise((r) => setTimeout(r, 1000));
  const after = await rssOf(server.pid);
  await closeAll(sockets);
  return (after - before) / IDLE_SOCKETS;
}

async function longPoll(): Promise<string[]> {
  await using server = await startProc(benchServer("libob", "libob"));
  const latencies: number[] = [];
  for (let i = 0; i < LONG_POLLS; i++) {
    const poll = post(server.httpPort, { action: "get_latest_events", params: { timeout: 10 } });
    await new Promise((r) => setTimeout(r, 5)); // let the poll reach the server and wait
    await post(server.httpPort, { action: "bench.emit", params: { count: 1 } });
    const response = await poll as { data: Array<Record<string, number>> };
    const now = performance.timeOrigin + performance.now();
    const emitted = response.data[0]?.["bench.t"];
    if (emitted !== undefined) latencies.push(now - emitted);
  }
  latencies.sort((a, b) => a - b);
  const p = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return [
    `Long poll: bench.emit → waiting get_latest_events returns (${LONG_POLLS} rounds)`,
    `p50 ${fmt(p(0.5), 2)} ms, p99 ${fmt(p(0.99), 2)} ms`,
    "—",
    `${latencies.length} of ${LONG_POLLS} polls woke with the event`,
  ];
}

/** Runs the scale measurements and prints their table. */
export async function runScale(): Promise<void> {
  const rows: string[][] = [];
  for (const clients of FAN_OUT) {
    console.error(`  scale: fan-out to ${clients} sockets`);
    rows.push(await fanOutRow(clients));
  }
  console.error(`  scale: ${IDLE_SOCKETS} idle sockets`);
  const bare = await idleRss("bare-ws");
  const lib = await idleRss("libob");
  rows.push([
    `RSS per idle forward WS (${IDLE_SOCKETS} connections)`,
    `${fmt(lib / 1024, 1)} KiB`,
    `${fmt(bare / 1024, 1)} KiB`,
    `ratio ${fmt(lib / bare, 2)}`,
  ]);
  console.error("  scale: long poll");
  rows.push(await longPoll());
  console.log("\n### Scale\n");
  console.log("| measure | libob | bare Deno | notes |");
  console.log("| --- | --- | --- | --- |");
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
}

if (import.meta.main) await runScale();
