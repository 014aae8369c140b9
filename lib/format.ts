/**
 * How frames are shown: one human line (tcpdump-like) or one JSON record
 * (NDJSON), each with what the frame carries decoded (`decodeFrame`).
 * Frames come live (`ReceivedFrame`) or from a file (`CapturedFrame`, whose
 * interface, direction and packet type may be unknown). Pure: no I/O.
 *
 * @module
 */

import { type CookedHeader, isCooked } from "./cooked.ts";
import { etherTypeName, toHex, type VlanTag } from "./frame.ts";
import { CapturedView } from "./captured_view.ts";
import { FrameJsonWriter } from "./json_writer.ts";
import type { CapturedFrame } from "./received_frame.ts";
import {
  MIN_ETHER_TYPE,
  MIN_FRAME_SIZE,
  TPID_8021Q,
  VLAN_TAG_SIZE,
} from "../contract/ethernet.ts";
import type { PacketType } from "../contract/types.ts";
import { decodeInfo, decodeLink, type Layer } from "./decode.ts";
import { printable } from "./escape.ts";
import { type LineClock, lineTime } from "./time_format.ts";
import { verboseInfo } from "./verbose.ts";

export { printable, safeJson } from "./escape.ts";
export type { PacketType, RingFrame, Timestamp } from "../contract/types.ts";
export type { CapturedFrame } from "./received_frame.ts";
export { FrameJsonWriter } from "./json_writer.ts";
export type { VlanTag } from "./frame.ts";
export type * from "./decode/layers.ts";
export { hexdump, hexdumpInto, hexdumpSize } from "./hexdump.ts";
export {
  formatTimestamp,
  INVALID_TIME,
  isValidTimestamp,
  LineClock,
  TIME_STYLES,
  type TimeStyle,
} from "./time_format.ts";

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
   * A Linux cooked (SLL2) capture's interface index; present only for
   * such frames, whose `dst` is null, `src` the cooked header's address
   * and `type` its protocol.
   */
  ifindex?: number;
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

/**
 * The NDJSON record of a frame, as an object: the record
 * {@linkcode frameJson} writes, parsed.
 */
export function frameRecord(frame: CapturedFrame): FrameRecord {
  return JSON.parse(frameJson(frame));
}

/** The one JSON encoder, for frames that are plain values. */
const single = (() => {
  const decoder = new TextDecoder();
  const view = new CapturedView();
  let text = "";
  const writer = new FrameJsonWriter((bytes) => {
    text = decoder.decode(bytes);
  }, 0);
  return (frame: CapturedFrame): string => {
    writer.add(view.show(frame), frame.iface);
    writer.flush();
    return text.slice(0, -1); // without the newline
  };
})();

/**
 * The NDJSON record of a frame as JSON text, one line: what `listen
 * --json` and `read --json` write for it (they use the same encoder,
 * {@linkcode FrameJsonWriter}, straight from the socket's or the file's
 * memory).
 *
 * @example
 * ```ts
 * import { frameJson } from "@rawframe/rawframe/format";
 * const frame = {
 *   iface: "eth0",
 *   bytes: new Uint8Array(60).fill(2),
 *   length: 60,
 *   pkttype: "host" as const,
 *   direction: "in" as const,
 *   timestamp: { seconds: 0, nanoseconds: 0 },
 * };
 * JSON.parse(frameJson(frame)).src; // "02:02:02:02:02:02"
 * ```
 */
export function frameJson(frame: CapturedFrame): string {
  return single(frame);
}

/** Interface names whose texts are kept, at most. */
const NAMES_KEPT = 1024;

/** Options of {@linkcode frameLine}. */
export interface LineOptions {
  /**
   * Show more of each layer's fields, as `tcpdump -v` does: the IPv4 or
   * IPv6 header's, checksums checked (see verbose.ts). An IPv4 packet's
   * line then goes on, on a second line indented by four spaces, as
   * tcpdump's does. @default false
   */
  verbose?: boolean;
  /**
   * How the time is shown (see {@linkcode LineClock}: tcpdump's `-t`
   * options). @default local time of day
   */
  clock?: LineClock;
}

/**
 * One human line for a frame: time, interface and direction (when known),
 * addresses, tags, EtherType and length, then what it carries decoded, or
 * a preview of a payload no decoder knows, e.g.
 * `19:05:44.123456 veth0 in  02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, 0x0806 (arp), length 42: ARP, Request who-has 10.0.0.1 tell 10.0.0.2, length 28`
 * or `... 0x88b5 (exp1), length 60: "Hi"`.
 */
export function frameLine(
  frame: CapturedFrame,
  options: LineOptions = {},
): string {
  // Read once: decoding starts from it.
  const link = decodeLink(frame.bytes, frame.linkType);
  const shown = options.clock === undefined
    ? lineTime(frame.timestamp)
    : options.clock.text(frame.timestamp);
  const time = shown === "" ? "" : `${shown} `; // -t: no time, no space
  const where = whereText(frame.iface, frame.direction);
  if (link === undefined) {
    const info = isCooked(frame.linkType)
      ? "[|sll]"
      : decodeInfo(frame.bytes, frame.length, link);
    return `${time}${where}${printable(info ?? "")}, length ${frame.length}`;
  }
  const decoded = options.verbose
    ? verboseInfo(frame.bytes, frame.length, link)
    : decodeInfo(frame.bytes, frame.length, link);
  const tags = link.vlans.length === 0
    ? ""
    : link.vlans.map((tag) =>
      `, vlan ${tag.id} p ${tag.pcp}${tag.dei ? " dei" : ""}${
        tag.tpid === TPID_8021Q ? "" : ` (tpid ${hex4(tag.tpid)})`
      }`
    ).join("");
  // 802.3 frames carry a length where Ethernet II has a type: as tcpdump,
  // show "802.3" and that length, and preview only the bytes it counts.
  const ieee = link.type < MIN_ETHER_TYPE && link.cooked === undefined;
  const type = ieee
    ? `802.3, length ${link.type}`
    : `${etherTypeText(link.type)}, length ${frame.length}`;
  const payload = frame.bytes.subarray(link.at);
  // Text from the wire is escaped, whatever a decoder makes of it; -v's
  // lines one by one, the next indented by four spaces as tcpdump's.
  const text = decoded === null
    ? printable(
      ieee
        ? payloadPreview(payload.subarray(0, link.type), false)
        : payloadPreview(payload, mayBePadded(frame.length, link.vlans.length)),
    )
    : typeof decoded === "string"
    ? printable(decoded)
    : decoded.map(printable).join("\n    ");
  const head = link.cooked === undefined
    ? `${link.src} > ${link.dst}${tags}`
    : cookedText(link.cooked);
  return `${time}${where}${head}, ${type}: ${text}`;
}

/** `cooked 02:00:00:00:00:01 ifindex 3`: what a cooked header says. */
function cookedText(cooked: CookedHeader): string {
  return `cooked${cooked.address === null ? "" : ` ${cooked.address}`}${
    cooked.ifindex === undefined ? "" : ` ifindex ${cooked.ifindex}`
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
