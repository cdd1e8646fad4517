/**
 * The playground's server side: the page's static files, a WebSocket that
 * keeps the page live (state, messages, the OneBot frame log) and runs what
 * the person does as a platform user, and the stored files for images and
 * downloads. Everything is under `/playground/`.
 *
 * @module
 */

import {
  type ActionResponse,
  type ActionRouter,
  type FileStore,
  type Frame,
  type FrameTap,
  isAuthorized,
} from "../../mod.ts";
import { refuse as refuseRequest } from "../../_refuse.ts";
import { checkOrigins, isOriginAllowed } from "../../_origin.ts";
import { checkInteger } from "../../_check.ts";
import { urlPeer } from "../../_log.ts";
import { raceTimeout } from "../../_time.ts";
import type { DemoChange, DemoPlatform } from "../platform.ts";
import { createLinkTracker } from "./links.ts";
import {
  greetingMessages,
  LOG_VALUE_UNITS,
  type LogFrame,
  logValue,
  messageView,
  stateView,
} from "./view.ts";

/**
 * Where the playground lives: every path under it is the playground's.
 *
 * @example
 * ```ts
 * import { PLAYGROUND_PATH } from "./server.ts";
 * import { expect } from "expect";
 *
 * expect(PLAYGROUND_PATH).toBe("/playground/");
 * ```
 */
export const PLAYGROUND_PATH = "/playground/";

/**
 * Options of {@linkcode createPlayground}.
 *
 * @example
 * ```ts
 * import { createDemoPlatform } from "../platform.ts";
 * import { createMemoryFileStore, createActionRouter } from "../../mod.ts";
 * import type { PlaygroundOptions } from "./server.ts";
 *
 * const options: PlaygroundOptions = {
 *   platform: createDemoPlatform(),
 *   files: createMemoryFileStore(),
 *   router: createActionRouter({ handlers: {}, bots: () => [] }),
 * };
 * ```
 */
export interface PlaygroundOptions {
  /** The platform the page shows and changes. */
  platform: DemoPlatform;
  /** Where uploads go and where images and files are read from. */
  files: FileStore;
  /**
   * Runs what the person does (`demo.simulate_*`, `upload_file`) as local
   * actions: they are the platform's doing, not OneBot frames.
   */
  router: ActionRouter;
  /** When set, the socket and the files need it, as OneBot connections do (HTTP-03). */
  accessToken?: string | undefined;
  /**
   * OneBot frames kept, while a page is open, for another page opened at
   * the same time (a second tab), >= 0. Default 500. No page, no recording:
   * the last page to close empties the log (so a reload of the only page
   * starts empty).
   */
  history?: number;
  /**
   * Origins besides the page's own whose pages may open the socket (as
   * `createOneBot`'s `allowedOrigins`). The page's own origin is the one whose
   * host is the request's `Host`; an upgrade with any other `Origin` gets 403.
   * Default none.
   */
  allowedOrigins?: readonly string[];
  /** The push targets, shown on the page when no bot is connected (queries are not shown). */
  targets?: { webhooks?: readonly string[]; reverse?: readonly string[] };
}

/**
 * The playground: its request handler and the frame tap to give the OneBot.
 *
 * @example
 * ```ts
 * import type { Playground } from "./server.ts";
 *
 * function route(playground: Playground, request: Request): Promise<Response> | undefined {
 *   return new URL(request.url).pathname.startsWith("/playground/")
 *     ? playground.fetch(request)
 *     : undefined;
 * }
 * ```
 */
export interface Playground extends AsyncDisposable {
  /** Answers every request under {@linkcode PLAYGROUND_PATH}. */
  fetch(request: Request): Promise<Response>;
  /**
   * The OneBot's `tap`: every frame goes to the open pages. With no page
   * open it returns at once: nothing is copied or kept.
   */
  tap: FrameTap;
  /** How many pages are connected. */
  readonly pages: number;
}

/** Unsent bytes above which a page that stopped reading is closed. */
const MAX_PAGE_BUFFER = 8 * 1024 * 1024;
/** The largest page command; an upload of 8 MiB in base64 fits. */
const MAX_COMMAND = 12 * 1024 * 1024;
/** What the kept frames may spend in all (`LogBudget` units, about characters). */
const HISTORY_UNITS = 2 * 1024 * 1024;

// Maps, not object literals: a peer-given key such as `constructor` must find nothing.
const STATIC: ReadonlyMap<string, { file: string; type: string }> = new Map([
  ["", { file: "index.html", type: "text/html; charset=utf-8" }],
  ["app.js", { file: "app.js", type: "text/javascript; charset=utf-8" }],
  ["style.css", { file: "style.css", type: "text/css; charset=utf-8" }],
]);

const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; connect-src 'self' ws: wss:; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

const MEDIA_TYPES: ReadonlyMap<string, string> = new Map([
  ["png", "image/png"],
  ["jpg", "image/jpeg"],
  ["jpeg", "image/jpeg"],
  ["gif", "image/gif"],
  ["webp", "image/webp"],
  ["svg", "image/svg+xml"],
  ["mp3", "audio/mpeg"],
  ["ogg", "audio/ogg"],
  ["wav", "audio/wav"],
  ["mp4", "video/mp4"],
  ["webm", "video/webm"],
  ["txt", "text/plain; charset=utf-8"],
  ["pdf", "application/pdf"],
]);

/**
 * Creates the playground. Serve its `fetch` for paths under
 * {@linkcode PLAYGROUND_PATH}, and give its `tap` to the OneBot
 * (`createOneBot({ tap })`). Disposing it closes the pages' sockets.
 *
 * The page's socket (`/playground/socket`) speaks JSON: on open the server
 * sends `hello` (state, the newest stored messages, the frames seen while a
 * page was open), then `state`,
 * `message`, `message_deleted` and `frame` updates; the page sends commands
 * (`send`, `upload`, `delete`, `join`, `leave`), each answered by one
 * `result`. `demo/playground/README.md` is the full protocol.
 *
 * @param options The platform, the file store, the router and the token.
 * @returns The playground.
 *
 * @example Serving the page
 * ```ts
 * import { createDemoPlatform } from "../platform.ts";
 * import { createActionRouter, createMemoryFileStore } from "../../mod.ts";
 * import { createPlayground } from "./server.ts";
 * import { expect } from "expect";
 *
 * await using playground = createPlayground({
 *   platform: createDemoPlatform(),
 *   files: createMemoryFileStore(),
 *   router: createActionRouter({ handlers: {}, bots: () => [] }),
 * });
 * const page = await playground.fetch(new Request("http://localhost/playground/"));
 * expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
 * expect(await page.text()).toContain("<html");
 * ```
 */
export function createPlayground(options: PlaygroundOptions): Playground {
  const { platform, files, router, accessToken = "", history = 500, targets = {} } = options;
  checkInteger("create playground", "history", history, 0);
  const allowedOrigins = checkOrigins("create playground", options.allowedOrigins);
  // What the page shows when no bot is connected: how to connect one.
  const connect = {
    token: accessToken !== "",
    webhooks: (targets.webhooks ?? []).map(shownUrl),
    reverse: (targets.reverse ?? []).map(shownUrl),
  };
  const pages = new Set<WebSocket>();
  const frames: LogFrame[] = [];
  /** What each kept frame spent, and all of them. */
  const costs: number[] = [];
  let historyUnits = 0;
  let seq = 0;

  /** Sends encoded text to one open page; a page that stopped reading is closed instead. */
  function deliver(page: WebSocket, text: string): void {
    if (page.readyState !== WebSocket.OPEN) return;
    if (page.bufferedAmount > MAX_PAGE_BUFFER) page.close(1008, "too slow");
    else page.send(text);
  }
  function send(page: WebSocket, value: unknown): void {
    deliver(page, JSON.stringify(value));
  }
  function broadcast(value: unknown): void {
    if (pages.size === 0) return;
    const text = JSON.stringify(value); // once for every page
    for (const page of pages) deliver(page, text);
  }

  const links = createLinkTracker({
    onChange: () => broadcast({ type: "links", links: links.list() }),
  });

  function tap(frame: Frame): void {
    // The tracker sees every frame: a page that opens later must know which apps are linked.
    links.see(frame);
    if (pages.size === 0) return; // nobody watches: no copy is made or kept
    // Kept shortened (logValue): a history of raw frames could hold 500 uploads of 16 MiB.
    const budget = { left: LOG_VALUE_UNITS };
    const logged: LogFrame = {
      ...frame,
      seq: ++seq,
      time: Date.now(),
      data: logValue(frame.data, budget),
    };
    const cost = LOG_VALUE_UNITS - budget.left;
    frames.push(logged);
    costs.push(cost);
    historyUnits += cost;
    while (frames.length > history || (historyUnits > HISTORY_UNITS && frames.length > 1)) {
      frames.shift();
      historyUnits -= costs.shift()!;
    }
    broadcast({ type: "frame", frame: logged });
  }

  function closed(page: WebSocket): void {
    if (!pages.delete(page) || pages.size > 0) return;
    // The last page is gone: what it saw is not kept for a page that may never come.
    frames.length = 0;
    costs.length = 0;
    historyUnits = 0;
  }

  const subscription = platform.subscribe((change: DemoChange) => {
    // A user's message is about to go to every connection: the tracker sees which get it.
    if (change.type === "message_added" && change.message.sender_id !== platform.bot.user_id) {
      links.broadcast();
    }
    if (pages.size === 0) return; // no page: no view to build
    switch (change.type) {
      case "message_added":
        return broadcast({ type: "message", message: messageView(change.message) });
      case "message_removed":
        return broadcast({ type: "message_deleted", message_id: change.message.message_id });
      default:
        return broadcast({ type: "state", state: stateView(platform) });
    }
  });

  async function run(command: Record<string, unknown>): Promise<unknown> {
    const call = COMMANDS.get(String(command.op));
    if (call === undefined) {
      return { ok: false, message: `op: expected send, upload, delete, join or leave` };
    }
    const request = call(command);
    if (typeof request === "string") return { ok: false, message: request };
    const response: ActionResponse = await router(request, { connection: "local" });
    return response.retcode === 0
      ? { ok: true, data: logValue(response.data) }
      : { ok: false, message: `${response.message} (retcode ${response.retcode})` };
  }

  function onCommand(page: WebSocket, data: unknown): void {
    if (typeof data !== "string" || data.length > MAX_COMMAND) {
      send(page, { type: "result", id: null, ok: false, message: "expected a JSON text command" });
      return;
    }
    let command: unknown;
    try {
      command = JSON.parse(data);
    } catch {
      send(page, { type: "result", id: null, ok: false, message: "the command is not JSON" });
      return;
    }
    if (typeof command !== "object" || command === null || Array.isArray(command)) {
      send(page, { type: "result", id: null, ok: false, message: "the command is not an object" });
      return;
    }
    const { id = null } = command as { id?: unknown };
    run(command as Record<string, unknown>).then(
      (result) => send(page, { type: "result", id, ...(result as object) }),
      () => send(page, { type: "result", id, ok: false, message: "internal error" }),
    );
  }

  function openSocket(request: Request): Response {
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.addEventListener("open", () => {
      pages.add(socket);
      send(socket, {
        type: "hello",
        state: stateView(platform),
        messages: greetingMessages(platform.allMessages()),
        frames,
        links: links.list(),
        connect,
      });
    });
    socket.addEventListener("message", (event) => onCommand(socket, event.data));
    socket.addEventListener("close", () => closed(socket));
    socket.addEventListener("error", () => closed(socket));
    return response;
  }

  async function serveFile(request: Request, id: string): Promise<Response> {
    const record = await files.get(id);
    const bytes = record === undefined ? undefined : await files.read(id);
    if (record === undefined || bytes === undefined) return await refuse(request, 404, "Not Found");
    const extension = record.name.includes(".") ? record.name.split(".").pop()! : "";
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        ...SECURITY_HEADERS,
        "Content-Type": MEDIA_TYPES.get(extension.toLowerCase()) ?? "application/octet-stream",
        "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(record.name)}`,
        "Cache-Control": "private, max-age=3600",
        // An uploaded SVG or HTML file must not run as a page of ours.
        "Content-Security-Policy":
          "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      },
    });
  }

  async function fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === PLAYGROUND_PATH.slice(0, -1)) {
      await request.body?.cancel();
      return redirect(`${PLAYGROUND_PATH}${url.search}`);
    }
    const rest = url.pathname.slice(PLAYGROUND_PATH.length);
    if (!url.pathname.startsWith(PLAYGROUND_PATH)) return await refuse(request, 404, "Not Found");
    if (request.method !== "GET" && request.method !== "HEAD") {
      return await refuse(request, 405, "Method Not Allowed", { Allow: "GET, HEAD" });
    }
    const asset = STATIC.get(rest);
    if (asset !== undefined) {
      // Read on every request: editing the page needs no restart.
      let body: Uint8Array<ArrayBuffer>;
      try {
        body = await Deno.readFile(new URL(`./static/${asset.file}`, import.meta.url));
      } catch {
        return await refuse(request, 500, `The playground's ${asset.file} cannot be read`);
      }
      return new Response(request.method === "HEAD" ? null : body, {
        headers: { ...SECURITY_HEADERS, "Content-Type": asset.type, "Cache-Control": "no-cache" },
      });
    }
    // Another site's page must not act as the user or read the frame log (CORS does not cover
    // WebSockets): only the page's own origin, or a listed one, may open the socket.
    if (rest === "socket" && !isSameOrigin(request) && !isOriginAllowed(request, allowedOrigins)) {
      return await refuse(request, 403, "Forbidden: this Origin is not allowed");
    }
    if (accessToken !== "" && !isAuthorized(request, accessToken)) {
      return await refuse(request, 401, "Unauthorized", { "WWW-Authenticate": "Bearer" });
    }
    if (rest === "socket") {
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return await refuse(request, 400, "Bad Request: expected a WebSocket upgrade");
      }
      return openSocket(request);
    }
    if (rest.startsWith("files/")) {
      const id = safeDecode(rest.slice("files/".length));
      return id === undefined
        ? await refuse(request, 404, "Not Found")
        : await serveFile(request, id);
    }
    return await refuse(request, 404, "Not Found");
  }

  return {
    fetch,
    tap,
    get pages() {
      return pages.size;
    },
    async [Symbol.asyncDispose]() {
      subscription[Symbol.dispose]();
      const closing = [...pages].map((page) => {
        const closed = new Promise<void>((resolve) => {
          page.addEventListener("close", () => resolve(), { once: true });
        });
        page.close(1001, "going away");
        // A page that never answers the close must not hold shutdown up.
        return raceTimeout(closed, 1000);
      });
      for (const page of [...pages]) closed(page);
      await Promise.all(closing);
    },
  };
}

/** Turns one page command into the local action it stands for, or says what is wrong. */
type Command = (command: Record<string, unknown>) => { action: string; params: unknown } | string;

const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  [
    "send",
    ({ user_id, chat, message }) =>
      isRecord(chat)
        ? { action: "demo.simulate_message", params: { ...chat, user_id, message } }
        : "chat: expected an object",
  ],
  ["upload", ({ name, data }) => ({ action: "upload_file", params: { type: "data", name, data } })],
  ["delete", ({ user_id, message_id }) => ({
    action: "demo.simulate_delete",
    params: { user_id, message_id },
  })],
  ["join", ({ user_id, group_id }) => ({
    action: "demo.simulate_join",
    params: { user_id, group_id },
  })],
  ["leave", ({ user_id, group_id }) => ({
    action: "demo.simulate_leave",
    params: { user_id, group_id },
  })],
]);

/** Whether a request has no `Origin`, or one whose host is the request's `Host` (the page's own). */
function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  const host = request.headers.get("host");
  return host !== null && URL.parse(origin)?.host === URL.parse(`http://${host}`)?.host;
}

/** A URL without its query and credentials (either may hold the token). */
function shownUrl(url: string): string {
  return URL.canParse(url) ? urlPeer(url) : url;
}

/** `decodeURIComponent`, or `undefined` for a malformed escape. */
function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A plain-text status answer with the playground's headers; the unread body is cancelled. */
function refuse(
  request: Request,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return refuseRequest(request, status, body, { ...SECURITY_HEADERS, ...headers });
}

function redirect(location: string): Response {
  return new Response(null, { status: 301, headers: { Location: location } });
}
