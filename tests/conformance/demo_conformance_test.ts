/**
 * The shipped conformance checker against the real `deno task start` command, with
 * its webhook receiver and reverse WebSocket server: every MUST/SHALL check must pass.
 */

import { expect } from "expect";
import { formatReport, runConformance } from "../../conformance/mod.ts";
import { DEMO_ENV } from "../../demo/config.ts";
import { freePort } from "../_loopback.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("deno task start passes every MUST/SHALL conformance check over all four connections", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const [, ...args] = (config.tasks.start as string).trim().split(/\s+/);
  const port = freePort();
  const neutral = Object.fromEntries(Object.keys(DEMO_ENV).map((name) => [name, ""]));
  let child: Deno.ChildProcess | undefined;
  let output: Promise<Deno.CommandOutput> | undefined;
  try {
    const report = await runConformance({
      url: `http://127.0.0.1:${port}/`,
      token: "conformance-token",
      webhookPort: 0,
      reversePort: 0,
      waitPush: 30,
      waitHeartbeat: 2,
      onListen({ webhookUrl, reverseUrl }) {
        // The implementation starts after the receivers listen, so the start-up
        // status_update of the webhook (META-S2) is seen too.
        child = new Deno.Command(Deno.execPath(), {
          args,
          cwd: ROOT,
          env: {
            ...neutral,
            NO_COLOR: "1",
            DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
            ONEBOT_ACCESS_TOKEN: "conformance-token",
            ONEBOT_HEARTBEAT_INTERVAL: "500",
            ONEBOT_WEBHOOK_URL: webhookUrl ?? "",
            ONEBOT_WS_REVERSE_URL: reverseUrl ?? "",
            ONEBOT_RECONNECT_INTERVAL: "200",
          },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        output = child.output();
      },
    });
    const failedRequired = report.checks.filter((check) =>
      check.status === "fail" && ["MUST", "MUST NOT", "SHALL", "SHALL NOT"].includes(check.level)
    );
    // On failure the message carries the whole table.
    expect({ failedRequired, table: failedRequired.length ? formatReport(report) : "" })
      .toEqual({ failedRequired: [], table: "" });
    expect(report.ok).toBe(true);
    expect(report.version?.impl).toBe("libob-demo");
    // All four connections were exercised, not skipped.
    for (const id of ["HTTP-03", "WS-10", "WH-05", "WSR-06"]) {
      expect(report.checks.filter((c) => c.id === id && c.status === "pass").length)
        .toBeGreaterThan(0);
    }
  } finally {
    child?.kill("SIGTERM");
    await output;
  }
});
