/**
 * The execution-error retcodes of the file actions (checklist §2.4, §4.5).
 *
 * @module
 */

/**
 * The `3xxxx` codes the file actions answer with, one per cause, in the
 * recommended ranges of §2.4. Request errors use the standard codes:
 * 10003 for a missing or mistyped param, an unknown `stage` and a range
 * outside the file; 10004 for an unsupported `type` (an extension, `path`
 * when not allowed, `url` without `urlFor`, `path` on a store without local
 * files), for a URL the `urlPolicy` refuses (a scheme other than `http:` or
 * `https:`, a host at a loopback, private, link-local or otherwise
 * non-public address, at the first hop or at a redirect), and for a file
 * larger than `maxFileSize`.
 *
 * @example
 * ```ts
 * import { FILE_RETCODE } from "@libob/libob/file";
 * import { expect } from "expect";
 *
 * expect(FILE_RETCODE.FILE_NOT_FOUND).toBe(35001);
 * ```
 */
export const FILE_RETCODE = {
  /** `upload_file` with `type` `path`: the file could not be read (missing, not a regular file, denied). */
  PATH_READ_FAILED: 32001,
  /** The file store failed to write or read (any store error that is not a failure record). */
  STORE_FAILED: 32002,
  /** The file store is full (e.g. the memory store's `maxTotalSize`). */
  STORE_FULL: 32003,
  /** `upload_file` with `type` `url`: the download failed (connection, a host that does not resolve, a non-2xx status, more than 5 redirects). */
  DOWNLOAD_FAILED: 33001,
  /** `upload_file` with `type` `url`: the download took longer than `downloadTimeout`. */
  DOWNLOAD_TIMEOUT: 33002,
  /** `get_file`, `get_file_fragmented`: no file has this `file_id`. */
  FILE_NOT_FOUND: 35001,
  /** `upload_file_fragmented` transfer or finish: no upload in progress has this `file_id` (never prepared, finished, or expired). */
  UPLOAD_NOT_FOUND: 35002,
  /** The content does not match the given `sha256` (`upload_file`, `upload_file_fragmented` finish). */
  SHA256_MISMATCH: 35003,
  /** `upload_file_fragmented` finish before every byte of `total_size` was transferred. */
  UPLOAD_INCOMPLETE: 35004,
  /** Too many fragmented uploads in progress (`maxFragmentedUploads`), or too many disjoint fragments in one. */
  TOO_MANY_UPLOADS: 36001,
  /** `upload_file_fragmented` transfer: the unfinished uploads together would hold more than `maxPendingUploadSize` bytes. */
  UPLOADS_FULL: 36002,
} as const;
