// Property tests over one real forward WebSocket: whatever frame arrives (random text,
// random bytes, arbitrary JSON or MessagePack values, request-shaped values, oversized
// frames), it gets exactly one well-formed response in its own frame type, and the socket
// stays open (WS-06..09, RESP-01..03). Run counts and seed: tests/property/_envelope.ts.
import { expect } from "expect";
import fc from "fast-check";
import { createOneBot, encodeMsgpack, failed, ok } from "../../mod.ts";
import { openClient, serve } from "../_loopback.ts";
import {
  expectEnvelope,
  expectPrototypesClean,
  type FuzzActions,
  hostileValue,
  params,
} from "./_envelope.ts";

const self = { platform: "fuzz", user_id: "bot" };
const MAX_FRAME_SIZE = 4096;

function onebot() {
  return createOneBot<FuzzActions>({
    impl: "fuzz",
    version: "1.0.0",
    bots: [{ self, online: true }],
    heartbeat: false,
    http: false,
    websocket: { maxFrameSize: MAX_FRAME_SIZE },
    handlers: {
      ping: () => ok("pong"),
      throws: () => {
        throw new Error("boom");
      },
      fails: () => failed(35001),
      echoParams: (p) => ok(p),
      slow: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return ok("late");
      },
      send_message: () => ok({ message_id: "1", time: 1 }),
    },
  });
}

const ACTIONS = [
  "ping",
  "throws",
  "fails",
  "echoParams",
  "slow",
  "send_message",
  "get_latest_events",
  "get_status",
  "get_supported_actions",
  "__proto__",
  "constructor",
  "toString",
  "",
];

const requestShaped = fc.record(
  {
    action: fc.oneof(fc.constantFrom(...ACTIONS), fc.string()),
    params: fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "message", "user_id")),
      hostileValue,
      { maxKeys: 5 },
    ),
    echo: fc.oneof(fc.string(), hostileValue),
    self: fc.oneof(fc.constant(self), hostileValue),
  },
  { requiredKeys: ["action", "params"] },
);

/** One frame to send, and what is known of it. */
interface Sent {
  kind: "text" | "binary";
  data: string | Uint8Array<ArrayBuffer>;
  /** The request, when the frame is a request-shaped value. */
  request?: Record<string, unknown>;
  /** Whether the frame can be decoded at all (`false`: the answer must be 10001). */
  decodable?: boolean;
}

function text(value: unknown, request?: Record<string, unknown>): Sent {
  return {
    kind: "text",
    data: JSON.stringify(value),
    decodable: true,
    ...(request && { request }),
  };
}

function binary(value: unknown, request?: Record<string, unknown>): Sent {
  return {
    kind: "binary",
    data: encodeMsgpack(value),
    decodable: true,
    ...(request && { request }),
  };
}

const frames: fc.Arbitrary<Sent> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }).map((data): Sent => ({ kind: "text", data })),
  fc.uint8Array({ maxLength: 200 }).map((data): Sent => ({
    kind: "binary",
    data: new Uint8Array(data),
  })),
  fc.jsonValue().map((value) => text(value)),
  hostileValue.map((value) => text(value)),
  hostileValue.map((value) => binary(value)),
  requestShaped.map((request) => text(request, request)),
  requestShaped.map((request) => binary(request, request)),
  // Over maxFrameSize, counted in UTF-8 bytes: 3000 two-byte characters are 6000 bytes.
  fc.constantFrom(
    { kind: "text", data: "é".repeat(3000), decodable: false } satisfies Sent,
    { kind: "text", data: " ".repeat(MAX_FRAME_SIZE + 1), decodable: false } satisfies Sent,
    {
      kind: "binary",
      data: new Uint8Array(MAX_FRAME_SIZE + 1),
      decodable: false,
    } satisfies Sent,
  ),
);

Deno.test("createOneBot() forward WebSocket answers every random frame exactly once, in its own frame type, and never closes (WS-06..09, RESP-01..03)", async () => {
  await using bot = onebot();
  await using server = serve(bot.fetch);
  await using client = await openClient(server.wsUrl);
  // The greeting comes first (META-C2).
  expect((await client.nextFrame()).value).toMatchObject({ detail_type: "connect" });
  expect((await client.nextFrame()).value).toMatchObject({ detail_type: "status_update" });
  let round = 0;
  await fc.assert(
    fc.asyncProperty(frames, async (sent) => {
      // Each random frame is followed by a sentinel request; the next two frames must be
      // the two answers, in either order (WS-13): a missing or extra answer shows here.
      const sentinel = `\u0000sentinel-${round++}`;
      client.socket.send(sent.data);
      client.send({ action: "ping", params: {}, echo: sentinel });
      const pair = [await client.nextFrame(), await client.nextFrame()];
      const echoes = pair.map((frame) => (frame.value as { echo?: unknown })?.echo);
      expect(echoes.filter((echo) => echo === sentinel)).toHaveLength(1);
      const answer = pair[echoes.indexOf(sentinel) === 0 ? 1 : 0]!;
      expect(answer.kind).toBe(sent.kind);
      expectEnvelope(answer.value);
      if (sent.decodable === false) expect(answer.value.retcode).toBe(10001);
      const echo = sent.request?.echo;
      if ("echo" in answer.value) expect(answer.value.echo).toBe(echo);
      // @msgpack/msgpack refuses `__proto__` keys, so the echo of such a frame is unread.
      else if (typeof echo === "string") expect(answer.value.retcode).toBe(10001);
      if (answer.value.retcode === 20002) expect(sent.request?.action).toBe("throws");
      expect(JSON.stringify(answer.value)).not.toContain("    at ");
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
    }),
    params(),
  );
  // Nothing more was sent than the answers: the next frame answers this last request.
  const last = await client.call({ action: "ping", params: {}, echo: "last" });
  expect(client.frames.at(-1)?.value).toEqual({
    status: "ok",
    retcode: 0,
    data: "pong",
    message: "",
    echo: "last",
  });
  expect(client.frames).toHaveLength(2 + 2 * round + 1);
  expect(last.data).toBe("pong");
  expect(client.socket.readyState).toBe(WebSocket.OPEN);
  expectPrototypesClean();
});
