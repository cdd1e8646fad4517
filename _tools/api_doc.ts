/**
 * Writes `docs/api.md`, the list of every export of every entry point in
 * `deno.json`, from `deno doc --json`. `--check` exits 1 when the page is out
 * of date (`deno task test` runs it).
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-run _tools/api_doc.ts [--check]
 * ```
 *
 * @module
 */

interface DocSymbol {
  name: string;
  declarations: {
    kind: string;
    location: { filename: string };
    jsDoc?: { doc?: string };
  }[];
}

const ROOT = new URL("../", import.meta.url);
const PAGE = new URL("docs/api.md", ROOT);

const KIND: Record<string, string> = {
  function: "function",
  interface: "interface",
  typeAlias: "type",
  variable: "const",
  namespace: "namespace",
  enum: "enum",
  class: "class",
};

/** The first sentence of a JSDoc text, on one line, links reduced to their names. */
function firstSentence(doc: string | undefined): string {
  const text = (doc ?? "").split(/\n\s*\n/)[0]!.replace(/\s+/g, " ").trim()
    .replace(/\{@link(?:code|plain)? ([^}|\s]+)(?:[ |][^}]*)?\}/g, "`$1`");
  const end = text.search(/[.:](\s|$)/);
  const sentence = end === -1 ? text : text.slice(0, end + 1);
  return sentence.replace(/:$/, ".").replaceAll("|", "\\|");
}

/** Runs `deno doc --json` on one module and returns its exported symbols. */
async function symbolsOf(path: string): Promise<DocSymbol[]> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", path],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`deno doc ${path} failed: ${new TextDecoder().decode(stderr)}`);
  const json = JSON.parse(new TextDecoder().decode(stdout));
  const nodes = Object.values(json.nodes) as { symbols: DocSymbol[] }[];
  return nodes.flatMap((node) => node.symbols);
}

/** The directory, relative to the root, that a declaration lives in. */
function dirOf(filename: string): string {
  const relative = filename.slice(ROOT.href.length);
  const slash = relative.lastIndexOf("/");
  return slash === -1 ? "." : relative.slice(0, slash);
}

/** Builds the page's Markdown. */
export async function apiPage(): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const exports = config.exports as Record<string, string>;
  const lines = [
    "# Every export, by entry point",
    "",
    "Generated from `deno doc --json` by `_tools/api_doc.ts`; `deno task test` fails when this page",
    "is out of date. Read a name's full documentation with `deno doc <entry point>` (for example",
    "`deno doc --filter createOneBot mod.ts`) or on JSR. Where an entry point re-exports types that",
    "its signatures use (so that its documentation stands alone), they are listed after its own",
    "exports.",
  ];
  const homes = new Map<string, string>();
  for (const [key, path] of Object.entries(exports)) {
    const dir = dirOf(new URL(path, ROOT).href);
    if (key !== "." && !homes.has(dir)) homes.set(dir, key);
  }
  for (const [key, path] of Object.entries(exports)) {
    const specifier = key === "." ? "@libob/libob" : `@libob/libob/${key.slice(2)}`;
    const symbols = await symbolsOf(path);
    const home = dirOf(new URL(path, ROOT).href);
    const own = key === "."
      ? symbols.filter((symbol) => !homes.has(dirOf(symbol.declarations[0]!.location.filename)))
      : symbols.filter((symbol) => dirOf(symbol.declarations[0]!.location.filename) === home);
    const others = symbols.filter((symbol) => !own.includes(symbol));
    if (key === ".") {
      const sources = new Set(others.map((s) => dirOf(s.declarations[0]!.location.filename)));
      const absent = Object.entries(exports)
        .filter(([k, p]) => k !== "." && !sources.has(dirOf(new URL(p, ROOT).href)))
        .map(([k]) => k);
      lines.push(
        "",
        `The root re-exports much of the subpaths; not ${
          absent.map((k) => `\`@libob/libob/${k.slice(2)}\``).join(", ")
        }: import those from their own paths.`,
      );
    }
    lines.push("", `## \`${specifier}\``, "");
    if (symbols.length === 0) lines.push("No exports: a command. Run it with `deno run -A`.");
    if (own.length > 0) {
      lines.push("| Name | Kind | What |", "| --- | --- | --- |");
      for (const symbol of own.toSorted((a, b) => a.name.localeCompare(b.name))) {
        const declaration = symbol.declarations[0]!;
        lines.push(
          `| \`${symbol.name}\` | ${KIND[declaration.kind] ?? declaration.kind} | ${
            firstSentence(declaration.jsDoc?.doc)
          } |`,
        );
      }
    }
    const bySource = Map.groupBy(
      others,
      (symbol) => homes.get(dirOf(symbol.declarations[0]!.location.filename)) ?? ".",
    );
    for (const [source, group] of [...bySource].toSorted(([a], [b]) => a.localeCompare(b))) {
      const from = source === "." ? "@libob/libob" : `@libob/libob/${source.slice(2)}`;
      const names = group.map((symbol) => symbol.name).toSorted()
        .map((name) => `\`${name}\``).join(", ");
      lines.push(
        "",
        key === "."
          ? `From \`${from}\`: ${names}.`
          : `Also re-exported from \`${from}\`: ${names}.`,
      );
    }
  }
  return await formatted(lines.join("\n") + "\n");
}

/** Formats Markdown as `deno fmt` does, so that the page passes `deno fmt --check`. */
async function formatted(markdown: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "md", "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(markdown));
  await writer.close();
  const { code, stdout } = await child.output();
  if (code !== 0) throw new Error("deno fmt failed on the generated page");
  return new TextDecoder().decode(stdout);
}

if (import.meta.main) {
  const page = await apiPage();
  if (Deno.args.includes("--check")) {
    const current = await Deno.readTextFile(PAGE).catch(() => "");
    if (current !== page) {
      // deno-lint-ignore no-console
      console.error("docs/api.md is out of date: run deno run -A _tools/api_doc.ts");
      Deno.exit(1);
    }
  } else {
    await Deno.writeTextFile(PAGE, page);
  }
}
