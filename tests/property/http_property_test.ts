// Property tests over the HTTP surface: whatever arrives, the answer is spec-shaped
// (a status code from the HTTP rules, or 200 with a well-formed envelope), never a
// 5xx, a thrown error or a polluted prototype. Run counts: tests/property/_envelope.ts.
import { expect } from "expect";
import fc from "fast-check";
import { createOneBot, decodeMsgpack, encodeMsgpack, failed, ok } from "../../mod.ts";
import {
  expectEnvelope,
  expectPrototypesClean,
  type FuzzActions,
  hostileValue,
  params,
} from "./_envelope.ts";

const self = { platform: "fuzz", user_id: "bot" };

function onebot() {
  return createOneBot<FuzzActions>({
    impl: "fuzz",
    version: "1.0.0",
    bots: [{ self, online: true }],
    accessToken: "t",
    heartbeat: false,
    websocket: false,
    handlers: {
      ping: () => ok("pong"),
      throws: () => {
        throw new Error("boom");
      },
      fails: () => failed(35001),
      echoParams: (p) => ok(p),
      send_message: () => ok({ message_id: "1", time: 1 }),
      upload_file: () => ok({ file_id: "f" }),
    },
  });
}

async function call(
  handler: (request: Request) => Promise<Response>,
  body: BodyInit,
  type: string,
): Promise<Response> {
  return await handler(
    new Request("http://127.0.0.1/", {
      method: "POST",
      headers: { "Content-Type": type, Authorization: "Bearer t" },
      body,
    }),
  );
}

async function decoded(response: Response, type: string): Promise<unknown> {
  const bytes = await response.bytes();
  return type.includes("msgpack")
    ? decodeMsgpack(bytes)
    : JSON.parse(new TextDecoder().decode(bytes));
}

const TYPES = [
  "application/json",
  "application/msgpack",
  "text/plain",
  "application/x-www-form-urlencoded",
];

Deno.test("HTTP answers random bytes with 200 + envelope or 415, never 5xx (HTTP-07, HTTP-11)", async () => {
  await using bot = onebot();
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 512 }),
      fc.constantFrom(...TYPES),
      async (bytes, type) => {
        const response = await call(bot.fetch, bytes, type);
        if (type.startsWith("application/json") || type.startsWith("application/msgpack")) {
          expect(response.status).toBe(200);
          expectEnvelope(await decoded(response, type));
        } else {
          expect(response.status).toBe(415);
          await response.body?.cancel();
        }
      },
    ),
    params(),
  );
  expectPrototypesClean();
});

function isRequestShaped(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.action === "string" && typeof v.params === "object" && v.params !== null &&
    !Array.isArray(v.params);
}

Deno.test("HTTP answers any JSON or MessagePack value with a well-formed envelope (REQ-01, RESP-01)", async () => {
  await using bot = onebot();
  await fc.assert(
    fc.asyncProperty(hostileValue, fc.boolean(), async (value, msgpack) => {
      const type = msgpack ? "application/msgpack" : "application/json";
      const body = msgpack ? encodeMsgpack(value) : JSON.stringify(value);
      const response = await call(bot.fetch, body, type);
      expect(response.status).toBe(200);
      const answer = await decoded(response, type);
      expectEnvelope(answer);
      if (!isRequestShaped(value)) expect(answer.retcode).toBe(10001);
    }),
    params(),
  );
  expectPrototypesClean();
});

const ACTIONS = [
  "ping",
  "throws",
  "fails",
  "echoParams",
  "send_message",
  "upload_file",
  "get_latest_events",
  "get_status",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "",
];

const requestShaped = fc.record(
  {
    action: fc.oneof(fc.constantFrom(...ACTIONS), fc.string()),
    params: fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom("__proto__", "constructor", "message", "detail_type", "user_id", "limit"),
      ),
      hostileValue,
      { maxKeys: 6 },
    ),
    echo: fc.oneof(fc.string(), hostileValue),
    self: fc.oneof(fc.constant(self), hostileValue),
  },
  { requiredKeys: ["action", "params"] },
);

Deno.test("HTTP answers request-shaped input with the right retcode family and its echo (RESP-03)", async () => {
  await using bot = onebot();
  await fc.assert(
    fc.asyncProperty(requestShaped, fc.boolean(), async (request, msgpack) => {
      const type = msgpack ? "application/msgpack" : "application/json";
      const body = msgpack ? encodeMsgpack(request) : JSON.stringify(request);
      const response = await call(bot.fetch, body, type);
      expect(response.status).toBe(200);
      const answer = await decoded(response, type);
      expectEnvelope(answer);
      if ("echo" in answer) expect(answer.echo).toBe(request.echo);
      // @msgpack/msgpack refuses `__proto__` keys outright, so no echo can be read back then.
      else if (typeof request.echo === "string") expect(answer.retcode).toBe(10001);
      // Only the handler that throws may produce 20002; no handler here returns a bad result.
      if (answer.retcode === 20002) expect(request.action).toBe("throws");
      expect(answer.retcode).not.toBe(20001);
      expect(JSON.stringify(answer)).not.toContain("    at ");
    }),
    params(),
  );
  expectPrototypesClean();
});

Deno.test("HTTP survives deep nesting, huge strings and MessagePack extension types", async () => {
  await using bot = onebot();
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const deepObject = '{"action":"ping","params":' + '{"a":'.repeat(50_000) + "1" +
    "}".repeat(50_000) + "}";
  const huge = JSON.stringify({ action: "echoParams", params: { s: "x".repeat(4 << 20) } });
  const deepSegment = '{"action":"send_message","params":{"detail_type":"private","user_id":"1",' +
    '"message":[{"type":"text","data":{"text":"x","deep":' + "[".repeat(50_000) +
    "]".repeat(50_000) + "}}]}}";
  for (const body of [deep, deepObject, huge, deepSegment]) {
    const response = await call(bot.fetch, body, "application/json");
    expect(response.status).toBe(200);
    expectEnvelope(await decoded(response, "application/json"));
  }
  // fixext1 with an application type, a 64-bit unsigned integer, a timestamp extension.
  const extension = new Uint8Array([
    0x82,
    0xa6,
    ...new TextEncoder().encode("action"),
    0xd4,
    0x05,
    0x01,
    0xa6,
    ...new TextEncoder().encode("params"),
    0x80,
  ]);
  const uint64 = new Uint8Array([
    0x82,
    0xa6,
    ...new TextEncoder().encode("action"),
    0xa4,
    ...new TextEncoder().encode("ping"),
    0xa6,
    ...new TextEncoder().encode("params"),
    0x81,
    0xa1,
    0x6e,
    0xcf,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
  ]);
  const timestamp = new Uint8Array([0xd6, 0xff, 0, 0, 0, 1]);
  const deepMsgpack = new Uint8Array(100_001).fill(0x91); // fixarray(1) nested 100,000 times
  deepMsgpack[100_000] = 0xc0;
  for (const body of [extension, uint64, timestamp, deepMsgpack]) {
    const response = await call(bot.fetch, body, "application/msgpack");
    expect(response.status).toBe(200);
    expectEnvelope(await decoded(response, "application/msgpack"));
  }
  expectPrototypesClean();
});
