/**
 * HTTP checks (§1.1 HTTP-01..12, REQ-01, RESP-03, §3.1), black-box over
 * real `fetch`. Private.
 *
 * @module
 */

import { errorMessage, httpRequest, isObject, type Json, mediaType } from "./_client.ts";
import { checkMeta } from "./_checks_meta.ts";
import {
  authHeaders,
  callHttp,
  check,
  type Context,
  fail,
  type HttpCall,
  type Outcome,
  pass,
  postAction,
  type Rule,
  show,
  skip,
  skipAll,
} from "./_context.ts";

const GET_VERSION = { action: "get_version", params: {} };

const RULES = {
  reachable: {
    id: "HTTP-01",
    level: "SHALL",
    title: "POST / with an action request gets 200 and an action response",
  },
  noCredentials: {
    id: "HTTP-04",
    level: "MUST",
    title: "no credentials get 401 (never 403)",
  },
  wrongHeader: { id: "HTTP-03", level: "MUST", title: "a wrong Authorization header gets 401" },
  lowercase: {
    id: "HTTP-03",
    level: "MUST",
    title: "`bearer <token>` (lowercase scheme) gets 401",
  },
  twoSpaces: { id: "HTTP-03", level: "MUST", title: "`Bearer  <token>` (two spaces) gets 401" },
  noFallback: {
    id: "HTTP-03",
    level: "MUST",
    title: "a wrong header with the right access_token query gets 401 (no fallback)",
  },
  queryOnly: { id: "HTTP-03", level: "MUST", title: "the access_token query alone gets 200" },
  rightHeader: { id: "HTTP-03", level: "MUST", title: "`Bearer <token>` gets 200" },
  json: {
    id: "HTTP-05",
    level: "MUST",
    title: "an application/json request gets a JSON action response",
  },
  jsonType: {
    id: "HTTP-08",
    level: "SHALL",
    title: "a JSON request is answered with Content-Type application/json",
  },
  msgpack: {
    id: "HTTP-06",
    level: "OPTIONAL",
    title: "an application/msgpack request gets a MessagePack action response",
  },
  msgpackType: {
    id: "HTTP-08",
    level: "SHALL",
    title: "a MessagePack request is answered with Content-Type application/msgpack",
  },
  textPlain: { id: "HTTP-07", level: "MUST", title: "a text/plain request gets 415" },
  get: { id: "HTTP-09", level: "MAY", title: "GET / gets 405" },
  path: { id: "HTTP-10", level: "MAY", title: "POST to another path gets 404" },
  malformed: {
    id: "HTTP-11",
    level: "SHALL",
    title: "malformed JSON gets 200 with retcode 10001 (not 400)",
  },
  notObject: {
    id: "HTTP-11",
    level: "SHALL",
    title: "a body that is not an object gets 200 with retcode 10001",
  },
  noParams: { id: "REQ-01", level: "MUST", title: "a request without params gets 10001" },
  paramsNotObject: {
    id: "REQ-01",
    level: "MUST",
    title: 'params that is not an object ("x") gets 10001',
  },
  actionNotString: {
    id: "REQ-01",
    level: "MUST",
    title: "an action that is not a string gets 10001",
  },
  unknown: {
    id: "HTTP-11",
    level: "SHALL",
    title: "an unknown action gets 200 with retcode 10002",
  },
  echoOk: {
    id: "RESP-03",
    level: "SHALL",
    title: "a successful response returns the request's echo unchanged",
  },
  echoFailed: {
    id: "RESP-03",
    level: "SHALL",
    title: "a failed response returns the request's echo unchanged",
  },
  pollNow: {
    id: "HTTP-12",
    level: "MUST",
    title: "get_latest_events with timeout 0 answers a list at once",
  },
  pollNoMeta: { id: "§3.1", level: "MUST", title: "get_latest_events returns no meta events" },
  pollNegative: {
    id: "§3.1",
    level: "RECOMMENDED",
    title: "get_latest_events with a negative limit or timeout gets 10003",
  },
} as const satisfies Record<string, Rule>;

/** The rules checked after reachability, skipped together when it fails. */
const AFTER_REACHABLE: readonly Rule[] = Object.values(RULES).slice(1);

function expectStatus(call: HttpCall, expected: number): Outcome {
  const status = call.result.status;
  if (status === expected) return pass();
  if (status === 403) return fail("got 403 (OneBot 11's answer; OneBot 12 uses 401, HTTP-04)");
  return fail(`got ${status}`);
}

/** Passes when an HTTP call answered 200 with the retcode. */
function expectRetcode(call: HttpCall, retcode: number): Outcome {
  if (call.result.status !== 200) {
    return fail(`got HTTP ${call.result.status}; after the body is read, the answer is 200`);
  }
  if (call.error !== undefined) return fail(call.error);
  if (!isObject(call.value)) return fail(`the body is ${show(call.value)}`);
  return call.value.retcode === retcode
    ? pass()
    : fail(`retcode ${show(call.value.retcode)} (${show(call.value.message)})`);
}

function withQuery(url: URL, token: string): URL {
  const copy = new URL(url);
  copy.searchParams.set("access_token", token);
  return copy;
}

/** Runs every HTTP check against `ctx.http`. */
export async function checkHttp(ctx: Context): Promise<void> {
  const url = ctx.http!;
  const reachable = await check(ctx, RULES.reachable, async () => {
    const call = await postAction(ctx, GET_VERSION);
    if (call.result.status === 401 && ctx.token === "") {
      return fail("got 401: the implementation needs an access token (--token)");
    }
    if (call.result.status !== 200) return fail(`got ${call.result.status}`);
    if (call.error !== undefined) return fail(call.error);
    if (!isObject(call.value) || !("retcode" in call.value)) {
      return fail(`the body is not an action response: ${show(call.value)}`);
    }
    return pass();
  });
  if (reachable.status === "fail" && reachable.detail.startsWith("HTTP request failed")) {
    skipAll(ctx, AFTER_REACHABLE, "the implementation is not reachable over HTTP");
    return;
  }
  await checkAuth(ctx, url);
  await checkEncodings(ctx, url);
  // HTTP-11, REQ-01: bad requests get 200 and a retcode.
  const badRequests: [Rule, unknown, "json" | "raw", number][] = [
    [RULES.malformed, '{"action": "get_version", "params": {}', "raw", 10001],
    [RULES.notObject, "[]", "raw", 10001],
    [RULES.noParams, { action: "get_version" }, "json", 10001],
    [RULES.paramsNotObject, { action: "get_version", params: "x" }, "json", 10001],
    [RULES.actionNotString, { action: 1, params: {} }, "json", 10001],
  ];
  for (const [rule, body, encoding, retcode] of badRequests) {
    await check(
      ctx,
      rule,
      async () => expectRetcode(await postAction(ctx, body, { encoding }), retcode),
    );
  }
  const unknownEcho = `conformance-${crypto.randomUUID()}`;
  let unknownCall: HttpCall | undefined;
  await check(ctx, RULES.unknown, async () => {
    unknownCall = await postAction(ctx, {
      action: "conformance_no_such_action",
      params: {},
      echo: unknownEcho,
    });
    return expectRetcode(unknownCall, 10002);
  });

  // RESP-03: echo.
  await check(ctx, RULES.echoOk, async () => {
    const echo = `conformance-${crypto.randomUUID()}`;
    const response = await callHttp(ctx, "get_version", {}, echo);
    return response.echo === echo ? pass() : fail(`echo is ${show(response.echo)}`);
  });
  await check(ctx, RULES.echoFailed, () => {
    if (unknownCall === undefined || !isObject(unknownCall.value)) {
      return skip("the unknown action got no action response");
    }
    const echo = unknownCall.value.echo;
    return echo === unknownEcho ? pass() : fail(`echo is ${show(echo)}`);
  });

  // META-00, META-01 over HTTP.
  await checkMeta(ctx, (action, params = {}, echo) => callHttp(ctx, action, params, echo), "HTTP");

  // §3.1: get_latest_events.
  await checkPolling(ctx);
}

/** HTTP-02..04: the auth matrix, in the order of HTTP-03. */
async function checkAuth(ctx: Context, url: URL): Promise<void> {
  const json = { "Content-Type": "application/json" };
  const authRules = [
    RULES.noCredentials,
    RULES.wrongHeader,
    RULES.lowercase,
    RULES.twoSpaces,
    RULES.noFallback,
    RULES.queryOnly,
    RULES.rightHeader,
  ];
  if (ctx.token === "") {
    skipAll(ctx, authRules, "no access token given (--token)");
  } else {
    const token = ctx.token;
    const cases: [Rule, Record<string, string>, URL, number][] = [
      [RULES.noCredentials, json, url, 401],
      [RULES.wrongHeader, { ...json, Authorization: `Bearer wrong-${token}` }, url, 401],
      [RULES.lowercase, { ...json, Authorization: `bearer ${token}` }, url, 401],
      [RULES.twoSpaces, { ...json, Authorization: `Bearer  ${token}` }, url, 401],
      [
        RULES.noFallback,
        { ...json, Authorization: `Bearer wrong-${token}` },
        withQuery(url, token),
        401,
      ],
      [RULES.queryOnly, json, withQuery(url, token), 200],
      [RULES.rightHeader, { ...json, Authorization: `Bearer ${token}` }, url, 200],
    ];
    for (const [rule, headers, target, expected] of cases) {
      await check(ctx, rule, async () => {
        return expectStatus(await postAction(ctx, GET_VERSION, { headers, url: target }), expected);
      });
    }
  }
}

/** HTTP-05..10: encodings and their media types; other methods and paths. */
async function checkEncodings(ctx: Context, url: URL): Promise<void> {
  let jsonCall: HttpCall | undefined;
  await check(ctx, RULES.json, async () => {
    jsonCall = await postAction(ctx, GET_VERSION);
    const outcome = expectRetcode(jsonCall, 0);
    return outcome.status === "pass" ? pass(show(jsonCall.value)) : outcome;
  });
  await check(ctx, RULES.jsonType, () => {
    if (jsonCall === undefined) return skip("no JSON answer");
    const type = mediaType(jsonCall.result.headers.get("content-type"));
    return type === "application/json" ? pass() : fail(`Content-Type is ${show(type)}`);
  });
  let msgpackCall: HttpCall | undefined;
  await check(ctx, RULES.msgpack, async () => {
    const call = await postAction(ctx, GET_VERSION, { encoding: "msgpack" });
    if (call.result.status === 415) return skip("MessagePack is not supported (415)");
    msgpackCall = call;
    return expectRetcode(call, 0);
  });
  await check(ctx, RULES.msgpackType, () => {
    if (msgpackCall === undefined) return skip("MessagePack is not supported");
    const type = mediaType(msgpackCall.result.headers.get("content-type"));
    return type === "application/msgpack" ? pass() : fail(`Content-Type is ${show(type)}`);
  });
  await check(ctx, RULES.textPlain, async () => {
    const headers = { ...authHeaders(ctx), "Content-Type": "text/plain" };
    return expectStatus(await postAction(ctx, GET_VERSION, { headers }), 415);
  });

  // HTTP-09, HTTP-10: other methods and paths.
  await check(ctx, RULES.get, async () => {
    const result = await httpRequest(url, {
      method: "GET",
      headers: authHeaders(ctx),
      timeout: ctx.timeout,
    });
    return result.status === 405 ? pass() : fail(`got ${result.status}`);
  });
  await check(ctx, RULES.path, async () => {
    const other = new URL("conformance-no-such-path", url);
    const call = await postAction(ctx, GET_VERSION, { url: other });
    return call.result.status === 404 ? pass() : fail(`got ${call.result.status}`);
  });
}

async function checkPolling(ctx: Context): Promise<void> {
  let first: Json;
  try {
    first = await callHttp(ctx, "get_latest_events", { limit: 0, timeout: 0 });
  } catch (error) {
    ctx.results.push({ ...RULES.pollNow, ...fail(errorMessage(error)) });
    skipAll(ctx, [RULES.pollNoMeta, RULES.pollNegative], "get_latest_events did not answer");
    return;
  }
  if (first.retcode === 10002) {
    skipAll(
      ctx,
      [RULES.pollNow, RULES.pollNoMeta, RULES.pollNegative],
      "get_latest_events is not supported (10002); it is required only with event_enabled",
    );
    return;
  }
  await check(ctx, RULES.pollNow, () => {
    if (first.retcode !== 0) return fail(`retcode ${show(first.retcode)} ${show(first.message)}`);
    if (!Array.isArray(first.data)) return fail(`data is ${show(first.data)}, not a list`);
    for (const event of first.data) ctx.events.push({ where: "get_latest_events", value: event });
    return pass(`${first.data.length} events`);
  });
  await check(ctx, RULES.pollNoMeta, () => {
    if (!Array.isArray(first.data)) return skip("no list to look at");
    const meta = first.data.filter((event) => isObject(event) && event.type === "meta");
    if (meta.length > 0) {
      return fail(`${meta.length} meta events, e.g. ${show(meta[0])}`);
    }
    return first.data.length === 0
      ? pass("the list was empty (emit an event before the run to check more)")
      : pass();
  });
  await check(ctx, RULES.pollNegative, async () => {
    const problems: string[] = [];
    for (const params of [{ limit: -1 }, { timeout: -1 }]) {
      const response = await callHttp(ctx, "get_latest_events", params);
      if (response.retcode !== 10003) {
        problems.push(`${show(params)} got retcode ${show(response.retcode)}`);
      }
    }
    return problems.length === 0 ? pass() : fail(problems.join("; "));
  });
}
