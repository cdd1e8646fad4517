/**
 * SHA-256 in lowercase hex, as OneBot 12 file actions carry it (§4.5).
 *
 * @module
 */

/**
 * The SHA-256 of `data` as 64 lowercase hex digits (§4.5), computed with
 * `crypto.subtle.digest`.
 *
 * @param data The bytes.
 * @returns The digest in lowercase hex.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "@libob/libob/file";
 * import { expect } from "expect";
 *
 * expect(await sha256Hex(new TextEncoder().encode("hi"))).toBe(
 *   "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4",
 * );
 * ```
 */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>);
  return new Uint8Array(digest).toHex();
}

/**
 * Whether `value` is a SHA-256 in hex: 64 hex digits, either case.
 *
 * @param value Anything.
 * @returns `true` for 64 hex digits.
 *
 * @example
 * ```ts
 * import { isSha256Hex } from "@libob/libob/file";
 * import { expect } from "expect";
 *
 * expect(isSha256Hex("A".repeat(64))).toBe(true);
 * expect(isSha256Hex("xyz")).toBe(false);
 * ```
 */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === "string" && SHA256_REGEXP.test(value);
}

const SHA256_REGEXP = /^[0-9a-f]{64}$/i;
