/**
 * Encoders of the headers that carry other packets: GRE, IPsec's ESP and
 * AH, VXLAN and Geneve, and the Ethernet header of a carried frame. Each
 * takes what follows it already encoded (GRE's checksum covers it). Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { GRE_FLAGS, greHeaderSize } from "../decode/gre.ts";
import { internetChecksum } from "./checksum.ts";
import { hexBytes, uint } from "./fields.ts";
import { macBytes } from "../frame.ts";
import type {
  AhBuild,
  EspBuild,
  EtherBuild,
  GeneveBuild,
  GreBuild,
  VxlanBuild,
} from "./layers.ts";

/** GRE's flags: as given, or from the fields present (version 0, or 1 with ack). */
function greFlags(l: GreBuild): number {
  if (l.flags !== undefined) return uint("gre", "flags", l.flags, 0xffff, 0);
  return (l.checksum !== undefined || l.offset !== undefined
    ? GRE_FLAGS.checksum
    : 0) |
    (l.key !== undefined ? GRE_FLAGS.key : 0) |
    (l.seq !== undefined ? GRE_FLAGS.seq : 0) |
    (l.ack !== undefined ? GRE_FLAGS.ack | 1 : 0);
}

/**
 * A GRE header for `inner` (already encoded); `proto` is the next layer's
 * EtherType, when it has one.
 */
export function encodeGre(
  l: GreBuild,
  inner: Uint8Array,
  proto: number | undefined,
): Uint8Array {
  const flags = greFlags(l);
  const size = greHeaderSize(flags);
  if (size === undefined) {
    throw new LayerError("gre: source routing (flag 0x4000) is not built");
  }
  if (l.proto === undefined && proto === undefined) {
    throw new LayerError("gre.proto is needed when the next layer is raw");
  }
  const out = new Uint8Array(size + inner.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, flags);
  v.setUint16(2, uint("gre", "proto", l.proto, 0xffff, proto ?? 0));
  let at = 4;
  const put32 = (field: "key" | "seq" | "ack", bit: number) => {
    if (!(flags & bit)) return;
    v.setUint32(at, uint("gre", field, l[field], 0xffffffff, 0));
    at += 4;
  };
  const v1 = (flags & GRE_FLAGS.version) === 1;
  const sumAt = !v1 && flags & GRE_FLAGS.checksum ? at : undefined;
  if (sumAt !== undefined) {
    v.setUint16(at + 2, uint("gre", "offset", l.offset, 0xffff, 0));
    at += 4;
  }
  put32("key", GRE_FLAGS.key);
  put32("seq", GRE_FLAGS.seq);
  if (v1) put32("ack", GRE_FLAGS.ack);
  out.set(inner, size);
  if (sumAt !== undefined) {
    const sum = uint(
      "gre",
      "checksum",
      l.checksum,
      0xffff,
      internetChecksum(out),
    );
    v.setUint16(sumAt, sum);
  }
  return out;
}

/** An ESP header before `data` (the encrypted part, as given). */
export function encodeEsp(l: EspBuild, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, uint("esp", "spi", l.spi, 0xffffffff, 256));
  v.setUint32(4, uint("esp", "seq", l.seq, 0xffffffff, 1));
  out.set(data, 8);
  return out;
}

/**
 * An AH header before `inner` (the packet it authenticates); `next` is
 * that packet's protocol. The ICV is as given (12 zero bytes, HMAC-96's
 * size, by default): computing it needs the key.
 */
export function encodeAh(
  l: AhBuild,
  inner: Uint8Array,
  next: number,
): Uint8Array {
  const icv = l.icv === undefined
    ? new Uint8Array(12)
    : hexBytes("ah", "icv", l.icv);
  if (icv.length % 4 !== 0) {
    throw new LayerError(
      `ah.icv is whole 32-bit words: ${icv.length} bytes is not`,
    );
  }
  const out = new Uint8Array(12 + icv.length + inner.length);
  const v = new DataView(out.buffer);
  out[0] = uint("ah", "next", l.next, 255, next);
  out[1] = uint("ah", "len", l.len, 255, (12 + icv.length) / 4 - 2);
  v.setUint16(2, uint("ah", "reserved", l.reserved, 0xffff, 0));
  v.setUint32(4, uint("ah", "spi", l.spi, 0xffffffff, 256));
  v.setUint32(8, uint("ah", "seq", l.seq, 0xffffffff, 1));
  out.set(icv, 12);
  out.set(inner, 12 + icv.length);
  return out;
}

/** A VXLAN header before `frame` (an Ethernet frame, already encoded). */
export function encodeVxlan(l: VxlanBuild, frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + frame.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, uint("vxlan", "reserved", l.reserved, 0xffffff, 0));
  out[0] = uint("vxlan", "flags", l.flags, 255, 0x08);
  v.setUint32(4, uint("vxlan", "vni", l.vni, 0xffffff, 0) << 8);
  out[7] = uint("vxlan", "reserved2", l.reserved2, 255, 0);
  out.set(frame, 8);
  return out;
}

/**
 * A Geneve header before `inner`; `proto` is the next layer's EtherType
 * (0x6558 for an Ethernet frame).
 */
export function encodeGeneve(
  l: GeneveBuild,
  inner: Uint8Array,
  proto: number | undefined,
): Uint8Array {
  const options = hexBytes("geneve", "options", l.options ?? "");
  if (options.length % 4 !== 0) {
    throw new LayerError(
      `geneve.options is whole 32-bit words: ${options.length} bytes is not`,
    );
  }
  const optlen = uint("geneve", "optlen", l.optlen, 0x3f, options.length / 4);
  const out = new Uint8Array(8 + options.length + inner.length);
  const v = new DataView(out.buffer);
  out[0] = (uint("geneve", "version", l.version, 3, 0) << 6) | optlen;
  out[1] = uint("geneve", "flags", l.flags, 255, 0);
  if (l.proto === undefined && proto === undefined) {
    throw new LayerError("geneve.proto is needed when the next layer is raw");
  }
  v.setUint16(2, uint("geneve", "proto", l.proto, 0xffff, proto ?? 0));
  const vni = uint("geneve", "vni", l.vni, 0xffffff, 0);
  out.set([vni >> 16, (vni >> 8) & 0xff, vni & 0xff], 4);
  out[7] = uint("geneve", "reserved", l.reserved, 255, 0);
  out.set(options, 8);
  out.set(inner, 8 + options.length);
  return out;
}

/**
 * An inner Ethernet header before `payload`: MACs as given (a MAC's text
 * or bytes), the EtherType from the next layer unless given.
 */
export function encodeEther(
  l: EtherBuild,
  payload: Uint8Array,
  type: number | undefined,
): Uint8Array {
  if (l.type === undefined && type === undefined) {
    throw new LayerError("ether.type is needed when the next layer is raw");
  }
  const out = new Uint8Array(14 + payload.length);
  out.set(macField("dst", l.dst), 0);
  out.set(macField("src", l.src), 6);
  const etherType = uint("ether", "type", l.type, 0xffff, type ?? 0);
  out.set([etherType >> 8, etherType & 0xff], 12);
  out.set(payload, 14);
  return out;
}

function macField(field: string, value: string | undefined): Uint8Array {
  if (value === undefined) {
    throw new LayerError(`ether.${field} is needed: a MAC address`);
  }
  try {
    return macBytes(value);
  } catch {
    throw new LayerError(
      `ether.${field} must be a MAC address like 02:00:00:00:00:01, not ${
        JSON.stringify(value)
      }`,
    );
  }
}
