// Compile-time checks of the standard action table (design.md §4): each line
// marked @ts-expect-error must fail to type-check, or `deno check` fails
// (TS2578, unused directive). The runtime assertions are incidental.
import { expect } from "expect";
import * as v from "valibot";
import { defineActions } from "../../action/compose.ts";
import { failed, ok } from "../../action/result.ts";
import { createActionRouter } from "../../action/router.ts";
import type { StandardActions } from "../../action/standard.ts";
import type { ActionHandlers } from "../../action/types.ts";
import {
  schemaValidator,
  STANDARD_VALIDATORS,
  type StandardSchemaV1,
  type StandardValidators,
} from "../../action/validate.ts";
import type { ExtensionName } from "../../event/extension.ts";
import { type Message, type Segment, text } from "../../event/segment.ts";
import { type PrivateMessageEvent, privateMessageEvent } from "../../event/standard.ts";

/** `true` when `A` and `B` are mutually assignable. */
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertType<T extends true>(_value?: T): void {}

Deno.test("ActionHandlers<StandardActions> types the params of standard handlers (design.md §4)", async () => {
  const handlers = defineActions({
    send_message: (params) => {
      assertType<Equal<typeof params.message, Message>>();
      if (params.detail_type === "private") assertType<Equal<typeof params.user_id, string>>();
      assertType<
        Equal<typeof params.detail_type, "private" | "group" | "channel" | ExtensionName>
      >();
      return ok({ message_id: `${params.detail_type}:${params.message.length}`, time: 1.5 });
    },
    get_channel_list: ({ joined_only }) => {
      assertType<Equal<typeof joined_only, boolean>>();
      return ok([]);
    },
    upload_file: (params) => {
      if (params.type !== "data") return ok({ file_id: params.name });
      assertType<Equal<typeof params.data, Uint8Array>>();
      return ok({ file_id: String(params.data.length) });
    },
    upload_file_fragmented: (params) => {
      if (params.stage === "transfer") {
        assertType<Equal<typeof params.data, Uint8Array>>();
        assertType<Equal<typeof params.offset, number>>();
        return ok(null);
      }
      if (params.stage === "prepare") return ok({ file_id: params.name });
      return ok({ file_id: params.sha256 });
    },
    get_user_info: ({ user_id }) =>
      ok({ user_id, user_name: "u", user_displayname: "", user_remark: "" }),
    delete_message: () => ok(null),
    leave_group: () => failed(35001, "not in that group"),
  });
  const router = createActionRouter({
    handlers,
    bots: () => [{ platform: "demo", user_id: "bot" }],
    validators: STANDARD_VALIDATORS,
  });
  const response = await router(
    { action: "send_message", params: { detail_type: "private", user_id: "2", message: "hi" } },
    { connection: "local" },
  );
  expect(response.data).toEqual({ message_id: "private:1", time: 1.5 });
});

Deno.test("ActionHandlers<StandardActions> rejects wrong return data at compile time", () => {
  const handlers: ActionHandlers<StandardActions> = {
    // @ts-expect-error: delete_message returns none: data must be null (§4.1)
    delete_message: () => ok({}),
    // @ts-expect-error: get_user_info must return user_remark too (§4.2, §9.3 item 29)
    get_user_info: ({ user_id }) => ok({ user_id, user_name: "u", user_displayname: "" }),
    // @ts-expect-error: send_message.time is a float64 number, not a string (§4.1)
    send_message: () => ok({ message_id: "1", time: "1" }),
    // @ts-expect-error: get_self_info returns user_name, not the v11 nickname (§9.3 item 29)
    get_self_info: () => ok({ user_id: "1", nickname: "bot", user_displayname: "" }),
  };
  expect(Object.keys(handlers).length).toBe(4);
});

Deno.test("ActionHandlers<StandardActions> rejects misused params at compile time", () => {
  defineActions({
    get_user_info: ({ user_id }) => {
      // @ts-expect-error: every ID is a string, never a number (§9.3 item 31)
      const id: number = user_id;
      return ok({ user_id: String(id), user_name: "", user_displayname: "", user_remark: "" });
    },
    get_file_fragmented: (params) => {
      // @ts-expect-error: size exists only on the transfer stage
      void params.size;
      return ok({ name: "a", total_size: 0, sha256: "" });
    },
  });
  defineActions({
    // @ts-expect-error: get_message is not a standard action (§4.6)
    get_message: () => ok(null),
  });
});

Deno.test("STANDARD_VALIDATORS has exactly the standard action names (§4.6)", () => {
  assertType<Equal<keyof StandardValidators, keyof StandardActions>>();
  expect(Object.keys(STANDARD_VALIDATORS).length).toBe(31);
});

Deno.test("a valibot schema is a StandardSchemaV1, usable with schemaValidator()", () => {
  const schema: StandardSchemaV1<{ n: number }, { n: number }> = v.object({ n: v.number() });
  expect(typeof schemaValidator(schema)).toBe("function");
});

Deno.test("segment builders and event builders return the standard types", () => {
  const segment: Segment<"text"> = text("hi");
  const event: PrivateMessageEvent = privateMessageEvent({
    self: { platform: "qq", user_id: "1" },
    message_id: "m",
    user_id: "2",
    message: [segment],
  });
  assertType<Equal<typeof event.message, Message>>();
  assertType<Equal<typeof event.detail_type, "private">>();
  const missingMessage = () =>
    // @ts-expect-error: message events need a message (§5.1)
    privateMessageEvent({ self: { platform: "qq", user_id: "1" }, message_id: "m", user_id: "2" });
  expect(typeof missingMessage).toBe("function");
  expect(event.alt_message).toBe("hi");
});
