/**
 * Encoding an LLDP data unit (IEEE 802.1AB). From its named fields alone
 * (`chassis`, `port`, `ttl`, `descr`, `name`) it makes the mandatory TLVs
 * in order, then End; from `tlvs` (what decoding gives) it puts every TLV
 * as it is, and a named field that says something else than its TLV
 * replaces it: so a decoded unit builds the same bytes, and an edited
 * name or TTL is sent as edited. Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { LLDP_NAMED, lldpValue } from "../decode/lldp.ts";
import {
  hardwareBytes,
  hexBytes,
  ipv4Bytes,
  ipv6Bytes,
  uint,
} from "./fields.ts";
import type { LldpBuild } from "./layers.ts";

/** A TLV's type and value bytes. */
interface Tlv {
  type: number;
  value: Uint8Array;
}

const END = 0;
const CHASSIS = 1;
const TTL = 3;
/** Subtypes of a chassis ID and of a port ID (802.1AB 8.5.2, 8.5.3). */
const SUBTYPES = {
  chassis: { mac: 4, address: 5, text: 7 }, // text: locally assigned
  port: { mac: 3, address: 4, text: 5 }, // text: interface name
} as const;
/** Subtypes whose ID is text: a chassis's 1-3, 6, 7; a port's 1, 2, 5-7. */
const TEXT_SUBTYPES = {
  chassis: [1, 2, 3, 6, 7],
  port: [1, 2, 5, 6, 7],
} as const;
const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The LLDP data unit `l` stands for. */
export function encodeLldp(l: LldpBuild): Uint8Array {
  checkOptions("layer lldp", l, {
    layer: "string",
    chassis: "string",
    port: "string",
    ttl: "number",
    descr: "string",
    name: "string",
    tlvs: "array",
  });
  const fresh = l.tlvs === undefined;
  const tlvs = (l.tlvs ?? []).map(checkedTlv);
  if (fresh && (l.chassis === undefined || l.port === undefined)) {
    throw new LayerError(
      "lldp needs chassis and port (or the tlvs of a decoded unit)",
    );
  }
  for (const [key, type] of LLDP_NAMED) {
    const value = l[key] ?? (fresh && key === "ttl" ? 120 : undefined);
    if (value === undefined) continue;
    const at = tlvs.findIndex((tlv) => tlv.type === type);
    if (at >= 0 && lldpValue(type, tlvs[at].value) === value) continue;
    const tlv = { type, value: namedValue(key, value, tlvs[at]?.value[0]) };
    if (at >= 0) tlvs[at] = tlv;
    else tlvs.splice(placeFor(tlvs, type), 0, tlv);
  }
  if (fresh) tlvs.push({ type: END, value: new Uint8Array(0) });
  return tlvBytes(tlvs);
}

/**
 * Where a TLV of `type` goes that `tlvs` lacks: chassis, port ID and TTL
 * first and in that order, as 802.1AB wants; others before End.
 */
function placeFor(tlvs: readonly Tlv[], type: number): number {
  const mandatory = type <= TTL;
  const at = tlvs.findIndex((t) =>
    mandatory ? !(t.type >= CHASSIS && t.type < type) : t.type === END
  );
  return at < 0 ? tlvs.length : at;
}

/** `tlvs[i]` as type and bytes, each checked. */
function checkedTlv(tlv: unknown, i: number): Tlv {
  const what = `lldp.tlvs[${i}]`;
  checkOptions(what, tlv, { type: "number", data: ["string", "Uint8Array"] });
  const { type, data } = tlv as { type?: number; data?: string | Uint8Array };
  const value = hexBytes(what, "data", data ?? "");
  if (value.length > 511) {
    throw new LayerError(`${what}.data holds at most 511 bytes`);
  }
  return { type: uint(what, "type", type, 127, 0), value };
}

/** The value bytes of the TLV a named field makes. */
function namedValue(
  key: (typeof LLDP_NAMED)[number][0],
  value: string | number,
  subtype: number | undefined,
): Uint8Array {
  if (key === "ttl") {
    const ttl = uint("lldp", "ttl", value, 0xffff, 120);
    return Uint8Array.of(ttl >> 8, ttl & 0xff);
  }
  const text = String(value);
  if (key === "name" || key === "descr") return utf8(key, text, 0);
  return Uint8Array.of(...idBytes(key, text, subtype));
}

/**
 * A chassis or port ID: subtype, then a MAC, a network address (IANA
 * family 1 or 2 first) or text; text keeps a text subtype it had.
 */
function idBytes(
  key: "chassis" | "port",
  text: string,
  subtype: number | undefined,
): number[] {
  const subtypes = SUBTYPES[key];
  if (MAC.test(text)) {
    return [subtypes.mac, ...hardwareBytes("lldp", key, text)];
  }
  if (IPV4.test(text)) {
    return [subtypes.address, 1, ...ipv4Bytes("lldp", key, text)];
  }
  if (text.includes(":") && /^[0-9a-fA-F:.]+$/.test(text)) {
    return [subtypes.address, 2, ...ipv6Bytes("lldp", key, text)];
  }
  const keep = (TEXT_SUBTYPES[key] as readonly number[]).includes(
    subtype ?? -1,
  );
  return [keep ? subtype! : subtypes.text, ...utf8(key, text, 1)];
}

/**
 * Text as UTF-8: at most 255 bytes with the `before` bytes of subtype
 * that go first; an ID (with its subtype) is not empty.
 */
function utf8(field: string, text: string, before: number): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length + before > 255 || (before > 0 && bytes.length === 0)) {
    throw new LayerError(
      `lldp.${field} must be ${before > 0 ? 1 : 0} to ${
        255 - before
      } bytes of text`,
    );
  }
  return bytes;
}

/** TLVs on the wire: 7 bits of type, 9 of length, the value. */
function tlvBytes(tlvs: readonly Tlv[]): Uint8Array {
  const size = tlvs.reduce((n, tlv) => n + 2 + tlv.value.length, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const { type, value } of tlvs) {
    out[at] = (type << 1) | (value.length >> 8);
    out[at + 1] = value.length & 0xff;
    out.set(value, at + 2);
    at += 2 + value.length;
  }
  return out;
}
