/**
 * UDP (RFC 768): `IP 10.0.0.1.53 > 10.0.0.2.40000: UDP, length 40`, as
 * tcpdump says it when it knows no application on those ports. Pure.
 *
 * @module
 */

import { u16 } from "./bytes.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";
import { endpoints } from "./ip_context.ts";
import type { UdpLayer } from "./layers.ts";
import { BY_UDP_PORT } from "./udp_registry.ts";
import { decidingPort } from "./udp_order.ts";

const HEADER = 8;

/** Decodes a UDP header at `at`, inside the IP header `ip`. */
export function decodeUdp(
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext,
): UpperPart {
  // tcpdump's truncation mark has its own leading space: two after ":".
  if (end - at < 4) return { text: " [|udp]", layers: [], addressed: false };
  const sport = u16(b, at);
  const dport = u16(b, at + 2);
  const ends = endpoints(ip, sport, dport);
  if (end - at < HEADER) {
    return {
      text: `${ends}:  [|udp]`,
      layers: [],
      addressed: ip.withAddresses,
    };
  }
  const len = u16(b, at + 4);
  const layer: UdpLayer = {
    layer: "udp",
    sport,
    dport,
    len,
    checksum: u16(b, at + 6),
  };
  if (len < HEADER) {
    const text = `${ends}: UDP, bad length ${len} < ${HEADER}`;
    return { text, layers: [layer], addressed: ip.withAddresses };
  }
  const deciding = decidingPort(sport, dport);
  const decode = deciding === undefined
    ? BY_UDP_PORT.get(dport) ?? BY_UDP_PORT.get(sport)
    : BY_UDP_PORT.get(deciding);
  const payload = decode?.(
    b,
    at + HEADER,
    Math.min(end, at + len),
    Math.min(ip.length, len) - HEADER,
  );
  return {
    text: `${ends}: ${payload?.text ?? `UDP, length ${len - HEADER}`}`,
    layers: [layer, ...(payload?.layers ?? [])],
    addressed: ip.withAddresses,
  };
}
