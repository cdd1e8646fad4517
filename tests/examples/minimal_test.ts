// Smoke test of examples/minimal.ts: its `deno serve` export answers actions and its echo
// platform's reply reaches the applications as a standard event.
import { expect } from "expect";
import type { Event } from "../../event/types.ts";
import minimal from "../../examples/minimal.ts";

async function call(action: string, params: Record<string, unknown>) {
  const response = await minimal.fetch(
    new Request("http://localhost/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action, params }),
    }),
  );
  return await response.json();
}

Deno.test("examples/minimal.ts echoes a private message back as a message.private event (§4.1, §5.1)", async () => {
  const sent = await call("send_message", { detail_type: "private", user_id: "42", message: "hi" });
  expect(sent).toMatchObject({
    status: "ok",
    retcode: 0,
    data: { message_id: expect.any(String) },
  });
  const events = (await call("get_latest_events", { limit: 0, timeout: 0 })).data as Event[];
  expect(events).toEqual([expect.objectContaining({
    type: "message",
    detail_type: "private",
    self: { platform: "echo", user_id: "bot" },
    user_id: "42",
    alt_message: "hi",
  })]);
});
