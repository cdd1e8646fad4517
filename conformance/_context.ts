/**
 * The state of one conformance run and the helpers every check uses:
 * outcomes, recording, and calling actions over HTTP. Private.
 *
 * @module
 */

import { clip } from "../_text.ts";
import type { CheckLevel, CheckResult, CheckStatus } from "./report.ts";
import { decodeBody, errorMessage, httpRequest, type HttpResult, msgpack } from "./_client.ts";

/** What `get_version` answered. */
export interface VersionInfo {
  impl: string;
  version: string;
  onebot_version: string;
}

/** Something seen during the run, kept for the checks that look at all of them. */
export interface Seen {
  /** Where it was seen, e.g. `HTTP`, `forward WebSocket`, `webhook`. */
  where: string;
  value: unknown;
}

/** The state of one run. */
export interface Context {
  /** The HTTP URL, when HTTP is checked. */
  http: URL | undefined;
  /** The forward WebSocket URL, when it is checked. */
  ws: URL | undefined;
  /** The access token; `""` when none was given. */
  token: string;
  /** Milliseconds each wait may take. */
  timeout: number;
  /** Call every listed action with `{}` (META-01). */
  callListedActions: boolean;
  /** Milliseconds to wait for a heartbeat on the forward WebSocket. */
  heartbeatWait: number;
  /** The checks run so far. */
  results: CheckResult[];
  /** `get_version` data, once known. */
  version: VersionInfo | undefined;
  /** `platform/user_id` of every bot `get_status` listed, once known. */
  bots: string[] | undefined;
  /** Every action response seen (RESP-01, RESP-02). */
  responses: Seen[];
  /** Every event seen (EV-01, EVT-00, META-H1). */
  events: Seen[];
}

/** A rule being checked. */
export interface Rule {
  id: string;
  level: CheckLevel;
  title: string;
}

/** A check's outcome. */
export interface Outcome {
  status: CheckStatus;
  detail: string;
}

/** A passed check. */
export function pass(detail = ""): Outcome {
  return { status: "pass", detail };
}

/** A failed check. */
export function fail(detail: string): Outcome {
  return { status: "fail", detail };
}

/** A check that does not apply, with the reason. */
export function skip(reason: string): Outcome {
  return { status: "skip", detail: reason };
}

/** Passes when `problems` is empty, else fails listing them. */
export function passUnless(problems: readonly string[], detail = ""): Outcome {
  return problems.length === 0 ? pass(detail) : fail(problems.join("; "));
}

/**
 * Runs one check and records it. Anything the body throws becomes a failure
 * with the error's message, never a crash.
 */
export async function check(
  ctx: Context,
  rule: Rule,
  body: () => Outcome | Promise<Outcome>,
): Promise<Outcome> {
  let outcome: Outcome;
  try {
    outcome = await body();
  } catch (error) {
    outcome = fail(errorMessage(error));
  }
  ctx.results.push({ ...rule, ...outcome });
  return outcome;
}

/** Records every rule as skipped with the same reason. */
export function skipAll(ctx: Context, rules: readonly Rule[], reason: string): void {
  for (const rule of rules) ctx.results.push({ ...rule, ...skip(reason) });
}

/** The `Authorization` header for the configured token, or none. */
export function authHeaders(ctx: Context): Record<string, string> {
  return ctx.token === "" ? {} : { Authorization: `Bearer ${ctx.token}` };
}

/** What an HTTP action call returned. */
export interface HttpCall {
  result: HttpResult;
  /** The decoded body, when it could be decoded. */
  value?: unknown;
  /** Why the body could not be decoded. */
  error?: string;
}

/** Options of {@linkcode postAction}. */
export interface PostOptions {
  /** Replaces the default headers (auth plus `Content-Type`). */
  headers?: Record<string, string>;
  /** Replaces the target URL. */
  url?: URL;
  /** `json` (default), `msgpack`, or a raw body sent as is. */
  encoding?: "json" | "msgpack" | "raw";
}

/**
 * POSTs an action request (or any body) to the implementation. The body is
 * decoded by the response `Content-Type` when the status is 200; every
 * decoded 200 response is kept for RESP-01/RESP-02.
 */
export async function postAction(
  ctx: Context,
  body: unknown,
  options: PostOptions = {},
): Promise<HttpCall> {
  const url = options.url ?? ctx.http;
  if (url === undefined) throw new Error("no HTTP URL to check");
  const encoding = options.encoding ?? "json";
  const contentType = encoding === "msgpack" ? "application/msgpack" : "application/json";
  const headers = options.headers ?? { ...authHeaders(ctx), "Content-Type": contentType };
  const payload = encoding === "raw"
    ? String(body)
    : encoding === "msgpack"
    ? msgpack(body)
    : JSON.stringify(body);
  const result = await httpRequest(url, { headers, body: payload, timeout: ctx.timeout });
  const call: HttpCall = { result };
  if (result.status === 200) {
    try {
      call.value = decodeBody(result);
      ctx.responses.push({ where: "HTTP", value: call.value });
    } catch (error) {
      call.error = `the body could not be decoded: ${errorMessage(error)}`;
    }
  }
  return call;
}

/** The decoded response of an action call; throws when there is none. */
export async function callHttp(
  ctx: Context,
  action: string,
  params: unknown = {},
  echo?: string,
): Promise<Record<string, unknown>> {
  const request: Record<string, unknown> = { action, params };
  if (echo !== undefined) request.echo = echo;
  const call = await postAction(ctx, request);
  if (call.result.status !== 200) throw new Error(`HTTP ${call.result.status} for ${action}`);
  if (call.error !== undefined) throw new Error(call.error);
  const value = call.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`the response to ${action} is not an object`);
  }
  return value as Record<string, unknown>;
}

/** A short description of a value for failure details. */
export function show(value: unknown, max = 120): string {
  let text: string;
  try {
    text = value === undefined ? "undefined" : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return clip(text, max);
}
