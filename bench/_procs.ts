// Server processes for the load scripts: start one on free loopback ports, wait until
// its ports accept connections, read its RSS from /proc while load runs, stop it.

/** A server process under load, with the ports it listens on. */
export interface Proc extends AsyncDisposable {
  readonly label: string;
  readonly pid: number;
  readonly httpPort: number;
  readonly wsPort: number;
  /** RSS samples in bytes, taken by {@link sampleRss}. */
  readonly rss: number[];
  /** When each of `rss` was read (`performance.now()`, ms). */
  readonly rssTimes: number[];
}

/** How to start one server: the command gets the ports from `args`. */
export interface ProcSpec {
  label: string;
  command: string;
  args: (httpPort: number, wsPort: number) => string[];
  /** Whether HTTP and WebSocket share one port. */
  onePort: boolean;
  cwd?: string;
  env?: Record<string, string>;
}

/** Options of {@link startProc}. */
export interface StartOptions {
  /** A `taskset -c` CPU list to pin the server to (e.g. "1"). */
  cpus?: string | undefined;
}

/** A bench/_server.ts server of `kind` (see there), with extra environment variables. */
export function benchServer(label: string, kind: string, env?: Record<string, string>): ProcSpec {
  return {
    label,
    command: Deno.execPath(),
    args: (port) => [
      "run",
      "-A",
      new URL("_server.ts", import.meta.url).pathname,
      kind,
      String(port),
    ],
    onePort: true,
    ...(env === undefined ? {} : { env }),
  };
}

/** A loopback port that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** The resident set size of a process in bytes, or NaN once it is gone. */
export async function rssOf(pid: number): Promise<number> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const kib = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kib === undefined ? NaN : Number(kib) * 1024;
  } catch {
    return NaN;
  }
}

async function accepts(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/** Keeps the last few KiB a child wrote to stderr, to show why it died. */
function tail(stream: ReadableStream<Uint8Array>): () => string {
  let text = "";
  (async () => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text = (text + chunk).slice(-4096);
    }
  })().catch(() => {});
  return () => text;
}

function kill(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
}

/** Starts a server and resolves once its ports accept TCP connections (60 s at most). */
export async function startProc(spec: ProcSpec, options: StartOptions = {}): Promise<Proc> {
  const httpPort = freePort();
  const wsPort = spec.onePort ? httpPort : freePort();
  const args = spec.args(httpPort, wsPort);
  // taskset execs the command: the pid stays the server's.
  const pinned = options.cpus === undefined
    ? { command: spec.command, args }
    : { command: "taskset", args: ["-c", options.cpus, spec.command, ...args] };
  const child = new Deno.Command(pinned.command, {
    args: pinned.args,
    ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
    ...(spec.env === undefined ? {} : { env: spec.env }),
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = tail(child.stderr);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const deadline = Date.now() + 60_000;
  while (!(await accepts(httpPort) && await accepts(wsPort))) {
    if (exited || Date.now() > deadline) {
      kill(child, "SIGKILL");
      await status;
      throw new Error(`${spec.label} did not start: ${stderr().trim().slice(-600)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    label: spec.label,
    pid: child.pid,
    httpPort,
    wsPort,
    rss: [],
    rssTimes: [],
    async [Symbol.asyncDispose]() {
      kill(child, "SIGTERM");
      const timer = setTimeout(() => kill(child, "SIGKILL"), 5000);
      await status;
      clearTimeout(timer);
    },
  };
}

/**
 * Runs `work` while sampling the RSS of `proc` into `proc.rss` (and the time
 * into `proc.rssTimes`): once before, every `every` ms, once after. One read
 * at a time, in order.
 */
export async function sampleRss<T>(proc: Proc, work: () => Promise<T>, every = 250): Promise<T> {
  const sample = async () => {
    const rss = await rssOf(proc.pid);
    if (Number.isNaN(rss)) return;
    proc.rss.push(rss);
    proc.rssTimes.push(performance.now());
  };
  let running = true;
  await sample();
  const sampler = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, every));
      if (running) await sample();
    }
  })();
  try {
    return await work();
  } finally {
    running = false;
    await sampler;
    await sample();
  }
}
