/**
 * GRE (RFC 2784 and 2890; version 1 is PPTP's, RFC 2637) in tcpdump's
 * words: `GREv0, key=0x2, seq 77, length 40: IP ...`, the tunnelled IPv4
 * or IPv6 packet decoded after the colon. A protocol tcpdump decodes and
 * rawframe does not (MPLS, Ethernet, PPP, ...) ends the line after the
 * length; one neither does is `gre-proto-0xNNNN`, as tcpdump says it.
 *
 * @module
 */

import { u16, u32 } from "./bytes.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";
import { decodeIpv4 } from "./ipv4.ts";
import { decodeIpv6 } from "./ipv6.ts";
import type { GreLayer, Part } from "./layers.ts";
import { nested, TOO_DEEP } from "./nesting.ts";
import { decodeMpls } from "./mpls.ts";
import { decodeInnerFrame } from "./inner_frame.ts";

/** Flag bits of the first word. */
export const GRE_FLAGS = {
  checksum: 0x8000,
  routing: 0x4000,
  key: 0x2000,
  seq: 0x1000,
  ack: 0x0080,
  version: 0x0007,
} as const;

/** What tcpdump decodes inside GRE and rawframe does not: the line stops. */
const DECODED_BY_TCPDUMP_ONLY = new Set([
  0x8137, // IPX
  0x809b, // AppleTalk
  0x00fe, // OSI
  0x894f, // NSH
  0x2000, // CDP
  0x880b, // PPP
]);

/** The GRE header's size from its flags (undefined: routing, not built). */
export function greHeaderSize(flags: number): number | undefined {
  const words = (bits: number) => (flags & bits ? 4 : 0);
  if ((flags & GRE_FLAGS.version) === 1) {
    // PPTP's: key (call ID), sequence and ack numbers; no checksum.
    return 4 + words(GRE_FLAGS.key) + words(GRE_FLAGS.seq) +
      words(GRE_FLAGS.ack);
  }
  if (flags & GRE_FLAGS.routing) return undefined;
  return 4 + words(GRE_FLAGS.checksum) + words(GRE_FLAGS.key) +
    words(GRE_FLAGS.seq);
}

/** The GRE packet at `at` of an IP datagram (ip.length its size on the wire). */
export function decodeGre(
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext,
): UpperPart {
  const part = greParts(b, at, end, ip.length);
  return { ...part, addressed: false };
}

function greParts(b: Uint8Array, at: number, end: number, length: number) {
  if (end - at < 2) return { text: "GRE [|gre]", layers: [] };
  const flags = u16(b, at);
  const version = flags & GRE_FLAGS.version;
  if (version > 1) {
    return { text: `GREv${version} ERROR: unknown-version`, layers: [] };
  }
  if (end - at < 4) return { text: `GREv${version} [|gre]`, layers: [] };
  const layer: GreLayer = { layer: "gre", flags, proto: u16(b, at + 2) };
  const read = version === 0
    ? fieldsV0(b, at, end, layer)
    : fieldsV1(b, at, end, layer);
  const text = `GREv${version}${read.text}`;
  if (read.cut) return { text: `${text} [|gre]`, layers: [layer] };
  if (version === 1 && !(flags & GRE_FLAGS.seq)) {
    return { text: `${text}, no-payload, length ${length}`, layers: [layer] };
  }
  const inner = innerPart(
    layer.proto,
    b,
    at + read.size,
    end,
    length - read.size,
  );
  if (inner === undefined) {
    return { text: `${text}, length ${length}`, layers: [layer] };
  }
  return {
    text: `${text}, length ${length}: ${inner.text}`,
    layers: [layer, ...inner.layers],
  };
}

/** Version 0's optional fields, as far as they are there. */
function fieldsV0(b: Uint8Array, at: number, end: number, layer: GreLayer) {
  let text = "";
  let size = 4;
  const has = (bits: number) => (layer.flags & bits) !== 0;
  const room = (n: number) => at + size + n <= end;
  if (has(GRE_FLAGS.checksum | GRE_FLAGS.routing)) {
    if (!room(4)) return { text, size, cut: true };
    layer.checksum = u16(b, at + size);
    layer.offset = u16(b, at + size + 2);
    text += `, off 0x${layer.offset.toString(16)}`;
    size += 4;
  }
  if (has(GRE_FLAGS.key)) {
    if (!room(4)) return { text, size, cut: true };
    layer.key = u32(b, at + size);
    text += `, key=0x${layer.key.toString(16)}`;
    size += 4;
  }
  if (has(GRE_FLAGS.seq)) {
    if (!room(4)) return { text, size, cut: true };
    layer.seq = u32(b, at + size);
    text += `, seq ${layer.seq}`;
    size += 4;
  }
  // Source routes (RFC 1701) are not read: the line stops there.
  return { text, size, cut: has(GRE_FLAGS.routing) };
}

/** Version 1 (PPTP): the key holds the call ID; sequence and ack numbers. */
function fieldsV1(b: Uint8Array, at: number, end: number, layer: GreLayer) {
  let text = "";
  let size = 4;
  const has = (bits: number) => (layer.flags & bits) !== 0;
  const room = (n: number) => at + size + n <= end;
  for (
    const [bit, name] of [[GRE_FLAGS.key, "key"], [GRE_FLAGS.seq, "seq"], [
      GRE_FLAGS.ack,
      "ack",
    ]] as const
  ) {
    if (!has(bit)) continue;
    if (!room(4)) return { text, size, cut: true };
    const value = u32(b, at + size);
    layer[name] = value;
    text += name === "key" ? `, call ${value & 0xffff}` : `, ${name} ${value}`;
    size += 4;
  }
  return { text, size, cut: false };
}

/** The tunnelled packet, when rawframe decodes it or tcpdump does not. */
function innerPart(
  proto: number,
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part | undefined {
  if (proto === 0x0800) {
    return nested(() => decodeIpv4(b, at, end, length), TOO_DEEP);
  }
  if (proto === 0x86dd) {
    return nested(() => decodeIpv6(b, at, end, length), TOO_DEEP);
  }
  if (proto === 0x8847 || proto === 0x8848) {
    return nested(() => decodeMpls(b, at, end, length), TOO_DEEP);
  }
  // Transparent Ethernet bridging: a frame of its own, as in VXLAN.
  if (proto === 0x6558) return decodeInnerFrame(b, at, end, length);
  if (DECODED_BY_TCPDUMP_ONLY.has(proto)) return undefined;
  return { text: `gre-proto-0x${proto.toString(16)}`, layers: [] };
}
