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
import type { PacketType, Timestamp } from "../contract/types.ts";
import {
  type CapturedFrame,
  type Format,
  readableLinkType,
  setCooked,
} from "./capture_format.ts";
import { LINKTYPE_ETHERNET } from "./pcap_writer.ts";

/** Block type of a section header: also the magic number of the file. */
export const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const PCAPNG_IDB = 1;
const PCAPNG_EPB = 6;
/** The largest pcapng block we accept (libpcap's limit is 16 MiB too). */
const MAX_BLOCK = 16 * 1024 * 1024;
/**
 * The largest block read whole: a packet of a full snap length and its
 * options. Blocks of other kinds are skipped as they stream by, at any
 * size, so memory does not depend on the file.
 */
const MAX_READ_BLOCK = 1 << 20;
/** Interfaces one section may describe; each is kept while it lasts. */
const MAX_INTERFACES = 4096;
/** Bytes of an interface name kept (Linux names have at most 15). */
const MAX_NAME = 256;
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

  step(
    view: DataView,
    at: number,
    emit: (frame: CapturedFrame) => void,
  ): number {
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
    if (type !== PCAPNG_SHB && type !== PCAPNG_IDB && type !== PCAPNG_EPB) {
      this.#blocks = block; // not read: passed over, whole or not
      return length;
    }
    if (length > MAX_READ_BLOCK) {
      throw new FrameError(
        `pcapng block ${block} has ${length} bytes, more than a packet or interface block holds (${MAX_READ_BLOCK})`,
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
    this.#blocks = block;
    if (type === PCAPNG_EPB) emit(this.#packet(view, at, length, block));
    return length;
  }

  current(): string {
    return `block ${this.#blocks + 1}`;
  }

  last(): string {
    return `block ${this.#blocks}`;
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
    const linkType = readableLinkType(
      view.getUint16(at + 8, this.#little),
      `pcapng block ${block}`,
    );
    if (this.#interfaces.length >= MAX_INTERFACES) {
      throw new FrameError(
        `pcapng block ${block}: more than ${MAX_INTERFACES} interfaces in one section`,
      );
    }
    this.#interfaces.push({
      ...describeInterface(view, at, length, this.#little),
      linkType,
    });
  }

  #packet(
    view: DataView,
    at: number,
    length: number,
    block: number,
  ): CapturedFrame {
    const little = this.#little;
    if (length < EPB_HEADER + BLOCK_TRAILER) {
      throw new FrameError(`pcapng block ${block}: packet block too short`);
    }
    const described = this.#interfaces[view.getUint32(at + 8, little)];
    if (described === undefined) {
      throw new FrameError(
        `pcapng block ${block}: packet of an undescribed interface`,
      );
    }
    const captured = view.getUint32(at + 20, little);
    if (captured > length - EPB_HEADER - BLOCK_TRAILER) {
      throw new FrameError(
        `pcapng block ${block}: captured length ${captured} is more than the block holds`,
      );
    }
    const start = view.byteOffset + at + EPB_HEADER;
    const frame: CapturedFrame = {
      bytes: new Uint8Array(view.buffer, start, captured), // a view: see Format
      length: view.getUint32(at + 24, little),
      timestamp: pcapngTime(
        view.getUint32(at + 12, little),
        view.getUint32(at + 16, little),
        described,
      ),
      iface: described.name ?? null,
      pkttype: null,
      direction: null,
    };
    const options = at + EPB_HEADER + ((captured + 3) & ~3);
    const end = at + length - BLOCK_TRAILER;
    const flags = option(view, options, end, little, EPB_FLAGS);
    if (flags !== undefined && flags.size >= 4) {
      setPacketFlags(frame, view.getUint32(flags.at, little));
    }
    if (described.linkType !== LINKTYPE_ETHERNET) {
      setCooked(frame, described.linkType);
    }
    return frame;
  }
}

/**
 * The time of a 64-bit count (`high`, `low`) of the interface's units.
 * Decimal units of a second up to nanoseconds (µs, the default, and ns
 * are all that tools write) are split exactly in doubles, allocating
 * nothing; other units, or counts past 2116, take BigInt.
 */
function pcapngTime(
  high: number,
  low: number,
  { units, decimals }: InterfaceDescription,
): Timestamp {
  if (decimals >= 0 && decimals <= 9) {
    // units = 2^k × 5^k: shift out the twos, then divide by the fives.
    const twos = 2 ** decimals;
    const fives = 5 ** decimals;
    const shifted = high * 2 ** (32 - decimals) + Math.floor(low / twos);
    if (shifted <= Number.MAX_SAFE_INTEGER) {
      let seconds = Math.floor(shifted / fives);
      let rest = shifted - seconds * fives; // the division may round up
      if (rest < 0) [seconds, rest] = [seconds - 1, rest + fives];
      const fraction = rest * twos + (low % twos);
      return { seconds, nanoseconds: fraction * 10 ** (9 - decimals) };
    }
  }
  const count = (BigInt(high) << 32n) | BigInt(low);
  const perSecond = BigInt(units);
  return {
    seconds: Number(count / perSecond),
    nanoseconds: Number(((count % perSecond) * 1_000_000_000n) / perSecond),
  };
}

/** What a packet's interface block says. */
interface InterfaceDescription {
  /** Timestamp units per second (option if_tsresol; µs by default). */
  units: number;
  /** k when `units` is 10^k, else -1 (binary units). */
  decimals: number;
  /** Option if_name. */
  name?: string;
  /** The interface's link type (Ethernet or Linux cooked). */
  linkType: number;
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
function setPacketFlags(frame: CapturedFrame, flags: number): void {
  const direction = flags & 0x03;
  if (direction === 2) {
    frame.direction = "out";
    frame.pkttype = "outgoing";
    return;
  }
  if (direction === 1) frame.direction = "in";
  const pkttype = RECEPTION_TYPES[(flags >> 2) & 0x07];
  if (pkttype !== undefined) frame.pkttype = pkttype;
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
): Omit<InterfaceDescription, "linkType"> {
  const end = block + length - BLOCK_TRAILER;
  const name = option(view, block + 16, end, little, IF_NAME);
  const decoded = name === undefined ? undefined : new TextDecoder().decode(
    new Uint8Array(
      view.buffer,
      view.byteOffset + name.at,
      Math.min(name.size, MAX_NAME),
    ),
  ).replace(/\0+$/, "");
  return {
    ...resolution(view, option(view, block + 16, end, little, IF_TSRESOL)),
    ...(decoded === undefined ? {} : { name: decoded }),
  };
}

/** Units per second of an interface's timestamps (its option if_tsresol). */
function resolution(
  view: DataView,
  found: { at: number; size: number } | undefined,
): Pick<InterfaceDescription, "units" | "decimals"> {
  if (found === undefined || found.size < 1) return { units: 1e6, decimals: 6 };
  const value = view.getUint8(found.at);
  // Powers beyond nanoseconds' range would lose every digit anyway.
  const exponent = Math.min(value & 0x7f, value & 0x80 ? 63 : 18);
  return value & 0x80
    ? { units: 2 ** exponent, decimals: -1 }
    : { units: 10 ** exponent, decimals: exponent };
}
