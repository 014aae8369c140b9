/**
 * The record of one frame in a classic pcap file (a 16-byte header, then
 * the captured bytes) or in a pcapng file (an enhanced packet block), and
 * the buffer such records are copied into straight from the receive ring.
 * The writers and the ring agree on the layouts here.
 *
 * A leaf module: it imports nothing, uses no Deno API, and `ffi/` may
 * import it.
 *
 * @module
 */

/** Bytes in a record header: seconds, fraction, captured and wire length. */
export const RECORD_HEADER_SIZE = 16;

/** Nanoseconds per unit of the fraction: 1000 for µs files, 1 for ns. */
export type NanosecondsPerUnit = 1 | 1000;

/**
 * Writes a record header at `at`: time (the fraction in units of
 * `perUnit` nanoseconds), captured length and wire length (never less
 * than the captured one, which would make the file invalid).
 */
export function putRecordHeader(
  view: DataView,
  at: number,
  seconds: number,
  nanoseconds: number,
  perUnit: NanosecondsPerUnit,
  captured: number,
  length: number,
): void {
  // Values first, then the stores with no branch among them: V8 inlines
  // DataView stores only in straight-line code (a conditional among them
  // made each one a call: 14 ns a header instead of 6).
  const fraction = perUnit === 1000 // a division by a constant is cheaper
    ? Math.floor(nanoseconds / 1000)
    : nanoseconds;
  const wire = Math.max(length, captured);
  view.setUint32(at, seconds, true);
  view.setUint32(at + 4, fraction, true);
  view.setUint32(at + 8, captured, true);
  view.setUint32(at + 12, wire, true);
}

/**
 * A buffer that a receive path fills with whole records
 * (`SocketSource.copyRecords`); a pcap writer provides one.
 */
export interface RecordTarget {
  /** The buffer (another one after `makeRoom`, perhaps). */
  bytes: Uint8Array;
  /** A view over the same bytes. */
  view: DataView;
  /** Bytes in use: the next record goes here. */
  used: number;
  /** The unit of the timestamps' fraction. */
  readonly perUnit: NanosecondsPerUnit;
  /** Present when the target takes pcapng packet blocks, not records. */
  readonly blocks?: BlockTarget;
  /**
   * Makes room for a record of `size` bytes: afterwards `used + size` fits
   * in `bytes` (which may now be another, larger buffer).
   */
  makeRoom(size: number): void;
}

/**
 * What a buffer of pcapng packet blocks needs besides: which interface
 * the blocks are of. A target with it takes enhanced packet blocks
 * (`putPacketBlock`) instead of classic records.
 */
export interface BlockTarget {
  /** The interface index the blocks now being copied are of. */
  ifindex: number;
  /** Its interface id in the file. */
  interfaceId: number;
  /**
   * Frames copied of the current interface not yet told: a copy adds to
   * it before it switches and when it returns; `switchTo` takes it.
   */
  count: number;
  /**
   * Makes `ifindex` the current interface: writes its description block
   * into the target first if the file has none yet (the target's `used`,
   * and perhaps its buffer, change), and sets `ifindex` and `interfaceId`.
   */
  switchTo(ifindex: number): void;
}

/** An enhanced packet block's bytes besides the data and its padding. */
export const PACKET_BLOCK_OVERHEAD = 28 + 16;
/** Where a packet block's data starts. */
export const PACKET_BLOCK_DATA = 28;

/**
 * epb_flags for each kernel packet type (PACKET_HOST ... PACKET_OUTGOING):
 * the direction (1 in, 2 out) and the reception type (bits 2-4: 1
 * unicast, 3 broadcast, 2 multicast, 4 promiscuous).
 */
export const PACKET_FLAGS: readonly number[] = [5, 13, 9, 17, 2];

const TWO_32 = 4294967296;

/**
 * Writes an enhanced packet block at `at` for a frame of `captured` bytes,
 * all but the data (copied afterwards at `at + PACKET_BLOCK_DATA`; its
 * padding is zeroed here first): type, length, interface, time in units
 * of `perUnit` nanoseconds, lengths, the epb_flags option, the end of
 * options and the length again.
 *
 * @returns the block's length.
 */
export function putPacketBlock(
  view: DataView,
  at: number,
  interfaceId: number,
  seconds: number,
  nanoseconds: number,
  perUnit: NanosecondsPerUnit,
  captured: number,
  length: number,
  flags: number,
): number {
  const padded = (captured + 3) & ~3;
  const size = PACKET_BLOCK_OVERHEAD + padded;
  const options = at + PACKET_BLOCK_DATA + padded;
  // The data's last word first: its padding stays zero once the data is
  // copied (with no data, the wire length below takes this word).
  view.setUint32(options - 4, 0, true);
  view.setUint32(at, 6, true); // EPB
  view.setUint32(at + 4, size, true);
  view.setUint32(at + 8, interfaceId, true);
  putTime(view, at + 12, seconds, nanoseconds, perUnit);
  view.setUint32(at + 20, captured, true);
  view.setUint32(at + 24, Math.max(length, captured), true);
  view.setUint32(options, 0x00040002, true); // epb_flags, 4 bytes
  view.setUint32(options + 4, flags, true);
  view.setUint32(options + 8, 0, true); // opt_endofopt
  view.setUint32(options + 12, size, true);
  return size;
}

/**
 * Writes a pcapng time at `at`: the count of `perUnit` nanoseconds since
 * 1970 as two 32-bit words, the high one first.
 */
export function putTime(
  view: DataView,
  at: number,
  seconds: number,
  nanoseconds: number,
  perUnit: NanosecondsPerUnit,
): void {
  // µs since 1970 stay below 2^53; ns pass it: seconds × 5^9 is exact,
  // then × 2^9.
  let high, low;
  if (perUnit === 1000) {
    const count = seconds * 1e6 + Math.floor(nanoseconds / 1000);
    high = Math.floor(count / TWO_32);
    low = count - high * TWO_32;
  } else {
    const fives = seconds * 1953125;
    const top = Math.floor(fives / 8388608);
    const rest = (fives - top * 8388608) * 512 + nanoseconds;
    const carry = Math.floor(rest / TWO_32);
    high = top + carry;
    low = rest - carry * TWO_32;
  }
  view.setUint32(at, high, true);
  view.setUint32(at + 4, low, true);
}
