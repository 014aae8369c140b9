/**
 * Facts of the Ethernet wire format that every layer agrees on: header and
 * tag sizes, tag protocol identifiers, and how to put back an 802.1Q tag
 * the kernel moved into metadata.
 *
 * A leaf module: it imports nothing, uses no Deno API, and `ffi/` may
 * import it.
 *
 * @module
 */

/** Bytes in an Ethernet header: destination, source, EtherType. */
export const HEADER_SIZE = 14;
/** Bytes in one 802.1Q tag: TPID and TCI. */
export const VLAN_TAG_SIZE = 4;
/** Smallest Ethernet frame without its FCS; shorter frames are padded. */
export const MIN_FRAME_SIZE = 60;
/** Offset of the first TPID or EtherType: after both MAC addresses. */
export const TYPE_OFFSET = 12;
/** TPID of a customer 802.1Q tag. */
export const TPID_8021Q = 0x8100;
/** TPID of a service (outer, QinQ) 802.1ad tag. */
export const TPID_8021AD = 0x88a8;
/** Pre-standard QinQ TPID, still seen on the wire. */
export const TPID_QINQ_LEGACY = 0x9100;
/** Every TPID that marks a tag, outer or inner. */
export const TAG_TPIDS: readonly number[] = [
  TPID_8021Q,
  TPID_8021AD,
  TPID_QINQ_LEGACY,
];
/** The smallest EtherType: smaller values are 802.3 length fields. */
export const MIN_ETHER_TYPE = 0x0600;
/** Largest usable VLAN ID (4095 is reserved). */
export const MAX_VLAN_ID = 4094;

/**
 * Copies `length` frame bytes from `source` at `start` into `target` at
 * `at`, putting back the tag (`tci`, `tpid`) the kernel stripped, where it
 * was on the wire: after the two addresses. A negative `tci` means there
 * is no tag to restore.
 *
 * `set(subarray)` makes a short-lived view per copy; measured, it beats a
 * byte loop even for 60-byte frames (36 ns against 52 ns; 49 ns against
 * 2.8 µs at 1514 bytes).
 *
 * @returns bytes written: `length`, plus 4 when a tag was put back.
 */
export function copyRestoringTag(
  source: Uint8Array,
  start: number,
  length: number,
  tci: number,
  tpid: number,
  target: Uint8Array,
  at: number,
): number {
  if (tci < 0 || length < TYPE_OFFSET) {
    target.set(source.subarray(start, start + length), at);
    return length;
  }
  target.set(source.subarray(start, start + TYPE_OFFSET), at);
  const tag = at + TYPE_OFFSET;
  target[tag] = tpid >> 8;
  target[tag + 1] = tpid & 0xff;
  target[tag + 2] = tci >> 8;
  target[tag + 3] = tci & 0xff;
  target.set(
    source.subarray(start + TYPE_OFFSET, start + length),
    tag + VLAN_TAG_SIZE,
  );
  return length + VLAN_TAG_SIZE;
}
