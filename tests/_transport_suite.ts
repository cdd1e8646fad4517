/**
 * One action-semantics suite run over every transport (design.md §10, like
 * std's `testRouter`): the envelope, the retcodes and `echo` (§2.2–2.4).
 * A transport supplies `open`, which starts an implementation built from
 * {@linkcode suiteOptions} and returns a way to send one action.
 *
 * @module
 */

import { expect } from "expect";
import { ok } from "../action/result.ts";
import type { StandardActions } from "../action/standard.ts";
import type { ActionResponse } from "../action/types.ts";
import type { OneBotOptions } from "../onebot.ts";

/** The bot every suite implementation serves. */
export const SUITE_SELF = { platform: "suite", user_id: "bot" } as const;

/** How a transport sends one action and gets its response. */
export interface TransportCaller {
  /** Sends `request` (any JSON value) and resolves with its response. */
  call(request: unknown): Promise<ActionResponse>;
  /** Stops the implementation and closes the connection. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** The actions of {@linkcode suiteOptions}: the standard ones plus a few that misbehave. */
export type SuiteActions = StandardActions & {
  echo_params: { params: Record<string, unknown>; data: Record<string, unknown> };
  nothing: { params: Record<string, never>; data: null };
  explode: { params: Record<string, never>; data: never };
  bad_result: { params: Record<string, never>; data: never };
};

/**
 * The `createOneBot` options every transport uses (its connections are the
 * transport's business): one bot and a few handlers that misbehave on
 * purpose.
 */
export function suiteOptions(): OneBotOptions<SuiteActions> {
  return {
    impl: "suite-impl",
    version: "9.8.7",
    bots: [{ self: { ...SUITE_SELF }, online: true }],
    handlers: {
      echo_params: (params) => ok(params),
      nothing: () => ok(null),
      explode: () => {
        throw new Error("kaboom");
      },
      bad_result: () => 42 as never,
    },
  };
}

const ENVELOPE_KEYS = ["data", "message", "retcode", "status"];

/** Checks the four fields every response has (RESP-01, RESP-02). */
function expectEnvelope(response: ActionResponse): void {
  expect(Object.keys(response).filter((key) => key !== "echo").sort()).toEqual(ENVELOPE_KEYS);
  expect(Number.isSafeInteger(response.retcode)).toBe(true);
  expect(typeof response.message).toBe("string");
  if (response.retcode === 0) {
    expect(response.status).toBe("ok");
    expect(response.message).toBe("");
  } else {
    expect(response.status).toBe("failed");
  }
}

/**
 * Registers the suite's `Deno.test` cases for one transport.
 *
 * @param name The transport, shown in each test name.
 * @param open Starts an implementation from {@linkcode suiteOptions} and connects to it.
 */
export function transportSuite(name: string, open: () => Promise<TransportCaller>): void {
  function test(title: string, body: (caller: TransportCaller) => Promise<void>): void {
    Deno.test(`transportSuite(${name}) ${title}`, async () => {
      await using caller = await open();
      await body(caller);
    });
  }

  test("answers with the full envelope on success (RESP-01, RESP-02)", async (caller) => {
    const response = await caller.call({ action: "echo_params", params: { a: [1, "x"] } });
    expectEnvelope(response);
    expect(response).toEqual({ status: "ok", retcode: 0, data: { a: [1, "x"] }, message: "" });
  });

  test("answers data null for an action with no data (RESP-01)", async (caller) => {
    const response = await caller.call({ action: "nothing", params: {}, echo: "n" });
    expect(response).toEqual({ status: "ok", retcode: 0, data: null, message: "", echo: "n" });
  });

  test("answers 10001 for a malformed envelope (REQ-01)", async (caller) => {
    const cases: unknown[] = [
      { params: {}, echo: "missing action" },
      { action: 7, params: {}, echo: "number action" },
      { action: "echo_params", echo: "missing params" },
      { action: "echo_params", params: [], echo: "array params" },
      { action: "echo_params", params: null, echo: "null params" },
      { action: "echo_params", params: "x", echo: "string params" },
    ];
    for (const request of cases) {
      const response = await caller.call(request);
      expectEnvelope(response);
      expect(response).toMatchObject({
        status: "failed",
        retcode: 10001,
        data: null,
        echo: (request as { echo: string }).echo,
      });
    }
  });

  test("answers 10001 for a body that is not an object (REQ-01, HTTP-11, WS-09)", async (caller) => {
    for (const body of [[], ["get_version"], "get_version", 12, null, true]) {
      const response = await caller.call(body);
      expectEnvelope(response);
      expect(response.retcode).toBe(10001);
      expect(response).not.toHaveProperty("echo");
    }
  });

  test("answers 10002 for an unknown action (§2.4)", async (caller) => {
    const response = await caller.call({ action: "no_such_action", params: {}, echo: "u" });
    expectEnvelope(response);
    expect(response).toMatchObject({ status: "failed", retcode: 10002, echo: "u" });
  });

  test("returns echo unchanged (§2.3)", async (caller) => {
    for (const echo of ["1", "with space", "ünïcødé ✓", '{"json":true}', "x".repeat(300)]) {
      const response = await caller.call({ action: "echo_params", params: {}, echo });
      expect(response.echo).toBe(echo);
    }
  });

  test("leaves echo out when the request has none, never echo null (§2.3)", async (caller) => {
    const response = await caller.call({ action: "echo_params", params: {} });
    expect(response).not.toHaveProperty("echo");
    const failure = await caller.call({ action: "no_such_action", params: {} });
    expect(failure).not.toHaveProperty("echo");
  });

  test("answers 20002 when a handler throws, without a stack (RESP-03)", async (caller) => {
    const response = await caller.call({ action: "explode", params: {}, echo: "e" });
    expectEnvelope(response);
    expect(response).toMatchObject({ status: "failed", retcode: 20002, data: null, echo: "e" });
    expect(response.message).not.toMatch(/\n\s*at /);
    expect(response.message).not.toContain("Error:");
  });

  test("answers 20001 when a handler returns no result (RESP-03)", async (caller) => {
    const response = await caller.call({ action: "bad_result", params: {}, echo: "b" });
    expectEnvelope(response);
    expect(response).toMatchObject({ status: "failed", retcode: 20001, echo: "b" });
  });

  test("answers get_version with the implementation's identity (§3.3)", async (caller) => {
    const response = await caller.call({ action: "get_version", params: {}, echo: "v" });
    expect(response).toEqual({
      status: "ok",
      retcode: 0,
      data: { impl: "suite-impl", version: "9.8.7", onebot_version: "12" },
      message: "",
      echo: "v",
    });
  });

  test("answers 10102 for an unknown self (REQ-04, REQ-05)", async (caller) => {
    const response = await caller.call({
      action: "echo_params",
      params: {},
      self: { platform: "suite", user_id: "someone else" },
      echo: "s",
    });
    expectEnvelope(response);
    expect(response).toMatchObject({ status: "failed", retcode: 10102, echo: "s" });
    const known = await caller.call({
      action: "echo_params",
      params: {},
      self: { ...SUITE_SELF },
    });
    expect(known.retcode).toBe(0);
  });
}
