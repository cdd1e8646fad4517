/**
 * Serving a OneBot where its configuration says (`deno run`): one
 * `Deno.serve` per listen address, and a graceful stop on SIGINT/SIGTERM.
 *
 * @module
 */

import { checkInteger } from "../_check.ts";
import { logger } from "../_log.ts";
import type { OneBot } from "../onebot.ts";
import type { ListenAddress } from "./config.ts";

/**
 * Where {@linkcode serveOneBot} listens: the `OneBotConfig` of
 * `loadOneBotConfig`, or any object with `listen`.
 *
 * @example
 * ```ts
 * import type { ServeConfig } from "@libob/libob/config";
 *
 * const config: ServeConfig = { listen: [{ hostname: "127.0.0.1", port: 5700 }] };
 * ```
 */
export interface ServeConfig {
  /** The addresses; each serves HTTP and the forward WebSocket. Port 0 picks a free port. */
  listen: readonly ListenAddress[];
  /** The configuration's warnings, logged once (warn). */
  warnings?: readonly string[];
}

/**
 * Options of {@linkcode serveOneBot}.
 *
 * @example
 * ```ts
 * import type { ServeOneBotOptions } from "@libob/libob/config";
 *
 * const options: ServeOneBotOptions = { shutdownTimeout: 10_000 };
 * ```
 */
export interface ServeOneBotOptions {
  /**
   * Stop on SIGINT and SIGTERM (SIGINT only on Windows): shut down as
   * dispose does, then exit the process with code 0, or 1 when that took
   * longer than `shutdownTimeout`. Default `true`; with `false` the process
   * keeps the default signal behaviour and you dispose the server yourself.
   */
  signals?: boolean;
  /**
   * Runs first when the server stops, while connections are still open:
   * e.g. close the platform connection, so that applications see the bot
   * go offline (`meta.status_update`). Errors are logged.
   */
  onShutdown?: () => unknown;
  /** Milliseconds a shutdown caused by a signal may take before the process exits anyway. Default 5000. */
  shutdownTimeout?: number;
}

/**
 * A OneBot being served; dispose it to stop.
 *
 * @example
 * ```ts
 * import type { OneBotServer } from "@libob/libob/config";
 *
 * const ports = (server: OneBotServer) => server.addresses.map((address) => address.port);
 * ```
 */
export interface OneBotServer extends AsyncDisposable {
  /** Where it listens, in the order of `listen`, with the actual ports. */
  readonly addresses: readonly Deno.NetAddr[];
  /** Resolves once stopped (by dispose or a signal); never rejects. */
  readonly finished: Promise<void>;
}

/**
 * Serves `onebot.fetch` on every listen address of a configuration, for
 * `deno run` (`deno serve` takes its address from its own flags, not from
 * the configuration). Stopping (dispose, or SIGINT/SIGTERM): `onShutdown`
 * runs while every connection is open; the OneBot is disposed (its
 * WebSockets closed with 1001, webhooks drained, long polls answered); then
 * the listeners close and the open HTTP requests finish. The server owns the
 * OneBot from here on.
 *
 * @param onebot The implementation to serve.
 * @param config The addresses (`loadOneBotConfig(path)`); none serves
 * nothing (push connections only).
 * @param options Signal handling and shutdown.
 * @returns The server, once it listens on every address.
 * @throws {TypeError} When an option is not of its type.
 * @throws {RangeError} When `shutdownTimeout` is not an integer > 0.
 * @throws {Error} When an address cannot be listened on (e.g. in use): the
 * addresses already opened are closed again first; the OneBot is left as it
 * was.
 *
 * @example Serving from a TOML configuration, stopped by dispose
 * ```ts
 * import { createOneBot } from "@libob/libob";
 * import { parseOneBotConfig, serveOneBot } from "@libob/libob/config";
 * import { expect } from "expect";
 *
 * const config = parseOneBotConfig({ http: [{ host: "127.0.0.1", port: 0 }] });
 * const onebot = createOneBot({
 *   impl: "my-impl",
 *   version: "1.0.0",
 *   handlers: {},
 *   ...config.connections,
 * });
 * await using server = await serveOneBot(onebot, config, { signals: false });
 * const { port } = server.addresses[0]!;
 * const response = await fetch(`http://127.0.0.1:${port}/`, {
 *   method: "POST",
 *   headers: { "Content-Type": "application/json" },
 *   body: JSON.stringify({ action: "get_version", params: {} }),
 * });
 * expect((await response.json()).data.impl).toBe("my-impl");
 * ```
 */
export async function serveOneBot(
  onebot: OneBot,
  config: ServeConfig,
  options: ServeOneBotOptions = {},
): Promise<OneBotServer> {
  const { signals = true, onShutdown, shutdownTimeout = 5000 } = options;
  if (typeof signals !== "boolean") {
    throw new TypeError(
      `Cannot serve OneBot: signals must be a boolean: current value is ${signals}`,
    );
  }
  if (onShutdown !== undefined && typeof onShutdown !== "function") {
    throw new TypeError("Cannot serve OneBot: onShutdown must be a function");
  }
  checkInteger("serve OneBot", "shutdownTimeout", shutdownTimeout, 1);
  if (!Array.isArray(config?.listen)) {
    throw new TypeError("Cannot serve OneBot: config.listen must be a list of addresses");
  }
  const log = logger("onebot");
  for (const warning of config.warnings ?? []) {
    log.warn("OneBot configuration: {warning}", { warning });
  }

  const servers = await listenAll(onebot, config.listen);
  const addresses = servers.map((server) => server.addr);
  for (const { hostname, port } of addresses) {
    log.info("OneBot 12 listening on {hostname}:{port} (HTTP POST /, WebSocket GET /)", {
      hostname,
      port,
    });
  }
  if (addresses.length === 0) log.info("OneBot 12 listens nowhere: no http or websocket entry");

  const { promise: finished, resolve } = Promise.withResolvers<void>();
  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      removeSignals();
      // Deno's shutdown closes the WebSockets at once: first let onShutdown's events out.
      try {
        await onShutdown?.();
      } catch (error) {
        log.error("onShutdown failed: {error}", { error });
      }
      try {
        await onebot[Symbol.asyncDispose]();
      } catch (error) {
        log.error("Disposing the OneBot failed: {error}", { error });
      }
      await Promise.allSettled(servers.map((server) => server.shutdown()));
      resolve();
    })();
    return stopping;
  }

  function onSignal(): void {
    if (stopping !== undefined) return;
    const timer = setTimeout(() => {
      log.error("Shutdown took over {shutdownTimeout} ms: exiting anyway", { shutdownTimeout });
      Deno.exit(1);
    }, shutdownTimeout);
    void stop().then(() => {
      clearTimeout(timer);
      Deno.exit(0);
    });
  }
  const names: Deno.Signal[] = !signals
    ? []
    : Deno.build.os === "windows"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM"];
  for (const name of names) Deno.addSignalListener(name, onSignal);
  function removeSignals(): void {
    for (const name of names) Deno.removeSignalListener(name, onSignal);
  }

  return { addresses, finished, [Symbol.asyncDispose]: stop };
}

/** One server per address; if one fails, the others are shut down before the error is thrown. */
async function listenAll(
  onebot: OneBot,
  listen: readonly ListenAddress[],
): Promise<Deno.HttpServer<Deno.NetAddr>[]> {
  const servers: Deno.HttpServer<Deno.NetAddr>[] = [];
  for (const { hostname, port } of listen) {
    try {
      servers.push(Deno.serve({ hostname, port, onListen() {} }, onebot.fetch));
    } catch (error) {
      await Promise.allSettled(servers.map((server) => server.shutdown()));
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Cannot serve OneBot on ${hostname}:${port}: ${reason}`, { cause: error });
    }
  }
  return servers;
}
