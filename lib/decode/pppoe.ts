/**
 * PPPoE (RFC 2516): discovery (EtherType 0x8863; `PPPoE PADI
 * [Service-Name] [Host-Uniq 0x0102]`) and sessions (0x8864; `PPPoE  [ses
 * 0x1234] IP ...`) in tcpdump's words. A session's PPP protocol is read;
 * IPv4, IPv6 and MPLS inside are decoded, other PPP protocols (LCP, IPCP,
 * ...) end the line. Pure.
 *
 * @module
 */

import { hexNumber, hexOf, u16 } from "./bytes.ts";
import { decodeIpv4 } from "./ipv4.ts";
import { decodeIpv6 } from "./ipv6.ts";
import type { Part, PppoeLayer } from "./layers.ts";
import { decodeMpls } from "./mpls.ts";
import { nested, TOO_DEEP } from "./nesting.ts";

/** PPPoE's EtherTypes: discovery and session. */
export const PPPOE_ETHERTYPES: readonly number[] = [0x8863, 0x8864];

const HEADER = 6;
/** What tcpdump prints of a tag value at most. */
const TAG_TEXT = 79;

const CODES: Readonly<Record<number, string>> = {
  0x00: "",
  0x09: "PADI",
  0x07: "PADO",
  0x19: "PADR",
  0x65: "PADS",
  0xa7: "PADT",
};

const TAGS: Readonly<Record<number, string>> = {
  0x0000: "EOL",
  0x0101: "Service-Name",
  0x0102: "AC-Name",
  0x0103: "Host-Uniq",
  0x0104: "AC-Cookie",
  0x0105: "Vendor-Specific",
  0x0110: "Relay-Session-ID",
  0x0120: "PPP-Max-Payload",
  0x0201: "Service-Name-Error",
  0x0202: "AC-System-Error",
  0x0203: "Generic-Error",
};

/** PPP protocols whose packets rawframe decodes. */
const PPP_DECODERS: Readonly<
  Record<number, (b: Uint8Array, at: number, end: number, n: number) => Part>
> = {
  0x0021: decodeIpv4,
  0x0057: decodeIpv6,
  0x0281: decodeMpls,
};

/** PPP's control protocols, whose header tcpdump prints alike. */
const CONTROL: Readonly<Record<number, string>> = {
  0xc021: "LCP",
  0x8021: "IPCP",
  0x8057: "IP6CP",
  0x80fd: "CCP",
};

/** Their codes (RFC 1661 and the CCP's). */
const CONTROL_CODES = [
  "Vendor-Extension",
  "Conf-Request",
  "Conf-Ack",
  "Conf-Nack",
  "Conf-Reject",
  "Term-Request",
  "Term-Ack",
  "Code-Reject",
  "Prot-Reject",
  "Echo-Request",
  "Echo-Reply",
  "Disc-Req",
  "Ident",
  "Time-Rem",
  "Reset-Req",
  "Reset-Ack",
];

/** `LCP, Conf-Request (0x01), id 7, length 6`: the code, id, length. */
function controlText(
  name: string,
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): string {
  if (length < 4 || end - at < 2) return `${name}, [|${name}]`;
  const code = b[at];
  return `${name}, ${CONTROL_CODES[code] ?? "Unknown Opcode"} (${
    hexNumber(code, 2)
  }), id ${b[at + 1]}, length ${length + 2}`;
}

/** The PPPoE packet at `at`, `length` bytes. */
export function decodePppoe(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (end - at < HEADER) return { text: "[|pppoe]", layers: [] };
  const layer: PppoeLayer = {
    layer: "pppoe",
    version: b[at] >> 4,
    type: b[at] & 0x0f,
    code: b[at + 1],
    session: u16(b, at + 2),
    len: u16(b, at + 4),
  };
  let text = layer.version !== 1 ? ` [ver ${layer.version}]` : "";
  if (layer.type !== 1) text += ` [type ${layer.type}]`;
  text += `PPPoE ${CODES[layer.code] ?? `PAD-${layer.code.toString(16)}`}`;
  if (layer.code === 0x09 && layer.len > 1484 - HEADER) {
    text += ` [len ${layer.len}!]`;
  }
  let size = layer.len;
  if (size > length - HEADER) {
    text += ` [len ${size} > ${length - HEADER}!]`;
    size = length - HEADER;
  }
  if (layer.session) text += ` [ses 0x${layer.session.toString(16)}]`;
  const payload = at + HEADER;
  if (layer.code !== 0) return tags(b, payload, end, size, layer, text);
  return session(b, payload, end, size, layer, `${text} `);
}

/** Discovery: the tags, each as tcpdump shows it. */
function tags(
  b: Uint8Array,
  at: number,
  end: number,
  size: number,
  layer: PppoeLayer,
  text: string,
): Part {
  const stop = at + size;
  layer.tags = [];
  let type = 0xffff;
  while (type !== 0 && at < stop) {
    if (at + 4 > end) return { text: `${text} [|pppoe]`, layers: [] };
    type = u16(b, at);
    const length = u16(b, at + 2);
    if (at + 4 + length > end) return { text: `${text} [|pppoe]`, layers: [] };
    const value = b.subarray(at + 4, at + 4 + length);
    layer.tags.push({ type, data: hexOf(b, at + 4, at + 4 + length) });
    text += ` [${tagText(type, value)}]`;
    at += 4 + length;
  }
  return { text, layers: [layer] };
}

/** A tag as tcpdump prints it: quoted text when mostly printable, else hex. */
function tagText(type: number, value: Uint8Array): string {
  const name = TAGS[type] ?? `TAG-0x${type.toString(16)}`;
  if (value.length === 0) return name;
  const shown = value.subarray(0, TAG_TEXT);
  const printable = shown.filter((c) => c >= 0x20 && c < 0x7f).length;
  if (printable > shown.length - printable) {
    const chars = Array.from(
      shown,
      (c) => c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".",
    );
    return `${name} "${chars.join("")}"`;
  }
  return `${name} 0x${hexOf(value, 0, value.length).toUpperCase()}`;
}

/** A session packet: PPP's protocol, and the packet when rawframe reads it. */
function session(
  b: Uint8Array,
  at: number,
  end: number,
  size: number,
  layer: PppoeLayer,
  text: string,
): Part {
  // An odd first byte is a protocol field compressed to one byte (PFC).
  const skip = (b[at] & 1) === 1 ? 1 : 2;
  if (size < skip || end - at < skip) {
    return { text: `${text}[|ppp]`, layers: [layer] };
  }
  layer.proto = skip === 1 ? b[at] : u16(b, at);
  if (skip === 1) layer.pfc = true;
  const control = CONTROL[layer.proto];
  if (control !== undefined) {
    const part = controlText(control, b, at + skip, end, size - skip);
    return { text: text + part, layers: [layer] };
  }
  const decode = PPP_DECODERS[layer.proto];
  if (decode === undefined) return { text: text.trimEnd(), layers: [layer] };
  const inner = nested(() => decode(b, at + skip, end, size - skip), TOO_DEEP);
  return { text: text + inner.text, layers: [layer, ...inner.layers] };
}
