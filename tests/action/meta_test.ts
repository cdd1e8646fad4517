// Rule tests for action/meta.ts: get_version, get_status and get_supported_actions
// (META-00, META-01, §3.2, §3.3).
import { expect } from "expect";
import { mergeHandlers } from "../../action/compose.ts";
import { withMetaActions } from "../../action/meta.ts";
import { ok } from "../../action/result.ts";
import { createActionRouter } from "../../action/router.ts";
import type { AnyActionHandlers } from "../../action/types.ts";
import type { StatusData, VersionData } from "../../event/types.ts";

const version: VersionData = { impl: "my-impl.v2", version: "1.2.3", onebot_version: "12" };
const alice = { platform: "demo", user_id: "alice" };

function routeWith(handlers: AnyActionHandlers, status: () => StatusData = () => ({
  good: true,
  bots: [],
})) {
  const route = createActionRouter({
    handlers: withMetaActions(handlers, { version, status }),
    bots: () => [alice],
  });
  return async (action: string) => await route({ action, params: {} }, { connection: "http" });
}

Deno.test("withMetaActions() implements get_version, get_status and get_supported_actions (META-00)", async () => {
  const call = routeWith({});
  for (const action of ["get_version", "get_status", "get_supported_actions"]) {
    expect((await call(action)).retcode).toBe(0);
  }
});

Deno.test('get_version answers {impl, version, onebot_version: "12"} and nothing else (§3.3, §8)', async () => {
  const response = await routeWith({})("get_version");
  expect(response.data).toEqual({ impl: "my-impl.v2", version: "1.2.3", onebot_version: "12" });
  expect(Object.keys(response.data as object).sort()).toEqual([
    "impl",
    "onebot_version",
    "version",
  ]);
  expect("platform" in (response.data as object)).toBe(false); // removed in #215
});

Deno.test("get_version cannot be changed by the caller's info object or by a handler of that name (§3.4)", async () => {
  const info = { ...version };
  const handlers = withMetaActions(
    { get_version: () => ok({ impl: "other", version: "0", onebot_version: "12" }) },
    { version: info, status: () => ({ good: true, bots: [] }) },
  );
  info.impl = "mutated";
  const route = createActionRouter({ handlers, bots: () => [] });
  const response = await route({ action: "get_version", params: {} }, { connection: "http" });
  expect(response.data).toEqual(version);
  (response.data as VersionData).impl = "tampered";
  const again = await route({ action: "get_version", params: {} }, { connection: "http" });
  expect(again.data).toEqual(version);
});

Deno.test("get_status answers the status reader's current {good, bots} on every call (§3.3)", async () => {
  let status: StatusData = { good: true, bots: [{ self: alice, online: true }] };
  const call = routeWith({}, () => status);
  expect((await call("get_status")).data).toEqual({
    good: true,
    bots: [{ self: alice, online: true }],
  });
  status = { good: false, bots: [{ self: alice, online: false }] };
  expect((await call("get_status")).data).toEqual({
    good: false,
    bots: [{ self: alice, online: false }],
  });
});

Deno.test("get_supported_actions lists the handler keys plus the meta actions (META-01, §3.2)", async () => {
  const response = await routeWith({ send_message: () => ok(null), "demo.ping": () => ok("pong") })(
    "get_supported_actions",
  );
  expect((response.data as string[]).sort()).toEqual(
    ["demo.ping", "get_status", "get_supported_actions", "get_version", "send_message"].sort(),
  );
});

Deno.test("get_supported_actions leaves out handlers set to undefined (META-01)", async () => {
  const call = routeWith({ a: () => ok(1), b: undefined });
  const supported = (await call("get_supported_actions")).data as string[];
  expect(supported).toContain("a");
  expect(supported).not.toContain("b");
  expect((await call("b")).retcode).toBe(10002);
});

Deno.test("get_supported_actions equals exactly what the router serves, after merging (META-01)", async () => {
  const merged = mergeHandlers(
    { a: () => ok(1), b: () => ok(2) },
    { b: undefined, c: () => ok(3) },
  );
  const call = routeWith(merged);
  const supported = (await call("get_supported_actions")).data as string[];
  for (const action of supported) expect((await call(action)).retcode).not.toBe(10002);
  for (const action of ["d", "get_latest_events"]) {
    expect(supported).not.toContain(action);
  }
  expect(supported.sort()).toEqual(
    ["a", "b", "c", "get_status", "get_supported_actions", "get_version"].sort(),
  );
});

Deno.test("get_supported_actions cannot drift when the input record changes later (META-01)", async () => {
  const handlers: Record<string, AnyActionHandlers[string]> = { a: () => ok(1) };
  const call = routeWith(handlers);
  handlers.late = () => ok(2);
  delete handlers.a;
  const supported = (await call("get_supported_actions")).data as string[];
  expect(supported).toContain("a");
  expect(supported).not.toContain("late");
  expect((await call("a")).retcode).toBe(0);
  expect((await call("late")).retcode).toBe(10002);
  // A copy each time: the caller cannot edit the list.
  (supported as string[]).push("forged");
  expect((await call("get_supported_actions")).data).not.toContain("forged");
});

Deno.test("get_supported_actions omits get_latest_events, which only HTTP serves (META-01, §3.2)", async () => {
  const call = routeWith({ get_latest_events: () => ok([]) });
  expect((await call("get_supported_actions")).data).not.toContain("get_latest_events");
});
