/**
 * The HTTP connection: a Web-standard `Request → Response` handler
 * (checklist §1.1, HTTP-01..16).
 *
 * @module
 */

import { logger } from "../_log.ts";
import { echoOf, parseActionRequest } from "../action/parse_request.ts";
import { failed, isFailure, ok } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import { toResponse } from "../action/router.ts";
import type { ActionResponse, ActionRouter } from "../action/types.ts";
import type { EventBuffer } from "../event/buffer.ts";
import { readLimited } from "../_read_limited.ts";
import { refuse } from "../_refuse.ts";
import { checkOrigins, isOriginAllowed } from "../_origin.ts";
import { checkAccessToken, isAuthorized } from "./auth.ts";
import { decode, encodeResponse, type Encoding, encodingOf, MEDIA_TYPE } from "./codec.ts";
import { addrPeer, type FrameTap, guardTap } from "./frame.ts";
import { checkInteger } from "../_check.ts";

/**
 * A Web-standard request handler, usable as `Deno.serve`'s handler or a
 * `deno serve` default export's `fetch`.
 *
 * @example
 * ```ts
 * import type { RequestHandler } from "@libob/libob";
 *
 * const handler: RequestHandler = () => Promise.resolve(new Response("hi"));
 * ```
 */
export type RequestHandler = (
  request: Request,
  info?: Deno.ServeHandlerInfo,
) => Promise<Response>;

/**
 * Options of {@linkcode createHttpHandler}.
 *
 * @example
 * ```ts
 * import type { HttpHandlerOptions } from "@libob/libob";
 *
 * const options: HttpHandlerOptions = { accessToken: "s3cret", maxBodySize: 1 << 20 };
 * ```
 */
export interface HttpHandlerOptions {
  /** The access token; empty or unset disables auth (HTTP-02). */
  accessToken?: string | undefined;
  /**
   * The web origins whose pages may call: a request with an `Origin` header
   * (browsers always send one, bot clients usually not) is refused with 403
   * unless its origin is listed. Items: origins like `https://example.com`,
   * `"null"` for the opaque origin, `"*"` for any. Default none: every
   * request that carries an `Origin` is refused.
   */
  allowedOrigins?: readonly string[];
  /** Largest accepted body in bytes, answered 413 before buffering. Default 16 MiB. */
  maxBodySize?: number;
  /** The buffer behind `get_latest_events`; without it the action answers 10002 (HTTP-12). */
  events?: EventBuffer;
  /** Longest long poll in seconds; a larger `timeout` is shortened to it. Default 600. */
  maxPollTimeout?: number;
  /** Sees every action and response ({@linkcode FrameTap}); `peer` is the client's address. */
  tap?: FrameTap;
}

const DEFAULT_MAX_BODY_SIZE = 16 * 1024 * 1024;
const UTF8 = new TextEncoder();

/**
 * Creates the HTTP handler. Checks run in this order, each answering before
 * the next (README "Decisions"; HTTP-09, HTTP-10, HTTP-03/04, HTTP-07):
 * path `/` (404), method `POST` (405), `Origin` (403, see
 * {@linkcode HttpHandlerOptions.allowedOrigins}), auth (401), `Content-Type` (415),
 * `Content-Length` over the limit (413). Once the body is being read, the
 * answer is always 200 with a retcode (HTTP-11), in the request's encoding
 * (HTTP-08); a body that grows past the limit while streaming is still 413.
 *
 * @param router The action router.
 * @param options Token, origins, body limit and the optional event buffer.
 * @returns The request handler.
 * @throws {RangeError} When a limit is not a positive integer.
 * @throws {TypeError} When the token has surrounding white space or an allowed origin is not one.
 *
 * @example Calling an action without a network
 * ```ts
 * import { createActionRouter, createHttpHandler, ok } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const router = createActionRouter({
 *   handlers: { ping: () => ok("pong") },
 *   bots: () => [{ platform: "demo", user_id: "bot" }],
 * });
 * const handler = createHttpHandler(router, { accessToken: "s3cret" });
 * const response = await handler(new Request("http://localhost/", {
 *   method: "POST",
 *   headers: { "Content-Type": "application/json", Authorization: "Bearer s3cret" },
 *   body: JSON.stringify({ action: "ping", params: {}, echo: "1" }),
 * }));
 * expect(response.status).toBe(200);
 * expect(await response.json()).toEqual({
 *   status: "ok", retcode: 0, data: "pong", message: "", echo: "1",
 * });
 * ```
 */
export function createHttpHandler(
  router: ActionRouter,
  options: HttpHandlerOptions = {},
): RequestHandler {
  const accessToken = checkAccessToken("create HTTP handler", options.accessToken);
  const allowedOrigins = checkOrigins("create HTTP handler", options.allowedOrigins);
  const maxBodySize = options.maxBodySize ?? DEFAULT_MAX_BODY_SIZE;
  const maxPollTimeout = options.maxPollTimeout ?? 600;
  checkInteger("create HTTP handler", "maxBodySize", maxBodySize, 1);
  checkInteger("create HTTP handler", "maxPollTimeout", maxPollTimeout, 1);
  const { events } = options;
  const log = logger("http");
  const tap = guardTap("create HTTP handler", options.tap, log, "http");

  /** The response to a decoded body, or a long poll to run while the response is written. */
  async function answer(
    body: Uint8Array,
    encoding: Encoding,
    peer: string,
  ): Promise<ActionResponse | LongPoll> {
    let value: unknown;
    try {
      value = decode(body, encoding);
    } catch {
      return toResponse(
        failed(RETCODE.BAD_REQUEST, `the body is not valid ${encoding}`),
        undefined,
      );
    }
    tap?.({ direction: "in", type: "action", connection: "http", peer, encoding, data: value });
    if (events !== undefined && isGetLatestEvents(value)) {
      const request = parseActionRequest(value);
      const poll = isFailure(request) ? request : checkPoll(request.params, maxPollTimeout);
      const echo = echoOf(value);
      if (isFailure(poll)) return toResponse(poll, echo);
      if (poll.timeoutMs === 0 || events.length > 0) {
        return toResponse(ok(await events.poll(poll.limit, 0)), echo);
      }
      return async (signal) => {
        const taken = await events.poll(poll.limit, poll.timeoutMs, signal);
        if (signal.aborted && taken.length > 0) {
          log.warn("{count} event(s) were taken by a long poll whose client went away", {
            count: taken.length,
          });
        }
        return toResponse(ok(taken), echo);
      };
    }
    return await router(value, { connection: "http" });
  }

  /** Taps, logs and encodes the response. */
  function encode(
    response: ActionResponse,
    encoding: Encoding,
    peer: string,
  ): string | Uint8Array<ArrayBuffer> {
    tap?.({
      direction: "out",
      type: "response",
      connection: "http",
      peer,
      encoding,
      data: response,
    });
    if (response.retcode === RETCODE.INTERNAL_HANDLER_ERROR) {
      log.debug("Answered 20002 over HTTP", { echo: response.echo });
    }
    return encodeResponse(response, encoding);
  }

  return async function handleHttp(request, info) {
    if (!isRootPath(request.url)) return await refuse(request, 404, "Not Found");
    if (request.method !== "POST") {
      return await refuse(request, 405, "Method Not Allowed", { Allow: "POST" });
    }
    if (!isOriginAllowed(request, allowedOrigins)) {
      return await refuse(request, 403, "Forbidden: this Origin is not allowed");
    }
    if (!isAuthorized(request, accessToken)) return await refuse(request, 401, "Unauthorized");
    const encoding = encodingOf(request.headers.get("content-type"));
    if (encoding === undefined) {
      return await refuse(request, 415, "Unsupported Media Type", {
        "Accept-Post": `${MEDIA_TYPE.json}, ${MEDIA_TYPE.msgpack}`,
      });
    }
    const length = request.headers.get("content-length");
    const declared = length === null || !/^\d+$/.test(length) ? undefined : Number(length);
    if (declared !== undefined && declared > maxBodySize) {
      return await refuse(request, 413, "Content Too Large");
    }
    // With a Content-Length the server already bounds the body; without one, count while streaming.
    const body = declared === undefined
      ? await readBody(request, maxBodySize)
      : await request.bytes().catch(() => "failed" as const);
    // A Request built in-process may declare less than it carries; Deno.serve never does.
    if (body === "too large" || (body !== "failed" && body.byteLength > maxBodySize)) {
      return new Response("Content Too Large", { status: 413 });
    }
    const peer = tap === undefined ? "" : addrPeer(info);
    const response = body === "failed"
      ? toResponse(failed(RETCODE.BAD_REQUEST, "the body could not be read"), undefined)
      : await answer(body, encoding, peer);
    const headers = { "Content-Type": MEDIA_TYPE[encoding] };
    if (typeof response === "function") {
      return new Response(longPollBody(response, (done) => encode(done, encoding, peer)), {
        status: 200,
        headers,
      });
    }
    return new Response(encode(response, encoding, peer), { status: 200, headers });
  };
}

/** Whether a request URL's path is exactly `/` (query allowed), without a URL parse. */
function isRootPath(url: string): boolean {
  const scheme = url.indexOf("://");
  const slash = url.indexOf("/", scheme === -1 ? 0 : scheme + 3);
  if (slash === -1) return true;
  const next = url.charCodeAt(slash + 1);
  // End of string, `?` or `#` right after the first slash.
  return Number.isNaN(next) || next === 63 || next === 35;
}

function isGetLatestEvents(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    (value as Record<string, unknown>).action === "get_latest_events";
}

/** A long poll that waits for events; an aborted `signal` ends it at once. */
type LongPoll = (signal: AbortSignal) => Promise<ActionResponse>;

/**
 * `get_latest_events` (§3.1): `limit` and `timeout` are non-negative integers
 * (10003 otherwise); `timeout` is in seconds, capped at `maxPollTimeout`.
 */
function checkPoll(
  params: Record<string, unknown>,
  maxPollTimeout: number,
): { limit: number; timeoutMs: number } | ReturnType<typeof failed> {
  const { limit = 0, timeout = 0 } = params;
  for (const [name, value] of [["limit", limit], ["timeout", timeout]] as const) {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      return failed(RETCODE.BAD_PARAM, `${name} must be an integer >= 0`);
    }
  }
  return { limit: limit as number, timeoutMs: Math.min(timeout as number, maxPollTimeout) * 1000 };
}

/**
 * The body of a long poll's response: the poll starts when the server reads
 * the body, and when the client goes away the server cancels the body, which
 * aborts the poll at once: its waiter slot is freed and the events that
 * arrive go to the next poll (§3.1, HTTP-16). (`request.signal` would see
 * the client go too, but on Deno 2 reading it prints a notice about its
 * legacy abort-on-success behaviour.)
 */
function longPollBody(
  poll: LongPoll,
  encode: (response: ActionResponse) => string | Uint8Array<ArrayBuffer>,
): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const response = await poll(abort.signal);
      if (abort.signal.aborted) return;
      const encoded = encode(response);
      controller.enqueue(typeof encoded === "string" ? UTF8.encode(encoded) : encoded);
      controller.close();
    },
    cancel() {
      abort.abort();
    },
  }, { highWaterMark: 0 });
}

/** Reads the body up to `limit` bytes without buffering more than that. */
async function readBody(
  request: Request,
  limit: number,
): Promise<Uint8Array | "too large" | "failed"> {
  if (request.body === null) return new Uint8Array();
  try {
    const read = await readLimited(request.body, limit);
    return "bytes" in read ? read.bytes : "too large";
  } catch {
    return "failed";
  }
}
