/**
 * The conformance checker's command line: argument parsing, and the main
 * block's output and exit status in a real subprocess.
 *
 * @module
 */

import { expect } from "expect";
import { parseArgs } from "../../conformance/_cli.ts";

const ROOT = new URL("../../", import.meta.url);
const ENTRY = new URL("conformance/cli.ts", ROOT).href;

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ENTRY, ...args],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test("parseArgs() reads the URL, switches and `--flag value` / `--flag=value` options", () => {
  expect(parseArgs([
    "http://127.0.0.1:8080/",
    "--token",
    "t",
    "--json",
    "--timeout=1500",
    "--webhook-port",
    "9000",
    "--reverse-port=9001",
    "--wait-push",
    "12",
    "--wait-heartbeat=3",
    "--ws",
    "ws://127.0.0.1:8081/",
    "--no-call-actions",
  ])).toEqual({
    url: "http://127.0.0.1:8080/",
    token: "t",
    json: true,
    timeout: 1500,
    webhookPort: 9000,
    reversePort: 9001,
    waitPush: 12,
    waitHeartbeat: 3,
    websocketUrl: "ws://127.0.0.1:8081/",
    http: true,
    websocket: true,
    callListedActions: false,
  });
  expect(parseArgs(["ws://127.0.0.1:8080/", "--no-http", "--no-ws"])).toMatchObject({
    http: false,
    websocket: false,
  });
  expect(parseArgs(["--help"])).toBe("help");
});

Deno.test("parseArgs() refuses unknown options, missing values and a missing URL", () => {
  expect(() => parseArgs(["http://127.0.0.1/", "--bogus"])).toThrow("unknown option --bogus");
  expect(() => parseArgs(["http://127.0.0.1/", "--token"])).toThrow("--token needs a value");
  expect(() => parseArgs(["http://127.0.0.1/", "--timeout", "soon"])).toThrow(TypeError);
  expect(() => parseArgs([])).toThrow("missing <url>");
});

Deno.test("the conformance CLI prints JSON and exits 1 when a MUST check fails (HTTP-04)", async () => {
  // Answers 403 to everything: HTTP-01 and HTTP-04 fail.
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    await request.body?.cancel();
    return new Response("Forbidden", { status: 403 });
  });
  try {
    const { code, stdout } = await runCli([
      `http://127.0.0.1:${server.addr.port}/`,
      "--token",
      "t",
      "--json",
      "--no-ws",
      "--timeout",
      "2000",
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(
      report.checks.find((check: { id: string }) => check.id === "HTTP-04").status,
    ).toBe("fail");
  } finally {
    await server.shutdown();
  }
});

Deno.test("the conformance CLI exits 2 on a usage error and 0 on --help", async () => {
  const usage = await runCli([]);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain("missing <url>");
  const help = await runCli(["--help"]);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("Usage:");
});
