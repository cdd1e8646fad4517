/**
 * The pluggable file storage behind the file actions (checklist §4.5): a
 * plain record of async functions, so any backend (memory, a directory, a
 * database, object storage) fits without classes.
 *
 * @module
 */

/**
 * What a store knows about one stored file. The `id` is chosen by the store
 * and is the `file_id` peers see; `name` is the peer's file name, kept as
 * metadata only (never used as a path).
 *
 * @example
 * ```ts
 * import type { FileRecord } from "@libob/libob/file";
 *
 * const record: FileRecord = {
 *   id: "0b6c7c2e-4a57-4c1d-9f0e-2f4d1b6f7a10",
 *   name: "hello.txt",
 *   size: 2,
 *   sha256: "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4",
 *   createdAt: 1_700_000_000_000,
 * };
 * ```
 */
export interface FileRecord {
  /** The file ID, unique in its store. */
  readonly id: string;
  /** The file name the peer gave, e.g. `foo.jpg`. */
  readonly name: string;
  /** The size in bytes. */
  readonly size: number;
  /** Lowercase hex SHA-256 of the content (§4.5). */
  readonly sha256: string;
  /** When the file was stored, in ms since the epoch. */
  readonly createdAt: number;
}

/**
 * A file to store: {@linkcode FileStore.put} gives it an `id` and a
 * `createdAt`. The caller has already computed `sha256` (see
 * {@linkcode sha256Hex}).
 *
 * @example
 * ```ts
 * import type { NewFile } from "@libob/libob/file";
 *
 * const file: NewFile = {
 *   name: "hi.txt",
 *   data: new Uint8Array([104, 105]),
 *   sha256: "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4",
 * };
 * ```
 */
export interface NewFile {
  /** The peer's file name, metadata only. */
  readonly name: string;
  /** The content. The store keeps its own copy or writes it out. */
  readonly data: Uint8Array;
  /** Lowercase hex SHA-256 of `data`. */
  readonly sha256: string;
}

/**
 * A byte range of a stored file: `size` bytes from `offset`.
 *
 * @example
 * ```ts
 * import type { ByteRange } from "@libob/libob/file";
 *
 * const firstKiB: ByteRange = { offset: 0, size: 1024 };
 * ```
 */
export interface ByteRange {
  /** The first byte, from 0. */
  readonly offset: number;
  /** How many bytes. */
  readonly size: number;
}

/**
 * Where the file actions keep files. Every function may reject; a rejection
 * with a {@linkcode Failure} (built by `failed()`, e.g. the store is full:
 * `FILE_RETCODE.STORE_FULL`) is sent to the peer as it is, and any other
 * rejection answers `FILE_RETCODE.STORE_FAILED` (32002) and is logged.
 *
 * IDs come from the peer in `get_file`: a store must treat an unknown or
 * malformed `id` as "not found" (resolve `undefined` or `false`), never use
 * it to build a path without checking it.
 *
 * See {@linkcode createMemoryFileStore} and {@linkcode createFsFileStore}.
 *
 * @example A store that keeps nothing
 * ```ts
 * import type { FileStore } from "@libob/libob/file";
 *
 * const empty: FileStore = {
 *   put: () => Promise.reject(new Error("read-only")),
 *   get: () => Promise.resolve(undefined),
 *   read: () => Promise.resolve(undefined),
 *   delete: () => Promise.resolve(false),
 * };
 * ```
 */
export interface FileStore {
  /** Stores a file and returns its record with a new `id`. */
  put(file: NewFile): Promise<FileRecord>;
  /** The record of a file, or `undefined` when there is none with that `id`. */
  get(id: string): Promise<FileRecord | undefined>;
  /**
   * The content of a file, or the bytes of `range` (the caller keeps the
   * range inside the file). `undefined` when there is no such file.
   */
  read(id: string, range?: ByteRange): Promise<Uint8Array | undefined>;
  /** Deletes a file; `true` when it existed. */
  delete(id: string): Promise<boolean>;
  /**
   * An absolute local path of the content, for `get_file` with `type`
   * `path`. Stores without local files leave it out (the action then
   * answers 10004).
   */
  path?(id: string): Promise<string | undefined>;
  /**
   * The most bytes the store can hold, when it is bounded (an integer > 0).
   * The file actions never accept a file larger than this, so a download
   * that cannot fit is refused before it is read. Leave it out when
   * unbounded.
   */
  readonly capacity?: number;
}
