/**
 * The `deno serve` entry of the demo (`deno task start`). The address comes
 * from `deno serve` (`--host`/`--port`, or `DENO_SERVE_ADDRESS`); the
 * connections from `ONEBOT_CONFIG` (a OneBot TOML/JSON file) and the `ONEBOT_*`
 * environment variables (see `config.ts`).
 * A bad variable stops start-up with one line naming it and exit code 1.
 * libob's log lines go to stderr at `ONEBOT_LOG_LEVEL` (default `info`):
 * connections opened and closed, push targets failing and recovering.
 * SIGINT and SIGTERM dispose the OneBot (closing its sockets and draining
 * webhooks), then exit with 0. When the runtime stops accepting connections
 * (`Too many open files`), the demo logs it and listens again (`relisten.ts`).
 *
 * @module
 */

import { loadDemoConfig } from "./config.ts";
import { configureDemoLogging } from "./log.ts";
import { keepServing } from "./relisten.ts";
import { createDemoServer, type DemoServer } from "./serve.ts";

/** How long disposing may take before the process exits anyway, in ms. */
const SHUTDOWN_TIMEOUT = 5000;

async function start(): Promise<DemoServer> {
  try {
    const config = await loadDemoConfig(Deno.env.toObject());
    // Before the OneBot starts: its first webhook post may fail at once.
    await configureDemoLogging(config.logLevel);
    return createDemoServer(config);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // deno-lint-ignore no-console -- the demo's one start-up error line
    console.error(`libob-demo: ${reason.replaceAll("\n", " ")}`);
    Deno.exit(1);
  }
}

const server = await start();

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => Deno.exit(0), SHUTDOWN_TIMEOUT);
  Promise.resolve(server[Symbol.asyncDispose]()).finally(() => {
    clearTimeout(timer);
    Deno.exit(0);
  });
}
Deno.addSignalListener("SIGINT", stop);
// Windows knows only SIGINT and SIGBREAK.
if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);

let listening: Deno.NetAddr | undefined;
keepServing({
  handler: server.fetch,
  address: () => listening,
  // deno-lint-ignore no-console -- the demo's log line when it listens again
  log: (line) => console.error(`libob-demo: ${line}`),
});

/** Where to point a bot, and a browser; printed once the address is known. */
function onListen(addr: Deno.Addr): void {
  if (addr.transport !== "tcp") return;
  listening = addr;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  const base = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${addr.port}`;
  // get_file type url links to the playground's files on this address.
  server.setBaseUrl(base);
  const lines = [
    `libob-demo: OneBot 12 on ${base}/ (HTTP POST /, WebSocket ws://${base.slice(7)}/)`,
  ];
  if (server.playground !== undefined) {
    lines.push(`libob-demo: playground on ${base}${server.playground}`);
  }
  // deno-lint-ignore no-console -- the demo says where it listens, as deno serve would
  console.log(lines.join("\n"));
}

export default { fetch: server.fetch, onListen } satisfies Deno.ServeDefaultExport;
