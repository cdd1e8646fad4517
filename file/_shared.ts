/**
 * What the file action modules share: the params check, the store calls and
 * the one way a file is hashed and stored. Private: not exported from
 * `mod.ts`.
 *
 * @module
 */

import type { Log } from "../_log.ts";
import { failed, isFailure } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import type { StandardActions } from "../action/standard.ts";
import type { Failure } from "../action/types.ts";
import { STANDARD_VALIDATORS } from "../action/validate.ts";
import { FILE_RETCODE } from "./retcode.ts";
import { sha256Hex } from "./sha256.ts";
import type { FileStore } from "./store.ts";

/** The four file actions. */
type FileAction = "upload_file" | "upload_file_fragmented" | "get_file" | "get_file_fragmented";

/**
 * The params of a file action, checked and converted by its standard
 * validator (`bytes` to `Uint8Array`, `sha256` lowercased), so the handlers
 * are safe when the router's validators are turned off; once validated, a
 * second run is cheap and changes nothing.
 */
export function checkParams<A extends FileAction>(
  action: A,
  params: unknown,
): StandardActions[A]["params"] | Failure {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    return failed(RETCODE.BAD_PARAM, "params: expected an object");
  }
  return STANDARD_VALIDATORS[action](params as Record<string, unknown>) as
    | StandardActions[A]["params"]
    | Failure;
}

/** The store and the size limit, with the store calls every action makes. */
export interface FileContext {
  readonly store: FileStore;
  /** The largest file in bytes, never more than the store's capacity. */
  readonly maxFileSize: number;
  readonly log: Log;
  /** Runs a store call: a failure record passes through, anything else is 32002. */
  fromStore<T>(what: string, run: () => Promise<T>): Promise<T | Failure>;
  /** Hashes, checks the expected digest (lowercase), and stores. */
  save(name: string, data: Uint8Array, expected?: string): Promise<{ file_id: string } | Failure>;
}

/** Builds the {@linkcode FileContext}. */
export function createFileContext(store: FileStore, maxFileSize: number, log: Log): FileContext {
  async function fromStore<T>(what: string, run: () => Promise<T>): Promise<T | Failure> {
    try {
      return await run();
    } catch (error) {
      if (isFailure(error)) return error;
      log.error("The file store failed to {what}: {error}", { what, error });
      return failed(FILE_RETCODE.STORE_FAILED, `the file store failed to ${what}`);
    }
  }
  async function save(
    name: string,
    data: Uint8Array,
    expected?: string,
  ): Promise<{ file_id: string } | Failure> {
    const sha256 = await sha256Hex(data);
    if (expected !== undefined && expected !== "" && expected !== sha256) {
      return failed(
        FILE_RETCODE.SHA256_MISMATCH,
        `sha256 mismatch: expected ${expected}, the content has ${sha256}`,
      );
    }
    const record = await fromStore("store a file", () => store.put({ name, data, sha256 }));
    if (isFailure(record)) return record;
    return { file_id: record.id };
  }
  return { store, maxFileSize, log, fromStore, save };
}

/** The 10004 answer for a file over `limit` bytes. */
export function tooLarge(size: number, limit: number): Failure {
  return failed(RETCODE.UNSUPPORTED_PARAM, `file too large: ${size} bytes, the limit is ${limit}`);
}

/** Throws the factory's `TypeError` unless `value` is a function. */
export function checkFunction(where: string, name: string, value: unknown): void {
  if (typeof value !== "function") {
    throw new TypeError(`${where}: ${name} must be a function: current type is ${typeof value}`);
  }
}
