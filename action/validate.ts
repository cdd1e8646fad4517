/**
 * Param validation: the validators of every standard action (checklist §4,
 * §3.1, ENC-01, MSG-02, §6.3, EXT-14), and any Standard Schema as a
 * validator for your own actions.
 *
 * @module
 */

import { clip } from "../_text.ts";
import * as v from "valibot";
import {
  createMessageValidator,
  type MessageValidator,
  type SegmentSupport,
} from "./segment_validate.ts";
import { failed, isFailure } from "./result.ts";
import { RETCODE } from "./retcode.ts";
import type { ParamsValidator } from "./router.ts";
import { NO_PARAMS, PARAMS_SCHEMAS, UNSUPPORTED_VALUE_CHECKS } from "./schemas.ts";
import { sendMessageFast } from "./_send_message_fast.ts";
import type { StandardActions } from "./standard.ts";
import type { Failure } from "./types.ts";

/**
 * A schema of any library that implements Standard Schema v1
 * (https://standardschema.dev): valibot, zod, arktype… The interface is
 * copied, as the standard intends, so libob depends on none of them.
 *
 * @typeParam Input The input type.
 * @typeParam Output The output type.
 *
 * @example
 * ```ts
 * import type { StandardSchemaV1 } from "@libob/libob";
 *
 * const nonEmpty: StandardSchemaV1<unknown, { text: string }> = {
 *   "~standard": {
 *     version: 1,
 *     vendor: "example",
 *     validate: (value) =>
 *       typeof value === "object" && value !== null &&
 *         typeof (value as { text?: unknown }).text === "string"
 *         ? { value: value as { text: string } }
 *         : { issues: [{ message: "expected a string", path: ["text"] }] },
 *   },
 * };
 * ```
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The standard's properties. */
  readonly "~standard": {
    /** The version of the standard: 1. */
    readonly version: 1;
    /** The schema library, e.g. `valibot`. */
    readonly vendor: string;
    /** Validates a value; may be asynchronous. */
    readonly validate: (
      value: unknown,
    ) => StandardSchemaV1Result<Output> | Promise<StandardSchemaV1Result<Output>>;
    /** The inferred types, for type-level use only. */
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/**
 * The result of a Standard Schema validation: the output value, or the issues.
 *
 * @typeParam Output The output type.
 *
 * @example
 * ```ts
 * import type { StandardSchemaV1Result } from "@libob/libob";
 *
 * const result: StandardSchemaV1Result<number> = { issues: [{ message: "too small" }] };
 * ```
 */
export type StandardSchemaV1Result<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaV1Issue> };

/**
 * One issue of a failed Standard Schema validation.
 *
 * @example
 * ```ts
 * import type { StandardSchemaV1Issue } from "@libob/libob";
 *
 * const issue: StandardSchemaV1Issue = { message: "expected a string", path: ["user", { key: "id" }] };
 * ```
 */
export interface StandardSchemaV1Issue {
  /** What is wrong. */
  readonly message: string;
  /** Where: property keys, or path segments carrying a key. */
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * Options of {@linkcode createValidators}.
 *
 * @example
 * ```ts
 * import type { ValidatorsOptions } from "@libob/libob";
 *
 * const options: ValidatorsOptions = {
 *   strictParams: true,
 *   segments: { types: ["text", "image"] },
 * };
 * ```
 */
export interface ValidatorsOptions {
  /**
   * Answer 10004 for an unknown param whose name has no dot; extension params
   * such as `qq.anonymous` are always accepted (EXT-14). Default `false`:
   * unknown params are ignored and passed to the handler as they are.
   */
  strictParams?: boolean;
  /** The segments `send_message` accepts; see {@linkcode SegmentSupport}. */
  segments?: SegmentSupport;
}

/**
 * A validator for each of the 31 standard actions.
 *
 * @example
 * ```ts
 * import { STANDARD_VALIDATORS, type StandardValidators } from "@libob/libob";
 *
 * const validators: StandardValidators = STANDARD_VALIDATORS;
 * ```
 */
export type StandardValidators = { readonly [A in keyof StandardActions]: ParamsValidator };

/**
 * Builds the validators of the 31 standard actions (§4.6), for the
 * `validators` option of {@linkcode createActionRouter} (`createOneBot` uses
 * them by default). Each one checks and converts the params, so a handler
 * receives exactly its {@linkcode StandardActions} params type, and answers:
 *
 * - 10003 for the first missing or mistyped param, naming it:
 *   `"group_id: is required when detail_type is group"`,
 *   `"offset: expected a non-negative safe integer, received -1"`. This covers
 *   the conditional requirements (`send_message` ids by `detail_type`,
 *   `upload_file` `url`/`path`/`data` by `type`), an unknown `stage` of the
 *   fragmented file actions, and int64 sizes and offsets, which must be
 *   non-negative safe integers;
 * - 10004 for a `detail_type` (`send_message`) or `type` (`upload_file`,
 *   `get_file`) that is neither standard nor a prefixed extension, and, with
 *   `strictParams`, for an unknown param without a dot;
 * - 10003/10005/10006/10007 for the `message` of `send_message`, as
 *   {@linkcode createMessageValidator} describes.
 *
 * It converts: `bytes` (a MessagePack bin or a Base64 string, standard or
 * URL-safe, padded or not; ENC-01) to a `Uint8Array`; `message` in any MSG-02
 * form to a list; missing defaults (`joined_only: false`; `limit` and
 * `timeout` 0); a `sha256` to lowercase. The transfer stage's obsolete `size`
 * (#230) is dropped. Unknown params are kept for the handler (EXT-14).
 *
 * @param options `strictParams` and the declared segment support.
 * @returns One validator per standard action.
 * @throws {TypeError} When an option has the wrong type.
 *
 * @example Rejecting a group message without group_id
 * ```ts
 * import { createValidators } from "@libob/libob";
 * import { expect } from "expect";
 *
 * const validators = createValidators({ strictParams: true });
 * expect(validators.send_message({ detail_type: "group", message: "hi" })).toMatchObject({
 *   retcode: 10003,
 *   message: "group_id: is required when detail_type is group",
 * });
 * expect(validators.get_channel_list({ guild_id: "1" })).toEqual({
 *   guild_id: "1",
 *   joined_only: false,
 * });
 * ```
 */
export function createValidators(options: ValidatorsOptions = {}): StandardValidators {
  const { strictParams = false, segments } = options;
  if (typeof strictParams !== "boolean") {
    throw new TypeError(
      `Cannot create validators: strictParams must be a boolean: current type is ${typeof strictParams}`,
    );
  }
  const validateMessage = createMessageValidator(segments);
  const validators = {} as Record<keyof StandardActions, ParamsValidator>;
  for (const action of Object.keys(PARAMS_SCHEMAS) as (keyof StandardActions)[]) {
    validators[action] = standardValidator(
      PARAMS_SCHEMAS[action],
      strictParams,
      action === "send_message" ? validateMessage : undefined,
      action === "send_message"
        ? sendMessageFast
        : PARAMS_SCHEMAS[action] === NO_PARAMS
        ? emptyParamsFast
        : undefined,
    );
  }
  return validators;
}

/**
 * The validators of the 31 standard actions with the default options:
 * unknown params ignored, the ten standard segment types supported.
 *
 * @example
 * ```ts
 * import { STANDARD_VALIDATORS } from "@libob/libob";
 * import { expect } from "expect";
 *
 * expect(STANDARD_VALIDATORS.upload_file_fragmented({
 *   stage: "transfer",
 *   file_id: "f",
 *   offset: 0,
 *   data: "aGk=",
 * })).toEqual({ stage: "transfer", file_id: "f", offset: 0, data: new Uint8Array([104, 105]) });
 * ```
 */
export const STANDARD_VALIDATORS: StandardValidators = Object.freeze(createValidators());

/**
 * Turns any Standard Schema v1 schema (valibot, zod, arktype…) into a
 * validator for the router. The schema's output becomes the handler's
 * params; its first issue becomes 10003 with the message
 * `"<dotted.path>: <issue message>"`. Asynchronous schemas are awaited by
 * the router. For an extended action, {@linkcode defineAction} uses it and
 * keeps name, schema and handler together; use it directly for the
 * `validators` option.
 *
 * @param schema The schema of the action's params.
 * @returns The validator.
 * @throws {TypeError} When `schema` has no `~standard.validate` function.
 *
 * @example Validating an extended action's params with valibot
 * ```ts
 * import { createActionRouter, ok, schemaValidator } from "@libob/libob";
 * import * as v from "valibot";
 * import { expect } from "expect";
 *
 * const router = createActionRouter({
 *   handlers: { "demo.repeat": ({ times }: { times: number }) => ok("ha".repeat(times)) },
 *   bots: () => [{ platform: "demo", user_id: "bot" }],
 *   validators: { "demo.repeat": schemaValidator(v.object({ times: v.number() })) },
 * });
 * const response = await router(
 *   { action: "demo.repeat", params: { times: "2" } },
 *   { connection: "http" },
 * );
 * expect(response.retcode).toBe(10003);
 * expect(response.message).toMatch(/^times: /);
 * ```
 */
export function schemaValidator(schema: StandardSchemaV1): ParamsValidator {
  const validate = schema?.["~standard"]?.validate;
  if (typeof validate !== "function") {
    throw new TypeError(
      "Cannot create schema validator: schema must implement Standard Schema v1 (~standard.validate)",
    );
  }
  return function validateParams(params) {
    const result = validate(params);
    return result instanceof Promise ? result.then(outcome) : outcome(result);
  };
}

function outcome(result: StandardSchemaV1Result<unknown>): unknown {
  if (result.issues === undefined) return result.value;
  const issue = result.issues[0];
  if (issue === undefined) return failed(RETCODE.BAD_PARAM, "params: invalid");
  const path = (issue.path ?? [])
    .map((segment) => String(typeof segment === "object" ? segment.key : segment))
    .join(".");
  return failed(RETCODE.BAD_PARAM, `${path === "" ? "params" : path}: ${issue.message}`);
}

const PARSE_CONFIG = { abortEarly: true } as const;

function standardValidator(
  schema: v.GenericSchema<unknown, unknown>,
  strictParams: boolean,
  validateMessage: MessageValidator | undefined,
  fast?: (params: Record<string, unknown>) => Record<string, unknown> | undefined,
): ParamsValidator {
  const knownKeys = knownKeysOf(schema);
  /** The schema's output, by the hand-written check when it takes the params. */
  function parse(params: Record<string, unknown>): v.SafeParseResult<typeof schema> {
    const output = fast?.(params);
    if (output !== undefined) return { typed: true, success: true, output, issues: undefined };
    return v.safeParse(schema, params, PARSE_CONFIG);
  }
  return function validateStandardParams(params) {
    const result = parse(params);
    if (!result.success) return issueFailure(result.issues[0]);
    if (strictParams) {
      const known = knownKeys(params);
      for (const key of Object.keys(params)) {
        if (known !== undefined && !known.has(key) && !key.includes(".")) {
          return failed(RETCODE.UNSUPPORTED_PARAM, `${clip(key)}: unsupported param`);
        }
      }
    }
    if (validateMessage === undefined) return result.output;
    const output = result.output as Record<string, unknown>;
    const message = validateMessage(output.message);
    if (isFailure(message)) return message;
    return { ...output, message };
  };
}

/**
 * The output of an action without params for `{}`, which nearly every such
 * request carries, without the schema (a new object, as the schema's is);
 * anything else goes to the schema.
 */
function emptyParamsFast(params: Record<string, unknown>): Record<string, unknown> | undefined {
  for (const _ in params) return undefined;
  return {};
}

/** A valibot issue, as far as {@linkcode issueFailure} reads it. */
type Issue = v.BaseIssue<unknown>;

/** The first issue as a 10003 (or 10004) failure naming the field. */
function issueFailure(issue: Issue): Failure {
  const path = v.getDotPath(issue) ?? "params";
  const retcode = issue.kind === "validation" && UNSUPPORTED_VALUE_CHECKS.has(issue.requirement)
    ? RETCODE.UNSUPPORTED_PARAM
    : RETCODE.BAD_PARAM;
  return failed(retcode, `${clip(path)}: ${reason(issue)}`);
}

function reason(issue: Issue): string {
  if (issue.kind !== "schema") return issue.message;
  const expected = unwrap(issue.expected ?? "");
  if (issue.input === undefined) {
    return issue.type === "variant" ? `is required: expected ${expected}` : "is required";
  }
  return `expected ${expected}, received ${clip(issue.received)}`;
}

/** `("a" | "b")` → `"a" | "b"`. */
function unwrap(expected: string): string {
  return expected.startsWith("(") && expected.endsWith(")") ? expected.slice(1, -1) : expected;
}

/**
 * The param names a schema declares, for `strictParams`: an object's entries,
 * or for a `variant` (`stage`), the entries of the option the params select.
 */
function knownKeysOf(
  schema: unknown,
): (params: Record<string, unknown>) => ReadonlySet<string> | undefined {
  const s = schema as {
    type?: string;
    entries?: Record<string, unknown>;
    key?: string;
    options?: readonly { entries?: Record<string, { literal?: unknown }> }[];
  };
  if (s.entries !== undefined) {
    const keys: ReadonlySet<string> = new Set(Object.keys(s.entries));
    return () => keys;
  }
  if (s.type === "variant" && s.key !== undefined && s.options !== undefined) {
    const key = s.key;
    const byValue = new Map<unknown, ReadonlySet<string>>();
    for (const option of s.options) {
      const entries = option.entries ?? {};
      byValue.set(entries[key]?.literal, new Set(Object.keys(entries)));
    }
    return (params) => byValue.get(params[key]);
  }
  return () => undefined;
}
