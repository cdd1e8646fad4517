// Child process of upload_fragmented_test.ts: six concurrent upload_file_fragmented prepares of
// 100 MiB, then 1 KiB into each, in a process of its own so that no other test's allocations
// reach the figures. Writes `{"rss": <bytes>, "external": <bytes>}`, the growth of each, to stdout.
import { createFileActions } from "../../file/actions.ts";
import { createMemoryFileStore } from "../../file/memory_store.ts";
import { createOneBot } from "../../onebot.ts";

const MIB = 1024 * 1024;

await using onebot = createOneBot({
  impl: "file-test",
  version: "1.0.0",
  bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
  handlers: { ...createFileActions({ store: createMemoryFileStore() }) },
  websocket: false,
});

function fragmented(params: Record<string, unknown>) {
  return onebot.router({ action: "upload_file_fragmented", params }, { connection: "local" });
}

const before = Deno.memoryUsage();
const prepared = await Promise.all(
  Array.from(
    { length: 6 },
    () => fragmented({ stage: "prepare", name: "f", total_size: 100 * MIB }),
  ),
);
const first = new Uint8Array(1024).fill(1);
for (const response of prepared) {
  if (response.status !== "ok") throw new Error(`prepare failed: ${response.message}`);
  const { file_id } = response.data as { file_id: string };
  const sent = await fragmented({ stage: "transfer", file_id, offset: 0, data: first });
  if (sent.status !== "ok") throw new Error(`transfer failed: ${sent.message}`);
}
const after = Deno.memoryUsage();
await Deno.stdout.write(
  new TextEncoder().encode(
    JSON.stringify({ rss: after.rss - before.rss, external: after.external - before.external }),
  ),
);
