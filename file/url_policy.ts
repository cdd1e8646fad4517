/**
 * Where `upload_file` with `type` `url` may download from: the URL policy of
 * the file actions (issue #12 item 4).
 *
 * @module
 */

import { failed } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import type { Failure } from "../action/types.ts";
import { addressKind, isIpLiteral } from "./_ip_address.ts";
import { clip } from "../_text.ts";
import { FILE_RETCODE } from "./retcode.ts";

/**
 * The URL policy of `upload_file` with `type` `url`. By default only
 * `http:` and `https:` URLs whose host resolves to public addresses only are
 * fetched: loopback, private (RFC 1918, 100.64/10 CGNAT, fc00::/7),
 * link-local (169.254/16, fe80::/10, where cloud metadata lives),
 * unspecified (0.0.0.0, ::), multicast and reserved addresses are refused,
 * IPv4-mapped IPv6 included. Every redirect hop is checked the same way.
 * A host name is judged by its resolved addresses (`Deno.resolveDns`, A and
 * AAAA), never by its spelling, and all of them must be public.
 *
 * Between the check and the connection, DNS could answer differently (a
 * rebinding attack). With the default `fetch`, an `http:` hop connects to the
 * very address that was checked (a `Deno.createHttpClient` TCP transport; the
 * name is not resolved twice), and an `https:` hop is held to its name by the
 * certificate check: a rebound internal server would need a certificate
 * valid for the attacker's name. Known limits: a custom `fetch` option
 * resolves names again (itself or through its proxy), so for `http:` the gap
 * stays open there: its proxy should refuse private addresses too. With the
 * default `fetch`, `http:` hops connect directly and so bypass
 * `HTTP_PROXY`; pass a `fetch` to download through a proxy. The policy
 * judges where libob connects, not what a public server does with the
 * request.
 *
 * @example Letting a trusted internal file server through
 * ```ts
 * import type { UrlPolicy } from "@libob/libob/file";
 *
 * const policy: UrlPolicy = { allowHosts: ["files.internal", "10.0.0.5"] };
 * ```
 */
export interface UrlPolicy {
  /**
   * Host names or IP literals (exact, case-insensitive; IPv6 with or without
   * brackets; no wildcards, no port) fetched whatever they resolve to, e.g.
   * an internal file server. Default none.
   */
  allowHosts?: readonly string[];
  /**
   * Fetch any address, private networks and loopback included: the address
   * check (and its DNS lookup) is off. Only for an implementation whose
   * network holds nothing a peer must not read. Default `false`.
   */
  allowPrivate?: boolean;
}

/** A URL that passed the policy, with the address to connect to when it was resolved. */
export interface AllowedUrl {
  readonly url: URL;
  /** The checked address to pin the connection to; absent when the host is exempt. */
  readonly address?: string;
}

/** The policy as checked once by the factory. */
export interface CheckedPolicy {
  readonly allowHosts: ReadonlySet<string>;
  readonly allowPrivate: boolean;
}

/** Validates a {@linkcode UrlPolicy} option; throws `TypeError` naming the field. */
export function checkUrlPolicy(where: string, policy: UrlPolicy | undefined): CheckedPolicy {
  if (policy === undefined) return { allowHosts: new Set(), allowPrivate: false };
  if (typeof policy !== "object" || policy === null) {
    throw new TypeError(`${where}: urlPolicy must be an object: current type is ${typeof policy}`);
  }
  const { allowHosts = [], allowPrivate = false } = policy;
  if (!Array.isArray(allowHosts) || allowHosts.some((h) => typeof h !== "string" || h === "")) {
    throw new TypeError(`${where}: urlPolicy.allowHosts must be an array of non-empty strings`);
  }
  if (typeof allowPrivate !== "boolean") {
    throw new TypeError(
      `${where}: urlPolicy.allowPrivate must be a boolean: current type is ${typeof allowPrivate}`,
    );
  }
  return { allowHosts: new Set(allowHosts.map(normalHost)), allowPrivate };
}

/** A host without IPv6 brackets, lowercased: the form `allowHosts` is compared in. */
function normalHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith("[") && lower.endsWith("]") ? lower.slice(1, -1) : lower;
}

/** Parses a URL (relative to `base` for a redirect) and accepts only `http:` and `https:`. */
export function parseHttpUrl(text: string, base?: URL): URL | Failure {
  const url = URL.parse(text, base);
  if (url === null) return failed(RETCODE.BAD_PARAM, "url: expected an absolute URL");
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return failed(RETCODE.UNSUPPORTED_PARAM, "url: only http and https URLs are supported");
  }
  return url;
}

/**
 * Checks one hop: an exempt host passes, an IP literal is judged as it is, a
 * name is resolved (A and AAAA) and passes only when every address is
 * public. Refusals answer 10004; a name that does not resolve, 33001.
 */
export async function checkUrl(
  url: URL,
  policy: CheckedPolicy,
  signal: AbortSignal,
): Promise<AllowedUrl | Failure> {
  if (policy.allowPrivate) return { url };
  const host = normalHost(url.hostname);
  if (policy.allowHosts.has(host)) return { url };
  const addresses = isIpLiteral(url.hostname) ? [host] : await resolve(host, signal);
  if (addresses.length === 0) {
    return failed(FILE_RETCODE.DOWNLOAD_FAILED, `download failed: ${clip(host)} does not resolve`);
  }
  for (const address of addresses) {
    const kind = addressKind(address);
    if (kind !== "public") {
      return failed(
        RETCODE.UNSUPPORTED_PARAM,
        `url: refused: ${clip(host)} is ${
          address === host ? "" : `at ${address}, `
        }a ${kind} address; see the urlPolicy option`,
      );
    }
  }
  return { url, address: addresses[0]! };
}

/** The A then AAAA addresses of `host`; a failed or empty lookup of one kind counts as none. */
async function resolve(host: string, signal: AbortSignal): Promise<string[]> {
  const lookUp = (type: "A" | "AAAA") =>
    Deno.resolveDns(host, type, { signal }).catch((): string[] => []);
  const [v4, v6] = await Promise.all([lookUp("A"), lookUp("AAAA")]);
  return [...v4, ...v6];
}
