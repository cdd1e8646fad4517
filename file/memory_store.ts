/**
 * A {@linkcode FileStore} in memory, bounded by a total size.
 *
 * @module
 */

import { failed } from "../action/result.ts";
import { FILE_RETCODE } from "./retcode.ts";
import type { ByteRange, FileRecord, FileStore } from "./store.ts";
import { checkInteger } from "../_check.ts";

/**
 * Options of {@linkcode createMemoryFileStore}.
 *
 * @example
 * ```ts
 * import type { MemoryFileStoreOptions } from "@libob/libob/file";
 *
 * const options: MemoryFileStoreOptions = { maxTotalSize: 64 * 1024 * 1024, evictOldest: true };
 * ```
 */
export interface MemoryFileStoreOptions {
  /** The most bytes kept at once, > 0. Default 256 MiB. */
  maxTotalSize?: number;
  /**
   * When a new file does not fit, delete the oldest files until it does.
   * Default `false`: the upload is refused with `FILE_RETCODE.STORE_FULL`
   * (32003) and every existing `file_id` stays valid.
   */
  evictOldest?: boolean;
  /** The clock for `createdAt`, in ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * Creates a store that keeps files in memory. Its `capacity` is
 * `maxTotalSize`, so the file actions refuse a larger file before reading
 * it. It has no local paths, so `get_file` with `type` `path` answers
 * 10004. Its content is lost when the process ends.
 *
 * @param options The size limit, the eviction policy and the clock.
 * @returns The store.
 * @throws {RangeError} When `maxTotalSize` is not an integer > 0.
 *
 * @example Storing and reading back a file
 * ```ts
 * import { createMemoryFileStore, sha256Hex } from "@libob/libob/file";
 * import { expect } from "expect";
 *
 * const store = createMemoryFileStore({ maxTotalSize: 1024 });
 * const data = new TextEncoder().encode("hello");
 * const record = await store.put({ name: "a.txt", data, sha256: await sha256Hex(data) });
 * expect(record.size).toBe(5);
 * expect(await store.read(record.id, { offset: 1, size: 3 })).toEqual(
 *   new TextEncoder().encode("ell"),
 * );
 * ```
 */
export function createMemoryFileStore(options: MemoryFileStoreOptions = {}): FileStore {
  const { maxTotalSize = 256 * 1024 * 1024, evictOldest = false, now = Date.now } = options;
  checkInteger("create memory file store", "maxTotalSize", maxTotalSize, 1);
  if (typeof evictOldest !== "boolean") {
    throw new TypeError(
      `Cannot create memory file store: evictOldest must be a boolean: current type is ${typeof evictOldest}`,
    );
  }
  if (typeof now !== "function") {
    throw new TypeError(
      `Cannot create memory file store: now must be a function: current type is ${typeof now}`,
    );
  }
  // A Map keeps insertion order: the first entry is the oldest file.
  const files = new Map<string, { record: FileRecord; data: Uint8Array }>();
  let total = 0;

  function remove(id: string): boolean {
    const entry = files.get(id);
    if (entry === undefined) return false;
    files.delete(id);
    total -= entry.record.size;
    return true;
  }

  return {
    capacity: maxTotalSize,
    put(file) {
      const size = file.data.byteLength;
      if (size > maxTotalSize || (!evictOldest && total + size > maxTotalSize)) {
        return Promise.reject(failed(
          FILE_RETCODE.STORE_FULL,
          `the file store is full: ${size} more bytes do not fit in ${maxTotalSize}`,
        ));
      }
      for (const id of files.keys()) {
        if (total + size <= maxTotalSize) break;
        remove(id);
      }
      const record: FileRecord = {
        id: crypto.randomUUID(),
        name: file.name,
        size,
        sha256: file.sha256,
        createdAt: now(),
      };
      // A copy: the caller's array may be a view into a request buffer.
      files.set(record.id, { record, data: file.data.slice() });
      total += size;
      return Promise.resolve(record);
    },
    get(id) {
      return Promise.resolve(files.get(id)?.record);
    },
    read(id, range?: ByteRange) {
      const entry = files.get(id);
      if (entry === undefined) return Promise.resolve(undefined);
      const { data } = entry;
      return Promise.resolve(
        range === undefined ? data.slice() : data.slice(range.offset, range.offset + range.size),
      );
    },
    delete(id) {
      return Promise.resolve(remove(id));
    },
  };
}
