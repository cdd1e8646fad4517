/**
 * A small Matrix Client-Server API client over `fetch`: the calls the bridge
 * makes, each one request, with `M_LIMIT_EXCEEDED` waited out and every
 * failure thrown as a {@linkcode MatrixError}.
 *
 * @module
 */

/** Characters of a Matrix error body kept for the message. */
const MAX_ERROR_BODY = 64 * 1024;
/** Bytes of a JSON answer read at most (a `/sync` answer can be large). */
const MAX_JSON_BODY = 64 * 1024 * 1024;

/**
 * A failed Matrix call: the homeserver's `errcode` (`M_FORBIDDEN`…), or
 * `NETWORK` when it could not be reached, with the HTTP status (0 for a
 * network failure) and, for `M_LIMIT_EXCEEDED`, how long to wait.
 *
 * @example
 * ```ts
 * import { isMatrixError } from "@libob/matrix";
 *
 * const error: unknown = undefined;
 * if (isMatrixError(error) && error.errcode === "M_FORBIDDEN") {
 *   // the bot may not do that
 * }
 * ```
 */
export interface MatrixError extends Error {
  /** The Matrix error code (`M_FORBIDDEN`, `M_NOT_FOUND`…), or `NETWORK`. */
  readonly errcode: string;
  /** The HTTP status, 0 when no answer came. */
  readonly status: number;
  /** For `M_LIMIT_EXCEEDED`: the milliseconds the homeserver asked to wait. */
  readonly retryAfterMs?: number;
}

/**
 * Builds a {@linkcode MatrixError}.
 *
 * @param errcode The Matrix error code, or `NETWORK`.
 * @param message What happened.
 * @param status The HTTP status (0: no answer).
 * @param retryAfterMs For `M_LIMIT_EXCEEDED`, the wait asked for.
 * @returns The error.
 *
 * @example
 * ```ts
 * import { matrixError } from "@libob/matrix";
 *
 * const error = matrixError("M_FORBIDDEN", "You are not invited to this room.", 403);
 * ```
 */
export function matrixError(
  errcode: string,
  message: string,
  status: number,
  retryAfterMs?: number,
): MatrixError {
  const error = new Error(`${errcode}: ${message}`) as Error & {
    errcode: string;
    status: number;
    retryAfterMs?: number;
  };
  error.name = "MatrixError";
  error.errcode = errcode;
  error.status = status;
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
}

/**
 * Whether `error` is a {@linkcode MatrixError}.
 *
 * @param error Anything thrown.
 * @returns `true` for a Matrix error.
 *
 * @example
 * ```ts
 * import { isMatrixError, matrixError } from "@libob/matrix";
 * import { expect } from "expect";
 *
 * expect(isMatrixError(matrixError("M_UNKNOWN", "?", 500))).toBe(true);
 * ```
 */
export function isMatrixError(error: unknown): error is MatrixError {
  return error instanceof Error && error.name === "MatrixError" && "errcode" in error;
}

/** How to reach the homeserver, and as whom. */
export interface MatrixClientOptions {
  /** The homeserver's base URL, e.g. `https://matrix.example.org`. */
  homeserver: string;
  /** The access token (from a login, or given). */
  accessToken: string;
  /** The `fetch` to use; default the global one. */
  fetch?: typeof globalThis.fetch;
  /** The longest `M_LIMIT_EXCEEDED` wait honoured before giving up, in ms. Default 60000. */
  maxRateLimitWait?: number;
  /** How many times a rate-limited call is retried. Default 5. */
  maxRateLimitRetries?: number;
  /**
   * How long one call may take, in ms, unless the call says otherwise (a
   * `/sync` long poll gives its own): a homeserver that stalls, or a
   * half-open connection, fails the call instead of hanging it. Default 60000.
   */
  requestTimeout?: number;
}

/** A Matrix Client-Server API call: method, path (with query) and optional JSON body. */
export interface MatrixRequest {
  /** The HTTP method. */
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** The path from the homeserver's root, with its query, e.g. `/_matrix/client/v3/sync?…`. */
  path: string;
  /** The JSON body, if any. */
  body?: unknown;
  /** Aborts the call (e.g. a long poll on shutdown), and any rate-limit wait. */
  signal?: AbortSignal;
  /** How long this call may take, in ms; default the client's `requestTimeout`. */
  timeout?: number;
}

/** The calls of a logged-in account. */
export interface MatrixClient {
  /** The homeserver's base URL, without a trailing slash. */
  readonly homeserver: string;
  /** Any JSON call; rate limits are waited out. */
  request<T = Record<string, unknown>>(request: MatrixRequest): Promise<T>;
  /** Uploads media; returns its `mxc://` URI. */
  upload(data: Uint8Array, name: string, contentType: string): Promise<string>;
  /** Downloads media of an `mxc://` URI, at most `maxSize` bytes. */
  download(mxc: string, maxSize: number): Promise<{ data: Uint8Array; contentType: string }>;
}

/** Encodes one path segment. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/**
 * Creates a client of the Client-Server API (v3 endpoints, v1 media).
 *
 * @param options Homeserver, token and rate-limit bounds.
 * @returns The client.
 * @throws {TypeError} When `homeserver` is not an http(s) URL or the token is empty.
 *
 * @example
 * ```ts
 * import { createMatrixClient } from "@libob/matrix";
 *
 * const client = createMatrixClient({ homeserver: "http://127.0.0.1:8008", accessToken: "syt_…" });
 * ```
 */
export function createMatrixClient(options: MatrixClientOptions): MatrixClient {
  const homeserver = checkHomeserver(options.homeserver, "create Matrix client");
  if (typeof options.accessToken !== "string" || options.accessToken === "") {
    throw new TypeError("Cannot create Matrix client: accessToken must be a non-empty string");
  }
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxWait = options.maxRateLimitWait ?? 60_000;
  const maxRetries = options.maxRateLimitRetries ?? 5;
  const requestTimeout = options.requestTimeout ?? 60_000;
  if (!Number.isSafeInteger(requestTimeout) || requestTimeout <= 0) {
    throw new RangeError(
      `Cannot create Matrix client: requestTimeout must be an integer > 0: current value is ${requestTimeout}`,
    );
  }
  const auth = { Authorization: `Bearer ${options.accessToken}` };

  async function once(request: MatrixRequest): Promise<Response> {
    const init: RequestInit = { method: request.method, headers: { ...auth } };
    if (request.body !== undefined) {
      init.body = JSON.stringify(request.body);
      init.headers = { ...auth, "Content-Type": "application/json" };
    }
    const limit = AbortSignal.timeout(request.timeout ?? requestTimeout);
    init.signal = request.signal === undefined ? limit : AbortSignal.any([request.signal, limit]);
    try {
      return await doFetch(`${homeserver}${request.path}`, init);
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const reason = limit.aborted
        ? `no answer within ${request.timeout ?? requestTimeout} ms`
        : error instanceof Error
        ? error.message
        : String(error);
      throw matrixError("NETWORK", reason, 0);
    }
  }

  async function withRetry(
    call: () => Promise<Response>,
    signal?: AbortSignal,
  ): Promise<Response> {
    for (let attempt = 0;; attempt++) {
      const response = await call();
      if (response.ok) return response;
      const error = await errorOf(response);
      const wait = error.retryAfterMs ?? 1000;
      if (error.errcode !== "M_LIMIT_EXCEEDED" || attempt >= maxRetries || wait > maxWait) {
        throw error;
      }
      await pause(wait, signal);
    }
  }

  return {
    homeserver,
    async request<T>(request: MatrixRequest): Promise<T> {
      const response = await withRetry(() => once(request), request.signal);
      return await readJson(response) as T;
    },
    async upload(data, name, contentType) {
      const response = await withRetry(async () => {
        try {
          return await doFetch(
            `${homeserver}/_matrix/media/v3/upload?filename=${segment(name)}`,
            {
              method: "POST",
              headers: { ...auth, "Content-Type": contentType },
              body: data as Uint8Array<ArrayBuffer>,
              signal: AbortSignal.timeout(requestTimeout),
            },
          );
        } catch (error) {
          throw matrixError("NETWORK", error instanceof Error ? error.message : String(error), 0);
        }
      });
      const { content_uri } = await readJson(response) as { content_uri?: unknown };
      if (typeof content_uri !== "string") {
        throw matrixError("M_UNKNOWN", "the upload answer has no content_uri", response.status);
      }
      return content_uri;
    },
    async download(mxc, maxSize) {
      const match = /^mxc:\/\/([^/]+)\/([A-Za-z0-9_-]+)$/.exec(mxc);
      if (match === null) throw matrixError("M_INVALID_PARAM", `not an mxc URI: ${mxc}`, 400);
      const path = `/_matrix/client/v1/media/download/${segment(match[1]!)}/${segment(match[2]!)}`;
      const response = await withRetry(() => once({ method: "GET", path }));
      const data = await readBounded(response, maxSize);
      return { data, contentType: response.headers.get("Content-Type") ?? "" };
    },
  };
}

/** Checks and normalises a homeserver URL (no trailing slash). */
export function checkHomeserver(value: unknown, what: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError(`Cannot ${what}: homeserver must be a URL: current value is ${value}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Cannot ${what}: homeserver must be http(s): current value is ${value}`);
  }
  return url.href.replace(/\/+$/, "");
}

/** The error of a failed answer; its body is consumed. */
async function errorOf(response: Response): Promise<MatrixError> {
  let body: Record<string, unknown> = {};
  try {
    const text = new TextDecoder().decode(await readBounded(response, MAX_ERROR_BODY));
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const errcode = typeof body.errcode === "string" ? body.errcode : `HTTP_${response.status}`;
  const message = typeof body.error === "string" ? body.error : response.statusText;
  const retry = typeof body.retry_after_ms === "number"
    ? body.retry_after_ms
    : retryAfterHeader(response);
  return matrixError(errcode, message, response.status, retry);
}

function retryAfterHeader(response: Response): number | undefined {
  const seconds = Number(response.headers.get("Retry-After") ?? NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

async function readJson(response: Response): Promise<unknown> {
  const bytes = await readBounded(response, MAX_JSON_BODY);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw matrixError("M_NOT_JSON", "the homeserver's answer is not JSON", response.status);
  }
}

/** Reads a body of at most `max` bytes; a longer one is cancelled and refused. */
async function readBounded(response: Response, max: number): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > max) {
      // Leaving the loop cancels the body.
      throw matrixError("M_TOO_LARGE", `the answer is larger than ${max} bytes`, response.status);
    }
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Credentials of {@linkcode login}: a password, or an access token already issued. */
export type MatrixCredentials =
  | { user: string; password: string; deviceId?: string }
  | { accessToken: string };

/**
 * Logs in (password) or checks a token (`whoami`), and returns the client
 * with the account's user ID.
 *
 * @param homeserver The homeserver's base URL.
 * @param credentials A user and password, or an access token.
 * @param options Other client options.
 * @returns The client and the account's `userId`.
 * @throws {MatrixError} When the homeserver refuses (e.g. `M_FORBIDDEN`) or cannot be reached.
 *
 * @example
 * ```ts ignore
 * import { login } from "@libob/matrix";
 *
 * const { client, userId } = await login("http://127.0.0.1:8008", { accessToken: "syt_…" });
 * ```
 */
export async function login(
  homeserver: string,
  credentials: MatrixCredentials,
  options: Omit<MatrixClientOptions, "homeserver" | "accessToken"> = {},
): Promise<{ client: MatrixClient; userId: string; deviceId?: string }> {
  const base = checkHomeserver(homeserver, "log in to Matrix");
  let accessToken: string;
  if ("accessToken" in credentials) {
    accessToken = credentials.accessToken;
  } else {
    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(`${base}/_matrix/client/v3/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          type: "m.login.password",
          identifier: { type: "m.id.user", user: credentials.user },
          password: credentials.password,
          initial_device_display_name: "libob-matrix",
          ...(credentials.deviceId ? { device_id: credentials.deviceId } : {}),
        }),
      });
    } catch (error) {
      throw matrixError("NETWORK", error instanceof Error ? error.message : String(error), 0);
    }
    if (!response.ok) throw await errorOf(response);
    const body = await readJson(response) as { access_token?: unknown };
    if (typeof body.access_token !== "string") {
      throw matrixError("M_UNKNOWN", "the login answer has no access_token", response.status);
    }
    accessToken = body.access_token;
  }
  const client = createMatrixClient({ ...options, homeserver: base, accessToken });
  const whoami = await client.request<{ user_id: string; device_id?: string }>({
    method: "GET",
    path: "/_matrix/client/v3/account/whoami",
  });
  return whoami.device_id === undefined
    ? { client, userId: whoami.user_id }
    : { client, userId: whoami.user_id, deviceId: whoami.device_id };
}

/** Waits `ms`, or less when `signal` aborts (then it rejects with the abort reason). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
