/**
 * Which decoder reads a UDP payload, by port: a new protocol over UDP is
 * one decoder file and one row here. Which of the two ports decides is
 * tcpdump's order (udp_order.ts). Pure.
 *
 * @module
 */

import type { PayloadDecoder } from "./registry.ts";
import {
  decodeGeneve,
  decodeVxlan,
  GENEVE_PORT,
  VXLAN_PORT,
} from "./overlay.ts";
import { decodeNtp, NTP_PORT } from "./ntp.ts";
import { decodeHsrp, HSRP_PORT } from "./hsrp.ts";
import { decodePtp, PTP_PORTS } from "./ptp.ts";
import { BOOTPC_PORT, BOOTPS_PORT, decodeDhcp } from "./dhcp.ts";
import { decodeDhcp6, DHCP6_CLIENT_PORT, DHCP6_SERVER_PORT } from "./dhcp6.ts";
import {
  decodeDns,
  decodeMdns,
  DNS_PORT,
  LLMNR_PORT,
  MDNS_PORT,
} from "./dns.ts";

/** UDP payload decoders by port. */
export const BY_UDP_PORT: ReadonlyMap<number, PayloadDecoder> = new Map([
  [VXLAN_PORT, decodeVxlan],
  [GENEVE_PORT, decodeGeneve],
  [NTP_PORT, decodeNtp],
  [HSRP_PORT, decodeHsrp],
  ...PTP_PORTS.map((port) => [port, decodePtp] as const),
  [DNS_PORT, decodeDns],
  [BOOTPS_PORT, decodeDhcp],
  [BOOTPC_PORT, decodeDhcp],
  [DHCP6_CLIENT_PORT, decodeDhcp6],
  [DHCP6_SERVER_PORT, decodeDhcp6],
  [MDNS_PORT, decodeMdns],
  // tcpdump has no LLMNR printer: rawframe reads it as the DNS it is.
  [LLMNR_PORT, decodeDns],
]);
