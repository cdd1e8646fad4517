// Tests for the memory bounds of upload_file_fragmented (file/upload_fragmented.ts; issue #12
// item 5): a prepare allocates nothing, the unfinished uploads share one byte limit, and idle
// uploads expire. Memory is measured, never time; expiry runs on an injected clock.
import { expect } from "expect";
import { RETCODE } from "../../action/retcode.ts";
import type { ActionResponse } from "../../action/types.ts";
import { createFileActions, type FileActionsOptions } from "../../file/actions.ts";
import { createMemoryFileStore } from "../../file/memory_store.ts";
import { FILE_RETCODE } from "../../file/retcode.ts";
import { sha256Hex } from "../../file/sha256.ts";
import { createOneBot, type OneBot } from "../../onebot.ts";

function createBot(options: Partial<FileActionsOptions> = {}): OneBot {
  return createOneBot({
    impl: "file-test",
    version: "1.0.0",
    bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
    handlers: { ...createFileActions({ store: createMemoryFileStore(), ...options }) },
    websocket: false,
  });
}

function fragmented(onebot: OneBot, params: Record<string, unknown>): Promise<ActionResponse> {
  return onebot.router({ action: "upload_file_fragmented", params }, { connection: "local" });
}

async function prepare(onebot: OneBot, totalSize: number): Promise<string> {
  const response = await fragmented(onebot, { stage: "prepare", name: "f", total_size: totalSize });
  expect(response).toMatchObject({ status: "ok", retcode: 0 });
  return (response.data as { file_id: string }).file_id;
}

function transfer(onebot: OneBot, fileId: string, offset: number, data: Uint8Array) {
  return fragmented(onebot, { stage: "transfer", file_id: fileId, offset, data });
}

function expectFailure(response: ActionResponse, retcode: number, message: RegExp): void {
  expect({ status: response.status, retcode: response.retcode }).toEqual({
    status: "failed",
    retcode,
  });
  expect(response.message).toMatch(message);
}

// Measured in a child process (_prepare_memory.ts): RSS is the whole process's, and tests run in
// parallel. RSS alone can hide an allocation (untouched zero pages of a large ArrayBuffer are not
// resident yet), while V8 counts every ArrayBuffer in `external` at once, so both are measured.
Deno.test("createFileActions() upload_file_fragmented: six concurrent prepares of 100 MiB grow memory by less than 20 MB", async () => {
  const child = new URL("./_prepare_memory.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", child.pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  expect({ success: output.success, stderr: output.success ? "" : stderr }).toEqual({
    success: true,
    stderr: "",
  });
  const grown = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    rss: number;
    external: number;
  };
  expect({ rss: grown.rss < 20_000_000, external: grown.external < 20_000_000, grown }).toEqual({
    rss: true,
    external: true,
    grown,
  });
});

Deno.test("createFileActions() upload_file_fragmented refuses fragments past maxPendingUploadSize with 36002", async () => {
  await using onebot = createBot({ maxPendingUploadSize: 1000 });
  // A total_size that could never fit is refused at once.
  expectFailure(
    await fragmented(onebot, { stage: "prepare", name: "f", total_size: 1001 }),
    RETCODE.UNSUPPORTED_PARAM,
    /^file too large: 1001 bytes, the limit is 1000$/,
  );
  const a = await prepare(onebot, 800);
  const b = await prepare(onebot, 800);
  const content = new Uint8Array(800).fill(7);
  expect((await transfer(onebot, a, 0, content)).status).toBe("ok");
  // 200 bytes are left for every other upload together.
  expect((await transfer(onebot, b, 0, content.subarray(0, 200))).status).toBe("ok");
  expectFailure(
    await transfer(onebot, b, 200, content.subarray(200, 300)),
    FILE_RETCODE.UPLOADS_FULL,
    /^unfinished uploads hold 1000 bytes; 100 more would pass the limit of 1000/,
  );
  // Finishing one frees its bytes: the other goes on and completes.
  const sha256 = await sha256Hex(content);
  const finished = await fragmented(onebot, { stage: "finish", file_id: a, sha256 });
  expect(finished.status).toBe("ok");
  expect((await transfer(onebot, b, 200, content.subarray(200))).status).toBe("ok");
  expect((await fragmented(onebot, { stage: "finish", file_id: b, sha256 })).status).toBe("ok");
});

Deno.test("createFileActions() upload_file_fragmented frees an idle upload's bytes when it expires", async () => {
  let clock = 0;
  await using onebot = createBot({
    maxPendingUploadSize: 100,
    uploadExpiry: 100,
    now: () => clock,
  });
  const idle = await prepare(onebot, 100);
  expect((await transfer(onebot, idle, 0, new Uint8Array(100))).status).toBe("ok");
  clock = 60;
  const active = await prepare(onebot, 50);
  expectFailure(
    await transfer(onebot, active, 0, new Uint8Array(50)),
    FILE_RETCODE.UPLOADS_FULL,
    /limit of 100/,
  );
  clock = 101;
  // The idle upload is swept by this call; the active one (touched at 60) lives on.
  expect((await transfer(onebot, active, 0, new Uint8Array(50))).status).toBe("ok");
  expectFailure(
    await transfer(onebot, idle, 0, new Uint8Array(1)),
    FILE_RETCODE.UPLOAD_NOT_FOUND,
    /expired/,
  );
});

Deno.test("createFileActions() upload_file_fragmented grows a buffer as fragments arrive, in any order", async () => {
  await using onebot = createBot({ maxPendingUploadSize: 300_000 });
  const content = new Uint8Array(300_000);
  for (let i = 0; i < content.length; i++) content[i] = (i * 13) & 0xff;
  const id = await prepare(onebot, content.length);
  // The last fragment first, then the rest from the start in uneven pieces.
  expect((await transfer(onebot, id, 290_000, content.subarray(290_000))).status).toBe("ok");
  for (let offset = 0; offset < 290_000; offset += 70_000) {
    const end = Math.min(offset + 70_000, 290_000);
    expect((await transfer(onebot, id, offset, content.subarray(offset, end))).status).toBe("ok");
  }
  const sha256 = await sha256Hex(content);
  const finished = await fragmented(onebot, { stage: "finish", file_id: id, sha256 });
  expect(finished).toMatchObject({ status: "ok", retcode: 0 });
});

Deno.test("createFileActions() validates maxPendingUploadSize once", () => {
  const store = createMemoryFileStore();
  expect(() => createFileActions({ store, maxPendingUploadSize: 0 })).toThrow(
    "Cannot create file actions: maxPendingUploadSize must be an integer > 0: current value is 0",
  );
});
