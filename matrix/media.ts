/**
 * Media: a libob `FileStore` over the Matrix media repository, so that the
 * standard file actions work on Matrix media. `upload_file` uploads to the
 * homeserver and answers the `mxc://` URI as the `file_id`; `get_file`
 * downloads any `mxc://` URI (of an upload, or of an image a user sent).
 *
 * @module
 */

import { type FileRecord, type FileStore, sha256Hex } from "@libob/libob/file";
import type { MatrixClient } from "./client.ts";

/** What the bridge knows of one `mxc://` URI. */
export interface MediaInfo {
  name: string;
  mimetype?: string;
  size?: number;
}

/** How many media records are kept (oldest forgotten first). */
const MAX_RECORDS = 1000;

const TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  m4a: "audio/mp4",
  wav: "audio/wav",
  mp4: "video/mp4",
  webm: "video/webm",
  txt: "text/plain",
  pdf: "application/pdf",
  json: "application/json",
};

/** The media type of a file name, by its extension (`application/octet-stream` otherwise). */
export function mediaType(name: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  return TYPES[extension] ?? "application/octet-stream";
}

/** Keeps a bounded map's newest `MAX_RECORDS` entries. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_RECORDS) map.delete(map.keys().next().value!);
}

/** Records the name and type of the media of an incoming `m.room.message` content. */
export function rememberMedia(
  media: Map<string, MediaInfo>,
  content: Record<string, unknown>,
): void {
  if (typeof content.url !== "string" || !content.url.startsWith("mxc://")) return;
  const info = (content.info ?? {}) as Record<string, unknown>;
  const entry: MediaInfo = {
    name: typeof content.filename === "string"
      ? content.filename
      : typeof content.body === "string"
      ? content.body
      : "",
  };
  if (typeof info.mimetype === "string") entry.mimetype = info.mimetype;
  if (typeof info.size === "number") entry.size = info.size;
  remember(media, content.url, entry);
}

/**
 * The store. Records are kept in memory for the last 1000 media; an
 * `mxc://` URI without a record is downloaded (at most `maxFileSize` bytes)
 * to learn its size and hash. Media cannot be deleted from the repository:
 * `delete` only forgets the record.
 */
export function createMatrixFileStore(
  client: MatrixClient,
  media: Map<string, MediaInfo>,
  maxFileSize: number,
): FileStore {
  const records = new Map<string, FileRecord>();
  async function download(id: string): Promise<Uint8Array | undefined> {
    if (!id.startsWith("mxc://")) return undefined;
    try {
      return (await client.download(id, maxFileSize)).data;
    } catch {
      return undefined;
    }
  }
  return {
    async put(file) {
      const type = mediaType(file.name);
      const id = await client.upload(file.data, file.name, type);
      const record: FileRecord = {
        id,
        name: file.name,
        size: file.data.byteLength,
        sha256: file.sha256,
        createdAt: Date.now(),
      };
      remember(records, id, record);
      remember(media, id, { name: file.name, mimetype: type, size: file.data.byteLength });
      return record;
    },
    async get(id) {
      const known = records.get(id);
      if (known !== undefined) return known;
      const data = await download(id);
      if (data === undefined) return undefined;
      const record: FileRecord = {
        id,
        name: media.get(id)?.name || id.slice(id.lastIndexOf("/") + 1),
        size: data.byteLength,
        sha256: await sha256Hex(data),
        createdAt: Date.now(),
      };
      remember(records, id, record);
      return record;
    },
    async read(id, range) {
      const data = await download(id);
      if (data === undefined || range === undefined) return data;
      return data.slice(range.offset, range.offset + range.size);
    },
    delete: (id) => Promise.resolve(records.delete(id)),
  };
}
