/**
 * Encoding a list of layers into the bytes after an Ethernet header:
 * each layer wraps what follows it, so lengths, next-protocol numbers and
 * checksums (with the pseudo-header of the nearest IP layer around) are
 * computed from the real bytes. A field given is kept as given, even a
 * wrong checksum. Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions, type OptionSpec } from "../option_check.ts";
import { internetChecksum, pseudoChecksum } from "./checksum.ts";
import { hexBytes, ipv4Bytes, ipv6Bytes, uint } from "./fields.ts";
import type {
  BuildLayer,
  IcmpBuild,
  Ipv4Build,
  Ipv6Build,
  TcpBuild,
  UdpBuild,
} from "./layers.ts";
import { encodeArp } from "./arp.ts";
import { encodeLlc, encodeSnap, encodeStp } from "./llc.ts";
import { encodeLldp } from "./lldp.ts";
import { encodeLacp } from "./lacp.ts";
import { tcpFlagBits } from "./tcp_flags.ts";
import { encodeVrrp } from "./vrrp.ts";
import { encodeIgmp } from "./igmp.ts";
import { encodeNtp } from "./ntp.ts";
import { encodeHsrp } from "./hsrp.ts";
import { encodeEap, encodeEapol } from "./eapol.ts";
import { encodeDns } from "./dns.ts";
import { encodeDhcp } from "./dhcp.ts";
import { encodeDhcp6 } from "./dhcp6.ts";
import { encodeMpls } from "./mpls.ts";
import { encodePppoe } from "./pppoe.ts";
import { encodePtp } from "./ptp.ts";
import { encodeCdp } from "./cdp.ts";
import { etherTypeOf, NUMBERS, protocolOf } from "./numbers.ts";

export { etherTypeOf };
import {
  encodeAh,
  encodeEsp,
  encodeEther,
  encodeGeneve,
  encodeGre,
  encodeVxlan,
} from "./tunnels.ts";

/** The addresses of the IP header around an upper layer. */
interface Around {
  src: Uint8Array;
  dst: Uint8Array;
}

/** The keys each layer takes, with their types. */
const SPECS: Readonly<Record<string, OptionSpec>> = {
  raw: { layer: "string", data: ["string", "Uint8Array"] },
  ipv4: {
    layer: "string",
    ...numbers("version", "ihl", "tos", "len", "id", "offset", "ttl"),
    ...numbers("protocol", "checksum"),
    rb: "boolean",
    df: "boolean",
    mf: "boolean",
    src: "string",
    dst: "string",
    options: ["string", "Uint8Array"],
    frag: "object",
  },
  ipv6: {
    layer: "string",
    ...numbers("version", "tc", "fl", "len", "nh", "next", "hlim"),
    src: "string",
    dst: "string",
  },
  icmp: {
    layer: "string",
    ...numbers("type", "code", "checksum", "id", "seq", "rest"),
  },
  udp: { layer: "string", ...numbers("sport", "dport", "len", "checksum") },
  gre: {
    layer: "string",
    ...numbers("flags", "proto", "checksum", "offset", "key", "seq", "ack"),
  },
  esp: { layer: "string", ...numbers("spi", "seq") },
  vxlan: {
    layer: "string",
    ...numbers("flags", "reserved", "vni", "reserved2"),
  },
  geneve: {
    layer: "string",
    ...numbers("version", "optlen", "flags", "proto", "vni", "reserved"),
    options: ["string", "Uint8Array"],
  },
  ether: { layer: "string", dst: "string", src: "string", type: "number" },
  ah: {
    layer: "string",
    ...numbers("next", "len", "reserved", "spi", "seq"),
    icv: ["string", "Uint8Array"],
  },
  tcp: {
    layer: "string",
    ...numbers("sport", "dport", "seq", "ack", "dataofs", "reserved"),
    ...numbers("window"),
    ...numbers("checksum", "urg"),
    flags: ["string", "number"],
    options: "array",
  },
};

function numbers(...keys: string[]): OptionSpec {
  return Object.fromEntries(keys.map((k) => [k, "number"]));
}

/**
 * Encoders of layers that need nothing from the layers around them: a new
 * protocol of that kind is its encoder's file, a row here and its number
 * in NUMBERS. Each checks its own fields.
 */
// deno-lint-ignore no-explicit-any
const ALONE: Readonly<Record<string, (layer: any) => Uint8Array>> = {
  arp: encodeArp,
  stp: encodeStp,
  lldp: encodeLldp,
  lacp: encodeLacp,
  igmp: encodeIgmp,
  ntp: encodeNtp,
  hsrp: encodeHsrp,
  dhcp: encodeDhcp,
  dhcp6: encodeDhcp6,
  mpls: encodeMpls,
  cdp: encodeCdp,
};

/** Encodes `layers` (outermost first) into bytes. */
export function encodeLayers(layers: readonly BuildLayer[]): Uint8Array {
  if (!Array.isArray(layers)) {
    throw new LayerError("layers must be an array of layers");
  }
  return encodeFrom(layers, 0, undefined);
}

/** Encodes layer `i` and all after it; `around`: the nearest IP header. */
function encodeFrom(
  layers: readonly BuildLayer[],
  i: number,
  around: Around | undefined,
): Uint8Array {
  if (i >= layers.length) return new Uint8Array(0);
  const layer = checkedLayer(layers, i);
  const rest = (ip: Around | undefined) => encodeFrom(layers, i + 1, ip);
  const alone = ALONE[layer.layer];
  if (alone !== undefined) return join(alone(layer), rest(around));
  switch (layer.layer) {
    case "raw":
      return join(hexBytes("raw", "data", layer.data), rest(around));
    case "llc":
      return join(encodeLlc(layer, layers[i + 1]), rest(around));
    case "snap":
      return join(encodeSnap(layer, layers[i + 1], etherTypeOf), rest(around));
    case "ipv4":
    case "ipv6":
      return encodeIp(layer, layers[i + 1], rest);
    case "udp":
      return udpSegment(layer, rest(undefined), around, layers[i + 1]);
    case "tcp":
      return tcpSegment(layer, rest(undefined), around);
    case "icmp":
    case "icmpv6":
      return icmpMessage(layer, rest(around), around);
    case "gre":
      return encodeGre(layer, rest(undefined), etherTypeOf(layers[i + 1]));
    case "esp":
      return encodeEsp(layer, rest(undefined));
    case "vxlan":
      return encodeVxlan(layer, rest(undefined));
    case "geneve":
      return encodeGeneve(layer, rest(undefined), etherTypeOf(layers[i + 1]));
    case "ether":
      return encodeEther(layer, rest(undefined), etherTypeOf(layers[i + 1]));
    case "vrrp":
      return encodeVrrp(layer, rest(undefined), around);
    case "ptp":
      return encodePtp(layer, rest(undefined));
    case "eapol":
    case "eap":
    case "pppoe":
    case "dns":
      return encodeBeside(layer, layers, i, rest(undefined));
    case "ah":
      // What AH authenticates keeps the IP header's pseudo-header.
      return encodeAh(layer, rest(around), protocolOf(layers[i + 1], false));
  }
  // checkedLayer let through only the layers above and those in ALONE.
  throw new LayerError(`layers[${i}]: no encoder for ${layer.layer}`);
}

/** Layers that look at the layer before or after them (but not at IP). */
function encodeBeside(
  layer: Extract<BuildLayer, { layer: "eapol" | "eap" | "pppoe" | "dns" }>,
  layers: readonly BuildLayer[],
  i: number,
  rest: Uint8Array,
): Uint8Array {
  switch (layer.layer) {
    case "eapol":
      return encodeEapol(layer, rest, layers[i + 1]?.layer === "eap");
    case "eap":
      return encodeEap(layer, rest);
    case "pppoe":
      return encodePppoe(layer, rest, layers[i + 1]);
    case "dns":
      // Over TCP, a DNS message starts with its length.
      return join(encodeDns(layer, layers[i - 1]?.layer === "tcp"), rest);
  }
}

/** Layer `i`, its keys and their types checked. */
function checkedLayer(layers: readonly BuildLayer[], i: number): BuildLayer {
  const layer = layers[i];
  const name = (layer as { layer?: unknown } | undefined)?.layer;
  if (typeof name !== "string") {
    throw new LayerError(`layers[${i}] must be an object with a "layer" name`);
  }
  // These check their own fields.
  if (
    name in ALONE ||
    ["llc", "snap", "vrrp", "eapol", "eap", "dns", "pppoe", "ptp"].includes(
      name,
    )
  ) {
    return layer;
  }
  const spec = SPECS[name === "icmpv6" ? "icmp" : name];
  if (spec === undefined) {
    throw new LayerError(
      `layers[${i}]: unknown layer ${
        JSON.stringify(name)
      } (it builds arp, ipv4, ipv6, icmp, icmpv6, udp, tcp, gre, esp, ah, vrrp, igmp, ntp, hsrp, eapol, eap, dns, dhcp, dhcp6, mpls, pppoe, ptp, cdp, vxlan, geneve, ether, llc, snap, stp, lldp, lacp, raw)`,
    );
  }
  checkOptions(`layer ${name}`, layer, spec);
  return layer;
}

/** An IP header around what `rest` encodes inside it. */
function encodeIp(
  layer: Ipv4Build | Ipv6Build,
  next: BuildLayer | undefined,
  rest: (ip: Around) => Uint8Array,
): Uint8Array {
  if (layer.layer === "ipv4") {
    const src = ipv4Bytes("ipv4", "src", layer.src);
    const dst = ipv4Bytes("ipv4", "dst", layer.dst);
    const inner = rest({ src, dst });
    return join(
      ipv4Header(layer, src, dst, inner, protocolOf(next, false)),
      inner,
    );
  }
  const src = ipv6Bytes("ipv6", "src", layer.src);
  const dst = ipv6Bytes("ipv6", "dst", layer.dst);
  const inner = rest({ src, dst });
  return join(
    ipv6Header(layer, src, dst, inner, protocolOf(next, true)),
    inner,
  );
}

/** `a` then `b`. */
function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function ipv4Header(
  l: Ipv4Build,
  src: Uint8Array,
  dst: Uint8Array,
  inner: Uint8Array,
  protocol: number,
): Uint8Array {
  const options = padTo4(hexBytes("ipv4", "options", l.options ?? ""));
  const ihl = uint("ipv4", "ihl", l.ihl, 15, 5 + options.length / 4);
  const h = new Uint8Array(20 + options.length);
  const v = new DataView(h.buffer);
  h[0] = (uint("ipv4", "version", l.version, 15, 4) << 4) | ihl;
  h[1] = uint("ipv4", "tos", l.tos, 255, 0);
  v.setUint16(2, uint("ipv4", "len", l.len, 0xffff, h.length + inner.length));
  v.setUint16(4, uint("ipv4", "id", l.id, 0xffff, l.frag?.id ?? 1));
  const offset = uint("ipv4", "offset", l.offset, 0xfff8, l.frag?.offset ?? 0);
  if (offset % 8 !== 0) {
    throw new LayerError(`ipv4.offset must be a multiple of 8, not ${offset}`);
  }
  const more = l.mf ?? l.frag?.more ?? false;
  const flags = (l.rb ? 0x8000 : 0) | (l.df ? 0x4000 : 0) | (more ? 0x2000 : 0);
  v.setUint16(6, flags | (offset / 8));
  h[8] = uint("ipv4", "ttl", l.ttl, 255, 64);
  h[9] = uint("ipv4", "protocol", l.protocol, 255, protocol);
  h.set(src, 12);
  h.set(dst, 16);
  h.set(options, 20);
  v.setUint16(
    10,
    uint("ipv4", "checksum", l.checksum, 0xffff, internetChecksum(h)),
  );
  return h;
}

function ipv6Header(
  l: Ipv6Build,
  src: Uint8Array,
  dst: Uint8Array,
  inner: Uint8Array,
  protocol: number,
): Uint8Array {
  const h = new Uint8Array(40);
  const v = new DataView(h.buffer);
  const version = uint("ipv6", "version", l.version, 15, 6);
  const tc = uint("ipv6", "tc", l.tc, 255, 0);
  const fl = uint("ipv6", "fl", l.fl, 0xfffff, 0);
  v.setUint32(0, ((version << 28) | (tc << 20) | fl) >>> 0);
  v.setUint16(4, uint("ipv6", "len", l.len, 0xffff, inner.length & 0xffff));
  h[6] = uint("ipv6", "nh", l.nh, 255, l.next ?? protocol);
  h[7] = uint("ipv6", "hlim", l.hlim, 255, 64);
  h.set(src, 8);
  h.set(dst, 24);
  return h;
}

function udpSegment(
  l: UdpBuild,
  data: Uint8Array,
  around: Around | undefined,
  next: BuildLayer | undefined,
): Uint8Array {
  const numbers = next === undefined ? undefined : NUMBERS[next.layer];
  const port = numbers?.port;
  const s = new Uint8Array(8 + data.length);
  const v = new DataView(s.buffer);
  // From the protocol's own port too, so its port decides (tcpdump's order).
  const sport = numbers?.sport ?? port ?? 53;
  v.setUint16(0, uint("udp", "sport", l.sport, 0xffff, sport));
  v.setUint16(2, uint("udp", "dport", l.dport, 0xffff, port ?? 53));
  v.setUint16(4, uint("udp", "len", l.len, 0xffff, s.length & 0xffff));
  s.set(data, 8);
  // A computed zero is sent as all ones: zero means "no checksum".
  const sum = around === undefined
    ? 0
    : pseudoChecksum(around.src, around.dst, 17, s) || 0xffff;
  v.setUint16(6, uint("udp", "checksum", l.checksum, 0xffff, sum));
  return s;
}

function tcpSegment(
  l: TcpBuild,
  data: Uint8Array,
  around?: Around,
): Uint8Array {
  const options = padTo4(tcpOptionBytes(l.options ?? []));
  const s = new Uint8Array(20 + options.length + data.length);
  const v = new DataView(s.buffer);
  v.setUint16(0, uint("tcp", "sport", l.sport, 0xffff, 20));
  v.setUint16(2, uint("tcp", "dport", l.dport, 0xffff, 80));
  v.setUint32(4, uint("tcp", "seq", l.seq, 0xffffffff, 0));
  v.setUint32(8, uint("tcp", "ack", l.ack, 0xffffffff, 0));
  s[12] = (uint("tcp", "dataofs", l.dataofs, 15, 5 + options.length / 4) << 4) |
    uint("tcp", "reserved", l.reserved, 15, 0);
  s[13] = tcpFlagBits(l.flags ?? "S");
  v.setUint16(14, uint("tcp", "window", l.window, 0xffff, 8192));
  v.setUint16(18, uint("tcp", "urg", l.urg, 0xffff, 0));
  s.set(options, 20);
  s.set(data, 20 + options.length);
  const sum = around === undefined
    ? 0
    : pseudoChecksum(around.src, around.dst, 6, s);
  v.setUint16(16, uint("tcp", "checksum", l.checksum, 0xffff, sum));
  return s;
}

/** TCP options in bytes: kinds 0 and 1 alone, others kind, length, data. */
function tcpOptionBytes(options: TcpBuild["options"] & unknown[]): Uint8Array {
  const parts: number[] = [];
  options.forEach((option, i) => {
    checkOptions(`tcp.options[${i}]`, option, {
      kind: "number",
      data: ["string", "Uint8Array"],
      len: "number",
    });
    const kind = uint("tcp", `options[${i}].kind`, option.kind, 255, 0);
    const data = hexBytes("tcp", `options[${i}].data`, option.data ?? "");
    if (kind === 1 && data.length > 0) {
      throw new LayerError(`tcp.options[${i}]: kind 1 (no-op) has no data`);
    }
    if (kind < 2) parts.push(kind, ...data); // after an end of list: as is
    else if (option.len === -1) parts.push(kind); // cut after the kind
    else {
      // A malformed option's length is kept as given.
      const len = uint(
        "tcp",
        `options[${i}].len`,
        option.len,
        255,
        2 + data.length,
      );
      parts.push(kind, len, ...data);
    }
  });
  return Uint8Array.from(parts);
}

function icmpMessage(
  l: IcmpBuild,
  data: Uint8Array,
  around?: Around,
): Uint8Array {
  const v6 = l.layer === "icmpv6";
  const name = l.layer;
  const m = new Uint8Array(8 + data.length);
  const v = new DataView(m.buffer);
  m[0] = uint(name, "type", l.type, 255, v6 ? 128 : 8);
  m[1] = uint(name, "code", l.code, 255, 0);
  v.setUint16(4, uint(name, "id", l.id, 0xffff, 0));
  v.setUint16(6, uint(name, "seq", l.seq, 0xffff, 0));
  if (l.rest !== undefined) {
    v.setUint32(4, uint(name, "rest", l.rest, 0xffffffff, 0));
  }
  m.set(data, 8);
  const sum = !v6
    ? internetChecksum(m)
    : around === undefined
    ? 0
    : pseudoChecksum(around.src, around.dst, 58, m);
  v.setUint16(2, uint(name, "checksum", l.checksum, 0xffff, sum));
  return m;
}

/** `bytes` padded with zeros to a multiple of four. */
function padTo4(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 4 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 4 - (bytes.length % 4));
  out.set(bytes);
  return out;
}
