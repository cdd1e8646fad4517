// Tests for the file wiring of demo/app.ts (issue #12 items 4 and 5): the demo's upload_file
// does not fetch from its own network, and its file limits follow its 64 MiB store.
import { expect } from "expect";
import type { ActionResponse } from "../../action/types.ts";
import { createDemo } from "../../demo/app.ts";
import { serve } from "../_loopback.ts";

async function post(url: string, action: string, params: unknown): Promise<ActionResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action, params }),
  });
  expect(response.status).toBe(200);
  return await response.json();
}

Deno.test("createDemo() upload_file type url refuses a secret served on loopback with 10004", async () => {
  const seen: string[] = [];
  await using secret = serve((request) => {
    seen.push(request.url);
    return new Response("s3cret");
  });
  await using onebot = createDemo();
  await using demo = serve(onebot.fetch);
  for (const url of [`${secret.url}key`, `http://localhost:${secret.port}/key`, demo.url]) {
    const response = await post(demo.url, "upload_file", { type: "url", name: "k", url });
    expect(response).toMatchObject({ status: "failed", retcode: 10004 });
    expect(response.message).toMatch(/^url: refused: .*a loopback address/);
  }
  expect(seen).toEqual([]);
});

Deno.test("createDemo() bounds fragmented uploads by its 64 MiB store", async () => {
  await using onebot = createDemo();
  await using demo = serve(onebot.fetch);
  const prepare = (size: number) =>
    post(demo.url, "upload_file_fragmented", { stage: "prepare", name: "f", total_size: size });
  const tooBig = await prepare(64 * 1024 * 1024 + 1);
  expect(tooBig).toMatchObject({ status: "failed", retcode: 10004 });
  expect(tooBig.message).toBe("file too large: 67108865 bytes, the limit is 67108864");
  expect(await prepare(64 * 1024 * 1024)).toMatchObject({ status: "ok", retcode: 0 });
});
