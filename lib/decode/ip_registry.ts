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
import { decodeGre } from "./gre.ts";
import { decodeAh, decodeEsp } from "./ipsec.ts";
import { decodeIpv4 } from "./ipv4.ts";
import { decodeIpv6 } from "./ipv6.ts";
import { nested, TOO_DEEP } from "./nesting.ts";
import { decodeVrrp } from "./vrrp.ts";
import { decodeIgmp } from "./igmp.ts";

/** Decodes an upper layer inside the IP header `ip`. */
export type UpperDecoder = (
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext & { v6: boolean },
) => UpperPart;

/** Decoders by protocol number inside IPv4. */
/** A tunnelled IPv4 packet (IP in IP): its own line after the outer's. */
const innerIpv4: UpperDecoder = (b, at, end, ip) => ({
  ...nested(() => decodeIpv4(b, at, end, ip.length), TOO_DEEP),
  addressed: false,
});

/** A tunnelled IPv6 packet (6in4, 6in6). */
const innerIpv6: UpperDecoder = (b, at, end, ip) => ({
  ...nested(() => decodeIpv6(b, at, end, ip.length), TOO_DEEP),
  addressed: false,
});

/** What both versions carry the same way. */
const EITHER: [number, UpperDecoder][] = [
  [4, innerIpv4],
  [6, decodeTcp],
  [17, decodeUdp],
  [41, innerIpv6],
  [47, decodeGre],
  [50, decodeEsp],
  [51, decodeAh],
  [112, decodeVrrp],
];

export const BY_IPV4_PROTOCOL: ReadonlyMap<number, UpperDecoder> = new Map([
  [1, decodeIcmp],
  [2, decodeIgmp],
  ...EITHER,
]);

/** Decoders by next header inside IPv6. */
export const BY_IPV6_PROTOCOL: ReadonlyMap<number, UpperDecoder> = new Map([
  ...EITHER,
  [58, decodeIcmpv6],
]);
