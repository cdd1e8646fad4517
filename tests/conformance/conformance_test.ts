/**
 * The conformance checker against libob itself (every MUST/SHALL passes) and
 * against a deliberately broken test double (the matching checks fail).
 *
 * @module
 */

import { expect } from "expect";
import { createEvent, createOneBot, ok, type OneBot } from "../../mod.ts";
import {
  type CheckStatus,
  type ConformanceReport,
  isRequired,
  runConformance,
} from "../../conformance/mod.ts";

const TOKEN = "s3cret";
const self = { platform: "demo", user_id: "bot" };

/** The status of the check with this rule ID whose title contains `title`. */
function statusOf(report: ConformanceReport, id: string, title: string): CheckStatus | undefined {
  return report.checks.find((check) => check.id === id && check.title.includes(title))?.status;
}

function requiredFailures(report: ConformanceReport): string[] {
  return report.checks
    .filter((check) => check.status === "fail" && isRequired(check.level))
    .map((check) => `${check.id} ${check.title}: ${check.detail}`);
}

Deno.test("runConformance() passes every MUST/SHALL check against createOneBot() on every transport", async () => {
  let onebot: OneBot | undefined;
  // The OneBot needs the checker's receiver URLs, the checker needs the OneBot's URL:
  // serve first, create the OneBot in onListen.
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request, info) =>
      onebot === undefined
        ? Promise.resolve(new Response("starting", { status: 503 }))
        : onebot.fetch(request, info),
  );
  try {
    const report = await runConformance({
      url: `http://127.0.0.1:${server.addr.port}/`,
      token: TOKEN,
      webhookPort: 0,
      reversePort: 0,
      waitPush: 10,
      waitHeartbeat: 10,
      onListen({ webhookUrl, reverseUrl }) {
        onebot = createOneBot({
          impl: "libob-conformance",
          version: "1.0.0",
          accessToken: TOKEN,
          bots: [{ self, online: true }],
          handlers: {
            get_self_info: () => ok({ user_id: "bot", user_name: "Bot", user_displayname: "" }),
          },
          heartbeat: { interval: 100 },
          httpWebhook: [{ url: webhookUrl! }],
          websocketReverse: [{ url: reverseUrl!, reconnectInterval: 60_000 }],
        });
        onebot.emit(createEvent({
          type: "message",
          detail_type: "private",
          self,
          message_id: "m1",
          message: [{ type: "text", data: { text: "hi" } }],
          alt_message: "hi",
          user_id: "42",
        }));
      },
    });
    expect(requiredFailures(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.version).toEqual({
      impl: "libob-conformance",
      version: "1.0.0",
      onebot_version: "12",
    });
    // The checks that matter ran instead of being skipped.
    for (
      const [id, title] of [
        ["HTTP-03", "no fallback"],
        ["HTTP-04", "no credentials"],
        ["WS-03", "without credentials"],
        ["WS-10", "meta.connect"],
        ["WH-05", "X-Impl"],
        ["WH-06", "Authorization"],
        ["WH-10", "still answers"],
        ["META-S2", "status_update"],
        ["WSR-03", "Sec-WebSocket-Protocol"],
        ["WSR-06", "meta.connect"],
        ["WSR-01", "action request"],
        ["§3.1", "no meta events"],
        ["EV-01", "every event"],
        ["EVT-00", "standard events"],
        ["META-H1", "heartbeat"],
      ]
    ) {
      expect(`${id} ${statusOf(report, id!, title!)}`).toBe(`${id} pass`);
    }
  } finally {
    await onebot?.[Symbol.asyncDispose]();
    await server.shutdown();
  }
});

/**
 * A hand-written "implementation" that breaks rules on purpose: 403 instead
 * of 401, a wrong header falls back to the query, `"echo": null`, 400 on
 * malformed JSON, a WebSocket accepted without credentials that starts with
 * status_update instead of meta.connect.
 */
function brokenHandler(request: Request): Response | Promise<Response> {
  if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({
        id: "1",
        time: Date.now() / 1000,
        type: "meta",
        detail_type: "status_update",
        sub_type: "",
        status: { good: true, bots: [] },
      }));
    });
    socket.addEventListener("message", (message) => {
      let echo: unknown = null;
      try {
        echo = JSON.parse(String(message.data)).echo ?? null;
      } catch {
        socket.send(JSON.stringify({ status: "failed", retcode: 10001, data: null, message: "" }));
        return;
      }
      socket.send(JSON.stringify({ status: "ok", retcode: 0, data: null, message: "", echo }));
    });
    return response;
  }
  return answerHttp(request);
}

async function answerHttp(request: Request): Promise<Response> {
  const body = await request.text();
  const url = new URL(request.url);
  const header = request.headers.get("authorization");
  const authorized = header === `Bearer ${TOKEN}` ||
    url.searchParams.get("access_token") === TOKEN; // falls back to the query (HTTP-03)
  if (!authorized) return new Response("Forbidden", { status: 403 }); // not 401 (HTTP-04)
  let value: { action?: unknown; echo?: unknown };
  try {
    value = JSON.parse(body);
  } catch {
    return new Response("Bad Request", { status: 400 }); // not 200 + 10001 (HTTP-11)
  }
  const data: Record<string, unknown> = {
    get_version: { impl: "broken-double", version: "0", onebot_version: "12" },
    get_status: { good: true, bots: [] },
    get_supported_actions: ["get_version", "get_status", "get_supported_actions"],
  };
  const action = String(value.action);
  const response = action in data
    ? { status: "ok", retcode: 0, data: data[action], message: "" }
    : { status: "failed", retcode: 10002, data: null, message: "unknown action" };
  return Response.json({ ...response, echo: value.echo ?? null }); // "echo": null (§9.3)
}

Deno.test("runConformance() fails the matching checks of a broken implementation (HTTP-03, HTTP-04, HTTP-11, RESP-03, WS-03, WS-10, WH-05)", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, brokenHandler);
  try {
    const report = await runConformance({
      url: `http://127.0.0.1:${server.addr.port}/`,
      token: TOKEN,
      timeout: 2000,
      webhookPort: 0,
      waitPush: 5,
      async onListen({ webhookUrl }) {
        // A webhook POST without X-Impl (WH-05).
        const response = await fetch(webhookUrl!, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "User-Agent": "OneBot/12 broken/0",
            "X-OneBot-Version": "12",
            Authorization: `Bearer ${TOKEN}`,
          },
          body: JSON.stringify({
            id: "2",
            time: Date.now() / 1000,
            type: "meta",
            detail_type: "status_update",
            sub_type: "",
            status: { good: true, bots: [] },
          }),
        });
        await response.body?.cancel();
      },
    });
    expect(report.ok).toBe(false);
    expect(statusOf(report, "HTTP-04", "no credentials")).toBe("fail");
    expect(statusOf(report, "HTTP-03", "no fallback")).toBe("fail");
    expect(statusOf(report, "HTTP-11", "malformed JSON")).toBe("fail");
    expect(statusOf(report, "RESP-03", '"echo": null')).toBe("fail");
    expect(statusOf(report, "WS-03", "without credentials")).toBe("fail");
    expect(statusOf(report, "WS-10", "meta.connect")).toBe("fail");
    expect(statusOf(report, "WH-05", "X-Impl")).toBe("fail");
    // What the double does right still passes.
    expect(statusOf(report, "WH-04", "X-OneBot-Version")).toBe("pass");
    expect(statusOf(report, "HTTP-03", "`Bearer <token>` gets 200")).toBe("pass");
    expect(report.checks.find((check) => check.id === "HTTP-04")?.detail).toContain("403");
  } finally {
    await server.shutdown();
  }
});

Deno.test("runConformance() reports an unreachable implementation as failures, not a crash", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  const report = await runConformance({ url: `http://127.0.0.1:${port}/`, timeout: 2000 });
  expect(report.ok).toBe(false);
  expect(statusOf(report, "HTTP-01", "POST /")).toBe("fail");
  expect(statusOf(report, "HTTP-05", "application/json")).toBe("skip");
  expect(statusOf(report, "WS-01", "upgrade on /")).toBe("fail");
  expect(report.version).toBe(null);
});
