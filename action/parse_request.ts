/**
 * Envelope validation for action requests (REQ-01, §2.2).
 *
 * @module
 */

import { failed } from "./result.ts";
import { RETCODE } from "./retcode.ts";
import type { ActionRequest, Failure } from "./types.ts";
import type { BotSelf } from "../event/types.ts";

/**
 * Checks an already-decoded value against the action-request envelope.
 *
 * Decisions where the spec is open (docs/decisions.md): a non-string `echo`
 * is a mistyped field and answers 10001, as a mistyped `self` does; unknown
 * top-level fields are ignored (extension model, EXT-14).
 *
 * @param value The decoded JSON or MessagePack value.
 * @returns The request, or a 10001 failure naming what is wrong.
 *
 * @example
 * ```ts
 * import { isFailure, parseActionRequest } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(parseActionRequest({ action: "get_version", params: {} }))
 *   .toEqual({ action: "get_version", params: {} });
 * expect(isFailure(parseActionRequest({ action: "get_version" }))).toBe(true);
 * ```
 */
export function parseActionRequest(value: unknown): ActionRequest | Failure {
  if (!isRecord(value)) return badRequest("the request must be an object");
  const { action, params, echo, self } = value;
  if (typeof action !== "string") return badRequest("action must be a string");
  if (!isRecord(params)) return badRequest("params must be an object");
  if (echo !== undefined && typeof echo !== "string") {
    return badRequest("echo must be a string");
  }
  if (self !== undefined && !isBotSelf(self)) {
    return badRequest("self must be an object with string platform and user_id");
  }
  const request: ActionRequest = { action, params };
  if (echo !== undefined) request.echo = echo;
  if (self !== undefined) request.self = { platform: self.platform, user_id: self.user_id };
  return request;
}

/**
 * The `echo` of a value that may be a malformed request, so that even a
 * 10001 answer can be matched by the peer when possible (RESP-03).
 *
 * @param value The decoded value.
 * @returns Its string `echo`, or `undefined`.
 *
 * @example
 * ```ts
 * import { echoOf } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(echoOf({ action: 1, echo: "a" })).toBe("a");
 * expect(echoOf([1])).toBe(undefined);
 * ```
 */
export function echoOf(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const echo = value.echo;
  return typeof echo === "string" ? echo : undefined;
}

function badRequest(message: string): Failure {
  return failed(RETCODE.BAD_REQUEST, message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !ArrayBuffer.isView(value);
}

function isBotSelf(value: unknown): value is BotSelf {
  return isRecord(value) && typeof value.platform === "string" &&
    typeof value.user_id === "string";
}
