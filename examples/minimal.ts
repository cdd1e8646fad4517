/**
 * A minimal OneBot 12 implementation, HTTP and forward WebSocket on one address
 * (`deno serve --host 127.0.0.1 examples/minimal.ts`), over an "echo" platform:
 * what the application sends to a user comes back as that user's message.
 * @module
 */

import { createOneBot, defineActions, ok, privateMessageEvent } from "../mod.ts";

const self = { platform: "echo", user_id: "bot" };
let lastMessageId = 0;

const handlers = defineActions({
  get_self_info: () => ok({ user_id: "bot", user_name: "Echo", user_displayname: "" }),
  send_message(params) {
    const message_id = String(++lastMessageId);
    if (params.detail_type === "private") {
      // The "platform": the user says it back, as a standard event on every connection.
      const echo = privateMessageEvent({
        self,
        message_id: String(++lastMessageId),
        user_id: params.user_id,
        message: params.message,
      });
      queueMicrotask(() => onebot.emit(echo));
    }
    return ok({ message_id, time: Date.now() / 1000 });
  },
});

const onebot = createOneBot({
  impl: "echo-impl",
  version: "1.0.0",
  bots: [{ self, online: true }],
  handlers,
});

export default { fetch: onebot.fetch } satisfies Deno.ServeDefaultExport;
