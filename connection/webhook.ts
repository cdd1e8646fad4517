/**
 * HTTP Webhook (checklist §1.2). STUB: to be implemented.
 *
 * @module
 */

import type { ActionRouter } from "../action/types.ts";
import type { EventSink } from "./types.ts";

/**
 * Options of {@linkcode createWebhookEmitter}.
 *
 * @example
 * ```ts
 * import type { WebhookOptions } from "@libob/libob";
 *
 * const options: WebhookOptions = { url: "http://127.0.0.1:8080/onebot", impl: "demo" };
 * ```
 */
export interface WebhookOptions {
  /** Where events are POSTed. */
  url: string;
  /** The implementation name, sent as `X-Impl` (WH-05). */
  impl: string;
  /** The access token, sent as `Authorization: Bearer …` (WH-06). */
  accessToken?: string;
  /** Request timeout in milliseconds; `0` = none (WH-08). Default 5000. */
  timeout?: number;
}

/**
 * Creates a webhook emitter for one URL.
 *
 * @param _router The router that runs actions returned in 200 replies (WH-10).
 * @param options URL, impl, token and timeout.
 * @returns The event sink; dispose it to drain in-flight POSTs.
 *
 * @example
 * ```ts
 * import type { createWebhookEmitter } from "@libob/libob";
 * ```
 */
export function createWebhookEmitter(_router: ActionRouter, options: WebhookOptions): EventSink {
  void options;
  return { emit() {}, [Symbol.asyncDispose]: () => Promise.resolve() };
}
