/**
 * The first layer of every frame: Ethernet's addresses, its VLAN tags and
 * the EtherType (or 802.3 length) after them, read once. Decoders, lines
 * and records all start from it. Pure.
 *
 * @module
 */

import {
  HEADER_SIZE,
  TAG_TPIDS,
  TYPE_OFFSET,
  VLAN_TAG_SIZE,
} from "../../contract/ethernet.ts";
import { HEX_BYTES } from "../hex.ts";
import type { VlanTag } from "../../contract/ethernet.ts";
import { type CookedHeader, isCooked, readCooked } from "../cooked.ts";

/** A frame's Ethernet header and tags (or its Linux cooked header). */
export interface Link {
  /** Destination MAC, lowercase colon form ("" in a cooked header). */
  dst: string;
  /** Source MAC, lowercase colon form (a cooked header's address, or ""). */
  src: string;
  /** 802.1Q/802.1ad tags, outermost first (empty when untagged). */
  vlans: VlanTag[];
  /** EtherType after any tags (or an 802.3 length, below 0x0600). */
  type: number;
  /** Where the payload starts: after the type. */
  at: number;
  /** The Linux cooked header, for a frame of a `tcpdump -i any` capture. */
  cooked?: CookedHeader;
}

const TPIDS = new Set(TAG_TPIDS);

/**
 * Reads the Ethernet header and tags of `b` (or, for `linkType` 113 or
 * 276, its Linux cooked header); undefined when it is shorter than a
 * header. A tag counts while a TPID is followed by room for a
 * type, as parseFrame counts.
 */
export function decodeLink(
  b: Uint8Array,
  linkType?: number,
): Link | undefined {
  if (linkType !== undefined && isCooked(linkType)) {
    return cookedLink(b, linkType);
  }
  if (b.length < HEADER_SIZE) return undefined;
  let at = TYPE_OFFSET;
  let type = (b[at] << 8) | b[at + 1];
  const vlans: VlanTag[] = [];
  while (TPIDS.has(type) && at + VLAN_TAG_SIZE + 2 <= b.length) {
    const tci = (b[at + 2] << 8) | b[at + 3];
    vlans.push({
      tpid: type,
      pcp: tci >> 13,
      dei: (tci & 0x1000) !== 0,
      id: tci & 0x0fff,
    });
    at += VLAN_TAG_SIZE;
    type = (b[at] << 8) | b[at + 1];
  }
  return { dst: mac(b, 0), src: mac(b, 6), vlans, type, at: at + 2 };
}

/** A cooked header as a link: its protocol as the type, no tags. */
function cookedLink(b: Uint8Array, linkType: number): Link | undefined {
  const cooked = readCooked(b, linkType);
  if (cooked === undefined) return undefined;
  return {
    dst: "",
    src: cooked.address ?? "",
    vlans: [],
    type: cooked.protocol,
    at: cooked.size,
    cooked,
  };
}

/** The MAC at `at`, in lowercase colon form. */
function mac(b: Uint8Array, at: number): string {
  const h = HEX_BYTES;
  return `${h[b[at]]}:${h[b[at + 1]]}:${h[b[at + 2]]}:${h[b[at + 3]]}:${
    h[b[at + 4]]
  }:${h[b[at + 5]]}`;
}
