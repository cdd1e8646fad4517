/**
 * The HTTP connection: a Web-standard `Request → Response` handler
 * (checklist §1.1, HTTP-01..16).
 *
 * @module
 */

import { logger } from "../_log.ts";
import { failed } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import { routeNow, toResponse } from "../action/router.ts";
import type { ActionResponse, ActionRouter } from "../action/types.ts";
import { ABORT, lazySignalContext, ON_READ } from "./_lazy_signal.ts";
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
  /** Sees every action and response ({@linkcode FrameTap}); `peer` is the client's address. */
  tap?: FrameTap;
}

const DEFAULT_MAX_BODY_SIZE = 16 * 1024 * 1024;
const UTF8 = new TextEncoder();

/**
 * Creates the HTTP handler. Checks run in this order, each answering before
 * the next (docs/decisions.md; HTTP-09, HTTP-10, HTTP-03/04, HTTP-07):
 * path `/` (404), method `POST` (405), `Origin` (403, see
 * {@linkcode HttpHandlerOptions.allowedOrigins}), auth (401), `Content-Type` (415),
 * `Content-Length` over the limit (413). Once the body is being read, the
 * answer is always 200 with a retcode (HTTP-11), in the request's encoding
 * (HTTP-08); a body that grows past the limit while streaming is still 413.
 * An action that reads `context.signal` and has not answered by the end of
 * that call (a `get_latest_events` long poll, see `createLatestEventsHandler`)
 * is answered in a streamed body: when the client goes away first, the
 * server cancels it and the signal is aborted. Any other action is answered
 * with a plain body, a synchronous one at once.
 *
 * @param router The action router.
 * @param options Token, origins and body limit.
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
  checkInteger("create HTTP handler", "maxBodySize", maxBodySize, 1);
  const log = logger("http");
  const tap = guardTap("create HTTP handler", options.tap, log, "http");
  const route = routeNow(router);

  /**
   * The response to a body, or, for an action that read `context.signal`
   * before it finished (it may wait: a long poll), the pending response with
   * the abort of that signal. The signal is made on first read: an action
   * that never reads it costs no controller and no timer. An action that
   * answers synchronously is answered synchronously.
   */
  function answer(
    body: Uint8Array,
    encoding: Encoding,
    peer: string,
  ): ActionResponse | Pending | Promise<ActionResponse | Pending> {
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
    const context = lazySignalContext();
    const response = route(value, context);
    if (!(response instanceof Promise)) return response;
    const abort = context[ABORT];
    if (abort !== undefined) return { response, abort };
    // Not read yet: the first of the answer and a later read of the signal decides.
    return new Promise<ActionResponse | Pending>((resolve, reject) => {
      context[ON_READ] = () => resolve({ response, abort: context[ABORT]! });
      // A hand-written router that rejects fails this request, as an awaited one would.
      response.then(resolve, reject);
    });
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
    let body: Uint8Array | "too large" | "failed";
    try {
      body = declared === undefined ? await readBody(request, maxBodySize) : await request.bytes();
    } catch {
      body = "failed";
    }
    // A Request built in-process may declare less than it carries; Deno.serve never does.
    if (body === "too large" || (body !== "failed" && body.byteLength > maxBodySize)) {
      return new Response("Content Too Large", { status: 413 });
    }
    const peer = tap === undefined ? "" : addrPeer(info);
    const answered = body === "failed"
      ? toResponse(failed(RETCODE.BAD_REQUEST, "the body could not be read"), undefined)
      : answer(body, encoding, peer);
    const response = answered instanceof Promise ? await answered : answered;
    const headers = { "Content-Type": MEDIA_TYPE[encoding] };
    if ("abort" in response) {
      return new Response(pendingBody(response, (done) => encode(done, encoding, peer)), {
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

/** A response still being made, and the abort of its action's signal. */
interface Pending {
  response: Promise<ActionResponse>;
  abort: AbortController;
}

/**
 * The body of a pending response: when the client goes away the server
 * cancels the body, which aborts the action's signal at once; a long poll
 * then frees its waiter slot and the events that arrive go to the next poll
 * (§3.1, HTTP-16). (`request.signal` would see the client go too, but on
 * Deno 2 reading it prints a notice about its legacy abort-on-success
 * behaviour.)
 */
function pendingBody(
  { response: pending, abort }: Pending,
  encode: (response: ActionResponse) => string | Uint8Array<ArrayBuffer>,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const response = await pending;
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
