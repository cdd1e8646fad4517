// Tests for file/fs_store.ts: the directory FileStore (§4.5). Content files are named by
// generated IDs only, so no peer-given name or file_id can reach a path outside the directory.
import { expect } from "expect";
import { createFsFileStore } from "../../file/fs_store.ts";
import { sha256Hex } from "../../file/sha256.ts";
import type { FileStore } from "../../file/store.ts";

const UUID_REGEXP = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A temporary parent directory with the store in `<parent>/store`; removed on dispose. */
async function tempStore(): Promise<
  { parent: string; directory: string; store: FileStore } & AsyncDisposable
> {
  const parent = await Deno.makeTempDir({ prefix: "libob_fs_store_" });
  const directory = `${parent}/store`;
  return {
    parent,
    directory,
    store: createFsFileStore({ directory, now: () => 42 }),
    async [Symbol.asyncDispose]() {
      await Deno.remove(parent, { recursive: true });
    },
  };
}

async function put(store: FileStore, text: string, name = "a.txt") {
  const data = new TextEncoder().encode(text);
  return await store.put({ name, data, sha256: await sha256Hex(data) });
}

async function list(directory: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(directory)) names.push(entry.name);
  return names.sort();
}

Deno.test("createFsFileStore() stores content and metadata under a generated ID (§4.5)", async () => {
  await using temp = await tempStore();
  const record = await put(temp.store, "hello", "hello.txt");
  expect(record.id).toMatch(UUID_REGEXP);
  expect(record).toMatchObject({ name: "hello.txt", size: 5, createdAt: 42 });
  expect(await temp.store.get(record.id)).toEqual(record);
  expect(await temp.store.read(record.id)).toEqual(new TextEncoder().encode("hello"));
  expect(await temp.store.read(record.id, { offset: 1, size: 3 })).toEqual(
    new TextEncoder().encode("ell"),
  );
  expect(await list(temp.directory)).toEqual([record.id, `${record.id}.json`].sort());
  const path = await temp.store.path!(record.id);
  expect(path).toBe(`${await Deno.realPath(temp.directory)}/${record.id}`);
  expect(await Deno.readTextFile(path!)).toBe("hello");
});

Deno.test("createFsFileStore() files survive a new store on the same directory", async () => {
  await using temp = await tempStore();
  const record = await put(temp.store, "kept");
  const again = createFsFileStore({ directory: temp.directory });
  expect(await again.get(record.id)).toEqual(record);
  expect(await again.read(record.id)).toEqual(new TextEncoder().encode("kept"));
});

Deno.test("createFsFileStore() deletes both entries of a file", async () => {
  await using temp = await tempStore();
  const record = await put(temp.store, "bye");
  expect(await temp.store.delete(record.id)).toBe(true);
  expect(await temp.store.delete(record.id)).toBe(false);
  expect(await temp.store.get(record.id)).toBe(undefined);
  expect(await temp.store.read(record.id)).toBe(undefined);
  expect(await temp.store.path!(record.id)).toBe(undefined);
  expect(await list(temp.directory)).toEqual([]);
});

Deno.test("createFsFileStore() never writes outside its directory, whatever the name", async () => {
  await using temp = await tempStore();
  const names = [
    "../../etc/passwd",
    "../escape.txt",
    "/etc/passwd",
    `${temp.parent}/absolute.txt`,
    "..\\..\\windows\\win.ini",
    "C:\\evil.txt",
    "a/b/c.txt",
    "..",
    "",
    "name\0with-nul",
  ];
  const ids: string[] = [];
  for (const name of names) {
    const record = await put(temp.store, `content of ${name}`, name);
    expect(record.id).toMatch(UUID_REGEXP);
    // The name is metadata only, returned exactly as given.
    expect((await temp.store.get(record.id))?.name).toBe(name);
    ids.push(record.id, `${record.id}.json`);
  }
  expect(await list(temp.directory)).toEqual(ids.sort());
  expect(await list(temp.parent)).toEqual(["store"]);
});

Deno.test("createFsFileStore() treats a file_id that is not one of its IDs as unknown", async () => {
  await using temp = await tempStore();
  await put(temp.store, "inside");
  // A file next to the store directory that a traversal would reach.
  await Deno.writeTextFile(`${temp.parent}/secret`, "secret");
  await Deno.writeTextFile(`${temp.parent}/secret.json`, "{}");
  const attempts = [
    "../secret",
    `${temp.parent}/secret`,
    "/etc/passwd",
    "../../../../etc/passwd",
    "..",
    ".",
    "",
    "00000000-0000-0000-0000-000000000000/../../secret",
    "00000000-0000-0000-0000-00000000000G",
  ];
  for (const id of attempts) {
    expect(await temp.store.get(id)).toBe(undefined);
    expect(await temp.store.read(id)).toBe(undefined);
    expect(await temp.store.read(id, { offset: 0, size: 1 })).toBe(undefined);
    expect(await temp.store.path!(id)).toBe(undefined);
    expect(await temp.store.delete(id)).toBe(false);
  }
  // A well-formed ID that was never issued is unknown too.
  expect(await temp.store.get("00000000-0000-0000-0000-000000000000")).toBe(undefined);
  expect(await Deno.readTextFile(`${temp.parent}/secret`)).toBe("secret");
});

Deno.test("createFsFileStore() creates its directory on the first upload", async () => {
  await using temp = await tempStore();
  await expect(Deno.stat(temp.directory)).rejects.toThrow(Deno.errors.NotFound);
  expect(await temp.store.get("00000000-0000-0000-0000-000000000000")).toBe(undefined);
  await put(temp.store, "x");
  expect((await Deno.stat(temp.directory)).isDirectory).toBe(true);
});

Deno.test("createFsFileStore() validates its options once", () => {
  expect(() => createFsFileStore({ directory: "" })).toThrow(
    "Cannot create fs file store: directory must be a non-empty string: current value is ",
  );
  expect(() => createFsFileStore({} as { directory: string })).toThrow(TypeError);
  expect(() => createFsFileStore({ directory: "x", now: 1 as unknown as () => number })).toThrow(
    TypeError,
  );
});
