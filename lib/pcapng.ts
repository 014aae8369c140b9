/**
 * pcapng files (as tshark and dumpcap write them): section headers, one
 * interface description per interface (its timestamp resolution and
 * name) and enhanced packet blocks (with their direction and reception
 * flags). Other blocks are skipped. Every length is checked against the
 * block before anything is copied. Pure.
 *
 * @module
 */

import { FrameError } from "./errors.ts";
import type { PacketType } from "./types.ts";
import {
  assertEthernet,
  type Format,
  type PcapFrame,
} from "./capture_format.ts";

/** Block type of a section header: also the magic number of the file. */
export const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const PCAPNG_IDB = 1;
const PCAPNG_EPB = 6;
/** The largest pcapng block we accept (libpcap's limit is 16 MiB too). */
const MAX_BLOCK = 16 * 1024 * 1024;
/** EPB: fixed fields before the data, and the trailing length after. */
const EPB_HEADER = 28;
const BLOCK_TRAILER = 4;
/** Option codes: an interface's name and timestamp resolution, a packet's flags. */
const IF_NAME = 2;
const IF_TSRESOL = 9;
const EPB_FLAGS = 2;

/** pcapng: blocks, of which interface descriptions and enhanced packets matter. */
export class Pcapng implements Format {
  readonly kind = "pcapng";
  #little = true;
  #blocks = 0;
  #interfaces: InterfaceDescription[] = []; // by interface id

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
    this.#interfaces.push(describeInterface(view, at, length, this.#little));
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
    const described = this.#interfaces[view.getUint32(at + 8, little)];
    if (described === undefined) {
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
    const perSecond = BigInt(described.units);
    const start = view.byteOffset + at + EPB_HEADER;
    const options = at + EPB_HEADER + ((captured + 3) & ~3);
    const flags = option(
      view,
      options,
      at + length - BLOCK_TRAILER,
      little,
      EPB_FLAGS,
    );
    return {
      bytes: new Uint8Array(view.buffer.slice(start, start + captured)),
      length: view.getUint32(at + 24, little),
      timestamp: {
        seconds: Number(ts / perSecond),
        nanoseconds: Number(((ts % perSecond) * 1_000_000_000n) / perSecond),
      },
      ...(described.name === undefined ? {} : { iface: described.name }),
      ...(flags !== undefined && flags.size >= 4
        ? packetFlags(view.getUint32(flags.at, little))
        : {}),
    };
  }
}

/** What a packet's interface block says. */
interface InterfaceDescription {
  /** Timestamp units per second (option if_tsresol; µs by default). */
  units: number;
  /** Option if_name. */
  name?: string;
}

/**
 * Finds option `code` among the options from `at` to `end`: where its
 * value starts and its size, or undefined.
 */
function option(
  view: DataView,
  at: number,
  end: number,
  little: boolean,
  code: number,
): { at: number; size: number } | undefined {
  while (at + 4 <= end) {
    const found = view.getUint16(at, little);
    const size = view.getUint16(at + 2, little);
    if (found === 0 || at + 4 + size > end) return undefined;
    if (found === code) return { at: at + 4, size };
    at += 4 + ((size + 3) & ~3);
  }
  return undefined;
}

/** Direction and packet type from epb_flags (bits 0-1 and 2-4). */
function packetFlags(flags: number): Pick<PcapFrame, "direction" | "pkttype"> {
  const direction = flags & 0x03;
  const reception = (flags >> 2) & 0x07;
  if (direction === 2) return { direction: "out", pkttype: "outgoing" };
  const pkttype = RECEPTION_TYPES[reception];
  return {
    ...(direction === 1 ? { direction: "in" as const } : {}),
    ...(pkttype === undefined ? {} : { pkttype }),
  };
}

/** epb_flags reception types: 1 unicast, 2 multicast, 3 broadcast, 4 promiscuous. */
const RECEPTION_TYPES: readonly (PacketType | undefined)[] = [
  undefined,
  "host",
  "multicast",
  "broadcast",
  "otherhost",
];

/** Reads an interface block's timestamp resolution and name. */
function describeInterface(
  view: DataView,
  block: number,
  length: number,
  little: boolean,
): InterfaceDescription {
  const end = block + length - BLOCK_TRAILER;
  const name = option(view, block + 16, end, little, IF_NAME);
  const decoded = name === undefined ? undefined : new TextDecoder().decode(
    new Uint8Array(view.buffer, view.byteOffset + name.at, name.size),
  ).replace(/\0+$/, "");
  return {
    units: resolution(view, option(view, block + 16, end, little, IF_TSRESOL)),
    ...(decoded === undefined ? {} : { name: decoded }),
  };
}

/** Units per second of an interface's timestamps (its option if_tsresol). */
function resolution(
  view: DataView,
  found: { at: number; size: number } | undefined,
): number {
  if (found === undefined || found.size < 1) return 1e6;
  const value = view.getUint8(found.at);
  // Powers beyond nanoseconds' range would lose every digit anyway.
  const exponent = Math.min(value & 0x7f, value & 0x80 ? 63 : 18);
  return value & 0x80 ? 2 ** exponent : 10 ** exponent;
}
