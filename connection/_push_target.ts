/**
 * What the push targets (the webhook and the reverse WebSocket) share: the
 * `User-Agent`, the URL as a log line shows it, and a refusal told in words.
 * Private: not exported from `mod.ts`.
 *
 * @module
 */

import { redactUrl } from "../_log.ts";
import { LIBOB_VERSION } from "../version.ts";
import { readLimited } from "./_read_limited.ts";

/**
 * The default `User-Agent` of a webhook POST (WH-03). The reverse WebSocket
 * sends none of its own: Deno's `WebSocket` always sends
 * `User-Agent: Deno/<version>` and cannot be told not to, and a second line
 * makes strict servers (aiohttp) refuse the handshake with 400.
 */
export const USER_AGENT = `OneBot/12 libob/${LIBOB_VERSION}`;

/** Bytes of a refusal's body read for its reason; a longer body gives none. */
export const REASON_LIMIT = 512;

/**
 * The URL as log lines show it: the `access_token` query parameter and a
 * `user:password@` password replaced by `[REDACTED]`.
 */
export function redactedUrl(url: URL): string {
  const shown = new URL(url.href);
  if (shown.password !== "") shown.password = "[REDACTED]"; // user:password@ is Basic auth
  return redactUrl(shown.href);
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
