// Tests for file/memory_store.ts: the in-memory FileStore behind the file actions (§4.5).
import { expect } from "expect";
import { isFailure } from "../../action/result.ts";
import { createMemoryFileStore } from "../../file/memory_store.ts";
import { FILE_RETCODE } from "../../file/retcode.ts";
import { sha256Hex } from "../../file/sha256.ts";
import type { FileStore } from "../../file/store.ts";

async function put(store: FileStore, text: string, name = "a.txt") {
  const data = new TextEncoder().encode(text);
  return await store.put({ name, data, sha256: await sha256Hex(data) });
}

Deno.test("createMemoryFileStore() stores a file with its metadata (§4.5)", async () => {
  const store = createMemoryFileStore({ now: () => 1234 });
  const record = await put(store, "hello", "hello.txt");
  expect(record).toEqual({
    id: expect.any(String),
    name: "hello.txt",
    size: 5,
    sha256: await sha256Hex(new TextEncoder().encode("hello")),
    createdAt: 1234,
  });
  expect(await store.get(record.id)).toEqual(record);
  expect(await store.read(record.id)).toEqual(new TextEncoder().encode("hello"));
  expect(store.path).toBe(undefined);
});

Deno.test("createMemoryFileStore() reads byte ranges", async () => {
  const store = createMemoryFileStore();
  const { id } = await put(store, "0123456789");
  expect(await store.read(id, { offset: 2, size: 3 })).toEqual(new TextEncoder().encode("234"));
  expect(await store.read(id, { offset: 10, size: 0 })).toEqual(new Uint8Array(0));
});

Deno.test("createMemoryFileStore() keeps its own copy of the content", async () => {
  const store = createMemoryFileStore();
  const data = new Uint8Array([1, 2, 3]);
  const { id } = await store.put({ name: "x", data, sha256: await sha256Hex(data) });
  data[0] = 9;
  const read = (await store.read(id))!;
  expect(read).toEqual(new Uint8Array([1, 2, 3]));
  read[1] = 9;
  expect(await store.read(id)).toEqual(new Uint8Array([1, 2, 3]));
});

Deno.test("createMemoryFileStore() answers undefined and false for unknown IDs", async () => {
  const store = createMemoryFileStore();
  for (const id of ["nope", "", "__proto__", "../x"]) {
    expect(await store.get(id)).toBe(undefined);
    expect(await store.read(id)).toBe(undefined);
    expect(await store.delete(id)).toBe(false);
  }
});

Deno.test("createMemoryFileStore() refuses a file that does not fit with STORE_FULL (32003)", async () => {
  const store = createMemoryFileStore({ maxTotalSize: 8 });
  const first = await put(store, "12345");
  const error = await put(store, "6789").catch((reason: unknown) => reason);
  expect(isFailure(error)).toBe(true);
  expect(error).toMatchObject({ retcode: FILE_RETCODE.STORE_FULL });
  // Existing files stay valid; deleting one frees its space.
  expect(await store.get(first.id)).toBeDefined();
  expect(await store.delete(first.id)).toBe(true);
  expect(await store.delete(first.id)).toBe(false);
  await put(store, "12345678");
});

Deno.test("createMemoryFileStore() with evictOldest drops the oldest files to make room", async () => {
  const store = createMemoryFileStore({ maxTotalSize: 10, evictOldest: true });
  const a = await put(store, "aaaa");
  const b = await put(store, "bbbb");
  const c = await put(store, "cccc");
  expect(await store.get(a.id)).toBe(undefined);
  expect(await store.get(b.id)).toBeDefined();
  expect(await store.get(c.id)).toBeDefined();
  // Larger than the whole store: refused even with eviction, and nothing is evicted.
  await expect(put(store, "x".repeat(11))).rejects.toMatchObject({
    retcode: FILE_RETCODE.STORE_FULL,
  });
  expect(await store.get(b.id)).toBeDefined();
});

Deno.test("createMemoryFileStore() validates its options once", () => {
  expect(() => createMemoryFileStore({ maxTotalSize: 0 })).toThrow(RangeError);
  expect(() => createMemoryFileStore({ maxTotalSize: 1.5 })).toThrow(
    "Cannot create memory file store: maxTotalSize must be an integer > 0: current value is 1.5",
  );
  expect(() => createMemoryFileStore({ evictOldest: "yes" as unknown as boolean })).toThrow(
    TypeError,
  );
  expect(() => createMemoryFileStore({ now: 5 as unknown as () => number })).toThrow(TypeError);
});
