/**
 * Which bot applications are connected, as far as the frames tell: the
 * playground's answer to "is my bot there?". The tracker reads the frames the
 * OneBot's `tap` sees, so it needs no hook into the connections:
 *
 * - a forward or reverse WebSocket is linked from its `meta.connect`, and
 *   unlinked when an event that goes to every connection (a message, a
 *   notice, a request, a heartbeat) did not go to it: it has closed (a
 *   closed socket is noticed at the next such event, not before);
 * - HTTP and webhook applications keep no connection: one is linked from its
 *   last action (`last`), per host for HTTP and per URL for a webhook's
 *   reply; the page decides how recent counts as connected.
 *
 * @module
 */

import type { Frame } from "../../mod.ts";

/**
 * One bot application the frames show.
 *
 * @example
 * ```ts
 * import type { LinkView } from "./links.ts";
 *
 * const link: LinkView = {
 *   connection: "websocket",
 *   peer: "127.0.0.1:50000",
 *   since: 1700000000000,
 *   last: 1700000000000,
 * };
 * ```
 */
export interface LinkView {
  /** How it is connected. */
  connection: Frame["connection"];
  /** The remote address (forward WebSocket), host (HTTP) or URL (reverse WebSocket, webhook). */
  peer: string;
  /** When it was first seen, in Unix ms. */
  since: number;
  /** When it was last seen (a frame to or from it), in Unix ms. */
  last: number;
}

/**
 * Tracks the linked applications; feed it every frame.
 *
 * @example
 * ```ts
 * import type { LinkTracker } from "./links.ts";
 *
 * const count = (tracker: LinkTracker) => tracker.list().length;
 * ```
 */
export interface LinkTracker {
  /** Reads one frame. */
  see(frame: Frame): void;
  /**
   * Says that an event to every connection is being emitted now (call it
   * just before): when no socket gets it, every socket is gone, though no
   * frame shows it.
   */
  broadcast(): void;
  /** The links now, oldest first. */
  list(): LinkView[];
}

/** The options of {@linkcode createLinkTracker}. */
export interface LinkTrackerOptions {
  /** Called when a link comes or goes (at once, or in a microtask for one that goes). */
  onChange?: () => void;
  /** The clock, in Unix ms (tests pass their own). Default `Date.now`. */
  now?: () => number;
}

/** The links kept at most: HTTP hosts are many on a busy demo. */
const MAX_LINKS = 100;

/**
 * Creates a tracker. An event to every connection reaches them all in one
 * synchronous run of frames; at the end of the run (a microtask) a socket
 * linked before it that it did not reach is unlinked.
 *
 * @param options The change callback and the clock.
 * @returns The tracker.
 *
 * @example
 * ```ts
 * import { createLinkTracker } from "./links.ts";
 * import { expect } from "expect";
 *
 * const links = createLinkTracker({ now: () => 1 });
 * links.see({
 *   direction: "out", type: "event", connection: "websocket",
 *   peer: "127.0.0.1:5000", encoding: "json", data: { type: "meta", detail_type: "connect" },
 * });
 * expect(links.list()).toEqual([
 *   { connection: "websocket", peer: "127.0.0.1:5000", since: 1, last: 1 },
 * ]);
 * links.broadcast(); // a message no socket got
 * await Promise.resolve();
 * expect(links.list()).toEqual([]);
 * ```
 */
export function createLinkTracker(options: LinkTrackerOptions = {}): LinkTracker {
  const { onChange = () => {}, now = Date.now } = options;
  const links = new Map<string, LinkView>();
  /** The broadcast event being sent (its ID once a frame shows it), and what it reached. */
  let run: { id: unknown; reached: Set<string>; before: string[] } | undefined;

  function link(connection: Frame["connection"], peer: string): void {
    const key = `${connection} ${peer}`;
    const time = now();
    const known = links.get(key);
    if (known !== undefined) {
      known.last = time;
      return;
    }
    if (links.size >= MAX_LINKS) links.delete(links.keys().next().value!);
    links.set(key, { connection, peer, since: time, last: time });
    onChange();
  }

  function startRun(id: unknown): void {
    const before = [...links].filter(([, l]) => isSocket(l.connection)).map(([key]) => key);
    const current = { id, reached: new Set<string>(), before };
    run = current;
    queueMicrotask(() => {
      if (run === current) settle();
    });
  }

  /** Ends the run: a socket linked before it that it did not reach has closed. */
  function settle(): void {
    if (run === undefined) return;
    const { before, reached } = run;
    run = undefined;
    let changed = false;
    for (const key of before) {
      if (!reached.has(key) && links.delete(key)) changed = true;
    }
    if (changed) onChange();
  }

  function see(frame: Frame): void {
    const { direction, type, connection, peer, data } = frame;
    if (direction === "in" && type === "action") {
      link(connection, connection === "http" ? hostOf(peer) : peer);
      return;
    }
    if (direction !== "out" || type !== "event") return;
    const event = (data ?? {}) as { id?: unknown; type?: unknown; detail_type?: unknown };
    if (event.type === "meta" && event.detail_type === "connect") {
      if (isSocket(connection)) link(connection, peer);
      return;
    }
    // Only events sent to every connection tell which sockets are gone; a
    // status_update may be one socket's greeting.
    if (event.type === "meta" && event.detail_type !== "heartbeat") return;
    if (run !== undefined && run.id === undefined) run.id = event.id;
    else if (run === undefined || run.id !== event.id) {
      settle();
      startRun(event.id);
    }
    if (!isSocket(connection)) return;
    run!.reached.add(`${connection} ${peer}`);
    link(connection, peer);
  }

  return {
    see,
    broadcast() {
      settle();
      startRun(undefined);
    },
    list: () => [...links.values()].map((l) => ({ ...l })),
  };
}

function isSocket(connection: Frame["connection"]): boolean {
  return connection === "websocket" || connection === "websocket_reverse";
}

/** `host:port` without the port (HTTP clients use a new port per connection). */
function hostOf(peer: string): string {
  const colon = peer.lastIndexOf(":");
  return colon > 0 && !peer.endsWith("]") ? peer.slice(0, colon) : peer;
}
