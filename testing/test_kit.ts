/**
 * An in-process fake application for unit tests of an implementation: call
 * actions and record events without opening a socket.
 *
 * @module
 */

import type { ActionResponse, ActionSpec, DefinedAction, WithActions } from "../action/types.ts";
import type { StandardActions } from "../action/standard.ts";
import { decodeMsgpack, encodeMsgpack, type Encoding, MEDIA_TYPE } from "../connection/codec.ts";
import type { Event } from "../event/types.ts";
import { createOneBot, type OneBot, type OneBotOptions } from "../onebot.ts";

/**
 * Options of {@linkcode createTestKit}: those of {@linkcode createOneBot}
 * without the network connections, which the kit replaces.
 *
 * @typeParam M The action table the handlers are checked against.
 * @typeParam A The actions of `defineAction`, inferred from `actions`.
 *
 * @example
 * ```ts
 * import type { TestKitOptions } from "@libob/libob/testing";
 *
 * const options: TestKitOptions = { impl: "my-impl", version: "1.0.0", handlers: {} };
 * ```
 */
export type TestKitOptions<
  M extends { [K in keyof M]: ActionSpec } = StandardActions,
  A extends readonly DefinedAction[] = readonly DefinedAction[],
> = Omit<
  OneBotOptions<M, A>,
  "http" | "websocket" | "httpWebhook" | "websocketReverse" | "accessToken"
>;

/**
 * How {@linkcode TestKit.call} sends a request.
 *
 * @example
 * ```ts
 * import type { CallOptions } from "@libob/libob/testing";
 *
 * const options: CallOptions = { echo: "1", encoding: "msgpack" };
 * ```
 */
export interface CallOptions {
  /** The request's `self`. */
  self?: { platform: string; user_id: string };
  /** The request's `echo`. */
  echo?: string;
  /** The body encoding. Default `json`. */
  encoding?: Encoding;
}

/**
 * The fake application.
 *
 * @typeParam M The action table, for typed `call`s.
 *
 * @example
 * ```ts
 * import type { TestKit } from "@libob/libob/testing";
 *
 * const count = (kit: TestKit) => kit.received.length;
 * ```
 */
export interface TestKit<M extends { [A in keyof M]: ActionSpec } = StandardActions>
  extends AsyncDisposable {
  /** The implementation under test. */
  onebot: OneBot;
  /**
   * Calls an action through the real HTTP handler in-process (envelope,
   * validation, router, encoding), and returns the decoded response.
   */
  call<A extends keyof M & string>(
    action: A,
    params: M[A]["params"],
    options?: CallOptions,
  ): Promise<ActionResponse<M[A]["data"]>>;
  /** Sends any value as a JSON request body, for malformed-input tests. */
  callRaw(body: unknown): Promise<ActionResponse>;
  /**
   * What a push connection (a WebSocket or webhook) received since the kit
   * was created or last cleared: `meta.connect` and `meta.status_update`
   * first (META-C2), then every emitted event.
   */
  readonly received: readonly Event[];
  /** `received` without meta events. */
  readonly events: readonly Event[];
  /** What `get_latest_events` returns now over HTTP (consumes them, §3.1). */
  latestEvents(): Promise<Event[]>;
  /** Forgets what was received. */
  clear(): void;
}

/**
 * Creates a test kit around a new OneBot built from `options`. Inline
 * handlers are checked as by `createOneBot`, and `call` knows the table's
 * actions and the `actions` of `defineAction`.
 *
 * @typeParam M The action table; `StandardActions` by default.
 * @typeParam A The defined actions, inferred from `actions`.
 * @param options The OneBot options without network connections.
 * @returns The kit; `await using` disposes the OneBot.
 *
 * @example Testing a handler and an emitted event
 * ```ts
 * import { createEvent, ok } from "@libob/libob";
 * import { createTestKit } from "@libob/libob/testing";
 * import { expect } from "expect";
 *
 * const self = { platform: "demo", user_id: "bot" };
 * await using kit = createTestKit({
 *   impl: "my-impl",
 *   version: "1.0.0",
 *   bots: [{ self, online: true }],
 *   handlers: {
 *     get_self_info: () => ok({ user_id: "bot", user_name: "Bot", user_displayname: "" }),
 *   },
 * });
 * const response = await kit.call("get_self_info", {});
 * expect(response.data.user_name).toBe("Bot");
 *
 * kit.onebot.emit(createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: "2" }));
 * expect(kit.received[0]!.detail_type).toBe("connect");
 * expect(kit.events.map((e) => e.detail_type)).toEqual(["friend_increase"]);
 * ```
 */
export function createTestKit<
  M extends { [K in keyof M]: ActionSpec } = StandardActions,
  A extends readonly DefinedAction[] = readonly DefinedAction[],
>(options: TestKitOptions<M, A>): TestKit<WithActions<M, A>> {
  const onebot = createOneBot({
    ...options,
    http: { eventBufferSize: 0 },
    websocket: false,
    httpWebhook: [],
    websocketReverse: [],
  });
  let received: Event[] = [];
  const attachment = onebot.attach({
    emit: (event) => void received.push(structuredClone(event)),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  });

  async function post(body: unknown, encoding: Encoding): Promise<ActionResponse> {
    const response = await onebot.fetch(
      new Request("http://libob.test/", {
        method: "POST",
        headers: { "Content-Type": MEDIA_TYPE[encoding] },
        body: encoding === "json" ? JSON.stringify(body) : encodeMsgpack(body),
      }),
    );
    if (response.status !== 200) {
      throw new Error(`the HTTP handler answered ${response.status}: ${await response.text()}`);
    }
    return encoding === "json"
      ? await response.json()
      : decodeMsgpack(await response.bytes()) as ActionResponse;
  }

  return {
    onebot,
    async call(action, params, callOptions = {}) {
      const request: Record<string, unknown> = { action, params };
      if (callOptions.echo !== undefined) request.echo = callOptions.echo;
      if (callOptions.self !== undefined) request.self = callOptions.self;
      return await post(request, callOptions.encoding ?? "json") as ActionResponse<never>;
    },
    callRaw: (body) => post(body, "json"),
    get received() {
      return received;
    },
    get events() {
      return received.filter((event) => event.type !== "meta");
    },
    async latestEvents() {
      const response = await post({ action: "get_latest_events", params: {} }, "json");
      return response.data as Event[];
    },
    clear() {
      received = [];
    },
    async [Symbol.asyncDispose]() {
      attachment[Symbol.dispose]();
      await onebot[Symbol.asyncDispose]();
    },
  };
}
