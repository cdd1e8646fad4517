/**
 * `get_latest_events` (§3.1, HTTP-12..16): an action handler over the event
 * buffer, served over HTTP only.
 *
 * @module
 */

import { checkInteger } from "../_check.ts";
import { logger } from "../_log.ts";
import type { EventBuffer } from "../event/buffer.ts";
import type { Event } from "../event/types.ts";
import { failed, ok } from "./result.ts";
import { RETCODE } from "./retcode.ts";
import type { ActionHandler } from "./types.ts";

/** The action's name, spelled here only. */
export const GET_LATEST_EVENTS = "get_latest_events";

/**
 * Options of {@linkcode createLatestEventsHandler}.
 *
 * @example
 * ```ts
 * import type { LatestEventsOptions } from "@libob/libob";
 *
 * const options: LatestEventsOptions = { maxPollTimeout: 60 };
 * ```
 */
export interface LatestEventsOptions {
  /** Longest long poll in seconds; a larger `timeout` is shortened to it. Default 600. */
  maxPollTimeout?: number;
}

/**
 * Creates the `get_latest_events` handler over `buffer`: it takes up to
 * `limit` unread events (`0` = all), oldest first; with none unread and a
 * `timeout` in seconds > 0, it waits until the first event arrives or the
 * time is up (then `[]`), as long as the request's `signal` is not aborted
 * (the HTTP transport aborts it when the client goes away, so a vanished
 * poller frees its slot at once). `limit` and `timeout` must be integers
 * >= 0 (10003). Over any connection but HTTP it answers 10002: only HTTP
 * must serve it (§2.4, HTTP-12). Register it under
 * {@linkcode GET_LATEST_EVENTS}; `createOneBot` does when `http.eventEnabled`.
 *
 * @param buffer The unread events.
 * @param options The longest wait.
 * @returns The handler.
 * @throws {RangeError} When `maxPollTimeout` is not an integer > 0.
 *
 * @example Polling over a router without any network
 * ```ts
 * import {
 *   createActionRouter,
 *   createEvent,
 *   createEventBuffer,
 *   createLatestEventsHandler,
 * } from "@libob/libob";
 * import { expect } from "expect";
 *
 * using buffer = createEventBuffer();
 * const router = createActionRouter({
 *   handlers: { get_latest_events: createLatestEventsHandler(buffer) },
 *   bots: () => [],
 * });
 * const self = { platform: "demo", user_id: "bot" };
 * buffer.push(createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: "a" }));
 * const request = { action: "get_latest_events", params: { timeout: 0 } };
 * const response = await router(request, { connection: "http" });
 * expect(response.data).toHaveLength(1);
 * expect((await router(request, { connection: "websocket" })).retcode).toBe(10002);
 * ```
 */
export function createLatestEventsHandler(
  buffer: EventBuffer,
  options: LatestEventsOptions = {},
): ActionHandler<{ limit?: number; timeout?: number }, Event[]> {
  const { maxPollTimeout = 600 } = options;
  checkInteger("create latest-events handler", "maxPollTimeout", maxPollTimeout, 1);
  const log = logger("http");
  return async function getLatestEvents(params, context) {
    if (context.connection !== "http") {
      return failed(RETCODE.UNSUPPORTED_ACTION, `${GET_LATEST_EVENTS} is served over HTTP only`);
    }
    const { limit = 0, timeout = 0 } = params as Record<string, unknown>;
    for (const [name, value] of [["limit", limit], ["timeout", timeout]] as const) {
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
        return failed(RETCODE.BAD_PARAM, `${name} must be an integer >= 0`);
      }
    }
    const { signal } = context;
    const timeoutMs = Math.min(timeout as number, maxPollTimeout) * 1000;
    const taken = await buffer.poll(limit as number, timeoutMs, signal);
    if (signal?.aborted && taken.length > 0) {
      log.warn("{count} event(s) were taken by a long poll whose client went away", {
        count: taken.length,
      });
    }
    return ok(taken);
  };
}
