/**
 * The largest frame an interface takes, by the kernel's rule, and the one
 * check every send path and the command line make before anything leaves.
 *
 * @module
 */

import {
  HEADER_SIZE,
  TPID_8021Q,
  TYPE_OFFSET,
  VLAN_TAG_SIZE,
} from "../contract/ethernet.ts";
import { FrameTooLargeError } from "./errors.ts";

/** What the size rule needs to know of an interface. */
export interface SizedInterface {
  /** Its name, for the error. */
  name: string;
  /** Its MTU. */
  mtu: number;
}

/**
 * The largest frame `iface` takes: MTU plus the Ethernet header, plus one
 * tag when `frame`'s outer tag is an 802.1Q one. The kernel allows those 4
 * bytes only for TPID 0x8100 (packet_extra_vlan_len_allowed): QinQ
 * (0x88a8 outer) gets no extra room.
 */
export function maxFrameSize(
  iface: SizedInterface,
  frame?: Uint8Array,
): number {
  const tagged = frame !== undefined && frame.length >= HEADER_SIZE &&
    ((frame[TYPE_OFFSET] << 8) | frame[TYPE_OFFSET + 1]) === TPID_8021Q;
  return iface.mtu + HEADER_SIZE + (tagged ? VLAN_TAG_SIZE : 0);
}

/**
 * Throws unless `frame` fits `iface`.
 *
 * @param which Names the frame in the message, e.g. `frame 3 of "x.pcap"`.
 * @throws {FrameTooLargeError} naming both sizes.
 */
export function assertFits(
  iface: SizedInterface,
  frame: Uint8Array,
  which?: string,
): void {
  const max = maxFrameSize(iface, frame);
  if (frame.length > max) {
    throw new FrameTooLargeError(iface.name, frame.length, max, iface.mtu, {
      which,
    });
  }
}
