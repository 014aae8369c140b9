/**
 * Ethernet frames as plain values: MAC addresses, EtherTypes, 802.1Q tags,
 * and building and parsing whole frames. Pure: no Deno APIs, no I/O, so it
 * runs anywhere (browsers, Node, workers).
 *
 * @example
 * ```ts
 * import { buildFrame, parseFrame } from "@rawframe/rawframe/frame";
 *
 * const bytes = buildFrame({
 *   dst: "08:00:27:dd:d7:43",
 *   src: "02:00:00:00:00:01",
 *   type: 0x88b5,
 *   payload: "Hi",
 * });
 * const frame = parseFrame(bytes);
 * console.log(bytes.length, frame.dst, frame.type.toString(16)); // 60 08:00:27:dd:d7:43 88b5
 * ```
 *
 * @module
 */

import { checkOptions, type OptionSpec } from "./option_check.ts";
import {
  EtherTypeError,
  FrameError,
  MacAddressError,
  VlanError,
} from "./errors.ts";
import {
  HEADER_SIZE,
  MAX_VLAN_ID,
  MIN_ETHER_TYPE,
  MIN_FRAME_SIZE,
  TPID_8021AD,
  TPID_8021Q,
  TYPE_OFFSET,
  VLAN_TAG_SIZE,
  type VlanTag,
} from "../contract/ethernet.ts";
import { decodeLink } from "./decode/link.ts";

export { parseHex, toHex } from "./hex.ts";
import { HEX_BYTES } from "./hex.ts";
export {
  HEADER_SIZE,
  MAX_VLAN_ID,
  MIN_FRAME_SIZE,
  TPID_8021AD,
  TPID_8021Q,
  TPID_QINQ_LEGACY,
  VLAN_TAG_SIZE,
} from "../contract/ethernet.ts";

/** EtherType names accepted on input and shown on output. */
export const ETHER_TYPES: Readonly<Record<string, number>> = Object.freeze({
  ipv4: 0x0800,
  arp: 0x0806,
  wol: 0x0842,
  rarp: 0x8035,
  vlan: TPID_8021Q,
  ipx: 0x8137,
  ipv6: 0x86dd,
  pause: 0x8808,
  slow: 0x8809,
  mpls: 0x8847,
  pppoed: 0x8863,
  pppoe: 0x8864,
  eapol: 0x888e,
  qinq: TPID_8021AD,
  exp1: 0x88b5,
  exp2: 0x88b6,
  lldp: 0x88cc,
  macsec: 0x88e5,
  ptp: 0x88f7,
  cfm: 0x8902,
});

// Maps, not the object: a lookup must never find "constructor" and kin.
const TYPE_OF_NAME = new Map(Object.entries(ETHER_TYPES));
const NAME_OF_TYPE = new Map(
  Object.entries(ETHER_TYPES).map(([name, value]) => [value, name]),
);

/** A MAC address as text (any accepted form) or as six bytes. */
export type MacInput = string | Uint8Array;

const MAC_EXAMPLE = "such as 08:00:27:dd:d7:43";
const MAC_FORMS = [
  /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i, // 08:00:27:dd:d7:43
  /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i, // 0800.27dd.d743
  /^[0-9a-f]{12}$/i, // 080027ddd743
];

/**
 * Parses a MAC address written as `08:00:27:dd:d7:43`, `08-00-27-dd-d7-43`,
 * `0800.27dd.d743` or `080027ddd743`, in any case.
 *
 * @param text The address as typed.
 * @returns Its six bytes.
 * @throws {MacAddressError} quoting the input and showing a valid example.
 *
 * @example
 * ```ts
 * import { parseMac } from "@rawframe/rawframe/frame";
 * parseMac("0800.27DD.D743"); // Uint8Array [8, 0, 39, 221, 215, 67]
 * ```
 */
export function parseMac(text: string): Uint8Array {
  // Taken exactly as given: a stray space or newline is a mistake to say.
  if (!MAC_FORMS.some((form) => form.test(text))) {
    throw new MacAddressError(
      `invalid MAC address ${JSON.stringify(text)}: ${
        macProblem(text)
      }; expected six hex bytes ${MAC_EXAMPLE}`,
    );
  }
  const hex = text.replace(/[:.-]/g, "");
  const bytes = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return bytes;
}

/** Says what is wrong with a MAC that matched no accepted form. */
function macProblem(text: string): string {
  const stray = text.match(/[^0-9a-f:.-]/i);
  if (stray) return `${JSON.stringify(stray[0])} is not a hex digit`;
  const digits = text.replace(/[:.-]/g, "").length;
  if (digits !== 12) return `it has ${digits} hex digits, a MAC has 12`;
  return "the separators are misplaced or mixed";
}

/**
 * Formats six bytes as a lowercase, colon-separated MAC address.
 *
 * @example
 * ```ts
 * import { formatMac } from "@rawframe/rawframe/frame";
 * formatMac(new Uint8Array([8, 0, 0x27, 0xdd, 0xd7, 0x43])); // "08:00:27:dd:d7:43"
 * ```
 */
export function formatMac(bytes: Uint8Array): string {
  if (bytes.length !== 6) {
    throw new MacAddressError(
      `a MAC address has 6 bytes, got ${bytes.length}`,
    );
  }
  const h = HEX_BYTES;
  return `${h[bytes[0]]}:${h[bytes[1]]}:${h[bytes[2]]}:${h[bytes[3]]}:${
    h[bytes[4]]
  }:${h[bytes[5]]}`;
}

/**
 * The six bytes of a MAC given as text or bytes.
 *
 * @throws {MacAddressError} when it is not a MAC.
 */
export function macBytes(mac: MacInput): Uint8Array {
  if (typeof mac === "string") return parseMac(mac);
  formatMac(mac); // validates the length
  return mac;
}

/**
 * Parses an EtherType: `0x88b5`, `88b5` (always hex) or a name from
 * {@linkcode ETHER_TYPES} such as `ipv4`, `arp`, `lldp`, `exp1`.
 *
 * @param text The EtherType as typed.
 * @returns The EtherType, 0x0600–0xFFFF.
 * @throws {EtherTypeError} for unknown names, bad hex, or values below
 *   0x0600 (those are 802.3 lengths, not types).
 *
 * @example
 * ```ts
 * import { parseEtherType } from "@rawframe/rawframe/frame";
 * parseEtherType("exp1") === 0x88b5; // true
 * parseEtherType("0x0800") === parseEtherType("ipv4"); // true
 * ```
 */
export function parseEtherType(text: string): number {
  const lower = text.toLowerCase(); // names and hex in any case, nothing else
  const named = TYPE_OF_NAME.get(lower);
  if (named !== undefined) return named;
  const match = lower.match(/^(?:0x)?([0-9a-f]{1,4})$/);
  if (!match) {
    throw new EtherTypeError(
      `invalid EtherType ${
        JSON.stringify(text)
      }: give hex such as 0x88b5 or a name (${
        Object.keys(ETHER_TYPES).join(", ")
      })`,
    );
  }
  const value = parseInt(match[1], 16);
  assertEtherType(value, text);
  return value;
}

/** Throws unless `value` is a valid EtherType (0x0600–0xFFFF). */
function assertEtherType(
  value: number,
  shown: string = `0x${value.toString(16).padStart(4, "0")}`,
): void {
  if (!Number.isInteger(value) || value < MIN_ETHER_TYPE || value > 0xffff) {
    throw new EtherTypeError(
      `invalid EtherType ${
        JSON.stringify(shown)
      }: it must be 0x0600–0xffff (values up to 0x05ff are 802.3 lengths, not types)`,
    );
  }
}

/**
 * The short name of an EtherType, or undefined.
 *
 * @example
 * ```ts
 * import { etherTypeName } from "@rawframe/rawframe/frame";
 * etherTypeName(0x88cc); // "lldp"
 * ```
 */
export function etherTypeName(type: number): string | undefined {
  return NAME_OF_TYPE.get(type);
}

/**
 * Packs an EtherType as the two big-endian bytes it has on the wire.
 *
 * @example
 * ```ts
 * import { packEtherType } from "@rawframe/rawframe/frame";
 * packEtherType(0x88b5); // Uint8Array [0x88, 0xb5]
 * ```
 */
export function packEtherType(type: number): Uint8Array {
  assertEtherType(type);
  return new Uint8Array([type >> 8, type & 0xff]);
}

export type { VlanTag } from "../contract/ethernet.ts";

/** An 802.1Q tag to build; only `id` is required. */
export interface VlanTagInit {
  /** VLAN identifier, 0–4094. */
  id: number;
  /** Priority code point, 0–7 (default 0). */
  pcp?: number;
  /** Drop eligible indicator (default false). */
  dei?: boolean;
  /** Tag protocol identifier (default 0x8100; 0x88a8 for the outer of two). */
  tpid?: number;
}

/**
 * Checks a tag's fields and fills in defaults.
 *
 * @param tag The tag to check.
 * @param outer Whether it is the outer of several tags (default TPID 0x88a8).
 * @throws {VlanError} when the ID is above 4094 or the PCP above 7.
 */
export function vlanTag(tag: VlanTagInit, outer = false): VlanTag {
  checkOptions("vlanTag", tag, VLAN_TAG_TYPES);
  const { id, pcp = 0, dei = false } = tag;
  const tpid = tag.tpid ?? (outer ? TPID_8021AD : TPID_8021Q);
  if (!Number.isInteger(id) || id < 0 || id > MAX_VLAN_ID) {
    throw new VlanError(`invalid VLAN ID ${id}: it must be 0–${MAX_VLAN_ID}`);
  }
  if (!Number.isInteger(pcp) || pcp < 0 || pcp > 7) {
    throw new VlanError(`invalid VLAN priority ${pcp}: it must be 0–7`);
  }
  if (!Number.isInteger(tpid) || tpid < 0 || tpid > 0xffff) {
    throw new VlanError(`invalid VLAN TPID ${tpid}: it must be 0–0xffff`);
  }
  return { tpid, pcp, dei, id };
}

/** The types of {@linkcode VlanTagInit} and {@linkcode FrameInit}. */
const VLAN_TAG_TYPES: OptionSpec = {
  id: "number",
  pcp: "number",
  dei: "boolean",
  tpid: "number",
};
const FRAME_INIT_TYPES: OptionSpec = {
  dst: ["string", "Uint8Array"],
  src: ["string", "Uint8Array"],
  type: "number",
  payload: ["string", "Uint8Array"],
  vlans: "array",
  pad: "boolean",
};

/** What {@linkcode buildFrame} needs. */
export interface FrameInit {
  /** Destination MAC. */
  dst: MacInput;
  /** Source MAC. */
  src: MacInput;
  /** EtherType of the payload (after any tags), 0x0600–0xFFFF. */
  type: number;
  /** Payload: bytes, or text encoded as UTF-8. Default empty. */
  payload?: Uint8Array | string;
  /** 802.1Q tags, outermost first. */
  vlans?: readonly VlanTagInit[];
  /** Pad with zeros to 60 bytes (default true). */
  pad?: boolean;
}

/**
 * Builds the bytes of an Ethernet frame (without FCS, which the NIC adds),
 * padded with zeros to 60 bytes unless `pad` is false.
 *
 * @param init Addresses, EtherType, payload, optional tags.
 * @returns The frame's bytes.
 * @throws {MacAddressError} {EtherTypeError} {VlanError} on invalid fields.
 *
 * @example
 * ```ts
 * import { buildFrame } from "@rawframe/rawframe/frame";
 * const tagged = buildFrame({
 *   dst: "ff:ff:ff:ff:ff:ff",
 *   src: "02:00:00:00:00:01",
 *   type: 0x88b5,
 *   vlans: [{ id: 42, pcp: 3 }],
 *   payload: "Hi",
 * });
 * tagged.length; // 60
 * ```
 */
export function buildFrame(init: FrameInit): Uint8Array {
  checkOptions("buildFrame", init, FRAME_INIT_TYPES);
  const dst = macBytes(init.dst);
  const src = macBytes(init.src);
  assertEtherType(init.type);
  const payload = typeof init.payload === "string"
    ? new TextEncoder().encode(init.payload)
    : init.payload ?? new Uint8Array(0);
  const inits = init.vlans ?? [];
  const tags = inits.map((tag, i) => vlanTag(tag, inits.length > 1 && i === 0));
  const unpadded = HEADER_SIZE + tags.length * VLAN_TAG_SIZE + payload.length;
  const size = init.pad === false
    ? unpadded
    : Math.max(unpadded, MIN_FRAME_SIZE);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(dst, 0);
  bytes.set(src, 6);
  let at = TYPE_OFFSET;
  for (const tag of tags) {
    view.setUint16(at, tag.tpid);
    view.setUint16(at + 2, (tag.pcp << 13) | (tag.dei ? 1 << 12 : 0) | tag.id);
    at += VLAN_TAG_SIZE;
  }
  view.setUint16(at, init.type);
  bytes.set(payload, at + 2);
  return bytes;
}

/** A parsed Ethernet frame. */
export interface Frame {
  /** Destination MAC, lowercase colon form. */
  dst: string;
  /** Source MAC, lowercase colon form. */
  src: string;
  /** 802.1Q/802.1ad tags, outermost first (empty when untagged). */
  vlans: VlanTag[];
  /** EtherType after any tags (or an 802.3 length, below 0x0600). */
  type: number;
  /** Everything after the header and tags, padding included. */
  payload: Uint8Array;
}

/**
 * Parses the bytes of an Ethernet frame. The payload is a view into
 * `bytes`, not a copy.
 *
 * @param bytes A frame as received (without FCS).
 * @returns Addresses, tags, EtherType and payload.
 * @throws {FrameError} when the bytes are shorter than a header.
 *
 * @example
 * ```ts
 * import { buildFrame, parseFrame } from "@rawframe/rawframe/frame";
 * const frame = parseFrame(
 *   buildFrame({ dst: "02:00:00:00:00:02", src: "02:00:00:00:00:01", type: 0x88b5, vlans: [{ id: 42 }] }),
 * );
 * frame.vlans[0].id; // 42
 * ```
 */
export function parseFrame(bytes: Uint8Array): Frame {
  const link = decodeLink(bytes);
  if (link === undefined) {
    throw new FrameError(
      `frame too short: ${bytes.length} byte${
        bytes.length === 1 ? "" : "s"
      }, an Ethernet header needs ${HEADER_SIZE}`,
    );
  }
  const { dst, src, vlans, type, at } = link;
  return { dst, src, vlans, type, payload: bytes.subarray(at) };
}
