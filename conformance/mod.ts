/**
 * A black-box OneBot 12 conformance checker: a fake application that tests
 * any OneBot 12 implementation (libob's or another's) against the rules of
 * the OneBot 12 checklist, each result citing its rule ID and level.
 *
 * From the command line (exit status 1 when a MUST/SHALL check fails):
 *
 * ```sh
 * deno run -A jsr:@libob/libob/conformance/cli http://127.0.0.1:8080/ --token s3cret \
 *   --webhook-port 9000 --reverse-port 9001 --wait-push 30
 * ```
 *
 * The command line lives in `conformance/cli.ts` (console output and exit
 * status); this module only exports functions.
 *
 * It checks HTTP (auth matrix, encodings, status codes, retcodes, echo, the
 * meta actions, `get_latest_events`), the forward WebSocket (auth before the
 * upgrade, `meta.connect` first, frame types, bad frames, concurrency), and,
 * when their ports are given, the HTTP Webhook and the reverse WebSocket
 * (headers, subprotocol, greeting) through loopback receivers that the
 * implementation is configured to reach. Every event seen is shape-checked.
 *
 * Calling every action listed by `get_supported_actions` with `{}` params
 * (META-01) is harmless for standard actions (10003 expected) but may run an
 * extended action that takes no params: turn it off with
 * `callListedActions: false` (`--no-call-actions`) on a production bot.
 * `get_latest_events` consumes the events it returns.
 *
 * @example Checking an implementation served on a loopback port
 * ```ts
 * import { createOneBot, ok } from "@libob/libob";
 * import { formatReport, runConformance } from "@libob/libob/conformance";
 *
 * await using onebot = createOneBot({
 *   impl: "my-impl",
 *   version: "1.0.0",
 *   bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
 *   handlers: {
 *     get_self_info: () => ok({ user_id: "bot", user_name: "Bot", user_displayname: "" }),
 *   },
 * });
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, onebot.fetch);
 * const report = await runConformance({ url: `http://127.0.0.1:${server.addr.port}/` });
 * console.log(formatReport(report));
 * if (!report.ok) throw new Error("a MUST/SHALL check failed");
 * ```
 *
 * Rule IDs in this documentation (HTTP-14, META-C2…) name the rules of the
 * OneBot 12 standard; `docs/rules.md` in this package lists each with its
 * words and a link to its page at https://12.onebot.dev/.
 *
 * @module
 */

import { connect, delay } from "./_client.ts";
import { checkCollected } from "./_checks_collected.ts";
import { checkHttp } from "./_checks_http.ts";
import {
  checkReverse,
  checkWebhook,
  type Receivers,
  waitForPush,
  WEBHOOK_REPLY,
} from "./_checks_push.ts";
import { checkWebSocket } from "./_checks_websocket.ts";
import type { Context } from "./_context.ts";
import { startReverseReceiver, startWebhookReceiver } from "./_receivers.ts";
import { type ConformanceReport, createReport } from "./report.ts";

export {
  type CheckLevel,
  type CheckResult,
  type CheckStatus,
  type ConformanceReport,
  createReport,
  formatReport,
  isRequired,
} from "./report.ts";

/**
 * Where the checker's receivers listen, given to
 * {@linkcode ConformanceOptions.onListen}.
 *
 * @example
 * ```ts
 * import type { PushEndpoints } from "@libob/libob/conformance";
 *
 * const endpoints: PushEndpoints = {
 *   webhookUrl: "http://127.0.0.1:9000/",
 *   reverseUrl: undefined,
 * };
 * ```
 */
export interface PushEndpoints {
  /** The URL to configure as the implementation's `http_webhook` `url`. */
  webhookUrl: string | undefined;
  /** The URL to configure as the implementation's `websocket_rev` `url`. */
  reverseUrl: string | undefined;
}

/**
 * Options of {@linkcode runConformance}.
 *
 * @example
 * ```ts
 * import type { ConformanceOptions } from "@libob/libob/conformance";
 *
 * const options: ConformanceOptions = {
 *   url: "http://127.0.0.1:8080/",
 *   token: "s3cret",
 *   webhookPort: 9000,
 *   reversePort: 9001,
 *   waitPush: 30,
 * };
 * ```
 */
export interface ConformanceOptions {
  /**
   * The implementation: its HTTP URL (`http:`/`https:`; the forward
   * WebSocket is the same URL with `ws:`/`wss:`), or its forward WebSocket
   * URL (`ws:`/`wss:`; HTTP is then not checked).
   */
  url: string;
  /** The access token configured in the implementation; without it the auth checks are skipped. */
  token?: string;
  /** The longest wait of each check, in ms. Default 5000. */
  timeout?: number;
  /** Check HTTP (when `url` is an HTTP URL). Default `true`. */
  http?: boolean;
  /** Check the forward WebSocket. Default `true`. */
  websocket?: boolean;
  /** The forward WebSocket URL, when it is not `url` with a `ws:` scheme. */
  websocketUrl?: string;
  /** Receive the HTTP Webhook on `http://127.0.0.1:<port>/` (`0`: any free port). */
  webhookPort?: number;
  /** Accept the reverse WebSocket on `ws://127.0.0.1:<port>/` (`0`: any free port). */
  reversePort?: number;
  /**
   * Seconds to wait, from the start of the run, for the implementation to be
   * reachable and for the push methods to deliver their greeting. Default 30.
   */
  waitPush?: number;
  /** Seconds to wait for a heartbeat on the forward WebSocket. Default 0. */
  waitHeartbeat?: number;
  /** Call every action `get_supported_actions` lists with `{}` (META-01). Default `true`. */
  callListedActions?: boolean;
  /**
   * Called once the receivers listen (only when a push port is given),
   * before any check: configure or start the implementation here. It is
   * awaited.
   */
  onListen?: (endpoints: PushEndpoints) => void | Promise<void>;
}

const WHERE = "Cannot run conformance";

function checkNumber(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(
      `${WHERE}: ${name} must be a number in [${min}, ${max}]: current value is ${value}`,
    );
  }
}

function parseTarget(options: ConformanceOptions): { http?: URL; ws?: URL } {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError(`${WHERE}: url must be a valid URL: current value is ${options.url}`);
  }
  let http: URL | undefined;
  let ws: URL | undefined;
  if (url.protocol === "http:" || url.protocol === "https:") {
    http = url;
    ws = new URL(url);
    ws.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  } else if (url.protocol === "ws:" || url.protocol === "wss:") {
    ws = url;
  } else {
    throw new TypeError(
      `${WHERE}: url must be an http:, https:, ws: or wss: URL: current value is ${options.url}`,
    );
  }
  if (options.websocketUrl !== undefined) {
    try {
      ws = new URL(options.websocketUrl);
    } catch {
      ws = undefined;
    }
    if (ws === undefined || (ws.protocol !== "ws:" && ws.protocol !== "wss:")) {
      throw new TypeError(
        `${WHERE}: websocketUrl must be a ws: or wss: URL: current value is ${options.websocketUrl}`,
      );
    }
  }
  return {
    ...(http !== undefined && options.http !== false ? { http } : {}),
    ...(ws !== undefined && options.websocket !== false ? { ws } : {}),
  };
}

/** Waits until a TCP connection to `url` opens, or `deadline` (a `Date.now()` value) passes. */
async function waitReachable(url: URL, deadline: number): Promise<void> {
  while (true) {
    try {
      const conn = await connect(url, Math.max(1, deadline - Date.now()));
      conn.close();
      return;
    } catch {
      if (Date.now() + 250 >= deadline) return;
      await delay(250);
    }
  }
}

/**
 * Runs every check against a running implementation and returns the report.
 * It never throws because of what the implementation does: a check that
 * throws or times out is recorded as a failure. Every socket, server and
 * timer it opens is closed before it returns.
 *
 * @param options The implementation's URL, its token, the push ports and timeouts.
 * @returns The report: plain data, `ok` when no MUST/SHALL check failed.
 * @throws {TypeError} When `url` or `websocketUrl` is not a supported URL.
 * @throws {RangeError} When a timeout, wait or port is out of range.
 *
 * @example Options are checked before anything is opened
 * ```ts
 * import { runConformance } from "@libob/libob/conformance";
 * import { expect } from "expect";
 *
 * await expect(runConformance({ url: "ftp://127.0.0.1/" })).rejects.toThrow(TypeError);
 * await expect(runConformance({ url: "http://127.0.0.1/", timeout: 0 })).rejects.toThrow(
 *   RangeError,
 * );
 * ```
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const target = parseTarget(options);
  const { token = "", timeout = 5000, waitPush = 30, waitHeartbeat = 0 } = options;
  if (typeof token !== "string") throw new TypeError(`${WHERE}: token must be a string`);
  checkNumber("timeout", timeout, 1, 600_000);
  checkNumber("waitPush", waitPush, 0, 86_400);
  checkNumber("waitHeartbeat", waitHeartbeat, 0, 86_400);
  checkNumber("webhookPort", options.webhookPort, 0, 65_535);
  checkNumber("reversePort", options.reversePort, 0, 65_535);
  const ctx: Context = {
    http: target.http,
    ws: target.ws,
    token,
    timeout,
    callListedActions: options.callListedActions ?? true,
    heartbeatWait: waitHeartbeat * 1000,
    results: [],
    version: undefined,
    bots: undefined,
    responses: [],
    events: [],
  };
  const started = Date.now();
  const deadline = started + waitPush * 1000;
  const receivers: Receivers = { webhook: undefined, reverse: undefined };
  try {
    if (options.webhookPort !== undefined) {
      receivers.webhook = startWebhookReceiver(options.webhookPort, WEBHOOK_REPLY);
    }
    if (options.reversePort !== undefined) {
      receivers.reverse = startReverseReceiver(options.reversePort, timeout);
    }
    const pushing = receivers.webhook !== undefined || receivers.reverse !== undefined;
    if (pushing) {
      await options.onListen?.({
        webhookUrl: receivers.webhook?.url,
        reverseUrl: receivers.reverse?.url,
      });
      const reach = ctx.http ?? ctx.ws;
      if (reach !== undefined) await waitReachable(reach, deadline);
    }

    if (ctx.http !== undefined) {
      await checkHttp(ctx);
    } else {
      ctx.results.push({
        id: "HTTP-01",
        level: "SHALL",
        title: "POST / with an action request gets 200 and an action response",
        status: "skip",
        detail: options.http === false ? "disabled (--no-http)" : "the URL is a WebSocket URL",
      });
    }
    if (ctx.ws !== undefined) {
      await checkWebSocket(ctx);
    } else {
      ctx.results.push({
        id: "WS-01",
        level: "SHALL",
        title: "the WebSocket upgrade on / is accepted",
        status: "skip",
        detail: "disabled (--no-ws)",
      });
    }

    await waitForPush(receivers, deadline);
    const waited = waitPush;
    if (receivers.webhook !== undefined) {
      await checkWebhook(ctx, receivers.webhook, waited);
    } else {
      ctx.results.push({
        id: "WH-01",
        level: "SHALL",
        title: "the implementation POSTs events to the webhook URL",
        status: "skip",
        detail: "not checked (give --webhook-port)",
      });
    }
    if (receivers.reverse !== undefined) {
      await checkReverse(ctx, receivers.reverse, waited);
    } else {
      ctx.results.push({
        id: "WSR-01",
        level: "SHALL",
        title: "the implementation connects to the reverse WebSocket URL",
        status: "skip",
        detail: "not checked (give --reverse-port)",
      });
    }
    await checkCollected(ctx);
  } finally {
    await receivers.webhook?.[Symbol.asyncDispose]();
    await receivers.reverse?.[Symbol.asyncDispose]();
  }
  return createReport(options.url, ctx.version ?? null, ctx.results);
}
