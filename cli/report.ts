/**
 * Errors as the command line shows them: one `error:` line on stderr and
 * the documented exit code, never a stack trace.
 *
 * @module
 */

import { InputError, RawframeError } from "../lib/errors.ts";
import { printable } from "../lib/escape.ts";
import { err } from "./output.ts";

/** Exit code of a run that worked. */
export const EXIT_OK = 0;
/** Exit code of a runtime failure: permission, interface, send error. */
export const EXIT_FAILURE = 1;
/** Exit code of a usage error: bad MAC, EtherType, option or argument. */
export const EXIT_USAGE = 2;

/** `text` on one line: control characters written as escapes (`\\x0a`). */
export function oneLine(text: string): string {
  return printable(text);
}

/** Prints `error` as one line and returns its exit code. */
export function report(error: unknown): number {
  if (error instanceof Deno.errors.BrokenPipe) return EXIT_OK;
  try {
    if (error instanceof InputError) {
      err(`error: ${oneLine(error.message)}`);
      return EXIT_USAGE;
    }
    if (error instanceof RawframeError) {
      err(`error: ${oneLine(error.message)}`);
      return EXIT_FAILURE;
    }
    if (error instanceof Deno.errors.NotCapable) {
      // FFI is the one permission every command needs; any other denial
      // (only possible when embedded) is said as Deno says it.
      err(
        /\bffi\b/.test(error.message) || error.message === ""
          ? "error: rawframe calls libc through FFI: run it with --allow-ffi, e.g. sudo deno run --allow-ffi cli.ts ..."
          : `error: ${oneLine(error.message)}`,
      );
      return EXIT_FAILURE;
    }
    const message = error instanceof Error ? error.message : String(error);
    err(`error: unexpected failure: ${oneLine(message)}`);
  } catch {
    // stderr is gone too: nothing left to tell
  }
  return EXIT_FAILURE;
}
