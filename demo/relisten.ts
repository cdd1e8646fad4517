/**
 * Keeps the demo serving when the runtime stops accepting connections.
 *
 * When `accept` fails (most often `EMFILE`, "Too many open files": idle
 * connections used up the file descriptors), Deno 2's `Deno.serve` ends its
 * accept loop for good, closes the listening socket and rejects the server's
 * `finished` promise. Under `deno serve` nobody holds that promise, so the
 * rejection is unhandled and the process exits. The demo cannot reach the
 * accept loop, but it can catch that rejection and listen again on the same
 * address, retrying every second while descriptors are short. Connections
 * that arrive in the gap are refused; the ones already open are kept.
 *
 * @module
 */

/** What {@linkcode keepServing} needs. */
export interface KeepServingOptions {
  /** The handler to serve again. */
  handler: Deno.ServeHandler;
  /** The address `deno serve` listened on (from `onListen`), once known. */
  address: () => Deno.NetAddr | undefined;
  /** Where the demo's log lines go. */
  log: (line: string) => void;
  /** Milliseconds between attempts to listen again. Default 1000. */
  retryDelay?: number;
}

/**
 * Catches the unhandled rejection of a dead accept loop and serves the
 * handler again on the same address.
 *
 * @param options The handler, the address and the log.
 * @returns A handle; disposing it stops watching and shuts down a server it started.
 *
 * @example
 * ```ts
 * import { keepServing } from "./relisten.ts";
 *
 * using _watch = keepServing({
 *   handler: () => new Response("ok"),
 *   address: () => undefined,
 *   log: () => {},
 * });
 * ```
 */
export function keepServing(options: KeepServingOptions): Disposable {
  const { handler, address, log, retryDelay = 1000 } = options;
  let server: Deno.HttpServer | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;

  function retry(): void {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(listen, retryDelay);
  }

  function listen(): void {
    timer = undefined;
    const addr = address();
    if (stopped || addr === undefined) return;
    try {
      server = Deno.serve({ hostname: addr.hostname, port: addr.port, onListen() {} }, handler);
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) {
        log(`cannot listen on ${addr.hostname}:${addr.port} again: the address is in use`);
        return;
      }
      if (failures++ === 0) {
        log(`listening again failed (${describe(error)}); retrying every ${retryDelay} ms`);
      }
      retry();
      return;
    }
    failures = 0;
    log(`listening again on ${addr.hostname}:${addr.port}`);
    server.finished.catch((reason: unknown) => stoppedAccepting(reason));
  }

  function stoppedAccepting(reason: unknown): void {
    log(`stopped accepting connections (${describe(reason)}); listening again in ${retryDelay} ms`);
    server = undefined;
    retry();
  }

  function onRejection(event: PromiseRejectionEvent): void {
    if (!isAcceptFailure(event.reason)) return;
    event.preventDefault();
    stoppedAccepting(event.reason);
  }
  globalThis.addEventListener("unhandledrejection", onRejection);

  return {
    [Symbol.dispose]() {
      stopped = true;
      globalThis.removeEventListener("unhandledrejection", onRejection);
      clearTimeout(timer);
      void server?.shutdown();
    },
  };
}

/** The error a dead accept loop rejects `finished` with: an `Http` error wrapping an OS error. */
function isAcceptFailure(reason: unknown): boolean {
  return reason instanceof Deno.errors.Http && /\(os error \d+\)/.test(reason.message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
