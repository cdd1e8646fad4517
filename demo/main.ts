/**
 * The `deno serve` entry of the demo (`deno task start`). The address comes
 * from `deno serve` (`--host`/`--port`, or `DENO_SERVE_ADDRESS`); the
 * connections from `ONEBOT_CONFIG` (a OneBot TOML/JSON file) and the `ONEBOT_*`
 * environment variables (see `config.ts`).
 * A bad variable stops start-up with one line naming it and exit code 1.
 * SIGINT and SIGTERM dispose the OneBot (closing its sockets and draining
 * webhooks), then exit with 0.
 *
 * @module
 */

import type { OneBot } from "../mod.ts";
import { createDemo } from "./app.ts";
import { loadDemoConfig } from "./config.ts";

/** How long disposing may take before the process exits anyway, in ms. */
const SHUTDOWN_TIMEOUT = 5000;

async function start(): Promise<OneBot> {
  try {
    return createDemo(await loadDemoConfig(Deno.env.toObject()));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // deno-lint-ignore no-console -- the demo's one start-up error line
    console.error(`libob-demo: ${reason.replaceAll("\n", " ")}`);
    Deno.exit(1);
  }
}

const onebot = await start();

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => Deno.exit(0), SHUTDOWN_TIMEOUT);
  Promise.resolve(onebot[Symbol.asyncDispose]()).finally(() => {
    clearTimeout(timer);
    Deno.exit(0);
  });
}
Deno.addSignalListener("SIGINT", stop);
// Windows knows only SIGINT and SIGBREAK.
if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);

export default { fetch: onebot.fetch } satisfies Deno.ServeDefaultExport;
