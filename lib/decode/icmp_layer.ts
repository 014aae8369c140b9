/**
 * The fields of an ICMP or ICMPv6 message's header, shared by both
 * decoders: type, code, checksum, and an identifier and sequence number
 * where the message has them, as far as they were captured. Pure.
 *
 * @module
 */

import { u16, u32 } from "./bytes.ts";
import type { IcmpLayer } from "./layers.ts";

/**
 * The layer of the message at `at` (at least its type and code captured);
 * `withId`: the message carries an identifier and sequence number (echo,
 * and ICMP's timestamp, information and address mask messages), or only
 * an identifier (`"id only"`: RFC 8335's extended echo, whose sequence
 * number is one byte followed by flags).
 */
export function icmpLayer(
  layer: IcmpLayer["layer"],
  b: Uint8Array,
  at: number,
  end: number,
  withId: boolean | "id only",
): IcmpLayer {
  const out: IcmpLayer = { layer, type: b[at], code: b[at + 1] };
  if (end - at >= 4) out.checksum = u16(b, at + 2);
  if (end - at < 8) return out;
  if (withId) out.id = u16(b, at + 4);
  if (withId === true) out.seq = u16(b, at + 6);
  else out.rest = u32(b, at + 4); // the message's own word: kept to rebuild
  return out;
}
