/**
 * The fake application's servers for the push methods: a webhook receiver
 * (§1.2) and a reverse WebSocket server (§1.4), both on 127.0.0.1. Private.
 *
 * @module
 */

import {
  createWaiters,
  isEvent,
  MAX_HTTP_BODY,
  type Peer,
  type Waiters,
  wrapSocket,
} from "./_client.ts";
import { readLimited } from "../_read_limited.ts";

/** One webhook POST as received. */
export interface WebhookPost {
  method: string;
  url: string;
  /** A copy of the request headers. */
  headers: Headers;
  body: string;
  /** The JSON body, when it parses. */
  value: unknown;
  /** Why the body did not parse. */
  error?: string;
  /** Whether this POST was answered with 200 and the action list (WH-10). */
  replied: boolean;
}

/** A loopback webhook receiver. */
export interface WebhookReceiver extends AsyncDisposable {
  url: string;
  posts: WebhookPost[];
  waiters: Waiters;
}

/**
 * Starts the webhook receiver. The first POST whose body is an event is
 * answered 200 with `reply` as a JSON list of actions (WH-10); every other
 * one with 204 (WH-09).
 */
export function startWebhookReceiver(port: number, reply: readonly unknown[]): WebhookReceiver {
  const posts: WebhookPost[] = [];
  const waiters = createWaiters();
  let replied = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, async (request) => {
    const body = await readText(request);
    const post: WebhookPost = {
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      body,
      value: undefined,
      replied: false,
    };
    try {
      post.value = JSON.parse(body);
    } catch (error) {
      post.error = error instanceof Error ? error.message : String(error);
    }
    if (!replied && isEvent(post.value)) {
      replied = true;
      post.replied = true;
    }
    posts.push(post);
    waiters.notify();
    if (post.replied) {
      return new Response(JSON.stringify(reply), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    }
    return new Response(null, { status: 204 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    posts,
    waiters,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** A request body as text, `""` when it cannot be read or is larger than {@linkcode MAX_HTTP_BODY}. */
async function readText(request: Request): Promise<string> {
  if (request.body === null) return "";
  const read = await readLimited(request.body, MAX_HTTP_BODY).catch(() => undefined);
  return read !== undefined && "bytes" in read ? new TextDecoder().decode(read.bytes) : "";
}

/** One connection the implementation opened to the reverse WebSocket server. */
export interface ReverseConnection {
  url: string;
  /** A copy of the handshake headers. */
  headers: Headers;
  peer: Peer;
}

/** A loopback application WebSocket server, the peer of a reverse WebSocket. */
export interface ReverseReceiver extends AsyncDisposable {
  url: string;
  connections: ReverseConnection[];
  waiters: Waiters;
}

/**
 * Starts the reverse WebSocket server. Every upgrade is accepted (the
 * handshake is judged afterwards, not refused), echoing the first offered
 * subprotocol as most application servers do.
 */
export function startReverseReceiver(port: number, timeout: number): ReverseReceiver {
  const connections: ReverseConnection[] = [];
  const waiters = createWaiters();
  let closing = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, (request) => {
    if (closing) return new Response("closing", { status: 503 });
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 400 });
    }
    // The headers cannot be read once the request is upgraded: copy them first.
    const headers = new Headers(request.headers);
    const offered = headers.get("sec-websocket-protocol")?.split(",")[0]?.trim();
    let upgrade: Deno.WebSocketUpgrade;
    try {
      upgrade = Deno.upgradeWebSocket(request, offered ? { protocol: offered } : {});
    } catch (error) {
      return new Response(`bad upgrade: ${error instanceof Error ? error.message : error}`, {
        status: 400,
      });
    }
    const peer = wrapSocket(upgrade.socket);
    upgrade.socket.addEventListener("message", () => waiters.notify());
    upgrade.socket.addEventListener("close", () => waiters.notify());
    connections.push({ url: request.url, headers, peer });
    waiters.notify();
    return upgrade.response;
  });
  return {
    url: `ws://127.0.0.1:${server.addr.port}/`,
    connections,
    waiters,
    async [Symbol.asyncDispose]() {
      closing = true;
      await Promise.all(connections.map((connection) => connection.peer.close(timeout)));
      await server.shutdown();
    },
  };
}
