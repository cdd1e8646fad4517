/**
 * A black-box robustness run against the real `deno task start`: garbage and oversized
 * bodies and bursts of connections, then the server must still answer correctly.
 */

import { expect } from "expect";
import { DEMO_ENV } from "../../demo/config.ts";
import { freePort, untilAnswering, within } from "../_loopback.ts";

const ROOT = new URL("../../", import.meta.url);

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error("cannot connect"));
  });
}

function closed(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.addEventListener("close", () => resolve(), { once: true });
    ws.close(1000);
  });
}

Deno.test("deno task start survives garbage, oversized bodies and connection bursts (issue 6)", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const [, ...args] = (config.tasks.start as string).trim().split(/\s+/);
  const port = freePort();
  const url = `http://127.0.0.1:${port}/`;
  const neutral = Object.fromEntries(Object.keys(DEMO_ENV).map((name) => [name, ""]));
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { ...neutral, NO_COLOR: "1", DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}` },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  try {
    await within(untilAnswering(url), "the demo to start");
    // 300 garbage bodies under both encodings, 50 at a time: always 200 with 10001.
    for (let batch = 0; batch < 6; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
        const bytes = crypto.getRandomValues(new Uint8Array(1 + ((batch * 50 + i) % 700)));
        const response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": i % 2 ? "application/msgpack" : "application/json" },
          body: bytes,
        });
        expect(response.status).toBe(200);
        await response.body?.cancel();
        return response.status;
      }));
      expect(answers.every((status) => status === 200)).toBe(true);
    }
    // Oversized bodies: 413 before the body is read.
    for (let i = 0; i < 3; i++) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: new Uint8Array(17 * 1024 * 1024),
      });
      expect(response.status).toBe(413);
      await response.body?.cancel();
    }
    // A burst of 200 WebSocket connections, opened together and closed.
    const sockets = await within(
      Promise.all(Array.from({ length: 200 }, () => openSocket(url.replace("http", "ws")))),
      "200 sockets to open",
    );
    await within(Promise.all(sockets.map(closed)), "200 sockets to close");
    // Still alive and correct: an action over HTTP and meta.connect first on a new socket.
    const version = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action: "get_version", params: {}, echo: "after" }),
    });
    expect(await version.json()).toMatchObject({
      retcode: 0,
      echo: "after",
      data: { impl: "libob-demo" },
    });
    const ws = new WebSocket(url.replace("http", "ws"));
    const first = await within(
      new Promise<Record<string, unknown>>((resolve) => {
        ws.onmessage = (event) => resolve(JSON.parse(event.data as string));
      }),
      "the first frame",
    );
    expect(first.detail_type).toBe("connect");
    await closed(ws);
  } finally {
    child.kill("SIGTERM");
    await output;
  }
});

/** The text of a stream as it arrives, and a wait for a piece of it. */
function collect(stream: ReadableStream<Uint8Array>) {
  let text = "";
  const waiters: { piece: string; resolve: () => void }[] = [];
  const done = (async () => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      for (const waiter of waiters.filter((w) => text.includes(w.piece))) waiter.resolve();
    }
  })();
  return {
    done,
    text: () => text,
    includes(piece: string): Promise<void> {
      if (text.includes(piece)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ piece, resolve }));
    },
  };
}

Deno.test({
  name:
    "deno task start keeps serving after idle connections use up its file descriptors (issue 12)",
  ignore: Deno.build.os === "windows",
  async fn() {
    const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
    const [, ...args] = (config.tasks.start as string).trim().split(/\s+/);
    const port = freePort();
    const url = `http://127.0.0.1:${port}/`;
    const neutral = Object.fromEntries(Object.keys(DEMO_ENV).map((name) => [name, ""]));
    // 128 descriptors for the demo, 200 idle connections (no byte sent) from here.
    const child = new Deno.Command("sh", {
      args: ["-c", 'ulimit -n 128 && exec "$0" "$@"', Deno.execPath(), ...args],
      cwd: ROOT,
      env: { ...neutral, NO_COLOR: "1", DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}` },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = collect(child.stderr);
    const idle: Deno.Conn[] = [];
    try {
      await within(untilAnswering(url), "the demo to start");
      for (let i = 0; i < 200; i++) {
        try {
          idle.push(await Deno.connect({ hostname: "127.0.0.1", port }));
        } catch {
          break; // refused: the demo's listener is gone, as expected once descriptors ran out
        }
      }
      await within(stderr.includes("stopped accepting connections"), "the accept loop to fail");
      for (const conn of idle.splice(0)) conn.close();
      await within(stderr.includes("listening again on"), "the demo to listen again");
      // It may have listened again before the idle connections were gone, and failed again.
      await within(untilAnswering(url), "the demo to answer again");
      const version = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ action: "get_version", params: {}, echo: "after" }),
      });
      expect(await version.json()).toMatchObject({ retcode: 0, echo: "after" });
      expect(stderr.text()).toContain("Too many open files");
      expect(stderr.text()).not.toContain("Uncaught");
    } finally {
      for (const conn of idle) conn.close();
      try {
        child.kill("SIGTERM");
      } catch {
        // It died already: the assertions above say why.
      }
      await child.status;
      await stderr.done;
    }
  },
});
