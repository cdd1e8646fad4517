/**
 * A {@linkcode FileStore} in a local directory, on `Deno.*` file APIs.
 *
 * @module
 */

import type { ByteRange, FileRecord, FileStore } from "./store.ts";

/**
 * Options of {@linkcode createFsFileStore}.
 *
 * @example
 * ```ts
 * import type { FsFileStoreOptions } from "@libob/libob/file";
 *
 * const options: FsFileStoreOptions = { directory: "./data/files" };
 * ```
 */
export interface FsFileStoreOptions {
  /** The directory that holds the files; created on the first upload. */
  directory: string;
  /** The clock for `createdAt`, in ms. Default `Date.now`. */
  now?: () => number;
}

/** The IDs this store generates: `crypto.randomUUID()`, and nothing else is accepted. */
const ID_REGEXP = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Creates a store that keeps each file as two entries of `directory`:
 * `<id>` (the content) and `<id>.json` (the {@linkcode FileRecord}). The
 * `id` is a random UUID made by the store. The peer's file name is kept only
 * inside the JSON, so no name (`../../etc/passwd`, `/abs/path`, `C:\x`) can
 * choose or escape a path, and every `id` read from a peer must match the
 * UUID format before any path is built from it. Files stay until
 * {@linkcode FileStore.delete}. `get_file` with `type` `path` answers the
 * content's absolute path.
 *
 * It needs `--allow-read` and `--allow-write` for `directory`.
 *
 * @param options The directory and the clock.
 * @returns The store.
 * @throws {TypeError} When `directory` is not a non-empty string.
 *
 * @example Storing a file in a temporary directory
 * ```ts
 * import { createFsFileStore, sha256Hex } from "@libob/libob/file";
 * import { expect } from "expect";
 *
 * const directory = await Deno.makeTempDir();
 * try {
 *   const store = createFsFileStore({ directory });
 *   const data = new TextEncoder().encode("hi");
 *   const record = await store.put({ name: "../escape.txt", data, sha256: await sha256Hex(data) });
 *   expect(record.name).toBe("../escape.txt");
 *   expect(await store.path!(record.id)).toBe(`${await Deno.realPath(directory)}/${record.id}`);
 * } finally {
 *   await Deno.remove(directory, { recursive: true });
 * }
 * ```
 */
export function createFsFileStore(options: FsFileStoreOptions): FileStore {
  const { directory, now = Date.now } = options ?? {};
  if (typeof directory !== "string" || directory === "") {
    throw new TypeError(
      `Cannot create fs file store: directory must be a non-empty string: current value is ${directory}`,
    );
  }
  if (typeof now !== "function") {
    throw new TypeError(
      `Cannot create fs file store: now must be a function: current type is ${typeof now}`,
    );
  }
  const base = directory.endsWith("/") || directory.endsWith("\\") ? directory : `${directory}/`;

  /** The content path of a valid id; `undefined` for anything else. */
  function contentPath(id: string): string | undefined {
    return typeof id === "string" && ID_REGEXP.test(id) ? `${base}${id}` : undefined;
  }

  async function readRecord(id: string): Promise<FileRecord | undefined> {
    const content = contentPath(id);
    if (content === undefined) return undefined;
    let text: string;
    try {
      text = await Deno.readTextFile(`${content}.json`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    const record = JSON.parse(text) as FileRecord;
    if (
      record?.id !== id || typeof record.name !== "string" || !Number.isSafeInteger(record.size) ||
      typeof record.sha256 !== "string" || typeof record.createdAt !== "number"
    ) {
      throw new Error(`The metadata of file ${id} is malformed`);
    }
    return record;
  }

  return {
    async put(file) {
      await Deno.mkdir(directory, { recursive: true });
      const record: FileRecord = {
        id: crypto.randomUUID(),
        name: file.name,
        size: file.data.byteLength,
        sha256: file.sha256,
        createdAt: now(),
      };
      const content = `${base}${record.id}`;
      // The content first, the record last: a file is visible only once complete.
      await Deno.writeFile(content, file.data, { createNew: true });
      try {
        await Deno.writeTextFile(`${content}.json`, JSON.stringify(record), { createNew: true });
      } catch (error) {
        await Deno.remove(content).catch(() => {});
        throw error;
      }
      return record;
    },
    get: readRecord,
    async read(id, range?: ByteRange) {
      if (await readRecord(id) === undefined) return undefined;
      const content = `${base}${id}`;
      if (range === undefined) return await Deno.readFile(content);
      using file = await Deno.open(content, { read: true });
      await file.seek(range.offset, Deno.SeekMode.Start);
      const bytes = new Uint8Array(range.size);
      let filled = 0;
      while (filled < range.size) {
        const n = await file.read(bytes.subarray(filled));
        if (n === null) break;
        filled += n;
      }
      return filled === range.size ? bytes : bytes.slice(0, filled);
    },
    async delete(id) {
      const content = contentPath(id);
      if (content === undefined) return false;
      // The record first: once it is gone the file is invisible, even if removing the content fails.
      try {
        await Deno.remove(`${content}.json`);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return false;
        throw error;
      }
      await Deno.remove(content).catch((error: unknown) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
      return true;
    },
    async path(id) {
      if (await readRecord(id) === undefined) return undefined;
      return await Deno.realPath(`${base}${id}`);
    },
  };
}
