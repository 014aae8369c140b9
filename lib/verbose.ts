/**
 * What `-v` adds to a line, in tcpdump's words (`tcpdump -v`): the outer
 * IPv4 header's fields (tos and ECN, ttl, id, offset, flags, protocol,
 * length, options, a bad header checksum), IPv6's (class, flow label, hop
 * limit, next header, payload length), TCP's checksum, checked, ICMPv6's
 * and a wrong ICMP checksum, ARP's address types and lengths. The fields
 * come from the decoded layers; checksums are checked when every byte of
 * the segment is there and it is not a fragment, as tcpdump does. Pure.
 *
 * @module
 */

import { decodeFrame, type Link } from "./decode.ts";
import type { ArpLayer, Ipv4Layer, Ipv6Layer, Layer } from "./decode/layers.ts";
import { internetChecksum, pseudoChecksum } from "./build/checksum.ts";

/** tcpdump's names of IP protocols (ipproto.c). */
const PROTOCOLS = new Map<number, string>([
  [0, "Options"],
  [1, "ICMP"],
  [2, "IGMP"],
  [4, "IPIP"],
  [6, "TCP"],
  [8, "EGP"],
  [9, "IGRP"],
  [17, "UDP"],
  [33, "DCCP"],
  [41, "IPv6"],
  [43, "Routing"],
  [44, "Fragment"],
  [46, "RSVP"],
  [47, "GRE"],
  [50, "ESP"],
  [51, "AH"],
  [55, "Mobile IP"],
  [58, "ICMPv6"],
  [62, "Mobile IP (old)"],
  [88, "EIGRP"],
  [89, "OSPF"],
  [103, "PIM"],
  [108, "Compressed IP"],
  [112, "VRRP"],
  [113, "PGM"],
  [132, "SCTP"],
  [135, "Mobility"],
]);

/** `src > dst: `, whose addresses may end in a colon (`::`). */
const AFTER_ADDRESSES = /^(\S+ > \S+: )/;
const ECN = ["", ",ECT(1)", ",ECT(0)", ",CE"];
const hex4 = (n: number) => `0x${n.toString(16).padStart(4, "0")}`;
const protocol = (n: number) => `${PROTOCOLS.get(n) ?? "unknown"} (${n})`;

/**
 * The summary of a frame as `tcpdump -v` shows it, as lines: an IPv4
 * packet's header fields make a line of their own, as tcpdump's do (it
 * indents the next by four spaces). Null when nothing decodes.
 *
 * @param frame The frame's captured bytes.
 * @param length Its length on the wire.
 * @param link Its Ethernet header (see `decodeLink`).
 */
export function verboseInfo(
  frame: Uint8Array,
  length: number,
  link: Link,
): string[] | null {
  const { info, layers } = decodeFrame(frame, length, link);
  if (info === null) return null;
  const [first, second] = layers;
  if (first?.layer === "ipv4" && info.startsWith("IP ")) {
    const rest = upper(info.slice(3), first, second, frame, link.at);
    return [`IP ${ipv4Fields(first, frame, link.at)}`, rest];
  }
  if (first?.layer === "ipv6" && info.startsWith("IP6 ")) {
    const rest = upper(info.slice(4), first, second, frame, link.at);
    return [`IP6 ${ipv6Fields(first)} ${rest}`];
  }
  if (first?.layer === "arp" && info.startsWith("ARP, ")) {
    return [`ARP, ${arpFields(first)}${info.slice(5)}`];
  }
  return [info];
}

/** `(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 40)`. */
function ipv4Fields(ip: Ipv4Layer, frame: Uint8Array, at: number): string {
  const tos = ip.tos ?? 0;
  const flags = [ip.mf && "+", ip.df && "DF", ip.rb && "rsvd"].filter(Boolean);
  const options = ip.options === undefined
    ? ""
    : `, options (${ipOptions(ip.options)})`;
  const ihl = 4 * (ip.ihl ?? 5);
  let bad = "";
  if (at + ihl <= frame.length && ip.checksum !== undefined) {
    const header = frame.slice(at, at + ihl);
    if (internetChecksum(header) !== 0) {
      header[10] = header[11] = 0;
      bad = `, bad cksum ${ip.checksum.toString(16)} (->${
        internetChecksum(header).toString(16)
      })!`;
    }
  }
  return `(tos 0x${tos.toString(16)}${ECN[tos & 3]}, ttl ${ip.ttl}, id ${
    ip.id ?? 0
  }, offset ${ip.offset ?? 0}, flags [${
    flags.length === 0 ? "none" : flags.join(", ")
  }], proto ${protocol(ip.protocol)}, length ${ip.len}${options}${bad})`;
}

/** tcpdump's names of IPv4 options (print-ip.c ip_option_values). */
const OPTION_NAMES = new Map<number, string>([
  [7, "RR"],
  [68, "TS"],
  [130, "SECURITY"],
  [131, "LSRR"],
  [133, "E-SEC"],
  [134, "CIPSO"],
  [137, "SSRR"],
]);

/** IPv4 options as tcpdump names them (without their values). */
function ipOptions(hex: string): string {
  const names: string[] = [];
  for (let i = 0; i < hex.length;) {
    const type = parseInt(hex.slice(i, i + 2), 16);
    if (type === 0) return [...names, "EOL"].join(",");
    if (type === 1) {
      names.push("NOP");
      i += 2;
      continue;
    }
    const size = parseInt(hex.slice(i + 2, i + 4), 16);
    if (!(size >= 2)) return [...names, "[bad length]"].join(",");
    const value = hex.slice(i + 4, i + 2 * size);
    names.push(
      type === 0x94 && size === 4 && parseInt(value, 16) === 0
        ? "RA"
        : type === 0x94
        ? `RA value ${parseInt(value, 16)}`
        : OPTION_NAMES.get(type) ?? `unknown ${type}`,
    );
    i += 2 * size;
  }
  return names.join(",");
}

/** `(class 0xb8, flowlabel 0x12345, hlim 64, next-header TCP (6) payload length: 20)`. */
function ipv6Fields(ip: Ipv6Layer): string {
  const tc = ip.tc ?? 0;
  const fl = ip.fl ?? 0;
  return `(${tc === 0 ? "" : `class 0x${tc.toString(16).padStart(2, "0")}, `}${
    fl === 0 ? "" : `flowlabel 0x${fl.toString(16).padStart(5, "0")}, `
  }hlim ${ip.hlim}, next-header ${
    protocol(ip.nh ?? ip.next)
  } payload length: ${ip.len})`;
}

/** `Ethernet (len 6), IPv4 (len 4), ` for the usual ARP. */
function arpFields(arp: ArpLayer): string {
  const hardware = arp.htype === 1
    ? "Ethernet"
    : `Unknown Hardware (${arp.htype})`;
  const proto = arp.ptype === 0x0800
    ? "IPv4"
    : `Unknown Protocol (0x${arp.ptype.toString(16).padStart(4, "0")})`;
  return `${hardware} (len ${arp.hlen}), ${proto} (len ${arp.plen}), `;
}

/**
 * The text after the IP header with what `-v` adds to the layer right
 * after it: TCP's checksum, ICMPv6's, UDP's over IPv6, a wrong ICMP one.
 */
function upper(
  text: string,
  ip: Ipv4Layer | Ipv6Layer,
  next: Layer | undefined,
  frame: Uint8Array,
  at: number,
): string {
  const segment = segmentOf(ip, frame, at);
  // Like tcpdump, no checksum of a fragment or of a segment cut short.
  if (next === undefined || segment === undefined) return text;
  const shouldBe = (field: number, proto: number) =>
    rightSum(ip, frame, at, segment, field, proto);
  if (next.layer === "tcp") {
    const good = shouldBe(16, 6);
    const check = good === undefined
      ? " (correct)"
      : ` (incorrect -> ${hex4(good)})`;
    return text.replace(
      /Flags \[[^\]]*\]/,
      (flags) => `${flags}, cksum ${hex4(next.checksum ?? 0)}${check}`,
    );
  }
  if (next.layer === "icmpv6") {
    const good = shouldBe(2, 58);
    const note = good === undefined
      ? "[icmp6 sum ok] "
      : `[bad icmp6 cksum ${hex4(next.checksum ?? 0)} -> ${hex4(good)}!] `;
    const echo = next.type === 128 || next.type === 129;
    // tcpdump -v leaves out an echo's length.
    return (echo ? text.replace(/, length \d+$/, "") : text)
      .replace(AFTER_ADDRESSES, `$1${note}`);
  }
  // UDP's sum is mandatory over IPv6: tcpdump -v checks it there only.
  if (next.layer === "udp" && ip.layer === "ipv6") {
    const good = shouldBe(6, 17);
    const note = good === undefined
      ? "[udp sum ok] "
      : `[bad udp cksum ${hex4(next.checksum ?? 0)} -> ${hex4(good)}!] `;
    return text.replace(AFTER_ADDRESSES, `$1${note}`);
  }
  if (next.layer === "icmp") {
    const good = shouldBe(2, -1);
    return good === undefined
      ? text
      : `${text} (wrong icmp cksum ${(next.checksum ?? 0).toString(16)} (->${
        good.toString(16)
      })!)`;
  }
  return text;
}

/**
 * Undefined when the segment's checksum (the 16 bits at `field`) is
 * right, or else the sum it should have: over the pseudo-header of
 * protocol `proto`, or over the segment alone (ICMP) when `proto` is -1.
 */
function rightSum(
  ip: Ipv4Layer | Ipv6Layer,
  frame: Uint8Array,
  at: number,
  segment: Uint8Array,
  field: number,
  proto: number,
): number | undefined {
  // The pseudo-header's addresses, as they are in the header.
  const [src, dst] = ip.layer === "ipv4"
    ? [frame.subarray(at + 12, at + 16), frame.subarray(at + 16, at + 20)]
    : [frame.subarray(at + 8, at + 24), frame.subarray(at + 24, at + 40)];
  const sum = (bytes: Uint8Array) =>
    proto === -1
      ? internetChecksum(bytes)
      : pseudoChecksum(src, dst, proto, bytes);
  if (sum(segment) === 0) return undefined;
  const zeroed = segment.slice();
  zeroed[field] = zeroed[field + 1] = 0;
  return sum(zeroed);
}

/**
 * The bytes after the IP header up to the packet's end, when every one is
 * there, the packet is not a fragment and (IPv6) no extension header
 * comes between: what a checksum covers.
 */
function segmentOf(
  ip: Ipv4Layer | Ipv6Layer,
  frame: Uint8Array,
  at: number,
): Uint8Array | undefined {
  if (ip.layer === "ipv4") {
    if (ip.mf || (ip.offset ?? 0) !== 0) return undefined;
    const start = at + 4 * (ip.ihl ?? 5);
    const end = at + ip.len;
    return end <= frame.length && start <= end
      ? frame.subarray(start, end)
      : undefined;
  }
  if (ip.nh !== undefined && ip.nh !== ip.next) return undefined;
  const end = at + 40 + ip.len;
  return ip.len > 0 && end <= frame.length
    ? frame.subarray(at + 40, end)
    : undefined;
}
