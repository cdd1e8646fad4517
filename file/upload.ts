/**
 * `upload_file` (checklist §4.5): a file in one request, as `data`, a `url`
 * to download, or a local `path` when allowed. Private: `createFileActions`
 * builds it.
 *
 * @module
 */

import { failed, isFailure, ok } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import type { UploadFileParams } from "../action/standard.ts";
import type { ActionHandler, Failure } from "../action/types.ts";
import { checkParams, type FileContext, tooLarge } from "./_shared.ts";
import { clip } from "../_text.ts";
import type { UrlFetcher } from "./fetch_url.ts";
import { FILE_RETCODE } from "./retcode.ts";

/** What `upload_file` needs beyond the {@linkcode FileContext}. */
export interface UploadOptions {
  readonly fetchUrl: UrlFetcher;
  readonly allowPath: boolean;
  readonly readPath: ((path: string) => Promise<Uint8Array>) | undefined;
}

/** Builds the `upload_file` handler. */
export function createUploadFile(
  context: FileContext,
  options: UploadOptions,
): ActionHandler<UploadFileParams, { file_id: string }> {
  const { maxFileSize, log, save } = context;
  const { fetchUrl, allowPath } = options;
  const readLocal = options.readPath ?? ((path: string) => readRegularFile(path, maxFileSize));

  async function readFromPath(path: string): Promise<Uint8Array | Failure> {
    if (!allowPath) {
      return failed(
        RETCODE.UNSUPPORTED_PARAM,
        "type path is not supported: this implementation does not read local files",
      );
    }
    let data: unknown;
    try {
      data = await readLocal(path);
    } catch (error) {
      if (isFailure(error)) return error;
      log.warn("Reading a local file for upload_file failed: {error}", { error });
      return failed(FILE_RETCODE.PATH_READ_FAILED, "the file at path cannot be read");
    }
    if (!(data instanceof Uint8Array)) {
      log.error("readPath resolved to something that is not a Uint8Array", {});
      return failed(FILE_RETCODE.PATH_READ_FAILED, "the file at path cannot be read");
    }
    return data.byteLength > maxFileSize ? tooLarge(data.byteLength, maxFileSize) : data;
  }

  /** The content by `type`; the validator made the matching param required. */
  function content(p: UploadFileParams): Promise<Uint8Array | Failure> | Uint8Array | Failure {
    switch (p.type) {
      case "data":
        return p.data!.byteLength > maxFileSize
          ? tooLarge(p.data!.byteLength, maxFileSize)
          : p.data!;
      case "url":
        return fetchUrl(p.url!, p.headers);
      case "path":
        return readFromPath(p.path!);
      default:
        return failed(RETCODE.UNSUPPORTED_PARAM, `type: unsupported value ${clip(p.type)}`);
    }
  }

  return async function uploadFile(params) {
    const p = checkParams("upload_file", params);
    if (isFailure(p)) return p;
    const data = await content(p);
    if (isFailure(data)) return data;
    const saved = await save(p.name, data, p.sha256);
    return isFailure(saved) ? saved : ok(saved);
  };
}

/**
 * The default `readPath`: regular files only, at most `maxSize` bytes, read
 * through one handle so the checks and the read see the same file.
 */
async function readRegularFile(path: string, maxSize: number): Promise<Uint8Array> {
  // Checked before opening too: opening a FIFO blocks until a writer comes.
  if (!(await Deno.stat(path)).isFile) throw new Error("not a regular file");
  using file = await Deno.open(path, { read: true });
  const info = await file.stat();
  if (!info.isFile) throw new Error("not a regular file");
  if (info.size > maxSize) throw tooLarge(info.size, maxSize);
  // The file may grow between stat and read: read one byte more than allowed to notice.
  const buffer = new Uint8Array(info.size + 1);
  let filled = 0;
  while (filled < buffer.byteLength) {
    const n = await file.read(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  if (filled > maxSize) throw tooLarge(filled, maxSize);
  return buffer.slice(0, filled);
}
