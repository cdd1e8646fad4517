/**
 * Reading a byte stream with a size limit, for request bodies and downloads.
 * Private: not exported from `mod.ts`.
 *
 * @module
 */

/** What {@linkcode readLimited} read: the bytes, or how many it had when it stopped. */
export type LimitedRead = { bytes: Uint8Array } | { exceeded: number };

/**
 * Reads `stream` to its end without ever holding more than `limit` bytes: past
 * the limit the stream is cancelled and the count read so far returned.
 * Rejects when reading fails.
 */
export async function readLimited(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<LimitedRead> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return { exceeded: size };
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  if (chunks.length === 1) return { bytes: chunks[0]! };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes };
}
