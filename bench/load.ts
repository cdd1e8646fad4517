// deno-lint-ignore-file no-console
// Loopback load runs comparing libob with a bare Deno baseline in the same run:
//   deno task load            (or: deno run -A bench/load.ts [--quick])
// Every run is bounded in time and count and talks to 127.0.0.1 only. Servers run in
// their own processes (bench/_server.ts); wrk comes from Debian's package (installed if
// missing). Prints a table of ratios; the README's "Performance" figures come from it.
import { createActionRouter, createEvent, createWebhookEmitter, encodeMsgpack } from "../mod.ts";

const quick = Deno.args.includes("--quick");
const SECONDS = quick ? 2 : 5;
const here = new URL(".", import.meta.url);

interface Row {
  scenario: string;
  bare: string;
  libob: string;
  ratio: string;
  target: string;
}
const rows: Row[] = [];

async function startServer(
  kind: string,
  env: Record<string, string> = {},
): Promise<{ port: number } & AsyncDisposable> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("_server.ts", here).pathname, kind],
    env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening \d+/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`server ${kind} exited`);
    text += value;
  }
  const port = Number(/listening (\d+)/.exec(text)![1]);
  return {
    port,
    async [Symbol.asyncDispose]() {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
    },
  };
}

async function ensureWrk(): Promise<void> {
  const found = await new Deno.Command("sh", { args: ["-c", "command -v wrk"] }).output();
  if (found.success) return;
  console.error("wrk not found: installing Debian's wrk package");
  await new Deno.Command("sh", {
    args: ["-c", "apt-get update -qq && apt-get install -y -qq wrk"],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
}

function luaBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => `\\${b}`).join("");
}

async function wrk(port: number, body: Uint8Array, type: string) {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  await Deno.writeTextFile(
    script,
    `wrk.method = "POST"\nwrk.body = "${
      luaBytes(body)
    }"\nwrk.headers["Content-Type"] = "${type}"\n`,
  );
  const run = (seconds: number) =>
    new Deno.Command("wrk", {
      args: [
        "-t1",
        "-c16",
        `-d${seconds}s`,
        "--latency",
        "-s",
        script,
        `http://127.0.0.1:${port}/`,
      ],
    }).output();
  await run(1); // warm-up: JIT and keep-alive connections
  const out = new TextDecoder().decode((await run(SECONDS)).stdout);
  await Deno.remove(script);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const scale = { us: 0.001, ms: 1, s: 1000 } as const;
  const p99ms = p99 ? Number(p99[1]) * scale[p99[2] as keyof typeof scale] : NaN;
  return { rps, p99ms };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

async function httpScenario(encoding: "json" | "msgpack"): Promise<void> {
  const request = { action: "get_version", params: {} };
  const body = encoding === "json"
    ? new TextEncoder().encode(JSON.stringify(request))
    : encodeMsgpack(request);
  const type = `application/${encoding}`;
  // Short wrk runs vary by ±10 % on 2 cores: alternate bare and libob three times and
  // take each side's median.
  const bares: { rps: number; p99ms: number }[] = [];
  const libs: { rps: number; p99ms: number }[] = [];
  await using bareServer = await startServer("bare-http");
  await using libobServer = await startServer("libob");
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    bares.push(await wrk(bareServer.port, body, type));
    libs.push(await wrk(libobServer.port, body, type));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const bare = { rps: median(bares.map((r) => r.rps)), p99ms: median(bares.map((r) => r.p99ms)) };
  const lib = { rps: median(libs.map((r) => r.rps)), p99ms: median(libs.map((r) => r.p99ms)) };
  rows.push({
    scenario: `HTTP get_version (${encoding}), wrk -t1 -c16, median of 3`,
    bare: `${fmt(bare.rps)} req/s`,
    libob: `${fmt(lib.rps)} req/s`,
    ratio: fmt(lib.rps / bare.rps, 2),
    target: "≥ 0.85",
  });
  rows.push({
    scenario: `HTTP p99 latency (${encoding})`,
    bare: `${fmt(bare.p99ms, 2)} ms`,
    libob: `${fmt(lib.p99ms, 2)} ms`,
    ratio: fmt(lib.p99ms / bare.p99ms, 2),
    target: "≤ 1.5",
  });
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map((ws) =>
    new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.onclose = () => resolve();
      ws.close(1000);
    })
  ));
}

/** Round trips/s over `connections` sockets, each sending one request at a time. */
async function wsRoundTrips(port: number, connections: number, seconds: number): Promise<number> {
  const sockets = await Promise.all(
    Array.from({ length: connections }, () => openSocket(`ws://127.0.0.1:${port}/`)),
  );
  let count = 0;
  let running = true;
  const loops = sockets.map((ws, i) =>
    new Promise<void>((resolve) => {
      let n = 0;
      const send = () =>
        ws.send(JSON.stringify({ action: "get_version", params: {}, echo: `${i}:${n++}` }));
      ws.onmessage = (event) => {
        const frame = JSON.parse(event.data as string);
        if (frame.echo === undefined) return; // meta events
        count++;
        if (running) send();
        else resolve();
      };
      send();
    })
  );
  await new Promise((r) => setTimeout(r, 500)); // warm-up
  const start = count;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const done = count - start;
  const elapsed = (performance.now() - t0) / 1000;
  running = false;
  await Promise.all(loops);
  await closeAll(sockets);
  return done / elapsed;
}

async function wsScenario(): Promise<void> {
  let bare, lib;
  {
    await using server = await startServer("bare-ws");
    bare = await wsRoundTrips(server.port, 10, SECONDS);
  }
  {
    await using server = await startServer("libob");
    lib = await wsRoundTrips(server.port, 10, SECONDS);
  }
  rows.push({
    scenario: "Forward WebSocket get_version, 10 connections",
    bare: `${fmt(bare)} rt/s`,
    libob: `${fmt(lib)} rt/s`,
    ratio: fmt(lib / bare, 2),
    target: "≥ 0.85",
  });
}

async function post(port: number, body: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}/`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return await res.json();
}

async function fanOutScenario(): Promise<void> {
  const EVENTS = quick ? 200 : 1000;
  const CLIENTS = 100;
  const received: number[][] = Array.from({ length: CLIENTS + 1 }, () => []);
  let remaining = EVENTS * (CLIENTS + 1);
  let finish!: () => void;
  const finished = new Promise<void>((r) => finish = r);
  const record = (i: number, frame: Record<string, unknown>) => {
    if (frame.detail_type !== "bench.tick") return;
    received[i]!.push(frame["bench.seq"] as number);
    if (--remaining === 0) finish();
  };
  await using receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      record(CLIENTS, await req.json());
      return new Response(null, { status: 204 });
    },
  );
  await using server = await startServer("libob", {
    BENCH_WEBHOOK_URL: `http://127.0.0.1:${receiver.addr.port}/`,
  });
  const sockets = await Promise.all(
    Array.from({ length: CLIENTS }, () => openSocket(`ws://127.0.0.1:${server.port}/`)),
  );
  sockets.forEach((ws, i) => ws.onmessage = (e) => record(i, JSON.parse(e.data as string)));
  const t0 = performance.now();
  await post(server.port, { action: "bench.emit", params: { count: EVENTS } });
  const timeout = new Promise<"timeout">((r) => {
    const id = setTimeout(() => r("timeout"), 60_000);
    finished.then(() => clearTimeout(id));
  });
  const outcome = await Promise.race([finished.then(() => "ok" as const), timeout]);
  const seconds = (performance.now() - t0) / 1000;
  const inOrder = received.every((seqs) => seqs.every((s, i) => s === i));
  const complete = received.every((seqs) => seqs.length === EVENTS);
  await closeAll(sockets);
  rows.push({
    scenario: `Fan-out: ${EVENTS} events to ${CLIENTS} WS + 1 webhook`,
    bare: "—",
    libob: `${fmt(EVENTS / seconds)} events/s (${
      fmt((EVENTS * (CLIENTS + 1)) / seconds)
    } deliveries/s)`,
    ratio: "—",
    target: `${outcome === "ok" && complete ? "all delivered" : "LOSS"}, ${
      inOrder ? "in order" : "OUT OF ORDER"
    }`,
  });
}

async function webhookScenario(): Promise<void> {
  const EVENTS = quick ? 500 : 3000;
  await using server = await startServer("bare-http");
  const url = `http://127.0.0.1:${server.port}/hook`;
  const self = { platform: "bench", user_id: "bot" };
  const event = () =>
    createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: "1" });
  // Bare: a sequential keep-alive fetch POST loop.
  let t0 = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(event()),
    });
    await res.body?.cancel();
  }
  const bare = EVENTS / ((performance.now() - t0) / 1000);
  const connectionsBefore = Number(await (await fetch(`http://127.0.0.1:${server.port}/`)).text());
  const router = createActionRouter({ handlers: {}, bots: () => [self] });
  t0 = performance.now();
  {
    await using emitter = createWebhookEmitter(
      router,
      {
        url,
        impl: "libob-bench",
        timeout: 0,
        maxBacklog: EVENTS,
      } as Parameters<typeof createWebhookEmitter>[1],
    );
    for (let i = 0; i < EVENTS; i++) emitter.emit(event());
  } // dispose drains
  const lib = EVENTS / ((performance.now() - t0) / 1000);
  const connectionsAfter = Number(await (await fetch(`http://127.0.0.1:${server.port}/`)).text());
  rows.push({
    scenario: `Webhook: ${EVENTS} sequential events to one receiver`,
    bare: `${fmt(bare)} ev/s`,
    libob: `${fmt(lib)} ev/s (${connectionsAfter - connectionsBefore} new TCP connection(s))`,
    ratio: fmt(lib / bare, 2),
    target: "≥ 0.7",
  });
}

async function longPollScenario(): Promise<void> {
  const ROUNDS = quick ? 50 : 200;
  await using server = await startServer("libob");
  const latencies: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const poll = post(server.port, { action: "get_latest_events", params: { timeout: 10 } });
    await new Promise((r) => setTimeout(r, 5)); // let the poll reach the server and wait
    await post(server.port, { action: "bench.emit", params: { count: 1 } });
    const response = await poll as { data: Array<Record<string, number>> };
    const now = performance.timeOrigin + performance.now();
    const emitted = response.data[0]?.["bench.t"];
    if (emitted !== undefined) latencies.push(now - emitted);
  }
  latencies.sort((a, b) => a - b);
  const p = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  rows.push({
    scenario: `Long poll: emit → get_latest_events returns (${ROUNDS} rounds)`,
    bare: "—",
    libob: `p50 ${fmt(p(0.5), 2)} ms, p99 ${fmt(p(0.99), 2)} ms`,
    ratio: "—",
    target: "p99 < 5 ms",
  });
}

async function rssOf(port: number, libob: boolean): Promise<number> {
  if (libob) {
    return (await post(port, { action: "bench.rss", params: {} }) as { data: number }).data;
  }
  return Number(await (await fetch(`http://127.0.0.1:${port}/`)).text());
}

async function memoryScenario(): Promise<void> {
  const CONNECTIONS = quick ? 200 : 1000;
  const perConnection = async (kind: string) => {
    await using server = await startServer(kind);
    const libob = kind === "libob";
    const before = await rssOf(server.port, libob);
    const sockets: WebSocket[] = [];
    for (let i = 0; i < CONNECTIONS; i += 50) {
      sockets.push(
        ...await Promise.all(
          Array.from({ length: 50 }, () => openSocket(`ws://127.0.0.1:${server.port}/`)),
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
    const after = await rssOf(server.port, libob);
    await closeAll(sockets);
    return (after - before) / CONNECTIONS;
  };
  const bare = await perConnection("bare-ws");
  const lib = await perConnection("libob");
  rows.push({
    scenario: `Memory: RSS per idle forward WS connection (${CONNECTIONS})`,
    bare: `${fmt(bare / 1024, 1)} KiB`,
    libob: `${fmt(lib / 1024, 1)} KiB`,
    ratio: fmt(lib / bare, 2),
    target: "—",
  });
}

await ensureWrk();
const only = Deno.args.find((a) => a.startsWith("--only="))?.slice(7);
const scenarios: Record<string, () => Promise<void>> = {
  http: async () => {
    await httpScenario("json");
    await httpScenario("msgpack");
  },
  ws: wsScenario,
  fanout: fanOutScenario,
  webhook: webhookScenario,
  longpoll: longPollScenario,
  memory: memoryScenario,
};
for (const [name, run] of Object.entries(scenarios)) {
  if (only !== undefined && !only.split(",").includes(name)) continue;
  try {
    await run();
  } catch (error) {
    rows.push({ scenario: name, bare: "—", libob: `error: ${error}`, ratio: "—", target: "—" });
  }
}

const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ?? "?";
console.log(
  `\nlibob load run — Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores (${cpu})\n`,
);
console.log("| scenario | bare Deno | libob | ratio | target |");
console.log("| --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(`| ${r.scenario} | ${r.bare} | ${r.libob} | ${r.ratio} | ${r.target} |`);
}
