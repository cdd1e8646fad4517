/**
 * Builders of the three meta events (checklist §3.4–3.6). Meta events carry
 * no `self` (§9.2 item 21).
 *
 * @module
 */

import { createEvent } from "./create.ts";
import type { Event, StatusData, VersionData } from "./types.ts";

/**
 * The `meta.connect` event: the first frame on every WebSocket connection
 * (META-C1, META-C2). `version` is a copy of the `get_version` data.
 *
 * @param version The `get_version` data.
 * @returns A new connect event.
 *
 * @example
 * ```ts
 * import { connectEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = connectEvent({ impl: "demo", version: "1.0.0", onebot_version: "12" });
 * expect(event.detail_type).toBe("connect");
 * ```
 */
export function connectEvent(version: VersionData): Event {
  return createEvent({ type: "meta", detail_type: "connect", version: { ...version } });
}

/**
 * The `meta.heartbeat` event (META-H1); `interval` is in milliseconds.
 *
 * @param interval Milliseconds until the next heartbeat.
 * @returns A new heartbeat event.
 *
 * @example
 * ```ts
 * import { heartbeatEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(heartbeatEvent(5000).interval).toBe(5000);
 * ```
 */
export function heartbeatEvent(interval: number): Event {
  return createEvent({ type: "meta", detail_type: "heartbeat", interval });
}

/**
 * The `meta.status_update` event (META-S1..S4).
 *
 * @param status The `get_status` data.
 * @returns A new status update event.
 *
 * @example
 * ```ts
 * import { statusUpdateEvent } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const event = statusUpdateEvent({ good: true, bots: [] });
 * expect(event.status).toEqual({ good: true, bots: [] });
 * ```
 */
export function statusUpdateEvent(status: StatusData): Event {
  return createEvent({
    type: "meta",
    detail_type: "status_update",
    status: structuredClone(status),
  });
}
