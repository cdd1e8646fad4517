/**
 * The file actions of OneBot 12 (checklist §4.5): `upload_file`,
 * `upload_file_fragmented`, `get_file` and `get_file_fragmented` over a
 * pluggable {@linkcode FileStore}, with a memory store and a directory store.
 *
 * ```ts
 * import { createOneBot } from "@libob/libob";
 * import { createFileActions, createMemoryFileStore } from "@libob/libob/file";
 *
 * await using onebot = createOneBot({
 *   impl: "my-impl",
 *   version: "1.0.0",
 *   bots: [{ self: { platform: "demo", user_id: "bot" }, online: true }],
 *   handlers: { ...createFileActions({ store: createMemoryFileStore() }) },
 *   websocket: false,
 * });
 * ```
 *
 * Rule IDs in this documentation (HTTP-14, META-C2…) name the rules of the
 * OneBot 12 standard; `docs/rules.md` in this package lists each with its
 * words and a link to its page at https://12.onebot.dev/.
 *
 * @module
 */

export { createFileActions, type FileActions, type FileActionsOptions } from "./actions.ts";
export type { FileUrl } from "./get_file.ts";
export type { UrlPolicy } from "./url_policy.ts";
export { createFsFileStore, type FsFileStoreOptions } from "./fs_store.ts";
export { createMemoryFileStore, type MemoryFileStoreOptions } from "./memory_store.ts";
export { FILE_RETCODE } from "./retcode.ts";
export { isSha256Hex, sha256Hex } from "./sha256.ts";
export type { ByteRange, FileRecord, FileStore, NewFile } from "./store.ts";

// Types that this entry point's signatures use, re-exported so that its
// documentation stands alone (`deno doc --lint`).
export type {
  ActionContext,
  ActionHandler,
  ActionResult,
  ConnectionKind,
  Failure,
  FileTransferType,
  GetFileData,
  GetFileFragmentedData,
  GetFileFragmentedParams,
  Ok,
  UploadFileFragmentedParams,
  UploadFileParams,
} from "../action/mod.ts";
export type { BotSelf, ExtensionName } from "../event/mod.ts";
