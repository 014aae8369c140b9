/**
 * What a frame carries, decoded: ARP, IPv4, IPv6 (extension headers
 * walked), ICMP, ICMPv6 (echo, neighbour discovery), UDP, TCP, LLC and
 * SNAP, LLDP, STP/RSTP/MSTP and LACP. For each frame: a one-line summary
 * in tcpdump's words where tcpdump has them, and the decoded layers as
 * plain values. A truncated or malformed layer decodes as far as its
 * bytes go and says so (`[|tcp]`, as tcpdump); decoding never throws.
 * Pure: no Deno APIs, so it runs anywhere the frame module does.
 *
 * @example Summarise an ARP request
 * ```ts
 * import { decodeFrame } from "@rawframe/rawframe/decode";
 * import { parseHex } from "@rawframe/rawframe/frame";
 *
 * const frame = parseHex(
 *   "ffffffffffff020000000001" + "0806" + "0001080006040001" +
 *     "020000000001" + "0a000002" + "000000000000" + "0a000001",
 * );
 * const { info, layers } = decodeFrame(frame);
 * console.log(info); // ARP, Request who-has 10.0.0.1 tell 10.0.0.2, length 28
 * console.log(layers[0]); // { layer: "arp", op: 1, sha: "02:00:00:00:00:01", ... }
 * ```
 *
 * @module
 */

import { HEADER_SIZE, MIN_ETHER_TYPE } from "../contract/ethernet.ts";
import { decodeLink, type Link } from "./decode/link.ts";
import { dataLayer } from "./decode/data.ts";
import { BY_ETHER_TYPE } from "./decode/registry.ts";
import type { Layer, Part } from "./decode/layers.ts";
import { decodeLlc } from "./decode/llc.ts";

export type * from "./decode/layers.ts";
export { decodeLink, type Link } from "./decode/link.ts";
export type { VlanTag } from "./frame.ts";
export type { CookedHeader } from "./cooked.ts";

/** A frame's payload, decoded. */
export interface Decoded {
  /**
   * One-line summary of what follows Ethernet and its tags, e.g. `ARP,
   * Request who-has 10.0.0.1 tell 10.0.0.2, length 28`; null when the
   * EtherType is not one this module decodes. A frame shorter than an
   * Ethernet header says `[|ether]`.
   */
  info: string | null;
  /** The decoded layers after Ethernet and its tags, outermost first. */
  layers: Layer[];
}

/**
 * Decodes what a frame carries after its Ethernet header and VLAN tags.
 *
 * @param frame The frame's captured bytes.
 * @param length Its length on the wire, when more than was captured.
 * @param link Its Ethernet header, when the caller has read it already.
 */
export function decodeFrame(
  frame: Uint8Array,
  length: number = frame.length,
  link: Link | undefined = decodeLink(frame),
): Decoded {
  const found = decodePayload(frame, length, link);
  if (found === undefined) {
    return { info: frame.length < HEADER_SIZE ? "[|ether]" : null, layers: [] };
  }
  const { part, at, end } = found;
  // The data, when every byte of the frame is there and nothing is cut.
  const whole = length === frame.length && !/\[\||truncated|\(invalid\)|bad/
    .test(part.text);
  const data = whole ? dataLayer(frame, at, part.layers, end) : undefined;
  return {
    info: part.text,
    layers: data === undefined ? part.layers : [...part.layers, data],
  };
}

/**
 * Only the summary of {@linkcode decodeFrame}: what a line shows, without
 * the work of the layers' data (a third of decoding's time).
 *
 * @param frame The frame's captured bytes.
 * @param length Its length on the wire, when more than was captured.
 * @param link Its Ethernet header, when the caller has read it already.
 */
export function decodeInfo(
  frame: Uint8Array,
  length: number = frame.length,
  link: Link | undefined = decodeLink(frame),
): string | null {
  if (link === undefined) return "[|ether]";
  return decodePayload(frame, length, link)?.part.text ?? null;
}

/**
 * The decoded part after Ethernet and its tags, where it starts, and where
 * its bytes end (an 802.3 frame's length); undefined when nothing decodes.
 */
function decodePayload(
  frame: Uint8Array,
  length: number,
  link: Link | undefined = decodeLink(frame),
): { part: Part; at: number; end: number } | undefined {
  if (link === undefined) return undefined;
  const { type, at } = link;
  // A cooked header's protocol below 0x0600 is Linux's ETH_P_*, not a length.
  if (link.cooked !== undefined && type < MIN_ETHER_TYPE) return undefined;
  const ieee8023 = type < MIN_ETHER_TYPE;
  const end = ieee8023 ? Math.min(frame.length, at + type) : frame.length;
  const part = ieee8023
    ? decodeLlc(frame, at, end, type, decodeEtherType)
    : decodeEtherType(type, frame, at, frame.length, length - at);
  return part === undefined ? undefined : { part, at, end };
}

/**
 * Decodes the payload at `at` of EtherType `type`, undefined when it is
 * not one this module knows; `length` is the payload's size on the wire.
 */
function decodeEtherType(
  type: number,
  b: Uint8Array,
  at: number,
  end: number,
  length: number = end - at,
): Part | undefined {
  return BY_ETHER_TYPE.get(type)?.(b, at, end, length);
}
