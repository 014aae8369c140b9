/**
 * The listening loop: take every frame a source has, record it (a pcap
 * record straight from the socket's memory), show it (a copy), answer echo
 * requests, and wait when nothing is queued. It counts as it goes, so
 * whoever stops it knows what was seen.
 *
 * @module
 */

import { delay, yieldToEventLoop } from "./delay.ts";
import { echoReply } from "./echo.ts";
import type { ReceivedFrame } from "./received_frame.ts";
import type { RingFrame, Timestamp } from "./types.ts";
import type { RecordTarget } from "./pcap_record.ts";

/** Where frames come from: a RawSocket, or a fake in tests. */
export interface FrameSource {
  /** Visits the frames queued now, up to `limit`; returns how many. */
  drain(visit: (frame: RingFrame) => void, limit?: number): number;
  /** Takes the frames queued now, up to `limit`, unseen; returns how many. */
  skip(limit?: number): number;
  /** Appends the frames queued now, up to `limit`, to `target` as pcap records. */
  copyRecords(target: RecordTarget, limit: number): number;
  /** Waits until a frame may be ready; rejects with `signal.reason`. */
  waitReadable(
    options: { signal?: AbortSignal; timeoutMs?: number; blocking?: boolean },
  ): Promise<void>;
  /** Copies a frame out of the source's memory. */
  copyFrame(frame: RingFrame): ReceivedFrame;
}

/** Takes pcap records: a PcapWriter. */
export interface RecordSink {
  /** Appends a record for a frame still in the source's memory. */
  add(frame: RingFrame): void;
  /** Appends the records `copy` puts straight in; returns how many. */
  addFrom(
    copy: (target: RecordTarget, limit: number) => number,
    limit: number,
  ): number;
}

/** How to answer echo requests (`rawframe ping`). */
export interface EchoResponder {
  /** Our MAC: the source of replies. */
  mac: string;
  /** EtherType of echo frames. */
  etherType: number;
  /** Sends a reply. */
  send(frame: Uint8Array): void;
  /**
   * The clock frames' kernel timestamps are on: with it, each reply says
   * when the request came in and when the reply left (see echo.ts), so
   * the pinger can leave out the time it was held here. @default none
   */
  clock?: () => Timestamp;
  /** Told of each reply sent, and the request it answers. @default none */
  answered?: (reply: Uint8Array, request: ReceivedFrame) => void;
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
  /** Called with a copy of each frame (printing). @default none */
  show?: (frame: ReceivedFrame) => void;
  /** Answer echo requests that come in. @default none: no answers */
  echo?: EchoResponder;
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
 * import { RawSocket } from "../mod.ts";
 * import { Capture } from "./capture.ts";
 * using sock = RawSocket.open("eth0", { ring: true });
 * const capture = new Capture(sock, {});
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
  #answered = 0;

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

  /** Echo requests answered so far. */
  get answered(): number {
    return this.#answered;
  }

  /**
   * Takes frames until `count` is reached.
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
    const { record, show, echo, pcap } = this.#options;
    const source = this.#source;
    const visitEach = show !== undefined || echo !== undefined ||
      (pcap !== undefined && record !== undefined);
    if (visitEach) return source.drain(this.#visit, limit); // each counted
    let taken;
    if (pcap !== undefined) taken = pcap.addFrom(this.#copyRecords, limit);
    else if (record !== undefined) taken = source.drain(record, limit);
    else taken = source.skip(limit);
    this.#received += taken;
    return taken;
  }

  #visitFrame(frame: RingFrame): void {
    this.#received++;
    const { record, show, echo, pcap } = this.#options;
    pcap?.add(frame);
    record?.(frame);
    if (show === undefined && echo === undefined) return;
    const copy = this.#source.copyFrame(frame);
    // The answer first: the time it takes is the responder's hold time.
    const reply = echo && copy.direction === "in"
      ? this.#answer(echo, copy)
      : undefined;
    show?.(copy);
    if (reply !== undefined) echo?.answered?.(reply, copy); // after its request
  }

  /** Answers `request` if it is an echo request; returns the reply sent. */
  #answer(echo: EchoResponder, request: ReceivedFrame): Uint8Array | undefined {
    // Without the kernel's receive stamp there is no hold time to tell.
    const stamps = echo.clock && request.timestamp.seconds > 0
      ? { received: request.timestamp, clock: echo.clock }
      : undefined;
    const reply = echoReply(request.bytes, echo.mac, echo.etherType, stamps);
    if (reply === undefined) return undefined;
    echo.send(reply);
    this.#answered++;
    return reply;
  }
}
