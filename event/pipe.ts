/**
 * Event pipes: a loop that feeds the items of an async iterable (a platform's
 * event stream) to a callback until stopped, behind `OneBot.pipe`. A bad
 * item is logged and skipped; a failed or ended source is logged; stopping
 * calls the iterator's `return()`. Nothing is ever thrown out of the loop.
 *
 * A source given as a function of an `AbortSignal` is cancellable: stopping
 * aborts the signal (a `fetch` in flight ends), waits for the pending
 * `next()` or `each` to settle, then awaits `return()`, so nothing of the
 * source outlives the pipe.
 *
 * @module
 */

import { logger } from "../_log.ts";

/**
 * A running pipe (see `OneBot.pipe`).
 *
 * @example
 * ```ts
 * import { createOneBot, type EventPipe } from "@libob/libob";
 *
 * await using onebot = createOneBot({ impl: "my-impl", version: "1.0.0", handlers: {} });
 * async function* nothing() {}
 * await using pipe: EventPipe = onebot.pipe(nothing());
 * await pipe.done;
 * ```
 */
export interface EventPipe extends AsyncDisposable {
  /**
   * Resolves (never rejects) once the loop has stopped: the source ended or
   * failed (logged), the pipe was disposed, or the OneBot was.
   */
  readonly done: Promise<void>;
}

/**
 * A source that can be cancelled: called once with the pipe's signal, which
 * aborts when the pipe or its OneBot is disposed (see `OneBot.pipe`).
 *
 * @example
 * ```ts
 * import type { PipeSource } from "@libob/libob";
 *
 * const source: PipeSource<unknown> = async function* (signal) {
 *   while (!signal.aborted) {
 *     const response = await fetch("https://chat.example/poll", { signal });
 *     yield await response.json();
 *   }
 * };
 * ```
 */
export type PipeSource<T> = (signal: AbortSignal) => AsyncIterable<T>;

/** The pipes of one OneBot: started by `pipe`, all stopped by dispose. */
export interface PipeGroup extends AsyncDisposable {
  /**
   * Starts feeding `source` to `each` (with the pipe's signal); after
   * dispose, a pipe that is done at once (a {@linkcode PipeSource} is not
   * called).
   */
  pipe<T>(
    source: AsyncIterable<T> | PipeSource<T>,
    each: (item: T, signal: AbortSignal) => unknown,
  ): EventPipe;
}

const STOP = Symbol("stop");

/**
 * Creates the pipes of one OneBot.
 *
 * @returns The group; disposing it stops every pipe and waits for their loops.
 */
export function createPipeGroup(): PipeGroup {
  const log = logger("onebot");
  const running = new Set<{ stop(): void; done: Promise<void> }>();
  let closed = false;
  return {
    pipe(source, each) {
      if (closed) {
        log.warn("An event pipe started after dispose was not run");
        return { done: Promise.resolve(), [Symbol.asyncDispose]: () => Promise.resolve() };
      }
      const { promise: stopped, resolve } = Promise.withResolvers<typeof STOP>();
      const abort = new AbortController();
      const done =
        (typeof source === "function"
          ? runCancellable(source, each, abort.signal)
          : runPipe(source, (item) => each(item, abort.signal), stopped))
          // Never rejects: whatever escaped the loop is logged, and dispose still completes.
          .catch((error: unknown) => {
            logger("onebot").error("An event pipe stopped on an unexpected error: {error}", {
              error,
            });
          });
      const entry = {
        stop() {
          abort.abort();
          resolve(STOP);
        },
        done,
      };
      running.add(entry);
      void done.then(() => running.delete(entry));
      return {
        done,
        async [Symbol.asyncDispose]() {
          entry.stop();
          await done;
        },
      };
    },
    async [Symbol.asyncDispose]() {
      closed = true;
      const all = [...running];
      for (const entry of all) entry.stop();
      await Promise.all(all.map((entry) => entry.done));
    },
  };
}

async function runPipe<T>(
  source: AsyncIterable<T>,
  each: (item: T) => unknown,
  stopped: Promise<typeof STOP>,
): Promise<void> {
  const log = logger("onebot");
  const iterator = start(() => source);
  if (iterator === undefined) return;
  for (let index = 0;; index++) {
    let step: IteratorResult<T> | typeof STOP;
    try {
      step = await Promise.race([settle(() => iterator.next()), stopped]);
    } catch (error) {
      log.error("An event pipe stopped: its source failed after {index} items: {error}", {
        index,
        error,
      });
      return;
    }
    if (step === STOP) return close(iterator);
    if (!isIteratorResult(step)) return notAResult(index);
    if (step.done === true) {
      log.warn("An event pipe stopped: its source ended after {index} items", { index });
      return;
    }
    const value = step.value;
    try {
      if (await Promise.race([settle(() => each(value)), stopped]) === STOP) {
        return close(iterator);
      }
    } catch (error) {
      log.error("An event pipe skipped item {index}: {error}", { index, error });
    }
  }
}

/**
 * The loop of a {@linkcode PipeSource}: no race, since the source itself
 * stops on `signal`; after an abort, a rejected `next()` is the stop, not a
 * failure, and `return()` is awaited.
 */
async function runCancellable<T>(
  source: PipeSource<T>,
  each: (item: T, signal: AbortSignal) => unknown,
  signal: AbortSignal,
): Promise<void> {
  const log = logger("onebot");
  const iterator = start(() => source(signal));
  if (iterator === undefined) return;
  // return() at once, as the other forms do (it ends a pending next() of a hand-written
  // iterator; an async generator queues it), but awaited before the loop ends.
  let closing: Promise<unknown> | undefined;
  const finish = () => closing ??= settle(() => iterator.return?.());
  signal.addEventListener("abort", finish, { once: true });
  try {
    await loopCancellable(iterator, each, signal);
  } finally {
    signal.removeEventListener("abort", finish);
  }
  if (!signal.aborted) return;
  try {
    await finish();
  } catch (error) {
    log.warn("An event pipe's source failed to stop: {error}", { error });
  }
}

/** The items of a cancellable source, until it ends, fails or `signal` aborts. */
async function loopCancellable<T>(
  iterator: AsyncIterator<T>,
  each: (item: T, signal: AbortSignal) => unknown,
  signal: AbortSignal,
): Promise<void> {
  const log = logger("onebot");
  for (let index = 0; !signal.aborted; index++) {
    let step: IteratorResult<T>;
    try {
      step = await iterator.next();
    } catch (error) {
      if (signal.aborted) return;
      log.error("An event pipe stopped: its source failed after {index} items: {error}", {
        index,
        error,
      });
      return;
    }
    if (!isIteratorResult(step)) return notAResult(index);
    if (step.done === true) {
      if (!signal.aborted) {
        log.warn("An event pipe stopped: its source ended after {index} items", { index });
      }
      return;
    }
    try {
      await each(step.value, signal);
    } catch (error) {
      if (!signal.aborted) {
        log.error("An event pipe skipped item {index}: {error}", { index, error });
      }
    }
  }
}

/** Whether a source's `next()` gave an iterator result (a hand-written one may not). */
function isIteratorResult<T>(step: unknown): step is IteratorResult<T> {
  return typeof step === "object" && step !== null;
}

/** Logs a source whose `next()` gave something else than an iterator result; the pipe stops. */
function notAResult(index: number): void {
  logger("onebot").error(
    "An event pipe stopped: its source's next() gave no iterator result after {index} items",
    { index },
  );
}

/** The source's iterator, or `undefined` (logged) when it cannot give one. */
function start<T>(source: () => AsyncIterable<T>): AsyncIterator<T> | undefined {
  try {
    return source()[Symbol.asyncIterator]();
  } catch (error) {
    logger("onebot").error(
      "An event pipe did not start: its source is not async iterable: {error}",
      { error },
    );
    return undefined;
  }
}

/** Runs `call` as a promise whose rejection is handled even when the race has moved on. */
function settle<R>(call: () => R): Promise<Awaited<R>> {
  try {
    const promise = Promise.resolve(call());
    promise.catch(() => {});
    return promise;
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Tells the source to stop (an async generator runs its `finally`); never waits for it. */
function close(iterator: AsyncIterator<unknown>): void {
  settle(() => iterator.return?.()).catch((error: unknown) =>
    logger("onebot").warn("An event pipe's source failed to stop: {error}", { error })
  );
}
