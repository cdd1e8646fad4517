import { expect } from "expect";
import { createOneBot, type OneBot } from "../../mod.ts";
import { parseOneBotConfig, serveOneBot } from "../../config/mod.ts";
import { connectTestClient } from "../../testing/mod.ts";
import { within } from "../_loopback.ts";

const self = { platform: "fakechat", user_id: "bot" };

function onebot(): OneBot {
  return createOneBot({ impl: "serve-test", version: "1.0.0", handlers: {} });
}

Deno.test("serveOneBot() listens on every configured address (port 0 = a free one) and serves HTTP and the forward WebSocket there (§1.1, §1.3)", async () => {
  const config = parseOneBotConfig({
    http: [{ host: "127.0.0.1", port: 0 }],
    websocket: [{ host: "127.0.0.1", port: 0 }],
  });
  // Equal entries are one address; two port-0 addresses would be two servers.
  expect(config.listen).toEqual([{ hostname: "127.0.0.1", port: 0 }]);
  await using server = await serveOneBot(
    onebot(),
    { listen: [...config.listen, { hostname: "127.0.0.1", port: 0 }] },
    { signals: false },
  );
  expect(server.addresses).toHaveLength(2);
  for (const { port } of server.addresses) {
    expect(port).toBeGreaterThan(0);
    await using http = await connectTestClient(`http://127.0.0.1:${port}/`);
    expect((await http.call("get_version", {})).data.impl).toBe("serve-test");
    await using ws = await connectTestClient(`ws://127.0.0.1:${port}/`);
    expect((await ws.call("get_version", {})).data.impl).toBe("serve-test");
  }
});

Deno.test("serveOneBot() dispose: stops listening, runs onShutdown while sockets are open, disposes the OneBot (WebSockets closed with 1001), resolves finished", async () => {
  const bot = onebot();
  const emitter = bot.bot(self);
  emitter.setOnline(true);
  const order: string[] = [];
  const server = await serveOneBot(bot, { listen: [{ hostname: "127.0.0.1", port: 0 }] }, {
    signals: false,
    onShutdown() {
      order.push("onShutdown");
      emitter.setOnline(false);
    },
  });
  const { port } = server.addresses[0]!;
  await using client = await connectTestClient(`ws://127.0.0.1:${port}/`);
  const offline = client.nextEvent((event) =>
    event.detail_type === "status_update" &&
    (event.status as { bots: { online: boolean }[] }).bots[0]?.online === false
  );
  void server.finished.then(() => order.push("finished"));
  await server[Symbol.asyncDispose]();
  await within(offline, "the offline status_update");
  expect(order).toEqual(["onShutdown", "finished"]);
  await expect(client.call("get_version", {})).rejects.toThrow(/WebSocket closed \(1001/);
  await expect(fetch(`http://127.0.0.1:${port}/`, { method: "POST" })).rejects.toThrow();
  await server[Symbol.asyncDispose](); // twice is harmless
});

Deno.test("serveOneBot() refuses bad options, and an address in use after closing the ones it opened", async () => {
  await using bot = onebot();
  const listen = [{ hostname: "127.0.0.1", port: 0 }];
  await expect(serveOneBot(bot, { listen }, { shutdownTimeout: 0 })).rejects.toThrow(
    "Cannot serve OneBot: shutdownTimeout must be an integer > 0: current value is 0",
  );
  await expect(serveOneBot(bot, { listen }, { signals: "yes" as unknown as boolean })).rejects
    .toThrow(TypeError);
  await expect(serveOneBot(bot, {} as { listen: [] })).rejects.toThrow(
    "Cannot serve OneBot: config.listen must be a list of addresses",
  );
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = taken.addr;
  // The first address opens, the second fails: the first is closed again (sanitizers).
  await expect(
    serveOneBot(bot, { listen: [...listen, { hostname: "127.0.0.1", port }] }, { signals: false }),
  ).rejects.toThrow(`Cannot serve OneBot on 127.0.0.1:${port}:`);
});

Deno.test({
  name:
    "serveOneBot() under deno run: SIGTERM marks the bot offline, closes the sockets (1001) and exits with 0",
  ignore: Deno.build.os === "windows",
  async fn() {
    const path = await Deno.makeTempFile({ suffix: ".toml" });
    await Deno.writeTextFile(path, '[[websocket]]\nhost = "127.0.0.1"\nport = 0\n');
    try {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL("./_serve_fixture.ts", import.meta.url).pathname, path],
        cwd: new URL("../..", import.meta.url).pathname,
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const stderr = child.stderr.text();
      const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      const first = await within(lines.read(), "the fixture's port", 60_000);
      const { port } = JSON.parse(first.value ?? "{}") as { port: number };
      {
        await using client = await connectTestClient(`ws://127.0.0.1:${port}/`);
        const offline = client.nextEvent(
          (event) =>
            event.detail_type === "status_update" &&
            (event.status as { bots: { online: boolean }[] }).bots[0]?.online === false,
          { timeout: 30_000 },
        );
        child.kill("SIGTERM");
        await offline;
        await expect(client.nextEvent(undefined, { timeout: 30_000 })).rejects.toThrow(
          /the WebSocket closed \(1001/,
        );
      }
      await lines.cancel();
      const status = await child.status;
      expect({ code: status.code, stderr: await stderr }).toEqual({ code: 0, stderr: "" });
    } finally {
      await Deno.remove(path);
    }
  },
});
