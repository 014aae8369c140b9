/**
 * The numbers that say which layer comes next: EtherTypes, IP protocol
 * numbers and UDP ports of the layers rawframe builds. Pure.
 *
 * @module
 */

import type { BuildLayer } from "./layers.ts";

/**
 * The numbers that say a layer comes next: its EtherType after Ethernet,
 * its protocol number after an IP header. One row a buildable protocol.
 */
export const NUMBERS: Readonly<
  Record<
    string,
    { etherType?: number; protocol?: number; port?: number; sport?: number }
  >
> = {
  arp: { etherType: 0x0806 },
  lldp: { etherType: 0x88cc },
  lacp: { etherType: 0x8809 },
  mpls: { etherType: 0x8847 },
  ptp: { etherType: 0x88f7, port: 319 },
  eapol: { etherType: 0x888e },
  ipv4: { etherType: 0x0800, protocol: 4 },
  ipv6: { etherType: 0x86dd, protocol: 41 },
  icmp: { protocol: 1 },
  tcp: { protocol: 6 },
  udp: { protocol: 17 },
  gre: { protocol: 47 },
  esp: { protocol: 50 },
  ah: { protocol: 51 },
  vrrp: { protocol: 112 },
  igmp: { protocol: 2 },
  ether: { etherType: 0x6558 }, // a frame inside GRE or Geneve
  vxlan: { port: 4789 },
  geneve: { port: 6081 },
  ntp: { port: 123 },
  hsrp: { port: 1985 },
  dns: { port: 53 },
  dhcp: { port: 67, sport: 68 },
  dhcp6: { port: 547, sport: 546 },
  icmpv6: { protocol: 58 },
};

/** The EtherType a first layer stands for; undefined for `raw`. */
export function etherTypeOf(layer: BuildLayer | undefined): number | undefined {
  if (layer?.layer === "pppoe") {
    return (layer.code ?? 0) === 0 ? 0x8864 : 0x8863;
  }
  return layer === undefined ? undefined : NUMBERS[layer.layer]?.etherType;
}

/**
 * The IP protocol number of a layer that follows an IP header: 59 (no
 * next header) after IPv6 when nothing follows, 0 after IPv4.
 */
export function protocolOf(layer: BuildLayer | undefined, v6: boolean): number {
  if (layer === undefined) return v6 ? 59 : 0;
  return NUMBERS[layer.layer]?.protocol ?? 0;
}
