/**
 * Event pipes: a loop that feeds the items of an async iterable (a platform's
 * event stream) to a callback until stopped, behind `OneBot.pipe`. A bad
 * item is logged and skipped; a failed or ended source is logged; stopping
 * calls the iterator's `return()`. Nothing is ever thrown out of the loop.
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

/** The pipes of one OneBot: started by `pipe`, all stopped by dispose. */
export interface PipeGroup extends AsyncDisposable {
  /** Starts feeding `source` to `each`; after dispose, a pipe that is done at once. */
  pipe<T>(source: AsyncIterable<T>, each: (item: T) => unknown): EventPipe;
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
      const done = runPipe(source, each, stopped);
      const entry = { stop: () => resolve(STOP), done };
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
  let iterator: AsyncIterator<T>;
  try {
    iterator = source[Symbol.asyncIterator]();
  } catch (error) {
    log.error("An event pipe did not start: its source is not async iterable: {error}", { error });
    return;
  }
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
