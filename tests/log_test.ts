// libob is a library: it logs through logtape and never configures it, so an application that
// does not configure logtape sees nothing, whatever fails (issue 14 item 4).
import { expect } from "expect";
import { serve, within } from "./_loopback.ts";

const MOD = new URL("../mod.ts", import.meta.url).href;

Deno.test("createOneBot() prints nothing when logtape is not configured, even with failing webhooks", async () => {
  let posts = 0;
  await using receiver = serve(async (request) => {
    await request.body?.cancel();
    posts++;
    return new Response("refused", { status: 500 });
  });
  const dead = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadPort = (dead.addr as Deno.NetAddr).port;
  dead.close();
  // Both posts fail (a 500 and a refused connection); disposing waits for them.
  const script = `
    import { createEvent, createOneBot } from ${JSON.stringify(MOD)};
    const onebot = createOneBot({
      impl: "silent",
      version: "1.0.0",
      bots: [{ self: { platform: "test", user_id: "bot" }, online: true }],
      httpWebhook: [{ url: ${
    JSON.stringify(`${receiver.url}hook`)
  } }, { url: "http://127.0.0.1:${deadPort}/" }],
    });
    onebot.emit(createEvent({
      type: "notice",
      detail_type: "friend_increase",
      self: { platform: "test", user_id: "bot" },
      user_id: "1",
    }));
    await onebot[Symbol.asyncDispose]();
  `;
  const { code, stdout, stderr } = await within(
    new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script],
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output(),
    "the script to exit",
    30_000,
  );
  expect(new TextDecoder().decode(stderr)).toBe("");
  expect(new TextDecoder().decode(stdout)).toBe("");
  expect(code).toBe(0);
  // Refused: the status_update and the notice; the status owed since (statusOnRecovery) is not
  // tried again before it, as one was posted within the minute.
  expect(posts).toBe(2);
});
