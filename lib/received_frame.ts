/**
 * A received frame as a plain value, and the one place that makes it: a
 * copy, out of the socket's memory, of a frame a receive path described.
 *
 * @module
 */

import type { PacketType, RingFrame, Timestamp } from "./types.ts";

/** A frame as received, with what the kernel knows about it. */
export interface ReceivedFrame {
  /** Name of the interface it was seen on. */
  iface: string;
  /** The frame's bytes, with any 802.1Q tag the kernel stripped put back. */
  bytes: Uint8Array;
  /** Its length on the wire, tags included (more than `bytes` only if cut). */
  length: number;
  /** Index of the interface it was seen on. */
  ifindex: number;
  /** How the kernel classified it. */
  pkttype: PacketType;
  /** `out` for frames this host sent, `in` for everything else. */
  direction: "in" | "out";
  /** When the kernel saw it. */
  timestamp: Timestamp;
}

/**
 * Copies the frame `view` describes into a {@linkcode ReceivedFrame} that
 * outlives the view.
 *
 * @param view A frame still in the socket's memory.
 * @param iface The name of interface `view.ifindex`.
 */
export function copyReceived(view: RingFrame, iface: string): ReceivedFrame {
  const bytes = new Uint8Array(view.capturedLength);
  view.copyTo(bytes, 0);
  return {
    iface,
    bytes,
    length: view.length,
    ifindex: view.ifindex,
    pkttype: view.pkttype,
    direction: view.pkttype === "outgoing" ? "out" : "in",
    timestamp: { seconds: view.seconds, nanoseconds: view.nanoseconds },
  };
}
