/**
 * A capture file as a frame source: the same calls a socket answers, so
 * `read` runs the capture loop, the filters and the outputs `listen`
 * runs. It streams: chunks are parsed as they are read, frames handed out
 * in place (a view into the reader's buffer), so memory stays flat for any
 * file. Pure: the caller does the I/O and hands over the chunks.
 *
 * @module
 */

import { CapturedView } from "./captured_view.ts";
import { FrameError } from "./errors.ts";
import type { FrameSource } from "./frame_source.ts";
import { linkTypeOf, PcapReader } from "./pcap_reader.ts";
import { LINKTYPE_ETHERNET } from "./pcap_writer.ts";
import {
  putRecordHeader,
  RECORD_HEADER_SIZE,
} from "../contract/pcap_record.ts";
import type { RecordTarget } from "../contract/pcap_record.ts";
import type { CapturedFrame } from "./received_frame.ts";
import type { RingFrame, WaitOptions } from "../contract/types.ts";

/** Options of {@linkcode FileSource}. */
export interface FileSourceOptions {
  /** Keeps only the frames this returns true for. @default every frame */
  select?: (frame: CapturedFrame) => boolean;
}

const NO_BYTES = new Uint8Array(0);

/**
 * The frames of a pcap or pcapng file, read from `chunks` (each may be
 * the same buffer filled again: nothing is kept of it).
 *
 * @example Count a file's IPv4 frames
 * ```ts
 * import { Capture, FileSource } from "@rawframe/rawframe/capture";
 * import { pcapHeader, pcapRecord } from "@rawframe/rawframe/pcap";
 * const frame = new Uint8Array(60);
 * frame[12] = 0x08; // EtherType 0x0800
 * const file = new Uint8Array([
 *   ...pcapHeader(),
 *   ...pcapRecord(frame, { seconds: 1, nanoseconds: 0 }),
 * ]);
 * const source = new FileSource([file], {
 *   select: (f) => f.bytes[12] === 0x08,
 * });
 * const capture = new Capture(source, {});
 * await capture.run();
 * capture.received; // 1
 * ```
 */
export class FileSource implements FrameSource {
  readonly #chunks: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  readonly #select: ((frame: CapturedFrame) => boolean) | undefined;
  readonly #reader = new PcapReader();
  readonly #view = new CapturedView();
  #chunk: Uint8Array | undefined; // read, not parsed yet
  #waiting = false; // parsing stopped at a limit: whole records may wait
  #recordLinkType: number | undefined; // the link type copyRecords writes
  #done = false; // the input has ended

  /** The frames of the file whose bytes `chunks` yields, in order. */
  constructor(
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    options: FileSourceOptions = {},
  ) {
    this.#chunks = Symbol.asyncIterator in chunks
      ? chunks[Symbol.asyncIterator]()
      : chunks[Symbol.iterator]();
    this.#select = options.select;
  }

  /** True once the file has ended and every frame was taken. */
  get ended(): boolean {
    return this.#done && this.#chunk === undefined && !this.#waiting;
  }

  /**
   * The link type of the file's frames, as its first chunk announces it
   * (read now if it was not): what a copy of the file must say. Ethernet
   * when the first chunk does not say.
   */
  async linkType(): Promise<number> {
    await this.waitReadable();
    return (this.#chunk && linkTypeOf(this.#chunk)) ?? LINKTYPE_ETHERNET;
  }

  /** Visits the frames read so far, up to `limit`, in place. */
  drain(visit: (frame: RingFrame) => void, limit: number = Infinity): number {
    const view = this.#view;
    return this.#parse((frame) => visit(view.show(frame)), limit);
  }

  /** Takes the frames read so far, up to `limit`, unseen. */
  skip(limit: number = Infinity): number {
    return this.#parse(() => {}, limit);
  }

  /** Appends the frames read so far, up to `limit`, as pcap records. */
  copyRecords(target: RecordTarget, limit: number = Infinity): number {
    return this.#parse((frame) => {
      const linkType = frame.linkType ?? LINKTYPE_ETHERNET;
      this.#recordLinkType ??= linkType;
      if (linkType !== this.#recordLinkType) {
        throw new FrameError(
          "its frames are of more than one link type, which a pcap file cannot hold: write pcapng (--pcapng)",
        );
      }
      const size = RECORD_HEADER_SIZE + frame.bytes.length;
      if (target.used + size > target.bytes.length) target.makeRoom(size);
      const { seconds, nanoseconds } = frame.timestamp;
      putRecordHeader(
        target.view,
        target.used,
        seconds,
        nanoseconds,
        target.perUnit,
        frame.bytes.length,
        frame.length,
      );
      target.bytes.set(frame.bytes, target.used + RECORD_HEADER_SIZE);
      target.used += size;
    }, limit);
  }

  /** A copy of the frame `view` shows, which outlives it. */
  copyFrame(view: RingFrame): CapturedFrame {
    const frame = this.lendFrame(view);
    return {
      ...frame,
      bytes: frame.bytes.slice(),
      timestamp: { ...frame.timestamp },
    };
  }

  /**
   * The frame `view` shows, not copied: valid only during its visit (its
   * bytes are a view into the reader's buffer, and the object is filled
   * again for the next frame).
   */
  lendFrame(view: RingFrame): CapturedFrame {
    if (view !== this.#view) throw new TypeError("not a frame of this file");
    return this.#view.frame;
  }

  /** The interface the file names for the frame `view` shows, if any. */
  interfaceOf(view: RingFrame): string | null {
    return view === this.#view ? this.#view.frame.iface : null;
  }

  /**
   * Reads the next chunk, unless frames wait already.
   *
   * @throws {FrameError} when the file is not a capture, or is malformed
   *   or cut short.
   */
  async waitReadable(options: WaitOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    if (this.#chunk !== undefined || this.#waiting || this.#done) return;
    const next = await this.#chunks.next();
    if (next.done) {
      this.#done = true;
      this.#reader.end();
    } else this.#chunk = next.value;
  }

  /** Parses what was read, handing up to `limit` selected frames to `each`. */
  #parse(each: (frame: CapturedFrame) => void, limit: number): number {
    if (limit <= 0 || (this.#chunk === undefined && !this.#waiting)) return 0;
    const chunk = this.#chunk ?? NO_BYTES;
    this.#chunk = undefined;
    const select = this.#select;
    let taken = 0;
    const finished = this.#reader.pushEach(chunk, (frame) => {
      if (select !== undefined && !select(frame)) return true;
      each(frame);
      return ++taken < limit;
    });
    this.#waiting = !finished;
    return taken;
  }
}
