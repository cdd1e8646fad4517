// Tests for connection/_outage_log.ts: a dead push target writes at most one line a minute, and
// one line when it works again (issue 14 item 4). The clock is a plain variable: no sleeps.
import { expect } from "expect";
import { logger } from "../../_log.ts";
import { FAILURE_REPORT_INTERVAL } from "../../connection/_failure_log.ts";
import { createOutageLog } from "../../connection/_outage_log.ts";
import { captureLogs } from "../_logs.ts";

function setup() {
  let time = 1000;
  const outage = createOutageLog({
    log: logger("webhook"),
    label: "Webhook {url}",
    url: "http://127.0.0.1:9/hook",
    now: () => time,
  });
  return {
    outage,
    advance(ms: number) {
      time += ms;
    },
  };
}

Deno.test("createOutageLog() logs the first failure at once, then only counts for a minute", () => {
  using logs = captureLogs();
  const { outage, advance } = setup();
  for (let n = 0; n < 100; n++) outage.failed("Webhook {url} answered {status}", { status: 503 });
  expect(outage.failing).toBe(true);
  expect(logs.lines()).toEqual(["warning Webhook http://127.0.0.1:9/hook answered 503"]);
  advance(FAILURE_REPORT_INTERVAL - 1);
  outage.failed("Webhook {url} answered {status}", { status: 503 });
  expect(logs.lines()).toHaveLength(1);
});

Deno.test("createOutageLog() logs the first failure after the minute with the count of those not shown", () => {
  using logs = captureLogs();
  const { outage, advance } = setup();
  for (let n = 0; n < 5; n++) outage.failed("Webhook {url} answered {status}", { status: 503 });
  advance(FAILURE_REPORT_INTERVAL);
  outage.failed("Webhook {url} answered {status}", { status: 500 });
  expect(logs.lines()).toEqual([
    "warning Webhook http://127.0.0.1:9/hook answered 503",
    "warning Webhook http://127.0.0.1:9/hook answered 500 (4 more failure(s) since the last line)",
  ]);
  // The next minute starts again from that line.
  outage.failed("Webhook {url} answered {status}", { status: 500 });
  expect(logs.lines()).toHaveLength(2);
});

Deno.test("createOutageLog() logs one info line when the target works again, and nothing while it works", () => {
  using logs = captureLogs();
  const { outage } = setup();
  expect(outage.succeeded("Webhook {url} delivers again after {failures}")).toBe(false);
  expect(logs.lines()).toEqual([]);
  outage.failed("Webhook {url} down");
  outage.failed("Webhook {url} down");
  expect(outage.succeeded("Webhook {url} delivers again after {failures}")).toBe(true);
  expect(outage.failing).toBe(false);
  expect(outage.succeeded("Webhook {url} delivers again after {failures}")).toBe(false);
  expect(logs.lines()).toEqual([
    "warning Webhook http://127.0.0.1:9/hook down",
    "info Webhook http://127.0.0.1:9/hook delivers again after 2",
  ]);
  // A new outage is logged at once, as the first one was.
  outage.failed("Webhook {url} down");
  expect(logs.lines()).toHaveLength(3);
});

Deno.test("createOutageLog() logs the failures not shown yet when disposed", () => {
  using logs = captureLogs();
  const { outage } = setup();
  outage.failed("Webhook {url} down");
  outage.failed("Webhook {url} down");
  outage.failed("Webhook {url} down");
  outage[Symbol.dispose]();
  outage[Symbol.dispose]();
  expect(logs.lines()).toEqual([
    "warning Webhook http://127.0.0.1:9/hook down",
    "warning Webhook http://127.0.0.1:9/hook: 2 more failure(s) since the last line",
  ]);
});
