/**
 * Black-box tests of `deno task start`: the real `deno serve` command of the
 * task, spawned with `DENO_SERVE_ADDRESS` and the `ONEBOT_*` variables.
 */

import { expect } from "expect";
import type { ActionResponse } from "../../action/types.ts";
import type { Event } from "../../event/types.ts";
import { DEMO_ENV } from "../../demo/config.ts";
import { freePort, openClient, within } from "../_loopback.ts";

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
    // The demo says where it listens (deno serve's own line is replaced), and nothing else.
    expect(new TextDecoder().decode(stdout).trim().split("\n")).toEqual([
      `libob-demo: OneBot 12 on ${url} (HTTP POST /, WebSocket ws://127.0.0.1:${port}/)`,
      `libob-demo: playground on ${url}playground/`,
    ]);
    expect(new TextDecoder().decode(stderr)).toBe("");
  }
});

const BAD_ENV: readonly [string, string][] = [
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
