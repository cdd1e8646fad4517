// deno-lint-ignore-file no-console
// A server for bench/load.ts, run in its own process so that the load generator does
// not share its thread: `deno run -A bench/_server.ts <kind>`. Prints "listening <port>".
//   bare-http  fixed get_version body on POST; GET /connections counts client TCP ports
//   bare-ws    WebSocket echo of a fixed get_version response; GET /rss
//   libob      createOneBot with bench.emit / bench.rss / bench.memory actions; BENCH_WEBHOOK_URL
//              adds a webhook, BENCH_REVERSE_URL a reverse WebSocket, BENCH_EVENT_BUFFER_SIZE
//              sets the get_latest_events buffer (default 0: unlimited), BENCH_HEARTBEAT_MS
//              turns heartbeats on. Run with --v8-flags=--expose-gc for bench.memory to GC first.
import * as v from "valibot";
import {
  createEvent,
  createOneBot,
  defineAction,
  encodeMsgpack,
  LIBOB_VERSION,
  ok,
} from "../mod.ts";

const kind = Deno.args[0];
const VERSION = { impl: "libob-bench", version: LIBOB_VERSION, onebot_version: "12" };
const jsonBody = JSON.stringify({ status: "ok", retcode: 0, data: VERSION, message: "" });
const msgpackBody = encodeMsgpack({ status: "ok", retcode: 0, data: VERSION, message: "" });

function bareHttp(): Deno.ServeHandler {
  const ports = new Set<number>();
  return async (request, info) => {
    ports.add((info.remoteAddr as Deno.NetAddr).port);
    if (request.method === "GET") return new Response(String(ports.size));
    const type = request.headers.get("content-type") ?? "";
    await request.body?.cancel();
    if (type.startsWith("application/msgpack")) {
      return new Response(msgpackBody, { headers: { "Content-Type": "application/msgpack" } });
    }
    if (new URL(request.url).pathname === "/hook") return new Response(null, { status: 204 });
    return new Response(jsonBody, { headers: { "Content-Type": "application/json" } });
  };
}

function bareWs(): Deno.ServeHandler {
  return (request) => {
    if (request.headers.get("upgrade") !== "websocket") {
      return new Response(String(Deno.memoryUsage().rss));
    }
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.onmessage = (event) => {
      const echo = JSON.parse(event.data as string).echo;
      socket.send(JSON.stringify({ status: "ok", retcode: 0, data: VERSION, message: "", echo }));
    };
    return response;
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
  const onebot = createOneBot({
    impl: "libob-bench",
    version: LIBOB_VERSION,
    bots: [{ self, online: true }],
    http: { eventBufferSize: Number(Deno.env.get("BENCH_EVENT_BUFFER_SIZE") ?? "0") },
    ...(webhook ? { httpWebhook: [{ url: webhook, timeout: 0 }] } : {}),
    ...(reverse ? { websocketReverse: [{ url: reverse, reconnectInterval: 500 }] } : {}),
    ...(heartbeat > 0 ? { heartbeat: { interval: heartbeat } } : {}),
    actions: [benchEmit, benchRss, benchMemory],
  });
  return onebot.fetch;
}

const handler = kind === "bare-http" ? bareHttp() : kind === "bare-ws" ? bareWs() : libob();
Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(`listening ${port}`),
}, handler);
