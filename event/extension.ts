/**
 * Names: extension names (checklist §7), `<prefix>.<name>` where the prefix is
 * lowercase letters and underscores (EXT-01), and the name format of `impl`
 * and `platform` (§8).
 *
 * @module
 */

/**
 * The name format of `impl` and `platform` (§8).
 *
 * @example
 * ```ts
 * import { NAME_REGEXP } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(NAME_REGEXP.test("go-cqhttp.v2.3")).toBe(true);
 * expect(NAME_REGEXP.test("Go_CQHTTP")).toBe(false);
 * ```
 */
export const NAME_REGEXP: RegExp = /^[a-z][-a-z0-9]*(\.[-a-z0-9]+)*$/;

/**
 * The format of an extension prefix: `[_a-z]+`, without the dot (EXT-01). It
 * differs from the name format of `impl` and `platform` (EXT-03): no digits,
 * hyphens or dots.
 *
 * @example
 * ```ts
 * import { PREFIX_REGEXP } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(PREFIX_REGEXP.test("go_cqhttp")).toBe(true);
 * expect(PREFIX_REGEXP.test("go-cqhttp")).toBe(false);
 * ```
 */
export const PREFIX_REGEXP: RegExp = /^[_a-z]+$/;

/**
 * An extension name: a prefix, a dot, and the rest, e.g. `qq.face` (EXT-01).
 *
 * @example
 * ```ts
 * import type { ExtensionName } from "@libob/libob";
 *
 * const name: ExtensionName = "qq.face";
 * ```
 */
export type ExtensionName = `${string}.${string}`;

/**
 * Whether `name` is `<prefix>.<rest>` with a prefix matching
 * {@linkcode PREFIX_REGEXP} and a non-empty rest (EXT-01). The rest may hold
 * further dots (`qq.discuss_id`, `dc.url`).
 *
 * @param name Any value, e.g. a segment type or a `sub_type`.
 * @returns `true` for a well-formed extension name.
 *
 * @example
 * ```ts
 * import { isExtensionName } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(isExtensionName("qq.face")).toBe(true);
 * expect(isExtensionName("qq_face")).toBe(false); // the underscore style is not the rule
 * expect(isExtensionName("QQ.face")).toBe(false);
 * ```
 */
export function isExtensionName(name: unknown): name is ExtensionName {
  if (typeof name !== "string") return false;
  const dot = name.indexOf(".");
  return dot > 0 && dot < name.length - 1 && PREFIX_REGEXP.test(name.slice(0, dot));
}

/**
 * Builds an extension name from a prefix and a name (EXT-01), e.g. for an
 * extension field, action, segment type or `detail_type`.
 *
 * @param prefix The prefix, e.g. the platform name `qq` or `go_cqhttp`.
 * @param name The name after the dot, non-empty.
 * @returns `<prefix>.<name>`.
 * @throws {TypeError} When `prefix` does not match {@linkcode PREFIX_REGEXP}
 * or `name` is empty.
 *
 * @example
 * ```ts
 * import { extensionKey } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(extensionKey("qq", "anonymous")).toBe("qq.anonymous");
 * expect(() => extensionKey("go-cqhttp", "x")).toThrow(TypeError);
 * ```
 */
export function extensionKey<P extends string, N extends string>(
  prefix: P,
  name: N,
): `${P}.${N}` {
  if (typeof prefix !== "string" || !PREFIX_REGEXP.test(prefix)) {
    throw new TypeError(
      `Cannot build extension key: prefix must match ${PREFIX_REGEXP}: current value is ${
        String(prefix)
      }`,
    );
  }
  if (typeof name !== "string" || name === "") {
    throw new TypeError("Cannot build extension key: name must be a non-empty string");
  }
  return `${prefix}.${name}`;
}
