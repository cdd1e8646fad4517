/**
 * The `Origin` check of the HTTP and forward-WebSocket handlers: a browser
 * always sends `Origin`, a bot client usually does not, so a request that
 * carries one is a web page's and is refused (403) unless its origin is
 * listed. Private: not exported from `mod.ts`.
 *
 * @module
 */

/** The allowed origins as checked once by {@linkcode checkOrigins}. */
export type AllowedOrigins = ReadonlySet<string>;

/**
 * Checks `allowedOrigins` once, at factory time. Each item is `"*"` (any
 * origin), `"null"` (the opaque origin of sandboxed frames and `file:`
 * pages), or an origin such as `https://example.com` (normalised: lower
 * case, no default port, no trailing slash).
 *
 * @throws {TypeError} When it is not an array of such strings.
 */
export function checkOrigins(where: string, origins: unknown): AllowedOrigins {
  if (origins === undefined) return new Set();
  if (!Array.isArray(origins)) {
    throw new TypeError(
      `Cannot ${where}: allowedOrigins must be an array of origins: current value is ${origins}`,
    );
  }
  return new Set(origins.map((origin) => {
    if (origin === "*" || origin === "null") return origin;
    const parsed = typeof origin === "string" ? URL.parse(origin) : null;
    const valid = parsed !== null && parsed.origin !== "null" &&
      (parsed.pathname === "/" || parsed.pathname === "") && parsed.search === "" &&
      parsed.hash === "" && parsed.username === "" && parsed.password === "";
    if (!valid) {
      throw new TypeError(
        `Cannot ${where}: allowedOrigins must hold origins like https://example.com, "null" or "*": current value is ${
          JSON.stringify(origin)
        }`,
      );
    }
    return parsed.origin;
  }));
}

/**
 * Whether a request may proceed: it has no `Origin` header, or its origin is
 * listed (`Origin: null` only when `"null"` is), or `"*"` is listed.
 */
export function isOriginAllowed(request: Request, allowed: AllowedOrigins): boolean {
  const origin = request.headers.get("origin");
  if (origin === null || allowed.has("*")) return true;
  return allowed.has(origin.trim().toLowerCase());
}
