/**
 * A black-box robustness run against the real `deno task start`: garbage and oversized
 * bodies and bursts of connections, then the server must still answer correctly.
 */

import { expect } from "expect";
import { DEMO_ENV } from "../../demo/config.ts";
import { freePort, within } from "../_loopback.ts";

const ROOT = new URL("../../", import.meta.url);

async function waitUntilUp(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const response = await fetch(url, {
        method: "POST",
        body: "{}",
        headers: { "Content-Type": "application/json" },
      });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error("the demo did not start");
}

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
    await within(waitUntilUp(url), "the demo to start");
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
