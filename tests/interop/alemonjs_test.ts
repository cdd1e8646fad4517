/**
 * Interop with a real OneBot 12 application: alemonjs and its OneBot adapter
 * (`@alemonjs/onebot`, pinned by interop/alemonjs/package-lock.json) run the
 * ping → pong bot of interop/alemonjs/ with Node against the real
 * `deno task start` command, once over forward WebSocket and once over reverse
 * WebSocket. A user's "ping" is made with `demo.simulate_message`; the bot's
 * `send_message` reply is read back with `demo.get_messages`. The bot's
 * "status" command reports the adapter's own view of the session, which must
 * be a ready OneBot 12 session with the demo bot online: alemonjs drops to
 * OneBot 11 when it gets no `meta.connect` carrying `self` within 8 s, or (in
 * reverse mode) when the subprotocol `12` is not offered. So the demo runs
 * with `ONEBOT_COMPAT_META_SELF=1` and `ONEBOT_WS_REVERSE_SUBPROTOCOLS=12,…`.
 *
 * The npm packages are installed with `npm ci` when missing or stale. Without
 * `node` on the PATH the tests are skipped, except in CI (`CI=true`), where
 * they fail instead.
 */

import { expect } from "expect";
import { freePort } from "../_loopback.ts";
import {
  callDemo,
  listening,
  outputOf,
  ROOT,
  type Running,
  sleep,
  start,
  startDemo,
} from "./_process.ts";
import { runsOk } from "../_venv.ts";

const BOT_DIR = new URL("interop/alemonjs/", ROOT);
const TOKEN = "interop-token";
/** How long the bot may take to start, connect and answer the first ping, in ms. */
const FIRST_PONG_TIMEOUT = 60_000;
const decoder = new TextDecoder();

const ignore = !(await runsOk("node", ["--version"])) && Deno.env.get("CI") !== "true";

/** Runs `npm ci` in interop/alemonjs unless the pinned versions are installed already. */
async function installBot(): Promise<void> {
  const manifest = JSON.parse(await Deno.readTextFile(new URL("package.json", BOT_DIR)));
  const pinned = Object.entries(manifest.dependencies as Record<string, string>);
  const installed = await Promise.all(pinned.map(async ([name, version]) => {
    try {
      const file = new URL(`node_modules/${name}/package.json`, BOT_DIR);
      return JSON.parse(await Deno.readTextFile(file)).version === version;
    } catch {
      return false;
    }
  }));
  if (installed.every(Boolean)) return;
  const child = new Deno.Command("npm", {
    args: ["ci", "--no-audit", "--no-fund", "--ignore-scripts"],
    cwd: BOT_DIR,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const { success, stderr } = await outputOf(child, child.output(), "npm ci", 300_000);
  if (!success) throw new Error(`npm ci failed in interop/alemonjs:\n${decoder.decode(stderr)}`);
}

/** The demo as alemonjs needs it: token, a heartbeat, and meta events with `self`. */
function startAlemonDemo(port: number, env: Record<string, string>): Promise<Running> {
  return startDemo(port, {
    ONEBOT_ACCESS_TOKEN: TOKEN,
    // alemonjs drops a session after 65 s without an event it accepts.
    ONEBOT_HEARTBEAT_INTERVAL: "1000",
    ONEBOT_COMPAT_META_SELF: "1",
    ...env,
  });
}

/** The bot, configured by an alemonjs YAML file (`CFG_PATH`). */
function startBot(configFile: string): Running {
  return start("node", ["main.js"], {
    cwd: BOT_DIR,
    env: { CFG_PATH: configFile, NO_COLOR: "1" },
  });
}

type Chat = {
  detail_type: "private" | "group";
  user_id?: string;
  group_id?: string;
};

interface StoredMessage {
  user_id: string;
  alt_message: string;
}

/** Runs one bot against one demo: ping until pong, then checks the bot's view of the session. */
async function pingPong(options: {
  port: number;
  chat: Chat;
  transport: "forward_ws" | "reverse_ws";
  demo: Running;
  bot: Running;
}): Promise<void> {
  const { port, chat, transport, demo, bot } = options;
  function call(action: string, params: Record<string, unknown>): Promise<unknown> {
    return callDemo(port, TOKEN, action, params);
  }
  async function say(text: string): Promise<void> {
    await call("demo.simulate_message", { ...chat, user_id: "10001", message: text });
  }
  async function botReplies(): Promise<string[]> {
    const messages = await call("demo.get_messages", chat) as StoredMessage[];
    return messages.filter((m) => m.user_id === "10000").map((m) => m.alt_message);
  }
  /** Says `text` (again every 2 s) until the bot has replied `accept`, or the deadline. */
  async function ask(text: string, accept: (reply: string) => boolean): Promise<string> {
    const deadline = Date.now() + FIRST_PONG_TIMEOUT;
    while (Date.now() < deadline && !demo.exited && !bot.exited) {
      try {
        await say(text);
      } catch {
        // The demo is not listening yet.
        await sleep(200);
        continue;
      }
      for (let poll = 0; poll < 10; poll++) {
        await sleep(200);
        const reply = (await botReplies()).find(accept);
        if (reply !== undefined) return reply;
      }
    }
    throw new Error(
      `No reply to ${text} over ${transport}: ${
        demo.exited || bot.exited ? "a process exited" : "timed out"
      }`,
    );
  }

  expect(await ask("ping", (reply) => reply === "pong")).toBe("pong");
  const status = JSON.parse(await ask("status", (reply) => reply.startsWith("{")));
  expect(status).toMatchObject({
    requestedVersion: 12,
    activeVersion: 12,
    fallback: false,
    state: "ready",
    transport,
    bots: [{ platform: "demo", userId: "10000", online: true }],
  });
}

/** Runs `body`, adding both processes' output to its error. */
async function withLogs(
  demo: Running,
  bot: Running,
  body: () => Promise<void>,
): Promise<void> {
  let failure: unknown;
  try {
    await body();
  } catch (error) {
    failure = error;
  }
  await bot[Symbol.asyncDispose]();
  await demo[Symbol.asyncDispose]();
  if (failure !== undefined) {
    throw new Error(
      `${failure instanceof Error ? failure.message : failure}\n--- demo ---\n${demo.log()}` +
        `\n--- bot ---\n${bot.log()}`,
      { cause: failure },
    );
  }
}

async function withConfig(yaml: string, body: (file: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "libob-alemonjs-" });
  try {
    const file = `${dir}/alemon.config.yaml`;
    await Deno.writeTextFile(file, yaml);
    await body(file);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name:
    "alemonjs (@alemonjs/onebot) answers ping with pong over forward WebSocket (WS-01, META-C2)",
  ignore,
  async fn() {
    await installBot();
    const port = freePort();
    const yaml = [
      "onebot:",
      "  version: 12",
      `  url: ws://127.0.0.1:${port}/`,
      `  token: ${TOKEN}`,
      "processor:",
      "  repeated_user_time: 0",
      "",
    ].join("\n");
    await withConfig(yaml, async (file) => {
      const demo = await startAlemonDemo(port, {});
      // alemonjs backs off (1 s, 2 s, 4 s…) after a failed connect: start it once the demo listens.
      await listening(port, demo, TOKEN).catch(async (error) => {
        await demo[Symbol.asyncDispose]();
        throw new Error(`${error.message}\n${demo.log()}`);
      });
      const bot = startBot(file);
      await withLogs(demo, bot, () =>
        pingPong({
          port,
          chat: { detail_type: "private", user_id: "10001" },
          transport: "forward_ws",
          demo,
          bot,
        }));
    });
  },
});

Deno.test({
  name:
    "alemonjs (@alemonjs/onebot) answers ping with pong over reverse WebSocket (WSR-01, WSR-03, WSR-06)",
  ignore,
  async fn() {
    await installBot();
    const port = freePort();
    const reversePort = freePort();
    const yaml = [
      "onebot:",
      "  version: 12",
      "  reverse_enable: true",
      `  reverse_port: ${reversePort}`,
      `  token: ${TOKEN}`,
      "processor:",
      "  repeated_user_time: 0",
      "",
    ].join("\n");
    await withConfig(yaml, async (file) => {
      const bot = startBot(file);
      const demo = await startAlemonDemo(port, {
        ONEBOT_WS_REVERSE_URL: `ws://127.0.0.1:${reversePort}/`,
        ONEBOT_WS_REVERSE_SUBPROTOCOLS: "12,12.libob-demo",
        ONEBOT_RECONNECT_INTERVAL: "500",
      });
      await withLogs(demo, bot, () =>
        pingPong({
          port,
          chat: { detail_type: "group", group_id: "20001" },
          transport: "reverse_ws",
          demo,
          bot,
        }));
    });
  },
});
