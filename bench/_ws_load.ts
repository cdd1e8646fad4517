// A pipelined forward-WebSocket load client: `connections` sockets, each keeping `inFlight`
// action requests outstanding (a new one for every response), so what is measured is the
// server's throughput, not a round trip's latency. It runs in the calling Deno process and
// does the least it can per frame (a substring test, one send), but on a 2-core machine it
// still shares the CPU with the server under test: compare ratios, not absolute figures.

/** Options of {@link wsPipelined}. */
export interface WsLoadOptions {
  connections: number;
  inFlight: number;
  seconds: number;
  /** Unmeasured load before counting starts, in seconds. */
  warmup?: number;
}

/** Opens a WebSocket, rejecting after 10 s. */
export function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error(`cannot connect to ${url}: timeout`));
    }, 10_000);
    ws.onopen = () => {
      clearTimeout(timer);
      resolve(ws);
    };
    ws.onerror = () => {
      clearTimeout(timer);
      reject(new Error(`cannot connect to ${url}`));
    };
  });
}

/** Closes every socket and waits until each is closed (5 s at most). */
export async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map((ws) =>
    new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      const timer = setTimeout(resolve, 5000);
      ws.onclose = () => {
        clearTimeout(timer);
        resolve();
      };
      ws.close(1000);
    })
  ));
}

function isResponse(data: unknown): boolean {
  return typeof data === "string" ? data.includes('"retcode"') : true;
}

/** Sends `frame` and resolves with the first action response (JSON), skipping events. */
export async function wsCall(url: string, frame: string): Promise<Record<string, unknown>> {
  const ws = await openSocket(url);
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no response in 10 s")), 10_000);
      ws.onmessage = (event) => {
        if (!isResponse(event.data)) return;
        clearTimeout(timer);
        resolve(JSON.parse(event.data as string));
      };
      ws.send(frame);
    });
  } finally {
    await closeAll([ws]);
  }
}

/** Responses per second over pipelined connections sending `frame` (a JSON text frame). */
export async function wsPipelined(
  url: string,
  frame: string,
  options: WsLoadOptions,
): Promise<number> {
  const sockets = await Promise.all(
    Array.from({ length: options.connections }, () => openSocket(url)),
  );
  let count = 0;
  let outstanding = 0;
  let running = true;
  let drained!: () => void;
  const allDrained = new Promise<void>((resolve) => drained = resolve);
  for (const ws of sockets) {
    ws.onmessage = (event) => {
      if (!isResponse(event.data)) return; // meta events
      count++;
      if (running) ws.send(frame);
      else if (--outstanding === 0) drained();
    };
    for (let i = 0; i < options.inFlight; i++) ws.send(frame);
  }
  outstanding = options.connections * options.inFlight;
  await new Promise((r) => setTimeout(r, (options.warmup ?? 0.5) * 1000));
  const start = count;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, options.seconds * 1000));
  const done = count - start;
  const elapsed = (performance.now() - t0) / 1000;
  running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([allDrained, new Promise((r) => timer = setTimeout(r, 10_000))]);
  clearTimeout(timer);
  await closeAll(sockets);
  return done / elapsed;
}
