// Tests for the URL policy of upload_file type url (file/url_policy.ts, file/fetch_url.ts;
// issue #12 item 4): a peer must not make the implementation fetch from its own network. Real
// loopback servers and the real fetch; the refused requests must never reach the server.
import { expect } from "expect";
import { RETCODE } from "../../action/retcode.ts";
import type { ActionResponse } from "../../action/types.ts";
import { createFileActions, type FileActionsOptions } from "../../file/actions.ts";
import { createMemoryFileStore } from "../../file/memory_store.ts";
import { FILE_RETCODE } from "../../file/retcode.ts";
import { createOneBot, type OneBot } from "../../onebot.ts";
import { serve } from "../_loopback.ts";

const SECRET = "s3cret served on loopback";

function createBot(options: Partial<FileActionsOptions> = {}): OneBot {
  return createOneBot({
    impl: "file-test",
    version: "1.0.0",
    bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
    handlers: { ...createFileActions({ store: createMemoryFileStore(), ...options }) },
    websocket: false,
  });
}

function upload(onebot: OneBot, url: string, headers?: Record<string, string>) {
  const params = { type: "url", name: "x", url, ...(headers ? { headers } : {}) };
  return onebot.router({ action: "upload_file", params }, { connection: "local" });
}

/** The content of a stored file, through get_file. */
async function stored(onebot: OneBot, response: ActionResponse): Promise<string> {
  expect(response).toMatchObject({ status: "ok", retcode: 0 });
  const { file_id } = response.data as { file_id: string };
  const file = await onebot.router(
    { action: "get_file", params: { file_id, type: "data" } },
    { connection: "local" },
  );
  return new TextDecoder().decode((file.data as { data: Uint8Array }).data);
}

function expectRefused(response: ActionResponse, retcode: number, message: RegExp): void {
  expect({ status: response.status, retcode: response.retcode }).toEqual({
    status: "failed",
    retcode,
  });
  expect(response.message).toMatch(message);
}

/**
 * A loopback server: `/secret` answers SECRET, `/to?<url>` redirects there, `/chain/<k>`
 * redirects k times before answering. It records every request it receives.
 */
function secretServer() {
  const seen: { path: string; headers: Headers }[] = [];
  const server = serve((request) => {
    const url = new URL(request.url);
    seen.push({ path: url.pathname, headers: request.headers });
    if (url.pathname === "/secret") return new Response(SECRET);
    if (url.pathname === "/to") {
      return new Response(null, { status: 302, headers: { Location: url.search.slice(1) } });
    }
    const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (chain !== null) {
      const left = Number(chain[1]);
      if (left === 0) return new Response("end of chain");
      return new Response(null, { status: 307, headers: { Location: `/chain/${left - 1}` } });
    }
    return new Response("missing", { status: 404 });
  });
  return { ...server, seen, [Symbol.asyncDispose]: server[Symbol.asyncDispose] };
}

Deno.test("createFileActions() upload_file type url refuses loopback, private and odd hosts by default with 10004", async () => {
  await using files = secretServer();
  await using onebot = createBot();
  const port = files.port;
  const refused = [
    `http://127.0.0.1:${port}/secret`,
    `http://localhost:${port}/secret`,
    `http://2130706433:${port}/secret`,
    `http://[::ffff:127.0.0.1]:${port}/secret`,
    `http://[::1]:${port}/secret`,
    `http://0.0.0.0:${port}/secret`,
    `http://[::]:${port}/secret`,
    `http://10.0.0.1:${port}/secret`,
    `http://169.254.169.254/latest/meta-data/`,
    `http://[fd00::1]:${port}/secret`,
    `http://[fe80::1]:${port}/secret`,
    `http://100.64.0.1:${port}/secret`,
  ];
  for (const url of refused) {
    const response = await upload(onebot, url);
    expectRefused(
      response,
      RETCODE.UNSUPPORTED_PARAM,
      /^url: refused: .*address; see the urlPolicy option$/,
    );
  }
  // A name is judged by what it resolves to.
  expect((await upload(onebot, `http://localhost:${port}/secret`)).message).toMatch(
    /localhost is at (127\.0\.0\.1|::1), a loopback address/,
  );
  expect(files.seen).toEqual([]);
});

Deno.test("createFileActions() upload_file type url with allowPrivate or allowHosts downloads from loopback", async () => {
  await using files = secretServer();
  await using open = createBot({ urlPolicy: { allowPrivate: true } });
  expect(await stored(open, await upload(open, `${files.url}secret`))).toBe(SECRET);
  await using oneHost = createBot({ urlPolicy: { allowHosts: ["127.0.0.1"] } });
  expect(await stored(oneHost, await upload(oneHost, `${files.url}secret`))).toBe(SECRET);
  expectRefused(
    await upload(oneHost, `http://localhost:${files.port}/secret`),
    RETCODE.UNSUPPORTED_PARAM,
    /^url: refused: localhost/,
  );
  expect(files.seen.map((request) => request.path)).toEqual(["/secret", "/secret"]);
});

Deno.test("createFileActions() upload_file type url checks every redirect hop: an allowed host cannot lead to loopback", async () => {
  await using files = secretServer();
  const port = files.port;
  // The first host is allowed by name; its redirect goes to another loopback address that is not.
  await using onebot = createBot({ urlPolicy: { allowHosts: ["localhost"] } });
  for (
    const target of [
      `http://127.0.0.2:${port}/secret`,
      `http://127.0.0.1:${port}/secret`,
      `http://[::ffff:7f00:1]:${port}/secret`,
    ]
  ) {
    const response = await upload(onebot, `http://localhost:${port}/to?${target}`);
    expectRefused(response, RETCODE.UNSUPPORTED_PARAM, /^url: refused: .*a loopback address/);
  }
  expectRefused(
    await upload(onebot, `http://localhost:${port}/to?file:///etc/passwd`),
    RETCODE.UNSUPPORTED_PARAM,
    /^url: refused: redirected to a file: URL/,
  );
  // Only the redirecting hops were fetched, never the secret.
  expect(files.seen.map((request) => request.path)).toEqual(["/to", "/to", "/to", "/to"]);
  // A redirect to an allowed host is followed.
  const allowed = await upload(onebot, `http://localhost:${port}/to?/secret`);
  expect(await stored(onebot, allowed)).toBe(SECRET);
});

Deno.test("createFileActions() upload_file type url follows at most 5 redirects, then answers 33001", async () => {
  await using files = secretServer();
  await using onebot = createBot({ urlPolicy: { allowPrivate: true } });
  expect(await stored(onebot, await upload(onebot, `${files.url}chain/5`))).toBe("end of chain");
  const seen = files.seen.length;
  expectRefused(
    await upload(onebot, `${files.url}chain/6`),
    FILE_RETCODE.DOWNLOAD_FAILED,
    /more than 5 redirects/,
  );
  // Six requests (the first and five redirects), and the sixth redirect is not followed.
  expect(files.seen.slice(seen).map((request) => request.path)).toEqual(
    ["/chain/6", "/chain/5", "/chain/4", "/chain/3", "/chain/2", "/chain/1"],
  );
});

Deno.test("createFileActions() upload_file type url drops credentials on a redirect to another origin", async () => {
  await using files = secretServer();
  await using onebot = createBot({ urlPolicy: { allowPrivate: true } });
  const headers = { Authorization: "Bearer t0k", Cookie: "a=b", "X-Extra": "kept" };
  const response = await upload(
    onebot,
    `${files.url}to?http://localhost:${files.port}/secret`,
    headers,
  );
  expect(await stored(onebot, response)).toBe(SECRET);
  const [first, second] = files.seen;
  expect(first?.headers.get("authorization")).toBe("Bearer t0k");
  expect(second?.path).toBe("/secret");
  expect(second?.headers.get("authorization")).toBe(null);
  expect(second?.headers.get("cookie")).toBe(null);
  expect(second?.headers.get("x-extra")).toBe("kept");
});

Deno.test("createFileActions() maxFileSize never exceeds the store's capacity; a download that cannot fit is refused", async () => {
  const big = new Uint8Array(8192);
  await using files = serve(() => new Response(big));
  await using onebot = createOneBot({
    impl: "file-test",
    version: "1.0.0",
    bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
    handlers: {
      ...createFileActions({
        store: createMemoryFileStore({ maxTotalSize: 4096 }),
        urlPolicy: { allowPrivate: true },
      }),
    },
    websocket: false,
  });
  expectRefused(
    await upload(onebot, `${files.url}big`),
    RETCODE.UNSUPPORTED_PARAM,
    /^file too large: 8192 bytes, the limit is 4096$/,
  );
  const prepare = await onebot.router({
    action: "upload_file_fragmented",
    params: { stage: "prepare", name: "x", total_size: 4097 },
  }, { connection: "local" });
  expectRefused(prepare, RETCODE.UNSUPPORTED_PARAM, /the limit is 4096$/);
});

Deno.test("createFileActions() validates urlPolicy and store.capacity once", () => {
  const store = createMemoryFileStore();
  expect(() => createFileActions({ store, urlPolicy: { allowHosts: "x" as never } })).toThrow(
    "Cannot create file actions: urlPolicy.allowHosts must be an array of non-empty strings",
  );
  expect(() => createFileActions({ store, urlPolicy: { allowPrivate: 1 as never } })).toThrow(
    TypeError,
  );
  expect(() => createFileActions({ store, urlPolicy: "open" as never })).toThrow(TypeError);
  expect(() => createFileActions({ store: { ...store, capacity: 0 } })).toThrow(
    "Cannot create file actions: store.capacity must be an integer > 0: current value is 0",
  );
});
