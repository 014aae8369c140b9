/**
 * Writing classic pcap files (link type Ethernet, microsecond or
 * nanosecond timestamps), as tcpdump writes them. Pure: it turns frames
 * into bytes; the caller does the I/O.
 *
 * @module
 */

import { SNAPLEN } from "./limits.ts";
import type { RingFrame, Timestamp } from "./types.ts";

/** LINKTYPE_ETHERNET: frames start with the Ethernet header. */
export const LINKTYPE_ETHERNET = 1;
/** Magic number of a classic pcap file with microsecond timestamps. */
export const MAGIC_MICRO = 0xa1b2c3d4;
/** Magic number of a classic pcap file with nanosecond timestamps. */
export const MAGIC_NANO = 0xa1b23c4d;

/** Timestamp precision of a pcap file. */
export type Precision = "micro" | "nano";

/**
 * The 24-byte header of a classic pcap file.
 *
 * @param precision `micro` (the classic format every tool reads) or `nano`.
 */
export function pcapHeader(precision: Precision = "micro"): Uint8Array {
  const bytes = new Uint8Array(24);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, precision === "nano" ? MAGIC_NANO : MAGIC_MICRO, true);
  view.setUint16(4, 2, true); // version 2.4
  view.setUint16(6, 4, true);
  view.setUint32(16, SNAPLEN, true);
  view.setUint32(20, LINKTYPE_ETHERNET, true);
  return bytes;
}

/**
 * One record: a 16-byte header and the frame's bytes.
 *
 * @param frame The captured bytes.
 * @param ts When it was seen.
 * @param length Its length on the wire (default: the captured length).
 * @param precision Must match the file header's.
 */
export function pcapRecord(
  frame: Uint8Array,
  ts: Timestamp,
  length: number = frame.length,
  precision: Precision = "micro",
): Uint8Array {
  const bytes = new Uint8Array(16 + frame.length);
  writeRecordHeader(
    new DataView(bytes.buffer),
    0,
    ts.seconds,
    ts.nanoseconds,
    frame.length,
    length,
    precision,
  );
  bytes.set(frame, 16);
  return bytes;
}

/** Writes a 16-byte record header at `at`: time, captured and wire length. */
function writeRecordHeader(
  view: DataView,
  at: number,
  seconds: number,
  nanoseconds: number,
  captured: number,
  length: number,
  precision: Precision,
): void {
  view.setUint32(at, seconds, true);
  view.setUint32(
    at + 4,
    precision === "nano" ? nanoseconds : Math.floor(nanoseconds / 1000),
    true,
  );
  view.setUint32(at + 8, captured, true);
  view.setUint32(at + 12, Math.max(length, captured), true);
}

/** What {@linkcode PcapWriter.add} needs of a frame (a ring frame has it). */
export type CopyableFrame = Pick<
  RingFrame,
  "capturedLength" | "length" | "seconds" | "nanoseconds" | "copyTo"
>;

/**
 * Writes a pcap stream through `sink` from a buffer: records are appended
 * without allocating, and handed to the sink on flush() or when the
 * buffer fills. Call flush() after each batch so the file is complete
 * whenever the writer stops.
 *
 * @example
 * ```ts
 * import { PcapWriter } from "@rawframe/rawframe/pcap";
 * const chunks: Uint8Array[] = [];
 * const writer = new PcapWriter((bytes) => chunks.push(bytes.slice()));
 * writer.write(new Uint8Array(60), { seconds: 1, nanoseconds: 0 });
 * writer.flush();
 * chunks[0].length; // 24 + 16 + 60
 * ```
 */
export class PcapWriter {
  readonly #sink: (bytes: Uint8Array) => void;
  readonly #precision: Precision;
  readonly #buffer: Uint8Array;
  readonly #view: DataView;
  #used = 0;

  /** Starts the stream with its header (written on the first flush). */
  constructor(
    sink: (bytes: Uint8Array) => void,
    precision: Precision = "micro",
    bufferSize: number = 1 << 20,
  ) {
    this.#sink = sink;
    this.#precision = precision;
    this.#buffer = new Uint8Array(Math.max(bufferSize, 24 + 16 + 65536 + 4));
    this.#view = new DataView(this.#buffer.buffer);
    this.#buffer.set(pcapHeader(precision));
    this.#used = 24;
  }

  /** Appends a record for `frame`, copying its bytes straight in. */
  add(frame: CopyableFrame): void {
    const size = frame.capturedLength;
    if (this.#used + 16 + size > this.#buffer.length) this.flush();
    const at = this.#used;
    writeRecordHeader(
      this.#view,
      at,
      frame.seconds,
      frame.nanoseconds,
      size,
      frame.length,
      this.#precision,
    );
    frame.copyTo(this.#buffer, at + 16);
    this.#used = at + 16 + size;
  }

  /** Appends a record for `bytes` seen at `ts`. */
  write(bytes: Uint8Array, ts: Timestamp, length: number = bytes.length): void {
    if (this.#used + 16 + bytes.length > this.#buffer.length) this.flush();
    if (16 + bytes.length > this.#buffer.length) {
      this.#sink(pcapRecord(bytes, ts, length, this.#precision));
      return;
    }
    writeRecordHeader(
      this.#view,
      this.#used,
      ts.seconds,
      ts.nanoseconds,
      bytes.length,
      length,
      this.#precision,
    );
    this.#buffer.set(bytes, this.#used + 16);
    this.#used += 16 + bytes.length;
  }

  /** Hands everything buffered to the sink. */
  flush(): void {
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0; // a failed write is not tried again
    this.#sink(this.#buffer.subarray(0, used));
  }
}
