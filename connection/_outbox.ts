/**
 * The sending side of a WebSocket session: frames queued while the socket
 * is CONNECTING, and a peer too slow to read closed. Private: not exported
 * from `mod.ts`.
 *
 * @module
 */

import type { SessionOptions } from "./_socket.ts";

/** A frame to send: JSON text or MessagePack bytes. */
export type Frame = string | Uint8Array<ArrayBuffer>;

/** The sending side of a session: frames queued while CONNECTING, a too-slow peer closed. */
export interface Outbox {
  /** Sends or queues one frame; `false` when it will not be sent. */
  write(frame: Frame): boolean;
  /** Whether the socket is closing or closed (or will be closed on open). */
  isDone(): boolean;
  /** Closes the socket, at once or when it opens; what is queued is dropped. */
  closeSocket(code: number, reason: string): void;
}

/**
 * Creates the outbox of `socket`. Deno refuses `send` before `open`
 * (InvalidStateError), so frames written while CONNECTING wait in an
 * ordered queue, bounded by `maxBufferedAmount`, that is flushed on `open`.
 */
export function createOutbox(
  socket: WebSocket,
  { connection, limits, slowCode, log }: Pick<
    SessionOptions,
    "connection" | "limits" | "slowCode" | "log"
  >,
): Outbox {
  let pending: Frame[] = [];
  let pendingBytes = 0;
  let closeOnOpen: { code: number; reason: string } | undefined;

  function isDone(): boolean {
    return closeOnOpen !== undefined || socket.readyState === WebSocket.CLOSING ||
      socket.readyState === WebSocket.CLOSED;
  }

  function tooSlow(unsent: number): void {
    log.warn(
      "Closing a {connection} socket that is too slow: {unsent} bytes unsent, limit {limit}",
      { connection, unsent, limit: limits.maxBufferedAmount },
    );
    closeSocket(slowCode, "too slow");
  }

  function closeSocket(code: number, reason: string): void {
    pending = [];
    pendingBytes = 0;
    if (socket.readyState === WebSocket.CONNECTING) {
      closeOnOpen ??= { code, reason };
      return;
    }
    try {
      socket.close(code, reason);
    } catch (error) {
      log.debug("Could not close a {connection} socket: {error}", { connection, error });
    }
  }

  /** Sends or queues one frame; `false` when it will not be sent. */
  function write(frame: Frame): boolean {
    if (isDone()) return false;
    // Pending strings are counted in UTF-16 units: a cheap approximation.
    const size = typeof frame === "string" ? frame.length : frame.byteLength;
    if (socket.readyState === WebSocket.CONNECTING) {
      if (pendingBytes + size > limits.maxBufferedAmount) {
        tooSlow(pendingBytes + size);
        return false;
      }
      pending.push(frame);
      pendingBytes += size;
      return true;
    }
    // Deno reports bufferedAmount on server and client sockets alike.
    if (socket.bufferedAmount > limits.maxBufferedAmount) {
      tooSlow(socket.bufferedAmount);
      return false;
    }
    try {
      socket.send(frame);
      return true;
    } catch (error) {
      log.debug("Could not send on a {connection} socket: {error}", { connection, error });
      return false;
    }
  }

  socket.addEventListener("open", () => {
    if (closeOnOpen !== undefined) {
      const { code, reason } = closeOnOpen;
      closeOnOpen = undefined;
      closeSocket(code, reason);
      return;
    }
    const frames = pending;
    pending = [];
    pendingBytes = 0;
    for (const frame of frames) write(frame);
  });
  socket.addEventListener("close", () => {
    pending = [];
    pendingBytes = 0;
  });
  return { write, isDone, closeSocket };
}
