/**
 * What the capture-file formats share: the frame they yield, the shape of
 * a format's parser, and the one link type rawframe reads. Pure.
 *
 * @module
 */

import { FrameError } from "./errors.ts";
import { LINKTYPE_ETHERNET } from "./pcap_writer.ts";
import type { CapturedFrame } from "./received_frame.ts";
import { cookedPacketType, isCooked, readCooked } from "./cooked.ts";

// A frame read from a file is the one frame type: a pcapng file may say
// the interface's name (if_name), the direction and the reception type
// (epb_flags); a classic pcap file says none of them (null).
export type { CapturedFrame };

/** Link types seen in captures from elsewhere, for the error message. */
const LINK_TYPES = new Map<number, string>([
  [0, "BSD loopback"],
  [101, "raw IP"],
  [105, "802.11"],
  [127, "802.11 radiotap"],
]);

/**
 * `linktype` when rawframe reads it (Ethernet, Linux cooked); else throws,
 * naming what it is instead.
 */
export function readableLinkType(linktype: number, where: string): number {
  if (linktype === LINKTYPE_ETHERNET || isCooked(linktype)) return linktype;
  const name = LINK_TYPES.get(linktype);
  throw new FrameError(
    `${where}: the link type is ${linktype}${
      name ? ` (${name})` : ""
    }; rawframe reads Ethernet (1) and Linux cooked (113, 276) captures`,
  );
}

/**
 * Fills in what a cooked header says of its frame (direction, packet
 * type), unless the file said it already (pcapng's flags).
 */
export function setCooked(frame: CapturedFrame, linkType: number): void {
  frame.linkType = linkType;
  const header = readCooked(frame.bytes, linkType);
  if (header === undefined || frame.pkttype !== null) return;
  frame.pkttype = cookedPacketType(header);
  frame.direction = frame.pkttype === null
    ? null
    : frame.pkttype === "outgoing"
    ? "out"
    : "in";
}

/**
 * Parses the bytes of one format. `step` hands the frame it parsed (if
 * any) to `emit` and returns the bytes it used, or minus the bytes it
 * needs (from `at`) before it can go on. It may use more bytes than are
 * there: a block it skips is passed over as it streams by, never held.
 * The frame, its bytes (a view into `view`) and its timestamp are valid
 * only while `emit` runs, and may be filled again for the next: copying
 * is the reader's choice (a frame shown and forgotten needs no copy).
 */
export interface Format {
  step(
    view: DataView,
    at: number,
    emit: (frame: CapturedFrame) => void,
  ): number;
  /** What a cut-off end is called: "record 3", "block 2". */
  current(): string;
  /** The record or block `step` used last, for a cut inside a skipped one. */
  last(): string;
  /** The file's kind, for messages. */
  readonly kind: string;
}
