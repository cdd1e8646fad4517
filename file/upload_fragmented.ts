/**
 * `upload_file_fragmented` (checklist §4.5, §9.3 items 29 and 30): prepare,
 * transfer in any order, finish. Memory follows the bytes that arrived, not
 * the `total_size` a peer announces. Private: `createFileActions` builds it.
 *
 * @module
 */

import { failed, isFailure, ok } from "../action/result.ts";
import { RETCODE } from "../action/retcode.ts";
import type { UploadFileFragmentedParams } from "../action/standard.ts";
import type { ActionHandler, ActionResult, Failure } from "../action/types.ts";
import type { Log } from "../_log.ts";
import { checkParams, type FileContext, tooLarge } from "./_shared.ts";
import { clip } from "../_text.ts";
import { FILE_RETCODE } from "./retcode.ts";

/** The limits of fragmented uploads. */
export interface FragmentedUploadOptions {
  /** Uploads in progress at once. */
  readonly maxUploads: number;
  /** The most bytes the buffers of all unfinished uploads hold together. */
  readonly maxPendingSize: number;
  /** Milliseconds of inactivity after which an unfinished upload is dropped. */
  readonly expiry: number;
  readonly now: () => number;
}

/** The handler, and the sweep of idle uploads every file action runs first. */
export interface FragmentedUpload {
  readonly handler: ActionHandler<UploadFileFragmentedParams, { file_id: string } | null>;
  /** Drops the uploads idle for longer than the expiry (lazy: no timer). */
  readonly sweep: () => void;
}

/** One fragmented upload between prepare and finish. */
interface Upload {
  readonly name: string;
  readonly totalSize: number;
  /** The bytes so far, from offset 0; grows as fragments arrive, never past `totalSize`. */
  buffer: Uint8Array;
  /** The covered byte ranges, sorted, disjoint and not adjacent: `[start, end)` pairs. */
  ranges: [number, number][];
  touchedAt: number;
  /** A finish is hashing or storing it: transfers and other finishes wait their turn (35002). */
  finishing: boolean;
}

/** Disjoint covered ranges one upload may have; out-of-order chunks rarely leave more than a few. */
const MAX_RANGES = 4096;

/** The first allocation of a buffer that grows, unless the file is smaller. */
const MIN_BUFFER = 64 * 1024;

/** The uploads in progress and the bytes their buffers hold together. */
interface PendingUploads {
  /** Starts an upload: its ID, or 36001 when `maxUploads` are in progress. Allocates nothing. */
  add(name: string, totalSize: number): string | Failure;
  /** An upload that is neither finished, expired nor finishing; 35002 otherwise. */
  open(id: string): Upload | Failure;
  /** Copies a fragment (already inside `totalSize`) into the upload, growing its buffer. */
  write(upload: Upload, offset: number, data: Uint8Array): Failure | undefined;
  /** Forgets an upload and frees its bytes. */
  drop(id: string, upload: Upload): void;
  sweep(): void;
}

function createPendingUploads(options: FragmentedUploadOptions, log: Log): PendingUploads {
  const { maxUploads, maxPendingSize, expiry, now } = options;
  const uploads = new Map<string, Upload>();
  /** The bytes of every upload's buffer, held against `maxPendingSize`. */
  let pending = 0;

  function drop(id: string, upload: Upload): void {
    uploads.delete(id);
    pending -= upload.buffer.byteLength;
  }

  /** Makes `upload.buffer` hold at least `end` bytes, doubling within the pending limit. */
  function grow(upload: Upload, end: number): Failure | undefined {
    const current = upload.buffer.byteLength;
    if (end <= current) return undefined;
    const room = maxPendingSize - pending + current;
    if (end > room) {
      return failed(
        FILE_RETCODE.UPLOADS_FULL,
        `unfinished uploads hold ${pending} bytes; ${
          end - current
        } more would pass the limit of ${maxPendingSize}: finish them or retry later`,
      );
    }
    const size = Math.min(upload.totalSize, room, Math.max(end, current * 2, MIN_BUFFER));
    const buffer = new Uint8Array(size);
    buffer.set(upload.buffer);
    pending += size - current;
    upload.buffer = buffer;
    return undefined;
  }

  return {
    add(name, totalSize) {
      if (uploads.size >= maxUploads) {
        return failed(
          FILE_RETCODE.TOO_MANY_UPLOADS,
          `too many uploads in progress: the limit is ${maxUploads}`,
        );
      }
      const id = crypto.randomUUID();
      uploads.set(id, {
        name,
        totalSize,
        buffer: new Uint8Array(0),
        ranges: [],
        touchedAt: now(),
        finishing: false,
      });
      return id;
    },
    open(id) {
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
    },
    write(upload, offset, data) {
      const end = offset + data.byteLength;
      const ranges = addRange(upload.ranges, offset, end);
      if (ranges.length > MAX_RANGES) {
        return failed(
          FILE_RETCODE.TOO_MANY_UPLOADS,
          `too many disjoint fragments: the limit is ${MAX_RANGES}; send them in order`,
        );
      }
      const full = grow(upload, end);
      if (full !== undefined) return full;
      upload.buffer.set(data, offset);
      upload.ranges = ranges;
      return undefined;
    },
    drop,
    sweep() {
      const time = now();
      for (const [id, upload] of uploads) {
        if (!upload.finishing && time - upload.touchedAt > expiry) {
          drop(id, upload);
          log.debug("Fragmented upload {id} expired", { id });
        }
      }
    },
  };
}

/** Builds the `upload_file_fragmented` handler and its sweep. */
export function createFragmentedUpload(
  context: FileContext,
  options: FragmentedUploadOptions,
): FragmentedUpload {
  const { maxFileSize, log, save } = context;
  const { maxPendingSize, now } = options;
  const uploads = createPendingUploads(options, log);

  function prepare(name: string, totalSize: number): ActionResult<{ file_id: string }> {
    const limit = Math.min(maxFileSize, maxPendingSize);
    if (totalSize > limit) return tooLarge(totalSize, limit);
    const id = uploads.add(name, totalSize);
    return isFailure(id) ? id : ok({ file_id: id });
  }

  function transfer(id: string, offset: number, data: Uint8Array): ActionResult<null> {
    const upload = uploads.open(id);
    if (isFailure(upload)) return upload;
    const end = offset + data.byteLength;
    if (end > upload.totalSize) {
      return failed(
        RETCODE.BAD_PARAM,
        `offset: the fragment ends at ${end}, past total_size ${upload.totalSize}`,
      );
    }
    if (data.byteLength > 0) {
      const refused = uploads.write(upload, offset, data);
      if (refused !== undefined) return refused;
    }
    upload.touchedAt = now();
    return ok(null);
  }

  async function finish(id: string, sha256: string): Promise<ActionResult<{ file_id: string }>> {
    const upload = uploads.open(id);
    if (isFailure(upload)) return upload;
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
      saved = await save(upload.name, upload.buffer.subarray(0, upload.totalSize), sha256);
    } finally {
      upload.finishing = false;
      upload.touchedAt = now();
    }
    if (isFailure(saved)) return saved;
    uploads.drop(id, upload);
    return ok(saved);
  }

  async function handler(params: unknown): Promise<ActionResult<{ file_id: string } | null>> {
    const p = checkParams("upload_file_fragmented", params);
    if (isFailure(p)) return p;
    switch (p.stage) {
      case "prepare":
        return prepare(p.name, p.total_size);
      case "transfer":
        // `size` (removed in #230) was dropped by the validator.
        return transfer(p.file_id, p.offset, p.data);
      case "finish":
        return await finish(p.file_id, p.sha256);
    }
  }

  return { handler, sweep: uploads.sweep };
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
