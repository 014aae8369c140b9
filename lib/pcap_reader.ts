/**
 * Reading capture files, classic pcap (either byte order, µs or ns) and
 * pcapng, as tcpdump and tshark write them. Files from elsewhere are
 * hostile until checked: every length is checked against the bytes that
 * are there before anything is allocated, so reading costs memory in
 * proportion to the file and a malformed file is one FrameError naming
 * the record or block. Pure: the caller does the I/O, in chunks of any
 * size, so an endless input is refused as soon as it goes wrong.
 *
 * @module
 */

import { FrameError } from "./errors.ts";
import { MAGIC_MICRO, MAGIC_NANO } from "./pcap_writer.ts";
import type { Format, PcapFrame } from "./capture_format.ts";
import { ClassicPcap } from "./pcap_classic.ts";
import { Pcapng, PCAPNG_SHB } from "./pcapng.ts";

export type { PcapFrame } from "./capture_format.ts";

/**
 * Reads a capture file given in chunks: push each chunk as it is read,
 * take the frames it completes, and call end() when the input ends.
 *
 * @example
 * ```ts
 * import { PcapReader, pcapHeader, pcapRecord } from "@rawframe/rawframe/pcap";
 * const reader = new PcapReader();
 * const file = new Uint8Array([
 *   ...pcapHeader(),
 *   ...pcapRecord(new Uint8Array(60), { seconds: 1, nanoseconds: 0 }),
 * ]);
 * reader.push(file.subarray(0, 30)).length; // 0: the record is not whole yet
 * reader.push(file.subarray(30)).length; // 1
 * reader.end();
 * ```
 */
export class PcapReader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #need = 4; // bytes to wait for before parsing again
  #format: Format | undefined;
  #empty = true;

  /**
   * Takes the next chunk of the file.
   *
   * @returns the frames completed by it.
   * @throws {FrameError} when the file is not a capture or is malformed.
   */
  push(chunk: Uint8Array): PcapFrame[] {
    if (chunk.length === 0) return [];
    this.#empty = false;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    // Chunks are joined only once a whole header, record or block is
    // there, so a large block arriving in many chunks is copied once.
    if (this.#buffered < this.#need) return [];
    const pending = this.#joined();
    const view = new DataView(
      pending.buffer,
      pending.byteOffset,
      pending.byteLength,
    );
    const frames: PcapFrame[] = [];
    let at = 0;
    for (;;) {
      this.#format ??= detect(view);
      if (this.#format === undefined) break;
      const used = this.#format.step(view, at, frames);
      if (used < 0) {
        this.#need = -used;
        break;
      }
      at += used;
    }
    const rest = pending.slice(at);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered = rest.length;
    return frames;
  }

  #joined(): Uint8Array {
    if (this.#chunks.length === 1) return this.#chunks[0];
    const joined = new Uint8Array(this.#buffered);
    let at = 0;
    for (const chunk of this.#chunks) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    return joined;
  }

  /**
   * Says the input has ended.
   *
   * @throws {FrameError} when it ended inside a header, record or block.
   */
  end(): void {
    if (this.#empty) throw new FrameError("not a capture file: it is empty");
    if (this.#buffered === 0) return;
    const format = this.#format;
    if (format === undefined) {
      throw new FrameError("not a capture file: it is shorter than any header");
    }
    throw new FrameError(
      `truncated ${format.kind} file: ${format.current()} is cut short`,
    );
  }
}

/** The format the first bytes announce; undefined while fewer than 4. */
function detect(view: DataView): Format | undefined {
  if (view.byteLength < 4) return undefined;
  const le = view.getUint32(0, true);
  const be = view.getUint32(0, false);
  if (le === PCAPNG_SHB) return new Pcapng();
  if ([MAGIC_MICRO, MAGIC_NANO].some((m) => m === le || m === be)) {
    return new ClassicPcap();
  }
  throw new FrameError(
    "not a pcap or pcapng file: unknown magic number",
  );
}

/**
 * Reads every frame of a whole capture file in memory.
 *
 * @throws {FrameError} when the bytes are not such a file, or are cut short.
 */
export function readPcap(bytes: Uint8Array): PcapFrame[] {
  const reader = new PcapReader();
  const frames = reader.push(bytes);
  reader.end();
  return frames;
}
