/**
 * The layer above IPv4 or IPv6, by protocol number: TCP, UDP, ICMP for
 * IPv4, ICMPv6 for IPv6; any other is named by number, as tcpdump does
 * (`ip-proto-253 4`). Pure.
 *
 * @module
 */

import { decodeIcmp } from "./icmp.ts";
import { decodeIcmpv6 } from "./icmpv6.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";
import { decodeTcp } from "./tcp.ts";
import { decodeUdp } from "./udp.ts";

const ICMP = 1;
const TCP = 6;
const UDP = 17;
const ICMPV6 = 58;

/** Decodes protocol `protocol` at `at` inside `ip` (`v6`: an IPv6 one). */
export function decodeUpper(
  protocol: number,
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext & { v6: boolean },
): UpperPart {
  if (protocol === TCP) return decodeTcp(b, at, end, ip);
  if (protocol === UDP) return decodeUdp(b, at, end, ip);
  if (protocol === ICMP && !ip.v6) return decodeIcmp(b, at, end, ip);
  if (protocol === ICMPV6 && ip.v6) return decodeIcmpv6(b, at, end, ip);
  return {
    text: `ip-proto-${protocol} ${ip.length}`,
    layers: [],
    addressed: false,
  };
}
