/**
 * Checks over everything collected during the run, whatever the transport:
 * response envelopes (RESP-01..03) and event shapes (EV-01, EVT-00,
 * META-H1). Private.
 *
 * @module
 */

import { isObject, type Json } from "./_client.ts";
import {
  check,
  type Context,
  fail,
  type Outcome,
  pass,
  type Rule,
  type Seen,
  show,
  skip,
} from "./_context.ts";
import {
  consistencyProblems,
  eventProblems,
  heartbeatProblems,
  isMeta,
  responseProblems,
  standardFieldProblems,
} from "./_shapes.ts";

const RULES = {
  envelope: {
    id: "RESP-01",
    level: "MUST",
    title: "every response has status, retcode (integer), data and message",
  },
  consistent: {
    id: "RESP-02",
    level: "MUST",
    title: 'status "ok" goes with retcode 0 and message "", "failed" with a non-zero retcode',
  },
  echoNull: {
    id: "RESP-03",
    level: "SHALL NOT",
    title: 'no response carries "echo": null or another non-string echo (§9.3 item 25)',
  },
  eventBase: {
    id: "EV-01",
    level: "MUST",
    title: "every event has id, time (seconds), type, detail_type, sub_type (self unless meta)",
  },
  eventFields: {
    id: "EVT-00",
    level: "MUST",
    title: "standard events carry every standard field (message: a segment list)",
  },
  heartbeat: {
    id: "META-H1",
    level: "SHALL",
    title: "heartbeat interval is an integer > 0 (ms); no self required",
  },
} as const satisfies Record<string, Rule>;

/** Runs `find` on each seen value; fails with the first problems, else passes. */
function over(
  seen: readonly Seen[],
  what: string,
  find: (value: Json) => string[],
): Outcome {
  if (seen.length === 0) return skip(`no ${what} seen`);
  const bad: string[] = [];
  let count = 0;
  for (const { where, value } of seen) {
    const problems = isObject(value) ? find(value) : [`not an object: ${show(value)}`];
    if (problems.length > 0) {
      count++;
      if (bad.length < 3) bad.push(`${where}: ${problems.join("; ")}`);
    }
  }
  if (count === 0) return pass(`${seen.length} ${what}`);
  return fail(`${count} of ${seen.length} ${what}: ${bad.join(" | ")}`);
}

/** Runs the checks over everything the run collected. */
export async function checkCollected(ctx: Context): Promise<void> {
  const { responses, events } = ctx;
  await check(ctx, RULES.envelope, () => over(responses, "responses", responseProblems));
  await check(
    ctx,
    RULES.consistent,
    () =>
      over(
        responses,
        "responses",
        (value) => responseProblems(value).length > 0 ? [] : consistencyProblems(value),
      ),
  );
  await check(
    ctx,
    RULES.echoNull,
    () =>
      over(
        responses,
        "responses",
        (value) =>
          "echo" in value && typeof value.echo !== "string" ? [`echo is ${show(value.echo)}`] : [],
      ),
  );
  await check(ctx, RULES.eventBase, () => over(events, "events", eventProblems));
  await check(
    ctx,
    RULES.eventFields,
    () =>
      over(
        events,
        "events",
        (value) => eventProblems(value).length > 0 ? [] : standardFieldProblems(value),
      ),
  );
  await check(ctx, RULES.heartbeat, () => {
    const heartbeats = events.filter((seen) => isMeta(seen.value, "heartbeat"));
    if (heartbeats.length === 0) return skip("no heartbeat seen (heartbeats may be disabled)");
    return over(heartbeats, "heartbeats", heartbeatProblems);
  });
}
