/**
 * Writing classic pcap files (link type Ethernet, microsecond or
 * nanosecond timestamps), as tcpdump writes them. Pure: it turns frames
 * into bytes; the caller does the I/O.
 *
 * @module
 */

import { InputError } from "./errors.ts";
import { SNAPLEN } from "../contract/limits.ts";
import type { RingFrame, Timestamp } from "../contract/types.ts";
import {
  type NanosecondsPerUnit,
  putRecordHeader,
  RECORD_HEADER_SIZE,
  type RecordTarget,
} from "../contract/pcap_record.ts";

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
 * @param linkType What each record starts with: 1, Ethernet (113 and 276
 *   for Linux cooked frames read from a capture).
 */
export function pcapHeader(
  precision: Precision = "micro",
  linkType: number = LINKTYPE_ETHERNET,
): Uint8Array {
  perUnitOf(precision); // checks it
  const bytes = new Uint8Array(24);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, precision === "nano" ? MAGIC_NANO : MAGIC_MICRO, true);
  view.setUint16(4, 2, true); // version 2.4
  view.setUint16(6, 4, true);
  view.setUint32(16, SNAPLEN, true);
  view.setUint32(20, linkType, true);
  return bytes;
}

/**
 * One record: a 16-byte header and the frame's bytes.
 *
 * @param frame The captured bytes.
 * @param ts When it was seen; nanoseconds of a second or more carry into
 *   the seconds (a record's fraction is always less than a second).
 * @param length Its length on the wire (default: the captured length).
 * @param precision Must match the file header's.
 */
export function pcapRecord(
  frame: Uint8Array,
  ts: Timestamp,
  length: number = frame.length,
  precision: Precision = "micro",
): Uint8Array {
  const bytes = new Uint8Array(RECORD_HEADER_SIZE + frame.length);
  const carry = Math.floor(ts.nanoseconds / 1e9);
  putRecordHeader(
    new DataView(bytes.buffer),
    0,
    ts.seconds + carry,
    ts.nanoseconds - carry * 1e9,
    perUnitOf(precision),
    frame.length,
    length,
  );
  bytes.set(frame, RECORD_HEADER_SIZE);
  return bytes;
}

/** The fraction's unit for `precision`, which must be micro or nano. */
function perUnitOf(precision: Precision): NanosecondsPerUnit {
  if (precision !== "micro" && precision !== "nano") {
    throw new InputError(
      `invalid pcap precision ${
        JSON.stringify(precision)
      }: give "micro" or "nano"`,
    );
  }
  return precision === "nano" ? 1 : 1000;
}

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
  readonly #perUnit: NanosecondsPerUnit;
  #buffer: Uint8Array;
  #view: DataView;
  #used = 0;
  /** The buffer as `addFrom` hands it out: one object, so optimised code stays. */
  readonly #target: RecordTarget;

  /**
   * Starts the stream with its header (written on the first flush);
   * `linkType` as {@linkcode pcapHeader}'s.
   */
  constructor(
    sink: (bytes: Uint8Array) => void,
    precision: Precision = "micro",
    bufferSize: number = 1 << 20,
    linkType: number = LINKTYPE_ETHERNET,
  ) {
    this.#sink = sink;
    this.#perUnit = perUnitOf(precision);
    this.#buffer = new Uint8Array(Math.max(bufferSize, 24 + 16 + 65536 + 4));
    this.#view = new DataView(this.#buffer.buffer);
    this.#buffer.set(pcapHeader(precision, linkType));
    this.#used = 24;
    const target: RecordTarget = {
      bytes: this.#buffer,
      view: this.#view,
      used: this.#used,
      perUnit: this.#perUnit,
      makeRoom: (size) => {
        this.#used = target.used;
        this.#makeRoom(size);
        target.bytes = this.#buffer;
        target.view = this.#view;
        target.used = this.#used;
      },
    };
    this.#target = target;
  }

  /** Appends a record for `frame`, copying its bytes straight in. */
  add(frame: RingFrame): void {
    const size = frame.capturedLength;
    if (this.#used + RECORD_HEADER_SIZE + size > this.#buffer.length) {
      this.#makeRoom(RECORD_HEADER_SIZE + size);
    }
    const at = this.#used;
    putRecordHeader(
      this.#view,
      at,
      frame.seconds,
      frame.nanoseconds,
      this.#perUnit,
      size,
      frame.length,
    );
    frame.copyTo(this.#buffer, at + RECORD_HEADER_SIZE);
    this.#used = at + RECORD_HEADER_SIZE + size;
  }

  /**
   * Appends the records `copy` puts straight into the buffer, such as
   * `(target, limit) => source.copyRecords(target, limit)`: up to `limit`
   * frames, flushing as the buffer fills.
   *
   * @returns frames added (what `copy` returned).
   */
  addFrom(
    copy: (target: RecordTarget, limit: number) => number,
    limit: number = Infinity,
  ): number {
    const target = this.#target;
    target.used = this.#used;
    try {
      return copy(target, limit);
    } finally {
      this.#used = target.used; // what was copied before a failure stays
    }
  }

  /** Appends a record for `bytes` seen at `ts`. */
  write(bytes: Uint8Array, ts: Timestamp, length: number = bytes.length): void {
    this.#makeRoom(RECORD_HEADER_SIZE + bytes.length);
    putRecordHeader(
      this.#view,
      this.#used,
      ts.seconds,
      ts.nanoseconds,
      this.#perUnit,
      bytes.length,
      length,
    );
    this.#buffer.set(bytes, this.#used + RECORD_HEADER_SIZE);
    this.#used += RECORD_HEADER_SIZE + bytes.length;
  }

  /** Hands everything buffered to the sink. */
  flush(): void {
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0; // a failed write is not tried again
    this.#sink(this.#buffer.subarray(0, used));
  }

  /**
   * Flushes unless `size` more bytes fit; grows the buffer for a record
   * larger than all of it (memory in proportion to the largest frame).
   */
  #makeRoom(size: number): void {
    if (this.#used + size <= this.#buffer.length) return;
    this.flush();
    if (size <= this.#buffer.length) return;
    this.#buffer = new Uint8Array(size);
    this.#view = new DataView(this.#buffer.buffer);
  }
}
