/**
 * Meta action checks (META-00, META-01, §3.2, §3.3, §8), run over whichever
 * transport is available (HTTP, else the forward WebSocket). Private.
 *
 * @module
 */

import type { Json } from "./_client.ts";
import { check, type Context, fail, pass, passUnless, show, skip } from "./_context.ts";
import { botKeys, NAME_REGEXP, statusProblems, versionProblems } from "./_shapes.ts";

/** Calls an action and returns the decoded response object; throws on no answer. */
export type Caller = (action: string, params?: unknown, echo?: string) => Promise<Json>;

const META_ACTIONS = ["get_supported_actions", "get_status", "get_version"];

/** How many listed actions are called at once (META-01). */
const CONCURRENCY = 4;

/** The response's data, or throws naming the retcode when it failed. */
function dataOf(action: string, response: Json): unknown {
  if (response.status !== "ok" || response.retcode !== 0) {
    throw new Error(
      `${action} failed: retcode ${show(response.retcode)} ${show(response.message)}`,
    );
  }
  return response.data;
}

/** Runs the meta action checks; fills `ctx.version` and `ctx.bots`. */
export async function checkMeta(ctx: Context, call: Caller, where: string): Promise<void> {
  let version: Json | undefined;
  await check(ctx, {
    id: "META-00",
    level: "MUST",
    title: `get_version answers {impl, version, onebot_version} (${where})`,
  }, async () => {
    const data = dataOf("get_version", await call("get_version"));
    const problems = versionProblems(data);
    if (problems.length === 0) {
      version = data as Json;
      ctx.version = {
        impl: String(version.impl),
        version: String(version.version),
        onebot_version: String(version.onebot_version),
      };
    }
    return passUnless(problems, show(data));
  });
  await check(ctx, {
    id: "§8",
    level: "SHALL",
    title: "get_version impl matches [a-z][-a-z0-9]*(\\.[-a-z0-9]+)*",
  }, () => {
    if (version === undefined) return skip("get_version could not be read");
    return NAME_REGEXP.test(String(version.impl))
      ? pass(String(version.impl))
      : fail(`impl is ${show(version.impl)}`);
  });
  await check(ctx, {
    id: "§8",
    level: "MUST",
    title: 'get_version onebot_version is the string "12"',
  }, () => {
    if (version === undefined) return skip("get_version could not be read");
    return version.onebot_version === "12"
      ? pass()
      : fail(`onebot_version is ${show(version.onebot_version)}`);
  });
  await check(ctx, {
    id: "META-00",
    level: "MUST",
    title: `get_status answers {good, bots: [{self, online}]} (${where})`,
  }, async () => {
    const data = dataOf("get_status", await call("get_status"));
    const problems = statusProblems(data);
    if (problems.length === 0) ctx.bots = botKeys(data);
    return passUnless(problems, show(data));
  });

  let actions: string[] | undefined;
  await check(ctx, {
    id: "META-01",
    level: "MUST",
    title: "get_supported_actions lists strings, the meta actions included",
  }, async () => {
    const data = dataOf("get_supported_actions", await call("get_supported_actions"));
    if (!Array.isArray(data) || !data.every((name) => typeof name === "string")) {
      return fail(`data is ${show(data)}, not a list of strings`);
    }
    actions = data;
    const missing = META_ACTIONS.filter((name) => !data.includes(name));
    return missing.length === 0
      ? pass(`${data.length} actions`)
      : fail(`${missing.join(", ")} not listed`);
  });
  await check(ctx, {
    id: "META-01",
    level: "MUST",
    title: "every listed action is implemented (called with {}, none answers 10002)",
  }, async () => {
    if (!ctx.callListedActions) return skip("disabled (callListedActions: false)");
    if (actions === undefined) return skip("get_supported_actions could not be read");
    const names = actions.filter((name) => name !== "get_latest_events");
    const unsupported: string[] = [];
    const unanswered: string[] = [];
    for (let start = 0; start < names.length; start += CONCURRENCY) {
      await Promise.all(
        names.slice(start, start + CONCURRENCY).map(async (name) => {
          try {
            const response = await call(name, {});
            if (response.retcode === 10002) unsupported.push(name);
          } catch (error) {
            unanswered.push(`${name} (${error instanceof Error ? error.message : error})`);
          }
        }),
      );
    }
    const problems = [
      ...(unsupported.length > 0 ? [`10002 from ${unsupported.join(", ")}`] : []),
      ...(unanswered.length > 0 ? [`no answer from ${unanswered.join(", ")}`] : []),
    ];
    return passUnless(problems, `${names.length} actions called`);
  });
}
