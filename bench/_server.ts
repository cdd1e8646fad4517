// deno-lint-ignore-file no-console
// A server for bench/load.ts, bench/scale.ts and bench/soak.ts, run in its own process so
// that the load generator does not share its thread:
// `deno run -A bench/_server.ts <kind> [port]`. Prints "listening <port>".
//   bare-json     the runtime doing the least work: the same constant JSON body (a get_version
//                 response) for every request, no URL parsing, no header or body reads
//   bare-msgpack  the same with a constant MessagePack body
//   bare-ws       a WebSocket server answering every frame with one constant JSON reply (no
//                 parsing); any other request gets the constant JSON body
//   parse-json    the least an action server must do: reads the headers a OneBot server
//                 reads (Content-Type, Content-Length, Authorization, Origin), the whole body,
//                 JSON.parse, and answers JSON.stringify of the constant response with the
//                 request's echo; no routing, no validation, no checks
//   parse-msgpack the same in MessagePack (@msgpack/msgpack, libob's own decoder)
//   parse-ws      a WebSocket server that parses every frame and answers JSON.stringify of the
//                 constant response with its echo
//   bare-fanout   bench.emit's fan-out with the least work (each event encoded once, sent to
//                 every socket, POSTed one by one to BENCH_WEBHOOK_URL)
//   libob         a minimal createOneBot (get_version built in, send_message, bench.emit /
//                 bench.rss / bench.memory); BENCH_WEBHOOK_URL adds a webhook,
//                 BENCH_REVERSE_URL a reverse WebSocket, BENCH_EVENT_BUFFER_SIZE sets the
//                 get_latest_events buffer (default 0: unlimited), BENCH_HEARTBEAT_MS turns
//                 heartbeats on. Run with --v8-flags=--expose-gc for bench.memory to GC first.
import * as v from "valibot";
import {
  createEvent,
  createOneBot,
  decodeMsgpack,
  defineAction,
  defineActions,
  encodeMsgpack,
  LIBOB_VERSION,
  ok,
} from "../mod.ts";

const kind = Deno.args[0];
const port = Number(Deno.args[1] ?? "0");
const VERSION = { impl: "libob-bench", version: LIBOB_VERSION, onebot_version: "12" };
const RESPONSE = { status: "ok", retcode: 0, data: VERSION, message: "" };
const jsonBody = new TextEncoder().encode(JSON.stringify(RESPONSE));
const msgpackBody = encodeMsgpack(RESPONSE);

function bare(body: Uint8Array<ArrayBuffer>, type: string): Deno.ServeHandler {
  return () => new Response(body, { headers: { "content-type": type } });
}

function bareWs(): Deno.ServeHandler {
  const reply = JSON.stringify(RESPONSE);
  return (request) => {
    if (request.headers.get("upgrade") !== "websocket") {
      return new Response(jsonBody, { headers: { "content-type": "application/json" } });
    }
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.onmessage = () => socket.send(reply);
    return response;
  };
}

/** The request headers a OneBot HTTP server reads, read without acting on them. */
function readHeaders(request: Request): number {
  const { headers } = request;
  return (headers.get("content-type")?.length ?? 0) + (headers.get("content-length")?.length ?? 0) +
    (headers.get("authorization")?.length ?? 0) + (headers.get("origin")?.length ?? 0);
}

function echoOf(value: unknown): unknown {
  return (value as { echo?: unknown } | null)?.echo;
}

function parseJson(): Deno.ServeHandler {
  const headers = { "content-type": "application/json" };
  return async (request) => {
    if (readHeaders(request) < 0) throw new Error("unreachable");
    const value: unknown = JSON.parse(await request.text());
    return new Response(JSON.stringify({ ...RESPONSE, echo: echoOf(value) }), { headers });
  };
}

function parseMsgpack(): Deno.ServeHandler {
  const headers = { "content-type": "application/msgpack" };
  return async (request) => {
    if (readHeaders(request) < 0) throw new Error("unreachable");
    const value = decodeMsgpack(await request.bytes());
    return new Response(encodeMsgpack({ ...RESPONSE, echo: echoOf(value) }), { headers });
  };
}

function parseWs(): Deno.ServeHandler {
  return (request) => {
    if (request.headers.get("upgrade") !== "websocket") {
      return new Response(jsonBody, { headers: { "content-type": "application/json" } });
    }
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.onmessage = (message) => {
      if (typeof message.data !== "string") return; // the load is JSON text frames only
      const value: unknown = JSON.parse(message.data);
      socket.send(JSON.stringify({ ...RESPONSE, echo: echoOf(value) }));
    };
    return response;
  };
}

/**
 * What libob does for bench.emit with the least work: each numbered event is encoded once,
 * sent to every open socket and POSTed to the webhook (BENCH_WEBHOOK_URL) one at a time.
 */
function bareFanOut(): Deno.ServeHandler {
  const sockets = new Set<WebSocket>();
  const webhook = Deno.env.get("BENCH_WEBHOOK_URL");
  const self = { platform: "bench", user_id: "bot" };
  let emitted = 0;
  let hook = Promise.resolve();
  return async (request) => {
    if (request.headers.get("upgrade") === "websocket") {
      const { socket, response } = Deno.upgradeWebSocket(request);
      socket.onopen = () => sockets.add(socket);
      socket.onclose = () => sockets.delete(socket);
      return response;
    }
    const { params } = await request.json() as { params: { count: number } };
    const frames: string[] = [];
    for (let seq = 0; seq < params.count; seq++) {
      const frame = JSON.stringify({
        id: String(emitted),
        time: Date.now() / 1000,
        type: "notice",
        detail_type: "bench.tick",
        sub_type: "",
        self,
        "bench.seq": seq,
        "bench.n": emitted++,
      });
      for (const socket of sockets) socket.send(frame);
      frames.push(frame);
    }
    if (webhook !== undefined) {
      hook = hook.then(async () => {
        for (const body of frames) {
          const res = await fetch(webhook, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body,
          });
          await res.body?.cancel();
        }
      }).catch(() => {});
    }
    return new Response(jsonBody, { headers: { "content-type": "application/json" } });
  };
}

function libob(): Deno.ServeHandler {
  const self = { platform: "bench", user_id: "bot" };
  const webhook = Deno.env.get("BENCH_WEBHOOK_URL");
  const reverse = Deno.env.get("BENCH_REVERSE_URL");
  const heartbeat = Number(Deno.env.get("BENCH_HEARTBEAT_MS") ?? "0");
  let emitted = 0; // "bench.n": one running number over every emitted event
  const benchEmit = defineAction(
    "bench.emit",
    v.object({ count: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0)), 1) }),
    ({ count }) => {
      for (let seq = 0; seq < count; seq++) {
        onebot.emit(createEvent({
          type: "notice",
          detail_type: "bench.tick",
          self,
          "bench.seq": seq,
          "bench.n": emitted++,
          "bench.t": performance.timeOrigin + performance.now(),
        }));
      }
      return ok(null);
    },
  );
  const benchRss = defineAction("bench.rss", v.object({}), () => ok(Deno.memoryUsage().rss));
  const benchMemory = defineAction("bench.memory", v.object({}), () => {
    // Exposed by --v8-flags=--expose-gc: collect first, so heapUsed is what is live.
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = Deno.memoryUsage();
    return ok({ rss, heapUsed, emitted });
  });
  let lastMessageId = 0;
  const handlers = defineActions({
    send_message: () => ok({ message_id: String(++lastMessageId), time: Date.now() / 1000 }),
  });
  const onebot = createOneBot({
    impl: "libob-bench",
    version: LIBOB_VERSION,
    bots: [{ self, online: true }],
    http: { eventBufferSize: Number(Deno.env.get("BENCH_EVENT_BUFFER_SIZE") ?? "0") },
    ...(webhook ? { httpWebhook: [{ url: webhook, timeout: 0 }] } : {}),
    ...(reverse ? { websocketReverse: [{ url: reverse, reconnectInterval: 500 }] } : {}),
    ...(heartbeat > 0 ? { heartbeat: { interval: heartbeat } } : {}),
    handlers,
    actions: [benchEmit, benchRss, benchMemory],
  });
  return onebot.fetch;
}

const handlers: Record<string, () => Deno.ServeHandler> = {
  "bare-json": () => bare(jsonBody, "application/json"),
  "bare-msgpack": () => bare(msgpackBody, "application/msgpack"),
  "bare-ws": bareWs,
  "parse-json": parseJson,
  "parse-msgpack": parseMsgpack,
  "parse-ws": parseWs,
  "bare-fanout": bareFanOut,
  libob,
};
const make = handlers[kind ?? ""];
if (make === undefined) {
  console.error(`unknown server kind ${kind}: one of ${Object.keys(handlers).join(", ")}`);
  Deno.exit(2);
}
Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ port }) => console.log(`listening ${port}`),
}, make());
