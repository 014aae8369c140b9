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
import { SNAPLEN } from "./limits.ts";
import type { Timestamp } from "./types.ts";
import { LINKTYPE_ETHERNET, MAGIC_MICRO, MAGIC_NANO } from "./pcap_writer.ts";

/** A frame read from a capture file. */
export interface PcapFrame {
  /** The captured bytes. */
  bytes: Uint8Array;
  /** Length on the wire. */
  length: number;
  /** When it was captured. */
  timestamp: Timestamp;
}

const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const PCAPNG_IDB = 1;
const PCAPNG_EPB = 6;
/** The largest pcapng block we accept (libpcap's limit is 16 MiB too). */
const MAX_BLOCK = 16 * 1024 * 1024;
/** EPB: fixed fields before the data, and the trailing length after. */
const EPB_HEADER = 28;
const BLOCK_TRAILER = 4;

/** Link types seen in captures from elsewhere, for the error message. */
const LINK_TYPES = new Map<number, string>([
  [0, "BSD loopback"],
  [101, "raw IP"],
  [105, "802.11"],
  [113, `Linux "any" (cooked)`],
  [127, "802.11 radiotap"],
  [276, `Linux "any" (cooked v2)`],
]);

function assertEthernet(linktype: number, where: string): void {
  if (linktype === LINKTYPE_ETHERNET) return;
  const name = LINK_TYPES.get(linktype);
  const cooked = linktype === 113 || linktype === 276;
  throw new FrameError(
    `${where}: the link type is ${linktype}${
      name ? ` (${name})` : ""
    }, not Ethernet (1); only Ethernet captures hold whole frames${
      cooked ? `: capture on one interface, not "any"` : ""
    }`,
  );
}

/**
 * Parses the bytes of one format. `step` returns the bytes it used, or
 * minus the bytes it needs (from `at`) before it can go on.
 */
interface Format {
  step(view: DataView, at: number, out: PcapFrame[]): number;
  /** What a cut-off end is called: "record 3", "block 2". */
  current(): string;
  /** The file's kind, for messages. */
  readonly kind: string;
}

/** Classic pcap: a 24-byte header, then 16-byte record headers and data. */
class ClassicPcap implements Format {
  readonly kind = "pcap";
  #little = true;
  #scale = 1000;
  #header = false;
  #records = 0;

  step(view: DataView, at: number, out: PcapFrame[]): number {
    const left = view.byteLength - at;
    if (!this.#header) {
      if (left < 24) return -24;
      const magic = view.getUint32(at, true);
      this.#little = magic === MAGIC_MICRO || magic === MAGIC_NANO;
      this.#scale = (this.#little ? magic : view.getUint32(at, false)) ===
          MAGIC_NANO
        ? 1
        : 1000;
      assertEthernet(
        view.getUint32(at + 20, this.#little) & 0xffff,
        "pcap file",
      );
      this.#header = true;
      return 24;
    }
    if (left < 16) return -16;
    const record = this.#records + 1;
    const captured = view.getUint32(at + 8, this.#little);
    if (captured > SNAPLEN) {
      throw new FrameError(
        `pcap record ${record} claims ${captured} bytes, more than a capture holds (${SNAPLEN})`,
      );
    }
    if (left < 16 + captured) return -(16 + captured);
    const start = view.byteOffset + at + 16;
    out.push({
      bytes: new Uint8Array(view.buffer.slice(start, start + captured)),
      length: view.getUint32(at + 12, this.#little),
      timestamp: {
        seconds: view.getUint32(at, this.#little),
        nanoseconds: view.getUint32(at + 4, this.#little) * this.#scale,
      },
    });
    this.#records = record;
    return 16 + captured;
  }

  current(): string {
    return this.#header ? `record ${this.#records + 1}` : "the file header";
  }
}

/** pcapng: blocks, of which interface descriptions and enhanced packets matter. */
class Pcapng implements Format {
  readonly kind = "pcapng";
  #little = true;
  #blocks = 0;
  #interfaces: number[] = []; // timestamp units per second, by interface id

  step(view: DataView, at: number, out: PcapFrame[]): number {
    const left = view.byteLength - at;
    if (left < 12) return -12;
    const block = this.#blocks + 1;
    const type = view.getUint32(at, this.#little);
    if (type === PCAPNG_SHB) this.#little = this.#byteOrder(view, at, block);
    const length = view.getUint32(at + 4, this.#little);
    if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK) {
      throw new FrameError(
        `pcapng block ${block} has an invalid length (${length} bytes)`,
      );
    }
    if (left < length) return -length;
    if (view.getUint32(at + length - 4, this.#little) !== length) {
      throw new FrameError(
        `pcapng block ${block}: its two length fields disagree`,
      );
    }
    if (type === PCAPNG_SHB) this.#interfaces = []; // a new section
    else if (type === PCAPNG_IDB) this.#interface(view, at, length, block);
    else if (type === PCAPNG_EPB) {
      out.push(this.#packet(view, at, length, block));
    }
    this.#blocks = block;
    return length;
  }

  current(): string {
    return `block ${this.#blocks + 1}`;
  }

  #byteOrder(view: DataView, at: number, block: number): boolean {
    const order = view.getUint32(at + 8, true);
    if (order === PCAPNG_BYTE_ORDER) return true;
    if (view.getUint32(at + 8, false) === PCAPNG_BYTE_ORDER) return false;
    throw new FrameError(
      `pcapng block ${block}: unknown byte-order magic in the section header`,
    );
  }

  #interface(view: DataView, at: number, length: number, block: number): void {
    if (length < 20) {
      throw new FrameError(`pcapng block ${block}: interface block too short`);
    }
    assertEthernet(
      view.getUint16(at + 8, this.#little),
      `pcapng block ${block}`,
    );
    this.#interfaces.push(resolution(view, at, length, this.#little));
  }

  #packet(
    view: DataView,
    at: number,
    length: number,
    block: number,
  ): PcapFrame {
    const little = this.#little;
    const where = `pcapng block ${block}`;
    if (length < EPB_HEADER + BLOCK_TRAILER) {
      throw new FrameError(`${where}: packet block too short`);
    }
    const units = this.#interfaces[view.getUint32(at + 8, little)];
    if (units === undefined) {
      throw new FrameError(`${where}: packet of an undescribed interface`);
    }
    const captured = view.getUint32(at + 20, little);
    if (captured > length - EPB_HEADER - BLOCK_TRAILER) {
      throw new FrameError(
        `${where}: captured length ${captured} is more than the block holds`,
      );
    }
    const ts = (BigInt(view.getUint32(at + 12, little)) << 32n) |
      BigInt(view.getUint32(at + 16, little));
    const perSecond = BigInt(units);
    const start = view.byteOffset + at + EPB_HEADER;
    return {
      bytes: new Uint8Array(view.buffer.slice(start, start + captured)),
      length: view.getUint32(at + 24, little),
      timestamp: {
        seconds: Number(ts / perSecond),
        nanoseconds: Number(((ts % perSecond) * 1_000_000_000n) / perSecond),
      },
    };
  }
}

/** Units per second of an interface's timestamps (option if_tsresol). */
function resolution(
  view: DataView,
  block: number,
  length: number,
  little: boolean,
): number {
  for (let at = block + 16; at + 4 <= block + length - 4;) {
    const code = view.getUint16(at, little);
    const size = view.getUint16(at + 2, little);
    if (code === 0) break;
    if (code === 9 && size >= 1 && at + 5 <= block + length - 4) {
      const value = view.getUint8(at + 4);
      // Powers beyond nanoseconds' range would lose every digit anyway.
      const exponent = Math.min(value & 0x7f, value & 0x80 ? 63 : 18);
      return value & 0x80 ? 2 ** exponent : 10 ** exponent;
    }
    at += 4 + ((size + 3) & ~3);
  }
  return 1e6;
}

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
