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
import type { CapturedFrame, Format } from "./capture_format.ts";
import { ClassicPcap } from "./pcap_classic.ts";
import { Pcapng, PCAPNG_SHB } from "./pcapng.ts";

export type { CapturedFrame } from "./capture_format.ts";

/**
 * Reads a capture file given in chunks: push each chunk as it is read,
 * take the frames it completes, and call end() when the input ends. The
 * reader keeps no chunk after a push returns (what must wait for more is
 * copied), and the frames `push` returns own their bytes: one buffer may
 * be filled and pushed again and again.
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
  /** Bytes of a header, record or block not yet whole; reused. */
  #waiting = new Uint8Array(0);
  #held = 0;
  #need = 4; // bytes to wait for before parsing again
  #skip = 0; // bytes of a skipped block still to come
  #format: Format | undefined;
  #empty = true;

  /**
   * Takes the next chunk of the file.
   *
   * @returns the frames completed by it.
   * @throws {FrameError} when the file is not a capture or is malformed.
   */
  push(chunk: Uint8Array): CapturedFrame[] {
    const frames: CapturedFrame[] = [];
    this.pushEach(chunk, (frame) => {
      // kept: a copy, as the frame is filled again for the next
      frames.push({
        ...frame,
        bytes: frame.bytes.slice(),
        timestamp: { ...frame.timestamp },
      });
    });
    return frames;
  }

  /**
   * Takes the next chunk of the file and hands each frame it completes to
   * `visit` as soon as it is parsed, so nothing is collected: a reader
   * that shows each frame and forgets it uses the same memory for any
   * file, even millions of tiny records per chunk. The frame is valid
   * only until `visit` returns (its `bytes` are a view into the reader's
   * buffer, and the object may be filled again for the next frame): copy
   * what you keep (`bytes.slice()`). When `visit` returns false,
   * parsing stops there; the rest waits for the next push (an empty
   * chunk, to go on without new bytes).
   *
   * @returns false when `visit` stopped it, true otherwise.
   * @throws {FrameError} when the file is not a capture or is malformed.
   */
  pushEach(
    chunk: Uint8Array,
    visit: (frame: CapturedFrame) => boolean | void,
  ): boolean {
    // An empty chunk parses what waits (records a stopped visit left).
    if (chunk.length === 0 && this.#held === 0) return true;
    if (chunk.length > 0) this.#empty = false;
    if (this.#skip > 0) { // the rest of a block passed over
      const skipped = Math.min(this.#skip, chunk.length);
      this.#skip -= skipped;
      chunk = chunk.subarray(skipped);
      if (chunk.length === 0) return true;
    }
    // Parsed in place when nothing waits; otherwise after what waits, in
    // one buffer reused for the whole file (no allocation per chunk).
    if (this.#held > 0 || chunk.length < this.#need) this.#hold(chunk);
    const pending = this.#held > 0
      ? this.#waiting.subarray(0, this.#held)
      : chunk;
    if (pending.length < this.#need) return true;
    let going = true;
    const at = this.#parse(pending, (frame) => {
      if (visit(frame) === false) going = false;
      return going;
    });
    if (!going) this.#need = 0; // whole records may wait: parse them next time
    if (pending === chunk) {
      this.#held = 0;
      this.#hold(chunk.subarray(at)); // a copy: the caller may fill `chunk` again
    } else {
      this.#waiting.copyWithin(0, at, this.#held);
      this.#held -= at;
    }
    return going;
  }

  /** Parses `pending` while `emit` says to go on; returns the bytes used. */
  #parse(
    pending: Uint8Array,
    emit: (frame: CapturedFrame) => boolean,
  ): number {
    const view = new DataView(
      pending.buffer,
      pending.byteOffset,
      pending.byteLength,
    );
    let at = 0;
    let going = true;
    const step = (frame: CapturedFrame): void => void (going = emit(frame));
    while (going) {
      this.#format ??= detect(view);
      if (this.#format === undefined) break;
      const used = this.#format.step(view, at, step);
      if (used < 0) {
        this.#need = -used;
        break;
      }
      at += used;
      if (at > pending.length) { // a block passed over, not all here yet
        this.#skip = at - pending.length;
        this.#need = 0;
        return pending.length;
      }
    }
    return at;
  }

  /** Appends `bytes` to what waits, growing the buffer when it must. */
  #hold(bytes: Uint8Array): void {
    const size = this.#held + bytes.length;
    if (size > this.#waiting.length) {
      const grown = new Uint8Array(Math.max(size, 2 * this.#waiting.length));
      grown.set(this.#waiting.subarray(0, this.#held));
      this.#waiting = grown;
    }
    this.#waiting.set(bytes, this.#held);
    this.#held = size;
  }

  /**
   * Says the input has ended.
   *
   * @throws {FrameError} when it ended inside a header, record or block.
   */
  end(): void {
    if (this.#empty) throw new FrameError("not a capture file: it is empty");
    if (this.#skip > 0) {
      throw new FrameError(
        `truncated ${this.#format!.kind} file: ${
          this.#format!.last()
        } is cut short`,
      );
    }
    if (this.#held === 0) return;
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
 * The link type a capture file's first bytes announce (its header's, or
 * its first interface block's), or undefined when they do not say yet.
 * Nothing is checked: reading the file does that.
 */
export function linkTypeOf(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (bytes.length < 24) return undefined;
  const le = view.getUint32(0, true);
  if ([MAGIC_MICRO, MAGIC_NANO].includes(le)) {
    return view.getUint32(20, true) & 0xffff;
  }
  if (le !== PCAPNG_SHB) return view.getUint32(20, false) & 0xffff;
  const little = view.getUint32(8, true) === 0x1a2b3c4d;
  for (let at = 0; at + 12 <= bytes.length;) {
    const length = view.getUint32(at + 4, little);
    if (view.getUint32(at, little) === 1) return view.getUint16(at + 8, little);
    if (length < 12) return undefined;
    at += length;
  }
  return undefined;
}

/**
 * Reads every frame of a whole capture file in memory.
 *
 * @throws {FrameError} when the bytes are not such a file, or are cut short.
 */
export function readPcap(bytes: Uint8Array): CapturedFrame[] {
  const reader = new PcapReader();
  const frames = reader.push(bytes);
  reader.end();
  return frames;
}
