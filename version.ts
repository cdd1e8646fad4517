/**
 * libob's own version, sent in `User-Agent` headers.
 *
 * @module
 */

/**
 * The version of this libob release; equal to `version` in `deno.json`.
 *
 * @example
 * ```ts
 * import { LIBOB_VERSION } from "@libob/libob";
 *
 * const userAgent = `OneBot/12 libob/${LIBOB_VERSION}`;
 * ```
 */
export const LIBOB_VERSION = "0.1.0";
