/**
 * A {@linkcode CapturedFrame} seen as a {@linkcode RingFrame}: how frames
 * that are already plain values (a capture file's, a reply just sent)
 * take the same path as frames still in a socket's memory, through the
 * same writers. Pure.
 *
 * @module
 */

import type { CapturedFrame } from "./received_frame.ts";
import type { PacketType, RingFrame } from "../contract/types.ts";

const NOTHING: CapturedFrame = {
  bytes: new Uint8Array(0),
  length: 0,
  timestamp: { seconds: 0, nanoseconds: 0 },
  iface: null,
  pkttype: null,
  direction: null,
};

/** A view of one captured frame at a time; point it with `show`. */
export class CapturedView implements RingFrame {
  #frame: CapturedFrame = NOTHING;
  /** The interface number in the frame's file; -1 when it does not say. */
  ifindex = -1;

  /** Points the view at `frame` (kept, not copied); returns the view. */
  show(frame: CapturedFrame, ifindex = -1): this {
    this.#frame = frame;
    this.ifindex = ifindex;
    return this;
  }

  /** The frame the view shows. */
  get frame(): CapturedFrame {
    return this.#frame;
  }

  /** Bytes captured. */
  get capturedLength(): number {
    return this.#frame.bytes.length;
  }

  /** Length on the wire. */
  get length(): number {
    return this.#frame.length;
  }

  /** Timestamp: seconds. */
  get seconds(): number {
    return this.#frame.timestamp.seconds;
  }

  /** Timestamp: nanoseconds within the second. */
  get nanoseconds(): number {
    return this.#frame.timestamp.nanoseconds;
  }

  /** The packet type, when the source says. */
  get pkttype(): PacketType | null {
    return this.#frame.pkttype;
  }

  /** What the bytes start with (see `CapturedFrame.linkType`). */
  get linkType(): number | undefined {
    return this.#frame.linkType;
  }

  /** The direction, when the source says. */
  get direction(): "in" | "out" | null {
    return this.#frame.direction;
  }

  /** Copies the bytes into `target` at `at`. */
  copyTo(target: Uint8Array, at: number): number {
    target.set(this.#frame.bytes, at);
    return this.#frame.bytes.length;
  }
}
