/**
 * Shapes shared by the push connections.
 *
 * @module
 */

import type { Event } from "../event/types.ts";

/**
 * A connection that events are pushed to: forward and reverse WebSocket,
 * webhook. `emit` only enqueues; it never throws and never waits for the
 * peer, so a slow connection never delays another (HTTP-14). Disposing it
 * closes sockets, stops loops and timers, and drains what is in flight.
 * A sink of your own given to `OneBot.attach` should do the same; if its
 * `emit` throws or returns a promise that rejects, the failure is logged
 * and the other sinks still get every event.
 *
 * @example
 * ```ts
 * import type { Event, EventSink } from "@libob/libob";
 *
 * const seen: Event[] = [];
 * const sink: EventSink = {
 *   emit: (event) => void seen.push(event),
 *   [Symbol.asyncDispose]: () => Promise.resolve(),
 * };
 * ```
 */
export interface EventSink extends AsyncDisposable {
  /** Enqueues one event for delivery. */
  emit(event: Event): void;
}

/**
 * Produces the frames every new WebSocket connection starts with, in order:
 * `meta.connect`, then `meta.status_update` (META-C2, META-S1).
 *
 * @example
 * ```ts
 * import { connectEvent, type Greeting } from "@libob/libob";
 *
 * const greeting: Greeting = () => [
 *   connectEvent({ impl: "demo", version: "1.0.0", onebot_version: "12" }),
 * ];
 * ```
 */
export type Greeting = () => readonly Event[];
