/**
 * `get_file` and `get_file_fragmented` (checklist §4.5): a stored file as
 * `data`, a `path` or a `url`, whole or in ranges. Private:
 * `createFileActions` builds them.
 *
 * @module
 */

import { failed, isFailure, ok } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import type {
  FileTransferType,
  GetFileData,
  GetFileFragmentedData,
  GetFileFragmentedParams,
} from "../action/standard.ts";
import type { ActionHandler, Failure } from "../action/types.ts";
import { checkParams, type FileContext } from "./_shared.ts";
import { clip } from "../_text.ts";
import { FILE_RETCODE } from "./retcode.ts";
import type { FileRecord } from "./store.ts";

/**
 * A URL the application can fetch a stored file from, for `get_file` with
 * `type` `url`, with the headers it must send.
 *
 * @example
 * ```ts
 * import type { FileUrl } from "@libob/libob/file";
 *
 * const link: FileUrl = { url: "https://files.example/f/1", headers: { Authorization: "Bearer t" } };
 * ```
 */
export interface FileUrl {
  /** An HTTP(S) URL of the content. */
  url: string;
  /** Headers the application must send with the request. */
  headers?: Record<string, string>;
}

/** The `urlFor` option: the URL of a stored file, or `undefined` when there is none. */
export type UrlFor = (
  file: FileRecord,
) => string | FileUrl | undefined | Promise<string | FileUrl | undefined>;

/** The two handlers that read stored files. */
export interface GetFileHandlers {
  readonly get_file: ActionHandler<{ file_id: string; type: FileTransferType }, GetFileData>;
  readonly get_file_fragmented: ActionHandler<GetFileFragmentedParams, GetFileFragmentedData>;
}

/** Builds `get_file` and `get_file_fragmented`. */
export function createGetFile(context: FileContext, urlFor: UrlFor | undefined): GetFileHandlers {
  const { store, fromStore } = context;

  /** The record of a stored file, 35001 when unknown. */
  async function lookUp(id: string): Promise<FileRecord | Failure> {
    const record = await fromStore("look up a file", () => store.get(id));
    if (isFailure(record)) return record;
    return record ?? failed(FILE_RETCODE.FILE_NOT_FOUND, `no file has file_id ${clip(id)}`);
  }

  function vanished(record: FileRecord): Failure {
    return failed(FILE_RETCODE.FILE_NOT_FOUND, `file ${clip(record.id)} was deleted`);
  }

  /** Why `type` cannot be answered, before looking the file up. */
  function unsupported(type: string): Failure | undefined {
    if (type !== "data" && type !== "path" && type !== "url") {
      return failed(RETCODE.UNSUPPORTED_PARAM, `type: unsupported value ${clip(type)}`);
    }
    if (type === "path" && store.path === undefined) {
      return failed(RETCODE.UNSUPPORTED_PARAM, "type path is not supported by this file store");
    }
    if (type === "url" && urlFor === undefined) {
      return failed(RETCODE.UNSUPPORTED_PARAM, "type url is not supported: no URL can be given");
    }
    return undefined;
  }

  async function link(record: FileRecord, find: UrlFor): Promise<GetFileData | Failure> {
    const { name, sha256 } = record;
    const found = await find(record);
    if (found === undefined) {
      return failed(RETCODE.UNSUPPORTED_PARAM, "type url is not supported for this file");
    }
    if (typeof found === "string") return { name, url: found, sha256 };
    return { name, url: found.url, ...(found.headers ? { headers: found.headers } : {}), sha256 };
  }

  async function answer(record: FileRecord, type: string): Promise<GetFileData | Failure> {
    const { id, name, sha256 } = record;
    if (type === "data") {
      const data = await fromStore("read a file", () => store.read(id));
      if (isFailure(data)) return data;
      return data === undefined ? vanished(record) : { name, data, sha256 };
    }
    if (type === "path") {
      const path = await fromStore("find a file's path", () => store.path!(id));
      if (isFailure(path)) return path;
      return path === undefined ? vanished(record) : { name, path, sha256 };
    }
    return await link(record, urlFor!);
  }

  return {
    async get_file(params) {
      const p = checkParams("get_file", params);
      if (isFailure(p)) return p;
      const refused = unsupported(p.type);
      if (refused !== undefined) return refused;
      const record = await lookUp(p.file_id);
      if (isFailure(record)) return record;
      const data = await answer(record, p.type);
      return isFailure(data) ? data : ok(data);
    },
    async get_file_fragmented(params) {
      const p = checkParams("get_file_fragmented", params);
      if (isFailure(p)) return p;
      const record = await lookUp(p.file_id);
      if (isFailure(record)) return record;
      if (p.stage === "prepare") {
        return ok({ name: record.name, total_size: record.size, sha256: record.sha256 });
      }
      const { offset, size } = p;
      if (offset + size > record.size) {
        return failed(
          RETCODE.BAD_PARAM,
          `offset: the range ${offset}+${size} ends past the file's ${record.size} bytes`,
        );
      }
      const data = await fromStore("read a file", () => store.read(record.id, { offset, size }));
      if (isFailure(data)) return data;
      return data === undefined ? vanished(record) : ok({ data });
    },
  };
}
