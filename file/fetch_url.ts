/**
 * The download of `upload_file` with `type` `url`: the URL policy checked on
 * every hop, redirects followed by hand, the size bounded before and while
 * reading. Private: not exported from `mod.ts`.
 *
 * @module
 */

import type { Log } from "../_log.ts";
import { failed, isFailure } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import type { Failure } from "../action/types.ts";
import { readLimited } from "../_read_limited.ts";
import { tooLarge } from "./_shared.ts";
import { clip } from "../_text.ts";
import { FILE_RETCODE } from "./retcode.ts";
import { type AllowedUrl, type CheckedPolicy, checkUrl, parseHttpUrl } from "./url_policy.ts";

/** Redirects followed at most; one more answers 33001. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Request headers not sent on to another origin (fetch drops `Authorization` too). */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"] as const;

/** What {@linkcode createUrlFetcher} needs. */
export interface UrlFetcherOptions {
  /** The injected `fetch`, or `undefined` for `globalThis.fetch` with pinned connections. */
  readonly fetch: typeof globalThis.fetch | undefined;
  /** Milliseconds the whole download may take, `0` = no limit. */
  readonly timeout: number;
  /** The most bytes accepted. */
  readonly maxSize: number;
  readonly policy: CheckedPolicy;
  readonly log: Log;
}

/** Downloads `url` with the peer's `headers`: the bytes, or the failure to answer. */
export type UrlFetcher = (
  url: string,
  headers: Record<string, string> | undefined,
) => Promise<Uint8Array | Failure>;

/** Builds the downloader of `upload_file` `type` `url`. */
export function createUrlFetcher(options: UrlFetcherOptions): UrlFetcher {
  const { timeout, maxSize, policy, log } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const pin = options.fetch === undefined;

  /** One request; an http hop to a checked address connects to that address only. */
  async function request(hop: AllowedUrl, headers: Headers, signal: AbortSignal) {
    const { url, address } = hop;
    if (!pin || address === undefined || url.protocol !== "http:") {
      return { response: await fetchImpl(url.href, { headers, signal, redirect: "manual" }) };
    }
    // A TCP transport: the name is not resolved again, so DNS cannot change the answer
    // between the check and the connection. (https is held to the name by its certificate.)
    const client = Deno.createHttpClient({
      proxy: {
        transport: "tcp",
        hostname: address.includes(":") ? `[${address}]` : address,
        port: Number(url.port || 80),
      },
    });
    try {
      return {
        response: await fetchImpl(url.href, { headers, signal, redirect: "manual", client }),
        client,
      };
    } catch (error) {
      client.close();
      throw error;
    }
  }

  /** Reads an OK response within `maxSize`: refused by Content-Length, else stopped past it. */
  async function readBody(response: Response): Promise<Uint8Array | Failure> {
    const declared = Number(response.headers.get("Content-Length") ?? "NaN");
    if (declared > maxSize) {
      await response.body?.cancel().catch(() => {});
      return tooLarge(declared, maxSize);
    }
    if (response.body === null) return new Uint8Array(0);
    const read = await readLimited(response.body, maxSize);
    return "bytes" in read ? read.bytes : tooLarge(read.exceeded, maxSize);
  }

  /** Follows at most {@linkcode MAX_REDIRECTS} redirects, checking each hop. Rejects on network errors. */
  async function follow(
    first: URL,
    headers: Headers,
    signal: AbortSignal,
  ): Promise<Uint8Array | Failure> {
    let url = first;
    for (let redirects = 0;; redirects++) {
      const hop = await checkUrl(url, policy, signal);
      signal.throwIfAborted();
      if (isFailure(hop)) return hop;
      const { response, client } = await request(hop, headers, signal);
      try {
        if (!REDIRECT_STATUSES.has(response.status)) {
          if (response.ok) return await readBody(response);
          await response.body?.cancel().catch(() => {});
          return failed(FILE_RETCODE.DOWNLOAD_FAILED, `download failed: HTTP ${response.status}`);
        }
        await response.body?.cancel().catch(() => {});
      } finally {
        client?.close();
      }
      if (redirects === MAX_REDIRECTS) {
        return failed(
          FILE_RETCODE.DOWNLOAD_FAILED,
          `download failed: more than ${MAX_REDIRECTS} redirects`,
        );
      }
      const next = redirectTarget(response, url);
      if (isFailure(next)) return next;
      if (next.origin !== url.origin) {
        for (const name of CREDENTIAL_HEADERS) headers.delete(name);
      }
      url = next;
    }
  }

  return async function fetchUrl(text, headers) {
    const url = parseHttpUrl(text);
    if (isFailure(url)) return url;
    const requestHeaders = toHeaders(headers);
    if (isFailure(requestHeaders)) return requestHeaders;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (timeout > 0) timer = setTimeout(() => abort.abort(), timeout);
    try {
      return await follow(url, requestHeaders, abort.signal);
    } catch (error) {
      if (abort.signal.aborted) {
        return failed(FILE_RETCODE.DOWNLOAD_TIMEOUT, `download timed out after ${timeout} ms`);
      }
      log.warn("Downloading from {origin} failed: {error}", { origin: url.origin, error });
      return failed(FILE_RETCODE.DOWNLOAD_FAILED, "download failed: the request did not complete");
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Where a redirect leads: 33001 without a usable `Location`, 10004 for a
 * scheme other than `http:` and `https:` (the policy refuses it, as at the
 * first hop).
 */
function redirectTarget(response: Response, base: URL): URL | Failure {
  const location = response.headers.get("Location");
  const next = location === null ? undefined : URL.parse(location, base);
  if (location === null || next == null) {
    return failed(
      FILE_RETCODE.DOWNLOAD_FAILED,
      `download failed: HTTP ${response.status} without a valid Location`,
    );
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    return failed(
      RETCODE.UNSUPPORTED_PARAM,
      `url: refused: redirected to a ${clip(next.protocol)} URL; only http and https are supported`,
    );
  }
  return next;
}

/** The peer's headers (already a map of strings) as `Headers`; 10003 for an invalid one. */
function toHeaders(headers: Record<string, string> | undefined): Headers | Failure {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers ?? {})) {
    try {
      result.set(name, value);
    } catch {
      return failed(RETCODE.BAD_PARAM, `headers.${clip(name)}: not a valid HTTP header`);
    }
  }
  return result;
}
