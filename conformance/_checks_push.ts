/**
 * Push method checks: HTTP Webhook (§1.2 WH-01..10, META-S2) and reverse
 * WebSocket (§1.4 WSR-01..06), judged from what the implementation sent to
 * the checker's receivers. Private.
 *
 * @module
 */

import { isEvent, isObject, isResponse, type Json, openPeer } from "./_client.ts";
import { peerCaller } from "./_checks_websocket.ts";
import {
  authHeaders,
  callHttp,
  check,
  type Context,
  fail,
  type Outcome,
  pass,
  type Rule,
  show,
  skip,
  skipAll,
} from "./_context.ts";
import type {
  ReverseConnection,
  ReverseReceiver,
  WebhookPost,
  WebhookReceiver,
} from "./_receivers.ts";
import { isMeta } from "./_shapes.ts";

const WEBHOOK = {
  posted: {
    id: "WH-01",
    level: "SHALL",
    title: "the implementation POSTs events to the webhook URL",
  },
  contentType: {
    id: "WH-02",
    level: "MUST",
    title: "every webhook POST has Content-Type: application/json",
  },
  userAgent: { id: "WH-03", level: "MUST", title: "every webhook POST has a User-Agent" },
  onebotVersion: {
    id: "WH-04",
    level: "MUST",
    title: "every webhook POST has X-OneBot-Version: 12",
  },
  impl: {
    id: "WH-05",
    level: "MUST",
    title: "every webhook POST has X-Impl equal to the get_version impl",
  },
  authorization: {
    id: "WH-06",
    level: "SHALL",
    title: "every webhook POST has Authorization: Bearer <token>",
  },
  body: { id: "WH-07", level: "MUST", title: "every webhook body is one JSON event" },
  statusUpdate: {
    id: "META-S2",
    level: "SHALL",
    title: "a meta.status_update arrives on the webhook",
  },
  reply: {
    id: "WH-10",
    level: "SHALL",
    title: "after a 200 reply with an action list, the implementation still answers",
  },
} as const satisfies Record<string, Rule>;

const REVERSE = {
  connected: {
    id: "WSR-01",
    level: "SHALL",
    title: "the implementation connects to the reverse WebSocket URL",
  },
  userAgent: { id: "WSR-02", level: "MUST", title: "the reverse handshake has a User-Agent" },
  protocol: {
    id: "WSR-03",
    level: "MUST",
    title: "the reverse handshake has Sec-WebSocket-Protocol: 12.<impl>",
  },
  authorization: {
    id: "WSR-04",
    level: "SHALL",
    title: "the reverse handshake has Authorization: Bearer <token>",
  },
  connectFirst: {
    id: "WSR-06",
    level: "MUST",
    title: "the first reverse frame is meta.connect (META-C2)",
  },
  connectVersion: {
    id: "§3.4",
    level: "MUST",
    title: "reverse meta.connect version equals the get_version data",
  },
  statusUpdate: {
    id: "WSR-06",
    level: "SHALL",
    title: "meta.status_update follows meta.connect on the reverse WebSocket",
  },
  action: {
    id: "WSR-01",
    level: "SHALL",
    title: "an action request over the reverse WebSocket is answered",
  },
  eventsText: {
    id: "WS-05",
    level: "MUST",
    title: "every reverse event arrives as a JSON text frame",
  },
} as const satisfies Record<string, Rule>;

/** The action list a webhook 200 reply carries (WH-10). */
export const WEBHOOK_REPLY: readonly Json[] = [{ action: "get_status", params: {} }];

/** The receivers of one run; either may be absent. */
export interface Receivers {
  webhook: WebhookReceiver | undefined;
  reverse: ReverseReceiver | undefined;
}

function hasStatusUpdate(receiver: WebhookReceiver): boolean {
  return receiver.posts.some((post) => isMeta(post.value, "status_update"));
}

function greeted(connection: ReverseConnection): boolean {
  return connection.peer.frames.some((frame) => isMeta(frame.value, "status_update"));
}

/** Waits (until `deadline`, a `Date.now()` value) for what the push methods should send. */
export async function waitForPush(receivers: Receivers, deadline: number): Promise<void> {
  const { webhook, reverse } = receivers;
  if (webhook !== undefined) {
    await webhook.waiters.until(() => hasStatusUpdate(webhook), deadline - Date.now());
  }
  if (reverse !== undefined) {
    await reverse.waiters.until(
      () => reverse.connections.some(greeted),
      deadline - Date.now(),
    );
  }
}

/** Checks every webhook POST against one header rule. */
function everyPost(
  posts: readonly WebhookPost[],
  problem: (post: WebhookPost) => string | undefined,
): Outcome {
  const problems = posts.flatMap((post) => {
    const found = problem(post);
    return found === undefined ? [] : [found];
  });
  if (problems.length === 0) return pass(`${posts.length} POSTs`);
  return fail(`${problems.length} of ${posts.length} POSTs: ${problems[0]}`);
}

function tokenProblem(ctx: Context, headers: Headers, url: string): string | undefined {
  const header = headers.get("authorization");
  if (header === `Bearer ${ctx.token}`) return undefined;
  if (header === null && new URL(url).searchParams.get("access_token") === ctx.token) {
    return undefined;
  }
  return header === null ? "no Authorization header" : `Authorization is ${show(header)}`;
}

/** Runs the webhook checks on what the receiver got. */
export async function checkWebhook(
  ctx: Context,
  receiver: WebhookReceiver,
  waited: number,
): Promise<void> {
  const { posts } = receiver;
  for (const post of posts) {
    if (isEvent(post.value)) ctx.events.push({ where: "webhook", value: post.value });
  }
  const posted = await check(ctx, WEBHOOK.posted, () => {
    if (posts.length === 0) return fail(`no request arrived within ${waited} s`);
    const other = posts.find((post) => post.method !== "POST");
    return other === undefined ? pass(`${posts.length} POSTs`) : fail(`got ${other.method}`);
  });
  if (posted.status === "fail" && posts.length === 0) {
    skipAll(
      ctx,
      Object.values(WEBHOOK).slice(1),
      "no webhook request arrived (configure http_webhook, see above)",
    );
    return;
  }
  await check(ctx, WEBHOOK.contentType, () =>
    everyPost(posts, (post) => {
      const type = post.headers.get("content-type");
      return type?.split(";")[0]?.trim().toLowerCase() === "application/json"
        ? undefined
        : `Content-Type is ${show(type)}`;
    }));
  await check(
    ctx,
    WEBHOOK.userAgent,
    () =>
      everyPost(
        posts,
        (post) => (post.headers.get("user-agent") ?? "") === "" ? "no User-Agent" : undefined,
      ),
  );
  await check(ctx, WEBHOOK.onebotVersion, () =>
    everyPost(posts, (post) => {
      const value = post.headers.get("x-onebot-version");
      return value === "12" ? undefined : `X-OneBot-Version is ${show(value)}`;
    }));
  await check(ctx, WEBHOOK.impl, () =>
    everyPost(posts, (post) => {
      const value = post.headers.get("x-impl");
      if (value === null) return "no X-Impl header";
      if (ctx.version !== undefined && value !== ctx.version.impl) {
        return `X-Impl is ${show(value)}, get_version says ${show(ctx.version.impl)}`;
      }
      return undefined;
    }));
  await check(ctx, WEBHOOK.authorization, () => {
    if (ctx.token === "") return skip("no access token given (--token)");
    return everyPost(posts, (post) => tokenProblem(ctx, post.headers, post.url));
  });
  await check(ctx, WEBHOOK.body, () =>
    everyPost(posts, (post) => {
      if (post.error !== undefined) return `not JSON: ${post.error}`;
      return isEvent(post.value) ? undefined : `not an event: ${show(post.value)}`;
    }));
  await check(
    ctx,
    WEBHOOK.statusUpdate,
    () =>
      hasStatusUpdate(receiver)
        ? pass()
        : fail(`no status_update within ${waited} s (start the checker before the implementation)`),
  );
  await check(ctx, WEBHOOK.reply, async () => {
    if (!posts.some((post) => post.replied)) return skip("no event POST to reply to");
    if (ctx.http !== undefined) {
      const response = await callHttp(ctx, "get_version");
      return response.retcode === 0
        ? pass("still answers HTTP (the actions' results are discarded, WH-10)")
        : fail(`get_version got retcode ${show(response.retcode)}`);
    }
    if (ctx.ws !== undefined) {
      const peer = await openPeer(ctx.ws, { headers: authHeaders(ctx), timeout: ctx.timeout });
      try {
        const response = await peerCaller(peer, ctx.timeout)("get_version");
        return response.retcode === 0 ? pass("still answers over WebSocket") : fail(
          `get_version got retcode ${show(response.retcode)}`,
        );
      } finally {
        await peer.close(ctx.timeout);
      }
    }
    return skip("no HTTP or WebSocket URL to probe");
  });
}

/** Runs the reverse WebSocket checks on the first connection the receiver got. */
export async function checkReverse(
  ctx: Context,
  receiver: ReverseReceiver,
  waited: number,
): Promise<void> {
  const connection = receiver.connections.find(greeted) ?? receiver.connections[0];
  const connected = await check(
    ctx,
    REVERSE.connected,
    () =>
      connection === undefined
        ? fail(`no connection within ${waited} s`)
        : pass(`${receiver.connections.length} connections`),
  );
  if (connected.status === "fail" || connection === undefined) {
    skipAll(
      ctx,
      Object.values(REVERSE).slice(1),
      "no reverse WebSocket connection (configure websocket_rev, see above)",
    );
    return;
  }
  const { headers, peer } = connection;
  await check(
    ctx,
    REVERSE.userAgent,
    () =>
      (headers.get("user-agent") ?? "") === ""
        ? fail("no User-Agent")
        : pass(headers.get("user-agent")!),
  );
  await check(ctx, REVERSE.protocol, () => {
    const value = headers.get("sec-websocket-protocol");
    if (value === null) return fail("no Sec-WebSocket-Protocol header");
    if (ctx.version === undefined) {
      return value.startsWith("12.") ? pass(`${value} (get_version unreadable)`) : fail(value);
    }
    const expected = `12.${ctx.version.impl}`;
    const offered = value.split(",").map((item) => item.trim());
    if (!offered.includes(expected)) return fail(`got ${show(value)}, expected ${show(expected)}`);
    return pass(offered.length === 1 ? value : `${value} (several values offered)`);
  });
  await check(ctx, REVERSE.authorization, () => {
    if (ctx.token === "") return skip("no access token given (--token)");
    const problem = tokenProblem(ctx, headers, connection.url);
    return problem === undefined ? pass() : fail(problem);
  });
  const first = peer.frames[0];
  await check(ctx, REVERSE.connectFirst, () => {
    if (first === undefined) return fail("no frame arrived");
    if (isMeta(first.value, "connect")) return pass();
    const value = first.value;
    return fail(
      `the first frame is ${
        isObject(value) && "detail_type" in value
          ? `${value.type}.${value.detail_type}`
          : show(value)
      }`,
    );
  });
  await check(ctx, REVERSE.connectVersion, () => {
    if (first === undefined || !isMeta(first.value, "connect")) return skip("no meta.connect");
    if (ctx.version === undefined) return skip("get_version could not be read");
    const version = (first.value as Json).version;
    if (!isObject(version)) return fail(`version is ${show(version)}`);
    const same = version.impl === ctx.version.impl && version.version === ctx.version.version &&
      version.onebot_version === ctx.version.onebot_version;
    return same ? pass() : fail(`${show(version)} vs ${show(ctx.version)}`);
  });
  await check(ctx, REVERSE.statusUpdate, () => {
    const connectAt = peer.frames.findIndex((frame) => isMeta(frame.value, "connect"));
    const statusAt = peer.frames.findIndex((frame) => isMeta(frame.value, "status_update"));
    if (statusAt === -1) return fail(`no status_update within ${waited} s`);
    return connectAt !== -1 && connectAt < statusAt
      ? pass()
      : fail("status_update came before (or without) meta.connect");
  });
  await check(ctx, REVERSE.action, async () => {
    if (peer.closed !== undefined) return fail(`the socket closed (${peer.closed.code})`);
    const response = await peerCaller(peer, ctx.timeout)("get_version");
    return response.retcode === 0 ? pass() : fail(`retcode ${show(response.retcode)}`);
  });
  await check(ctx, REVERSE.eventsText, () => {
    const events = peer.frames.filter((frame) => isEvent(frame.value));
    if (events.length === 0) return skip("no event arrived");
    const binary = events.filter((frame) => frame.kind !== "text").length;
    return binary === 0
      ? pass(`${events.length} events`)
      : fail(`${binary} of ${events.length} events came as binary frames`);
  });
  for (const frame of receiver.connections.flatMap((each) => each.peer.frames)) {
    if (isEvent(frame.value)) ctx.events.push({ where: "reverse WebSocket", value: frame.value });
    if (isResponse(frame.value)) {
      ctx.responses.push({ where: "reverse WebSocket", value: frame.value });
    }
  }
}
