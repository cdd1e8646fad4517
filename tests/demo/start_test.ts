/**
 * Black-box tests of `deno task start`: the real `deno serve` command of the
 * task, spawned with `DENO_SERVE_ADDRESS` and the `ONEBOT_*` variables.
 */

import { expect } from "expect";
import type { ActionResponse } from "../../action/types.ts";
import type { Event } from "../../event/types.ts";
import { DEMO_ENV } from "../../demo/config.ts";
import { freePort, openClient, serve, within } from "../_loopback.ts";

const ROOT = new URL("../../", import.meta.url);

/** The `deno` arguments of the `start` task in deno.json. */
async function startTaskArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const [command, ...args] = (config.tasks.start as string).trim().split(/\s+/);
  expect(command).toBe("deno");
  expect(args[0]).toBe("serve");
  return args;
}

/** Spawns the start task with these variables; every other `ONEBOT_*` is emptied. */
async function spawnStart(env: Record<string, string>): Promise<Deno.ChildProcess> {
  const neutral = Object.fromEntries(Object.keys(DEMO_ENV).map((name) => [name, ""]));
  return new Deno.Command(Deno.execPath(), {
    args: await startTaskArgs(),
    cwd: ROOT,
    env: { ...neutral, NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** The process's output once it exits; killed with SIGKILL if it does not exit in time. */
async function exitOf(
  child: Deno.ChildProcess,
  output: Promise<Deno.CommandOutput>,
): Promise<Deno.CommandOutput> {
  try {
    return await within(output, "the demo to exit");
  } catch (error) {
    child.kill("SIGKILL");
    await output;
    throw error;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

Deno.test("deno task start serves the demo at DENO_SERVE_ADDRESS: HTTP and forward WebSocket on one address (HTTP-03, WS-01, §3.3, §5.1, §8)", async () => {
  const port = freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = await spawnStart({
    DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
    ONEBOT_ACCESS_TOKEN: "t",
  });
  const output = child.output();
  let exited = false;
  output.then(() => exited = true, () => exited = true);

  async function call(action: string, params: Record<string, unknown> = {}) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer t" },
      body: JSON.stringify({ action, params }),
    });
    expect(response.status).toBe(200);
    return await response.json() as ActionResponse;
  }

  try {
    // Poll until it answers: bounded attempts, stopping early if the process died.
    let version: ActionResponse | undefined;
    for (let attempt = 0; attempt < 200 && version === undefined && !exited; attempt++) {
      try {
        version = await call("get_version");
      } catch {
        await sleep(50);
      }
    }
    if (version === undefined) {
      throw new Error(`the demo did not answer on ${url}: ${exited ? "it exited" : "timed out"}`);
    }
    expect(version.data).toMatchObject({ impl: "libob-demo", onebot_version: "12" });

    const denied = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action: "get_version", params: {} }),
    });
    await denied.body?.cancel();
    expect(denied.status).toBe(401);

    expect((await call("get_self_info")).data).toEqual({
      user_id: "10000",
      user_name: "libob bot",
      user_displayname: "",
    });
    const friends = (await call("get_friend_list")).data as { user_id: string }[];
    expect(friends.map((friend) => friend.user_id)).toEqual(["10001", "10002"]);

    // get_file type url: a link on the address deno serve listens on, the token in its headers.
    const uploaded = await call("upload_file", { type: "data", name: "a.txt", data: btoa("abc") });
    const { file_id } = uploaded.data as { file_id: string };
    const link = (await call("get_file", { file_id, type: "url" })).data as {
      url: string;
      headers: Record<string, string>;
    };
    expect(link.url).toBe(`${url}playground/files/${encodeURIComponent(file_id)}`);
    const file = await fetch(link.url, { headers: link.headers });
    expect(await file.text()).toBe("abc");

    // A browser's page load of / goes to the playground, with the query (the token) along;
    // the page itself needs no token, its socket does.
    const load = await fetch(`${url}?access_token=t`, {
      headers: { Accept: "text/html" },
      redirect: "manual",
    });
    await load.body?.cancel();
    expect([load.status, load.headers.get("location")]).toEqual([
      303,
      "/playground/?access_token=t",
    ]);
    const page = await fetch(`${url}playground/`);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain("<html");
    const socket = await fetch(`${url}playground/socket`);
    await socket.body?.cancel();
    expect(socket.status).toBe(401);

    await using peer = await openClient(`ws://127.0.0.1:${port}/?access_token=t`);
    const connect = await peer.nextEvent();
    expect(connect).toMatchObject({ type: "meta", detail_type: "connect" });

    const simulated = await call("demo.simulate_message", {
      detail_type: "group",
      user_id: "10001",
      group_id: "20001",
      message: "hello from alice",
    });
    expect(simulated).toMatchObject({ status: "ok", retcode: 0 });
    const { message_id } = simulated.data as { message_id: string };
    const expected = {
      type: "message",
      detail_type: "group",
      sub_type: "",
      self: { platform: "demo", user_id: "10000" },
      message_id,
      group_id: "20001",
      user_id: "10001",
      message: [{ type: "text", data: { text: "hello from alice" } }],
      alt_message: "hello from alice",
    };
    const latest = (await call("get_latest_events", { limit: 0, timeout: 0 })).data as Event[];
    expect(latest.filter((event) => event.type === "message")).toEqual([
      expect.objectContaining(expected),
    ]);
    expect(await peer.nextEvent((event) => event.type === "message")).toMatchObject(expected);
  } finally {
    if (!exited) child.kill("SIGTERM");
    const { code, stdout, stderr } = await exitOf(child, output);
    // SIGTERM disposes the OneBot, then exits with 0 (Windows has no SIGTERM).
    if (Deno.build.os !== "windows") expect(code).toBe(0);
    // The demo says where it listens (deno serve's own line is replaced) on stdout, and nothing
    // else; on stderr, libob's info lines: the forward WebSocket opened and closed, with its peer.
    expect(new TextDecoder().decode(stdout).trim().split("\n")).toEqual([
      `libob-demo: OneBot 12 on ${url} (HTTP POST /, WebSocket ws://127.0.0.1:${port}/)`,
      `libob-demo: playground on ${url}playground/`,
    ]);
    const logged = new TextDecoder().decode(stderr).trim().split("\n");
    expect(logged[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} \[INF\] websocket: WebSocket connection from 127\.0\.0\.1:\d+ opened \(1 open\)$/,
    );
    for (const line of logged) {
      expect(line).toMatch(/ \[INF\] websocket: WebSocket connection from 127\.0\.0\.1:\d+ /);
    }
  }
});

/** The demo's stderr as lines, read as they come; `line(text)` waits for one containing `text`. */
function stderrLines(child: Deno.ChildProcess) {
  const lines: string[] = [];
  const waiters: { text: string; resolve: (line: string) => void }[] = [];
  const done = (async () => {
    let rest = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        for (const waiter of waiters.filter((waiter) => line.includes(waiter.text))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
    if (rest !== "") lines.push(rest);
  })();
  return {
    lines,
    done,
    line(text: string): Promise<string> {
      const found = lines.find((line) => line.includes(text));
      if (found !== undefined) return Promise.resolve(found);
      return within(
        new Promise<string>((resolve) => waiters.push({ text, resolve })),
        `a line containing ${text}`,
      );
    },
  };
}

/** Stops the demo with SIGTERM (SIGKILL if it does not exit) and reads the rest of its output. */
async function stop(child: Deno.ChildProcess, stderr: { done: Promise<void> }): Promise<string> {
  const stdout = new Response(child.stdout).text();
  child.kill("SIGTERM");
  try {
    await within(child.status, "the demo to exit");
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    throw error;
  } finally {
    await stderr.done;
  }
  return await stdout;
}

Deno.test("deno task start prints a line naming an unreachable webhook, without its token", async () => {
  const webhook = `http://127.0.0.1:${freePort()}/hook`;
  const port = freePort();
  const child = await spawnStart({
    DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
    ONEBOT_WEBHOOK_URL: webhook,
    ONEBOT_ACCESS_TOKEN: "s3cret",
  });
  const stderr = stderrLines(child);
  let line: string;
  try {
    // The start-up status_update goes to nobody: waited for, no timing asserted.
    line = await stderr.line(webhook);
  } finally {
    await stop(child, stderr);
  }
  expect(line).toMatch(
    / \[WRN\] webhook: Webhook http:\/\/127\.0\.0\.1:\d+\/hook failed for event /,
  );
  expect(stderr.lines.join("\n")).not.toContain("s3cret");
});

Deno.test("deno task start with ONEBOT_LOG_LEVEL=error prints error lines only", async () => {
  // A receiver whose answer to a message event is not a list of actions: an error line, the
  // sentinel that everything before it was logged (or silenced).
  await using receiver = serve(async (request) => {
    const event = await request.json();
    return event.type === "message"
      ? new Response("not actions", { status: 200, headers: { "Content-Type": "text/plain" } })
      : new Response(null, { status: 204 });
  });
  const port = freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = await spawnStart({
    DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
    ONEBOT_WEBHOOK_URL: `${receiver.url}hook`,
    ONEBOT_LOG_LEVEL: " Error ",
  });
  const stderr = stderrLines(child);
  try {
    // Info lines it would print: a forward WebSocket opened and closed.
    const peer = await within(connectWhenUp(url.replace("http", "ws")), "the demo to start");
    peer.close(1000);
    await new Promise((resolve) => peer.addEventListener("close", resolve, { once: true }));
    const simulated = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        action: "demo.simulate_message",
        params: { detail_type: "private", user_id: "10001", message: "hi" },
      }),
    });
    expect((await simulated.json()).retcode).toBe(0);
    await stderr.line("unsupported reply Content-Type");
  } finally {
    await stop(child, stderr);
  }
  expect(stderr.lines).toHaveLength(1);
  expect(stderr.lines[0]).toMatch(/ \[ERR\] webhook: Webhook .*unsupported reply Content-Type/);
});

/** Opens a WebSocket to the demo, retrying while it is not up yet. */
async function connectWhenUp(url: string): Promise<WebSocket> {
  for (let attempt = 0;; attempt++) {
    const ws = new WebSocket(url);
    const opened = await new Promise<boolean>((resolve) => {
      ws.addEventListener("open", () => resolve(true), { once: true });
      ws.addEventListener("close", () => resolve(false), { once: true });
    });
    if (opened) return ws;
    if (attempt === 200) throw new Error(`the demo did not accept a WebSocket on ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const BAD_ENV: readonly [string, string][] = [
  ["ONEBOT_LOG_LEVEL", "verbose"],
  ["ONEBOT_HEARTBEAT_INTERVAL", "-1"],
  ["ONEBOT_WS_REVERSE_URL", "http://127.0.0.1:9/"],
];

for (const [name, value] of BAD_ENV) {
  Deno.test(`deno task start exits non-zero with one line naming ${name}=${value}`, async () => {
    const child = await spawnStart({
      DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${freePort()}`,
      [name]: value,
    });
    const { code, stdout, stderr } = await exitOf(child, child.output());
    expect(code).not.toBe(0);
    expect(new TextDecoder().decode(stdout)).toBe("");
    const lines = new TextDecoder().decode(stderr).trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });
}
