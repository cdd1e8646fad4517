/**
 * What the push targets (the webhook and the reverse WebSocket) share: the
 * URL check, token placement (header or query), the names logs and taps
 * give the target, the `User-Agent`, and a refusal told in words.
 * Private: not exported from `mod.ts`.
 *
 * @module
 */

import { redactUrl, urlPeer } from "../_log.ts";
import { LIBOB_VERSION } from "../version.ts";
import { readLimited } from "../_read_limited.ts";
import { checkAccessToken } from "./auth.ts";

/**
 * The default `User-Agent` of a webhook POST (WH-03). The reverse WebSocket
 * sends none of its own: Deno's `WebSocket` always sends
 * `User-Agent: Deno/<version>` and cannot be told not to, and a second line
 * makes strict servers (aiohttp) refuse the handshake with 400.
 */
export const USER_AGENT = `OneBot/12 libob/${LIBOB_VERSION}`;

/** Bytes of a refusal's body read for its reason; a longer body gives none. */
export const REASON_LIMIT = 512;

/** The options every push target takes about where it pushes. */
export interface PushTargetOptions {
  /** The target's URL. */
  url: string;
  /** The access token; empty or unset sends none. */
  accessToken?: string | undefined;
  /** Put the token in the `access_token` query parameter instead of a header. */
  tokenInQuery?: boolean;
}

/** Where a push target connects, with the token placed, and how it is named. */
export interface PushTarget {
  /** The URL to connect to: with the `access_token` parameter when `tokenInQuery`. */
  url: string;
  /** The `Authorization` header to send: `Bearer <token>`, when the token goes in one. */
  authorization: string | undefined;
  /** The URL as log lines show it ({@linkcode redactUrl}). */
  shown: string;
  /** The URL as taps and fan-out names show it ({@linkcode urlPeer}). */
  peer: string;
}

/**
 * Checks a push target's URL (its scheme one of `schemes`), token and
 * `tokenInQuery`, and places the token: in the query when asked, else in an
 * `Authorization` header (WH-06, WSR-04). The token goes untrimmed.
 *
 * @throws {TypeError} With `where` in a std-style message, when the URL does
 * not parse or has another scheme, the token has surrounding white space, or
 * `tokenInQuery` is not a boolean.
 */
export function checkPushTarget(
  where: string,
  options: PushTargetOptions,
  schemes: readonly [string, string],
): PushTarget {
  const { url, tokenInQuery = false } = options;
  const target = typeof url === "string" && URL.canParse(url) ? new URL(url) : undefined;
  if (target === undefined || !schemes.includes(target.protocol)) {
    throw new TypeError(
      `Cannot ${where}: url must be a ${schemes.join(" or ")} URL: current value is ${
        typeof url === "string" ? redactUrl(url) : url
      }`,
    );
  }
  if (typeof tokenInQuery !== "boolean") {
    throw new TypeError(`Cannot ${where}: tokenInQuery must be a boolean`);
  }
  const accessToken = checkAccessToken(where, options.accessToken);
  const inQuery = accessToken !== "" && tokenInQuery;
  if (inQuery) target.searchParams.set("access_token", accessToken);
  return {
    url: target.href,
    authorization: accessToken !== "" && !inQuery ? `Bearer ${accessToken}` : undefined,
    shown: redactUrl(target),
    peer: urlPeer(target),
  };
}

/**
 * The peer's reason for a refusal: its body when that is short UTF-8 text
 * (at most {@linkcode REASON_LIMIT} bytes), with white space runs folded and
 * control characters dropped; otherwise `undefined`. The body is consumed or
 * cancelled either way, and reading it never throws.
 */
export async function refusalReason(response: Response): Promise<string | undefined> {
  if (response.body === null) return undefined;
  let read;
  try {
    read = await readLimited(response.body, REASON_LIMIT);
  } catch {
    return undefined;
  }
  if (!("bytes" in read)) return undefined;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
  } catch {
    return undefined; // not text
  }
  // deno-lint-ignore no-control-regex
  const reason = text.replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim();
  return reason === "" ? undefined : reason;
}

/**
 * The HTTP status of a refused WebSocket handshake, read from the message of
 * Deno's `error` event (`…failed to connect to WebSocket: Invalid status
 * code: 400`), the only place Deno shows it: the body is not exposed.
 */
export function handshakeStatus(message: string): number | undefined {
  const match = /invalid status code:? *(\d{3})\b/i.exec(message);
  return match === null ? undefined : Number(match[1]);
}
