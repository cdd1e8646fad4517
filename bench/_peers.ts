// deno-lint-ignore-file no-console
// Other OneBot 12 libraries for `deno task load --peers`, each the smallest server written
// against its public API in bench/peers/<name>/ (only those small servers live here). Each is
// built or installed into `${XDG_CACHE_HOME:-$HOME/.cache}/libob/peers/<name>/` when its
// toolchain is on PATH, and skipped with the reason otherwise:
//   go-libonebot  the Go module github.com/botuniverse/go-libonebot v0.7.0 (`go build`)
//   walle-core    the crate walle-core 0.7.4 (`cargo build --release`; the first build
//                 compiles ~150 crates: minutes on 2 cores; needs a recent rustc, e.g. rustup's)
//   pylibob       the PyPI package pylibob 0.1.1 under uvicorn, in a venv (`python3 -m venv`)
import type { ProcSpec } from "./_procs.ts";

const sources = new URL("./peers/", import.meta.url);

/** A peer ready to start, or the reason it was skipped. */
export type Peer = { name: string; spec: ProcSpec } | { name: string; skipped: string };

/** The names {@link preparePeers} knows. */
export const PEER_NAMES = ["go-libonebot", "walle-core", "pylibob"] as const;

function cacheDir(): string {
  const base = Deno.env.get("XDG_CACHE_HOME") || `${Deno.env.get("HOME") ?? "/tmp"}/.cache`;
  return `${base}/libob/peers`;
}

async function onPath(tool: string): Promise<boolean> {
  const found = await new Deno.Command("sh", {
    args: ["-c", `command -v ${tool}`],
    stdout: "null",
    stderr: "null",
  }).output();
  return found.success;
}

/** Copies the peer's sources into its cache directory; returns that directory. */
async function stage(name: string, files: string[]): Promise<string> {
  const dir = `${cacheDir()}/${name}`;
  await Deno.mkdir(dir, { recursive: true });
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(`${name}/${file}`, sources));
    const staged = await Deno.readTextFile(`${dir}/${file}`).catch(() => undefined);
    // Unchanged files keep their mtime, so go and cargo see nothing to rebuild.
    if (staged !== text) await Deno.writeTextFile(`${dir}/${file}`, text);
  }
  return dir;
}

/** Runs a build step, its output going to the terminal; throws when it fails. */
async function run(command: string, args: string[], cwd: string): Promise<void> {
  console.error(`  $ (cd ${cwd} && ${command} ${args.join(" ")})`);
  const { success } = await new Deno.Command(command, {
    args,
    cwd,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!success) throw new Error(`${command} ${args.join(" ")} failed`);
}

async function goLibOneBot(): Promise<ProcSpec> {
  const dir = await stage("go-libonebot", ["main.go", "go.mod", "go.sum"]);
  await run("go", ["build", "-o", "libob-bench-go", "."], dir);
  return {
    label: "go-libonebot",
    command: `${dir}/libob-bench-go`,
    args: (http, ws) => [String(http), String(ws)],
    onePort: false,
  };
}

async function walleCore(): Promise<ProcSpec> {
  const dir = await stage("walle-core", ["Cargo.toml", "Cargo.lock", "main.rs"]);
  await run("cargo", ["build", "--release", "--locked", "-q"], dir);
  return {
    label: "walle-core",
    command: `${dir}/target/release/libob-bench-walle`,
    args: (http, ws) => [String(http), String(ws)],
    onePort: false,
  };
}

async function pylibob(): Promise<ProcSpec> {
  const dir = await stage("pylibob", ["app.py", "requirements.txt"]);
  try {
    await Deno.stat(`${dir}/venv/bin/python`);
  } catch {
    await run("python3", ["-m", "venv", "venv"], dir);
  }
  await run(`${dir}/venv/bin/pip`, ["install", "-q", "-r", "requirements.txt"], dir);
  return {
    label: "pylibob",
    command: `${dir}/venv/bin/python`,
    args: (http) => [`${dir}/app.py`, String(http)],
    onePort: true,
  };
}

const PEERS: Record<(typeof PEER_NAMES)[number], { tool: string; prepare(): Promise<ProcSpec> }> = {
  "go-libonebot": { tool: "go", prepare: goLibOneBot },
  "walle-core": { tool: "cargo", prepare: walleCore },
  "pylibob": { tool: "python3", prepare: pylibob },
};

/** Builds or installs each named peer whose toolchain is present; the others are skipped. */
export async function preparePeers(names: readonly string[]): Promise<Peer[]> {
  const peers: Peer[] = [];
  for (const name of names) {
    const peer = PEERS[name as keyof typeof PEERS];
    if (peer === undefined) {
      peers.push({ name, skipped: `unknown peer (one of ${PEER_NAMES.join(", ")})` });
      continue;
    }
    if (!await onPath(peer.tool)) {
      peers.push({ name, skipped: `${peer.tool} not found on PATH` });
      continue;
    }
    console.error(`preparing ${name} in ${cacheDir()}/${name}`);
    try {
      peers.push({ name, spec: await peer.prepare() });
    } catch (error) {
      peers.push({ name, skipped: `build failed: ${(error as Error).message}` });
    }
  }
  return peers;
}
