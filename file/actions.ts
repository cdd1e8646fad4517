/**
 * The four file actions of OneBot 12 (checklist §4.5, ENC-01, §9.3 items 29
 * and 30) over a pluggable {@linkcode FileStore}: the options, checked once,
 * and the record of handlers built from `upload.ts`, `upload_fragmented.ts`
 * and `get_file.ts`.
 *
 * @module
 */

import { checkInteger } from "../_check.ts";
import { logger } from "../_log.ts";
import type {
  FileTransferType,
  GetFileData,
  GetFileFragmentedData,
  GetFileFragmentedParams,
  UploadFileFragmentedParams,
  UploadFileParams,
} from "../action/standard.ts";
import type { ActionHandler } from "../action/types.ts";
import { checkFunction, createFileContext } from "./_shared.ts";
import { createUrlFetcher } from "./fetch_url.ts";
import { createGetFile, type FileUrl } from "./get_file.ts";
import type { FileRecord, FileStore } from "./store.ts";
import { createUploadFile } from "./upload.ts";
import { createFragmentedUpload } from "./upload_fragmented.ts";
import { checkUrlPolicy, type UrlPolicy } from "./url_policy.ts";

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
 *   urlPolicy: { allowHosts: ["files.internal"] },
 *   urlFor: (file) => `https://files.example/${file.id}`,
 * };
 * ```
 */
export interface FileActionsOptions {
  /** Where files are kept; see {@linkcode createMemoryFileStore} and {@linkcode createFsFileStore}. */
  store: FileStore;
  /**
   * The largest file in bytes, > 0; a larger one answers 10004, a download
   * before its body is read when `Content-Length` says so, else as soon as it
   * grows past. Default 100 MiB, and never more than the store's
   * {@linkcode FileStore.capacity}. Over HTTP a `data` upload is also bounded
   * by the connection's `maxBodySize` (16 MiB by default): use fragments for
   * larger files.
   */
  maxFileSize?: number;
  /**
   * Fragmented uploads in progress at once, > 0; one more prepare answers
   * `FILE_RETCODE.TOO_MANY_UPLOADS` (36001). Default 16.
   */
  maxFragmentedUploads?: number;
  /**
   * The most bytes all unfinished fragmented uploads hold in memory
   * together, > 0. A prepare allocates nothing: an upload's buffer grows as
   * its fragments arrive, and a fragment that would pass this limit answers
   * `FILE_RETCODE.UPLOADS_FULL` (36002). A `total_size` above it answers
   * 10004. Default: the effective `maxFileSize`.
   */
  maxPendingUploadSize?: number;
  /**
   * Milliseconds after the last prepare or transfer at which an unfinished
   * fragmented upload is dropped and its memory freed (its `file_id` then
   * answers `FILE_RETCODE.UPLOAD_NOT_FOUND`, 35002), > 0. Expired uploads are
   * swept lazily at the start of every file action: no timer runs. Default
   * 5 min.
   */
  uploadExpiry?: number;
  /** Milliseconds a `type` `url` download may take in all, DNS and redirects included, `0` = no limit. Default 30 s. */
  downloadTimeout?: number;
  /**
   * Where `type` `url` downloads may go. By default only public addresses:
   * see {@linkcode UrlPolicy}. Every redirect hop (at most 5) is checked.
   */
  urlPolicy?: UrlPolicy;
  /**
   * The `fetch` of `type` `url` downloads; default `globalThis.fetch`. Inject
   * one to go through a proxy. The {@linkcode UrlPolicy} still applies to
   * every hop, but with your `fetch` the connection is not pinned to the
   * checked address (see `urlPolicy`).
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

const MIB = 1024 * 1024;

/**
 * Creates the four file actions over a store (checklist §4.5). Spread the
 * record into `handlers`; `get_supported_actions` then lists them.
 *
 * Each handler checks its params with the action's standard validator
 * again, so the handlers are safe without the router's validators: a `bytes`
 * param may be a `Uint8Array` (MessagePack bin) or a Base64 string (JSON;
 * standard or URL-safe, padded or not, ENC-01). Answers:
 *
 * - `upload_file` → `{file_id}`. `type` `data`; `url` (downloaded with the
 *   given `headers`, at most `maxFileSize` bytes and `downloadTimeout` ms,
 *   only `http:` and `https:` to addresses the `urlPolicy` allows, at most 5
 *   redirects, each one checked); `path` only with `allowPath`. A given
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
 * (`get_file_fragmented`); 10004 for an unsupported `type`, a URL the
 * `urlPolicy` refuses, and a file larger than `maxFileSize`. Execution
 * errors are listed in {@linkcode FILE_RETCODE}. A stored `file_id` stays
 * valid until the store deletes it; libob never deletes stored files.
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
    maxFileSize: requestedMaxFileSize = 100 * MIB,
    maxFragmentedUploads = 16,
    uploadExpiry = 5 * 60 * 1000,
    downloadTimeout = 30_000,
    allowPath = false,
    readPath,
    urlFor,
    now = Date.now,
  } = options ?? {};
  const capacity = checkStore(where, store);
  checkInteger("create file actions", "maxFileSize", requestedMaxFileSize, 1);
  const maxFileSize = Math.min(requestedMaxFileSize, capacity);
  const { maxPendingUploadSize = maxFileSize } = options;
  checkInteger("create file actions", "maxFragmentedUploads", maxFragmentedUploads, 1);
  checkInteger("create file actions", "maxPendingUploadSize", maxPendingUploadSize, 1);
  checkInteger("create file actions", "uploadExpiry", uploadExpiry, 1);
  checkInteger("create file actions", "downloadTimeout", downloadTimeout, 0);
  const policy = checkUrlPolicy(where, options.urlPolicy);
  if (options.fetch !== undefined) checkFunction(where, "fetch", options.fetch);
  checkFunction(where, "now", now);
  if (readPath !== undefined) checkFunction(where, "readPath", readPath);
  if (urlFor !== undefined) checkFunction(where, "urlFor", urlFor);
  if (typeof allowPath !== "boolean") {
    throw new TypeError(
      `${where}: allowPath must be a boolean: current type is ${typeof allowPath}`,
    );
  }
  const log = logger("file");
  const context = createFileContext(store, maxFileSize, log);
  const fetchUrl = createUrlFetcher({
    fetch: options.fetch,
    timeout: downloadTimeout,
    maxSize: maxFileSize,
    policy,
    log,
  });
  const uploadFile = createUploadFile(context, { fetchUrl, allowPath, readPath });
  const fragmented = createFragmentedUpload(context, {
    maxUploads: maxFragmentedUploads,
    maxPendingSize: maxPendingUploadSize,
    expiry: uploadExpiry,
    now,
  });
  const { get_file, get_file_fragmented } = createGetFile(context, urlFor);
  /** Every file action first drops the idle fragmented uploads (lazy expiry: no timer). */
  function sweeping<P, D>(handler: ActionHandler<P, D>): ActionHandler<P, D> {
    return (params, request) => {
      fragmented.sweep();
      return handler(params, request);
    };
  }
  return {
    upload_file: sweeping(uploadFile),
    upload_file_fragmented: sweeping(fragmented.handler),
    get_file: sweeping(get_file),
    get_file_fragmented: sweeping(get_file_fragmented),
  };
}

/** Checks the store's functions; returns its capacity (`Infinity` when it has none). */
function checkStore(where: string, store: FileStore | undefined): number {
  for (const name of ["put", "get", "read", "delete"] as const) {
    if (typeof store?.[name] !== "function") {
      throw new TypeError(
        `${where}: store.${name} must be a function: current type is ${typeof store?.[name]}`,
      );
    }
  }
  const capacity = store!.capacity;
  if (capacity === undefined) return Infinity;
  checkInteger("create file actions", "store.capacity", capacity, 1);
  return capacity;
}
