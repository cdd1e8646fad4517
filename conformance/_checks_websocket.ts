/**
 * Forward WebSocket checks (§1.3 WS-01..13, META-C2, META-S1/S4), black-box
 * over a real `WebSocket` plus raw TCP for refused upgrades. Private.
 *
 * @module
 */

import {
  type Frame,
  isEvent,
  isObject,
  isResponse,
  type Json,
  msgpack,
  openPeer,
  type Peer,
  rawGet,
  upgradeHeaders,
} from "./_client.ts";
import { type Caller, checkMeta } from "./_checks_meta.ts";
import {
  authHeaders,
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
import { isMeta } from "./_shapes.ts";

const RULES = {
  noCredentials: {
    id: "WS-03",
    level: "MUST",
    title: "an upgrade without credentials gets HTTP 401 (not accept-then-close)",
  },
  wrongHeader: {
    id: "WS-02",
    level: "MUST",
    title: "an upgrade with a wrong Authorization header gets 401",
  },
  noFallback: {
    id: "WS-02",
    level: "MUST",
    title: "an upgrade with a wrong header and the right access_token query gets 401",
  },
  queryOnly: {
    id: "WS-02",
    level: "MUST",
    title: "an upgrade with the access_token query alone is accepted",
  },
  path: { id: "WS-04", level: "MAY", title: "an upgrade on another path gets 404" },
  open: { id: "WS-01", level: "SHALL", title: "the WebSocket upgrade on / is accepted" },
  connectFirst: {
    id: "WS-10",
    level: "MUST",
    title: "the first frame is meta.connect (META-C2)",
  },
  connectVersion: {
    id: "§3.4",
    level: "MUST",
    title: "meta.connect version equals the get_version data",
  },
  statusUpdate: {
    id: "WS-11",
    level: "SHALL",
    title: "meta.status_update follows meta.connect (META-S1)",
  },
  statusBots: {
    id: "META-S4",
    level: "SHALL",
    title: "the first status_update lists every bot of get_status",
  },
  text: { id: "WS-06", level: "MUST", title: "a JSON text request gets a response" },
  textFormat: {
    id: "WS-08",
    level: "SHALL",
    title: "a text request is answered with a JSON text frame",
  },
  binary: {
    id: "WS-07",
    level: "OPTIONAL",
    title: "a MessagePack binary request gets a response",
  },
  binaryFormat: {
    id: "WS-08",
    level: "SHALL",
    title: "a binary request is answered with a MessagePack binary frame",
  },
  malformed: { id: "WS-09", level: "SHALL", title: "a malformed frame gets retcode 10001" },
  stillOpen: {
    id: "WS-09",
    level: "SHALL",
    title: "the socket stays open after bad requests and answers the next one",
  },
  noParams: {
    id: "REQ-01",
    level: "MUST",
    title: "a request without params gets 10001 over WebSocket",
  },
  unknown: {
    id: "§2.4",
    level: "SHALL",
    title: "an unknown action gets 10002 with its echo over WebSocket",
  },
  concurrent: {
    id: "WS-13",
    level: "SHALL",
    title: "concurrent requests are each answered, matched by echo",
  },
  eventsText: { id: "WS-05", level: "MUST", title: "every event arrives as a JSON text frame" },
} as const satisfies Record<string, Rule>;

const AFTER_OPEN: readonly Rule[] = Object.values(RULES).slice(
  Object.keys(RULES).indexOf("open") + 1,
);

function withQuery(url: URL, token: string): URL {
  const copy = new URL(url);
  copy.searchParams.set("access_token", token);
  return copy;
}

function echoId(): string {
  return `conformance-${crypto.randomUUID()}`;
}

/** Calls an action on a peer with JSON text; the response object, or throws. */
export function peerCaller(peer: Peer, timeout: number): Caller {
  return async (action, params = {}, echo = echoId()) => {
    const frame = await peer.call(JSON.stringify({ action, params, echo }), echo, timeout);
    return frame.value as Json;
  };
}

async function expectRefused(
  ctx: Context,
  url: URL,
  headers: Record<string, string>,
): Promise<Outcome> {
  const head = await rawGet(url, upgradeHeaders(headers), ctx.timeout);
  if (head.status === 401) return pass();
  if (head.status === 101) {
    return fail("got 101: the upgrade was accepted (accept-then-close does not satisfy WS-03)");
  }
  if (head.status === 403) return fail("got 403 (OneBot 11's answer; OneBot 12 uses 401)");
  return fail(`got ${head.status}`);
}

/** Runs every forward WebSocket check against `ctx.ws`. */
export async function checkWebSocket(ctx: Context): Promise<void> {
  const url = ctx.ws!;
  const authRules = [RULES.noCredentials, RULES.wrongHeader, RULES.noFallback, RULES.queryOnly];
  if (ctx.token === "") {
    skipAll(ctx, authRules, "no access token given (--token)");
  } else {
    const token = ctx.token;
    await check(ctx, RULES.noCredentials, () => expectRefused(ctx, url, {}));
    await check(
      ctx,
      RULES.wrongHeader,
      () => expectRefused(ctx, url, { Authorization: `Bearer wrong-${token}` }),
    );
    await check(
      ctx,
      RULES.noFallback,
      () => expectRefused(ctx, withQuery(url, token), { Authorization: `Bearer wrong-${token}` }),
    );
    await check(ctx, RULES.queryOnly, async () => {
      const peer = await openPeer(withQuery(url, token), { timeout: ctx.timeout });
      await peer.close(ctx.timeout);
      return pass();
    });
  }
  await check(ctx, RULES.path, async () => {
    const other = new URL("conformance-no-such-path", url);
    const head = await rawGet(other, upgradeHeaders(authHeaders(ctx)), ctx.timeout);
    return head.status === 404 ? pass() : fail(`got ${head.status}`);
  });

  let peer: Peer | undefined;
  await check(ctx, RULES.open, async () => {
    peer = await openPeer(url, { headers: authHeaders(ctx), timeout: ctx.timeout });
    return pass();
  });
  if (peer === undefined) {
    skipAll(ctx, AFTER_OPEN, "the WebSocket connection could not be opened");
    return;
  }
  try {
    await checkSession(ctx, peer);
  } finally {
    await peer.close(ctx.timeout);
    for (const frame of peer.frames) {
      if (isEvent(frame.value)) ctx.events.push({ where: "forward WebSocket", value: frame.value });
      if (isResponse(frame.value)) {
        ctx.responses.push({ where: "forward WebSocket", value: frame.value });
      }
    }
  }
}

async function checkSession(ctx: Context, peer: Peer): Promise<void> {
  const { frames } = peer;
  const call = peerCaller(peer, ctx.timeout);
  await peer.until(() => frames.length > 0, ctx.timeout);
  const first = frames[0];
  await check(ctx, RULES.connectFirst, () => {
    if (first === undefined) return fail(`no frame within ${ctx.timeout} ms`);
    if (!isMeta(first.value, "connect")) {
      const value = first.value;
      const what = isObject(value) && "detail_type" in value
        ? `${value.type}.${value.detail_type}`
        : show(value);
      return fail(`the first frame is ${what}`);
    }
    return pass();
  });

  // Without HTTP, the meta actions are checked here.
  if (ctx.http === undefined) await checkMeta(ctx, call, "forward WebSocket");

  await check(ctx, RULES.connectVersion, () => {
    if (first === undefined || !isMeta(first.value, "connect")) return skip("no meta.connect");
    if (ctx.version === undefined) return skip("get_version could not be read");
    const version = (first.value as Json).version;
    if (!isObject(version)) return fail(`version is ${show(version)}`);
    const differences = (["impl", "version", "onebot_version"] as const).filter((field) =>
      version[field] !== ctx.version![field]
    );
    return differences.length === 0
      ? pass()
      : fail(`differs in ${differences.join(", ")}: ${show(version)} vs ${show(ctx.version)}`);
  });

  const connectAt = frames.findIndex((frame) => isMeta(frame.value, "connect"));
  let statusFrame: Frame | undefined;
  await check(ctx, RULES.statusUpdate, async () => {
    const find = () => frames.find((frame) => isMeta(frame.value, "status_update"));
    await peer.until(() => find() !== undefined, ctx.timeout);
    statusFrame = find();
    if (statusFrame === undefined) return fail(`no status_update within ${ctx.timeout} ms`);
    if (connectAt === -1 || frames.indexOf(statusFrame) < connectAt) {
      return fail("status_update came before (or without) meta.connect");
    }
    return pass();
  });
  await check(ctx, RULES.statusBots, () => {
    if (statusFrame === undefined) return skip("no status_update");
    if (ctx.bots === undefined) return skip("get_status could not be read");
    const status = (statusFrame.value as Json).status;
    const listed = new Set(
      isObject(status) && Array.isArray(status.bots)
        ? status.bots.map((bot: unknown) =>
          isObject(bot) && isObject(bot.self) ? `${bot.self.platform}/${bot.self.user_id}` : ""
        )
        : [],
    );
    const missing = ctx.bots.filter((key) => !listed.has(key));
    return missing.length === 0 ? pass() : fail(`missing ${missing.join(", ")}`);
  });
  await checkEncodings(ctx, peer);
  await checkBadRequests(ctx, peer, call);
  await checkConcurrency(ctx, peer);
}

/** WS-06..08: text and binary requests, answered in their kind of frame. */
async function checkEncodings(ctx: Context, peer: Peer): Promise<void> {
  let textFrame: Frame | undefined;
  await check(ctx, RULES.text, async () => {
    const echo = echoId();
    textFrame = await peer.call(
      JSON.stringify({ action: "get_version", params: {}, echo }),
      echo,
      ctx.timeout,
    );
    const value = textFrame.value as Json;
    return value.retcode === 0 ? pass() : fail(`retcode ${show(value.retcode)}`);
  });
  await check(ctx, RULES.textFormat, () => {
    if (textFrame === undefined) return skip("no response");
    return textFrame.kind === "text" ? pass() : fail(`answered with a ${textFrame.kind} frame`);
  });
  let binaryFrame: Frame | undefined;
  await check(ctx, RULES.binary, async () => {
    const echo = echoId();
    const frame = await peer.call(
      msgpack({ action: "get_version", params: {}, echo }),
      undefined,
      ctx.timeout,
    );
    const value = frame.value as Json;
    if (value.retcode === 10001 && value.echo !== echo) {
      return skip("MessagePack is not supported (10001)");
    }
    binaryFrame = frame;
    if (value.echo !== echo) return fail(`echo is ${show(value.echo)}`);
    return value.retcode === 0 ? pass() : fail(`retcode ${show(value.retcode)}`);
  });
  await check(ctx, RULES.binaryFormat, () => {
    if (binaryFrame === undefined) return skip("MessagePack is not supported");
    return binaryFrame.kind === "binary"
      ? pass()
      : fail(`answered with a ${binaryFrame.kind} frame`);
  });
}

/** WS-09, REQ-01: bad requests are answered and keep the socket open. */
async function checkBadRequests(
  ctx: Context,
  peer: Peer,
  call: ReturnType<typeof peerCaller>,
): Promise<void> {
  await check(ctx, RULES.malformed, async () => {
    const frame = await peer.call('{"action": "get_version", "params": {', undefined, ctx.timeout);
    const value = frame.value as Json;
    return value.retcode === 10001 ? pass() : fail(`retcode ${show(value.retcode)}`);
  });
  await check(ctx, RULES.noParams, async () => {
    const frame = await peer.call(
      JSON.stringify({ action: "get_version", echo: echoId() }),
      undefined,
      ctx.timeout,
    );
    const value = frame.value as Json;
    return value.retcode === 10001 ? pass() : fail(`retcode ${show(value.retcode)}`);
  });
  await check(ctx, RULES.stillOpen, async () => {
    if (peer.closed !== undefined) {
      return fail(`the socket was closed (${peer.closed.code} ${peer.closed.reason})`);
    }
    const response = await call("get_version");
    return response.retcode === 0 ? pass() : fail(`retcode ${show(response.retcode)}`);
  });
  await check(ctx, RULES.unknown, async () => {
    const echo = echoId();
    const frame = await peer.call(
      JSON.stringify({ action: "conformance_no_such_action", params: {}, echo }),
      undefined,
      ctx.timeout,
    );
    const value = frame.value as Json;
    if (value.echo !== echo) return fail(`echo is ${show(value.echo)}`);
    return value.retcode === 10002 ? pass() : fail(`retcode ${show(value.retcode)}`);
  });
}

/** WS-13: concurrent requests; then events come as text frames. */
async function checkConcurrency(ctx: Context, peer: Peer): Promise<void> {
  const { frames } = peer;
  await check(ctx, RULES.concurrent, async () => {
    const actions = [
      "get_version",
      "get_status",
      "get_supported_actions",
      "get_version",
      "get_status",
    ];
    const echoes = actions.map(() => echoId());
    const start = frames.length;
    actions.forEach((action, index) => {
      peer.send(JSON.stringify({ action, params: {}, echo: echoes[index] }));
    });
    const answered = (): string[] =>
      frames.slice(start).flatMap((frame) =>
        isResponse(frame.value) && typeof frame.value.echo === "string" ? [frame.value.echo] : []
      );
    await peer.until(() => echoes.every((echo) => answered().includes(echo)), ctx.timeout);
    const got = answered();
    const missing = echoes.filter((echo) => !got.includes(echo));
    if (missing.length > 0) return fail(`${missing.length} of ${echoes.length} not answered`);
    const inOrder = echoes.every((echo, index) => got.indexOf(echo) === index);
    return pass(inOrder ? "answered in order" : "answered out of order, matched by echo");
  });

  if (ctx.heartbeatWait > 0) {
    await peer.until(
      () => frames.some((frame) => isMeta(frame.value, "heartbeat")),
      ctx.heartbeatWait,
    );
  }

  await check(ctx, RULES.eventsText, () => {
    const events = frames.filter((frame) => isEvent(frame.value));
    const binary = events.filter((frame) => frame.kind !== "text");
    if (events.length === 0) return skip("no event arrived");
    return binary.length === 0
      ? pass(`${events.length} events`)
      : fail(`${binary.length} of ${events.length} events came as binary frames`);
  });
}
