/**
 * Processes of the interop tests: the real `deno task start` demo and the
 * applications run against it, each stopped when disposed, their output kept
 * for the failure message.
 *
 * @module
 */

import { expect } from "expect";
import { DEMO_ENV } from "../../demo/config.ts";
import { within } from "../_loopback.ts";

/** The repository's root directory. */
export const ROOT: URL = new URL("../../", import.meta.url);
const decoder = new TextDecoder();

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The output once the process exits; SIGKILL (then the output) if it does not in time. */
export async function outputOf(
  child: Deno.ChildProcess,
  output: Promise<Deno.CommandOutput>,
  what: string,
  ms: number,
): Promise<Deno.CommandOutput> {
  try {
    return await within(output, `${what} to exit`, ms);
  } catch (error) {
    child.kill("SIGKILL");
    await output;
    throw error;
  }
}

/** A spawned process, stopped with SIGTERM (SIGKILL after 10 s) when disposed. */
export interface Running extends AsyncDisposable {
  readonly exited: boolean;
  /** What it printed (stdout, then stderr); empty until it is disposed. */
  log(): string;
}

/** Spawns `command` with stdin closed and its output collected. */
export function start(command: string, args: string[], options: Deno.CommandOptions): Running {
  const child = new Deno.Command(command, {
    ...options,
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  let exited = false;
  let printed = "";
  output.then(() => exited = true, () => exited = true);
  return {
    get exited() {
      return exited;
    },
    log: () => printed,
    async [Symbol.asyncDispose]() {
      if (!exited) {
        try {
          child.kill("SIGTERM");
        } catch {
          // It exited in between.
        }
      }
      const { stdout, stderr } = await outputOf(child, output, command, 10_000);
      printed = decoder.decode(stdout) + decoder.decode(stderr);
    },
  };
}

/**
 * `deno task start` on `127.0.0.1:port` with these variables; every other
 * `ONEBOT_*` is emptied.
 */
export async function startDemo(port: number, env: Record<string, string>): Promise<Running> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const [command, ...args] = (config.tasks.start as string).trim().split(/\s+/);
  expect(command).toBe("deno");
  const neutral = Object.fromEntries(Object.keys(DEMO_ENV).map((name) => [name, ""]));
  return start(Deno.execPath(), args, {
    cwd: ROOT,
    env: {
      ...neutral,
      NO_COLOR: "1",
      DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
      ...env,
    },
  });
}

/** Calls an action of the demo over HTTP; its `data`, or a throw for a failed answer. */
export async function callDemo(
  port: number,
  token: string,
  action: string,
  params: Record<string, unknown>,
): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}/`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token === "" ? {} : { Authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ action, params }),
  });
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", retcode: 0 });
  return body.data;
}

/** Resolves once the demo answers HTTP (bounded; stops early if it exited). */
export async function listening(port: number, demo: Running, token: string): Promise<void> {
  for (let attempt = 0; attempt < 300 && !demo.exited; attempt++) {
    try {
      await callDemo(port, token, "get_version", {});
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`The demo did not listen on port ${port}`);
}

/** One line of a {@linkcode Reporter}'s stdout: a JSON object with a `kind`. */
export type Report = { kind: string } & Record<string, unknown>;

/** A process that prints what it sees as JSON lines, read as they come. */
export interface Reporter extends Running {
  /** Every report so far, in order. */
  readonly reports: readonly Report[];
  /** The first report `match` accepts, once it has arrived (within `ms`). */
  find(match: (report: Report) => boolean, what: string, ms?: number): Promise<Report>;
}

/** Spawns `command`, whose stdout is one JSON object a line; stopped like {@linkcode start}. */
export function startReporter(
  command: string,
  args: string[],
  options: Deno.CommandOptions,
): Reporter {
  const child = new Deno.Command(command, {
    ...options,
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reports: Report[] = [];
  const waiters = new Set<() => void>();
  let exited = false;
  let printed = "";
  const stderr = new Response(child.stderr).text();
  const reading = (async () => {
    let rest = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const line of lines.filter((line) => line.trim() !== "")) {
        try {
          reports.push(JSON.parse(line));
        } catch {
          reports.push({ kind: "text", text: line });
        }
      }
      for (const wake of [...waiters]) wake();
    }
  })();
  const output = Promise.all([child.status, reading, stderr]).then(([status]) => status);
  output.then(() => exited = true, () => exited = true).finally(() => {
    for (const wake of [...waiters]) wake();
  });
  return {
    reports,
    get exited() {
      return exited;
    },
    log: () => printed,
    find(match, what, ms = 30_000) {
      const found = Promise.withResolvers<Report>();
      const wake = (): void => {
        const report = reports.find(match);
        if (report !== undefined) found.resolve(report);
        else if (exited) found.reject(new Error(`${command} exited before ${what}`));
        else return;
        waiters.delete(wake);
      };
      waiters.add(wake);
      wake();
      return within(found.promise, what, ms).finally(() => waiters.delete(wake));
    },
    async [Symbol.asyncDispose]() {
      if (!exited) {
        try {
          child.kill("SIGTERM");
        } catch {
          // It exited in between.
        }
      }
      try {
        await within(output, `${command} to exit`, 10_000);
      } catch (error) {
        child.kill("SIGKILL");
        await output;
        throw error;
      }
      printed = reports.map((report) => JSON.stringify(report)).join("\n") + "\n" + await stderr;
    },
  };
}
