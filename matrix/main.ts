/**
 * `deno task matrix [matrix.toml]`: runs the Matrix bridge from a
 * configuration file (see the README): logs in, follows `/sync`, serves the
 * OneBot connections of the file, and stops gracefully on SIGINT/SIGTERM
 * (the bot goes offline first, then the connections close).
 *
 * @module
 */

import { serveOneBot } from "@libob/libob/config";
import { configure, getConsoleSink } from "@logtape/logtape";
import { createMatrixBridge } from "./bridge.ts";
import { login } from "./client.ts";
import { loadMatrixConfig } from "./config.ts";
import { readState } from "./state_file.ts";

/**
 * Starts the bridge of a configuration file and serves it until a signal.
 *
 * @param path The TOML file.
 * @returns The addresses it listens on, once it does.
 *
 * @example
 * ```ts ignore
 * import { main } from "@libob/matrix/main";
 *
 * await main("matrix.toml");
 * ```
 */
export async function main(path: string): Promise<readonly Deno.NetAddr[]> {
  const config = await loadMatrixConfig(path);
  await readState(config.matrix.statePath); // a damaged state file stops the start, not the sync
  const { client, userId } = await login(config.matrix.homeserver, config.matrix.credentials);
  const bridge = createMatrixBridge({
    client,
    userId,
    statePath: config.matrix.statePath,
    autoJoin: config.matrix.autoJoin,
    syncTimeout: config.matrix.syncTimeout,
    connections: config.onebot.connections,
  });
  const server = await serveOneBot(bridge, config.onebot);
  return server.addresses;
}

if (import.meta.main) {
  await configure({
    sinks: { console: getConsoleSink() },
    loggers: [
      { category: ["libob"], lowestLevel: "info", sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
  const path = Deno.args[0] ?? "matrix.toml";
  try {
    const addresses = await main(path);
    for (const { hostname, port } of addresses) {
      // deno-lint-ignore no-console -- say where to point an application
      console.log(
        `matrix bridge: OneBot 12 on http://${hostname}:${port}/ and ws://${hostname}:${port}/`,
      );
    }
  } catch (error) {
    // deno-lint-ignore no-console -- one line, then exit 1
    console.error(`matrix bridge: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
