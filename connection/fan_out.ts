/**
 * The one fan-out from `emit` to every sink: the HTTP event
 * buffer, the forward WebSocket, the webhooks, the reverse WebSockets and the
 * sinks attached with `OneBot.attach`. Not exported from `mod.ts`.
 *
 * Each sink is called in isolation ({@linkcode createFailureLog}): one that
 * throws, or returns a promise that rejects, is logged by name, once per
 * burst, and every other sink still gets every event. Each event is encoded
 * as JSON at most once for all the built-in sinks, which take it through
 * {@linkcode EMIT_ENCODED}; a sink of your own gets the plain `emit(event)`.
 *
 * @module
 */

import type { Log } from "../_log.ts";
import type { Event } from "../event/types.ts";
import { type EncodedEvent, encodeOnce } from "./codec.ts";
import { createFailureLog, type FailureLog } from "./_failure_log.ts";
import type { EventSink } from "./types.ts";

/**
 * The key of a built-in sink's second way in: an event with its shared
 * encoding ({@linkcode EncodedEvent}). It is a symbol, so that no sink of
 * your own ever receives more than the event.
 */
export const EMIT_ENCODED: unique symbol = Symbol("libob.emitEncoded");

/** A sink that can take an event already wrapped by {@linkcode encodeOnce}. */
export interface EncodingSink {
  /** Like `emit`, with the event's JSON text shared with the other sinks. */
  [EMIT_ENCODED](event: EncodedEvent): void;
}

/** What a fan-out needs of a sink: `emit`, and maybe {@linkcode EMIT_ENCODED}. */
export type Emitting = Pick<EventSink, "emit"> & Partial<EncodingSink>;

/** Options of {@linkcode FanOut.add}. */
export interface FanOutAddOptions {
  /**
   * The sink's name in the logs: its kind and URL for the built-in ones
   * (never the token), or the name given to `OneBot.attach`.
   */
  name: string;
  /** Events for this sink alone, before it joins: the greeting (META-C2). */
  greeting?: readonly Event[];
}

/** Options of {@linkcode createFanOut}. */
export interface FanOutOptions {
  /** Where failures and unencodable events are logged. */
  log: Log;
  /** The clock of the burst rule, in ms (tests). Default `performance.now`. */
  now?: () => number;
}

/** The fan-out; disposing it removes every sink and logs the failures still counted. */
export interface FanOut extends Disposable {
  /** Hands the event to every sink, in the order they were added. Never throws. */
  emit(event: Event): void;
  /**
   * Sends `greeting` to the sink, then adds it. Disposing the result removes
   * it (and logs its failures still counted). Never throws at the sink's fault.
   */
  add(sink: Emitting, options: FanOutAddOptions): Disposable;
  /** How many sinks there are. */
  readonly size: number;
}

interface Entry {
  deliver: (event: EncodedEvent) => void;
  failures: FailureLog<EncodedEvent>;
}

/**
 * Creates an empty fan-out.
 *
 * @param options The logger (and the clock, for tests).
 * @returns The fan-out.
 */
export function createFanOut(options: FanOutOptions): FanOut {
  const { log, now } = options;
  // Replaced, never changed in place: a sink that adds or removes sinks while
  // it is called does not disturb the loop in progress.
  let entries: readonly Entry[] = [];

  function deliverTo(entry: Entry, event: EncodedEvent): void {
    entry.failures.call(entry.deliver, event);
  }

  return {
    emit(event) {
      const encoded = encodeOnce(event, log);
      for (const entry of entries) deliverTo(entry, encoded);
    },
    add(sink, { name, greeting = [] }) {
      const encoding = sink[EMIT_ENCODED];
      const entry: Entry = {
        deliver: typeof encoding === "function"
          ? (event) => encoding.call(sink, event)
          : (event) => sink.emit(event.event),
        failures: createFailureLog({
          log,
          label: "Event sink {name}",
          name,
          detail: (event) => ({ id: event.event.id }),
          ...(now === undefined ? {} : { now }),
        }),
      };
      for (const event of greeting) deliverTo(entry, encodeOnce(event, log));
      entries = [...entries, entry];
      return {
        [Symbol.dispose]() {
          if (!entries.includes(entry)) return;
          entries = entries.filter((other) => other !== entry);
          entry.failures[Symbol.dispose]();
        },
      };
    },
    get size() {
      return entries.length;
    },
    [Symbol.dispose]() {
      const removed = entries;
      entries = [];
      for (const entry of removed) entry.failures[Symbol.dispose]();
    },
  };
}
