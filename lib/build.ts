/**
 * Building frames from layers, as scapy does: give the layers (the same
 * shapes `read --json` shows under `layers`), leave out what should be
 * defaulted or computed — lengths, header lengths, next-protocol numbers,
 * IPv4, UDP, TCP, ICMP and ICMPv6 checksums with their pseudo-headers —
 * and get the frame's bytes. A field given is kept, even a wrong checksum,
 * so broken packets can be built too. Pure: no Deno APIs.
 *
 * @example A UDP datagram with its checksum computed
 * ```ts
 * import { buildPacket } from "@rawframe/rawframe/build";
 * import { decodeFrame } from "@rawframe/rawframe/decode";
 *
 * const frame = buildPacket({
 *   dst: "02:00:00:00:00:02",
 *   src: "02:00:00:00:00:01",
 *   layers: [
 *     { layer: "ipv4", src: "10.0.0.1", dst: "10.0.0.2" },
 *     { layer: "udp", sport: 40000, dport: 9 },
 *     { layer: "raw", data: "48690a" },
 *   ],
 * });
 * console.log(decodeFrame(frame).info);
 * // IP 10.0.0.1.40000 > 10.0.0.2.9: UDP, length 3
 * ```
 *
 * @module
 */

import { LayerError } from "./errors.ts";
import { buildFrame, type MacInput, type VlanTagInit } from "./frame.ts";
import { checkOptions } from "./option_check.ts";
import { encodeLayers, etherTypeOf } from "./build/encode.ts";
import type { BuildLayer } from "./build/layers.ts";

export { encodeLayers };
export type {
  AhBuild,
  ArpBuild,
  Buildable,
  BuildLayer,
  CdpBuild,
  Dhcp6Build,
  DhcpBuild,
  DnsBuild,
  DnsQuestionBuild,
  DnsRecordBuild,
  EapBuild,
  EapolBuild,
  EspBuild,
  EtherBuild,
  GeneveBuild,
  GreBuild,
  HsrpBuild,
  IcmpBuild,
  IgmpBuild,
  Ipv4Build,
  Ipv6Build,
  LacpBuild,
  LlcBuild,
  LldpBuild,
  MplsBuild,
  NtpBuild,
  PppoeBuild,
  PtpBuild,
  RawLayer,
  SnapBuild,
  StpBuild,
  TcpBuild,
  UdpBuild,
  VrrpBuild,
  VxlanBuild,
} from "./build/layers.ts";
export type { MacInput, VlanTagInit } from "./frame.ts";
export type * from "./decode/layers.ts";

/** What {@linkcode buildPacket} needs. */
export interface PacketInit {
  /** Destination MAC. */
  dst: MacInput;
  /** Source MAC. */
  src: MacInput;
  /** 802.1Q tags, outermost first. */
  vlans?: readonly VlanTagInit[];
  /**
   * EtherType; by default the first layer's (0x0806 ARP, 0x0800 IPv4,
   * 0x86dd IPv6), or, when the first is `llc`, an 802.3 frame's length.
   * Needed when the first layer is `raw`.
   */
  type?: number;
  /** The layers after the Ethernet header, outermost first. */
  layers: readonly BuildLayer[];
  /** Pad with zeros to 60 bytes (default true). */
  pad?: boolean;
}

/**
 * Builds an Ethernet frame from layers (see the module's example).
 *
 * @throws {LayerError} a field out of range or malformed, an unknown layer.
 * @throws {OptionError} a key a layer does not take, or of the wrong type.
 * @throws {MacAddressError} {EtherTypeError} {VlanError} as buildFrame.
 */
export function buildPacket(init: PacketInit): Uint8Array {
  checkOptions("buildPacket", init, {
    dst: ["string", "Uint8Array"],
    src: ["string", "Uint8Array"],
    vlans: "array",
    type: "number",
    layers: "array",
    pad: "boolean",
  });
  const payload = encodeLayers(init.layers);
  if (init.layers[0]?.layer === "llc" && init.type === undefined) {
    return ieee8023Frame(init, payload);
  }
  const type = init.type ?? etherTypeOf(init.layers[0]);
  if (type === undefined) {
    throw new LayerError(
      "buildPacket: give the EtherType (type) when the first layer is raw bytes",
    );
  }
  return buildFrame({
    dst: init.dst,
    src: init.src,
    vlans: init.vlans,
    type,
    payload,
    pad: init.pad,
  });
}

/**
 * An 802.3 frame: where an EtherType would be, the length of the LLC
 * payload (before padding).
 */
function ieee8023Frame(init: PacketInit, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_8023_LENGTH) {
    throw new LayerError(
      `an 802.3 frame carries at most ${MAX_8023_LENGTH} bytes after its length field, not ${payload.length}`,
    );
  }
  const frame = buildFrame({
    dst: init.dst,
    src: init.src,
    vlans: init.vlans,
    type: 0x0600, // replaced below: buildFrame takes EtherTypes only
    payload,
    pad: init.pad,
  });
  const at = 12 + 4 * (init.vlans?.length ?? 0);
  frame[at] = payload.length >> 8;
  frame[at + 1] = payload.length & 0xff;
  return frame;
}

/** The largest 802.3 length field. */
const MAX_8023_LENGTH = 1500;
