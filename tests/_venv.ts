/**
 * The Python virtual environments that `.ci/run` makes for the tests against
 * real peers (aiohttp, NoneBot2, Synapse), found the one way they all use:
 * `LIBOB_<NAME>_PYTHON`, by default
 * `${XDG_CACHE_HOME:-$HOME/.cache}/libob/venv-<name>/bin/python`. Without
 * it a test is skipped, except in CI (`CI=true`), where it fails saying so.
 *
 * @module
 */

/** One virtual environment, as the tests that need it see it. */
export interface Venv {
  /** Its Python. */
  python: string;
  /** Whether that Python runs and has what the tests need. */
  available: boolean;
  /** Skip the tests: no such Python, and not in CI. */
  ignore: boolean;
  /** Appended to a skipped test's name: why, and how to run it. */
  skipped: string;
  /** Why a test that needs it cannot run: the error it throws in CI. */
  missing: string;
}

/**
 * Finds the virtual environment `name` (`venv-<name>`) and checks it with
 * `python ...check`, which must exit 0.
 *
 * @param name The environment's name in `.ci/run`: `aiohttp`, `nonebot`, `synapse`.
 * @param what What it provides, for the messages: `aiohttp`, `nonebot2`.
 * @param check The arguments of the check, e.g. `["-c", "import aiohttp"]`.
 */
export async function findVenv(name: string, what: string, check: string[]): Promise<Venv> {
  const variable = `LIBOB_${name.toUpperCase()}_PYTHON`;
  const cache = Deno.env.get("XDG_CACHE_HOME") || `${Deno.env.get("HOME") ?? ""}/.cache`;
  const python = Deno.env.get(variable) || `${cache}/libob/venv-${name}/bin/python`;
  const available = await runsOk(python, check);
  const ignore = !available && Deno.env.get("CI") !== "true";
  return {
    python,
    available,
    ignore,
    skipped: ignore
      ? ` [skipped: no Python with ${what} at ${python}; bash .ci/run makes it, or set ${variable}]`
      : "",
    missing:
      `No Python with ${what} at ${python}: .ci/run makes its virtual environment (${variable})`,
  };
}

/** Whether `command` with `args` runs and exits 0 (its output discarded). */
export async function runsOk(command: string, args: string[]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

/**
 * The arguments that check a module is installed: found, not imported
 * (importing Synapse takes seconds).
 */
export function findsModule(module: string): string[] {
  return [
    "-c",
    `import importlib.util, sys; sys.exit(importlib.util.find_spec("${module}") is None)`,
  ];
}
