/**
 * The layer above IPv4 or IPv6, by protocol number: TCP, UDP, ICMP for
 * IPv4, ICMPv6 for IPv6; any other is named by number, as tcpdump does
 * (`ip-proto-253 4`). Pure.
 *
 * @module
 */

import type { IpContext, UpperPart } from "./ip_context.ts";
import { BY_IPV4_PROTOCOL, BY_IPV6_PROTOCOL } from "./ip_registry.ts";

/** Decodes protocol `protocol` at `at` inside `ip` (`v6`: an IPv6 one). */
export function decodeUpper(
  protocol: number,
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext & { v6: boolean },
): UpperPart {
  const decoder = (ip.v6 ? BY_IPV6_PROTOCOL : BY_IPV4_PROTOCOL).get(protocol);
  if (decoder !== undefined) return decoder(b, at, end, ip);
  return {
    text: `ip-proto-${protocol} ${ip.length}`,
    layers: [],
    addressed: false,
  };
}
