// deno-lint-ignore-file no-console
// wrk (Debian's package, https://github.com/wg/wrk) as the HTTP load generator: one thread,
// many keep-alive connections, a Lua script for the POST body. Not needed by CI: the load
// scripts are not part of it. Install: `apt-get install -y wrk` (done here when missing).

/** Whether wrk is on PATH, installing Debian's package when it is not and we are root. */
export async function ensureWrk(): Promise<boolean> {
  const has = async () =>
    (await new Deno.Command("sh", { args: ["-c", "command -v wrk"], stdout: "null" }).output())
      .success;
  if (await has()) return true;
  console.error("wrk not found: trying `apt-get install -y wrk`");
  await new Deno.Command("sh", {
    args: ["-c", "apt-get update -qq && apt-get install -y -qq wrk"],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return await has();
}

function luaBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => `\\${b}`).join("");
}

/** A wrk Lua script that POSTs `body` with `type`; remove it when done. */
export async function wrkScript(body: Uint8Array, type: string): Promise<string> {
  const script = await Deno.makeTempFile({ prefix: "libob-load-", suffix: ".lua" });
  await Deno.writeTextFile(
    script,
    `wrk.method = "POST"\nwrk.body = "${luaBytes(body)}"\n` +
      `wrk.headers["Content-Type"] = "${type}"\n`,
  );
  return script;
}

/** What one wrk run measured. */
export interface WrkResult {
  rps: number;
  /** Responses that were not 2xx/3xx, and socket errors. */
  errors: number;
}

/**
 * Runs `wrk -t1 -c<connections> -d<seconds>s` against `url` with `script`, pinned with
 * `taskset -c <cpus>` when `cpus` is given.
 */
export async function wrk(
  url: string,
  script: string,
  seconds: number,
  connections: number,
  cpus?: string,
): Promise<WrkResult> {
  const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "-s", script, url];
  const { stdout } = await new Deno.Command(cpus === undefined ? "wrk" : "taskset", {
    args: cpus === undefined ? args : ["-c", cpus, "wrk", ...args],
    stdout: "piped",
    stderr: "null",
  }).output();
  const out = new TextDecoder().decode(stdout);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { rps, errors: non2xx + socketErrors };
}
