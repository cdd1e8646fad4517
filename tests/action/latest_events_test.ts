// get_latest_events as an action handler over the event buffer (§3.1, HTTP-12, HTTP-16).
import { expect } from "expect";
import { createLatestEventsHandler } from "../../action/latest_events.ts";
import { createActionRouter } from "../../action/router.ts";
import type { ConnectionKind } from "../../action/types.ts";
import { createHttpHandler } from "../../connection/http.ts";
import { createEvent } from "../../event/create.ts";
import { createEventBuffer } from "../../event/buffer.ts";
import { serve, within } from "../_loopback.ts";

const self = { platform: "demo", user_id: "bot" };

function notice(user_id: string) {
  return createEvent({ type: "notice", detail_type: "friend_increase", self, user_id });
}

Deno.test("createLatestEventsHandler() answers 10002 over every connection but HTTP (§2.4, HTTP-12)", async () => {
  using buffer = createEventBuffer();
  buffer.push(notice("a"));
  const router = createActionRouter({
    handlers: { get_latest_events: createLatestEventsHandler(buffer) },
    bots: () => [self],
  });
  const kinds: ConnectionKind[] = ["websocket", "websocket_reverse", "http_webhook", "local"];
  for (const connection of kinds) {
    const response = await router({ action: "get_latest_events", params: {} }, { connection });
    expect(response).toMatchObject({ status: "failed", retcode: 10002 });
  }
  expect(buffer.length).toBe(1); // nothing consumed
  const response = await router({ action: "get_latest_events", params: {} }, {
    connection: "http",
  });
  expect(response.data).toHaveLength(1);
});

Deno.test("createLatestEventsHandler() ends a wait when the request's signal is aborted (§3.1)", async () => {
  using buffer = createEventBuffer();
  const handler = createLatestEventsHandler(buffer);
  const abort = new AbortController();
  const polling = handler({ timeout: 600 }, {
    connection: "http",
    self: undefined,
    signal: abort.signal,
  });
  abort.abort();
  expect(await within(Promise.resolve(polling), "the aborted poll")).toMatchObject({ data: [] });
});

Deno.test("createLatestEventsHandler() refuses a maxPollTimeout that is not an integer > 0 (RangeError)", () => {
  using buffer = createEventBuffer();
  for (const value of [0, -1, 1.5, Number.NaN]) {
    expect(() => createLatestEventsHandler(buffer, { maxPollTimeout: value })).toThrow(RangeError);
  }
});

Deno.test("createHttpHandler() aborts the signal of any action still running when its client goes away", async () => {
  const started = Promise.withResolvers<void>();
  const aborted = Promise.withResolvers<void>();
  const router = createActionRouter({
    handlers: {
      slow: (_params, context) =>
        new Promise((resolve) => {
          context.signal?.addEventListener("abort", () => {
            aborted.resolve();
            resolve({ status: "ok", retcode: 0, data: null, message: "" });
          });
          started.resolve();
        }),
    },
    bots: () => [self],
  });
  await using server = serve(createHttpHandler(router));
  const client = new AbortController();
  const request = fetch(server.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "slow", params: {} }),
    signal: client.signal,
  }).then((response) => response.body?.cancel(), () => {});
  await within(started.promise, "the action to start");
  client.abort();
  await request;
  await within(aborted.promise, "the action's signal to be aborted");
});
