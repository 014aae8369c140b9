/**
 * pcap files: writing classic pcap (link type Ethernet, microsecond or
 * nanosecond timestamps) and reading classic pcap or pcapng, as tcpdump and
 * tshark write them. Pure: it turns frames into bytes and back; the caller
 * does the I/O.
 *
 * @example Write two frames and read them back
 * ```ts
 * import { pcapHeader, pcapRecord, readPcap } from "@rawframe/rawframe/pcap";
 * const frame = new Uint8Array(60);
 * const file = new Uint8Array([
 *   ...pcapHeader(),
 *   ...pcapRecord(frame, { seconds: 1, nanoseconds: 5000 }),
 *   ...pcapRecord(frame, { seconds: 2, nanoseconds: 0 }),
 * ]);
 * readPcap(file).length; // 2
 * ```
 *
 * @module
 */

import { FrameError } from "./errors.ts";
import { SNAPLEN } from "./limits.ts";
import type { RingFrame, Timestamp } from "./types.ts";

/** LINKTYPE_ETHERNET: frames start with the Ethernet header. */
export const LINKTYPE_ETHERNET = 1;

const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;

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
    this.#sink(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }
}

/** A frame read from a capture file. */
export interface PcapFrame {
  /** The captured bytes. */
  bytes: Uint8Array;
  /** Length on the wire. */
  length: number;
  /** When it was captured. */
  timestamp: Timestamp;
}

/**
 * Reads every frame of a classic pcap (either byte order, µs or ns) or
 * pcapng file whose link type is Ethernet.
 *
 * @throws {FrameError} when the bytes are not such a file.
 */
export function readPcap(bytes: Uint8Array): PcapFrame[] {
  if (bytes.length < 4) throw new FrameError("not a pcap file: it is empty");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) === PCAPNG_SHB) return readPcapng(view);
  let little = true;
  let magic = view.getUint32(0, true);
  if (magic !== MAGIC_MICRO && magic !== MAGIC_NANO) {
    little = false;
    magic = view.getUint32(0, false);
  }
  if (magic !== MAGIC_MICRO && magic !== MAGIC_NANO) {
    throw new FrameError("not a pcap file: unknown magic number");
  }
  if (bytes.length < 24) throw new FrameError("truncated pcap file header");
  assertEthernet(view.getUint32(20, little) & 0xffff);
  const scale = magic === MAGIC_NANO ? 1 : 1000;
  const frames: PcapFrame[] = [];
  for (let at = 24; at < bytes.length;) {
    if (at + 16 > bytes.length) throw truncated(frames.length);
    const captured = view.getUint32(at + 8, little);
    if (at + 16 + captured > bytes.length) throw truncated(frames.length);
    frames.push({
      bytes: bytes.slice(at + 16, at + 16 + captured),
      length: view.getUint32(at + 12, little),
      timestamp: {
        seconds: view.getUint32(at, little),
        nanoseconds: view.getUint32(at + 4, little) * scale,
      },
    });
    at += 16 + captured;
  }
  return frames;
}

function truncated(index: number): FrameError {
  return new FrameError(
    `truncated pcap file: record ${index + 1} is cut short`,
  );
}

function assertEthernet(linktype: number): void {
  if (linktype !== LINKTYPE_ETHERNET) {
    throw new FrameError(
      `the capture's link type is ${linktype}, not Ethernet (1); capture on an Ethernet interface, not "any"`,
    );
  }
}

/** pcapng: section header, interface descriptions, enhanced packets. */
function readPcapng(view: DataView): PcapFrame[] {
  const little = view.getUint32(8, true) === 0x1a2b3c4d;
  const interfaces: { unitsPerSecond: number }[] = [];
  const frames: PcapFrame[] = [];
  for (let at = 0; at + 12 <= view.byteLength;) {
    const type = view.getUint32(at, little);
    const length = view.getUint32(at + 4, little);
    if (length < 12 || at + length > view.byteLength) {
      throw truncated(frames.length);
    }
    if (type === 1) { // Interface Description Block
      assertEthernet(view.getUint16(at + 8, little));
      interfaces.push({
        unitsPerSecond: idbResolution(view, at, length, little),
      });
    } else if (type === 6) { // Enhanced Packet Block
      const iface = interfaces[view.getUint32(at + 8, little)];
      const units = BigInt(iface?.unitsPerSecond ?? 1e6);
      const ts = (BigInt(view.getUint32(at + 12, little)) << 32n) |
        BigInt(view.getUint32(at + 16, little));
      const captured = view.getUint32(at + 20, little);
      const start = view.byteOffset + at + 28;
      frames.push({
        bytes: new Uint8Array(view.buffer.slice(start, start + captured)),
        length: view.getUint32(at + 24, little),
        timestamp: {
          seconds: Number(ts / units),
          nanoseconds: Number(((ts % units) * 1_000_000_000n) / units),
        },
      });
    }
    at += length;
  }
  return frames;
}

/** Units per second of an interface's timestamps (option if_tsresol). */
function idbResolution(
  view: DataView,
  block: number,
  length: number,
  little: boolean,
): number {
  for (let at = block + 16; at + 4 <= block + length - 4;) {
    const code = view.getUint16(at, little);
    const size = view.getUint16(at + 2, little);
    if (code === 0) break;
    if (code === 9 && size >= 1) {
      const value = view.getUint8(at + 4);
      return value & 0x80 ? 2 ** (value & 0x7f) : 10 ** value;
    }
    at += 4 + ((size + 3) & ~3);
  }
  return 1e6;
}
