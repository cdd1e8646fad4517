/**
 * Interop with aiohttp, the most common Python HTTP/WebSocket server library
 * and a strict one (it refuses a request with two `User-Agent` lines): the
 * plain aiohttp application of interop/aiohttp/app.py serves a reverse
 * WebSocket endpoint and a webhook receiver, and the real `deno task start`
 * demo is pointed at both through `ONEBOT_WS_REVERSE_URL` and
 * `ONEBOT_WEBHOOK_URL`, with and without an access token. The application
 * must see `meta.connect` first, then events; its `get_version` call over
 * the socket must be answered, and its `send_message` replies (one over the
 * socket, one in a webhook reply) must reach the demo's chat.
 *
 * Python comes from the virtual environment that `.ci/run` makes
 * (`LIBOB_AIOHTTP_PYTHON`, by default
 * `${XDG_CACHE_HOME:-$HOME/.cache}/libob/venv-aiohttp/bin/python`), with
 * PyPI's `aiohttp`. Without it the tests are skipped, except in CI
 * (`CI=true`), where they fail saying so.
 */

import { expect } from "expect";
import { freePort } from "../_loopback.ts";
import {
  callDemo,
  listening,
  type Report,
  type Reporter,
  ROOT,
  type Running,
  startDemo,
  startReporter,
} from "./_process.ts";
import { findVenv } from "../_venv.ts";

const APP = new URL("interop/aiohttp/app.py", ROOT);
const CHAT = { detail_type: "private", user_id: "10001" };
/** What the application must see within, in ms: generous, for a loaded machine. */
const WAIT = 60_000;

const { python: PYTHON, available, ignore, skipped: SKIPPED, missing } = await findVenv(
  "aiohttp",
  "aiohttp",
  ["-c", "import aiohttp"],
);

function isFrame(test: (frame: Record<string, unknown>) => boolean) {
  return (report: Report) =>
    report.kind === "ws_frame" && test(report.frame as Record<string, unknown>);
}

function isPing(event: Record<string, unknown>): boolean {
  return event.type === "message" && event.alt_message === "ping";
}

/** Runs the application and the demo pointed at it, then `body`; both logs join a failure. */
async function withApp(
  token: string,
  body: (app: Reporter, port: number) => Promise<void>,
): Promise<void> {
  if (!available) throw new Error(missing);
  const app = startReporter(PYTHON, [APP.pathname], {
    env: { ONEBOT_TOKEN: token, PYTHONUNBUFFERED: "1" },
  });
  let demo: Running | undefined;
  let failure: unknown;
  try {
    const { port: appPort } = await app.find((r) => r.kind === "listening", "aiohttp to listen");
    const port = freePort();
    demo = await startDemo(port, {
      ONEBOT_ACCESS_TOKEN: token,
      ONEBOT_WS_REVERSE_URL: `ws://127.0.0.1:${appPort}/ws`,
      ONEBOT_WEBHOOK_URL: `http://127.0.0.1:${appPort}/webhook`,
      ONEBOT_RECONNECT_INTERVAL: "500",
    });
    await listening(port, demo, token);
    await body(app, port);
  } catch (error) {
    failure = error;
  }
  await demo?.[Symbol.asyncDispose]();
  await app[Symbol.asyncDispose]();
  if (failure !== undefined) {
    throw new Error(
      `${failure instanceof Error ? failure.message : failure}\n--- demo ---\n${
        demo?.log() ?? ""
      }\n--- aiohttp ---\n${app.log()}`,
      { cause: failure },
    );
  }
}

/** The whole exchange, over the reverse WebSocket and the webhook at once. */
async function exchange(app: Reporter, port: number, token: string): Promise<void> {
  // Reverse WebSocket: aiohttp accepted the handshake, with one User-Agent line.
  const open = await app.find((r) => r.kind === "ws_open", "the reverse WebSocket to open", WAIT);
  expect(open.user_agents).toEqual([`Deno/${Deno.version.deno}`]);
  expect(open.protocols).toBe("12.libob-demo");
  // meta.connect first, then status_update (WSR-06, META-C2, META-S1).
  await app.find(isFrame((frame) => frame.type === "meta"), "the first frame", WAIT);
  const frames = () => app.reports.filter((r) => r.kind === "ws_frame").map((r) => r.frame);
  expect(frames()[0]).toMatchObject({ type: "meta", detail_type: "connect" });
  const version = await app.find(
    isFrame((frame) => frame.echo === "aiohttp-get_version"),
    "the answer to get_version",
    WAIT,
  );
  expect(version.frame).toEqual({
    status: "ok",
    retcode: 0,
    data: { impl: "libob-demo", version: expect.any(String), onebot_version: "12" },
    message: "",
    echo: "aiohttp-get_version",
  });
  expect(frames()[1]).toMatchObject({ type: "meta", detail_type: "status_update" });

  // Webhook: one status_update at start (META-S2), with one User-Agent line.
  const first = await app.find((r) => r.kind === "webhook", "the first webhook post", WAIT);
  expect(first.event).toMatchObject({ type: "meta", detail_type: "status_update" });
  expect(first.user_agents).toHaveLength(1);
  expect(first.impl).toBe("libob-demo");

  // An event reaches both; the application answers on both.
  await callDemo(port, token, "demo.simulate_message", { ...CHAT, message: "ping" });
  await app.find(isFrame(isPing), "the message event over the reverse WebSocket", WAIT);
  await app.find(
    (r) => r.kind === "webhook" && isPing(r.event as Record<string, unknown>),
    "the message event on the webhook",
    WAIT,
  );
  const pong = await app.find(
    isFrame((frame) => frame.echo === "aiohttp-pong"),
    "the answer to send_message",
    WAIT,
  );
  expect(pong.frame).toMatchObject({ status: "ok", retcode: 0, echo: "aiohttp-pong" });
  // The webhook reply's action runs after the reply: poll the chat for it (bounded).
  let replies: string[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    const messages = await callDemo(port, token, "demo.get_messages", CHAT) as {
      user_id: string;
      alt_message: string;
    }[];
    replies = messages.filter((m) => m.user_id === "10000").map((m) => m.alt_message);
    if (replies.includes("pong (webhook)")) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(replies).toEqual(expect.arrayContaining(["pong (websocket)", "pong (webhook)"]));
  expect(app.reports.filter((r) => r.kind === "refused")).toEqual([]);
}

Deno.test({
  name:
    "aiohttp accepts the demo's reverse WebSocket and webhook with a token, and its actions are answered (WSR-01..06, WH-01..11, META-C2)" +
    SKIPPED,
  ignore,
  async fn() {
    await withApp("interop-token", (app, port) => exchange(app, port, "interop-token"));
  },
});

Deno.test({
  name:
    "aiohttp accepts the demo's reverse WebSocket and webhook without a token, and its actions are answered (WSR-01..06, WH-01..11, META-C2)" +
    SKIPPED,
  ignore,
  async fn() {
    await withApp("", (app, port) => exchange(app, port, ""));
  },
});
