/**
 * One webhook post (WH-01..08, WH-13) and what it does with a 200 reply
 * (WH-10..14): read it within a size limit, decode it as a list of action
 * requests, and run them in order through the router. Private: not
 * exported from `mod.ts`.
 *
 * @module
 */

import { type Log, redactUrl } from "../_log.ts";
import { readLimited } from "../_read_limited.ts";
import type { ActionRouter } from "../action/types.ts";
import type { Event } from "../event/types.ts";
import { decode, type EncodedEvent, type Encoding, encodingOf } from "./codec.ts";
import { refusalReason } from "./_push_target.ts";
import type { FrameTap } from "./frame.ts";

/** What a post needs of its webhook. */
export interface PostContext {
  /** The URL posted to, the token in its query when asked. */
  url: string;
  /** The headers of every post. */
  headers: Headers;
  /** Request timeout in ms; `0` = none. */
  timeout: number;
  router: ActionRouter;
  log: Log;
  /** The URL as log lines show it. */
  shownUrl: string;
  /** The URL as taps show it. */
  peer: string;
  tap: FrameTap | undefined;
  /** Largest reply body read, in bytes. */
  maxReplySize: number;
  /** Aborted at dispose: the post in flight ends and the actions not yet run are skipped. */
  signal: AbortSignal;
}

/**
 * How a post ended: `delivered` (204, or 200 with its `reply` still to run
 * with {@linkcode runReply}), `failed` (a network error, a timeout or another
 * status: the log line's template and properties, for the caller's outage
 * log), or `dropped` (the event cannot be encoded).
 */
export type PostOutcome =
  | { kind: "delivered"; status: number; reply?: Response }
  | { kind: "failed"; message: string; properties: Record<string, unknown> }
  | { kind: "dropped" };

/** POSTs one event (WH-01..08). Never throws; logs nothing: the outcome says what happened. */
export async function postEvent(
  context: PostContext,
  { event, json }: EncodedEvent,
): Promise<PostOutcome> {
  const { url, headers, timeout, peer, tap, signal } = context;
  const body = json();
  if (body === undefined) return { kind: "dropped" };
  tap?.({
    direction: "out",
    type: "event",
    connection: "http_webhook",
    peer,
    encoding: "json",
    data: event,
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers,
      redirect: "manual", // a redirect is a failed push (WH-13), not a second POST elsewhere
      body,
      signal: timeout > 0 ? AbortSignal.any([signal, AbortSignal.timeout(timeout)]) : signal,
    });
  } catch (error) {
    // Deno's fetch error carries the full URL in its cause: log a redacted text only.
    return {
      kind: "failed",
      message: "Webhook {url} failed for event {id}: {error}",
      properties: { error: describeError(error) },
    };
  }
  if (response.status === 204) {
    await cancelBody(response);
    return { kind: "delivered", status: 204 };
  }
  if (response.status !== 200) { // WH-13
    // The peer's reason, when it is short text, is what makes a refusal obvious in the log.
    const reason = await refusalReason(response);
    return {
      kind: "failed",
      message: reason === undefined
        ? "Webhook {url} answered {status} for event {id}"
        : "Webhook {url} answered {status} for event {id}: {reason}",
      properties: { status: response.status, reason },
    };
  }
  return { kind: "delivered", status: 200, reply: response };
}

/** A 200 reply's body, read up to `maxReplySize` bytes; `undefined` when it is not read. */
async function readReply(
  { log, shownUrl, maxReplySize }: PostContext,
  response: Response,
  event: Event,
): Promise<Uint8Array | undefined> {
  const length = response.headers.get("content-length");
  let size = length !== null && /^\d+$/.test(length) ? Number(length) : 0;
  try {
    if (size <= maxReplySize) {
      const read = response.body === null
        ? { bytes: new Uint8Array() }
        : await readLimited(response.body, maxReplySize);
      if ("bytes" in read) return read.bytes;
      size = read.exceeded;
    } else {
      await cancelBody(response);
    }
  } catch (error) {
    log.warn("Webhook {url}: the reply body could not be read: {error}", {
      url: shownUrl,
      error: describeError(error),
    });
    return undefined;
  }
  log.warn(
    "Webhook {url}: the reply to event {id} is larger than {maxReplySize} bytes " +
      "({size} or more): dropped unread, its actions not run",
    { url: shownUrl, id: event.id, maxReplySize, size },
  );
  return undefined;
}

/**
 * WH-10..14: a 200 reply may carry a list of actions to run in order, their
 * responses discarded; a reply too large, malformed or not a list is logged.
 */
export async function runReply(
  context: PostContext,
  response: Response,
  event: Event,
): Promise<void> {
  const bytes = await readReply(context, response, event);
  if (bytes === undefined || bytes.byteLength === 0) return;
  const decoded = decodeReply(context, response, bytes);
  if (decoded !== undefined) await runActions(context, decoded.actions, decoded.encoding);
}

/** The reply's list of action requests; `undefined` (logged) when it is not one. */
function decodeReply(
  { log, shownUrl }: PostContext,
  response: Response,
  bytes: Uint8Array,
): { actions: unknown[]; encoding: Encoding } | undefined {
  const encoding = encodingOf(response.headers.get("content-type"));
  if (encoding === undefined) {
    log.error("Webhook {url}: unsupported reply Content-Type {type}", {
      url: shownUrl,
      type: response.headers.get("content-type"),
    });
    return undefined;
  }
  let actions: unknown;
  try {
    actions = decode(bytes, encoding);
  } catch {
    log.error("Webhook {url}: the reply is not valid {encoding}", { url: shownUrl, encoding });
    return undefined;
  }
  if (!Array.isArray(actions)) {
    log.error("Webhook {url}: the reply is not a list of action requests", { url: shownUrl });
    return undefined;
  }
  return { actions, encoding };
}

/** Runs the reply's actions one after another through the router, with taps and logs. */
async function runActions(
  { router, log, shownUrl, peer, tap, signal }: PostContext,
  actions: unknown[],
  encoding: Encoding,
): Promise<void> {
  for (const [index, request] of actions.entries()) {
    if (signal.aborted) {
      log.warn("Webhook {url}: {left} returned action(s) skipped at dispose", {
        url: shownUrl,
        left: actions.length - index,
      });
      return;
    }
    tap?.({
      direction: "in",
      type: "action",
      connection: "http_webhook",
      peer,
      encoding,
      data: request,
    });
    let result;
    try {
      // Dispose's abort reaches the handler: a long poll or a slow call can stop early.
      result = await router(request, { connection: "http_webhook", signal });
    } catch (error) { // a router never throws, but a hand-written one might
      log.error("Webhook {url}: a returned action threw: {error}", {
        url: shownUrl,
        error: describeError(error),
      });
      continue;
    }
    tap?.({
      direction: "out",
      type: "response",
      connection: "http_webhook",
      peer,
      encoding,
      data: result,
    });
    if (result.status === "failed") {
      log.warn("Webhook {url}: a returned action failed with {retcode}: {message}", {
        url: shownUrl,
        retcode: result.retcode,
        message: result.message,
      });
    }
  }
}

/** Consumes nothing more of a reply: cancelling frees the keep-alive connection. */
async function cancelBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // the connection is already gone
  }
}

/** An error as redacted text, causes included (they may name the URL with its token). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && depth < 4; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return redactUrl(parts.join(" (cause: ") + ")".repeat(parts.length - 1));
}
