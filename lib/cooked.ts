/**
 * Linux cooked captures (`tcpdump -i any`): link types LINUX_SLL (113)
 * and LINUX_SLL2 (276), whose frames start with a header the kernel's
 * packet socket filled in (packet type, link-layer address, protocol,
 * and in SLL2 the interface index) instead of an Ethernet header. Pure.
 *
 * @module
 */

import { HEX_BYTES } from "./hex.ts";
import { PACKET_TYPES, type PacketType } from "../contract/types.ts";

/** LINKTYPE_LINUX_SLL: a 16-byte cooked header. */
export const LINKTYPE_LINUX_SLL = 113;
/** LINKTYPE_LINUX_SLL2: a 20-byte cooked header with the interface index. */
export const LINKTYPE_LINUX_SLL2 = 276;

/** What a cooked header says of its frame. */
export interface CookedHeader {
  /** 1 for SLL, 2 for SLL2. */
  version: 1 | 2;
  /** How the kernel classified the frame (PACKET_HOST...), by number. */
  packetType: number;
  /** The link-layer address type (ARPHRD_*: 1 Ethernet, 772 loopback). */
  hatype: number;
  /** The sender's link-layer address (a MAC when 6 bytes); null when none. */
  address: string | null;
  /** The protocol: an EtherType, or a Linux ETH_P_* below 0x0600. */
  protocol: number;
  /** SLL2's interface index. */
  ifindex?: number;
  /** Where the payload starts. */
  size: number;
}

/** Whether `linkType` is a Linux cooked one. */
export function isCooked(linkType: number | undefined): boolean {
  return linkType === LINKTYPE_LINUX_SLL || linkType === LINKTYPE_LINUX_SLL2;
}

/** The cooked header of `b`; undefined when it is shorter than one. */
export function readCooked(
  b: Uint8Array,
  linkType: number,
): CookedHeader | undefined {
  const v2 = linkType === LINKTYPE_LINUX_SLL2;
  const size = v2 ? 20 : 16;
  if (b.length < size) return undefined;
  const u16 = (at: number): number => (b[at] << 8) | b[at + 1];
  const halen = v2 ? b[11] : u16(4);
  const addressAt = v2 ? 12 : 6;
  const header: CookedHeader = {
    version: v2 ? 2 : 1,
    packetType: v2 ? b[10] : u16(0),
    hatype: v2 ? u16(8) : u16(2),
    address: halen === 0 ? null : address(b, addressAt, Math.min(halen, 8)),
    protocol: v2 ? u16(0) : u16(14),
    size,
  };
  if (v2) header.ifindex = ((u16(4) << 16) | u16(6)) >>> 0;
  return header;
}

/** The packet type's name (PACKET_HOST: "host"), or null past the known. */
export function cookedPacketType(header: CookedHeader): PacketType | null {
  return PACKET_TYPES[header.packetType] ?? null;
}

/** `aa:bb:...` of `size` bytes at `at`. */
function address(b: Uint8Array, at: number, size: number): string {
  const parts: string[] = [];
  for (let i = 0; i < size; i++) parts.push(HEX_BYTES[b[at + i]]);
  return parts.join(":");
}
