/**
 * Builds rawframe as one executable with `bun build --compile` (Bun pinned
 * in scripts/tools.ts, from npm; it works offline, where `deno compile`
 * needs Deno's download server). The result needs only glibc: no deno,
 * no bun, no node_modules.
 *
 * Usage: deno task binary [OUTPUT]   (default: ./rawframe)
 *
 * @module
 */

import { BUN, ensureTools } from "./tools.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Builds the binary at `output`; returns its path. */
export async function buildBinary(
  output: string = `${ROOT}rawframe`,
): Promise<string> {
  await ensureTools();
  const out = await new Deno.Command(BUN, {
    args: ["build", "--compile", "--outfile", output, `${ROOT}cli.ts`],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `bun build --compile failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return output;
}

if (import.meta.main) console.log(await buildBinary(Deno.args[0]));
