/**
 * An HTTP request's context whose `signal`, and its `AbortController`, is
 * made on first read: the HTTP handler answers an action that read it (it
 * may wait) in a streamed body, and awaits any other. The accessor lives on a
 * shared prototype: an object literal with a getter costs far more per
 * request than the whole routing.
 *
 * @module
 */

import type { RequestContext } from "../action/types.ts";

/** The controller, once `signal` was read. */
export const ABORT: unique symbol = Symbol("abort");
/** Called once, when `signal` is first read. */
export const ON_READ: unique symbol = Symbol("on read");

/** A {@linkcode RequestContext} whose `signal` is made on first read. */
export interface LazySignalContext extends RequestContext {
  [ABORT]: AbortController | undefined;
  [ON_READ]: (() => void) | undefined;
}

const LAZY_SIGNAL = {
  get signal(): AbortSignal {
    const context = this as unknown as LazySignalContext;
    let abort = context[ABORT];
    if (abort === undefined) {
      abort = context[ABORT] = new AbortController();
      context[ON_READ]?.();
    }
    return abort.signal;
  },
};

/** A new HTTP request context, its signal not made yet. */
export function lazySignalContext(): LazySignalContext {
  const context = Object.create(LAZY_SIGNAL) as LazySignalContext;
  context.connection = "http";
  context[ABORT] = undefined;
  context[ON_READ] = undefined;
  return context;
}
