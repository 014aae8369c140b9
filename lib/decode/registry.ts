/**
 * Which decoder reads what: tables keyed by EtherType, by IP protocol
 * number (IPv4 and IPv6 apart: ICMP belongs to one, ICMPv6 to the other)
 * and by SNAP organisation and protocol. A new protocol is one decoder
 * file and one row here. Pure.
 *
 * @module
 */

import { ECHO_ETHERTYPE } from "../echo.ts";
import { decodeArp } from "./arp.ts";
import { decodeEchoFrame } from "./echo.ts";
import { decodeIcmp } from "./icmp.ts";
import { decodeIcmpv6 } from "./icmpv6.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";
import { decodeIpv4 } from "./ipv4.ts";
import { decodeIpv6 } from "./ipv6.ts";
import type { Part } from "./layers.ts";
import { decodeLldp } from "./lldp.ts";
import { decodeSlow } from "./slow.ts";
import { decodeStp } from "./stp.ts";
import { decodeTcp } from "./tcp.ts";
import { decodeUdp } from "./udp.ts";

/**
 * Decodes what starts at `at`, captured up to `end`; `length` is its size
 * on the wire (more than `end - at` when a snap length cut it); undefined
 * when the bytes are not the protocol after all (rawframe's echo without
 * its magic).
 */
export type PayloadDecoder = (
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
) => Part | undefined;

/** Decodes an upper layer inside the IP header `ip`. */
export type UpperDecoder = (
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext,
) => UpperPart;

/** Decoders by EtherType. */
export const BY_ETHER_TYPE: ReadonlyMap<number, PayloadDecoder> = new Map<
  number,
  PayloadDecoder
>([
  [0x0800, decodeIpv4],
  [0x0806, decodeArp],
  [0x86dd, decodeIpv6],
  [0x88cc, decodeLldp],
  [0x8809, decodeSlow],
  [ECHO_ETHERTYPE, decodeEchoFrame],
]);

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

/** Decoders by SNAP organisation code and protocol ID, `oui * 0x10000 + pid`. */
export const BY_SNAP: ReadonlyMap<number, PayloadDecoder> = new Map([
  [0x00000c * 0x10000 + 0x010b, decodeStp], // Cisco PVST+
]);
