/**
 * The capture loop of `listen` and `read` alike: take every frame a
 * source has (a socket or a capture file), record it, hand a copy to
 * whoever shows or answers it, and wait when nothing is queued. It names
 * no source: `read` loads it without any socket code.
 *
 * @module
 */

import { delay, yieldToEventLoop } from "./delay.ts";
import type { CapturedFrame } from "./received_frame.ts";
import type { RingFrame } from "../contract/types.ts";
import type { RecordTarget } from "../contract/pcap_record.ts";
import type { FrameSource } from "./frame_source.ts";

/** Takes capture records: a PcapWriter or a PcapngWriter. */
export interface RecordSink {
  /** Appends a record for a frame still in the source's memory. */
  add(frame: RingFrame): void;
  /**
   * Appends the classic pcap records `copy` puts straight in; returns how
   * many. A sink without it takes each frame through `add`.
   */
  addFrom?(
    copy: (target: RecordTarget, limit: number) => number,
    limit: number,
  ): number;
}

/** Options of {@linkcode Capture}. */
export interface CaptureOptions {
  /** Stop after this many frames. @default Infinity */
  count?: number;
  /**
   * Where pcap records go: frames are copied straight from the source's
   * memory into it (the shortest way, when nothing else looks at them).
   * @default none
   */
  pcap?: RecordSink;
  /** Called for each frame while it is still in the source's memory. @default none */
  record?: (frame: RingFrame) => void;
  /**
   * Called with each frame, to print it or answer it (an
   * {@linkcode EchoResponder}). The frame is valid only during the call:
   * a file's is lent, not copied (see `FrameSource.lendFrame`), so copy
   * what you keep (`frame.bytes.slice()`). @default none
   */
  show?: (frame: CapturedFrame) => void;
  /** Called after each batch of frames (to flush output). @default none */
  afterBatch?: () => void;
  /**
   * While frames keep coming, wait this many milliseconds between batches
   * instead of waking for every ring block: each wake-up costs about
   * 40 µs of CPU, and the ring holds what arrives meanwhile. Frames are
   * then shown up to this much later; a frame after a quiet spell still
   * shows at once. @default 0: wake for every block
   */
  batchMs?: number;
  /**
   * Wait for frames in poll() on this thread, this many milliseconds at a
   * time, letting the event loop run in between: a frame is seen sooner
   * (an echo responder's hold time), timers and signals up to this much
   * later. @default 0: wait on Deno's blocking pool
   */
  blockingWaitMs?: number;
}

/** How long draining may go on before it lets signals (Ctrl-C) through. */
const YIELD_EVERY_MS = 50;

/**
 * Frames taken from a source until a count is reached or the run is
 * aborted.
 *
 * @example Count frames for ten seconds
 * ```ts ignore
 * import { RawSocket } from "@rawframe/rawframe";
 * import { Capture, SocketSource } from "@rawframe/rawframe/capture";
 * using sock = RawSocket.open("eth0", { ring: true });
 * const capture = new Capture(new SocketSource(sock), {});
 * const signal = AbortSignal.timeout(10_000);
 * await capture.run({ signal }).catch((err) => {
 *   if (err !== signal.reason) throw err;
 * });
 * console.log(capture.received);
 * ```
 */
export class Capture {
  readonly #source: FrameSource;
  readonly #options: CaptureOptions;
  readonly #count: number;
  readonly #visit: (frame: RingFrame) => void;
  readonly #copyRecords: (target: RecordTarget, limit: number) => number;
  #received = 0;

  /** A capture from `source`. */
  constructor(source: FrameSource, options: CaptureOptions) {
    this.#source = source;
    this.#options = options;
    this.#count = options.count ?? Infinity;
    this.#visit = (frame) => this.#visitFrame(frame);
    this.#copyRecords = (target, limit) =>
      this.#source.copyRecords(target, limit);
  }

  /** Frames taken so far. */
  get received(): number {
    return this.#received;
  }

  /**
   * Takes frames until `count` is reached or the source ends.
   *
   * @throws `signal.reason` when the signal aborts.
   */
  async run(options: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    const batchMs = this.#options.batchMs ?? 0;
    let yielded = performance.now();
    let flowing = false; // the last drain found frames
    while (this.#received < this.#count) {
      signal?.throwIfAborted();
      const got = this.#take(this.#count - this.#received);
      this.#options.afterBatch?.();
      if (got > 0) {
        flowing = true;
        if (performance.now() - yielded > YIELD_EVERY_MS) {
          await yieldToEventLoop({ signal });
          yielded = performance.now();
        }
      } else if (this.#source.ended) {
        return;
      } else if (flowing && batchMs > 0) {
        // Frames are flowing: let the next ones gather for a while
        // instead of waking for every block.
        flowing = false;
        await delay(batchMs, { signal });
        yielded = performance.now();
      } else {
        flowing = false;
        yielded = await this.#wait(signal) ?? yielded;
      }
    }
  }

  /** Waits for frames; returns when it surely took a turn of the event loop. */
  async #wait(signal: AbortSignal | undefined): Promise<number | undefined> {
    const blockingMs = this.#options.blockingWaitMs ?? 0;
    if (blockingMs > 0) {
      // Timers and signals first, then block: a frame that ends the wait
      // is taken at once.
      await yieldToEventLoop({ signal });
      const yielded = performance.now();
      await this.#source.waitReadable({
        timeoutMs: blockingMs,
        blocking: true,
      });
      return yielded;
    }
    const asked = performance.now();
    await this.#source.waitReadable({ signal });
    // A wait of a millisecond or more took a turn of the event loop
    // (signals were handled); a shorter one may not have.
    const now = performance.now();
    return now - asked >= 1 ? now : undefined;
  }

  /**
   * Takes up to `limit` frames by the shortest way the options allow:
   * counted unseen when nobody looks at them, copied straight into the
   * pcap writer when only it does, handed over in place when only
   * `record` does.
   */
  #take(limit: number): number {
    const { record, show, pcap } = this.#options;
    const source = this.#source;
    const visitEach = show !== undefined ||
      (pcap !== undefined && (record !== undefined || !pcap.addFrom));
    if (visitEach) return source.drain(this.#visit, limit); // each counted
    let taken;
    if (pcap?.addFrom !== undefined) {
      taken = pcap.addFrom(this.#copyRecords, limit);
    } else if (record !== undefined) taken = source.drain(record, limit);
    else taken = source.skip(limit);
    this.#received += taken;
    return taken;
  }

  #visitFrame(frame: RingFrame): void {
    this.#received++;
    const { record, show, pcap } = this.#options;
    pcap?.add(frame);
    record?.(frame);
    if (show !== undefined) show(this.#source.lendFrame(frame));
  }
}
