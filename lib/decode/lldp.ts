/**
 * LLDP (IEEE 802.1AB): every TLV as it is (type and value), and the
 * chassis and port IDs, time to live, system name and port description
 * read from them: `LLDP, chassis 00:11:22:33:44:55, port "ge-0/0/1", ttl
 * 120, name "sw1"`. (tcpdump's one-line form says only the length and
 * name; this says what identifies the neighbour.) Pure.
 *
 * @module
 */

import { hexOf, ipv4At, ipv6At, macAt, u16, wireText } from "./bytes.ts";
import type { LldpLayer, Part } from "./layers.ts";

const END = 0;
const CHASSIS = 1;
const PORT = 2;
const TTL = 3;
const PORT_DESCRIPTION = 4;
const SYSTEM_NAME = 5;

/** An ID or string as shown: quoted when it is text. */
interface Shown {
  value: string;
  quoted: boolean;
}

/** The named fields of the layer, by the type of the TLV they come from. */
export const LLDP_NAMED = [
  ["chassis", CHASSIS],
  ["port", PORT],
  ["ttl", TTL],
  ["descr", PORT_DESCRIPTION],
  ["name", SYSTEM_NAME],
] as const;

/**
 * Decodes an LLDP data unit at `at`: its TLVs up to End (what follows
 * pads the frame). A named field comes from the first TLV of its type, as
 * tshark's does.
 */
export function decodeLldp(b: Uint8Array, at: number, end: number): Part {
  const found = new Map<string, string | number>();
  const tlvs: LldpLayer["tlvs"] = [];
  const shown: string[] = [];
  let cut = false;
  while (at + 2 <= end) {
    const type = b[at] >> 1;
    const length = ((b[at] & 1) << 8) | b[at + 1];
    const value = at + 2;
    if (value + length > end) {
      cut = true;
      break;
    }
    tlvs.push({ type, data: hexOf(b, value, value + length) });
    if (type === END) break;
    const field = tlv(b, type, value, value + length);
    if (field !== undefined) {
      if (!found.has(field.key)) found.set(field.key, field.value);
      shown.push(`${field.label} ${field.text}`);
    }
    at = value + length;
  }
  const text = ["LLDP", ...shown].join(", ") + (cut ? " [|lldp]" : "");
  const layer = { layer: "lldp" } as LldpLayer;
  for (const [key] of LLDP_NAMED) {
    const value = found.get(key);
    if (value !== undefined) Object.assign(layer, { [key]: value });
  }
  layer.tlvs = tlvs;
  return { text, layers: [layer] };
}

/**
 * The value a TLV of `type` gives its named field (`chassis`, `ttl`, ...),
 * as decoding shows it; undefined for other TLVs.
 */
export function lldpValue(
  type: number,
  value: Uint8Array,
): string | number | undefined {
  return tlv(value, type, 0, value.length)?.value;
}

/** A TLV this decoder shows: its layer key, value and text. */
function tlv(b: Uint8Array, type: number, from: number, to: number) {
  const id = (key: "chassis" | "port", label: string, mac: number) => {
    if (to - from < 1) return undefined;
    const shown = identifier(b, b[from], mac, from + 1, to);
    return { key, label, value: shown.value, text: show(shown) };
  };
  const string = (key: "name" | "descr", label: string) => {
    const shown = wireText(b, from, to);
    return { key, label, value: shown.value, text: show(shown) };
  };
  switch (type) {
    case CHASSIS:
      return id("chassis", "chassis", 4);
    case PORT:
      return id("port", "port", 3);
    case TTL:
      if (to - from < 2) return undefined;
      return {
        key: "ttl",
        label: "ttl",
        value: u16(b, from),
        text: String(u16(b, from)),
      };
    case SYSTEM_NAME:
      return string("name", "name");
    case PORT_DESCRIPTION:
      return string("descr", "descr");
  }
  return undefined;
}

/**
 * A chassis or port ID of `subtype`: a MAC (subtype `mac`), a network
 * address (the subtype after it), else text.
 */
function identifier(
  b: Uint8Array,
  subtype: number,
  mac: number,
  from: number,
  to: number,
): Shown {
  if (subtype === mac && to - from === 6) {
    return { value: macAt(b, from), quoted: false };
  }
  if (subtype === mac + 1 && to - from >= 1) {
    const family = b[from];
    if (family === 1 && to - from === 5) {
      return { value: ipv4At(b, from + 1), quoted: false };
    }
    if (family === 2 && to - from === 17) {
      return { value: ipv6At(b, from + 1), quoted: false };
    }
  }
  return wireText(b, from, to);
}

/** Text in quotes, anything else as it is. */
function show(shown: Shown): string {
  return shown.quoted ? JSON.stringify(shown.value) : shown.value;
}
