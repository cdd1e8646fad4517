// Property tests of param and segment validation: for every standard action, any params
// get 0 or a request-error retcode (10003..10007), never 20001/20002: validators never throw.
import { expect } from "expect";
import fc from "fast-check";
import { createActionRouter, createValidators, ok } from "../../mod.ts";
import type { AnyActionHandlers } from "../../mod.ts";
import { expectEnvelope, expectPrototypesClean, hostileValue, params } from "./_envelope.ts";

const validators = createValidators({ strictParams: true });
const actions = Object.keys(validators);
const handlers: AnyActionHandlers = Object.fromEntries(actions.map((a) => [a, () => ok(null)]));
const router = createActionRouter({
  handlers,
  bots: () => [{ platform: "fuzz", user_id: "bot" }],
  validators,
});

const FIELDS = [
  "detail_type",
  "user_id",
  "group_id",
  "guild_id",
  "channel_id",
  "message",
  "message_id",
  "type",
  "name",
  "url",
  "path",
  "data",
  "sha256",
  "stage",
  "file_id",
  "offset",
  "size",
  "total_size",
  "joined_only",
  "headers",
  "__proto__",
];

const segment = fc.record({
  type: fc.oneof(
    fc.constantFrom(
      "text",
      "mention",
      "mention_all",
      "image",
      "location",
      "reply",
      "qq.face",
      "at",
    ),
    fc.string(),
  ),
  data: fc.oneof(
    fc.dictionary(
      fc.constantFrom("text", "user_id", "file_id", "latitude", "type", "message_id"),
      hostileValue,
    ),
    hostileValue,
  ),
});

const anyParams = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELDS), fc.string()),
  fc.oneof(
    hostileValue,
    fc.constantFrom("private", "group", "channel", "prepare", "transfer", "finish", "data", "url"),
    fc.array(segment, { maxLength: 4 }),
    segment,
    fc.uint8Array({ maxLength: 16 }),
  ),
  { maxKeys: 8 },
);

Deno.test("every standard validator answers any params with 0 or 1000x, never throws (§4, §6.3)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...actions), anyParams, async (action, p) => {
      const response = await router({ action, params: p }, { connection: "local" });
      expectEnvelope(response);
      expect([0, 10003, 10004, 10005, 10006, 10007]).toContain(response.retcode);
    }),
    params(),
  );
  expectPrototypesClean();
});
