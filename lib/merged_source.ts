/**
 * Several frame sources as one: how `listen -i a -i b` takes the frames
 * of one socket per interface in one capture. Each source is drained in
 * turn (the first one first by turns, so a flood on one never starves
 * another), and a wait ends when any of them may have frames. Names no
 * runtime.
 *
 * @module
 */

import type { FrameSource } from "./frame_source.ts";
import type { CapturedFrame } from "./received_frame.ts";
import type { RecordTarget } from "../contract/pcap_record.ts";
import type { RingFrame, WaitOptions } from "../contract/types.ts";

/** The longest one wait on the sources lasts, as a socket's. */
const WAIT_SLICE_MS = 50;

/**
 * The frames of several sources, each counted apart.
 *
 * @example Two sockets in one capture
 * ```ts ignore
 * import { RawSocket } from "@rawframe/rawframe";
 * import { Capture, MergedSource, SocketSource } from "@rawframe/rawframe/capture";
 * using a = RawSocket.open("veth0", { ring: true });
 * using b = RawSocket.open("veth1", { ring: true });
 * const source = new MergedSource([new SocketSource(a), new SocketSource(b)]);
 * const capture = new Capture(source, { show: (f) => console.log(f.iface) });
 * await capture.run({ signal: AbortSignal.timeout(1000) }).catch(() => {});
 * console.log(source.taken); // frames of each
 * ```
 */
export class MergedSource implements FrameSource {
  readonly #sources: readonly FrameSource[];
  readonly #waits: (Promise<void> | undefined)[];
  readonly #taken: number[];
  #first = 0;
  #current = 0; // the source being drained: it answers for its frames

  /** The frames of `sources` (at least one). */
  constructor(sources: readonly FrameSource[]) {
    if (sources.length === 0) {
      throw new TypeError("MergedSource needs a source");
    }
    this.#sources = sources;
    this.#waits = sources.map(() => undefined);
    this.#taken = sources.map(() => 0);
  }

  /** Frames taken from each source, in the order given. */
  get taken(): readonly number[] {
    return this.#taken;
  }

  /** True once every source has ended. */
  get ended(): boolean {
    return this.#sources.every((source) => source.ended);
  }

  /** Visits the frames each source has queued, up to `limit` in all. */
  drain(visit: (frame: RingFrame) => void, limit: number = Infinity): number {
    return this.#each((source, left) => source.drain(visit, left), limit);
  }

  /** Takes the frames each source has queued, up to `limit`, unseen. */
  skip(limit: number = Infinity): number {
    return this.#each((source, left) => source.skip(left), limit);
  }

  /** Appends each source's queued frames to `target` as pcap records. */
  copyRecords(target: RecordTarget, limit: number = Infinity): number {
    return this.#each(
      (source, left) => source.copyRecords(target, left),
      limit,
    );
  }

  /** A copy of `frame`, by the source being drained. */
  copyFrame(frame: RingFrame): CapturedFrame {
    return this.#sources[this.#current].copyFrame(frame);
  }

  /** `frame` lent by the source being drained. */
  lendFrame(frame: RingFrame): CapturedFrame {
    return this.#sources[this.#current].lendFrame(frame);
  }

  /** The interface of `frame`, by the source being drained. */
  interfaceOf(frame: RingFrame): string | null {
    return this.#sources[this.#current].interfaceOf(frame);
  }

  /**
   * Waits until any source may have a frame, or the timeout passes (at
   * most 50 ms). A source's wait goes on after another's ended it, and
   * the next call waits on it again rather than start a second one.
   *
   * @throws `signal.reason` when the signal aborts.
   */
  async waitReadable(options: WaitOptions = {}): Promise<void> {
    const { signal } = options;
    signal?.throwIfAborted();
    const ms = Math.min(options.timeoutMs ?? WAIT_SLICE_MS, WAIT_SLICE_MS);
    const waits = this.#sources.map((source, i) => {
      const known = this.#waits[i];
      if (known !== undefined) return known;
      const wait = source.waitReadable({ timeoutMs: ms }).finally(() => {
        this.#waits[i] = undefined;
      });
      wait.catch(() => {}); // a wait left going may fail unwatched
      return this.#waits[i] = wait;
    });
    let abort: (() => void) | undefined;
    const aborted = new Promise<void>((_, reject) => {
      abort = () => reject(signal!.reason);
      signal?.addEventListener("abort", abort, { once: true });
    });
    try {
      await Promise.race([...waits, aborted]);
    } finally {
      signal?.removeEventListener("abort", abort!);
      aborted.catch(() => {}); // nobody else waits on it
    }
  }

  /** Calls `take` on each source in turn until `limit` frames are taken. */
  #each(
    take: (source: FrameSource, left: number) => number,
    limit: number,
  ): number {
    const count = this.#sources.length;
    let taken = 0;
    for (let k = 0; k < count && taken < limit; k++) {
      const i = (this.#first + k) % count;
      this.#current = i;
      const got = take(this.#sources[i], limit - taken);
      this.#taken[i] += got;
      taken += got;
    }
    this.#first = (this.#first + 1) % count;
    return taken;
  }
}
