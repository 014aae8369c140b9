/**
 * Files the user names: reading an input (`--file`, `--from-pcap`; `-` is
 * standard input) and opening an output (`-w`; `-` is standard output),
 * with errors that say what to do.
 *
 * @module
 */

import { RawframeError } from "../lib/errors.ts";
import { writeAll } from "./output.ts";

/** Reads all of file `path` (given as `option`). */
export async function readUserFile(
  path: string,
  option: string,
): Promise<Uint8Array> {
  try {
    if (path === "-") {
      return new Uint8Array(
        await new Response(Deno.stdin.readable).arrayBuffer(),
      );
    }
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) {
      throw new RawframeError(
        `${option} ${path} needs read permission: add --allow-read (deno run --allow-ffi --allow-read cli.ts ...)`,
      );
    }
    if (error instanceof Deno.errors.NotFound) {
      throw new RawframeError(`${option} ${path}: no such file`);
    }
    throw new RawframeError(`${option} ${path}: ${(error as Error).message}`);
  }
}

/** Where output goes: bytes in, and a close. */
export interface Output {
  /** Writes all of `bytes`. */
  write(bytes: Uint8Array): void;
  /** Closes the file (nothing for standard output). */
  close(): void;
}

/** Opens file `path` for writing (`-`: standard output). */
export function openOutput(path: string, option: string): Output {
  if (path === "-") {
    return { write: (bytes) => writeAll(Deno.stdout, bytes), close: () => {} };
  }
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) {
      throw new RawframeError(
        `${option} ${path} needs write permission: add --allow-write (deno run --allow-ffi --allow-write cli.ts ...)`,
      );
    }
    throw new RawframeError(`${option} ${path}: ${(error as Error).message}`);
  }
  return { write: (bytes) => writeAll(file, bytes), close: () => file.close() };
}
