/**
 * The demo as served by `deno task start`: the OneBot implementation on `/`
 * (HTTP `POST /`, forward WebSocket `GET /`) and, unless turned off, the
 * playground web page under `/playground/`, watching every OneBot frame.
 *
 * @module
 */

import {
  type FileRecord,
  type FileUrl,
  isWebSocketUpgrade,
  type OneBot,
  type RequestHandler,
} from "../mod.ts";
import { createDemo, createDemoFileStore, type DemoOptions, demoPlatformOptions } from "./app.ts";
import { createDemoPlatform } from "./platform.ts";
import { createPlayground, PLAYGROUND_PATH } from "./playground/server.ts";

/**
 * The running demo: one request handler for everything it serves.
 *
 * @example
 * ```ts
 * import type { DemoServer } from "./serve.ts";
 *
 * function handler(server: DemoServer): Deno.ServeHandler {
 *   return server.fetch;
 * }
 * ```
 */
export interface DemoServer extends AsyncDisposable {
  /** The OneBot on `/`, the playground under `/playground/`. */
  fetch: RequestHandler;
  /** The OneBot implementation. */
  onebot: OneBot;
  /** The playground's path, or `undefined` when it is off. */
  playground: string | undefined;
  /**
   * Sets the absolute URL the demo is reached at (`http://127.0.0.1:8080`,
   * no path), from which `get_file` with `type` `url` builds its links. Until
   * it is set, and when the playground (which serves the files) is off, that
   * type answers 10004. `main.ts` sets the address `deno serve` listens on.
   */
  setBaseUrl(url: string): void;
}

/**
 * Builds the demo with its playground (on unless `playground` is `false`).
 * A browser's page load of `/` (a `GET` that accepts `text/html` and is
 * not a WebSocket upgrade) is redirected to the playground; every other
 * request to `/` is OneBot's, so `GET /` without an upgrade still answers
 * 405 to everything but a browser (HTTP-09). The playground's socket and
 * files need the access token when one is set (HTTP-03); its page does not.
 * The socket accepts the page's own origin and `allowedOrigins`; OneBot's
 * endpoints only `allowedOrigins` (default none: no web page drives the bot).
 *
 * `get_file` with `type` `url` answers a link to the file under
 * `/playground/files/` on the base URL ({@linkcode DemoServer.setBaseUrl}),
 * with the access token, when one is set, in its `headers`
 * (`Authorization: Bearer …`), never in the URL.
 *
 * @param options The demo's options (`parseDemoEnv`), platform and store.
 * @returns The server; dispose it to close every connection and page.
 *
 * @example
 * ```ts
 * import { createDemoServer } from "./serve.ts";
 * import { expect } from "expect";
 *
 * await using server = createDemoServer();
 * const page = await server.fetch(new Request("http://localhost/", {
 *   headers: { Accept: "text/html,application/xhtml+xml" },
 * }));
 * expect(page.status).toBe(303);
 * expect(page.headers.get("location")).toBe("/playground/");
 * ```
 */
export function createDemoServer(options: DemoOptions = {}): DemoServer {
  if (options.playground === false) {
    const onebot = createDemo(options);
    return {
      fetch: onebot.fetch,
      onebot,
      playground: undefined,
      setBaseUrl() {},
      [Symbol.asyncDispose]: () => onebot[Symbol.asyncDispose](),
    };
  }
  let baseUrl: string | undefined;
  const token = options.accessToken ?? "";
  function urlFor(file: FileRecord): FileUrl | undefined {
    if (baseUrl === undefined) return undefined;
    const url = `${baseUrl}${PLAYGROUND_PATH}files/${encodeURIComponent(file.id)}`;
    return token === "" ? { url } : { url, headers: { Authorization: `Bearer ${token}` } };
  }
  const platform = options.platform ?? createDemoPlatform(demoPlatformOptions(options));
  const files = options.files ?? createDemoFileStore();
  const playground = createPlayground({
    platform,
    files,
    // The page's actions are the platform's doing: they run in-process, not as OneBot frames.
    router: (request, context) => onebot.router(request, context),
    accessToken: options.accessToken,
    ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
    targets: {
      webhooks: (options.httpWebhook ?? []).map(({ url }) => url),
      reverse: (options.websocketReverse ?? []).map(({ url }) => url),
    },
  });
  const onebot = createDemo({ ...options, platform, files, tap: playground.tap, urlFor });
  return {
    fetch(request, info) {
      const url = request.url;
      const path = url.slice(url.indexOf("/", url.indexOf("//") + 2));
      if (path.startsWith(PLAYGROUND_PATH.slice(0, -1))) return playground.fetch(request);
      if (isPageLoad(request) && (path === "/" || path.startsWith("/?"))) {
        // The query goes along: `?access_token=…` is how the page learns the token.
        const location = `${PLAYGROUND_PATH}${path.slice(1)}`;
        return Promise.resolve(
          new Response(null, { status: 303, headers: { Location: location } }),
        );
      }
      return onebot.fetch(request, info);
    },
    onebot,
    playground: PLAYGROUND_PATH,
    setBaseUrl(url) {
      baseUrl = new URL(url).origin;
    },
    async [Symbol.asyncDispose]() {
      await playground[Symbol.asyncDispose]();
      await onebot[Symbol.asyncDispose]();
    },
  };
}

/** A browser loading a page: `GET`, HTML accepted, no WebSocket upgrade. */
function isPageLoad(request: Request): boolean {
  return request.method === "GET" && !isWebSocketUpgrade(request) &&
    (request.headers.get("accept") ?? "").includes("text/html");
}
