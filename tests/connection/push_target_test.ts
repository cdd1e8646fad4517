/**
 * What both push targets share: one `User-Agent` line on the wire (read as
 * raw bytes on a loopback TCP server), and refusals that a log line explains.
 */

import { expect } from "expect";
import { createActionRouter } from "../../action/router.ts";
import { connectReverseWebSocket } from "../../connection/websocket_reverse.ts";
import { createWebhookEmitter } from "../../connection/webhook.ts";
import {
  checkPushTarget,
  handshakeStatus,
  REASON_LIMIT,
  refusalReason,
  USER_AGENT,
} from "../../connection/_push_target.ts";
import { createEvent } from "../../event/create.ts";
import { LIBOB_VERSION } from "../../version.ts";
import { freePort, serveApp, within } from "../_loopback.ts";
import { captureLogs } from "../_logs.ts";

const SELF = { platform: "test", user_id: "bot" };
const router = createActionRouter({ handlers: {}, bots: () => [SELF] });
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The most of a request head read; a head that is longer fails the test. */
const HEAD_LIMIT = 16 * 1024;

/**
 * A raw TCP server on loopback: every connection's request head (up to the
 * blank line) is recorded as text, then `answer` is written and the
 * connection closed.
 */
function rawServer(answer: string | Uint8Array) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const heads: string[] = [];
  const waiters: (() => void)[] = [];
  const conns = new Set<Deno.Conn>();
  async function serveOne(conn: Deno.Conn): Promise<void> {
    conns.add(conn);
    try {
      let head = "";
      const buffer = new Uint8Array(4096);
      while (!head.includes("\r\n\r\n") && head.length < HEAD_LIMIT) {
        const n = await conn.read(buffer);
        if (n === null) break;
        head += decoder.decode(buffer.subarray(0, n));
      }
      const end = head.indexOf("\r\n\r\n");
      heads.push(head.slice(0, end + 2));
      for (const wake of waiters.splice(0)) wake();
      // Read the whole body first: closing with unread bytes would reset the connection.
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      let body = encoder.encode(head).byteLength - (end + 4);
      while (body < length && body < HEAD_LIMIT) {
        const n = await conn.read(buffer);
        if (n === null) break;
        body += n;
      }
      await conn.write(typeof answer === "string" ? encoder.encode(answer) : answer);
    } catch {
      // The client went away first.
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch {
        // closed already
      }
    }
  }
  const served: Promise<void>[] = [];
  const accepting = (async () => {
    try {
      for await (const conn of listener) served.push(serveOne(conn));
    } catch {
      // the listener was closed
    }
  })();
  const { port } = listener.addr as Deno.NetAddr;
  return {
    port,
    heads,
    /** Resolves once a request head has arrived. */
    async firstHead(): Promise<string> {
      if (heads.length === 0) {
        await within(new Promise<void>((resolve) => waiters.push(resolve)), "a request head");
      }
      return heads[0]!;
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
      for (const conn of conns) conn.close();
      await Promise.all(served);
    },
  };
}

/** The values of the `User-Agent` lines of a raw request head, any spelling. */
function userAgentLines(head: string): string[] {
  return head.split("\r\n")
    .filter((line) => /^user-agent\s*:/i.test(line))
    .map((line) => line.slice(line.indexOf(":") + 1).trim());
}

function response(status: string, body: string, type = "text/plain; charset=utf-8"): string {
  return `HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\nContent-Length: ${
    encoder.encode(body).byteLength
  }\r\nConnection: close\r\n\r\n${body}`;
}

function notice(): ReturnType<typeof createEvent> {
  return createEvent({ type: "notice", detail_type: "friend_increase", self: SELF, user_id: "u" });
}

Deno.test("connectReverseWebSocket() sends exactly one User-Agent line, Deno's own (WSR-02)", async () => {
  await using server = rawServer(response("400 Bad Request", "no"));
  const sink = connectReverseWebSocket(router, {
    url: `ws://127.0.0.1:${server.port}/onebot`,
    impl: "demo",
    accessToken: "s3cret",
    reconnectInterval: 60_000,
  });
  try {
    const head = await server.firstHead();
    expect(head).toMatch(/^GET \/onebot HTTP\/1\.1\r\n/);
    expect(userAgentLines(head)).toEqual([`Deno/${Deno.version.deno}`]);
    expect(head).toMatch(/\r\nauthorization: Bearer s3cret\r\n/i);
  } finally {
    await sink[Symbol.asyncDispose]();
  }
});

Deno.test("connectReverseWebSocket() refuses a userAgent option: it would be a second line (WSR-02)", () => {
  const options = { url: "ws://127.0.0.1:1/", impl: "demo", userAgent: "x/1" };
  expect(() => connectReverseWebSocket(router, options)).toThrow(
    "Cannot connect reverse WebSocket: userAgent is not supported",
  );
});

for (
  const [label, userAgent, expected] of [
    ["the default", undefined, `OneBot/12 libob/${LIBOB_VERSION}`],
    ["a configured", "OneBot/12 (demo) Custom/2.0", "OneBot/12 (demo) Custom/2.0"],
  ] as const
) {
  Deno.test(`createWebhookEmitter() sends exactly one User-Agent line, ${label} one (WH-03)`, async () => {
    await using server = rawServer("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    {
      await using webhook = createWebhookEmitter(router, {
        url: `http://127.0.0.1:${server.port}/hook`,
        impl: "demo",
        ...(userAgent === undefined ? {} : { userAgent }),
      });
      webhook.emit(notice());
    }
    expect(userAgentLines(await server.firstHead())).toEqual([expected]);
  });
}

Deno.test("USER_AGENT is OneBot/12 libob/<version>", () => {
  expect(USER_AGENT).toBe(`OneBot/12 libob/${LIBOB_VERSION}`);
});

Deno.test("createWebhookEmitter() logs a refusal with the URL without its token, the status and the peer's short reason (WH-13)", async () => {
  using logs = captureLogs();
  await using server = rawServer(
    response("400 Bad Request", "400: Duplicate 'User-Agent' header found\r\n"),
  );
  {
    await using webhook = createWebhookEmitter(router, {
      url: `http://127.0.0.1:${server.port}/hook?x=1`,
      impl: "demo",
      accessToken: "s3cret",
      tokenInQuery: true,
    });
    webhook.emit(notice());
  }
  const line = await logs.logged("answered");
  expect(line).toContain(`http://127.0.0.1:${server.port}/hook?x=1&access_token=[REDACTED]`);
  expect(line).toContain("answered 400 for event");
  expect(line).toMatch(/: 400: Duplicate 'User-Agent' header found$/);
  expect(logs.lines().join("\n")).not.toContain("s3cret");
});

Deno.test("createWebhookEmitter() logs a refusal without a reason when the body is long or not text (WH-13)", async () => {
  const notUtf8 = new Uint8Array([
    ...encoder.encode(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\nConnection: close\r\n\r\n",
    ),
    0xff,
    0xfe,
  ]);
  for (
    const answer of [
      response("503 Service Unavailable", "x".repeat(REASON_LIMIT + 1)),
      response("503 Service Unavailable", ""),
      notUtf8,
    ]
  ) {
    using logs = captureLogs();
    await using server = rawServer(answer);
    {
      await using webhook = createWebhookEmitter(router, {
        url: `http://127.0.0.1:${server.port}/`,
        impl: "demo",
      });
      webhook.emit(notice());
    }
    const line = await logs.logged("answered");
    expect(line).toMatch(/answered 503 for event [0-9a-f-]+$/);
  }
});

Deno.test("connectReverseWebSocket() logs a refused handshake with the URL, its token redacted, and the HTTP status", async () => {
  using logs = captureLogs();
  await using server = rawServer(response("401 Unauthorized", "bad token"));
  const sink = connectReverseWebSocket(router, {
    url: `ws://127.0.0.1:${server.port}/ws`,
    impl: "demo",
    accessToken: "s3cret",
    tokenInQuery: true,
    reconnectInterval: 60_000,
  });
  try {
    const line = await logs.logged("refused the handshake");
    expect(line).toBe(
      `warning Reverse WebSocket ws://127.0.0.1:${server.port}/ws?access_token=[REDACTED] ` +
        "refused the handshake with HTTP 401; retrying in 60000 ms",
    );
  } finally {
    await sink[Symbol.asyncDispose]();
  }
  expect(logs.lines().join("\n")).not.toContain("s3cret");
});

Deno.test("connectReverseWebSocket() logs why an attempt failed when nothing listens", async () => {
  using logs = captureLogs();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  const sink = connectReverseWebSocket(router, {
    url: `ws://127.0.0.1:${port}/`,
    impl: "demo",
    reconnectInterval: 60_000,
  });
  try {
    const line = await logs.logged("cannot connect");
    expect(line).toMatch(
      new RegExp(
        `^warning Reverse WebSocket ws://127\\.0\\.0\\.1:${port}/: cannot connect: .+; retrying in 60000 ms$`,
      ),
    );
  } finally {
    await sink[Symbol.asyncDispose]();
  }
});

Deno.test("refusalReason() reads short UTF-8 text only, folding white space", async () => {
  expect(await refusalReason(new Response(" a\r\n\tb  c \n"))).toBe("a b c");
  expect(await refusalReason(new Response("é".repeat(REASON_LIMIT / 2)))).toBe(
    "é".repeat(REASON_LIMIT / 2),
  );
  expect(await refusalReason(new Response("x".repeat(REASON_LIMIT + 1)))).toBe(undefined);
  expect(await refusalReason(new Response(new Uint8Array([0xff, 0xfe])))).toBe(undefined);
  expect(await refusalReason(new Response(null, { status: 500 }))).toBe(undefined);
  expect(await refusalReason(new Response(" \n "))).toBe(undefined);
});

Deno.test("handshakeStatus() reads the status from Deno's WebSocket error message", () => {
  expect(handshakeStatus("NetworkError: failed to connect to WebSocket: Invalid status code: 400"))
    .toBe(400);
  expect(handshakeStatus("NetworkError: failed to connect to WebSocket: Connection refused"))
    .toBe(undefined);
  expect(handshakeStatus("")).toBe(undefined);
});

Deno.test("connectReverseWebSocket() logs a dead application once, not once per attempt, and one line when it connects", async () => {
  using logs = captureLogs();
  const port = freePort();
  const url = `ws://127.0.0.1:${port}/`;
  const sink = connectReverseWebSocket(router, { url, impl: "demo", reconnectInterval: 5 });
  try {
    // Deno logs each failed attempt's error event (debug): wait for a few attempts.
    await within(
      (async () => {
        while (logs.find("debug", "WebSocket error on").length < 5) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })(),
      "five failed attempts",
    );
    await using app = serveApp({ port });
    await app.accept();
    const line = await logs.logged("failed attempt(s)"); // once the connection stayed up
    expect(line).toMatch(
      new RegExp(`^info Reverse WebSocket connected to ${url}, after \\d+ failed attempt\\(s\\)$`),
    );
    const failures = Number(/after (\d+) failed/.exec(line)![1]);
    expect(failures).toBeGreaterThanOrEqual(5);
    // One line for the outage (two if a minute passed on a loaded machine), not one per attempt.
    const warnings = logs.find("warning", "cannot connect");
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(2);
  } finally {
    await sink[Symbol.asyncDispose]();
  }
});

Deno.test("checkPushTarget() places the token in a header or the query and names the target without it (WH-06, WSR-04)", () => {
  const url = "http://user:pw@127.0.0.1:1/hook?x=1#f";
  const header = checkPushTarget("test", { url, accessToken: "s3cret" }, ["http:", "https:"]);
  expect(header).toEqual({
    url,
    authorization: "Bearer s3cret",
    shown: "http://user:%5BREDACTED%5D@127.0.0.1:1/hook?x=1#f",
    peer: "http://127.0.0.1:1/hook",
  });
  const query = checkPushTarget("test", { url, accessToken: "s3cret", tokenInQuery: true }, [
    "http:",
    "https:",
  ]);
  expect(query.url).toBe("http://user:pw@127.0.0.1:1/hook?x=1&access_token=s3cret#f");
  expect(query.authorization).toBeUndefined();
  expect(query.shown).toBe(
    "http://user:%5BREDACTED%5D@127.0.0.1:1/hook?x=1&access_token=[REDACTED]#f",
  );
  expect(checkPushTarget("test", { url }, ["http:", "https:"]).authorization).toBeUndefined();
  expect(() => checkPushTarget("test", { url: "ws://x/?access_token=t" }, ["http:", "https:"]))
    .toThrow(
      "Cannot test: url must be a http: or https: URL: current value is ws://x/?access_token=[REDACTED]",
    );
  expect(() => checkPushTarget("test", { url: "not a url" }, ["ws:", "wss:"])).toThrow(TypeError);
  expect(() => checkPushTarget("test", { url, accessToken: " t" }, ["http:", "https:"]))
    .toThrow(TypeError);
});
