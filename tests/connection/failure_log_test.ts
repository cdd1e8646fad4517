// Tests for connection/_failure_log.ts: user code called in isolation, its failures logged once
// per burst (issue 12 item 1). The clock is a plain variable: no timing, no sleeps.
import { expect } from "expect";
import { logger } from "../../_log.ts";
import { createFailureLog, FAILURE_REPORT_INTERVAL } from "../../connection/_failure_log.ts";
import { captureLogs } from "../_logs.ts";

function setup() {
  let time = 1000;
  const failures = createFailureLog<number>({
    log: logger("onebot"),
    label: "Event sink {name}",
    name: "broken",
    detail: (value) => ({ value }),
    now: () => time,
  });
  return {
    failures,
    advance(ms: number) {
      time += ms;
    },
  };
}

function fail(value: number): never {
  throw new Error(`failure ${value}`);
}

Deno.test("createFailureLog() catches a throw: call() never throws", () => {
  using logs = captureLogs();
  const { failures } = setup();
  expect(() => failures.call(fail, 1)).not.toThrow();
  expect(logs.find("error", "Event sink {name} failed")).toHaveLength(1);
});

Deno.test("createFailureLog() logs the first failure at once, with the name, the error and the detail", () => {
  using logs = captureLogs();
  const { failures } = setup();
  failures.call(fail, 7);
  const [record] = logs.find("error", "failed");
  expect(record!.properties).toMatchObject({ name: "broken", value: 7 });
  expect(String(record!.properties.error)).toContain("failure 7");
});

Deno.test("createFailureLog() counts the failures of the next minute, and the first call after it logs one line with the count", () => {
  using logs = captureLogs();
  const { failures, advance } = setup();
  for (let value = 0; value < 100; value++) failures.call(fail, value);
  expect(logs.records).toHaveLength(1);
  advance(FAILURE_REPORT_INTERVAL);
  failures.call(fail, 100);
  expect(logs.records).toHaveLength(2);
  expect(logs.records[1]!.properties).toMatchObject({ name: "broken", counted: 99, value: 100 });
  // The next minute again: counted, not logged.
  failures.call(fail, 101);
  expect(logs.records).toHaveLength(2);
});

Deno.test("createFailureLog() summarises a burst on the first success after the minute", () => {
  using logs = captureLogs();
  const { failures, advance } = setup();
  for (let value = 0; value < 5; value++) failures.call(fail, value);
  failures.call(() => {}, 5);
  expect(logs.records).toHaveLength(1);
  advance(FAILURE_REPORT_INTERVAL);
  failures.call(() => {}, 6);
  expect(logs.records).toHaveLength(2);
  expect(logs.records[1]!.properties).toMatchObject({ name: "broken", counted: 4 });
  expect(String(logs.records[1]!.properties.error)).toContain("failure 4");
  failures.call(() => {}, 7);
  expect(logs.records).toHaveLength(2);
});

Deno.test("createFailureLog() logs what is still counted when disposed, and nothing when nothing is", () => {
  using logs = captureLogs();
  {
    using quiet = setup().failures;
    quiet.call(() => {}, 0);
  }
  expect(logs.records).toHaveLength(0);
  {
    using failures = setup().failures;
    failures.call(fail, 0);
    failures.call(fail, 1);
    failures.call(fail, 2);
  }
  expect(logs.records).toHaveLength(2);
  expect(logs.records[1]!.properties).toMatchObject({ counted: 2 });
});

Deno.test("createFailureLog() catches a rejected promise: no unhandled rejection", async () => {
  using logs = captureLogs();
  const { failures } = setup();
  const rejected = Promise.withResolvers<void>();
  failures.call(() => rejected.promise, 1);
  rejected.reject(new Error("async failure"));
  // The rejection is handled a few microtasks later.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const [record] = logs.find("error", "failed");
  expect(String(record!.properties.error)).toContain("async failure");
});

Deno.test("createFailureLog() catches a throw from a hostile return value", () => {
  using logs = captureLogs();
  const { failures } = setup();
  const hostile = new Proxy({}, {
    has() {
      throw new Error("hostile");
    },
  });
  expect(() => failures.call(() => hostile, 1)).not.toThrow();
  expect(logs.find("error", "failed")).toHaveLength(1);
});
