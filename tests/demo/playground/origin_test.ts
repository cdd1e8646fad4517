// The playground's socket shows the frame log and acts as a platform user: another site's page
// must not open it (issue 12 item 6). CORS does not cover WebSockets; the Origin header does.
import { expect } from "expect";
import { createDemoServer } from "../../../demo/serve.ts";
import { openClient, rawGet, serve } from "../../_loopback.ts";

const UPGRADE = {
  Upgrade: "websocket",
  Connection: "Upgrade",
  "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
  "Sec-WebSocket-Version": "13",
};

Deno.test("playground: the socket refuses a foreign Origin with 403 and accepts the page's own (issue 12)", async () => {
  await using demo = createDemoServer();
  await using server = serve(demo.fetch);
  for (const origin of ["https://evil.example", "http://localhost:1", "null"]) {
    const refused = await rawGet(server.port, "/playground/socket", { ...UPGRADE, Origin: origin });
    expect(refused.status).toBe(403);
  }
  const own = `http://127.0.0.1:${server.port}`;
  await using page = await openClient(`${server.wsUrl}playground/socket`, {
    headers: { Origin: own },
  });
  expect((await page.nextFrame()).value).toMatchObject({ type: "hello" });
});

Deno.test("playground: the socket accepts a listed Origin, which OneBot's endpoints accept too (issue 12)", async () => {
  await using demo = createDemoServer({ allowedOrigins: ["https://app.example"] });
  await using server = serve(demo.fetch);
  await using page = await openClient(`${server.wsUrl}playground/socket`, {
    headers: { Origin: "https://app.example" },
  });
  expect((await page.nextFrame()).value).toMatchObject({ type: "hello" });
  await using bot = await openClient(server.wsUrl, { headers: { Origin: "https://app.example" } });
  expect(await bot.nextEvent()).toMatchObject({ type: "meta", detail_type: "connect" });
  const foreign = { ...UPGRADE, Origin: "https://evil.example" };
  expect((await rawGet(server.port, "/", foreign)).status).toBe(403);
  expect((await rawGet(server.port, "/playground/socket", foreign)).status).toBe(403);
});
