/**
 * Interop with NoneBot2, the most used OneBot application framework: the bot
 * of interop/nonebot/bot.py (PyPI `nonebot2` with `nonebot-adapter-onebot`'s
 * OneBot 12 adapter) runs against the real `deno task start` demo with an
 * access token, one NoneBot process per transport, all at once against one
 * demo: forward WebSocket, reverse WebSocket, HTTP + webhook, and forward
 * WebSocket and HTTP again with the adapter's MessagePack switch
 * (`ONEBOT_V12_USE_MSGPACK`: its actions go as binary frames /
 * `application/msgpack` bodies; events stay JSON, the adapter's webhook reads
 * JSON only). On connecting, each bot calls `get_self_info`,
 * `get_friend_list`, `send_message` to a group, and an action that fails; a
 * user's "ping" (made with `demo.simulate_message`) is answered with "pong",
 * read back with `demo.get_messages`. NoneBot's log (at DEBUG) must have no
 * error line and no validation error: every event the demo sent fit the
 * adapter's most specific pydantic model.
 *
 * Python comes from the virtual environment that `.ci/run` makes
 * (`LIBOB_NONEBOT_PYTHON`, by default
 * `${XDG_CACHE_HOME:-$HOME/.cache}/libob/venv-nonebot/bin/python`). Without
 * it the test is skipped, except in CI (`CI=true`), where it fails saying so.
 */

import { expect } from "expect";
import { freePort, within } from "../_loopback.ts";
import {
  callDemo,
  listening,
  type Report,
  type Reporter,
  ROOT,
  type Running,
  sleep,
  startDemo,
  startReporter,
} from "./_process.ts";
import { findVenv } from "../_venv.ts";

const BOT = new URL("interop/nonebot/bot.py", ROOT);
const TOKEN = "interop-token";
const BOT_ID = "10000";
const USER = { detail_type: "private", user_id: "10001" };
const GROUP = { detail_type: "group", group_id: "20001" };
/** What a bot must see within, in ms: generous, for a loaded machine. */
const WAIT = 60_000;

// NoneBot, the adapter and the drivers, imported.
const { python: PYTHON, available, ignore, skipped: SKIPPED, missing } = await findVenv(
  "nonebot",
  "nonebot2",
  ["-c", "import nonebot.adapters.onebot.v12, fastapi, uvicorn, httpx, websockets"],
);

/** One NoneBot run: its name, the transport it uses, MessagePack or not. */
interface Run {
  label: string;
  transport: "forward" | "reverse" | "http";
  msgpack: boolean;
}

const RUNS: readonly Run[] = [
  { label: "forward-ws", transport: "forward", msgpack: false },
  { label: "reverse-ws", transport: "reverse", msgpack: false },
  { label: "http", transport: "http", msgpack: false },
  { label: "forward-ws-msgpack", transport: "forward", msgpack: true },
  { label: "http-msgpack", transport: "http", msgpack: true },
];

/** NoneBot's settings (`nonebot.init()` reads the environment) for a run. */
function settings(run: Run, port: number, demoPort: number): Record<string, string> {
  const env: Record<string, string> = {
    PYTHONUNBUFFERED: "1",
    NO_COLOR: "1",
    LOG_LEVEL: "DEBUG",
    ENVIRONMENT: "prod",
    HOST: "127.0.0.1",
    PORT: String(port),
    LIBOB_LABEL: run.label,
    ONEBOT_V12_ACCESS_TOKEN: TOKEN,
    ONEBOT_V12_USE_MSGPACK: run.msgpack ? "true" : "false",
  };
  switch (run.transport) {
    case "forward":
      return {
        ...env,
        DRIVER: "~websockets",
        ONEBOT_V12_WS_URLS: JSON.stringify([`ws://127.0.0.1:${demoPort}/`]),
      };
    case "reverse":
      return { ...env, DRIVER: "~fastapi" };
    case "http":
      return {
        ...env,
        DRIVER: "~fastapi+~httpx",
        ONEBOT_V12_API_ROOTS: JSON.stringify({ [BOT_ID]: `http://127.0.0.1:${demoPort}/` }),
      };
  }
}

function startBot(run: Run, port: number, demoPort: number): Reporter {
  return startReporter(PYTHON, [BOT.pathname], {
    cwd: new URL("interop/nonebot/", ROOT),
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", ...settings(run, port, demoPort) },
  });
}

/** Resolves once something accepts TCP connections on `port` (bounded; stops if `bot` exited). */
async function accepting(port: number, bot: Running, what: string): Promise<void> {
  for (let attempt = 0; attempt < 600 && !bot.exited; attempt++) {
    try {
      const connection = await Deno.connect({ hostname: "127.0.0.1", port });
      connection.close();
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${what} did not listen on port ${port}`);
}

/** NoneBot's own log lines (what is not one of the bot's JSON reports). */
function logLines(bot: Reporter): string[] {
  return bot.reports.filter((r) => r.kind === "text").map((r) => String(r.text));
}

/** The texts the bot sent to a chat of the demo. */
async function sent(port: number, chat: Record<string, string>): Promise<string[]> {
  const messages = await callDemo(port, TOKEN, "demo.get_messages", chat) as {
    user_id: string;
    alt_message: string;
  }[];
  return messages.filter((m) => m.user_id === BOT_ID).map((m) => m.alt_message);
}

/** Polls a chat until every text of `expected` is in it (bounded). */
async function sentAll(
  port: number,
  chat: Record<string, string>,
  expected: string[],
): Promise<string[]> {
  let texts: string[] = [];
  for (let attempt = 0; attempt < 600; attempt++) {
    texts = await sent(port, chat);
    if (expected.every((text) => texts.includes(text))) break;
    await sleep(100);
  }
  return texts;
}

/** A playground page that stays open (so the demo records frames) until disposed. */
async function openPage(port: number): Promise<AsyncDisposable> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/playground/socket?access_token=${TOKEN}`);
  const hello = Promise.withResolvers<void>();
  const closed = Promise.withResolvers<void>();
  socket.onmessage = (event) => {
    if (JSON.parse(String(event.data)).type === "hello") hello.resolve();
  };
  socket.onerror = () => hello.reject(new Error("the playground socket failed"));
  socket.onclose = () => {
    hello.reject(new Error("the playground socket closed before hello"));
    closed.resolve();
  };
  const page = {
    async [Symbol.asyncDispose]() {
      socket.close();
      await closed.promise;
    },
  };
  try {
    await within(hello.promise, "the playground's hello", WAIT);
  } catch (error) {
    await page[Symbol.asyncDispose]();
    throw error;
  }
  return page;
}

/** The frames the playground's page gets on opening its socket (`hello`). */
async function playgroundFrames(port: number): Promise<Record<string, unknown>[]> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/playground/socket?access_token=${TOKEN}`);
  const hello = Promise.withResolvers<Record<string, unknown>[]>();
  const closed = Promise.withResolvers<void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    if (message.type === "hello") hello.resolve(message.frames);
    socket.close();
  };
  socket.onerror = () => hello.reject(new Error("the playground socket failed"));
  socket.onclose = () => {
    hello.reject(new Error("the playground socket closed before hello"));
    closed.resolve();
  };
  try {
    return await within(hello.promise, "the playground's hello", WAIT);
  } finally {
    socket.close();
    await closed.promise;
  }
}

/** What one run must have reported on connecting. */
async function checkCalls(run: Run, bot: Reporter): Promise<void> {
  const connected = await bot.find((r) => r.kind === "connected", `${run.label}: connected`, WAIT);
  expect(connected).toMatchObject({ self_id: BOT_ID, platform: "demo", impl: "libob-demo" });
  const outcome = (action: string) =>
    bot.find(
      (r) => (r.kind === "called" || r.kind === "failed") && r.action === action,
      `${run.label}: ${action}`,
      WAIT,
    );
  expect(await outcome("get_self_info")).toMatchObject({
    kind: "called",
    data: { user_id: BOT_ID, user_name: "libob bot" },
  });
  const friends = await outcome("get_friend_list");
  expect(friends.kind).toBe("called");
  expect((friends.data as { user_id: string }[]).map((f) => f.user_id)).toContain("10001");
  expect(await outcome("send_message")).toMatchObject({
    kind: "called",
    data: { message_id: expect.any(String), time: expect.any(Number) },
  });
  // A failed action: over WebSocket NoneBot raises the retcode's exception;
  // over HTTP its adapter wraps it in a NetworkError, the real one as __cause__.
  const failed = await outcome("get_user_info");
  const logic = { type: "LogicError", retcode: 35001, message: "user_id: unknown user 99999" };
  expect(failed).toMatchObject({
    kind: "failed",
    error: run.transport === "http" ? { type: "NetworkError", cause: logic } : logic,
  });
}

/** Starts every run and the demo, runs `body`, stops them all; their logs join a failure. */
async function withBots(
  body: (port: number, bots: Map<Run, Reporter>) => Promise<void>,
): Promise<void> {
  if (!available) throw new Error(missing);
  const demoPort = freePort();
  const ports = new Map(RUNS.map((run) => [run, freePort()]));
  const bots = new Map<Run, Reporter>();
  let demo: Running | undefined;
  let failure: unknown;
  try {
    // The servers first, so that the demo's first status_update reaches the webhooks.
    const servers = RUNS.filter((run) => run.transport !== "forward");
    for (const run of servers) bots.set(run, startBot(run, ports.get(run)!, demoPort));
    await Promise.all(
      servers.map((run) => accepting(ports.get(run)!, bots.get(run)!, `NoneBot ${run.label}`)),
    );
    const url = (run: Run, path: string) => `${path}://127.0.0.1:${ports.get(run)!}/onebot/v12/`;
    demo = await startDemo(demoPort, {
      ONEBOT_ACCESS_TOKEN: TOKEN,
      ONEBOT_WS_REVERSE_URL: servers.filter((run) => run.transport === "reverse")
        .map((run) => `${url(run, "ws")}ws`).join(","),
      ONEBOT_WEBHOOK_URL: servers.filter((run) => run.transport === "http")
        .map((run) => `${url(run, "http")}http`).join(","),
      ONEBOT_RECONNECT_INTERVAL: "500",
    });
    await listening(demoPort, demo, TOKEN);
    for (const run of RUNS.filter((run) => run.transport === "forward")) {
      bots.set(run, startBot(run, ports.get(run)!, demoPort));
    }
    await body(demoPort, bots);
  } catch (error) {
    failure = error;
  }
  // The bots first: a forward WebSocket closed by the demo is an error in NoneBot's log.
  const stopped = await Promise.allSettled(
    [...bots.values()].map((bot) => bot[Symbol.asyncDispose]()),
  );
  await demo?.[Symbol.asyncDispose]();
  failure ??= stopped.find((result) => result.status === "rejected")?.reason;
  if (failure === undefined) {
    for (const [run, bot] of bots) {
      const bad = logLines(bot).filter((line) =>
        /\[(ERROR|CRITICAL)\]|validation error|Event Parse Error|Failed to parse event/i.test(line)
      );
      if (bad.length > 0) failure = new Error(`NoneBot ${run.label} logged:\n${bad.join("\n")}`);
    }
  }
  if (failure !== undefined) {
    const logs = [...bots].map(([run, bot]) => `--- NoneBot ${run.label} ---\n${bot.log()}`);
    throw new Error(
      `${failure instanceof Error ? failure.message : failure}\n--- demo ---\n${
        demo?.log() ?? ""
      }\n${logs.join("\n")}`,
      { cause: failure },
    );
  }
}

Deno.test({
  name:
    "NoneBot2 with the OneBot 12 adapter works the demo over forward WebSocket, reverse WebSocket and HTTP + webhook, in JSON and MessagePack, with an access token" +
    SKIPPED,
  ignore,
  async fn() {
    await withBots(async (port, bots) => {
      await Promise.all([...bots].map(([run, bot]) => checkCalls(run, bot)));
      const labels = RUNS.map((run) => run.label);
      expect(await sentAll(port, GROUP, labels.map((label) => `hello (${label})`)))
        .toEqual(expect.arrayContaining(labels.map((label) => `hello (${label})`)));

      // The playground records frames only while a page is open: one watches from here on.
      await using _watcher = await openPage(port);
      await callDemo(port, TOKEN, "demo.simulate_message", { ...USER, message: "ping" });
      await Promise.all(
        [...bots].map(([run, bot]) =>
          bot.find((r: Report) => r.kind === "ping", `${run.label}: the ping`, WAIT)
        ),
      );
      const pongs = labels.map((label) => `pong (${label})`);
      expect(await sentAll(port, USER, pongs)).toEqual(expect.arrayContaining(pongs));
      // The demo saw each run's pong on its transport, in its encoding (the tap's record).
      const frames = await playgroundFrames(port);
      const pongActions = frames.filter((f) =>
        f.direction === "in" && f.type === "action" && JSON.stringify(f.data).includes("pong (")
      );
      // Their answers: a send_message result to the same peer, on the same connection.
      const key = (f: Record<string, unknown>) => `${f.connection} ${f.peer} ${f.encoding}`;
      const pongPeers = new Set(pongActions.map(key));
      const pongAnswers = frames.filter((f) =>
        f.direction === "out" && f.type === "response" && pongPeers.has(key(f)) &&
        (f.data as { data?: { message_id?: unknown } }).data?.message_id !== undefined
      );
      const shown = (list: Record<string, unknown>[]) =>
        list.map((f) => `${f.connection} ${f.encoding}`).sort();
      const expected = RUNS.map((run) =>
        `${{ forward: "websocket", reverse: "websocket_reverse", http: "http" }[run.transport]} ${
          run.msgpack ? "msgpack" : "json"
        }`
      ).sort();
      expect(shown(pongActions)).toEqual(expected);
      expect(shown(pongAnswers)).toEqual(expected);
    });
  },
});
