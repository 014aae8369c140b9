/**
 * A socket as a frame source: the zero-copy calls a capture loop makes
 * (visit frames in place, count them unseen, copy them straight into a
 * pcap buffer, wait). They are not part of `RawSocket`, whose API stays
 * the simple one (`send`, `receive`, `frames`, `stats`, `close`).
 *
 * @module
 */

import { POLL_SLICE_MS, type RawSocket, receivingOfSocket } from "./socket.ts";
import type { Receiving } from "./socket.ts";
import { copyReceived, type ReceivedFrame } from "./received_frame.ts";
import type { FrameSource } from "./frame_source.ts";
import { WAIT_OPTION_TYPES } from "./open_options.ts";
import { checkOptions } from "./option_check.ts";
import type { RecordTarget } from "../contract/pcap_record.ts";
import type { RingFrame, WaitOptions } from "../contract/types.ts";

export type { FrameSource, WaitOptions };

/**
 * The frames of a {@linkcode RawSocket}, taken without copying.
 *
 * @example Count bytes as fast as frames come
 * ```ts ignore
 * import { RawSocket } from "@rawframe/rawframe";
 * import { SocketSource } from "@rawframe/rawframe/capture";
 * using sock = RawSocket.open("eth0", { ring: true });
 * const source = new SocketSource(sock);
 * let bytes = 0;
 * for (;;) {
 *   source.drain((frame) => { bytes += frame.length; });
 *   await source.waitReadable({ timeoutMs: 100 });
 * }
 * ```
 */
export class SocketSource implements FrameSource {
  readonly #sock: RawSocket;
  readonly #receiving: Receiving;

  /** The frames `sock` receives. */
  constructor(sock: RawSocket) {
    this.#sock = sock;
    this.#receiving = receivingOfSocket(sock);
  }

  /** A socket never ends: closing it makes the calls throw. */
  get ended(): boolean {
    return false;
  }

  /**
   * Visits, without waiting and without allocating, the frames queued (up
   * to `limit`). Each {@linkcode RingFrame} is valid only during its
   * visit: read its fields, or copy it out with `copyTo` or `copyFrame`.
   * With `ring: true` nothing is copied at all until you do.
   *
   * @returns frames visited.
   */
  drain(visit: (frame: RingFrame) => void, limit: number = Infinity): number {
    const receiver = this.#receiving.receiver();
    let visited = 0;
    while (visited < limit) {
      const frame = receiver.next();
      if (frame === null) break;
      visit(frame);
      visited++;
    }
    return visited;
  }

  /**
   * Takes up to `limit` queued frames without looking at them: the
   * cheapest way to count a flood (on the ring, two reads per frame and
   * nothing copied).
   *
   * @returns frames taken.
   */
  skip(limit: number = Infinity): number {
    return this.#receiving.receiver().skip(limit);
  }

  /**
   * Appends up to `limit` queued frames to `target` as pcap records,
   * without waiting and without describing them: with `ring: true` each
   * frame's bytes are copied once, from the ring into the target. A
   * PcapWriter's `addFrom` provides the target.
   *
   * @returns frames appended.
   */
  copyRecords(target: RecordTarget, limit: number = Infinity): number {
    return this.#receiving.receiver().copyRecords(target, limit);
  }

  /** A {@linkcode ReceivedFrame} copied out of `frame`, which it outlives. */
  copyFrame(frame: RingFrame): ReceivedFrame {
    return copyReceived(frame, this.interfaceOf(frame));
  }

  /** A copy: a socket lends no view of its memory. */
  lendFrame(frame: RingFrame): ReceivedFrame {
    return this.copyFrame(frame);
  }

  /** The name of the interface `frame` was seen on. */
  interfaceOf(frame: RingFrame): string {
    return this.#sock.interfaceNameOf(frame.ifindex);
  }

  /**
   * Waits until a frame may be ready to read or the timeout passes (at
   * most 50 ms at a time).
   *
   * @throws `signal.reason` when the signal aborts.
   */
  async waitReadable(options: WaitOptions = {}): Promise<void> {
    checkOptions("SocketSource.waitReadable", options, WAIT_OPTION_TYPES);
    const receiver = this.#receiving.receiver();
    options.signal?.throwIfAborted();
    if (receiver.ready) return;
    const ms = Math.min(options.timeoutMs ?? POLL_SLICE_MS, POLL_SLICE_MS);
    if (options.blocking) receiver.waitHere(ms);
    else await this.#receiving.wait(receiver, ms, options.signal);
  }
}
