import { expect } from "expect";
import { createEvent, createOneBot, type Event, failed, ok, RETCODE } from "../../mod.ts";
import { createFileActions, createMemoryFileStore } from "../../file/mod.ts";
import { connectTestClient, createTestKit } from "../../testing/mod.ts";
import { serve } from "../_loopback.ts";

const self = { platform: "demo", user_id: "bot" };

function kit() {
  return createTestKit({
    impl: "kit-test",
    version: "1.0.0",
    bots: [{ self, online: true }],
    handlers: {
      get_user_info: (params: { user_id: string }) =>
        params.user_id === "1"
          ? ok({ user_id: "1", user_name: "alice", user_displayname: "", user_remark: "" })
          : failed(35001, "no such user"),
    },
  });
}

Deno.test("createTestKit() calls actions through the real HTTP handler, in JSON and MessagePack", async () => {
  await using k = kit();
  expect(await k.call("get_user_info", { user_id: "1" }, { echo: "e" })).toEqual({
    status: "ok",
    retcode: 0,
    data: { user_id: "1", user_name: "alice", user_displayname: "", user_remark: "" },
    message: "",
    echo: "e",
  });
  const missing = await k.call("get_user_info", { user_id: "2" }, { encoding: "msgpack" });
  expect(missing.retcode).toBe(35001);
  expect((await k.call("get_version", {})).data.impl).toBe("kit-test");
});

Deno.test("createTestKit() answers malformed requests like a peer would see them (REQ-01)", async () => {
  await using k = kit();
  expect((await k.callRaw({ action: "get_version" })).retcode).toBe(RETCODE.BAD_REQUEST);
  expect((await k.callRaw({ action: "nope", params: {} })).retcode).toBe(
    RETCODE.UNSUPPORTED_ACTION,
  );
});

Deno.test("createTestKit() records what a push connection receives, connect first (META-C2)", async () => {
  await using k = kit();
  k.onebot.emit(
    createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: "2" }),
  );
  k.onebot.updateBot({ self, online: false });
  expect(k.received.map((e) => e.detail_type)).toEqual([
    "connect",
    "status_update",
    "friend_increase",
    "status_update",
  ]);
  expect(await k.nextEvent()).toMatchObject({ detail_type: "friend_increase", user_id: "2" });
  const polled = await k.latestEvents();
  expect(polled.map((e) => e.detail_type)).toEqual(["friend_increase"]);
  expect(await k.latestEvents()).toEqual([]);
  k.clear();
  expect(k.received).toEqual([]);
});

Deno.test("TestKit.nextEvent() takes the oldest matching event, emitted before or after the wait, and leaves the rest", async () => {
  await using k = kit();
  const bot = k.onebot.bot(self);
  bot.emit.friendIncrease({ user_id: "1" });
  bot.emit.friendDecrease({ user_id: "1" });
  const later = k.nextEvent((event) => event.user_id === "2");
  bot.emit.friendIncrease({ user_id: "2" });
  expect(await later).toMatchObject({ detail_type: "friend_increase", user_id: "2" });
  expect(await k.nextEvent((event) => event.detail_type === "friend_decrease")).toMatchObject({
    user_id: "1",
  });
  expect(await k.nextEvent()).toMatchObject({ detail_type: "friend_increase", user_id: "1" });
  // Meta events are taken only when asked for.
  expect(await k.nextEvent((event) => event.type === "meta")).toMatchObject({
    detail_type: "connect",
  });
  // A type guard narrows the result.
  const isMessage = (event: Event): event is Event & { message_id: string } =>
    event.type === "message";
  bot.emit.privateMessage({ message_id: "m1", user_id: "1", message: "hi" });
  const message: { message_id: string } = await k.nextEvent(isMessage);
  expect(message.message_id).toBe("m1");
});

Deno.test("TestKit.nextEvent() rejects after its timeout naming the predicate and what came; its timer is cleared", async () => {
  await using k = kit();
  k.onebot.bot(self).emit.friendIncrease({ user_id: "1" });
  await expect(k.nextEvent((event) => event.user_id === "9", { timeout: 20 })).rejects.toThrow(
    // The source as the runtime prints it (Deno's transpiler may drop spaces).
    /^TestKit\.nextEvent: no event matching \(event\) ?=> ?event\.user_id === "9" within 20 ms \(3 other unread: meta\.connect, meta\.status_update, notice\.friend_increase\)$/,
  );
  function fromBob(event: Event): boolean {
    return event.user_id === "bob";
  }
  await expect(k.nextEvent(fromBob, { timeout: 1 })).rejects.toThrow(
    "no event matching fromBob within 1 ms",
  );
  await expect(k.nextEvent(undefined, { timeout: 0 })).rejects.toThrow(RangeError);
  // A wait still pending at dispose is rejected, and its timer cleared (sanitizers).
  const pending = k.nextEvent(fromBob);
  await k[Symbol.asyncDispose]();
  await expect(pending).rejects.toThrow("TestKit.nextEvent: the test kit was disposed");
});

Deno.test("TestKit.events() yields the non-meta events as they come, and ends at dispose", async () => {
  const k = kit();
  const bot = k.onebot.bot(self);
  bot.emit.friendIncrease({ user_id: "1" });
  const seen: string[] = [];
  const reading = (async () => {
    for await (const event of k.events()) {
      seen.push(event.user_id as string);
      if (seen.length === 3) break;
    }
  })();
  bot.emit.friendIncrease({ user_id: "2" });
  bot.emit.friendIncrease({ user_id: "3" });
  await reading;
  expect(seen).toEqual(["1", "2", "3"]);
  bot.emit.friendIncrease({ user_id: "4" });
  await k[Symbol.asyncDispose]();
  // What came before dispose is still read; then the iteration ends.
  expect((await Array.fromAsync(k.events())).map((event) => event.user_id)).toEqual(["4"]);
});

Deno.test("createTestKit(onebot) wraps an existing OneBot, with its token, and disposes it", async () => {
  const onebot = createOneBot({
    impl: "my-bridge",
    version: "1.0.0",
    bots: [{ self, online: true }],
    handlers: {},
    accessToken: "t0ken",
  });
  await using k = createTestKit(onebot, { accessToken: "t0ken" });
  expect(k.onebot).toBe(onebot);
  expect((await k.call("get_version", {})).data.impl).toBe("my-bridge");
  onebot.bot(self).emit.friendIncrease({ user_id: "1" });
  expect(await k.nextEvent()).toMatchObject({ user_id: "1" });
  expect(k.received.map((event) => event.detail_type)).toEqual([
    "connect",
    "status_update",
    "friend_increase",
  ]);
  expect((await k.latestEvents()).map((event) => event.user_id)).toEqual(["1"]);

  await using unauthorized = createTestKit(
    createOneBot({ impl: "my-bridge", version: "1.0.0", handlers: {}, accessToken: "t0ken" }),
  );
  await expect(unauthorized.call("get_version", {})).rejects.toThrow(
    "the HTTP handler answered 401 (pass the OneBot's token: createTestKit(onebot, { accessToken }))",
  );
});

Deno.test("TestKit.call() and TestClient.call() send typed bytes params as Base64 in JSON (ENC-01)", async () => {
  const files = createFileActions({ store: createMemoryFileStore() });
  const data = new Uint8Array([0, 1, 2, 250]);
  const params = { type: "data", name: "a.bin", data } as const;
  await using k = createTestKit(createOneBot({
    impl: "kit-test",
    version: "1.0.0",
    bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
    handlers: files,
  }));
  const kitUpload = await k.call("upload_file", params);
  expect(kitUpload.message).toBe("");
  const file = await k.call("get_file", { file_id: kitUpload.data.file_id, type: "data" }, {
    encoding: "msgpack",
  });
  expect(file.data).toMatchObject({ name: "a.bin", data });
  // As documented on call(): over JSON the bytes stay the wire's Base64 string (ENC-01).
  const json = await k.call("get_file", { file_id: kitUpload.data.file_id, type: "data" });
  expect((json.data as unknown as { data: unknown }).data).toBe("AAEC+g==");
  await using server = serve(k.onebot.fetch);
  for (const url of [server.url, server.wsUrl]) {
    await using client = await connectTestClient(url);
    const upload = await client.call("upload_file", params);
    expect(upload.message).toBe("");
  }
});
