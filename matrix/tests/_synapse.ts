/**
 * A real Synapse for the bridge's tests: PyPI `matrix-synapse` from the
 * virtual environment `.ci/run` makes (`LIBOB_SYNAPSE_PYTHON`, by default
 * `${XDG_CACHE_HOME:-$HOME/.cache}/libob/venv-synapse/bin/python`), in a
 * temporary directory: server name `localhost`, SQLite, one client listener
 * on 127.0.0.1 with a free port, no federation, no TLS, no URL previews,
 * rate limits relaxed (the bot's own messages can be limited per test with
 * the admin API), users registered with the shared-secret admin API. Without
 * that Python the tests are skipped, except under `CI=true`, where they fail.
 *
 * @module
 */

import { findsModule, findVenv } from "../../tests/_venv.ts";

const synapseVenv = await findVenv("synapse", "matrix-synapse", findsModule("synapse"));
/** Where the virtual environment's Python is. */
export const SYNAPSE_PYTHON: string = synapseVenv.python;
/** Skip (locally, without the venv) or run (always in CI). */
export const SYNAPSE_IGNORE: boolean = synapseVenv.ignore;
/** Appended to a skipped test's name: why, and how to run it. */
export const SYNAPSE_SKIPPED: string = synapseVenv.skipped;

/** A user registered on the test homeserver. */
export interface MatrixUser {
  userId: string;
  accessToken: string;
  password: string;
}

/** A running Synapse; dispose it to stop it and remove its directory. */
export interface Synapse extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Registers a user with the shared-secret admin API. */
  register(name: string, admin?: boolean): Promise<MatrixUser>;
  /** What Synapse printed (for a failure message). */
  log(): string;
}

const SECRET = "libob-test-shared-secret";
const relaxed = { per_second: 1000, burst_count: 1000 };

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function run(args: string[], cwd: string): Promise<void> {
  const { success, stderr, stdout } = await new Deno.Command(SYNAPSE_PYTHON, {
    args,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!success) {
    const decoder = new TextDecoder();
    throw new Error(
      `${SYNAPSE_PYTHON} ${args.join(" ")} failed:\n${decoder.decode(stdout)}${
        decoder.decode(stderr)
      }`,
    );
  }
}

/**
 * Generates a configuration, starts Synapse and waits until
 * `/_matrix/client/versions` answers (bounded).
 */
export async function startSynapse(): Promise<Synapse> {
  if (!synapseVenv.available) throw new Error(synapseVenv.missing);
  const dir = await Deno.makeTempDir({ prefix: "libob-synapse-" });
  const port = freePort();
  await run([
    "-m",
    "synapse.app.homeserver",
    "--server-name",
    "localhost",
    "--config-path",
    `${dir}/homeserver.yaml`,
    "--data-directory",
    dir,
    "--generate-config",
    "--report-stats=no",
  ], dir);
  // A second file overrides the generated one's top-level keys (JSON is YAML).
  const overrides = {
    listeners: [{
      port,
      bind_addresses: ["127.0.0.1"],
      type: "http",
      tls: false,
      x_forwarded: false,
      resources: [{ names: ["client"], compress: false }],
    }],
    database: { name: "sqlite3", args: { database: `${dir}/homeserver.db` } },
    registration_shared_secret: SECRET,
    report_stats: false,
    url_preview_enabled: false,
    federation_domain_whitelist: [],
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    presence: { enabled: false },
    log_config: undefined,
    rc_message: relaxed,
    rc_registration: relaxed,
    rc_login: { address: relaxed, account: relaxed, failed_attempts: relaxed },
    rc_admin_redaction: relaxed,
    rc_joins: { local: relaxed, remote: relaxed },
    rc_joins_per_room: relaxed,
    rc_invites: { per_room: relaxed, per_user: relaxed, per_issuer: relaxed },
    rc_3pid_validation: relaxed,
    rc_media_create: relaxed,
    rc_presence: { per_user: relaxed },
  };
  await Deno.writeTextFile(`${dir}/overrides.yaml`, JSON.stringify(overrides));
  // The generated logging config writes to a file in the directory; keep it, print it on failure.
  const child = new Deno.Command(SYNAPSE_PYTHON, {
    args: [
      "-m",
      "synapse.app.homeserver",
      "-c",
      `${dir}/homeserver.yaml`,
      "-c",
      `${dir}/overrides.yaml`,
    ],
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  let exited = false;
  let printed = "";
  const finished = output.then((result) => {
    exited = true;
    const decoder = new TextDecoder();
    printed = decoder.decode(result.stdout) + decoder.decode(result.stderr);
  });
  const url = `http://127.0.0.1:${port}`;
  const synapse: Synapse = {
    url,
    register: (name, admin = false) => register(url, name, admin),
    log: () => printed,
    async [Symbol.asyncDispose]() {
      if (!exited) {
        try {
          child.kill("SIGTERM");
        } catch {
          // It exited in between.
        }
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // Gone.
        }
      }, 10_000);
      await finished;
      clearTimeout(timer);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
  for (let attempt = 0; attempt < 1200 && !exited; attempt++) {
    try {
      const response = await fetch(`${url}/_matrix/client/versions`);
      await response.body?.cancel();
      if (response.ok) return synapse;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await synapse[Symbol.asyncDispose]();
  throw new Error(`Synapse did not start on ${url}:\n${printed}`);
}

async function hmacSha1Hex(key: string, message: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message));
  return [...new Uint8Array(mac)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function register(url: string, name: string, admin: boolean): Promise<MatrixUser> {
  const endpoint = `${url}/_synapse/admin/v1/register`;
  const { nonce } = await (await fetch(endpoint)).json();
  const password = `pw-${name}-${crypto.randomUUID()}`;
  const mac = await hmacSha1Hex(
    SECRET,
    [nonce, name, password, admin ? "admin" : "notadmin"].join("\0"),
  );
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ nonce, username: name, password, admin, mac }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`Cannot register ${name}: ${JSON.stringify(body)}`);
  return { userId: body.user_id, accessToken: body.access_token, password };
}
