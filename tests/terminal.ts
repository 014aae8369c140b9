/**
 * A real pseudo-terminal for tests of what rawframe draws only on one:
 * util-linux `script` runs a shell line with its standard streams on a
 * pty and copies everything shown.
 *
 * @module
 */

import { assertEquals } from "./assert.ts";
import { run } from "./helpers.ts";

/** Carriage return and erase to the end of the line: one redraw. */
export const CLEAR = "\r\x1b[K";

/** Runs a shell line on a pseudo-terminal; returns everything it showed. */
export async function onTerminal(line: string): Promise<string> {
  const out = await run("script", ["-qfec", line, "/dev/null"], {
    timeoutMs: 30_000,
  });
  assertEquals(out.code, 0, out.stdout);
  return out.stdout.replaceAll("\r\n", "\n");
}

/**
 * The status lines drawn in `shown`: each redraw's text, up to the last
 * clearing (what follows that is the summary).
 */
export function statusLines(shown: string): string[] {
  return shown.split(CLEAR).slice(1, -1);
}
