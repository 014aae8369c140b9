/**
 * Which decoder reads what inside IP: tables keyed by protocol number,
 * IPv4 and IPv6 apart (ICMP belongs to one, ICMPv6 to the other). A new
 * transport is one decoder file and one row here. Pure.
 *
 * @module
 */

import { decodeIcmp } from "./icmp.ts";
import { decodeIcmpv6 } from "./icmpv6.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";
import { decodeTcp } from "./tcp.ts";
import { decodeUdp } from "./udp.ts";

/** Decodes an upper layer inside the IP header `ip`. */
export type UpperDecoder = (
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext,
) => UpperPart;

/** Decoders by protocol number inside IPv4. */
export const BY_IPV4_PROTOCOL: ReadonlyMap<number, UpperDecoder> = new Map([
  [1, decodeIcmp],
  [6, decodeTcp],
  [17, decodeUdp],
]);

/** Decoders by next header inside IPv6. */
export const BY_IPV6_PROTOCOL: ReadonlyMap<number, UpperDecoder> = new Map([
  [6, decodeTcp],
  [17, decodeUdp],
  [58, decodeIcmpv6],
]);
