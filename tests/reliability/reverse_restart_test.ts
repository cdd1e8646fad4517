// Fault: the application server behind a reverse WebSocket restarts again and again on the
// same port. Each new connection must start with meta.connect (WSR-06), the sink must never
// hold two connections at once, must keep retrying (WSR-05) and must leak no timer.
import { expect } from "expect";
import { createActionRouter } from "../../action/router.ts";
import { connectReverseWebSocket } from "../../connection/websocket_reverse.ts";
import { createOneBot } from "../../onebot.ts";
import { freePort, within } from "../_loopback.ts";
import { appServers, SELF, seqEvent, seqOf, until } from "./_reliability.ts";

const RESTARTS = 10;

Deno.test("createOneBot() reverse WebSocket survives 10 application restarts: meta.connect first every time, one connection at a time (WSR-05, WSR-06, META-C2)", async () => {
  const port = freePort();
  await using app = appServers(port);
  await using onebot = createOneBot({
    impl: "test-impl",
    version: "1.0.0",
    bots: [{ self: SELF, online: true }],
    handlers: {},
    http: false,
    websocket: false,
    websocketReverse: [{ url: `ws://127.0.0.1:${port}/`, reconnectInterval: 50 }],
  });
  let seq = 0;
  const received: number[] = [];
  for (let round = 0; round < RESTARTS; round++) {
    // While the application is down, events wait in the backlog (maxBacklog 1000).
    const backlog = [seq++, seq++, seq++];
    for (const n of backlog) onebot.emit(seqEvent(n));
    app.start();
    await until(() => app.peers.length === round + 1, `connection ${round + 1}`);
    const peer = app.peers[round]!;
    const first = await peer.nextFrame();
    expect(first.kind).toBe("text");
    expect(first.value).toMatchObject({ type: "meta", detail_type: "connect" });
    expect((await peer.nextFrame()).value).toMatchObject({ detail_type: "status_update" });
    for (const _ of backlog) received.push(seqOf((await peer.nextFrame()).value)!);
    const live = seq++;
    onebot.emit(seqEvent(live));
    received.push(seqOf((await peer.nextFrame()).value)!);
    await app.stop(peer, round % 2 === 0 ? "close" : "shutdown");
  }
  expect(app.peers).toHaveLength(RESTARTS);
  expect(app.maxLive).toBe(1);
  // Every event, once, in order: the backlog bridged every restart.
  expect(received).toEqual(Array.from({ length: seq }, (_, i) => i));
});

Deno.test("createOneBot() reverse WebSocket abandons a handshake the server never answers and retries (WSR-05, handshakeTimeout)", async () => {
  // Something accepts TCP on the port and never answers: a stuck proxy or application.
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = silent.addr as Deno.NetAddr;
  const held: Deno.Conn[] = [];
  try {
    await using onebot = createOneBot({
      impl: "test-impl",
      version: "1.0.0",
      bots: [{ self: SELF, online: true }],
      handlers: {},
      http: false,
      websocket: false,
      websocketReverse: [{
        url: `ws://127.0.0.1:${port}/`,
        reconnectInterval: 20,
        handshakeTimeout: 50,
      }],
    });
    // A second attempt while the first is still unanswered: the first was given up.
    for (let attempt = 0; attempt < 2; attempt++) {
      held.push(await within(silent.accept(), `handshake attempt ${attempt + 1}`));
    }
    silent.close();
    for (const conn of held.splice(0)) conn.close();
    onebot.emit(seqEvent(0));
    // Now a real application answers on the same port: the loop reaches it.
    await using app = appServers(port);
    app.start();
    await until(() => app.peers.length === 1, "a connection to the real application");
    const peer = app.peers[0]!;
    expect((await peer.nextFrame()).value).toMatchObject({ detail_type: "connect" });
    expect((await peer.nextFrame()).value).toMatchObject({ detail_type: "status_update" });
    expect(seqOf((await peer.nextFrame()).value)).toBe(0);
  } finally {
    for (const conn of held) conn.close();
    try {
      silent.close();
    } catch {
      // already closed
    }
  }
});

Deno.test("connectReverseWebSocket() rejects a handshakeTimeout that is not an integer > 0", () => {
  const router = createActionRouter({ handlers: {}, bots: () => [SELF] });
  for (const handshakeTimeout of [0, -1, 2.5, Number.NaN]) {
    expect(() =>
      connectReverseWebSocket(router, { url: "ws://127.0.0.1:1/", impl: "demo", handshakeTimeout })
    ).toThrow(RangeError);
  }
});
