/**
 * The bridge's state file: the `/sync` `since` token, written after every
 * batch of events has been emitted, so that a restart neither loses nor
 * repeats one. JSON (`{"since": "s123_…"}`), replaced atomically (written
 * to a temporary file next to it, then renamed).
 *
 * @module
 */

/** What the state file holds. */
export interface BridgeState {
  /** The `next_batch` of the last `/sync` whose events were all emitted. */
  since?: string;
}

/** Reads the state; a missing file is an empty state (a first start). */
export async function readState(path: string): Promise<BridgeState> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  const value = JSON.parse(text) as unknown;
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`The state file ${path} does not hold an object`);
  }
  const since = (value as Record<string, unknown>).since;
  return typeof since === "string" ? { since } : {};
}

/** Writes the state atomically. */
export async function writeState(path: string, state: BridgeState): Promise<void> {
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temporary, JSON.stringify(state) + "\n");
  try {
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
