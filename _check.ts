/**
 * The one integer check of every factory's options. Private: not exported
 * from `mod.ts`.
 *
 * @module
 */

/**
 * Throws a std-style `RangeError` unless `value` is a safe integer >= `min`,
 * e.g. "Cannot create webhook emitter: timeout must be an integer >= 0:
 * current value is -1". `min` 1 reads "> 0".
 */
export function checkInteger(where: string, name: string, value: unknown, min: 0 | 1): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(
      `Cannot ${where}: ${name} must be an integer ${
        min === 0 ? ">= 0" : "> 0"
      }: current value is ${value}`,
    );
  }
}
