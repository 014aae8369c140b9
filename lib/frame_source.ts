/**
 * What a capture loop takes frames from: a socket (socket_source.ts) or a
 * capture file (file_source.ts), each handing out frames still in its
 * own memory.
 *
 * @module
 */

import type { CapturedFrame } from "./received_frame.ts";
import type { RecordTarget } from "../contract/pcap_record.ts";
import type { RingFrame, WaitOptions } from "../contract/types.ts";

/** Where a capture takes frames from: a socket or a capture file. */
export interface FrameSource {
  /** Visits the frames queued now, up to `limit`; returns how many. */
  drain(visit: (frame: RingFrame) => void, limit?: number): number;
  /** Takes the frames queued now, up to `limit`, unseen; returns how many. */
  skip(limit?: number): number;
  /** Appends the frames queued now, up to `limit`, to `target` as pcap records. */
  copyRecords(target: RecordTarget, limit?: number): number;
  /** Waits until a frame may be ready; rejects with `signal.reason`. */
  waitReadable(options?: WaitOptions): Promise<void>;
  /** Copies a frame out of the source's memory. */
  copyFrame(frame: RingFrame): CapturedFrame;
  /**
   * The frame as a value valid only during its visit, not copied where
   * the source can lend it (a file's read buffer); a copy where it cannot
   * (a socket's ring lends no view of its memory).
   */
  lendFrame(frame: RingFrame): CapturedFrame;
  /** The name of the interface `frame` was seen on; null when unknown. */
  interfaceOf(frame: RingFrame): string | null;
  /** True once the source has no more frames and never will (a file's end). */
  readonly ended: boolean;
}
