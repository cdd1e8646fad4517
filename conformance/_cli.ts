/**
 * Command-line parsing of the conformance checker. Private.
 *
 * @module
 */

/** What the command line asked for. */
export interface CliOptions {
  url: string;
  token?: string;
  json: boolean;
  timeout?: number;
  websocketUrl?: string;
  http: boolean;
  websocket: boolean;
  webhookPort?: number;
  reversePort?: number;
  waitPush?: number;
  waitHeartbeat?: number;
  callListedActions: boolean;
}

/** The usage text. */
export const USAGE = `Usage: deno run -A jsr:@libob/libob/conformance/cli <url> [options]

Checks a running OneBot 12 implementation against the OneBot 12 checklist,
as a black-box application. <url> is its HTTP URL (http://host:port/; the
forward WebSocket is then ws://host:port/) or its WebSocket URL (ws://…).

Options:
  --token <t>           the access token configured in the implementation
  --json                print the report as JSON instead of a table
  --timeout <ms>        longest wait of each check (default 5000)
  --ws <url>            the forward WebSocket URL, when not derived from <url>
  --no-http             do not check HTTP
  --no-ws               do not check the forward WebSocket
  --webhook-port <n>    receive the HTTP Webhook on http://127.0.0.1:<n>/
  --reverse-port <n>    accept the reverse WebSocket on ws://127.0.0.1:<n>/
  --wait-push <s>       how long to wait for the push methods (default 30)
  --wait-heartbeat <s>  how long to wait for a heartbeat on the forward WebSocket (default 0)
  --no-call-actions     do not call every listed action with {} (META-01)
  -h, --help            show this help

Exit status: 0 when no MUST/SHALL check failed, 1 when one did, 2 on a usage error.`;

const VALUE_FLAGS = new Set([
  "--token",
  "--timeout",
  "--ws",
  "--webhook-port",
  "--reverse-port",
  "--wait-push",
  "--wait-heartbeat",
]);

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new TypeError(`${flag} needs a number: current value is ${text}`);
  }
  return value;
}

/**
 * Parses the command line.
 *
 * @returns The options, `"help"`, or throws `TypeError` with the problem.
 */
export function parseArgs(args: readonly string[]): CliOptions | "help" {
  const positional: string[] = [];
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-h" || arg === "--help") return "help";
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const equals = arg.indexOf("=");
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    if (VALUE_FLAGS.has(flag)) {
      const value = equals === -1 ? args[++i] : arg.slice(equals + 1);
      if (value === undefined) throw new TypeError(`${flag} needs a value`);
      values.set(flag, value);
    } else if (["--json", "--no-http", "--no-ws", "--no-call-actions"].includes(arg)) {
      switches.add(arg);
    } else {
      throw new TypeError(`unknown option ${arg}`);
    }
  }
  if (positional.length !== 1) {
    throw new TypeError(positional.length === 0 ? "missing <url>" : "only one <url> is allowed");
  }
  const options: CliOptions = {
    url: positional[0]!,
    json: switches.has("--json"),
    http: !switches.has("--no-http"),
    websocket: !switches.has("--no-ws"),
    callListedActions: !switches.has("--no-call-actions"),
  };
  const token = values.get("--token");
  if (token !== undefined) options.token = token;
  const ws = values.get("--ws");
  if (ws !== undefined) options.websocketUrl = ws;
  const numeric = [
    ["--timeout", "timeout"],
    ["--webhook-port", "webhookPort"],
    ["--reverse-port", "reversePort"],
    ["--wait-push", "waitPush"],
    ["--wait-heartbeat", "waitHeartbeat"],
  ] as const;
  for (const [flag, key] of numeric) {
    const text = values.get(flag);
    if (text !== undefined) options[key] = number(flag, text);
  }
  return options;
}
