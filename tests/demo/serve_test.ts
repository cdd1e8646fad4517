// demo/serve.ts: get_file with type url links to the playground's files (issue 14 item 5).
import { expect } from "expect";
import type { ActionResponse } from "../../action/types.ts";
import { createDemoServer, type DemoServer } from "../../demo/serve.ts";
import { openClient, serve } from "../_loopback.ts";

const BYTES = new TextEncoder().encode("hello, file");

async function call(
  url: string,
  action: string,
  params: Record<string, unknown>,
  token = "",
): Promise<ActionResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token === "" ? {} : { Authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ action, params }),
  });
  return await response.json();
}

async function upload(url: string, token = ""): Promise<string> {
  const uploaded = await call(url, "upload_file", {
    type: "data",
    name: "hello.txt",
    data: btoa(String.fromCharCode(...BYTES)),
  }, token);
  expect(uploaded.retcode).toBe(0);
  return (uploaded.data as { file_id: string }).file_id;
}

Deno.test("demo get_file type url answers an absolute link to the playground's files, with the token in headers (§4.5)", async () => {
  await using demo: DemoServer = createDemoServer({ accessToken: "s3cret" });
  await using server = serve(demo.fetch);
  const base = server.url.slice(0, -1); // no trailing slash
  demo.setBaseUrl(base);
  const fileId = await upload(server.url, "s3cret");
  const got = await call(server.url, "get_file", { file_id: fileId, type: "url" }, "s3cret");
  expect(got).toMatchObject({ status: "ok", retcode: 0 });
  const data = got.data as { name: string; url: string; headers?: Record<string, string> };
  expect(data.name).toBe("hello.txt");
  expect(data.url).toBe(`${base}/playground/files/${encodeURIComponent(fileId)}`);
  expect(data.url).not.toContain("s3cret");
  expect(data.headers).toEqual({ Authorization: "Bearer s3cret" });
  // The link works with its headers, and not without.
  const file = await fetch(data.url, { headers: data.headers ?? {} });
  expect(file.status).toBe(200);
  expect(await file.bytes()).toEqual(BYTES);
  const denied = await fetch(data.url);
  await denied.body?.cancel();
  expect(denied.status).toBe(401);
});

Deno.test("demo get_file type url needs no headers without a token, and answers 10004 before the address is known or without the playground", async () => {
  await using demo = createDemoServer();
  await using server = serve(demo.fetch);
  const fileId = await upload(server.url);
  const early = await call(server.url, "get_file", { file_id: fileId, type: "url" });
  expect(early).toMatchObject({ status: "failed", retcode: 10004 });
  demo.setBaseUrl(`${server.url}ignored/path`); // only the origin is kept
  const got = await call(server.url, "get_file", { file_id: fileId, type: "url" });
  const data = got.data as { url: string; headers?: unknown };
  expect(data.url).toBe(`${server.url}playground/files/${encodeURIComponent(fileId)}`);
  expect(data.headers).toBeUndefined();
  const file = await fetch(data.url);
  expect(await file.bytes()).toEqual(BYTES);

  await using bare = createDemoServer({ playground: false });
  await using bareServer = serve(bare.fetch);
  bare.setBaseUrl(bareServer.url);
  const bareId = await upload(bareServer.url);
  const refused = await call(bareServer.url, "get_file", { file_id: bareId, type: "url" });
  expect(refused).toMatchObject({ status: "failed", retcode: 10004 });
});

Deno.test("playground: the frame log records how a webhook post ended, not only that it was made (WH-13)", async () => {
  const dead = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadUrl = `http://127.0.0.1:${(dead.addr as Deno.NetAddr).port}/hook`;
  dead.close();
  await using demo = createDemoServer({ httpWebhook: [{ url: deadUrl, statusOnRecovery: false }] });
  await using server = serve(demo.fetch);
  await using page = await openClient(`${server.url.replace("http", "ws")}playground/socket`);
  // Frames are recorded only while a page is open: once it is, a user's message goes out.
  const seen: Record<string, unknown>[] = [];
  for (;;) {
    const { value } = await page.nextFrame();
    const update = value as { type: string; frames?: unknown[]; frame?: unknown };
    if (update.type === "hello") {
      seen.push(...(update.frames as Record<string, unknown>[]));
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          action: "demo.simulate_message",
          params: { detail_type: "private", user_id: "10001", message: "hi" },
        }),
      });
      expect((await response.json()).retcode).toBe(0);
    }
    if (update.type === "frame") seen.push(update.frame as Record<string, unknown>);
    if (seen.some((frame) => frame.type === "delivery")) break;
  }
  const delivery = seen.find((frame) => frame.type === "delivery")!;
  expect(delivery).toMatchObject({ direction: "in", connection: "http_webhook", peer: deadUrl });
  expect(delivery.data).toEqual({ event_id: expect.any(String), error: expect.any(String) });
});
