// Fault: user code that fails on every event, with heartbeats on (issue 12 item 1). An attached
// sink that throws or rejects, or a frame tap that throws, never ends the process, and every
// other sink (attached, forward WebSocket, webhook) still gets every event. Run as a real
// subprocess: an error that escapes a timer or a promise would end it with code 1.
import { expect } from "expect";

const ROOT = new URL("../../", import.meta.url);
const PROGRAM = new URL("tests/reliability/_throwing_user_code.ts", ROOT).href;

interface Outcome {
  good: number[];
  websocket: number[];
  webhook: number[];
  expected: number[];
  sinkCalls: number;
  tapCalls: number;
  failureLines: number;
}

async function run(mode: "sink" | "tap"): Promise<Outcome> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", PROGRAM, mode],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  expect({ code: output.code, stderr }).toEqual({ code: 0, stderr: "" });
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

Deno.test("a throwing and a rejecting attached sink, with heartbeats on, leave the process running and the other sinks complete (issue 12)", async () => {
  const outcome = await run("sink");
  expect(outcome.good).toEqual(outcome.expected);
  expect(outcome.websocket).toEqual(outcome.expected);
  expect(outcome.webhook).toEqual(outcome.expected);
  // Each broken sink failed on every event, but logged once per burst, not once per event.
  expect(outcome.sinkCalls).toBeGreaterThan(2 * outcome.expected.length);
  expect(outcome.failureLines).toBeGreaterThanOrEqual(2);
  expect(outcome.failureLines).toBeLessThanOrEqual(6);
});

Deno.test("a throwing frame tap, with heartbeats on, leaves the process running and every sink complete (issue 12)", async () => {
  const outcome = await run("tap");
  expect(outcome.good).toEqual(outcome.expected);
  expect(outcome.websocket).toEqual(outcome.expected);
  expect(outcome.webhook).toEqual(outcome.expected);
  expect(outcome.tapCalls).toBeGreaterThan(outcome.expected.length);
  // One burst per connection kind that taps (forward WebSocket, webhook), plus their summaries.
  expect(outcome.failureLines).toBeGreaterThanOrEqual(1);
  expect(outcome.failureLines).toBeLessThanOrEqual(8);
});
