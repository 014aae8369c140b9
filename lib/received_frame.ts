/**
 * The one frame type: a frame's bytes and what its source knows of it,
 * from a socket (ring or recvmsg) or a capture file; and the one place
 * that copies a frame out of a socket's memory.
 *
 * @module
 */

import type { PacketType, RingFrame, Timestamp } from "../contract/types.ts";

/**
 * A frame as captured, from any source: what a live socket always knows,
 * a capture file may not say (a classic pcap file names no interface).
 */
export interface CapturedFrame {
  /** The frame's bytes, with any 802.1Q tag the kernel stripped put back. */
  bytes: Uint8Array;
  /** Its length on the wire, tags included (more than `bytes` only if cut). */
  length: number;
  /** When it was captured. */
  timestamp: Timestamp;
  /** Name of the interface it was seen on; null when the source does not say. */
  iface: string | null;
  /** How the kernel classified it; null when the source does not say. */
  pkttype: PacketType | null;
  /** `out` for frames the host sent, `in` for the rest; null when unknown. */
  direction: "in" | "out" | null;
  /**
   * What `bytes` start with, as a capture file's link type: absent (or 1)
   * for an Ethernet header, 113 or 276 for a Linux cooked header
   * (`tcpdump -i any`).
   */
  linkType?: number;
}

/** A frame received from a socket, which knows all of where it came from. */
export interface ReceivedFrame extends CapturedFrame {
  /** Name of the interface it was seen on. */
  iface: string;
  /** Index of the interface it was seen on. */
  ifindex: number;
  /** How the kernel classified it. */
  pkttype: PacketType;
  /** `out` for frames this host sent, `in` for everything else. */
  direction: "in" | "out";
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
  const pkttype = view.pkttype ?? "host";
  return {
    iface,
    bytes,
    length: view.length,
    ifindex: view.ifindex,
    pkttype,
    direction: pkttype === "outgoing" ? "out" : "in",
    timestamp: { seconds: view.seconds, nanoseconds: view.nanoseconds },
  };
}
