/**
 * A promise raced against a timer, the timer always cleared: the one home of
 * every bounded wait. Private: not exported from `mod.ts`.
 *
 * @module
 */

/** What {@linkcode raceTimeout} resolves with when the time runs out. */
export const TIMED_OUT: unique symbol = Symbol("timed out");

/** Resolves like `promise`, or with {@linkcode TIMED_OUT} after `ms` milliseconds. */
export async function raceTimeout<T>(
  promise: Promise<T>,
  ms: number,
): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves like `promise`, or rejects with an `Error` of `message` after `ms` milliseconds. */
export async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  const result = await raceTimeout(promise, ms);
  if (result === TIMED_OUT) throw new Error(message);
  return result;
}
