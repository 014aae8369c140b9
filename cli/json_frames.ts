/**
 * `send --from-json FILE|-`: the frames of NDJSON records, as `read
 * --json` and `listen --json` write them, read as they stream in. Each
 * line is checked before anything is sent; a line longer than any record
 * of the largest frame could be, or one that is no record, stops the
 * reading with its line number.
 *
 * @module
 */

import { readChunks } from "./files.ts";
import { quote } from "./args.ts";
import { FrameError, InputError } from "../lib/errors.ts";
import { recordFrame } from "../lib/record_frame.ts";

/**
 * The longest line read: a record of a 64 KiB frame, its payload and raw
 * layer in hex (256 KiB) and its decoded layers, with room to spare.
 */
export const MAX_RECORD_LINE = 1 << 20;

/** The frames of the records in `path` (`-`: standard input). */
export async function readJsonFrames(path: string): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  const decoder = new TextDecoder();
  let pending = "";
  let line = 0;
  const take = (text: string): void => {
    line++;
    if (text.trim() === "") return;
    try {
      frames.push(recordFrame(JSON.parse(text)));
    } catch (error) {
      const why = error instanceof SyntaxError
        ? "not JSON"
        : error instanceof InputError
        ? error.message
        : String(error);
      throw new FrameError(`--from-json ${quote(path)}: line ${line}: ${why}`);
    }
  };
  await readChunks(path, "--from-json", (chunk) => {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop()!;
    lines.forEach(take);
    if (pending.length > MAX_RECORD_LINE) {
      throw new FrameError(
        `--from-json ${quote(path)}: line ${
          line + 1
        } is longer than ${MAX_RECORD_LINE} bytes: no record is`,
      );
    }
  });
  take(pending + decoder.decode());
  return frames;
}
