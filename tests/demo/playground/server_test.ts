import { expect } from "expect";
import type { ActionResponse } from "../../../action/types.ts";
import { createDemo } from "../../../demo/app.ts";
import { createDemoPlatform } from "../../../demo/platform.ts";
import { createPlayground } from "../../../demo/playground/server.ts";
import { createDemoServer } from "../../../demo/serve.ts";
import type { LogFrame, MessageView, StateView } from "../../../demo/playground/view.ts";
import { createMemoryFileStore } from "../../../file/memory_store.ts";
import { openClient, type Peer, SAFETY_TIMEOUT, serve } from "../../_loopback.ts";

interface Hello {
  type: "hello";
  state: StateView;
  messages: MessageView[];
  frames: LogFrame[];
}

const cursors = new WeakMap<Peer, Map<string, number>>();

/**
 * The next page update of this type, whenever it arrived: each type has its
 * own cursor, so waiting for one type never skips another.
 */
async function next<T = Record<string, unknown>>(page: Peer, type: string): Promise<T> {
  const byType = cursors.get(page) ?? new Map<string, number>();
  cursors.set(page, byType);
  for (;;) {
    for (let index = byType.get(type) ?? 0; index < page.frames.length; index++) {
      const value = page.frames[index]!.value as { type?: unknown };
      if (value.type === type) {
        byType.set(type, index + 1);
        return value as T;
      }
    }
    byType.set(type, page.frames.length);
    await page.nextFrame(); // wait for one more frame
  }
}

/** Sends a page command and waits for its result. */
async function command(
  page: Peer,
  id: number,
  body: Record<string, unknown>,
): Promise<{ ok: boolean; data?: unknown; message?: string }> {
  page.send({ id, ...body });
  for (;;) {
    const result = await next<{ id: unknown; ok: boolean }>(page, "result");
    if (result.id === id) return result;
  }
}

/** The next frame update that matches. */
async function frame(page: Peer, accept: (frame: LogFrame) => boolean): Promise<LogFrame> {
  for (;;) {
    const { frame } = await next<{ frame: LogFrame }>(page, "frame");
    if (accept(frame)) return frame;
  }
}

const GROUP = { detail_type: "group", group_id: "20001" };

Deno.test("playground: a page gets the state, then a user's message reaches the bot and the frame log (§5.1)", async () => {
  await using demo = createDemoServer();
  await using server = serve(demo.fetch);
  await using page = await openClient(`${server.wsUrl}playground/socket`);
  const hello = await next<Hello>(page, "hello");
  expect(hello.state.bot).toEqual({
    user_id: "10000",
    user_name: "libob bot",
    user_displayname: "",
    friend: false,
  });
  expect(hello.state.users.map((user) => user.user_id)).toEqual(["10001", "10002", "10003"]);
  expect(hello.state.guilds[0]?.channels.map((channel) => channel.channel_name)).toEqual([
    "general",
    "random",
    "staff",
  ]);
  expect(hello.messages).toEqual([]);
  expect(hello.frames).toEqual([]);

  await using bot = await openClient(server.wsUrl);
  const connect = await frame(page, (f) => f.type === "event");
  expect(connect).toMatchObject({
    seq: 1,
    direction: "out",
    type: "event",
    connection: "websocket",
    encoding: "json",
    data: { type: "meta", detail_type: "connect" },
  });
  expect(connect.peer).toMatch(/^127\.0\.0\.1:\d+$/);

  const sent = await command(page, 1, {
    op: "send",
    user_id: "10001",
    chat: GROUP,
    message: [{ type: "text", data: { text: "hello bot" } }],
  });
  expect(sent).toMatchObject({ ok: true, data: { message_id: "1" } });
  const shown = await next<{ message: MessageView }>(page, "message");
  expect(shown.message).toMatchObject({
    message_id: "1",
    sender_id: "10001",
    chat: GROUP,
    alt_message: "hello bot",
  });
  const event = await bot.nextEvent((e) => e.type === "message");
  expect(event).toMatchObject({ detail_type: "group", user_id: "10001", alt_message: "hello bot" });
  const logged = await frame(page, (f) => (f.data as { type?: string }).type === "message");
  expect(logged).toMatchObject({ direction: "out", connection: "websocket" });
});

Deno.test("playground: the bot's send_message and delete_message show up live, with their frames (§4.1)", async () => {
  await using demo = createDemoServer();
  await using server = serve(demo.fetch);
  await using page = await openClient(`${server.wsUrl}playground/socket`);
  await next(page, "hello");
  const reply = await fetch(server.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      action: "send_message",
      params: { ...GREETING_TARGET, message: "hi from the bot" },
      echo: "e1",
    }),
  });
  const { data } = await reply.json() as ActionResponse<{ message_id: string }>;
  const shown = await next<{ message: MessageView }>(page, "message");
  expect(shown.message).toMatchObject({
    message_id: data.message_id,
    sender_id: "10000",
    alt_message: "hi from the bot",
  });
  const action = await frame(page, (f) => f.type === "action");
  expect(action).toMatchObject({
    direction: "in",
    connection: "http",
    data: { action: "send_message", echo: "e1" },
  });
  expect(await frame(page, (f) => f.type === "response")).toMatchObject({
    direction: "out",
    connection: "http",
    data: { status: "ok", echo: "e1" },
  });
  const deleted = await fetch(server.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "delete_message", params: { message_id: data.message_id } }),
  });
  await deleted.body?.cancel();
  expect(await next(page, "message_deleted")).toEqual({
    type: "message_deleted",
    message_id: data.message_id,
  });
});

const GREETING_TARGET = { detail_type: "private", user_id: "10001" };

Deno.test("playground: users delete their messages, join and leave groups; renames reach the page (§5.2)", async () => {
  await using demo = createDemoServer();
  await using server = serve(demo.fetch);
  await using page = await openClient(`${server.wsUrl}playground/socket`);
  await next(page, "hello");
  const sent = await command(page, 1, {
    op: "send",
    user_id: "10002",
    chat: GROUP,
    message: [{ type: "text", data: { text: "oops" } }],
  });
  const { message_id } = sent.data as { message_id: string };
  expect(await command(page, 2, { op: "delete", user_id: "10001", message_id })).toEqual({
    type: "result",
    id: 2,
    ok: false,
    message: `message_id: ${message_id} was not sent by 10001 (retcode 35008)`,
  });
  expect(await command(page, 3, { op: "delete", user_id: "10002", message_id })).toMatchObject({
    ok: true,
  });
  expect(await next(page, "message_deleted")).toMatchObject({ message_id });

  expect(await command(page, 4, { op: "join", user_id: "10003", group_id: "20001" }))
    .toMatchObject({ ok: true });
  const joined = await next<{ state: StateView }>(page, "state");
  expect(joined.state.groups[0]?.members.map((member) => member.user_id)).toContain("10003");
  expect(await command(page, 5, { op: "leave", user_id: "10003", group_id: "20001" }))
    .toMatchObject({ ok: true });
  const left = await next<{ state: StateView }>(page, "state");
  expect(left.state.groups[0]?.members.map((member) => member.user_id)).not.toContain("10003");

  const renamed = await demo.onebot.router(
    { action: "set_group_name", params: { group_id: "20001", group_name: "renamed" } },
    { connection: "local" },
  );
  expect(renamed.retcode).toBe(0);
  const state = await next<{ state: StateView }>(page, "state");
  expect(state.state.groups[0]?.group_name).toBe("renamed");
});

Deno.test("playground: an uploaded image is stored, served back and sent as a segment (§4.5)", async () => {
  await using demo = createDemoServer();
  await using server = serve(demo.fetch);
  await using page = await openClient(`${server.wsUrl}playground/socket`);
  await next(page, "hello");
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  const uploaded = await command(page, 1, {
    op: "upload",
    name: "cat.png",
    data: btoa(String.fromCharCode(...png)),
  });
  expect(uploaded.ok).toBe(true);
  const { file_id } = uploaded.data as { file_id: string };
  const served = await fetch(`${server.url}playground/files/${encodeURIComponent(file_id)}`);
  expect(served.headers.get("content-type")).toBe("image/png");
  expect(served.headers.get("content-security-policy")).toContain("sandbox");
  expect(await served.bytes()).toEqual(png);
  for (
    const missing of [
      "files/nope",
      "files/%E0%A4%A",
      "files/..%2F..%2Fdeno.json",
      "other",
      "constructor",
      "toString",
    ]
  ) {
    const response = await fetch(`${server.url}playground/${missing}`);
    await response.body?.cancel();
    expect([missing, response.status]).toEqual([missing, 404]);
  }
  const sent = await command(page, 2, {
    op: "send",
    user_id: "10001",
    chat: GREETING_TARGET,
    message: [{ type: "image", data: { file_id } }],
  });
  expect(sent.ok).toBe(true);
  const shown = await next<{ message: MessageView }>(page, "message");
  expect(shown.message.message).toEqual([{ type: "image", data: { file_id } }]);
});

Deno.test("playground: bad commands get a result that says what is wrong, and the socket stays open", async () => {
  await using demo = createDemoServer();
  await using server = serve(demo.fetch);
  await using page = await openClient(`${server.wsUrl}playground/socket`);
  await next(page, "hello");
  page.socket.send("{");
  expect(await next(page, "result")).toEqual({
    type: "result",
    id: null,
    ok: false,
    message: "the command is not JSON",
  });
  page.socket.send("[1]");
  expect(await next(page, "result")).toMatchObject({ message: "the command is not an object" });
  page.socket.send(new Uint8Array([1, 2]));
  expect(await next(page, "result")).toMatchObject({ message: "expected a JSON text command" });
  for (const op of ["fly", "toString", "constructor"]) {
    expect(await command(page, 7, { op })).toMatchObject({
      ok: false,
      message: "op: expected send, upload, delete, join or leave",
    });
  }
  expect(await command(page, 8, { op: "send", user_id: "10001", message: "x" })).toMatchObject({
    ok: false,
    message: "chat: expected an object",
  });
  expect(
    await command(page, 9, { op: "send", user_id: "10000", chat: GROUP, message: "x" }),
  ).toMatchObject({ ok: false, message: expect.stringContaining("(retcode 35007)") });
  expect(await command(page, 10, { op: "send", chat: GROUP, message: "x" })).toMatchObject({
    ok: false,
    message: "user_id: is required (retcode 10003)",
  });
});

Deno.test("playground: the socket and files need the access token, the page does not (HTTP-03)", async () => {
  await using demo = createDemoServer({ accessToken: "s3cret" });
  await using server = serve(demo.fetch);
  const page = await fetch(`${server.url}playground/`);
  expect(page.status).toBe(200);
  expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
  await page.body?.cancel();
  for (const path of ["playground/socket", "playground/files/x"]) {
    const refused = await fetch(`${server.url}${path}`);
    await refused.body?.cancel();
    expect(refused.status).toBe(401);
  }
  await using opened = await openClient(`${server.wsUrl}playground/socket?access_token=s3cret`);
  expect((await next<Hello>(opened, "hello")).state.bot.user_id).toBe("10000");
});

Deno.test("demo server: only a browser's page load of / is redirected; other GETs keep 405 (HTTP-09)", async () => {
  await using demo = createDemoServer();
  await using server = serve(demo.fetch);
  const load = await fetch(server.url, { headers: { Accept: "text/html" }, redirect: "manual" });
  await load.body?.cancel();
  expect([load.status, load.headers.get("location")]).toEqual([303, "/playground/"]);
  const bare = await fetch(`${server.url}playground`, { redirect: "manual" });
  await bare.body?.cancel();
  expect([bare.status, bare.headers.get("location")]).toEqual([301, "/playground/"]);
  for (const accept of ["*/*", "application/json"]) {
    const get = await fetch(server.url, { headers: { Accept: accept } });
    await get.body?.cancel();
    expect([accept, get.status]).toEqual([accept, 405]);
  }
  const post = await fetch(`${server.url}playground/`, { method: "POST", body: "x" });
  await post.body?.cancel();
  expect(post.status).toBe(405);
});

Deno.test("demo server: ONEBOT_PLAYGROUND=0 leaves only the OneBot (HTTP-10)", async () => {
  await using demo = createDemoServer({ playground: false });
  await using server = serve(demo.fetch);
  expect(demo.playground).toBeUndefined();
  const page = await fetch(`${server.url}playground/`, { headers: { Accept: "text/html" } });
  await page.body?.cancel();
  expect(page.status).toBe(404);
  const load = await fetch(server.url, { headers: { Accept: "text/html" } });
  await load.body?.cancel();
  expect(load.status).toBe(405);
});

Deno.test("playground: the page learns how bot apps connect (no query shown) and which are linked, live", async () => {
  // An application with a reverse WebSocket endpoint and a webhook receiver.
  const appSockets: WebSocket[] = [];
  await using app = serve(async (request) => {
    if (request.headers.get("upgrade") === "websocket") {
      const { socket, response } = Deno.upgradeWebSocket(request);
      appSockets.push(socket);
      return response;
    }
    await request.body?.cancel();
    return new Response(null, { status: 204 });
  });
  await using demo = createDemoServer({
    accessToken: "s3cret",
    websocketReverse: [{
      url: `${app.wsUrl}onebot?access_token=s3cret`,
      reconnectInterval: 60_000,
    }],
    httpWebhook: [{ url: `http://user:pw@127.0.0.1:${app.port}/hook?access_token=s3cret` }],
  });
  await using server = serve(demo.fetch);
  await using page = await openClient(`${server.wsUrl}playground/socket?access_token=s3cret`);
  const hello = await next<Hello & { links: unknown[]; connect: unknown }>(page, "hello");
  expect(hello.connect).toEqual({
    token: true,
    webhooks: [`http://127.0.0.1:${app.port}/hook`],
    reverse: [`${app.wsUrl}onebot`],
  });
  // The reverse WebSocket links once its meta.connect is sent, if it was not in hello already.
  const reverse = { connection: "websocket_reverse", peer: `${app.wsUrl}onebot` };
  let links = hello.links;
  while (!JSON.stringify(links).includes("websocket_reverse")) {
    links = (await next<{ links: unknown[] }>(page, "links")).links;
  }
  expect(links).toEqual([expect.objectContaining(reverse)]);

  // A forward WebSocket app comes: two links.
  const bot = await openClient(`${server.wsUrl}?access_token=s3cret`);
  links = (await next<{ links: unknown[] }>(page, "links")).links;
  expect(links).toEqual([
    expect.objectContaining(reverse),
    expect.objectContaining({
      connection: "websocket",
      peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    }),
  ]);
  // It goes; a user's message reaches only the reverse WebSocket (and the webhook): one link.
  await bot[Symbol.asyncDispose]();
  expect(await command(page, 1, { op: "send", user_id: "10001", chat: GROUP, message: "hi" }))
    .toMatchObject({ ok: true });
  links = (await next<{ links: unknown[] }>(page, "links")).links;
  expect(links).toEqual([expect.objectContaining(reverse)]);
  for (const socket of appSockets) socket.close();
});

/** POSTs one action to the OneBot and reads the answer. */
async function post(url: string, action: string, params: Record<string, unknown>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action, params }),
  });
  return await response.json() as ActionResponse;
}

/** Waits until `condition` holds, checking every few ms (a condition, not a timing). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > SAFETY_TIMEOUT) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

Deno.test("playground: frames are recorded only while a page is open; the last page to close empties the log", async () => {
  // Wired as createDemoServer wires it, to see how many pages the server counts.
  const platform = createDemoPlatform();
  const files = createMemoryFileStore();
  await using playground = createPlayground({
    platform,
    files,
    router: (request, context) => onebot.router(request, context),
  });
  await using onebot = createDemo({ platform, files, tap: playground.tap });
  await using server = serve((request, info) =>
    new URL(request.url).pathname.startsWith("/playground/")
      ? playground.fetch(request)
      : onebot.fetch(request, info)
  );
  // Traffic with no page: nothing is kept for the first page to open.
  expect((await post(server.url, "get_version", {})).retcode).toBe(0);
  const first = await openClient(`${server.wsUrl}playground/socket`);
  expect((await next<Hello>(first, "hello")).frames).toEqual([]);
  // With a page open, frames are logged and kept for the next page.
  expect((await post(server.url, "get_self_info", {})).retcode).toBe(0);
  await frame(first, (f) => f.type === "response");
  await using second = await openClient(`${server.wsUrl}playground/socket`);
  const kept = (await next<Hello>(second, "hello")).frames;
  expect(kept.map((f) => [f.type, (f.data as { action?: string }).action])).toEqual([
    ["action", "get_self_info"],
    ["response", undefined],
  ]);
  // The last page closes: the log is emptied, and traffic is not recorded.
  await first[Symbol.asyncDispose]();
  await second[Symbol.asyncDispose]();
  await until(() => playground.pages === 0, "the server to see both pages close");
  expect((await post(server.url, "get_version", {})).retcode).toBe(0);
  await using third = await openClient(`${server.wsUrl}playground/socket`);
  expect((await next<Hello>(third, "hello")).frames).toEqual([]);
});

Deno.test("playground: the frame log keeps at most 200 keys per object", async () => {
  await using demo = createDemoServer();
  await using server = serve(demo.fetch);
  await using page = await openClient(`${server.wsUrl}playground/socket`);
  await next(page, "hello");
  const params: Record<string, unknown> = { detail_type: "group", group_id: "20001" };
  for (let key = 0; key < 20_000; key++) params[`extra${key}`] = key;
  params.message = "hi";
  expect((await post(server.url, "send_message", params)).retcode).toBe(0);
  const logged = await frame(page, (f) => f.type === "action");
  const shown = (logged.data as { params: Record<string, unknown> }).params;
  expect(Object.keys(shown)).toHaveLength(201);
  expect(shown).toMatchObject({ detail_type: "group", group_id: "20001", "…": "19803 more keys" });
  expect(JSON.stringify(logged).length).toBeLessThan(16 * 1024);
});

Deno.test("playground: the greeting sends the newest messages within its bounds, each shortened", async () => {
  await using demo = createDemoServer();
  await using server = serve(demo.fetch);
  const text = "x".repeat(2_000_000);
  for (let sent = 0; sent < 6; sent++) {
    expect((await post(server.url, "send_message", { ...GROUP, message: text })).retcode).toBe(0);
  }
  await using page = await openClient(`${server.wsUrl}playground/socket`);
  const hello = await next<Hello>(page, "hello");
  // Six messages of 2 MB used to be sent whole: 24 MB (text and alt_message) per page.
  expect(hello.messages.map((message) => message.message_id)).toEqual([
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
  ]);
  expect(JSON.stringify(hello).length).toBeLessThan(64 * 1024);
  expect(hello.messages[0]?.alt_message).toMatch(/^x{2048}… \(1997952 more characters\)$/);
});

Deno.test("playground: a message the platform drops to make room is deleted on the page", async () => {
  await using demo = createDemoServer({ maxMessagesPerChat: 2 });
  await using server = serve(demo.fetch);
  await using page = await openClient(`${server.wsUrl}playground/socket`);
  await next(page, "hello");
  for (const message of ["a", "b", "c"]) {
    expect((await post(server.url, "send_message", { ...GROUP, message })).retcode).toBe(0);
  }
  expect(await next(page, "message_deleted")).toEqual({ type: "message_deleted", message_id: "1" });
  await using later = await openClient(`${server.wsUrl}playground/socket`);
  const hello = await next<Hello>(later, "hello");
  expect(hello.messages.map((message) => message.alt_message)).toEqual(["b", "c"]);
});

Deno.test("createPlayground() refuses a history that is not an integer >= 0", () => {
  for (const history of [-1, 1.5]) {
    expect(() =>
      createPlayground({
        platform: createDemoPlatform(),
        files: createMemoryFileStore(),
        router: () => Promise.resolve({ status: "ok", retcode: 0, data: null, message: "" }),
        history,
      })
    ).toThrow(RangeError);
  }
});
