/**
 * An in-process fake application for unit tests of an implementation: call
 * actions and wait for events without opening a socket, around a new OneBot
 * or an existing one (a bridge's).
 *
 * @module
 */

import type { ActionResponse, ActionSpec, DefinedAction, WithActions } from "../action/types.ts";
import type { StandardActions } from "../action/standard.ts";
import {
  decodeMsgpack,
  encodeJson,
  encodeMsgpack,
  type Encoding,
  MEDIA_TYPE,
} from "../connection/codec.ts";
import type { Event } from "../event/types.ts";
import { createOneBot, type OneBot, type OneBotOptions } from "../onebot.ts";
import {
  createMailbox,
  type EventPredicate,
  type EventWaits,
  type NextEventOptions,
} from "./_mailbox.ts";

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
 * Options of {@linkcode createTestKit} around an existing OneBot.
 *
 * @example
 * ```ts
 * import type { TestKitSourceOptions } from "@libob/libob/testing";
 *
 * const options: TestKitSourceOptions = { accessToken: "s3cret" };
 * ```
 */
export interface TestKitSourceOptions {
  /** The OneBot's HTTP access token, sent with every call (HTTP-03). */
  accessToken?: string | undefined;
}

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
  /**
   * The body encoding. Default `json`, whose responses carry bytes as Base64
   * strings; `msgpack` returns them as `Uint8Array` (see `TestKit.call`).
   */
  encoding?: Encoding;
}

/**
 * The fake application. Its waits ({@linkcode EventWaits}) also reject when
 * the kit is disposed.
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
  extends EventWaits, AsyncDisposable {
  /** The implementation under test. */
  onebot: OneBot<M>;
  /**
   * Calls an action through the real HTTP handler in-process (envelope,
   * validation, router, encoding), and returns the decoded response.
   *
   * Bytes: `Uint8Array` params are sent as Base64 strings in JSON (ENC-01),
   * but a JSON response is returned as the wire has it: bytes in `data`
   * (`get_file` with `type: "data"`, a fragment of `get_file_fragmented`)
   * come back as Base64 strings although the table types them `Uint8Array`.
   * Call with `{ encoding: "msgpack" }` to get them as bytes. The kit does not
   * guess: the action table is a type only, and a string that happens to be
   * valid Base64 is not bytes.
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
  /** What `get_latest_events` returns now over HTTP (consumes them, §3.1). */
  latestEvents(): Promise<Event[]>;
  /** Forgets what was received, including what no wait took yet. */
  clear(): void;
}

/**
 * Creates a test kit around a new OneBot built from `options`, or around an
 * existing OneBot (what a bridge's factory returns). The kit owns it:
 * disposing the kit disposes the OneBot. Inline handlers are checked as by
 * `createOneBot`, and `call` knows the table's actions and the `actions` of
 * `defineAction` (for an existing OneBot, those of its type).
 *
 * @typeParam M The action table; `StandardActions` by default (for an
 * existing OneBot, its own).
 * @typeParam A The defined actions, inferred from `actions`.
 * @param source The OneBot options without network connections, or a OneBot
 * (its HTTP connection must be on).
 * @param options With an existing OneBot: its HTTP access token.
 * @returns The kit; `await using` disposes the OneBot.
 *
 * @example Testing a handler and an emitted event
 * ```ts
 * import { ok } from "@libob/libob";
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
 * kit.onebot.bot(self).emit.friendIncrease({ user_id: "2" });
 * expect(kit.received[0]!.detail_type).toBe("connect");
 * expect(await kit.nextEvent()).toMatchObject({ detail_type: "friend_increase", user_id: "2" });
 * ```
 *
 * @example Around an existing OneBot
 * ```ts
 * import { createOneBot } from "@libob/libob";
 * import { createTestKit } from "@libob/libob/testing";
 * import { expect } from "expect";
 *
 * function createBridge() {
 *   return createOneBot({ impl: "my-bridge", version: "1.0.0", handlers: {}, accessToken: "t" });
 * }
 * await using kit = createTestKit(createBridge(), { accessToken: "t" });
 * expect((await kit.call("get_version", {})).data.impl).toBe("my-bridge");
 * ```
 */
export function createTestKit<
  M extends { [K in keyof M]: ActionSpec } = StandardActions,
  A extends readonly DefinedAction[] = readonly DefinedAction[],
>(
  source: OneBot<M> | TestKitOptions<M, A>,
  options: TestKitSourceOptions = {},
): TestKit<WithActions<M, A>> {
  const onebot: OneBot<unknown> = isOneBot(source) ? source : createOneBot({
    ...source,
    http: { eventBufferSize: 0 },
    websocket: false,
    httpWebhook: [],
    websocketReverse: [],
  });
  const authorization: Record<string, string> = options.accessToken
    ? { Authorization: `Bearer ${options.accessToken}` }
    : {};
  let received: Event[] = [];
  const mailbox = createMailbox("TestKit.nextEvent");
  const attachment = onebot.attach({
    emit(event) {
      const copy = structuredClone(event);
      received.push(copy);
      mailbox.push(copy);
    },
    [Symbol.asyncDispose]: () => Promise.resolve(),
  });

  async function post(body: unknown, encoding: Encoding): Promise<ActionResponse> {
    const response = await onebot.fetch(
      new Request("http://libob.test/", {
        method: "POST",
        headers: { "Content-Type": MEDIA_TYPE[encoding], ...authorization },
        body: encoding === "json" ? encodeJson(body) : encodeMsgpack(body),
      }),
    );
    if (response.status !== 200) {
      const hint = response.status === 401
        ? " (pass the OneBot's token: createTestKit(onebot, { accessToken }))"
        : response.status === 404
        ? " (is the OneBot's HTTP connection off?)"
        : "";
      throw new Error(
        `the HTTP handler answered ${response.status}${hint}: ${await response.text()}`,
      );
    }
    return encoding === "json"
      ? await response.json()
      : decodeMsgpack(await response.bytes()) as ActionResponse;
  }

  return {
    // The type of the source, or of the OneBot built from it (createOneBot returns that type).
    onebot: onebot as OneBot<WithActions<M, A>>,
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
    nextEvent:
      ((predicate?: EventPredicate, waitOptions?: NextEventOptions) =>
        mailbox.next(predicate, waitOptions)) as TestKit<WithActions<M, A>>["nextEvent"],
    events: (predicate, waitOptions) => mailbox.iterate(predicate, waitOptions),
    async latestEvents() {
      const response = await post({ action: "get_latest_events", params: {} }, "json");
      if (response.status !== "ok") {
        throw new Error(`get_latest_events failed: ${response.retcode} ${response.message}`);
      }
      return response.data as Event[];
    },
    clear() {
      received = [];
      mailbox.clear();
    },
    async [Symbol.asyncDispose]() {
      mailbox.close("the test kit was disposed");
      attachment[Symbol.dispose]();
      await onebot[Symbol.asyncDispose]();
    },
  };
}

/** Whether `source` is a OneBot rather than options. */
function isOneBot<
  M extends { [K in keyof M]: ActionSpec },
  A extends readonly DefinedAction[],
>(
  source: OneBot<M> | TestKitOptions<M, A>,
): source is OneBot<M> {
  return typeof (source as Partial<OneBot>).fetch === "function" &&
    typeof (source as Partial<OneBot>).attach === "function";
}
