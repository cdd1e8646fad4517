import { expect } from "expect";
import type { Frame } from "../../../mod.ts";
import { createLinkTracker } from "../../../demo/playground/links.ts";

function out(connection: Frame["connection"], peer: string, data: unknown): Frame {
  return { direction: "out", type: "event", connection, peer, encoding: "json", data };
}

function action(connection: Frame["connection"], peer: string): Frame {
  return {
    direction: "in",
    type: "action",
    connection,
    peer,
    encoding: "json",
    data: { action: "get_version", params: {} },
  };
}

const CONNECT = { id: "c", type: "meta", detail_type: "connect" };
const STATUS = { id: "s", type: "meta", detail_type: "status_update" };
function message(id: string) {
  return { id, type: "message", detail_type: "private" };
}

/** A tracker on a fake clock, counting its change callbacks. */
function tracker() {
  let time = 1000;
  let changes = 0;
  const links = createLinkTracker({ now: () => time, onChange: () => changes++ });
  return {
    links,
    tick: (ms: number) => time += ms,
    changes: () => changes,
    peers: () => links.list().map((link) => `${link.connection} ${link.peer}`),
  };
}

Deno.test("playground links: a forward or reverse WebSocket is linked by its meta.connect", () => {
  const t = tracker();
  t.links.see(out("websocket", "127.0.0.1:5000", CONNECT));
  t.links.see(out("websocket", "127.0.0.1:5000", STATUS));
  t.links.see(out("websocket_reverse", "ws://app/onebot", CONNECT));
  expect(t.peers()).toEqual(["websocket 127.0.0.1:5000", "websocket_reverse ws://app/onebot"]);
  expect(t.changes()).toBe(2);
  expect(t.links.list()[0]).toEqual({
    connection: "websocket",
    peer: "127.0.0.1:5000",
    since: 1000,
    last: 1000,
  });
});

Deno.test("playground links: a socket that an event to every connection did not reach is unlinked at the end of the run", async () => {
  const t = tracker();
  t.links.see(out("websocket", "127.0.0.1:5000", CONNECT));
  t.links.see(out("websocket", "127.0.0.1:6000", CONNECT));
  t.links.see(out("websocket", "127.0.0.1:6000", message("m1")));
  t.links.see(out("http_webhook", "http://app/hook", message("m1")));
  expect(t.peers()).toHaveLength(2);
  await Promise.resolve();
  expect(t.peers()).toEqual(["websocket 127.0.0.1:6000"]);
  expect(t.changes()).toBe(3);
});

Deno.test("playground links: a greeting's status_update to one socket unlinks no other", async () => {
  const t = tracker();
  t.links.see(out("websocket", "127.0.0.1:5000", CONNECT));
  t.links.see(out("websocket", "127.0.0.1:6000", CONNECT));
  t.links.see(out("websocket", "127.0.0.1:6000", STATUS));
  await Promise.resolve();
  expect(t.peers()).toHaveLength(2);
});

Deno.test("playground links: a heartbeat to every socket keeps them all", async () => {
  const t = tracker();
  t.links.see(out("websocket", "127.0.0.1:5000", CONNECT));
  t.links.see(out("websocket_reverse", "ws://app/", CONNECT));
  t.tick(5000);
  const beat = { id: "h", type: "meta", detail_type: "heartbeat" };
  t.links.see(out("websocket", "127.0.0.1:5000", beat));
  t.links.see(out("websocket_reverse", "ws://app/", beat));
  await Promise.resolve();
  expect(t.links.list().map((link) => link.last)).toEqual([6000, 6000]);
});

Deno.test("playground links: an announced broadcast that no socket got unlinks every socket", async () => {
  const t = tracker();
  t.links.see(out("websocket", "127.0.0.1:5000", CONNECT));
  t.links.see(out("websocket_reverse", "ws://app/", CONNECT));
  t.links.see(action("http", "127.0.0.1:7000"));
  t.links.broadcast();
  await Promise.resolve();
  // HTTP keeps no connection: it stays linked, with the time of its last action.
  expect(t.peers()).toEqual(["http 127.0.0.1"]);
});

Deno.test("playground links: an announced broadcast takes the ID of its first frame", async () => {
  const t = tracker();
  t.links.see(out("websocket", "127.0.0.1:5000", CONNECT));
  t.links.see(out("websocket", "127.0.0.1:6000", CONNECT));
  t.links.broadcast();
  t.links.see(out("websocket", "127.0.0.1:5000", message("m1")));
  t.links.see(out("websocket", "127.0.0.1:6000", message("m1")));
  await Promise.resolve();
  expect(t.peers()).toHaveLength(2);
});

Deno.test("playground links: HTTP actions link the host (any port); a webhook's reply actions its URL", () => {
  const t = tracker();
  t.links.see(action("http", "127.0.0.1:7000"));
  t.tick(10);
  t.links.see(action("http", "127.0.0.1:7001"));
  t.links.see(action("http", "[::1]:7002"));
  t.links.see(action("http_webhook", "http://app/hook"));
  expect(t.peers()).toEqual(["http 127.0.0.1", "http [::1]", "http_webhook http://app/hook"]);
  expect(t.links.list()[0]).toMatchObject({ since: 1000, last: 1010 });
});

Deno.test("playground links: at most 100 are kept, the oldest dropped", () => {
  const t = tracker();
  for (let i = 0; i < 150; i++) t.links.see(action("http", `10.0.${i >> 8}.${i & 255}:80`));
  expect(t.links.list()).toHaveLength(100);
  expect(t.links.list()[0]!.peer).toBe("10.0.0.50");
});
