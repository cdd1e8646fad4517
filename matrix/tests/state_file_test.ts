import { expect } from "expect";
import { readState, writeState } from "../state_file.ts";

Deno.test("state file: missing is a first start; written atomically and read back; garbage refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/state.json`;
    expect(await readState(path)).toEqual({});
    await writeState(path, { since: "s1_2" });
    await writeState(path, { since: "s3_4" });
    expect(await readState(path)).toEqual({ since: "s3_4" });
    // Nothing but the file is left behind (the temporary one was renamed).
    expect([...Deno.readDirSync(dir)].map((entry) => entry.name)).toEqual(["state.json"]);
    await Deno.writeTextFile(path, "null");
    await expect(readState(path)).rejects.toThrow(TypeError);
    await Deno.writeTextFile(path, "{");
    await expect(readState(path)).rejects.toThrow(SyntaxError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
