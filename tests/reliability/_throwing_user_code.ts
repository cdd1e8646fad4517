/**
 * A small OneBot program run as a subprocess by `throwing_user_code_test.ts`:
 * heartbeats every 5 ms, a forward WebSocket client, a webhook receiver and a
 * good attached sink, next to user code that fails (issue 12 item 1).
 *
 * - `deno run -A _throwing_user_code.ts sink`: two attached sinks fail on
 *   every event, one by throwing and one with a rejected promise.
 * - `deno run -A _throwing_user_code.ts tap`: the frame tap throws on every
 *   frame.
 *
 * It waits for heartbeats to reach every good sink, emits numbered events,
 * waits for each good sink to have all of them, disposes, and writes one
 * JSON line to stdout. An error that escapes a timer or a promise ends the
 * process with code 1 before that line.
 *
 * @module
 */

import { configureSync, type LogRecord } from "@logtape/logtape";
import type { EventSink } from "../../connection/types.ts";
import type { Event } from "../../event/types.ts";
import { createOneBot } from "../../onebot.ts";
import { openClient, serve } from "../_loopback.ts";
import { SELF, seqEvent, seqOf, until } from "./_reliability.ts";

/** How many numbered events the program emits. */
const COUNT = 20;
/** Heartbeats each good sink must see before the numbered events. */
const BEATS = 5;

const mode = Deno.args[0];
if (mode !== "sink" && mode !== "tap") throw new TypeError(`unknown mode: ${mode}`);

const records: LogRecord[] = [];
configureSync({
  sinks: { memory: (record: LogRecord) => void records.push(record) },
  loggers: [
    { category: ["libob"], sinks: ["memory"], lowestLevel: "debug" },
    { category: ["logtape", "meta"], sinks: [], lowestLevel: "error" },
  ],
});

let sinkCalls = 0;
let tapCalls = 0;
const good: Event[] = [];
const posted: unknown[] = [];

await using receiver = serve(async (request) => {
  posted.push(await request.json());
  return new Response(null, { status: 204 });
});
const onebot = createOneBot({
  impl: "test-impl",
  version: "1.0.0",
  bots: [{ self: SELF, online: true }],
  handlers: {},
  heartbeat: { interval: 5 },
  httpWebhook: [{ url: receiver.url }],
  ...(mode === "tap"
    ? {
      tap() {
        tapCalls++;
        throw new Error("broken tap");
      },
    }
    : {}),
});
await using server = serve(onebot.fetch);

if (mode === "sink") {
  onebot.attach(
    brokenSink(() => {
      throw new Error("broken sink");
    }),
    { name: "broken" },
  );
  onebot.attach(brokenSink(() => Promise.reject(new Error("broken async sink"))), {
    name: "broken async",
  });
}
using _good = onebot.attach({
  emit: (event) => void good.push(event),
  [Symbol.asyncDispose]: () => Promise.resolve(),
});
const client = await openClient(server.wsUrl);
function frames(): Event[] {
  return client.frames.map((frame) => frame.value as Event);
}

function beats(events: readonly unknown[]): number {
  return events.filter((event) => (event as Event).detail_type === "heartbeat").length;
}
function numbered(events: readonly unknown[]): number[] {
  return events.map(seqOf).filter((seq) => seq !== undefined);
}

await until(
  () => beats(good) >= BEATS && beats(frames()) >= BEATS && beats(posted) >= BEATS,
  "heartbeats at every good sink",
);
for (let seq = 0; seq < COUNT; seq++) onebot.emit(seqEvent(seq));
const all = Array.from({ length: COUNT }, (_, seq) => seq);
await until(
  () =>
    numbered(good).length === COUNT && numbered(frames()).length === COUNT &&
    numbered(posted).length === COUNT,
  "every numbered event at every good sink",
);
await client[Symbol.asyncDispose]();
await onebot[Symbol.asyncDispose]();

const failureLines = records.filter((record) =>
  record.level === "error" && /broken|sink|tap/i.test(record.rawMessage as string)
);
const result = {
  good: numbered(good),
  websocket: numbered(frames()),
  webhook: numbered(posted),
  expected: all,
  sinkCalls,
  tapCalls,
  failureLines: failureLines.length,
};
await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(result) + "\n"));

/** An attached sink whose `emit` fails as `fail` does. */
function brokenSink(fail: () => unknown): EventSink {
  return {
    emit() {
      sinkCalls++;
      return fail() as undefined;
    },
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}
