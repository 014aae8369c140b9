/**
 * Which UDP port decides, when both ports are known ones: tcpdump tries
 * its printers in a fixed order (print-udp.c), not destination first. A
 * datagram from SNMP's port 161 to DHCPv6's 546 is SNMP to tcpdump; so
 * rawframe, which does not read SNMP, stops there too. Pure.
 *
 * @module
 */

/** One step of tcpdump's chain: ports either side, or the destination's only. */
type Step = { ports: readonly number[]; dportOnly?: boolean };

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** tcpdump's printers over UDP, in the order it tries them. */
const ORDER: readonly Step[] = [
  { ports: [53] }, // DNS
  { ports: [5353] }, // mDNS
  { ports: [525] }, // timed
  { ports: [69] }, // TFTP
  { ports: [67, 68] }, // BOOTP/DHCP
  { ports: [520] }, // RIP
  { ports: [654] }, // AODV
  { ports: [500] }, // ISAKMP
  { ports: [4500] }, // ISAKMP NAT-T
  { ports: [7500, 8500] }, // ISAKMP, user ports
  { ports: [161, 162] }, // SNMP
  { ports: [123] }, // NTP
  { ports: [88, 750] }, // Kerberos
  { ports: [1701] }, // L2TP
  { ports: [137] }, // NetBIOS name service
  { ports: [138] }, // NetBIOS datagrams
  { ports: [3456], dportOnly: true }, // VAT
  { ports: [2103, 2104] }, // Zephyr
  { ports: range(7000, 7009) }, // AFS Rx
  { ports: [521] }, // RIPng
  { ports: [546, 547] }, // DHCPv6
  { ports: [5359] }, // AHCP
  { ports: [6696, 6697] }, // Babel
  { ports: [8231] }, // HNCP
  { ports: [4567], dportOnly: true }, // whiteboard
  { ports: [496] }, // Cisco auto-RP
  { ports: [1645, 1812, 1646, 1813, 1700, 3799] }, // RADIUS
  { ports: [1985], dportOnly: true }, // HSRP
  { ports: [921] }, // lwres
  { ports: [646] }, // LDP
  { ports: [698] }, // OLSR
  { ports: [3503] }, // MPLS LSP ping
  { ports: [3784, 4784], dportOnly: true }, // BFD
  { ports: [701] }, // LMP
  { ports: [1589] }, // VQP
  { ports: [6343] }, // sFlow
  { ports: [12223] }, // LWAPP control
  { ports: [12222] }, // LWAPP data
  { ports: [5060] }, // SIP
  { ports: [514] }, // syslog
  { ports: [8472] }, // OTV
  { ports: [4789] }, // VXLAN
  { ports: [6081] }, // Geneve
  { ports: [4342] }, // LISP
  { ports: [4790] }, // VXLAN-GPE
  { ports: [319, 320] }, // PTP
];

/**
 * The port whose printer tcpdump runs for a datagram between `sport` and
 * `dport`; undefined when it runs none. Ports tcpdump does not know are
 * then tried as before, destination first (rawframe's LLMNR).
 */
export function decidingPort(sport: number, dport: number): number | undefined {
  const d = RANK.get(dport);
  const s = SOURCE_RANK.get(sport);
  if (d === undefined) return s === undefined ? undefined : sport;
  return s === undefined || d <= s ? dport : sport;
}

/** Each port's place in the order (looked up per datagram: a map). */
const RANK: ReadonlyMap<number, number> = new Map(
  ORDER.flatMap((step, i) => step.ports.map((port) => [port, i] as const)),
);
/** The same for a source port: destination-only steps left out. */
const SOURCE_RANK: ReadonlyMap<number, number> = new Map(
  ORDER.flatMap((step, i) =>
    step.dportOnly ? [] : step.ports.map((port) => [port, i] as const)
  ),
);
