/**
 * The data after the last decoded header, as a `raw` layer, so that the
 * layers of a frame are all it takes to build it again: found where every
 * layer is one lib/build.ts encodes (ARP, IPv4, IPv6 without extension
 * headers, ICMP, ICMPv6, UDP, TCP, LLC, SNAP, STP, RSTP, LLDP and LACP),
 * and ended where the datagram ends by
 * its own length fields (what follows is Ethernet padding). Pure.
 *
 * @module
 */

import { hexOf } from "./bytes.ts";
import type { DataLayer, Layer } from "./layers.ts";
import { LACPDU_SIZE } from "./slow.ts";
import { greHeaderSize } from "./gre.ts";
import type { DhcpLayer, IgmpLayer, PppoeLayer } from "./layers.ts";

/** An IGMP message's size, when its fields hold all of it. */
function igmpSize(l: IgmpLayer): number | undefined {
  if (l.type === 0x22) {
    return l.records?.reduce((n, r) => n + 8 + r.sources.length * 4, 8);
  }
  if (l.qrv !== undefined) {
    return l.sources === undefined ? undefined : 12 + l.sources.length * 4;
  }
  return 8;
}

/** Bytes of each buildable header; undefined: not one lib/build.ts makes. */
function headerSize(layer: Layer): number | undefined {
  switch (layer.layer) {
    case "arp":
      return 8 + 2 * (layer.hlen + layer.plen);
    case "ipv4":
      return (layer.ihl ?? 0) * 4;
    case "ipv6":
      return layer.nh === layer.next ? 40 : undefined; // extension headers
    case "udp":
      return 8;
    case "gre":
      return greHeaderSize(layer.flags);
    case "esp":
      return 8;
    case "ntp":
    case "hsrp":
    case "ptp":
    case "dhcp":
    case "dhcp6":
    case "eapol":
    case "eap":
      return messageSize(layer);
    case "igmp":
      return igmpSize(layer);
    case "vrrp":
      // IPv6 addresses (VRRPv3 over IPv6) are written with colons.
      return 8 + layer.addrs.length * (layer.addrs[0]?.includes(":") ? 16 : 4);
    case "vxlan":
    case "geneve":
    case "ether":
    case "mpls":
    case "pppoe":
      return carrierSize(layer);
    case "ah":
      return layer.icv === undefined ? undefined : 12 + layer.icv.length / 2;
    case "tcp":
      return (layer.dataofs ?? 0) * 4;
    case "icmp":
    case "icmpv6":
      return 8;
    case "llc":
      return (layer.control & 0x03) === 0x03 ? 3 : 4; // U, or I and S frames
    case "snap":
      return 5;
    case "stp":
      if (layer.bpdu === 0x80) return 4; // topology change notification
      if (layer.version === 0) return 35;
      return layer.version === 2 ? 36 : undefined; // MSTP: not built
    case "lldp":
      return layer.tlvs.reduce(
        (size, tlv) => size + 2 + tlv.data.length / 2,
        0,
      );
    case "cdp":
      return layer.tlvs.reduce((n, t) => n + 4 + t.data.length / 2, 4);
    case "lacp":
      return layer.max_delay === undefined ? undefined : LACPDU_SIZE;
  }
  return undefined;
}

/** Sizes of the headers that carry another frame or packet. */
function carrierSize(
  layer: Extract<
    Layer,
    { layer: "vxlan" | "geneve" | "ether" | "mpls" | "pppoe" }
  >,
): number | undefined {
  switch (layer.layer) {
    case "vxlan":
      return 8;
    case "geneve":
      return 8 + layer.optlen * 4;
    case "ether":
      return 14;
    case "mpls":
      return layer.labels.length * 4;
    case "pppoe":
      return pppoeSize(layer);
  }
}

/** Sizes of the messages over UDP and of 802.1X's headers. */
function messageSize(
  layer: Extract<
    Layer,
    { layer: "ntp" | "hsrp" | "ptp" | "dhcp" | "dhcp6" | "eapol" | "eap" }
  >,
): number | undefined {
  switch (layer.layer) {
    case "ntp":
      return 48;
    case "hsrp":
      return 20;
    case "ptp":
      return 34 + (layer.seconds === undefined ? 0 : 10) +
        (layer.target === undefined ? 0 : 10);
    case "dhcp":
      return dhcpSize(layer);
    case "dhcp6":
      return layer.options.reduce(
        (size, o) => size + 4 + (o.data ?? "").length / 2,
        layer.xid === undefined ? 34 : 4,
      );
    case "eapol":
      return 4;
    case "eap":
      return layer.type === undefined ? 4 : 5;
  }
}

/** A PPPoE header with its tags, or with the PPP protocol field. */
function pppoeSize(layer: PppoeLayer): number | undefined {
  if (layer.tags !== undefined) {
    return layer.tags.reduce((n, t) => n + 4 + t.data.length / 2, 6);
  }
  if (layer.proto === undefined) return undefined;
  return layer.pfc ? 7 : 8;
}

/** A DHCP message's size up to End; undefined when it is not whole. */
function dhcpSize(layer: DhcpLayer): number | undefined {
  // Without a cookie a message builds as DHCP: not the bytes it was.
  if (layer.cookie === undefined) return undefined;
  if (layer.options === undefined) return 240; // another vendor's cookie
  if (layer.options.at(-1)?.code !== 255) return undefined;
  return layer.options.reduce(
    (size, o) => size + (o.data === undefined ? 1 : 2 + o.data.length / 2),
    240,
  );
}

/**
 * The `raw` layer of what follows `layers` (decoded from `b` at `at`, the
 * end of the Ethernet header, up to `end`: an 802.3 frame's length);
 * undefined when there is none, or when a layer is not one that can be
 * built.
 */
export function dataLayer(
  b: Uint8Array,
  at: number,
  layers: readonly Layer[],
  end: number = b.length,
): DataLayer | undefined {
  for (const layer of layers) {
    const size = headerSize(layer);
    if (size === undefined) return undefined;
    if (layer.layer === "ipv4") end = Math.min(end, at + layer.len);
    if (layer.layer === "ipv6") end = Math.min(end, at + 40 + layer.len);
    if (layer.layer === "udp") end = Math.min(end, at + layer.len);
    // EAPOL and EAP end where their lengths say: the rest pads the frame.
    if (layer.layer === "eapol") end = Math.min(end, at + 4 + layer.len);
    if (layer.layer === "eap") end = Math.min(end, at + layer.len);
    if (layer.layer === "pppoe") end = Math.min(end, at + 6 + layer.len);
    if (layer.layer === "ptp") end = Math.min(end, at + layer.len);
    // ARP, LLDP, LACP and CDP end where their own fields say: the rest pads.
    if (["arp", "lldp", "lacp", "cdp"].includes(layer.layer)) end = at + size;
    at += size;
  }
  if (layers.length === 0 || at >= end) return undefined;
  return { layer: "raw", data: hexOf(b, at, end) };
}
