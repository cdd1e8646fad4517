/**
 * A hand-written check of `send_message`'s params in their common shape:
 * the hot standard action, where valibot costs more than the rest of the
 * routing. It either returns exactly what `PARAMS_SCHEMAS.send_message`
 * outputs for the params (same keys, same order, same values), or
 * `undefined` to leave them to the schema, which then gives every answer to
 * params it does not take (every failure, extension detail types and params).
 * tests/property/send_message_fast_property_test.ts holds the two together.
 *
 * @module
 */

/** The params `send_message`'s schema declares, in its order. */
const ID_KEYS = ["user_id", "group_id", "guild_id", "channel_id"] as const;

/** The id each standard `detail_type` requires. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  private: ["user_id"],
  group: ["group_id"],
  channel: ["guild_id", "channel_id"],
};

/**
 * The params as the schema would output them, when they are a plain object
 * with only declared keys, a standard `detail_type`, its ids as strings and
 * a `message` the schema takes; else `undefined`.
 */
export function sendMessageFast(
  params: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (Object.getPrototypeOf(params) !== Object.prototype) return undefined;
  const { detail_type, message } = params;
  if (typeof detail_type !== "string" || !Object.hasOwn(REQUIRED, detail_type)) return undefined;
  if (typeof message !== "string" && (typeof message !== "object" || message === null)) {
    return undefined;
  }
  let known = 2;
  const output: Record<string, unknown> = { detail_type };
  for (const key of ID_KEYS) {
    if (!Object.hasOwn(params, key)) continue;
    const id = params[key];
    if (typeof id !== "string") return undefined;
    output[key] = id;
    known++;
  }
  for (const key of REQUIRED[detail_type]!) if (!Object.hasOwn(output, key)) return undefined;
  // Only declared keys: any other (an extension param) goes to the schema.
  if (Object.keys(params).length !== known) return undefined;
  output.message = typeof message === "string"
    ? [{ type: "text", data: { text: message } }]
    : (Array.isArray(message) ? message : [message]);
  return output;
}
