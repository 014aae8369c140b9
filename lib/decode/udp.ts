/**
 * UDP (RFC 768): `IP 10.0.0.1.53 > 10.0.0.2.40000: UDP, length 40`, as
 * tcpdump says it when it knows no application on those ports. Pure.
 *
 * @module
 */

import { u16 } from "./bytes.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";
import { endpoints } from "./ip_context.ts";

const HEADER = 8;

/** Decodes a UDP header at `at`, inside the IP header `ip`. */
export function decodeUdp(
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext,
): UpperPart {
  if (end - at < 4) return { text: "[|udp]", layers: [], addressed: false };
  const sport = u16(b, at);
  const dport = u16(b, at + 2);
  const ends = endpoints(ip, sport, dport);
  if (end - at < HEADER) {
    return { text: `${ends}: [|udp]`, layers: [], addressed: ip.withAddresses };
  }
  const len = u16(b, at + 4);
  const text = len < HEADER
    ? `${ends}: UDP, bad length ${len} < ${HEADER}`
    : `${ends}: UDP, length ${len - HEADER}`;
  return {
    text,
    layers: [{ layer: "udp", sport, dport, len, checksum: u16(b, at + 6) }],
    addressed: ip.withAddresses,
  };
}
