/**
 * The four file actions of OneBot 12 (checklist §4.5, ENC-01, §9.3 items 29
 * and 30) over a pluggable {@linkcode FileStore}.
 *
 * @module
 */

import { logger } from "../_log.ts";
import { failed, isFailure, ok } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import { isBytesInput, toBytes } from "../action/schemas.ts";
import type {
  FileTransferType,
  GetFileData,
  GetFileFragmentedData,
  GetFileFragmentedParams,
  UploadFileFragmentedParams,
  UploadFileParams,
} from "../action/standard.ts";
import type { ActionHandler, ActionResult, Failure } from "../action/types.ts";
import { readLimited } from "../connection/_read_limited.ts";
import { FILE_RETCODE } from "./retcode.ts";
import { isSha256Hex, sha256Hex } from "./sha256.ts";
import type { FileRecord, FileStore } from "./store.ts";
import { checkInteger } from "../_check.ts";

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

/**
 * Options of {@linkcode createFileActions}.
 *
 * @example
 * ```ts
 * import { createMemoryFileStore, type FileActionsOptions } from "@libob/libob/file";
 *
 * const options: FileActionsOptions = {
 *   store: createMemoryFileStore(),
 *   maxFileSize: 10 * 1024 * 1024,
 *   urlFor: (file) => `https://files.example/${file.id}`,
 * };
 * ```
 */
export interface FileActionsOptions {
  /** Where files are kept; see {@linkcode createMemoryFileStore} and {@linkcode createFsFileStore}. */
  store: FileStore;
  /**
   * The largest file in bytes, > 0; a larger one answers 10004. Default
   * 100 MiB. Over HTTP a `data` upload is also bounded by the connection's
   * `maxBodySize` (16 MiB by default): use fragments for larger files.
   */
  maxFileSize?: number;
  /**
   * Fragmented uploads in progress at once, > 0; one more prepare answers
   * `FILE_RETCODE.TOO_MANY_UPLOADS` (36001). Each one holds a buffer of its
   * `total_size` in memory until it is finished or expires. Default 16.
   */
  maxFragmentedUploads?: number;
  /**
   * Milliseconds after the last prepare or transfer at which an unfinished
   * fragmented upload is dropped (its `file_id` then answers
   * `FILE_RETCODE.UPLOAD_NOT_FOUND`, 35002), > 0. Expired uploads are swept
   * lazily at the start of every file action: no timer runs. Default 10 min.
   */
  uploadExpiry?: number;
  /** Milliseconds a `type` `url` download may take in all, `0` = no limit. Default 30 s. */
  downloadTimeout?: number;
  /**
   * The `fetch` of `type` `url` downloads; default `globalThis.fetch`. Inject
   * one to add a proxy, or to refuse private addresses: the peer chooses the
   * URL, so without such a check it can make the implementation fetch from
   * its own network (loopback, LAN, cloud metadata).
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Accept `upload_file` with `type` `path`. Default `false`, which answers
   * 10004. A path upload lets the peer copy **any file the process can
   * read** (keys, `.env`, `/etc/shadow` if running as root) into the store and
   * read it back with `get_file`: enable it only when the application runs on
   * the same host and is as trusted as the implementation's own user, and
   * prefer a `readPath` that allows only one directory.
   */
  allowPath?: boolean;
  /**
   * Reads a local file for `type` `path` (only used when `allowPath` is set).
   * Default: `Deno.open`, accepting regular files only (not devices, FIFOs or
   * directories), and refusing before reading when the file is larger than
   * `maxFileSize`. A rejection answers `FILE_RETCODE.PATH_READ_FAILED`
   * (32001), or the failure it rejects with.
   */
  readPath?: (path: string) => Promise<Uint8Array>;
  /**
   * The URL of a stored file for `get_file` with `type` `url`, or
   * `undefined` when there is none (then 10004). Without this option `type`
   * `url` always answers 10004 (§4.5 allows it).
   */
  urlFor?: (
    file: FileRecord,
  ) => string | FileUrl | undefined | Promise<string | FileUrl | undefined>;
  /** The clock of upload expiry, in ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * The handlers {@linkcode createFileActions} returns: a handler record to
 * spread into `handlers`.
 *
 * @example
 * ```ts
 * import { createFileActions, createMemoryFileStore, type FileActions } from "@libob/libob/file";
 *
 * const files: FileActions = createFileActions({ store: createMemoryFileStore() });
 * ```
 */
export type FileActions = {
  /** Uploads a file in one request: `type` `data`, `url`, or `path` when allowed (§4.5). */
  upload_file: ActionHandler<UploadFileParams, { file_id: string }>;
  /** Uploads a file in fragments: `stage` `prepare`, `transfer`, `finish` (§4.5, §9.3 item 30). */
  upload_file_fragmented: ActionHandler<UploadFileFragmentedParams, { file_id: string } | null>;
  /** Fetches a stored file: `type` `data`, `path` or `url` as the store and options allow (§4.5). */
  get_file: ActionHandler<{ file_id: string; type: FileTransferType }, GetFileData>;
  /** Fetches a stored file in fragments: `stage` `prepare`, `transfer` (§4.5). */
  get_file_fragmented: ActionHandler<GetFileFragmentedParams, GetFileFragmentedData>;
};

/** One fragmented upload between prepare and finish. */
interface Upload {
  readonly name: string;
  readonly totalSize: number;
  readonly buffer: Uint8Array;
  /** The covered byte ranges, sorted, disjoint and not adjacent: `[start, end)` pairs. */
  ranges: [number, number][];
  touchedAt: number;
  /** A finish is hashing or storing it: transfers and other finishes wait their turn (35002). */
  finishing: boolean;
}

/** Disjoint covered ranges one upload may have; out-of-order chunks rarely leave more than a few. */
const MAX_RANGES = 4096;

const MIB = 1024 * 1024;

/**
 * Creates the four file actions over a store (checklist §4.5). Spread the
 * record into `handlers`; `get_supported_actions` then lists them.
 *
 * Params are checked again here, so the handlers are safe without the
 * standard validators: a `bytes` param may be a `Uint8Array` (MessagePack
 * bin) or a Base64 string (JSON; standard or URL-safe, padded or not,
 * ENC-01). Answers:
 *
 * - `upload_file` → `{file_id}`. `type` `data`; `url` (downloaded with the
 *   given `headers`, at most `maxFileSize` bytes and `downloadTimeout` ms;
 *   only `http:` and `https:`); `path` only with `allowPath`. A given
 *   `sha256` (any case; `""` = none) must match, else 35003.
 * - `upload_file_fragmented`: `prepare` (`name`, `total_size`) → `{file_id}`
 *   of the upload; `transfer` (`file_id`, `offset`, `data`) → `null`, in any
 *   order, retries allowed (a later write of the same bytes wins; the final
 *   `sha256` catches disagreeing overlaps), the obsolete `size` param is
 *   ignored (#230); `finish` (`file_id`, `sha256`) → `{file_id}` of the
 *   stored file, a new ID usable with `get_file`. An incomplete upload
 *   (35004) or a mismatching `sha256` (35003) stays open, so the peer can
 *   resend fragments and finish again until it expires.
 * - `get_file` → `{name, data | path | url (+ headers), sha256}`.
 * - `get_file_fragmented`: `prepare` → `{name, total_size, sha256}`;
 *   `transfer` (`offset`, `size`) → `{data}`.
 *
 * Request errors: 10003 for a missing or mistyped param, an unknown `stage`,
 * and a range past `total_size` (transfer) or past the file's end
 * (`get_file_fragmented`); 10004 for an unsupported `type` and for a file
 * larger than `maxFileSize`. Execution errors are listed in
 * {@linkcode FILE_RETCODE}. A stored `file_id` stays valid until the store
 * deletes it; libob never deletes stored files.
 *
 * @param options The store, the limits and the optional capabilities.
 * @returns The four handlers.
 * @throws {TypeError} When `store` lacks a function or an option has the wrong type.
 * @throws {RangeError} When a limit is out of range.
 *
 * @example Upload then download, in process
 * ```ts
 * import { createOneBot } from "@libob/libob";
 * import { createFileActions, createMemoryFileStore } from "@libob/libob/file";
 * import { expect } from "expect";
 *
 * await using onebot = createOneBot({
 *   impl: "my-impl",
 *   version: "1.0.0",
 *   bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
 *   handlers: { ...createFileActions({ store: createMemoryFileStore() }) },
 *   websocket: false,
 * });
 * const call = (action: string, params: Record<string, unknown>) =>
 *   onebot.router({ action, params }, { connection: "local" });
 * const upload = await call("upload_file", { type: "data", name: "hi.txt", data: "aGk=" });
 * const { file_id } = upload.data as { file_id: string };
 * const file = await call("get_file", { file_id, type: "data" });
 * expect(file.data).toEqual({
 *   name: "hi.txt",
 *   data: new TextEncoder().encode("hi"),
 *   sha256: "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4",
 * });
 * ```
 */
export function createFileActions(options: FileActionsOptions): FileActions {
  const where = "Cannot create file actions";
  const {
    store,
    maxFileSize = 100 * MIB,
    maxFragmentedUploads = 16,
    uploadExpiry = 10 * 60 * 1000,
    downloadTimeout = 30_000,
    fetch: fetchImpl = globalThis.fetch,
    allowPath = false,
    readPath,
    urlFor,
    now = Date.now,
  } = options ?? {};
  for (const name of ["put", "get", "read", "delete"] as const) {
    if (typeof store?.[name] !== "function") {
      throw new TypeError(
        `${where}: store.${name} must be a function: current type is ${typeof store?.[name]}`,
      );
    }
  }
  checkInteger("create file actions", "maxFileSize", maxFileSize, 1);
  checkInteger("create file actions", "maxFragmentedUploads", maxFragmentedUploads, 1);
  checkInteger("create file actions", "uploadExpiry", uploadExpiry, 1);
  checkInteger("create file actions", "downloadTimeout", downloadTimeout, 0);
  checkFunction(where, "fetch", fetchImpl);
  checkFunction(where, "now", now);
  if (readPath !== undefined) checkFunction(where, "readPath", readPath);
  if (urlFor !== undefined) checkFunction(where, "urlFor", urlFor);
  if (typeof allowPath !== "boolean") {
    throw new TypeError(
      `${where}: allowPath must be a boolean: current type is ${typeof allowPath}`,
    );
  }
  const log = logger("file");
  const uploads = new Map<string, Upload>();
  const readLocal = readPath ?? ((path: string) => readRegularFile(path, maxFileSize));

  /** Drops the uploads nobody touched for `uploadExpiry` ms (lazy: no timer). */
  function sweep(): void {
    const time = now();
    for (const [id, upload] of uploads) {
      if (!upload.finishing && time - upload.touchedAt > uploadExpiry) {
        uploads.delete(id);
        log.debug("Fragmented upload {id} expired", { id });
      }
    }
  }

  /** Runs a store call: a failure record passes through, anything else is 32002. */
  async function fromStore<T>(what: string, run: () => Promise<T>): Promise<T | Failure> {
    try {
      return await run();
    } catch (error) {
      if (isFailure(error)) return error;
      log.error("The file store failed to {what}: {error}", { what, error });
      return failed(FILE_RETCODE.STORE_FAILED, `the file store failed to ${what}`);
    }
  }

  function tooLarge(size: number): Failure {
    return failed(
      RETCODE.UNSUPPORTED_PARAM,
      `file too large: ${size} bytes, the limit is ${maxFileSize}`,
    );
  }

  /** Hashes, checks the expected digest, and stores. */
  async function save(
    name: string,
    data: Uint8Array,
    expected: string | undefined,
  ): Promise<{ file_id: string } | Failure> {
    const sha256 = await sha256Hex(data);
    if (expected !== undefined && expected !== sha256) {
      return failed(
        FILE_RETCODE.SHA256_MISMATCH,
        `sha256 mismatch: expected ${expected}, the content has ${sha256}`,
      );
    }
    const record = await fromStore("store a file", () => store.put({ name, data, sha256 }));
    if (isFailure(record)) return record;
    return { file_id: record.id };
  }

  async function download(
    url: unknown,
    headers: unknown,
  ): Promise<Uint8Array | Failure> {
    if (typeof url !== "string" || url === "") {
      return failed(RETCODE.BAD_PARAM, "url: is required when type is url");
    }
    const parsed = URL.parse(url);
    if (parsed === null) return failed(RETCODE.BAD_PARAM, "url: expected an absolute URL");
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      return failed(RETCODE.UNSUPPORTED_PARAM, "url: only http and https URLs are supported");
    }
    const requestHeaders = toHeaders(headers);
    if (isFailure(requestHeaders)) return requestHeaders;
    const abort = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (downloadTimeout > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
      }, downloadTimeout);
    }
    function networkFailure(error: unknown): Failure {
      if (timedOut) {
        return failed(
          FILE_RETCODE.DOWNLOAD_TIMEOUT,
          `download timed out after ${downloadTimeout} ms`,
        );
      }
      log.warn("Downloading {url} failed: {error}", { url: parsed!.origin, error });
      return failed(FILE_RETCODE.DOWNLOAD_FAILED, "download failed: the request did not complete");
    }
    try {
      let response: Response;
      try {
        response = await fetchImpl(parsed.href, {
          headers: requestHeaders,
          signal: abort.signal,
          redirect: "follow",
        });
      } catch (error) {
        return networkFailure(error);
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        return failed(FILE_RETCODE.DOWNLOAD_FAILED, `download failed: HTTP ${response.status}`);
      }
      const declared = Number(response.headers.get("Content-Length") ?? "NaN");
      if (declared > maxFileSize) {
        await response.body?.cancel().catch(() => {});
        return tooLarge(declared);
      }
      if (response.body === null) return new Uint8Array(0);
      let read;
      try {
        read = await readLimited(response.body, maxFileSize);
      } catch (error) {
        return networkFailure(error);
      }
      return "bytes" in read ? read.bytes : tooLarge(read.exceeded);
    } finally {
      clearTimeout(timer);
    }
  }

  async function readFromPath(path: unknown): Promise<Uint8Array | Failure> {
    if (!allowPath) {
      return failed(
        RETCODE.UNSUPPORTED_PARAM,
        "type path is not supported: this implementation does not read local files",
      );
    }
    if (typeof path !== "string" || path === "") {
      return failed(RETCODE.BAD_PARAM, "path: is required when type is path");
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
    return data.byteLength > maxFileSize ? tooLarge(data.byteLength) : data;
  }

  async function uploadFile(params: unknown): Promise<ActionResult<{ file_id: string }>> {
    sweep();
    const p = asParams(params);
    if (isFailure(p)) return p;
    const type = stringParam(p, "type");
    if (isFailure(type)) return type;
    const name = stringParam(p, "name");
    if (isFailure(name)) return name;
    let expected: string | undefined;
    if (p.sha256 !== undefined && p.sha256 !== "") {
      if (!isSha256Hex(p.sha256)) {
        return failed(RETCODE.BAD_PARAM, "sha256: expected 64 hexadecimal digits");
      }
      expected = p.sha256.toLowerCase();
    }
    let data: Uint8Array | Failure;
    switch (type) {
      case "data":
        data = bytesParam(p, "data", "is required when type is data");
        if (!isFailure(data) && data.byteLength > maxFileSize) data = tooLarge(data.byteLength);
        break;
      case "url":
        data = await download(p.url, p.headers);
        break;
      case "path":
        data = await readFromPath(p.path);
        break;
      default:
        data = failed(RETCODE.UNSUPPORTED_PARAM, `type: unsupported value ${clip(type)}`);
    }
    if (isFailure(data)) return data;
    const saved = await save(name, data, expected);
    return isFailure(saved) ? saved : ok(saved);
  }

  function prepareUpload(p: Record<string, unknown>): ActionResult<{ file_id: string }> {
    const name = stringParam(p, "name");
    if (isFailure(name)) return name;
    const totalSize = sizeParam(p, "total_size");
    if (isFailure(totalSize)) return totalSize;
    if (totalSize > maxFileSize) return tooLarge(totalSize);
    if (uploads.size >= maxFragmentedUploads) {
      return failed(
        FILE_RETCODE.TOO_MANY_UPLOADS,
        `too many uploads in progress: the limit is ${maxFragmentedUploads}`,
      );
    }
    const id = crypto.randomUUID();
    uploads.set(id, {
      name,
      totalSize,
      buffer: new Uint8Array(totalSize),
      ranges: [],
      touchedAt: now(),
      finishing: false,
    });
    return ok({ file_id: id });
  }

  function openUpload(p: Record<string, unknown>): Upload | Failure {
    const id = stringParam(p, "file_id");
    if (isFailure(id)) return id;
    const upload = uploads.get(id);
    if (upload === undefined) {
      return failed(
        FILE_RETCODE.UPLOAD_NOT_FOUND,
        `no upload in progress has file_id ${
          clip(id)
        }: it was never prepared, is finished or expired`,
      );
    }
    if (upload.finishing) {
      return failed(FILE_RETCODE.UPLOAD_NOT_FOUND, `upload ${clip(id)} is being finished`);
    }
    return upload;
  }

  function transferUpload(p: Record<string, unknown>): ActionResult<null> {
    // `size` (removed in #230) is tolerated and ignored: it is never read.
    const upload = openUpload(p);
    if (isFailure(upload)) return upload;
    const offset = sizeParam(p, "offset");
    if (isFailure(offset)) return offset;
    const data = bytesParam(p, "data", "is required");
    if (isFailure(data)) return data;
    const end = offset + data.byteLength;
    if (end > upload.totalSize) {
      return failed(
        RETCODE.BAD_PARAM,
        `offset: the fragment ends at ${end}, past total_size ${upload.totalSize}`,
      );
    }
    if (data.byteLength > 0) {
      const ranges = addRange(upload.ranges, offset, end);
      if (ranges.length > MAX_RANGES) {
        return failed(
          FILE_RETCODE.TOO_MANY_UPLOADS,
          `too many disjoint fragments: the limit is ${MAX_RANGES}; send them in order`,
        );
      }
      upload.buffer.set(data, offset);
      upload.ranges = ranges;
    }
    upload.touchedAt = now();
    return ok(null);
  }

  async function finishUpload(
    p: Record<string, unknown>,
  ): Promise<ActionResult<{ file_id: string }>> {
    const upload = openUpload(p);
    if (isFailure(upload)) return upload;
    const id = p.file_id as string;
    if (!isSha256Hex(p.sha256)) {
      return failed(
        RETCODE.BAD_PARAM,
        p.sha256 === undefined ? "sha256: is required" : "sha256: expected 64 hexadecimal digits",
      );
    }
    const covered = coveredBytes(upload.ranges);
    if (covered < upload.totalSize) {
      upload.touchedAt = now();
      return failed(
        FILE_RETCODE.UPLOAD_INCOMPLETE,
        `upload incomplete: ${covered} of ${upload.totalSize} bytes transferred`,
      );
    }
    upload.finishing = true;
    let saved: { file_id: string } | Failure;
    try {
      saved = await save(upload.name, upload.buffer, p.sha256.toLowerCase());
    } finally {
      upload.finishing = false;
      upload.touchedAt = now();
    }
    if (isFailure(saved)) return saved;
    uploads.delete(id);
    return ok(saved);
  }

  async function uploadFragmented(
    params: unknown,
  ): Promise<ActionResult<{ file_id: string } | null>> {
    sweep();
    const p = asParams(params);
    if (isFailure(p)) return p;
    switch (p.stage) {
      case "prepare":
        return prepareUpload(p);
      case "transfer":
        return transferUpload(p);
      case "finish":
        return await finishUpload(p);
      default:
        return badStage(p.stage, "prepare, transfer or finish");
    }
  }

  /** The record of a stored file, 35001 when unknown. */
  async function lookUp(p: Record<string, unknown>): Promise<FileRecord | Failure> {
    const id = stringParam(p, "file_id");
    if (isFailure(id)) return id;
    const record = await fromStore("look up a file", () => store.get(id));
    if (isFailure(record)) return record;
    return record ?? failed(FILE_RETCODE.FILE_NOT_FOUND, `no file has file_id ${clip(id)}`);
  }

  function vanished(record: FileRecord): Failure {
    return failed(FILE_RETCODE.FILE_NOT_FOUND, `file ${clip(record.id)} was deleted`);
  }

  async function getFile(params: unknown): Promise<ActionResult<GetFileData>> {
    sweep();
    const p = asParams(params);
    if (isFailure(p)) return p;
    const type = stringParam(p, "type");
    if (isFailure(type)) return type;
    if (type !== "data" && type !== "path" && type !== "url") {
      return failed(RETCODE.UNSUPPORTED_PARAM, `type: unsupported value ${clip(type)}`);
    }
    if (type === "path" && store.path === undefined) {
      return failed(RETCODE.UNSUPPORTED_PARAM, "type path is not supported by this file store");
    }
    if (type === "url" && urlFor === undefined) {
      return failed(RETCODE.UNSUPPORTED_PARAM, "type url is not supported: no URL can be given");
    }
    const record = await lookUp(p);
    if (isFailure(record)) return record;
    const { id, name, sha256 } = record;
    if (type === "data") {
      const data = await fromStore("read a file", () => store.read(id));
      if (isFailure(data)) return data;
      return data === undefined ? vanished(record) : ok({ name, data, sha256 });
    }
    if (type === "path") {
      const path = await fromStore("find a file's path", () => store.path!(id));
      if (isFailure(path)) return path;
      return path === undefined ? vanished(record) : ok({ name, path, sha256 });
    }
    const link = await urlFor!(record);
    if (link === undefined) {
      return failed(RETCODE.UNSUPPORTED_PARAM, "type url is not supported for this file");
    }
    return ok(
      typeof link === "string"
        ? { name, url: link, sha256 }
        : { name, url: link.url, ...(link.headers ? { headers: link.headers } : {}), sha256 },
    );
  }

  async function getFileFragmented(
    params: unknown,
  ): Promise<ActionResult<GetFileFragmentedData>> {
    sweep();
    const p = asParams(params);
    if (isFailure(p)) return p;
    if (p.stage !== "prepare" && p.stage !== "transfer") {
      return badStage(p.stage, "prepare or transfer");
    }
    if (p.stage === "prepare") {
      const record = await lookUp(p);
      if (isFailure(record)) return record;
      return ok({ name: record.name, total_size: record.size, sha256: record.sha256 });
    }
    const offset = sizeParam(p, "offset");
    if (isFailure(offset)) return offset;
    const size = sizeParam(p, "size");
    if (isFailure(size)) return size;
    const record = await lookUp(p);
    if (isFailure(record)) return record;
    if (offset + size > record.size) {
      return failed(
        RETCODE.BAD_PARAM,
        `offset: the range ${offset}+${size} ends past the file's ${record.size} bytes`,
      );
    }
    const data = await fromStore("read a file", () => store.read(record.id, { offset, size }));
    if (isFailure(data)) return data;
    return data === undefined ? vanished(record) : ok({ data });
  }

  return {
    upload_file: uploadFile,
    upload_file_fragmented: uploadFragmented,
    get_file: getFile,
    get_file_fragmented: getFileFragmented,
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
  if (info.size > maxSize) {
    throw failed(
      RETCODE.UNSUPPORTED_PARAM,
      `file too large: ${info.size} bytes, the limit is ${maxSize}`,
    );
  }
  // The file may grow between stat and read: read one byte more than allowed to notice.
  const buffer = new Uint8Array(info.size + 1);
  let filled = 0;
  while (filled < buffer.byteLength) {
    const n = await file.read(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  if (filled > maxSize) {
    throw failed(RETCODE.UNSUPPORTED_PARAM, `file too large: the limit is ${maxSize}`);
  }
  return buffer.slice(0, filled);
}

function asParams(params: unknown): Record<string, unknown> | Failure {
  return typeof params === "object" && params !== null && !Array.isArray(params)
    ? params as Record<string, unknown>
    : failed(RETCODE.BAD_PARAM, "params: expected an object");
}

function stringParam(p: Record<string, unknown>, key: string): string | Failure {
  const value = p[key];
  if (typeof value === "string") return value;
  return failed(
    RETCODE.BAD_PARAM,
    value === undefined ? `${key}: is required` : `${key}: expected a string`,
  );
}

function sizeParam(p: Record<string, unknown>, key: string): number | Failure {
  const value = p[key];
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  // A MessagePack int64 may arrive as a bigint.
  if (typeof value === "bigint" && value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(value);
  }
  return failed(
    RETCODE.BAD_PARAM,
    value === undefined ? `${key}: is required` : `${key}: expected a non-negative safe integer`,
  );
}

/** A `bytes` param (ENC-01): a `Uint8Array`, or Base64 (standard or URL-safe, padded or not). */
function bytesParam(
  p: Record<string, unknown>,
  key: string,
  missing: string,
): Uint8Array | Failure {
  const value = p[key];
  if (value === undefined) return failed(RETCODE.BAD_PARAM, `${key}: ${missing}`);
  if (isBytesInput(value)) {
    try {
      return toBytes(value);
    } catch {
      // Falls through to the failure: the string is not Base64 after all.
    }
  }
  return failed(RETCODE.BAD_PARAM, `${key}: expected bytes (a Base64 string or a MessagePack bin)`);
}

function toHeaders(headers: unknown): Headers | Failure {
  if (headers === undefined || headers === null) return new Headers();
  if (typeof headers !== "object" || Array.isArray(headers)) {
    return failed(RETCODE.BAD_PARAM, "headers: expected a map of strings");
  }
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") {
      return failed(RETCODE.BAD_PARAM, `headers.${clip(name)}: expected a string`);
    }
    try {
      result.set(name, value);
    } catch {
      return failed(RETCODE.BAD_PARAM, `headers.${clip(name)}: not a valid HTTP header`);
    }
  }
  return result;
}

function badStage(stage: unknown, expected: string): Failure {
  return failed(
    RETCODE.BAD_PARAM,
    stage === undefined
      ? `stage: is required: expected ${expected}`
      : `stage: expected ${expected}, received ${
        typeof stage === "string" ? clip(stage) : typeof stage
      }`,
  );
}

/** Adds `[start, end)` to sorted, disjoint, non-adjacent ranges, merging; returns a new list. */
function addRange(
  ranges: readonly [number, number][],
  start: number,
  end: number,
): [number, number][] {
  const result: [number, number][] = [];
  let merged: [number, number] = [start, end];
  let placed = false;
  for (const range of ranges) {
    if (range[1] < merged[0]) {
      result.push(range);
    } else if (range[0] > merged[1]) {
      if (!placed) {
        result.push(merged);
        placed = true;
      }
      result.push(range);
    } else {
      merged = [Math.min(range[0], merged[0]), Math.max(range[1], merged[1])];
    }
  }
  if (!placed) result.push(merged);
  return result;
}

function coveredBytes(ranges: readonly [number, number][]): number {
  let covered = 0;
  for (const [start, end] of ranges) covered += end - start;
  return covered;
}

function checkFunction(where: string, name: string, value: unknown): void {
  if (typeof value !== "function") {
    throw new TypeError(`${where}: ${name} must be a function: current type is ${typeof value}`);
  }
}

/** Keeps peer-chosen strings short in messages. */
function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
