/**
 * Text helpers of messages and checks: values from outside shown short in a
 * message, and the control-character test of tokens. Private: not exported
 * from `mod.ts`.
 *
 * @module
 */

/** Keeps peer-chosen strings short in messages and logs: at most `max` characters and `…`. */
export function clip(text: string, max = 64): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * A short description of a value from outside, for a failure message: a
 * string quoted and clipped, a number, boolean, `null` or `undefined` as
 * written, otherwise what it is ("a list", "an object", its `typeof`).
 */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return JSON.stringify(clip(value));
    case "number":
    case "boolean":
      return String(value);
    case "undefined":
      return "undefined";
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}

/** Whether `text` holds a C0 control character or DEL (U+0000..U+001F, U+007F). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
