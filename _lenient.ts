/**
 * Opt-in leniency for two common client deviations from the request
 * envelope (§2.2), as a router wrapper: `createOneBot`'s `compat.nonStringEcho`
 * and `compat.nullParams`. Off by default; the spec-exact router stays as it
 * is. It applies to every action the router serves, `get_latest_events`
 * included (an ordinary action since it left the HTTP transport). Private:
 * not exported from `mod.ts`.
 *
 * @module
 */

import type { ActionRouter } from "./action/types.ts";

/** Which deviations to accept. */
export interface Leniency {
  /** A `null`, number or boolean `echo` is answered with that same value instead of 10001. */
  nonStringEcho: boolean;
  /** Top-level `params` whose value is `null` are removed before validation. */
  nullParams: boolean;
}

/**
 * Wraps `router` so that it accepts the deviations `leniency` names; with
 * none, returns `router` itself. The wrapper always answers through a
 * promise: with leniency on, the transports' synchronous fast path
 * (`routeNow`) does not apply.
 */
export function lenientRouter(router: ActionRouter, leniency: Leniency): ActionRouter {
  if (!leniency.nonStringEcho && !leniency.nullParams) return router;
  return async function route(request, context) {
    if (!isRecord(request)) return await router(request, context);
    let value: Record<string, unknown> = request;
    const { echo } = value;
    const scalarEcho = leniency.nonStringEcho && isScalar(echo);
    if (scalarEcho) {
      const { echo: _, ...rest } = value;
      value = rest;
    }
    if (leniency.nullParams && isRecord(value.params)) {
      value = { ...value, params: withoutNulls(value.params) };
    }
    const response = await router(value, context);
    if (!scalarEcho) return response;
    // The peer's own echo back, as it came: outside ActionResponse's `string`, as opted in.
    return { ...response, echo: echo as unknown as string };
  };
}

/** A JSON scalar other than a string: what a lenient `echo` may be (always encodable). */
function isScalar(value: unknown): value is null | number | boolean {
  return value === null || typeof value === "number" || typeof value === "boolean";
}

/** `params` without the keys whose value is `null`. */
function withoutNulls(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== null));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !ArrayBuffer.isView(value);
}
