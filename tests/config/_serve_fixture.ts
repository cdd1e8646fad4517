// A `deno run` bridge for serve_test.ts: serves a OneBot where the configuration file given as the
// first argument says, prints its port, and on SIGINT/SIGTERM marks its bot offline, then stops.
import { createOneBot } from "../../mod.ts";
import { loadOneBotConfig, serveOneBot } from "../../config/mod.ts";

const config = await loadOneBotConfig(Deno.args[0]!);
const onebot = createOneBot({
  impl: "serve-fixture",
  version: "1.0.0",
  handlers: {},
  ...config.connections,
});
const bot = onebot.bot({ platform: "fakechat", user_id: "bot" });
bot.setOnline(true);
const server = await serveOneBot(onebot, config, { onShutdown: () => bot.setOnline(false) });
// deno-lint-ignore no-console -- the test reads the port from here
console.log(JSON.stringify({ port: server.addresses[0]!.port }));
