// Fault: action handlers that throw or never resolve. The connection keeps answering other
// actions over WebSocket and HTTP (RESP-03, WS-09, WS-13); when the never-ending ones fill a
// socket's maxInFlight and its queue, later requests get 36000 at once, with their echo.
import { expect } from "expect";
import { ok } from "../../action/result.ts";
import type { StandardActions } from "../../action/standard.ts";
import { createOneBot, type OneBot } from "../../onebot.ts";
import { openClient, serve } from "../_loopback.ts";
import { SELF, seqEvent, seqOf } from "./_reliability.ts";

/** The actions of {@linkcode faultyBot} besides the standard ones. */
type FaultyActions = StandardActions & {
  ping: { params: Record<string, never>; data: string };
  hang: { params: { n?: number }; data: number | null };
  throws: { params: Record<string, never>; data: never };
  throwsLater: { params: Record<string, never>; data: never };
};

/** A OneBot whose `hang` action waits on `gate`, and whose `throws*` actions throw. */
function faultyBot(gate: Promise<void>, maxInFlight: number): OneBot<FaultyActions> {
  return createOneBot<FaultyActions>({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    websocket: { maxInFlight },
    handlers: {
      ping: () => ok("pong"),
      hang: async ({ n }) => {
        await gate;
        return ok(n ?? null);
      },
      throws: () => {
        throw new Error("boom");
      },
      throwsLater: async () => {
        await Promise.resolve();
        throw "not even an Error";
      },
    },
  });
}

async function post(url: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
  expect(response.status).toBe(200);
  return await response.json();
}

Deno.test("createOneBot() keeps serving WebSocket and HTTP actions while handlers throw or never resolve (RESP-03, WS-09, WS-13)", async () => {
  const gate = Promise.withResolvers<void>();
  await using onebot = faultyBot(gate.promise, 8);
  await using server = serve(onebot.fetch);
  try {
    await using client = await openClient(server.wsUrl);
    // Never-ending actions on both transports.
    for (const n of [1, 2, 3]) client.send({ action: "hang", params: { n }, echo: `hang${n}` });
    const httpHang = post(server.url, { action: "hang", params: { n: 9 }, echo: "http-hang" });
    // Everything else is still answered, on the same socket and over HTTP.
    for (let round = 0; round < 3; round++) {
      expect(await client.call({ action: "ping", params: {}, echo: `p${round}` }))
        .toMatchObject({ status: "ok", data: "pong" });
      expect(await client.call({ action: "throws", params: {}, echo: `t${round}` }))
        .toMatchObject({ status: "failed", retcode: 20002, echo: `t${round}` });
      expect(await client.call({ action: "throwsLater", params: {}, echo: `l${round}` }, "binary"))
        .toMatchObject({ status: "failed", retcode: 20002, echo: `l${round}` });
      expect(await post(server.url, { action: "ping", params: {} }))
        .toMatchObject({ status: "ok", data: "pong" });
      expect(await post(server.url, { action: "throws", params: {}, echo: "x" }))
        .toMatchObject({ status: "failed", retcode: 20002, echo: "x" });
    }
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    // Once they end, the hung ones are answered too, matched by echo.
    gate.resolve();
    for (const n of [1, 2, 3]) expect((await client.response(`hang${n}`)).data).toBe(n);
    expect(await httpHang).toMatchObject({ status: "ok", data: 9, echo: "http-hang" });
  } finally {
    gate.resolve();
  }
});

Deno.test("createOneBot() answers 36000 while never-ending handlers saturate a socket, and only that socket (WS-13, maxInFlight)", async () => {
  const gate = Promise.withResolvers<void>();
  await using onebot = faultyBot(gate.promise, 2);
  await using server = serve(onebot.fetch);
  try {
    await using busy = await openClient(server.wsUrl);
    await using other = await openClient(server.wsUrl);
    // 2 run, 2 wait: the socket is saturated.
    for (const n of [1, 2, 3, 4]) busy.send({ action: "hang", params: { n }, echo: `h${n}` });
    // Beyond that, anything is turned away at once, in the frame's own encoding.
    expect(await busy.call({ action: "ping", params: {}, echo: "p1" })).toMatchObject({
      status: "failed",
      retcode: 36000,
      echo: "p1",
    });
    const binary = await busy.call({ action: "ping", params: {}, echo: "p2" }, "binary");
    expect(binary).toMatchObject({ retcode: 36000, echo: "p2" });
    expect(binary.frame.kind).toBe("binary");
    expect(busy.socket.readyState).toBe(WebSocket.OPEN);
    // Events still flow to the saturated socket.
    onebot.emit(seqEvent(1));
    expect(seqOf(await busy.nextEvent((event) => event.type === "notice"))).toBe(1);
    // The limit is per socket: another socket and HTTP are served as usual.
    expect((await other.call({ action: "ping", params: {}, echo: "o" })).data).toBe("pong");
    expect(await post(server.url, { action: "ping", params: {} })).toMatchObject({ data: "pong" });
    // Released, the running and the waiting ones all finish, and the socket serves again.
    gate.resolve();
    for (const n of [1, 2, 3, 4]) expect((await busy.response(`h${n}`)).data).toBe(n);
    expect((await busy.call({ action: "ping", params: {}, echo: "p3" })).data).toBe("pong");
  } finally {
    gate.resolve();
  }
});

Deno.test("createOneBot() dispose closes a socket whose handlers never resolve, and their late answers go nowhere (WS-13, design §9)", async () => {
  const gate = Promise.withResolvers<void>();
  const onebot = faultyBot(gate.promise, 2);
  await using server = serve(onebot.fetch);
  await using client = await openClient(server.wsUrl);
  for (const n of [1, 2, 3, 4]) client.send({ action: "hang", params: { n }, echo: `h${n}` });
  expect((await client.call({ action: "ping", params: {}, echo: "p" })).retcode).toBe(36000);
  // Dispose does not wait for the handlers: the socket closes with 1001 while they hang.
  await onebot[Symbol.asyncDispose]();
  expect((await client.closed).code).toBe(1001);
  // The handlers end after their socket is gone: nothing is sent and nothing throws.
  gate.resolve();
  await gate.promise;
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(client.frames.filter((f) => (f.value as { echo?: string }).echo?.startsWith("h")))
    .toEqual([]);
});
