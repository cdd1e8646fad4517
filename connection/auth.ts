/**
 * Access-token checks (HTTP-02..04, WS-02).
 *
 * @module
 */

import { hasControlCharacter } from "../_text.ts";

/**
 * Compares two strings in time that depends only on their lengths, so that
 * a wrong token reveals nothing of the right one but its length.
 *
 * @param a One string.
 * @param b The other.
 * @returns Whether they are equal.
 *
 * @example
 * ```ts
 * import { timingSafeEqual } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(timingSafeEqual("Bearer a", "Bearer a")).toBe(true);
 * expect(timingSafeEqual("Bearer a", "Bearer b")).toBe(false);
 * ```
 */
export function timingSafeEqual(a: string, b: string): boolean {
  // Loops over `b` (the expected value) whatever `a` is; out-of-range reads give NaN, which
  // bitwise operators turn into 0, so the time depends on the lengths only.
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * Checks a request's credentials in the exact order of HTTP-03:
 * 1. with an `Authorization` header, it must be exactly `Bearer <token>`
 *    (case-sensitive, one space); a wrong header never falls back to the query;
 * 2. without one, the `access_token` query parameter must equal the token;
 * 3. with neither, the check fails.
 * An empty token turns auth off (HTTP-02). Every comparison is constant-time.
 *
 * @param request The HTTP request or WebSocket upgrade request.
 * @param accessToken The configured token; `""` or `undefined` disables auth.
 * @returns Whether the request may proceed; `false` means 401 (HTTP-04, WS-03).
 *
 * @example
 * ```ts
 * import { isAuthorized } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const wrongHeader = new Request("http://localhost/?access_token=s3cret", {
 *   headers: { Authorization: "Bearer wrong" },
 * });
 * expect(isAuthorized(wrongHeader, "s3cret")).toBe(false);
 * expect(isAuthorized(new Request("http://localhost/?access_token=s3cret"), "s3cret")).toBe(true);
 * ```
 */
export function isAuthorized(request: Request, accessToken: string | undefined): boolean {
  if (accessToken === undefined || accessToken === "") return true;
  const header = request.headers.get("authorization");
  if (header !== null) return timingSafeEqual(header, `Bearer ${accessToken}`);
  const query = queryToken(request.url);
  return query !== null && timingSafeEqual(query, accessToken);
}

function queryToken(url: string): string | null {
  const start = url.indexOf("?");
  if (start === -1) return null;
  const end = url.indexOf("#", start);
  return new URLSearchParams(url.slice(start + 1, end === -1 ? undefined : end)).get(
    "access_token",
  );
}

/**
 * Checks a token at configuration time. HTTP strips white space around header
 * values, so a token with leading or trailing white space could never match
 * a header (HTTP-03); it is refused here instead of failing every request.
 *
 * @param where The factory name for the error message.
 * @param accessToken The token to check.
 * @returns The token.
 * @throws {TypeError} When the token has surrounding white space or a control character.
 *
 * @example
 * ```ts
 * import { checkAccessToken } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(() => checkAccessToken("createOneBot", "secret ")).toThrow(TypeError);
 * ```
 */
export function checkAccessToken(where: string, accessToken: string | undefined): string {
  if (accessToken === undefined) return "";
  if (typeof accessToken !== "string") {
    throw new TypeError(`Cannot ${where}: access token must be a string`);
  }
  if (accessToken.trim() !== accessToken || hasControlCharacter(accessToken)) {
    throw new TypeError(
      `Cannot ${where}: access token must not have surrounding white space or control characters`,
    );
  }
  return accessToken;
}
