// Rule tests for file/actions.ts: the four file actions (checklist §4.5, ENC-01, §9.3 items 29
// and 30). Two layers: the handlers called directly (no validators, so their own defensive
// checks answer), and end to end through createOneBot's HTTP handler in both encodings (JSON with
// Base64 strings, MessagePack with bin), standard validators included.
import { expect } from "expect";
import { failed } from "../../action/result.ts";
import { RETCODE } from "../../action/retcode.ts";
import type { ActionContext, ActionResponse, ActionResult } from "../../action/types.ts";
import {
  decode,
  encodeJson,
  encodeMsgpack,
  type Encoding,
  MEDIA_TYPE,
} from "../../connection/codec.ts";
import { createFileActions, type FileActionsOptions } from "../../file/actions.ts";
import { createFsFileStore } from "../../file/fs_store.ts";
import { createMemoryFileStore } from "../../file/memory_store.ts";
import { FILE_RETCODE } from "../../file/retcode.ts";
import { sha256Hex } from "../../file/sha256.ts";
import type { FileStore } from "../../file/store.ts";
import { createOneBot, type OneBot } from "../../onebot.ts";
import { freePort, serve } from "../_loopback.ts";

const ENCODINGS: readonly Encoding[] = ["json", "msgpack"];
const self = { platform: "demo", user_id: "bot" };
const context: ActionContext = { connection: "local", self };
const encoder = new TextEncoder();

/** A file of `size` bytes with a recognisable pattern. */
function pattern(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

function createBot(options: Partial<FileActionsOptions> = {}): OneBot {
  return createOneBot({
    impl: "file-test",
    version: "1.0.0",
    bots: [{ self, online: true }],
    handlers: { ...createFileActions({ store: createMemoryFileStore(), ...options }) },
    websocket: false,
  });
}

/**
 * POSTs one action to the OneBot's HTTP handler in `encoding`. `Uint8Array` params become
 * Base64 strings in JSON and bin in MessagePack (ENC-01), as a real application sends them.
 */
async function call(
  onebot: OneBot,
  encoding: Encoding,
  action: string,
  params: Record<string, unknown>,
): Promise<ActionResponse> {
  const body = encoding === "json"
    ? encodeJson({ action, params })
    : encodeMsgpack({ action, params });
  const response = await onebot.fetch(
    new Request("http://localhost/", {
      method: "POST",
      headers: { "Content-Type": MEDIA_TYPE[encoding] },
      body,
    }),
  );
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe(MEDIA_TYPE[encoding]);
  return decode(new Uint8Array(await response.arrayBuffer()), encoding) as ActionResponse;
}

/** A `bytes` value of a response: a Base64 string in JSON, a bin in MessagePack (ENC-01). */
function bytesOf(value: unknown, encoding: Encoding): Uint8Array {
  if (encoding === "json") {
    expect(typeof value).toBe("string");
    return Uint8Array.fromBase64(value as string);
  }
  expect(value).toBeInstanceOf(Uint8Array);
  return value as Uint8Array;
}

function dataOf<T>(response: ActionResponse): T {
  expect(response).toMatchObject({ status: "ok", retcode: 0, message: "" });
  return response.data as T;
}

function expectFailure(result: ActionResponse | ActionResult<unknown>, retcode: number): void {
  expect({ status: result.status, retcode: result.retcode }).toEqual({ status: "failed", retcode });
  expect(result.message).not.toBe("");
}

/** Downloads a stored file through get_file type data and checks its name and sha256. */
async function expectStored(
  onebot: OneBot,
  encoding: Encoding,
  fileId: string,
  name: string,
  content: Uint8Array,
): Promise<void> {
  const file = dataOf<Record<string, unknown>>(
    await call(onebot, encoding, "get_file", { file_id: fileId, type: "data" }),
  );
  expect(file.name).toBe(name);
  expect(file.sha256).toBe(await sha256Hex(content));
  expect(bytesOf(file.data, encoding)).toEqual(content);
}

// ---- upload_file type data ------------------------------------------------------------------

for (const encoding of ENCODINGS) {
  Deno.test(`createFileActions() upload_file type data round-trips over HTTP in ${encoding} (§4.5, ENC-01)`, async () => {
    await using onebot = createBot();
    const content = pattern(3000);
    const { file_id } = dataOf<{ file_id: string }>(
      await call(onebot, encoding, "upload_file", { type: "data", name: "a.bin", data: content }),
    );
    expect(typeof file_id).toBe("string");
    await expectStored(onebot, encoding, file_id, "a.bin", content);
  });
}

Deno.test("createFileActions() reads Base64 leniently: padded, unpadded and URL-safe (ENC-01)", async () => {
  const content = new Uint8Array([251, 255, 191, 0]);
  const forms = ["+/+/AA==", "+/+/AA", "-_-_AA", "-_-_AA=="];
  // Through the standard validators, and straight into the handler without them.
  await using onebot = createBot();
  const actions = createFileActions({ store: createMemoryFileStore() });
  for (const data of forms) {
    const { file_id } = dataOf<{ file_id: string }>(
      await call(onebot, "json", "upload_file", { type: "data", name: "b", data }),
    );
    await expectStored(onebot, "json", file_id, "b", content);
    const direct = await actions.upload_file({ type: "data", name: "b", data } as never, context);
    expect(direct.status).toBe("ok");
  }
});

Deno.test("createFileActions() upload_file checks a given sha256, in either case (§4.5)", async () => {
  await using onebot = createBot();
  const content = encoder.encode("checked");
  const sha256 = await sha256Hex(content);
  for (const encoding of ENCODINGS) {
    const good = await call(onebot, encoding, "upload_file", {
      type: "data",
      name: "c.txt",
      data: content,
      sha256: sha256.toUpperCase(),
    });
    expect(good.status).toBe("ok");
    const bad = await call(onebot, encoding, "upload_file", {
      type: "data",
      name: "c.txt",
      data: content,
      sha256: "0".repeat(64),
    });
    expectFailure(bad, FILE_RETCODE.SHA256_MISMATCH);
  }
  // Without validators: a malformed sha256 is 10003, an empty one means "not given".
  const actions = createFileActions({ store: createMemoryFileStore() });
  const params = { type: "data", name: "c", data: content } as const;
  expectFailure(
    await actions.upload_file({ ...params, sha256: "xyz" }, context),
    RETCODE.BAD_PARAM,
  );
  expect((await actions.upload_file({ ...params, sha256: "" }, context)).status).toBe("ok");
  expectFailure(
    await actions.upload_file({ ...params, sha256: "1".repeat(64) }, context),
    FILE_RETCODE.SHA256_MISMATCH,
  );
});

Deno.test("createFileActions() upload_file refuses a file over maxFileSize with 10004", async () => {
  await using onebot = createBot({ maxFileSize: 16 });
  for (const encoding of ENCODINGS) {
    expectFailure(
      await call(onebot, encoding, "upload_file", { type: "data", name: "x", data: pattern(17) }),
      RETCODE.UNSUPPORTED_PARAM,
    );
    const ok = await call(onebot, encoding, "upload_file", {
      type: "data",
      name: "x",
      data: pattern(16),
    });
    expect(ok.status).toBe("ok");
  }
});

Deno.test("createFileActions() upload_file answers 10004 for an unknown or extended type (§4.5)", async () => {
  await using onebot = createBot();
  for (const type of ["ftp", "qq.silk"]) {
    expectFailure(
      await call(onebot, "json", "upload_file", { type, name: "x" }),
      RETCODE.UNSUPPORTED_PARAM,
    );
  }
  const actions = createFileActions({ store: createMemoryFileStore() });
  for (const type of ["ftp", "qq.silk"]) {
    expectFailure(
      await actions.upload_file({ type, name: "x" } as never, context),
      RETCODE.UNSUPPORTED_PARAM,
    );
  }
});

Deno.test("createFileActions() handlers answer 10003 for odd params without validators", async () => {
  const actions = createFileActions({ store: createMemoryFileStore() });
  const odd: unknown[] = [
    null,
    "params",
    [],
    {},
    { type: "data" },
    { type: 1, name: "x" },
    { type: "data", name: 5, data: "aGk=" },
    { type: "data", name: "x" },
    { type: "data", name: "x", data: 123 },
    { type: "data", name: "x", data: "a" },
    { type: "data", name: "x", data: "not base64!" },
    { type: "url", name: "x" },
    { type: "url", name: "x", url: "not a url" },
    { type: "url", name: "x", url: "http://127.0.0.1:1/", headers: "x" },
    { type: "url", name: "x", url: "http://127.0.0.1:1/", headers: { a: 1 } },
    { type: "url", name: "x", url: "http://127.0.0.1:1/", headers: { "bad name": "v" } },
  ];
  for (const params of odd) {
    expectFailure(await actions.upload_file(params as never, context), RETCODE.BAD_PARAM);
  }
  const fragmented: unknown[] = [
    null,
    {},
    { stage: "begin" },
    { stage: 1 },
    { stage: "prepare", name: "x" },
    { stage: "prepare", name: "x", total_size: -1 },
    { stage: "prepare", name: "x", total_size: 1.5 },
    { stage: "prepare", name: "x", total_size: "10" },
    { stage: "prepare", total_size: 10 },
    { stage: "transfer", offset: 0, data: "aGk=" },
    { stage: "finish" },
  ];
  for (const params of fragmented) {
    expectFailure(
      await actions.upload_file_fragmented(params as never, context),
      RETCODE.BAD_PARAM,
    );
  }
  for (const params of [null, {}, { file_id: 1, type: "data" }, { file_id: "x" }]) {
    expectFailure(await actions.get_file(params as never, context), RETCODE.BAD_PARAM);
  }
  for (
    const params of [
      null,
      { file_id: "x" },
      { stage: "finish", file_id: "x" },
      { stage: "prepare" },
      { stage: "transfer", file_id: "x", offset: 0 },
      { stage: "transfer", file_id: "x", offset: -1, size: 1 },
    ]
  ) {
    expectFailure(await actions.get_file_fragmented(params as never, context), RETCODE.BAD_PARAM);
  }
});

// ---- upload_file type url -------------------------------------------------------------------

/** The test servers listen on loopback, which the default URL policy refuses. */
const LOOPBACK: Partial<FileActionsOptions> = { urlPolicy: { allowPrivate: true } };

/** A loopback file server that only answers requests carrying `X-Token: t0k`. */
function fileServer(content: Uint8Array<ArrayBuffer>) {
  const seen: Headers[] = [];
  let releaseSlow: () => void = () => {};
  const slow = new Promise<void>((resolve) => releaseSlow = resolve);
  const server = serve(async (request) => {
    seen.push(request.headers);
    const path = new URL(request.url).pathname;
    if (path === "/slow") {
      await slow;
      return new Response(content);
    }
    if (request.headers.get("x-token") !== "t0k") return new Response("no", { status: 403 });
    if (path === "/file") return new Response(content);
    if (path === "/big") {
      return new Response(content, { headers: { "Content-Length": String(content.byteLength) } });
    }
    if (path === "/stream") {
      // No Content-Length: the size is only known while reading.
      let sent = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= 64) return controller.close();
            sent++;
            controller.enqueue(new Uint8Array(1024));
          },
        }),
      );
    }
    return new Response("missing", { status: 404 });
  });
  return {
    url: server.url,
    seen,
    async [Symbol.asyncDispose]() {
      releaseSlow();
      await server[Symbol.asyncDispose]();
    },
  };
}

for (const encoding of ENCODINGS) {
  Deno.test(`createFileActions() upload_file type url downloads with the given headers in ${encoding} (§4.5)`, async () => {
    const content = pattern(5000);
    await using files = fileServer(content);
    await using onebot = createBot(LOOPBACK);
    const response = await call(onebot, encoding, "upload_file", {
      type: "url",
      name: "remote.bin",
      url: `${files.url}file`,
      headers: { "X-Token": "t0k", "X-Extra": "yes" },
      sha256: await sha256Hex(content),
    });
    const { file_id } = dataOf<{ file_id: string }>(response);
    expect(files.seen.at(-1)?.get("x-token")).toBe("t0k");
    expect(files.seen.at(-1)?.get("x-extra")).toBe("yes");
    await expectStored(onebot, encoding, file_id, "remote.bin", content);
  });
}

Deno.test("createFileActions() upload_file type url answers 33001 for a non-2xx status or no server", async () => {
  await using files = fileServer(pattern(10));
  await using onebot = createBot(LOOPBACK);
  // Without the header the server answers 403.
  const forbidden = await call(onebot, "json", "upload_file", {
    type: "url",
    name: "x",
    url: `${files.url}file`,
  });
  expectFailure(forbidden, FILE_RETCODE.DOWNLOAD_FAILED);
  expect(forbidden.message).toContain("403");
  const missing = await call(onebot, "json", "upload_file", {
    type: "url",
    name: "x",
    url: `${files.url}nothing`,
    headers: { "X-Token": "t0k" },
  });
  expectFailure(missing, FILE_RETCODE.DOWNLOAD_FAILED);
  const refused = await call(onebot, "json", "upload_file", {
    type: "url",
    name: "x",
    url: `http://127.0.0.1:${freePort()}/`,
  });
  expectFailure(refused, FILE_RETCODE.DOWNLOAD_FAILED);
});

Deno.test("createFileActions() upload_file type url answers 33002 when the download times out", async () => {
  await using files = fileServer(pattern(10));
  await using onebot = createBot({ ...LOOPBACK, downloadTimeout: 50 });
  const response = await call(onebot, "json", "upload_file", {
    type: "url",
    name: "x",
    url: `${files.url}slow`,
  });
  expectFailure(response, FILE_RETCODE.DOWNLOAD_TIMEOUT);
});

Deno.test("createFileActions() upload_file type url caps the size with 10004", async () => {
  await using files = fileServer(pattern(8192));
  await using onebot = createBot({ ...LOOPBACK, maxFileSize: 4096 });
  const headers = { "X-Token": "t0k" };
  for (const path of ["big", "stream"]) {
    const response = await call(onebot, "json", "upload_file", {
      type: "url",
      name: "x",
      url: `${files.url}${path}`,
      headers,
    });
    expectFailure(response, RETCODE.UNSUPPORTED_PARAM);
  }
});

Deno.test("createFileActions() upload_file type url accepts only http and https", async () => {
  const fetched: string[] = [];
  const actions = createFileActions({
    store: createMemoryFileStore(),
    urlPolicy: { allowHosts: ["example.com"] },
    fetch: (input) => {
      fetched.push(String(input));
      return Promise.resolve(new Response("x"));
    },
  });
  for (const url of ["file:///etc/passwd", "data:text/plain,hi", "ftp://example.com/x"]) {
    expectFailure(
      await actions.upload_file({ type: "url", name: "x", url }, context),
      RETCODE.UNSUPPORTED_PARAM,
    );
  }
  expect(fetched).toEqual([]);
  const result = await actions.upload_file(
    { type: "url", name: "x", url: "https://example.com/a?b=1" },
    context,
  );
  expect(result.status).toBe("ok");
  expect(fetched).toEqual(["https://example.com/a?b=1"]);
});

// ---- upload_file type path ------------------------------------------------------------------

Deno.test("createFileActions() upload_file type path answers 10004 unless allowPath is set", async () => {
  const directory = await Deno.makeTempDir({ prefix: "libob_path_" });
  try {
    await Deno.writeTextFile(`${directory}/a.txt`, "local");
    await using onebot = createBot();
    const response = await call(onebot, "json", "upload_file", {
      type: "path",
      name: "a.txt",
      path: `${directory}/a.txt`,
    });
    expectFailure(response, RETCODE.UNSUPPORTED_PARAM);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

for (const encoding of ENCODINGS) {
  Deno.test(`createFileActions() upload_file type path reads a local file with allowPath in ${encoding} (§4.5)`, async () => {
    const directory = await Deno.makeTempDir({ prefix: "libob_path_" });
    try {
      const content = pattern(2048);
      await Deno.writeFile(`${directory}/a.bin`, content);
      await using onebot = createBot({ allowPath: true });
      const { file_id } = dataOf<{ file_id: string }>(
        await call(onebot, encoding, "upload_file", {
          type: "path",
          name: "a.bin",
          path: `${directory}/a.bin`,
        }),
      );
      await expectStored(onebot, encoding, file_id, "a.bin", content);
    } finally {
      await Deno.remove(directory, { recursive: true });
    }
  });
}

Deno.test("createFileActions() upload_file type path answers 32001 for a missing file, a directory or a device, 10004 when too large", async () => {
  const directory = await Deno.makeTempDir({ prefix: "libob_path_" });
  try {
    await Deno.writeFile(`${directory}/big.bin`, pattern(100));
    const actions = createFileActions({
      store: createMemoryFileStore(),
      allowPath: true,
      maxFileSize: 99,
    });
    const devices = Deno.build.os === "windows" ? [] : ["/dev/null", "/dev/zero"];
    for (const path of [`${directory}/missing`, directory, ...devices]) {
      expectFailure(
        await actions.upload_file({ type: "path", name: "x", path }, context),
        FILE_RETCODE.PATH_READ_FAILED,
      );
    }
    expectFailure(
      await actions.upload_file({ type: "path", name: "x", path: `${directory}/big.bin` }, context),
      RETCODE.UNSUPPORTED_PARAM,
    );
    expectFailure(
      await actions.upload_file({ type: "path", name: "x" } as never, context),
      RETCODE.BAD_PARAM,
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("createFileActions() upload_file type path uses an injected readPath", async () => {
  const asked: string[] = [];
  const actions = createFileActions({
    store: createMemoryFileStore(),
    allowPath: true,
    readPath: (path) => {
      asked.push(path);
      return path.startsWith("/allowed/")
        ? Promise.resolve(encoder.encode("ok"))
        : Promise.reject(failed(RETCODE.UNSUPPORTED_PARAM, "path: outside /allowed"));
    },
  });
  expect(
    (await actions.upload_file({ type: "path", name: "a", path: "/allowed/a" }, context)).status,
  ).toBe("ok");
  const refused = await actions.upload_file(
    { type: "path", name: "a", path: "/etc/passwd" },
    context,
  );
  expectFailure(refused, RETCODE.UNSUPPORTED_PARAM);
  expect(refused.message).toBe("path: outside /allowed");
  expect(asked).toEqual(["/allowed/a", "/etc/passwd"]);
});

// ---- upload_file_fragmented -----------------------------------------------------------------

/** Cuts `content` into fragments of `size` bytes: `[offset, bytes]` in order. */
function fragments(content: Uint8Array, size: number): [number, Uint8Array][] {
  const result: [number, Uint8Array][] = [];
  for (let offset = 0; offset < content.byteLength; offset += size) {
    result.push([offset, content.slice(offset, offset + size)]);
  }
  return result;
}

for (const encoding of ENCODINGS) {
  for (const order of ["in order", "out of order with retries"] as const) {
    Deno.test(`createFileActions() upload_file_fragmented ${order} round-trips in ${encoding} (§4.5, §9.3 item 30)`, async () => {
      await using onebot = createBot();
      const content = pattern(10_000);
      const prepared = dataOf<{ file_id: string }>(
        await call(onebot, encoding, "upload_file_fragmented", {
          stage: "prepare",
          name: "big.bin",
          total_size: content.byteLength,
        }),
      );
      let parts = fragments(content, 1024);
      if (order !== "in order") {
        // Reversed, with every third fragment sent twice (a retry).
        parts = parts.reverse().flatMap((part, i) => i % 3 === 0 ? [part, part] : [part]);
      }
      for (const [offset, data] of parts) {
        const transfer = await call(onebot, encoding, "upload_file_fragmented", {
          stage: "transfer",
          file_id: prepared.file_id,
          offset,
          data,
        });
        expect(dataOf(transfer)).toBe(null);
      }
      const finished = dataOf<{ file_id: string }>(
        await call(onebot, encoding, "upload_file_fragmented", {
          stage: "finish",
          file_id: prepared.file_id,
          sha256: await sha256Hex(content),
        }),
      );
      // The finished id is the stored file's; the prepare id was only for the upload.
      expect(finished.file_id).not.toBe(prepared.file_id);
      await expectStored(onebot, encoding, finished.file_id, "big.bin", content);
      expectFailure(
        await call(onebot, encoding, "get_file", { file_id: prepared.file_id, type: "data" }),
        FILE_RETCODE.FILE_NOT_FOUND,
      );
      expectFailure(
        await call(onebot, encoding, "upload_file_fragmented", {
          stage: "finish",
          file_id: prepared.file_id,
          sha256: await sha256Hex(content),
        }),
        FILE_RETCODE.UPLOAD_NOT_FOUND,
      );
    });
  }
}

Deno.test("createFileActions() upload_file_fragmented tolerates the removed transfer size param (§9.3 item 29)", async () => {
  await using onebot = createBot();
  const actions = createFileActions({ store: createMemoryFileStore() });
  const content = encoder.encode("sized");
  const sha256 = await sha256Hex(content);
  // Through the validators and straight into the handler.
  for (
    const run of [
      (params: Record<string, unknown>) => call(onebot, "json", "upload_file_fragmented", params),
      (params: Record<string, unknown>) => actions.upload_file_fragmented(params as never, context),
    ]
  ) {
    const prepared = await run({ stage: "prepare", name: "s", total_size: 5 });
    const file_id = (prepared.data as { file_id: string }).file_id;
    const transfer = await run({ stage: "transfer", file_id, offset: 0, data: content, size: 99 });
    expect(transfer.status).toBe("ok");
    expect((await run({ stage: "finish", file_id, sha256 })).status).toBe("ok");
  }
});

Deno.test("createFileActions() upload_file_fragmented separate stage action names are not standard (§9.3 item 30)", async () => {
  await using onebot = createBot();
  for (const action of ["upload_file_fragmented_prepare", "get_file_fragmented_prepare"]) {
    expectFailure(
      await call(onebot, "json", action, { name: "x", total_size: 1 }),
      RETCODE.UNSUPPORTED_ACTION,
    );
  }
  const supported = dataOf<string[]>(await call(onebot, "json", "get_supported_actions", {}));
  expect(supported).toEqual(expect.arrayContaining([
    "upload_file",
    "upload_file_fragmented",
    "get_file",
    "get_file_fragmented",
  ]));
  expectFailure(
    await call(onebot, "json", "upload_file_fragmented", { stage: "begin" }),
    RETCODE.BAD_PARAM,
  );
});

Deno.test("createFileActions() upload_file_fragmented answers 10003 for a fragment past total_size", async () => {
  await using onebot = createBot();
  for (const encoding of ENCODINGS) {
    const { file_id } = dataOf<{ file_id: string }>(
      await call(onebot, encoding, "upload_file_fragmented", {
        stage: "prepare",
        name: "x",
        total_size: 10,
      }),
    );
    for (const [offset, size] of [[8, 3], [10, 1], [11, 0], [1e9, 1]] as const) {
      expectFailure(
        await call(onebot, encoding, "upload_file_fragmented", {
          stage: "transfer",
          file_id,
          offset,
          data: pattern(size),
        }),
        RETCODE.BAD_PARAM,
      );
    }
    const last = await call(onebot, encoding, "upload_file_fragmented", {
      stage: "transfer",
      file_id,
      offset: 7,
      data: pattern(3),
    });
    expect(last.status).toBe("ok");
  }
});

Deno.test("createFileActions() upload_file_fragmented finish answers 35004 until every byte arrived, then succeeds", async () => {
  const actions = createFileActions({ store: createMemoryFileStore() });
  const content = pattern(100);
  const sha256 = await sha256Hex(content);
  const prepared = await actions.upload_file_fragmented(
    { stage: "prepare", name: "gap", total_size: 100 },
    context,
  );
  const { file_id } = prepared.data as { file_id: string };
  const send = (offset: number, size: number) =>
    actions.upload_file_fragmented({
      stage: "transfer",
      file_id,
      offset,
      data: content.slice(offset, offset + size),
    }, context);
  await send(0, 40);
  await send(60, 40);
  const incomplete = await actions.upload_file_fragmented(
    { stage: "finish", file_id, sha256 },
    context,
  );
  expectFailure(incomplete, FILE_RETCODE.UPLOAD_INCOMPLETE);
  expect(incomplete.message).toContain("80 of 100");
  await send(30, 40); // overlaps both sides
  const finished = await actions.upload_file_fragmented(
    { stage: "finish", file_id, sha256 },
    context,
  );
  expect(finished.status).toBe("ok");
});

Deno.test("createFileActions() upload_file_fragmented finish answers 35003 for a sha256 mismatch and stays open", async () => {
  const store = createMemoryFileStore();
  const actions = createFileActions({ store });
  const content = encoder.encode("exact");
  const prepared = await actions.upload_file_fragmented(
    { stage: "prepare", name: "m", total_size: 5 },
    context,
  );
  const { file_id } = prepared.data as { file_id: string };
  // A corrupted fragment, then the finish catches it.
  await actions.upload_file_fragmented(
    { stage: "transfer", file_id, offset: 0, data: encoder.encode("exakt") },
    context,
  );
  const sha256 = await sha256Hex(content);
  expectFailure(
    await actions.upload_file_fragmented({ stage: "finish", file_id, sha256 }, context),
    FILE_RETCODE.SHA256_MISMATCH,
  );
  // The peer resends the bad fragment and finishes again (sha256 in upper case this time).
  await actions.upload_file_fragmented(
    { stage: "transfer", file_id, offset: 3, data: encoder.encode("c") },
    context,
  );
  const finished = await actions.upload_file_fragmented(
    { stage: "finish", file_id, sha256: sha256.toUpperCase() },
    context,
  );
  const stored = (finished.data as { file_id: string }).file_id;
  expect(await store.read(stored)).toEqual(content);
});

Deno.test("createFileActions() upload_file_fragmented answers 35002 for an unknown upload", async () => {
  await using onebot = createBot();
  expectFailure(
    await call(onebot, "msgpack", "upload_file_fragmented", {
      stage: "transfer",
      file_id: "never-prepared",
      offset: 0,
      data: new Uint8Array(1),
    }),
    FILE_RETCODE.UPLOAD_NOT_FOUND,
  );
  expectFailure(
    await call(onebot, "msgpack", "upload_file_fragmented", {
      stage: "finish",
      file_id: "never-prepared",
      sha256: "0".repeat(64),
    }),
    FILE_RETCODE.UPLOAD_NOT_FOUND,
  );
});

Deno.test("createFileActions() upload_file_fragmented drops an abandoned upload after uploadExpiry", async () => {
  let clock = 1_000;
  const actions = createFileActions({
    store: createMemoryFileStore(),
    uploadExpiry: 100,
    maxFragmentedUploads: 1,
    now: () => clock,
  });
  const prepare = () =>
    actions.upload_file_fragmented({ stage: "prepare", name: "e", total_size: 4 }, context);
  const { file_id } = (await prepare()).data as { file_id: string };
  const transfer = (offset: number) =>
    actions.upload_file_fragmented(
      { stage: "transfer", file_id, offset, data: new Uint8Array(2) },
      context,
    );
  // The slot is taken while the upload lives.
  expectFailure(await prepare(), FILE_RETCODE.TOO_MANY_UPLOADS);
  // Activity keeps it alive: each transfer restarts the expiry.
  clock += 100;
  expect((await transfer(0)).status).toBe("ok");
  clock += 100;
  expect((await transfer(2)).status).toBe("ok");
  clock += 101;
  // Swept lazily by the next call of any file action.
  await actions.get_file({ file_id: "x", type: "data" }, context);
  expectFailure(await transfer(0), FILE_RETCODE.UPLOAD_NOT_FOUND);
  expect((await prepare()).status).toBe("ok");
});

Deno.test("createFileActions() upload_file_fragmented limits uploads in progress with 36001", async () => {
  await using onebot = createBot({ maxFragmentedUploads: 2 });
  const prepare = () =>
    call(onebot, "json", "upload_file_fragmented", { stage: "prepare", name: "x", total_size: 1 });
  expect((await prepare()).status).toBe("ok");
  expect((await prepare()).status).toBe("ok");
  expectFailure(await prepare(), FILE_RETCODE.TOO_MANY_UPLOADS);
});

Deno.test("createFileActions() upload_file_fragmented answers 10004 when total_size exceeds maxFileSize", async () => {
  await using onebot = createBot({ maxFileSize: 1000 });
  for (const encoding of ENCODINGS) {
    expectFailure(
      await call(onebot, encoding, "upload_file_fragmented", {
        stage: "prepare",
        name: "x",
        total_size: 1001,
      }),
      RETCODE.UNSUPPORTED_PARAM,
    );
  }
});

Deno.test("createFileActions() upload_file_fragmented refuses too many disjoint fragments with 36001", async () => {
  const actions = createFileActions({ store: createMemoryFileStore() });
  const prepared = await actions.upload_file_fragmented(
    { stage: "prepare", name: "holes", total_size: 20_000 },
    context,
  );
  const { file_id } = prepared.data as { file_id: string };
  const byte = new Uint8Array(1);
  let last: ActionResult<unknown> | undefined;
  for (let offset = 0; offset < 20_000; offset += 2) {
    last = await actions.upload_file_fragmented(
      { stage: "transfer", file_id, offset, data: byte },
      context,
    );
    if (last.status === "failed") break;
  }
  expectFailure(last!, FILE_RETCODE.TOO_MANY_UPLOADS);
  // Filling a gap still works: it merges ranges rather than adding one.
  const fill = await actions.upload_file_fragmented(
    { stage: "transfer", file_id, offset: 1, data: byte },
    context,
  );
  expect(fill.status).toBe("ok");
});

Deno.test("createFileActions() handles an empty file in every path (§4.5)", async () => {
  await using onebot = createBot();
  const empty = new Uint8Array(0);
  const sha256 = await sha256Hex(empty);
  for (const encoding of ENCODINGS) {
    const direct = dataOf<{ file_id: string }>(
      await call(onebot, encoding, "upload_file", { type: "data", name: "e", data: empty }),
    );
    await expectStored(onebot, encoding, direct.file_id, "e", empty);
    const prepared = dataOf<{ file_id: string }>(
      await call(onebot, encoding, "upload_file_fragmented", {
        stage: "prepare",
        name: "e",
        total_size: 0,
      }),
    );
    const finished = dataOf<{ file_id: string }>(
      await call(onebot, encoding, "upload_file_fragmented", {
        stage: "finish",
        file_id: prepared.file_id,
        sha256,
      }),
    );
    const info = dataOf(
      await call(onebot, encoding, "get_file_fragmented", {
        stage: "prepare",
        file_id: finished.file_id,
      }),
    );
    expect(info).toEqual({ name: "e", total_size: 0, sha256 });
  }
});

// ---- get_file -------------------------------------------------------------------------------

Deno.test("createFileActions() get_file answers 35001 for an unknown file_id", async () => {
  await using onebot = createBot();
  for (const encoding of ENCODINGS) {
    expectFailure(
      await call(onebot, encoding, "get_file", { file_id: "nope", type: "data" }),
      FILE_RETCODE.FILE_NOT_FOUND,
    );
    expectFailure(
      await call(onebot, encoding, "get_file_fragmented", { stage: "prepare", file_id: "nope" }),
      FILE_RETCODE.FILE_NOT_FOUND,
    );
  }
});

Deno.test("createFileActions() get_file type path answers 10004 on the memory store, a path on the fs store (§4.5)", async () => {
  await using memory = createBot();
  const { file_id } = dataOf<{ file_id: string }>(
    await call(memory, "json", "upload_file", { type: "data", name: "m", data: pattern(4) }),
  );
  expectFailure(
    await call(memory, "json", "get_file", { file_id, type: "path" }),
    RETCODE.UNSUPPORTED_PARAM,
  );

  const directory = await Deno.makeTempDir({ prefix: "libob_files_" });
  try {
    await using onebot = createBot({ store: createFsFileStore({ directory }) });
    const content = pattern(300);
    for (const encoding of ENCODINGS) {
      const stored = dataOf<{ file_id: string }>(
        await call(onebot, encoding, "upload_file", {
          type: "data",
          name: "../../etc/passwd",
          data: content,
        }),
      );
      const file = dataOf<{ name: string; path: string; sha256: string }>(
        await call(onebot, encoding, "get_file", { file_id: stored.file_id, type: "path" }),
      );
      expect(file.name).toBe("../../etc/passwd");
      expect(file.sha256).toBe(await sha256Hex(content));
      expect(file.path).toBe(`${await Deno.realPath(directory)}/${stored.file_id}`);
      expect(await Deno.readFile(file.path)).toEqual(content);
      await expectStored(onebot, encoding, stored.file_id, "../../etc/passwd", content);
    }
    // A traversal attempt as a file_id is just an unknown file.
    expectFailure(
      await call(onebot, "json", "get_file", { file_id: "../../etc/passwd", type: "data" }),
      FILE_RETCODE.FILE_NOT_FOUND,
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("createFileActions() get_file type url answers 10004 without urlFor, the URL with it (§4.5)", async () => {
  await using plain = createBot();
  const uploaded = dataOf<{ file_id: string }>(
    await call(plain, "json", "upload_file", { type: "data", name: "u", data: pattern(4) }),
  );
  expectFailure(
    await call(plain, "json", "get_file", { file_id: uploaded.file_id, type: "url" }),
    RETCODE.UNSUPPORTED_PARAM,
  );

  await using linked = createBot({
    urlFor: (file) =>
      file.name === "hidden" ? undefined : {
        url: `https://files.example/${file.id}`,
        headers: { Authorization: "Bearer read" },
      },
  });
  const content = pattern(4);
  for (const encoding of ENCODINGS) {
    const { file_id } = dataOf<{ file_id: string }>(
      await call(linked, encoding, "upload_file", { type: "data", name: "u", data: content }),
    );
    expect(dataOf(await call(linked, encoding, "get_file", { file_id, type: "url" }))).toEqual({
      name: "u",
      url: `https://files.example/${file_id}`,
      headers: { Authorization: "Bearer read" },
      sha256: await sha256Hex(content),
    });
  }
  const hidden = dataOf<{ file_id: string }>(
    await call(linked, "json", "upload_file", { type: "data", name: "hidden", data: content }),
  );
  expectFailure(
    await call(linked, "json", "get_file", { file_id: hidden.file_id, type: "url" }),
    RETCODE.UNSUPPORTED_PARAM,
  );
});

Deno.test("createFileActions() get_file answers 10004 for an unknown or extended type", async () => {
  await using onebot = createBot();
  const { file_id } = dataOf<{ file_id: string }>(
    await call(onebot, "json", "upload_file", { type: "data", name: "t", data: pattern(4) }),
  );
  for (const type of ["ftp", "qq.silk"]) {
    expectFailure(
      await call(onebot, "json", "get_file", { file_id, type }),
      RETCODE.UNSUPPORTED_PARAM,
    );
  }
});

// ---- get_file_fragmented --------------------------------------------------------------------

for (const encoding of ENCODINGS) {
  Deno.test(`createFileActions() get_file_fragmented reads a file in ranges in ${encoding} (§4.5)`, async () => {
    await using onebot = createBot();
    const content = pattern(5000);
    const { file_id } = dataOf<{ file_id: string }>(
      await call(onebot, encoding, "upload_file", { type: "data", name: "r.bin", data: content }),
    );
    const info = dataOf<{ name: string; total_size: number; sha256: string }>(
      await call(onebot, encoding, "get_file_fragmented", { stage: "prepare", file_id }),
    );
    expect(info).toEqual({ name: "r.bin", total_size: 5000, sha256: await sha256Hex(content) });
    const assembled = new Uint8Array(info.total_size);
    for (let offset = 0; offset < info.total_size; offset += 1500) {
      const size = Math.min(1500, info.total_size - offset);
      const { data } = dataOf<{ data: unknown }>(
        await call(onebot, encoding, "get_file_fragmented", {
          stage: "transfer",
          file_id,
          offset,
          size,
        }),
      );
      assembled.set(bytesOf(data, encoding), offset);
    }
    expect(await sha256Hex(assembled)).toBe(info.sha256);
    // An empty range at the very end is inside the file.
    const end = dataOf<{ data: unknown }>(
      await call(onebot, encoding, "get_file_fragmented", {
        stage: "transfer",
        file_id,
        offset: 5000,
        size: 0,
      }),
    );
    expect(bytesOf(end.data, encoding)).toEqual(new Uint8Array(0));
  });
}

Deno.test("createFileActions() get_file_fragmented answers 10003 for a range past the end", async () => {
  const directory = await Deno.makeTempDir({ prefix: "libob_files_" });
  try {
    for (
      const store of [createMemoryFileStore(), createFsFileStore({ directory })] as FileStore[]
    ) {
      await using onebot = createBot({ store });
      const { file_id } = dataOf<{ file_id: string }>(
        await call(onebot, "msgpack", "upload_file", {
          type: "data",
          name: "r",
          data: pattern(10),
        }),
      );
      for (const [offset, size] of [[0, 11], [5, 6], [10, 1], [11, 0], [2 ** 52, 2 ** 52]]) {
        expectFailure(
          await call(onebot, "msgpack", "get_file_fragmented", {
            stage: "transfer",
            file_id,
            offset,
            size,
          }),
          RETCODE.BAD_PARAM,
        );
      }
      const tail = dataOf<{ data: Uint8Array }>(
        await call(onebot, "msgpack", "get_file_fragmented", {
          stage: "transfer",
          file_id,
          offset: 7,
          size: 3,
        }),
      );
      expect(tail.data).toEqual(pattern(10).slice(7));
      expectFailure(
        await call(onebot, "msgpack", "get_file_fragmented", {
          stage: "transfer",
          file_id: "nope",
          offset: 0,
          size: 1,
        }),
        FILE_RETCODE.FILE_NOT_FOUND,
      );
    }
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

// ---- the store's failures and the options ---------------------------------------------------

Deno.test("createFileActions() answers 32002 when the store fails and 32003 when it is full", async () => {
  const broken: FileStore = {
    put: () => Promise.reject(new Error("disk on fire")),
    get: () => Promise.reject(new Error("disk on fire")),
    read: () => Promise.reject(new Error("disk on fire")),
    delete: () => Promise.reject(new Error("disk on fire")),
  };
  const actions = createFileActions({ store: broken });
  const data = encoder.encode("x");
  expectFailure(
    await actions.upload_file({ type: "data", name: "x", data }, context),
    FILE_RETCODE.STORE_FAILED,
  );
  expectFailure(
    await actions.get_file({ file_id: "x", type: "data" }, context),
    FILE_RETCODE.STORE_FAILED,
  );
  expectFailure(
    await actions.get_file_fragmented({ stage: "prepare", file_id: "x" }, context),
    FILE_RETCODE.STORE_FAILED,
  );
  const full = createFileActions({ store: createMemoryFileStore({ maxTotalSize: 1 }) });
  expect((await full.upload_file({ type: "data", name: "x", data }, context)).status).toBe("ok");
  expectFailure(
    await full.upload_file({ type: "data", name: "x", data }, context),
    FILE_RETCODE.STORE_FULL,
  );
});

Deno.test("createFileActions() keeps a finished upload open when the store fails, so finish can be retried", async () => {
  let fail = true;
  const memory = createMemoryFileStore();
  const flaky: FileStore = {
    ...memory,
    put: (file) => fail ? Promise.reject(new Error("try again")) : memory.put(file),
  };
  const actions = createFileActions({ store: flaky });
  const content = encoder.encode("retry");
  const prepared = await actions.upload_file_fragmented(
    { stage: "prepare", name: "r", total_size: 5 },
    context,
  );
  const { file_id } = prepared.data as { file_id: string };
  await actions.upload_file_fragmented(
    { stage: "transfer", file_id, offset: 0, data: content },
    context,
  );
  const sha256 = await sha256Hex(content);
  expectFailure(
    await actions.upload_file_fragmented({ stage: "finish", file_id, sha256 }, context),
    FILE_RETCODE.STORE_FAILED,
  );
  fail = false;
  const finished = await actions.upload_file_fragmented(
    { stage: "finish", file_id, sha256 },
    context,
  );
  expect(finished.status).toBe("ok");
});

Deno.test("createFileActions() validates its options once", () => {
  const store = createMemoryFileStore();
  expect(() => createFileActions({} as FileActionsOptions)).toThrow(
    "Cannot create file actions: store.put must be a function: current type is undefined",
  );
  expect(() => createFileActions({ store: { ...store, read: 1 } as unknown as FileStore }))
    .toThrow(TypeError);
  expect(() => createFileActions({ store, maxFileSize: 0 })).toThrow(
    "Cannot create file actions: maxFileSize must be an integer > 0: current value is 0",
  );
  expect(() => createFileActions({ store, maxFragmentedUploads: 0 })).toThrow(RangeError);
  expect(() => createFileActions({ store, uploadExpiry: -1 })).toThrow(RangeError);
  expect(() => createFileActions({ store, downloadTimeout: 1.5 })).toThrow(RangeError);
  expect(() => createFileActions({ store, allowPath: "yes" as unknown as boolean })).toThrow(
    TypeError,
  );
  expect(() => createFileActions({ store, fetch: 1 as unknown as typeof fetch })).toThrow(
    TypeError,
  );
  expect(() => createFileActions({ store, urlFor: "x" as never })).toThrow(TypeError);
  expect(() => createFileActions({ store, readPath: "x" as never })).toThrow(TypeError);
  expect(() => createFileActions({ store, now: "x" as never })).toThrow(TypeError);
  // downloadTimeout 0 means no limit.
  createFileActions({ store, downloadTimeout: 0 });
});
