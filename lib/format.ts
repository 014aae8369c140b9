/**
 * How frames are shown: one human line (tcpdump-like) or one JSON record
 * (NDJSON), each with what the frame carries decoded (`decodeFrame`).
 * Frames come live (`ReceivedFrame`) or from a file (`ShownFrame`, whose
 * interface, direction and packet type may be unknown). Pure: no I/O.
 *
 * @module
 */

import { etherTypeName, parseFrame, toHex, type VlanTag } from "./frame.ts";
import {
  HEADER_SIZE,
  MIN_ETHER_TYPE,
  MIN_FRAME_SIZE,
  TPID_8021Q,
  VLAN_TAG_SIZE,
} from "./ethernet.ts";
import type { PacketType, Timestamp } from "./types.ts";
import { decodeFrame, decodeInfo, type Layer } from "./decode.ts";
import { printable, safeJson } from "./escape.ts";

import { formatTimestamp, lineTime } from "./time_format.ts";

export { printable, safeJson } from "./escape.ts";
export type { PacketType, Timestamp } from "./types.ts";
export type { VlanTag } from "./frame.ts";
export type * from "./decode/layers.ts";
export { hexdump, hexdumpInto, hexdumpSize } from "./hexdump.ts";
export {
  formatTimestamp,
  INVALID_TIME,
  isValidTimestamp,
} from "./time_format.ts";

/**
 * A frame to show: as received live (a `ReceivedFrame` is one), or as
 * read from a capture file, which may not say where it was seen.
 */
export interface ShownFrame {
  /** Interface name; null when unknown (a classic pcap file). */
  iface: string | null;
  /** The frame's bytes, tags included. */
  bytes: Uint8Array;
  /** Its length on the wire (more than `bytes` only if cut). */
  length: number;
  /** The kernel's packet type; null when unknown. */
  pkttype: PacketType | null;
  /** `out` for frames the host sent, `in` for the rest; null when unknown. */
  direction: "in" | "out" | null;
  /** When it was seen. */
  timestamp: Timestamp;
}

/** One frame as an NDJSON record (`listen --json`, `read --json`). */
export interface FrameRecord {
  /**
   * Timestamp, RFC 3339 UTC with microseconds; null when a file's is out
   * of range (see {@linkcode isValidTimestamp}).
   */
  ts: string | null;
  /** Interface name; null when a file does not say (classic pcap). */
  iface: string | null;
  /** `in` or `out`; null when a file does not say. */
  direction: "in" | "out" | null;
  /** The kernel's packet type; null when a file does not say. */
  pkttype: PacketType | null;
  /**
   * Destination MAC, lowercase colon form; null for a frame shorter than
   * an Ethernet header (only a file can hold one).
   */
  dst: string | null;
  /** Source MAC, lowercase colon form; null as `dst`. */
  src: string | null;
  /** 802.1Q tags, outermost first; present only when tagged. */
  vlan?: VlanTag[];
  /**
   * EtherType after any tags; null for an 802.3 frame (see `length`) and
   * for a frame shorter than an Ethernet header.
   */
  type: number | null;
  /** An 802.3 frame's length field; present only for 802.3 frames. */
  length?: number;
  /** Frame length in bytes, tags included. */
  len: number;
  /**
   * Lowercase hex of everything after the header and tags (of every byte
   * when the frame is shorter than an Ethernet header).
   */
  payload: string;
  /** The decoded summary (see `decodeFrame`); null when not decoded. */
  info: string | null;
  /** The decoded layers after Ethernet and tags; empty when none. */
  layers: Layer[];
}

/**
 * Formats a number as `0x` and four lowercase hex digits.
 *
 * @example
 * ```ts
 * import { hex4 } from "@rawframe/rawframe/format";
 * hex4(0x800); // "0x0800"
 * ```
 */
export function hex4(value: number): string {
  return `0x${value.toString(16).padStart(4, "0")}`;
}

/**
 * An EtherType with its name when it has one, e.g. `0x88b5 (exp1)`.
 *
 * @example
 * ```ts
 * import { etherTypeText } from "@rawframe/rawframe/format";
 * etherTypeText(0x88cc); // "0x88cc (lldp)"
 * ```
 */
export function etherTypeText(type: number): string {
  const name = etherTypeName(type);
  return name ? `${hex4(type)} (${name})` : hex4(type);
}

/** The NDJSON record of a frame. */
export function frameRecord(frame: ShownFrame): FrameRecord {
  const { info, layers } = decodeFrame(frame.bytes, frame.length);
  if (frame.bytes.length < HEADER_SIZE) {
    return {
      ts: formatTimestamp(frame.timestamp),
      iface: frame.iface,
      direction: frame.direction,
      pkttype: frame.pkttype,
      dst: null,
      src: null,
      type: null,
      len: frame.length,
      payload: toHex(frame.bytes),
      info,
      layers,
    };
  }
  const parsed = parseFrame(frame.bytes);
  return {
    ts: formatTimestamp(frame.timestamp),
    iface: frame.iface,
    direction: frame.direction,
    pkttype: frame.pkttype,
    dst: parsed.dst,
    src: parsed.src,
    ...(parsed.vlans.length > 0 ? { vlan: parsed.vlans } : {}),
    ...(parsed.type < MIN_ETHER_TYPE
      ? { type: null, length: parsed.type }
      : { type: parsed.type }),
    len: frame.length,
    payload: toHex(parsed.payload),
    info,
    layers,
  };
}

/**
 * The NDJSON record of a received frame as JSON text: the same text as
 * `JSON.stringify(frameRecord(frame))`, built directly (several times
 * faster, which matters at hundreds of thousands of frames a second).
 *
 * @example
 * ```ts
 * import { frameJson, frameRecord } from "@rawframe/rawframe/format";
 * const frame = {
 *   iface: "eth0",
 *   bytes: new Uint8Array(60).fill(2),
 *   length: 60,
 *   ifindex: 2,
 *   pkttype: "host" as const,
 *   direction: "in" as const,
 *   timestamp: { seconds: 0, nanoseconds: 0 },
 * };
 * frameJson(frame) === JSON.stringify(frameRecord(frame)); // true
 * ```
 */
export function frameJson(frame: ShownFrame): string {
  const { info, layers } = decodeFrame(frame.bytes, frame.length);
  if (frame.bytes.length < HEADER_SIZE) {
    return `${shortFrameJson(frame).slice(0, -1)},"info":${
      safeJson(info)
    },"layers":[]}`;
  }
  const parsed = parseFrame(frame.bytes);
  const vlan = parsed.vlans.length > 0
    ? `"vlan":${JSON.stringify(parsed.vlans)},`
    : "";
  const type = parsed.type < MIN_ETHER_TYPE
    ? `"type":null,"length":${parsed.type}`
    : `"type":${parsed.type}`;
  return `${
    whereJson(frame)
  },"dst":"${parsed.dst}","src":"${parsed.src}",${vlan}${type},"len":${frame.length},"payload":"${
    toHex(parsed.payload)
  }","info":${safeJson(info)},"layers":${safeJson(layers)}}`;
}

/** The record's opening keys: when and where the frame was seen. */
function whereJson(frame: ShownFrame): string {
  const iface = frame.iface === null ? "null" : jsonString(frame.iface);
  const direction = frame.direction === null ? "null" : `"${frame.direction}"`;
  const pkttype = frame.pkttype === null ? "null" : `"${frame.pkttype}"`;
  const ts = formatTimestamp(frame.timestamp);
  return `{"ts":${
    ts === null ? "null" : `"${ts}"`
  },"iface":${iface},"direction":${direction},"pkttype":${pkttype}`;
}

/**
 * The record of a frame shorter than an Ethernet header, without `info`
 * and `layers`: no addresses, no type, every byte as payload.
 */
function shortFrameJson(frame: ShownFrame): string {
  return `${
    whereJson(frame)
  },"dst":null,"src":null,"type":null,"len":${frame.length},"payload":"${
    toHex(frame.bytes)
  }"}`;
}

/** Interface names whose texts are kept, at most. */
const NAMES_KEPT = 1024;

/** JSON text of an interface name, quoted (and escaped) once per name. */
const jsonString = (() => {
  const quoted = new Map<string, string>();
  return (text: string): string => {
    let json = quoted.get(text);
    if (json === undefined) {
      if (quoted.size >= NAMES_KEPT) quoted.clear(); // a file may name many
      quoted.set(text, json = safeJson(text));
    }
    return json;
  };
})();

/**
 * One human line for a frame: time, interface and direction (when known),
 * addresses, tags, EtherType and length, then what it carries decoded, or
 * a preview of a payload no decoder knows, e.g.
 * `19:05:44.123456 veth0 in  02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, 0x0806 (arp), length 42: ARP, Request who-has 10.0.0.1 tell 10.0.0.2, length 28`
 * or `... 0x88b5 (exp1), length 60: "Hi"`.
 */
export function frameLine(frame: ShownFrame): string {
  const info = decodeInfo(frame.bytes, frame.length);
  const time = lineTime(frame.timestamp);
  const where = whereText(frame.iface, frame.direction);
  if (frame.bytes.length < HEADER_SIZE) {
    return `${time} ${where}${printable(info ?? "")}, length ${frame.length}`;
  }
  const parsed = parseFrame(frame.bytes);
  const tags = parsed.vlans.map((tag) =>
    `, vlan ${tag.id} p ${tag.pcp}${tag.dei ? " dei" : ""}${
      tag.tpid === TPID_8021Q ? "" : ` (tpid ${hex4(tag.tpid)})`
    }`
  ).join("");
  // 802.3 frames carry a length where Ethernet II has a type: as tcpdump,
  // show "802.3" and that length, and preview only the bytes it counts.
  const ieee = parsed.type < MIN_ETHER_TYPE;
  const type = ieee
    ? `802.3, length ${parsed.type}`
    : `${etherTypeText(parsed.type)}, length ${frame.length}`;
  const shown = info ??
    (ieee
      ? payloadPreview(parsed.payload.subarray(0, parsed.type), false)
      : payloadPreview(
        parsed.payload,
        mayBePadded(frame.length, parsed.vlans.length),
      ));
  // Text from the wire is escaped, whatever a decoder makes of it.
  return `${time} ${where}${parsed.src} > ${parsed.dst}${tags}, ${type}: ${
    printable(shown)
  }`;
}

/** `eth0 in  `: the interface (escaped) and direction, made once each. */
const whereText = (() => {
  const made = new Map<string | null, Map<string | null, string>>();
  return (iface: string | null, direction: string | null): string => {
    let byDirection = made.get(iface);
    if (byDirection === undefined) {
      if (made.size >= NAMES_KEPT) made.clear(); // a file may name many
      made.set(iface, byDirection = new Map());
    }
    let text = byDirection.get(direction);
    if (text === undefined) {
      text = (iface === null ? "" : `${printable(iface)} `) +
        (direction === null ? "" : `${direction.padEnd(3)} `);
      byDirection.set(direction, text);
    }
    return text;
  };
})();

/**
 * Whether a frame of `length` bytes with `tags` VLAN tags may end in
 * padding: only a sender bringing it up to the 60-byte minimum adds any
 * (a tag added after padding, or put back on receive, adds 4 bytes).
 */
function mayBePadded(length: number, tags: number): boolean {
  return length <= MIN_FRAME_SIZE + tags * VLAN_TAG_SIZE;
}

const PREVIEW_BYTES = 32;

/**
 * A short view of a payload: quoted text when it is printable ASCII,
 * otherwise hex; long payloads are cut. When the frame may have been
 * padded to the 60-byte minimum, trailing zeros are taken for padding.
 *
 * @param padded Whether trailing zeros may be padding. @default true
 *
 * @example
 * ```ts
 * import { payloadPreview } from "@rawframe/rawframe/format";
 * payloadPreview(new Uint8Array([0x48, 0x69, 0, 0])); // "\"Hi\""
 * payloadPreview(new Uint8Array([0x48, 0x69, 0, 0]), false); // "48690000"
 * ```
 */
export function payloadPreview(payload: Uint8Array, padded = true): string {
  let end = payload.length;
  while (padded && end > 0 && payload[end - 1] === 0) end--;
  const meaningful = payload.subarray(0, end);
  if (meaningful.length === 0) return "(no payload)";
  const shown = meaningful.subarray(0, PREVIEW_BYTES);
  const more = meaningful.length > PREVIEW_BYTES ? "…" : "";
  if (shown.every((b) => b >= 0x20 && b < 0x7f)) {
    return JSON.stringify(String.fromCharCode(...shown)) + more;
  }
  return toHex(shown) + more;
}
