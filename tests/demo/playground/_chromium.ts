/**
 * A real browser for tests: Debian's Chromium (`apt-get install chromium`)
 * driven by playwright-core, headless, with a fresh profile and nothing that
 * talks to the network on its own.
 *
 * @module
 */

import { type BrowserContext, chromium } from "playwright-core";

/** Where Chromium is: `LIBOB_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH: string = Deno.env.get("LIBOB_CHROMIUM") || "/usr/bin/chromium";

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * Whether the browser tests are skipped: only when Chromium is missing and
 * this is not CI. In CI (`CI` set) a missing browser fails the test instead,
 * with a message that says what to install.
 */
export const BROWSER_TESTS_IGNORED: boolean = !exists(CHROMIUM_PATH) && !Deno.env.get("CI");

const ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** A browser with a fresh profile; disposing it closes it and removes the profile. */
export interface Browser extends AsyncDisposable {
  /** The browser context (one profile); open pages with `newPage()`. */
  context: BrowserContext;
}

/** `tests/out/`, created if needed (gitignored): screenshots go there. */
export async function outDir(): Promise<string> {
  const dir = new URL("../../out/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  return dir.pathname;
}

/** Launches headless Chromium with a fresh `--user-data-dir`. */
export async function launchBrowser(
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<Browser> {
  if (!exists(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: apt-get install chromium (or set LIBOB_CHROMIUM)`,
    );
  }
  const profile = await Deno.makeTempDir({ prefix: "libob-chromium-" });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport,
    });
  } catch (error) {
    await Deno.remove(profile, { recursive: true });
    throw error;
  }
  return {
    context,
    async [Symbol.asyncDispose]() {
      await context.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}
