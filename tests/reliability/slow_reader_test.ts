// Fault: a forward WebSocket client that completes the handshake and then never reads.
// The server must close it as too slow (1008, documented on maxBufferedAmount) instead of
// buffering without bound, while the other clients keep receiving every event.
import { expect } from "expect";
import { ok } from "../../action/result.ts";
import { createActionRouter } from "../../action/router.ts";
import { createWebSocketHandler } from "../../connection/websocket.ts";
import { connectEvent } from "../../event/meta.ts";
import { openClient, serve } from "../_loopback.ts";
import { openRawWebSocket, type RawFrame, SELF, seqEvent, seqOf, until } from "./_reliability.ts";

const router = createActionRouter({ handlers: { ping: () => ok("pong") }, bots: () => [SELF] });
const version = { impl: "test-impl", version: "1.0.0", onebot_version: "12" } as const;
const LIMIT = 256 * 1024;
const PADDING = 64 * 1024;
// 400 × 64 KiB = 25 MiB: far more than the loopback socket buffers and the limit together.
const EVENTS = 400;

function json(frame: RawFrame): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(frame.payload));
}

Deno.test("createWebSocketHandler() closes a client that stops reading with 1008 and keeps serving the others (WS-05, maxBufferedAmount)", async () => {
  await using ws = createWebSocketHandler(router, {
    maxBufferedAmount: LIMIT,
    greeting: () => [connectEvent(version)],
  });
  await using server = serve(ws.fetch);
  await using a = await openClient(server.wsUrl);
  await using b = await openClient(server.wsUrl);
  using stuck = await openRawWebSocket(server.port);
  expect(ws.connections).toBe(3);

  // One event at a time, each read by the healthy clients before the next: their send
  // buffers drain, the stuck client's grows until the server gives up on it.
  for (let seq = 0; seq < EVENTS; seq++) {
    ws.emit(seqEvent(seq, PADDING));
    for (const client of [a, b]) {
      expect(seqOf(await client.nextEvent((e) => e.type === "notice"))).toBe(seq);
    }
  }
  for (const client of [a, b]) expect(client.socket.readyState).toBe(WebSocket.OPEN);

  // Now the stuck client reads what reached it: the greeting, a run of events in order,
  // then the close frame. Far fewer than EVENTS: the server stopped buffering for it.
  const first = await stuck.readFrame();
  expect(first?.opcode).toBe(1);
  expect(json(first!)).toMatchObject({ type: "meta", detail_type: "connect" });
  let next = 0;
  let frame = await stuck.readFrame();
  while (frame !== undefined && frame.opcode === 1) {
    expect(seqOf(json(frame))).toBe(next++);
    frame = await stuck.readFrame();
  }
  expect(frame?.opcode).toBe(8);
  const payload = frame!.payload;
  expect((payload[0]! << 8) | payload[1]!).toBe(1008);
  expect(new TextDecoder().decode(payload.subarray(2))).toBe("too slow");
  expect(next).toBeGreaterThan(0);
  expect(next).toBeLessThan(EVENTS);
  await stuck.sendClose(1008);
  await until(() => ws.connections === 2, "the stuck socket to leave the fan-out");

  // The others go on receiving, in order.
  ws.emit(seqEvent(EVENTS));
  for (const client of [a, b]) {
    expect(seqOf(await client.nextEvent((e) => e.type === "notice"))).toBe(EVENTS);
    expect((await client.call({ action: "ping", params: {}, echo: "after" })).data).toBe("pong");
  }
});
