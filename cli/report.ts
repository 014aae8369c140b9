/**
 * Errors as the command line shows them: one `error:` line on stderr and
 * the documented exit code, never a stack trace.
 *
 * @module
 */

import { InputError, RawframeError } from "../lib/errors.ts";
import { printable, safeJson } from "../lib/escape.ts";
import { err, speaksJson } from "./output.ts";
import { host } from "./host/runtime.ts";

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

/**
 * Prints `error` as one line (`error: ...`, or with --json
 * `{"error":...,"exit":N}`) and returns its exit code.
 */
export function report(error: unknown): number {
  if (host.kindOf(error) === "broken-pipe") return EXIT_OK;
  const [message, code] = described(error);
  try {
    err(
      speaksJson()
        ? safeJson({ error: message, exit: code })
        : `error: ${oneLine(message)}`,
    );
  } catch {
    // stderr is gone too: nothing left to tell
  }
  return code;
}

/** What to say of `error`, and its exit code. */
function described(error: unknown): [string, number] {
  if (error instanceof InputError) return [error.message, EXIT_USAGE];
  if (error instanceof RawframeError) return [error.message, EXIT_FAILURE];
  if (host.kindOf(error) === "not-capable") {
    const text = (error as Error).message;
    // FFI is the one permission every command needs; any other denial
    // (only possible when embedded) is said as Deno says it.
    return [
      /\bffi\b/.test(text) || text === ""
        ? "rawframe calls libc through FFI: run it with --allow-ffi, e.g. sudo deno run --allow-ffi cli.ts ..."
        : text,
      EXIT_FAILURE,
    ];
  }
  const message = error instanceof Error ? error.message : String(error);
  return [`unexpected failure: ${message}`, EXIT_FAILURE];
}
