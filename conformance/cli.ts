/**
 * The conformance checker's command line: `deno run -A
 * jsr:@libob/libob/conformance/cli <url> [options]` prints a report and exits
 * 0 when every MUST/SHALL check passes, 1 when one fails, 2 on a usage or
 * connection error. As a library, use {@linkcode runConformance} from
 * `@libob/libob/conformance`.
 *
 * ```sh
 * deno run -A jsr:@libob/libob/conformance/cli http://127.0.0.1:8080/ --token s3cret
 * ```
 *
 * @module
 */

import { parseArgs, USAGE } from "./_cli.ts";
import { formatReport, runConformance } from "./mod.ts";

if (import.meta.main) {
  await main(Deno.args);
}

/** Runs the checker as a command and exits with its status. */
async function main(args: string[]): Promise<never> {
  let cli: ReturnType<typeof parseArgs>;
  try {
    cli = parseArgs(args);
  } catch (error) {
    // deno-lint-ignore no-console
    console.error(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    Deno.exit(2);
  }
  if (cli === "help") {
    // deno-lint-ignore no-console
    console.log(USAGE);
    Deno.exit(0);
  }
  const { json, ...rest } = cli;
  try {
    const report = await runConformance({
      ...rest,
      onListen({ webhookUrl, reverseUrl }) {
        const parts = [
          ...(webhookUrl === undefined ? [] : [`http_webhook url ${webhookUrl}`]),
          ...(reverseUrl === undefined ? [] : [`websocket_rev url ${reverseUrl}`]),
        ];
        const message = `configure your implementation with ${parts.join(" and ")}` +
          ` (waiting up to ${rest.waitPush ?? 30} s)`;
        // deno-lint-ignore no-console
        (json ? console.error : console.log)(message);
      },
    });
    // deno-lint-ignore no-console
    console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
    Deno.exit(report.ok ? 0 : 1);
  } catch (error) {
    // deno-lint-ignore no-console
    console.error(`conformance: ${error instanceof Error ? error.message : error}`);
    Deno.exit(2);
  }
}
