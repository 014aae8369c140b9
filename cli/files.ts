/**
 * Files the user names: reading an input in chunks (`--file`,
 * `--from-pcap`; `-` is standard input) and opening an output (`-w`; `-`
 * is standard output), with errors that say what to do. A file that cannot
 * be read or written is a runtime failure (exit 1); what is wrong inside a
 * file that was read is the caller's to say (exit 2).
 *
 * @module
 */

import { InputError, RawframeError } from "../lib/errors.ts";
import { quote } from "./args.ts";
import { backgroundOutput, type Output } from "./background_output.ts";
import { reason } from "./os_reason.ts";
import { host } from "./host/runtime.ts";
import type { FileReader } from "./host/host.ts";

export type { Output };

/** The error for a file that could not be read or written. */
function fileError(
  error: unknown,
  option: string,
  path: string,
  access: "read" | "write",
): RawframeError {
  if (host.kindOf(error) === "not-capable") {
    const flag = access === "read" ? "--allow-read" : "--allow-write";
    return new RawframeError(
      `${option} ${
        quote(path)
      } needs ${access} permission: add ${flag} (deno run --allow-ffi ${flag} cli.ts ...)`,
    );
  }
  const verb = access === "read" ? "reading" : "writing";
  return new RawframeError(`${verb} ${quote(path)}: ${reason(error)}`, {
    cause: error,
  });
}

/** Bytes read at a time. */
const CHUNK_SIZE = 128 * 1024;

/**
 * The chunks of file `path` (given as `option`; `-`: standard input), in
 * order, until it ends. Every chunk is the same buffer, filled again: copy
 * what you keep. So reading allocates nothing per chunk, and memory is
 * the same for any file. Leaving the loop early closes the file.
 */
export async function* fileChunks(
  path: string,
  option: string,
): AsyncGenerator<Uint8Array, void, undefined> {
  let file: FileReader;
  try {
    file = await host.openRead(path);
  } catch (error) {
    throw fileError(error, option, path, "read");
  }
  const buffer = new Uint8Array(CHUNK_SIZE);
  try {
    for (;;) {
      let read;
      try {
        read = await file.read(buffer);
      } catch (error) {
        throw fileError(error, option, path, "read");
      }
      if (read === null) return;
      yield buffer.subarray(0, read);
    }
  } finally {
    file.close();
  }
}

/**
 * Reads file `path` (given as `option`) chunk by chunk, handing each to
 * `take`, until the file ends or `take` returns false (see
 * {@linkcode fileChunks}). An error thrown by `take` stops the reading at
 * once and is thrown as it is, so an endless or hostile input is refused
 * as soon as it goes wrong.
 */
export async function readChunks(
  path: string,
  option: string,
  take: (chunk: Uint8Array) => boolean | void,
): Promise<void> {
  for await (const chunk of fileChunks(path, option)) {
    if (take(chunk) === false) return;
  }
}

/**
 * Reads all of file `path`, which may hold at most `limit` bytes: the
 * reading stops at `limit` + 1, so `/dev/zero` is refused at once.
 *
 * @throws {InputError} when the file holds more than `limit` bytes.
 */
export async function readUserFile(
  path: string,
  option: string,
  limit: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  await readChunks(path, option, (chunk) => {
    size += chunk.length;
    if (size > limit) {
      throw new InputError(
        `${option} ${
          quote(path)
        } holds more than ${limit} bytes, more than a frame can carry`,
      );
    }
    chunks.push(chunk.slice()); // the buffer is filled again
  });
  const bytes = new Uint8Array(size);
  chunks.reduce((at, chunk) => (bytes.set(chunk, at), at + chunk.length), 0);
  return bytes;
}

/**
 * Opens file `path` for writing (`-`: standard output), at once (so a
 * path that cannot be written fails before anything starts), emptied and
 * written on a thread of its own from then on (background_output.ts). A
 * failed write (a full disk, say) becomes one error naming the file, and
 * the file is cut back to the end of the last whole write, so a capture
 * written in whole records stays readable.
 */
export function openOutput(path: string, option: string): Output {
  if (path === "-") return backgroundOutput(path);
  let held: Disposable;
  try {
    // Emptied by the writer thread: the pages the old contents free are
    // then on its CPU's lists, hot, for the new ones (measured: system
    // time of the writes 0.25 s against 0.1 s when truncated here).
    held = host.hold(path);
  } catch (error) {
    throw fileError(error, option, path, "write");
  }
  // Held open until the writer has opened it too: a FIFO's reader would
  // otherwise see the end of the file in between.
  using _held = held;
  return backgroundOutput(path);
}
