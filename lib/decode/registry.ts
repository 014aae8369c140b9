/**
 * Which decoder reads what after Ethernet: tables keyed by EtherType and
 * by SNAP organisation and protocol (inside IP: ip_registry.ts). A new
 * protocol is one decoder file and one row here. Pure.
 *
 * @module
 */

import { ECHO_ETHERTYPE } from "../echo.ts";
import { decodeArp } from "./arp.ts";
import { decodeEchoFrame } from "./echo.ts";
import { decodeIpv4 } from "./ipv4.ts";
import { decodeIpv6 } from "./ipv6.ts";
import type { Part } from "./layers.ts";
import { decodeLldp } from "./lldp.ts";
import { decodeSlow } from "./slow.ts";
import { decodeStp } from "./stp.ts";
import { decodeEapol, EAPOL_ETHERTYPE } from "./eapol.ts";
import { decodeMpls, MPLS_ETHERTYPES } from "./mpls.ts";
import { decodePppoe, PPPOE_ETHERTYPES } from "./pppoe.ts";
import { decodePtp, PTP_ETHERTYPE } from "./ptp.ts";
import { CDP_PID, decodeCdp } from "./cdp.ts";

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
  [EAPOL_ETHERTYPE, decodeEapol],
  ...MPLS_ETHERTYPES.map((type) => [type, decodeMpls] as const),
  ...PPPOE_ETHERTYPES.map((type) => [type, decodePppoe] as const),
  [PTP_ETHERTYPE, decodePtp],
]);

/** Decoders by SNAP organisation code and protocol ID, `oui * 0x10000 + pid`. */
export const BY_SNAP: ReadonlyMap<number, PayloadDecoder> = new Map([
  [0x00000c * 0x10000 + 0x010b, decodeStp], // Cisco PVST+
  [0x00000c * 0x10000 + CDP_PID, decodeCdp],
]);
