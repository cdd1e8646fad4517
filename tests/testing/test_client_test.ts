import { expect } from "expect";
import { createOneBot, type OneBot, type OneBotOptions, RETCODE } from "../../mod.ts";
import { connectTestClient } from "../../testing/mod.ts";
import { serve } from "../_loopback.ts";

const self = { platform: "demo", user_id: "bot" };

function onebot(extra: Partial<OneBotOptions> = {}): OneBot {
  return createOneBot({
    impl: "client-test",
    version: "1.0.0",
    bots: [{ self, online: true }],
    handlers: {},
    accessToken: "t0ken",
    ...extra,
  });
}

for (const encoding of ["json", "msgpack"] as const) {
  Deno.test(`connectTestClient() over the forward WebSocket (${encoding}): typed calls, echo kept only when given, events in order (WS-05, META-C2, RESP-03)`, async () => {
    await using bot = onebot();
    await using server = serve(bot.fetch);
    await using client = await connectTestClient(server.wsUrl, { token: "t0ken", encoding });
    expect(client.transport).toBe("websocket");
    const [version, status] = await Promise.all([
      client.call("get_version", {}),
      client.call("get_status", {}, { echo: "e1" }),
    ]);
    expect(version).toEqual({
      status: "ok",
      retcode: 0,
      data: { impl: "client-test", version: "1.0.0", onebot_version: "12" },
      message: "",
    });
    expect(status.echo).toBe("e1");
    expect(status.data.bots).toEqual([{ self, online: true }]);
    expect((await client.call("get_self_info", {})).retcode).toBe(RETCODE.UNSUPPORTED_ACTION);

    expect(await client.nextEvent((event) => event.type === "meta")).toMatchObject({
      detail_type: "connect",
    });
    bot.bot(self).emit.friendIncrease({ user_id: "1" });
    expect(await client.nextEvent()).toMatchObject({
      detail_type: "friend_increase",
      user_id: "1",
    });
    expect(client.received.map((event) => event.detail_type)).toEqual([
      "connect",
      "status_update",
      "friend_increase",
    ]);
    expect(client.unexpected).toEqual([]);
  });
}

Deno.test("connectTestClient() over HTTP: calls, and nextEvent() long-polls get_latest_events (HTTP-12, HTTP-13)", async () => {
  await using bot = onebot();
  await using server = serve(bot.fetch);
  await using client = await connectTestClient(server.url, { token: "t0ken" });
  expect(client.transport).toBe("http");
  expect((await client.call("get_version", {}, { echo: "x" })).echo).toBe("x");
  const waiting = client.nextEvent((event) => event.user_id === "2");
  const emitter = bot.bot(self);
  emitter.emit.friendIncrease({ user_id: "1" });
  emitter.emit.friendIncrease({ user_id: "2" });
  expect(await waiting).toMatchObject({ user_id: "2" });
  expect(await client.nextEvent()).toMatchObject({ user_id: "1" });
  // A wait that times out aborts its poll: nothing is left running (sanitizers).
  await expect(client.nextEvent(undefined, { timeout: 50 })).rejects.toThrow(
    "TestClient.nextEvent: no non-meta event within 50 ms",
  );
  const seen: string[] = [];
  emitter.emit.friendIncrease({ user_id: "3" });
  for await (const event of client.events()) {
    seen.push(event.user_id as string);
    if (seen.length === 2) break;
    emitter.emit.friendIncrease({ user_id: "4" });
  }
  expect(seen).toEqual(["3", "4"]);
});

Deno.test("connectTestClient() says why a socket does not open, and why a call or wait fails when it closes (WS-02)", async () => {
  await using bot = onebot();
  await using server = serve(bot.fetch);
  await expect(connectTestClient(server.wsUrl, { token: "wrong" })).rejects.toThrow(
    `Cannot connect test client to ${server.wsUrl}`,
  );
  await expect(connectTestClient("ftp://127.0.0.1/")).rejects.toThrow(TypeError);
  await expect(connectTestClient(server.wsUrl, { timeout: 0 })).rejects.toThrow(
    "Cannot connect test client: timeout must be a number > 0 (ms): current value is 0",
  );
  await expect(
    connectTestClient(server.url, { token: "wrong" }).then((c) => c.call("get_version", {})),
  )
    .rejects.toThrow("the implementation answered HTTP 401");

  await using client = await connectTestClient(server.wsUrl, { token: "t0ken" });
  const waiting = expect(client.nextEvent((event) => event.user_id === "never")).rejects.toThrow(
    /^TestClient\.nextEvent: the WebSocket closed \(1001/,
  );
  await bot[Symbol.asyncDispose]();
  await waiting;
  await expect(client.call("get_version", {})).rejects.toThrow(
    /^Cannot call get_version: the WebSocket closed/,
  );
});

Deno.test("TestClient.call() and TestKit.call() are typed by the action table (compile-time)", () => {
  // Never called: the lines below are checked by the compiler only.
  async function pins(): Promise<void> {
    await using client = await connectTestClient("ws://127.0.0.1:1/");
    // @ts-expect-error an unknown action
    await client.call("get_verison", {});
    // @ts-expect-error user_id is required
    await client.call("get_user_info", {});
    const version: string = (await client.call("get_version", {})).data.impl;
    const extended = await connectTestClient<
      { "fakechat.topic": { params: { topic: string }; data: null } }
    >("http://127.0.0.1:1/");
    // @ts-expect-error topic is a string
    await extended.call("fakechat.topic", { topic: 5 });
    await extended.call("fakechat.topic", { topic: "news" });
    void version;
  }
  expect(typeof pins).toBe("function");
});

Deno.test("connectTestClient() call() with params that cannot be encoded rejects at once and leaves nothing waiting", async () => {
  await using bot = onebot();
  await using server = serve(bot.fetch);
  {
    await using client = await connectTestClient(server.wsUrl, { token: "t0ken" });
    const params = { big: 1n } as unknown as Record<string, never>;
    await expect(client.call("get_version", params)).rejects.toThrow(TypeError);
    // The socket still works, and closing it leaves no call to reject unhandled.
    expect((await client.call("get_version", {})).retcode).toBe(0);
  }
});
