// The hand-written send_message check (action/_send_message_fast.ts) against the schema it
// stands in for: whenever it takes params, the schema takes them too and outputs the same
// keys, in the same order, with the same values; whatever it leaves goes to the schema.
import { expect } from "expect";
import fc from "fast-check";
import * as v from "valibot";
import { sendMessageFast } from "../../action/_send_message_fast.ts";
import { PARAMS_SCHEMAS } from "../../action/schemas.ts";
import { createValidators } from "../../action/validate.ts";

const segment = fc.record({
  type: fc.constantFrom("text", "image", "qq.face", "", 1),
  data: fc.oneof(fc.record({ text: fc.string() }), fc.constant(null)),
});
const value = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.constantFrom("1", "", "private", "group", "channel", "qq.discuss", "discuss"),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(segment, { maxLength: 3 }),
  segment,
);
/** Params of the shape clients send: send_message's keys only, mostly well typed. */
const plausible = fc.record({
  detail_type: fc.constantFrom("private", "group", "channel", "qq.discuss"),
  user_id: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()),
  group_id: fc.string({ maxLength: 3 }),
  guild_id: fc.string({ maxLength: 3 }),
  channel_id: fc.string({ maxLength: 3 }),
  message: fc.oneof(fc.string({ maxLength: 3 }), fc.array(segment, { maxLength: 3 }), segment),
}, { requiredKeys: ["detail_type", "message"] });
/** Params made of send_message's keys (and a few others), each present or not. */
const wild = fc.record({
  detail_type: fc.oneof(
    fc.constantFrom("private", "group", "channel", "qq.discuss", "discuss", "Private"),
    value,
  ),
  user_id: fc.oneof(fc.string({ maxLength: 3 }), value),
  group_id: fc.oneof(fc.string({ maxLength: 3 }), value),
  guild_id: fc.oneof(fc.string({ maxLength: 3 }), value),
  channel_id: fc.oneof(fc.string({ maxLength: 3 }), value),
  message: fc.oneof(fc.string({ maxLength: 3 }), value),
  "qq.extra": value,
  extra: value,
  __proto__: value,
}, { requiredKeys: [] });
const sendParams = fc.oneof(plausible, wild).map((params) => JSON.parse(JSON.stringify(params)));

Deno.test("send_message's hand-written check outputs what its schema outputs, key order included (§4.1, MSG-02)", () => {
  let taken = 0;
  fc.assert(
    fc.property(sendParams, (params) => {
      const fast = sendMessageFast(params);
      if (fast === undefined) return;
      taken++;
      const result = v.safeParse(PARAMS_SCHEMAS.send_message, params, { abortEarly: true });
      expect(result.success).toBe(true);
      expect(fast).toEqual(result.output);
      expect(Object.keys(fast)).toEqual(Object.keys(result.output as object));
    }),
    { numRuns: 3000 },
  );
  // The generator reaches the fast path often enough for the comparison to mean something.
  expect(taken).toBeGreaterThan(300);
});

Deno.test("send_message's validator answers as its schema alone does, fast path or not (§4.1, MSG-02, 10003..10007)", () => {
  for (const strictParams of [false, true]) {
    const validate = createValidators({ strictParams }).send_message;
    fc.assert(
      fc.property(sendParams, (params) => {
        // A null prototype is never taken by the hand-written check: the schema alone answers.
        const bySchema = validate(Object.assign(Object.create(null), params));
        expect(validate(params)).toEqual(bySchema);
      }),
      { numRuns: 1000 },
    );
  }
});

Deno.test("an action without params answers {} and any params as its schema does (§4.1, EXT-14)", () => {
  const schema = PARAMS_SCHEMAS.get_version;
  for (const strictParams of [false, true]) {
    const validators = createValidators({ strictParams });
    expect(validators.get_version({})).toEqual({});
    expect(validators.get_status({})).toEqual({});
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue()), (raw) => {
        const params = JSON.parse(JSON.stringify(raw));
        const result = v.safeParse(schema, params, { abortEarly: true });
        const expected = !strictParams || Object.keys(params).every((key) => key.includes("."))
          ? result.output
          : expect.objectContaining({ retcode: 10004 });
        expect(validators.get_version(params)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  }
});
