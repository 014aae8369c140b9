/**
 * The receiving half of a RawSocket: one receive path (recvmsg, or the
 * TPACKET_V3 ring), chosen when the socket opens, and waiting for it. Both
 * paths share one error path: a failed read and a pending socket error
 * (which poll() reports, and which a ring would otherwise never clear) go
 * through the same explanation, so a link going down or an interface
 * being deleted looks the same on either. After such an error, idle waits
 * also check that the interface still exists: a link deleted while down
 * sends the socket no error of its own.
 *
 * @module
 */

import type { PacketFd } from "../ffi/packet_fd.ts";
import { MessageReader } from "../ffi/message_reader.ts";
import { RxRing } from "../ffi/rx_ring.ts";
import { type WaitOutcome, Waker } from "../ffi/waker.ts";
import type { RingFrame, RingSize } from "../contract/types.ts";
import type { RecordTarget } from "../contract/pcap_record.ts";

/** A receive path: frames in place, one at a time, until none is queued. */
interface FrameReader {
  /** Whether a frame can be read without waiting (false when unknown). */
  readonly ready: boolean;
  /** The next frame, valid until the next call; null when none is queued. */
  next(): RingFrame | null;
  /** Takes up to `limit` queued frames without describing them. */
  skip(limit: number): number;
  /** Appends up to `limit` queued frames to `target` as pcap records. */
  copyRecords(target: RecordTarget, limit: number): number;
  /** Releases the path's memory. */
  close(): void;
}

/** How a Receiver reads, and reports failures. */
export interface ReceiverOptions {
  /** The ring's geometry; absent: recvmsg(). */
  ring?: RingSize;
  /** The socket is bound to one interface (not "any"). */
  oneInterface: boolean;
  /** Turns a system error into the error the caller sees. */
  explain: (err: unknown) => unknown;
  /** Throws if the interface is gone (run on idle waits after an error). */
  checkLink: () => void;
  /**
   * Takes what waits on the error queue (transmit timestamps), which
   * poll() reports as an error with no socket error. @default none
   */
  onErrorQueue?: () => void;
}

/** Frames from one socket, and waiting for them. */
export class Receiver {
  readonly #socket: PacketFd;
  readonly #reader: FrameReader;
  readonly #waker: Waker;
  readonly #explain: (err: unknown) => unknown;
  readonly #checkLink: () => void;
  readonly #onErrorQueue: (() => void) | undefined;
  #waits = 0;
  #faulted = false; // a socket error came, and no frame since

  /**
   * Sets up the receive path on `socket` (before it is bound): the ring
   * when `ring` is given, recvmsg() otherwise. Errors go through
   * `explain` before they reach the caller; after one, `checkLink` runs
   * on every idle wait and throws if the interface is gone.
   */
  constructor(socket: PacketFd, options: ReceiverOptions) {
    const { ring, explain, checkLink } = options;
    this.#socket = socket;
    this.#explain = explain;
    this.#checkLink = checkLink;
    this.#onErrorQueue = options.onErrorQueue;
    socket.enableMetadata();
    this.#waker = new Waker(socket.fd);
    try {
      this.#reader = ring
        ? new RxRing(socket, ring, options.oneInterface)
        : new MessageReader(socket.fd);
    } catch (err) {
      this.#waker.close();
      throw err;
    }
  }

  /** Whether a frame can be read without waiting (false when unknown). */
  get ready(): boolean {
    return this.#reader.ready;
  }

  /** Whether a wait is in progress. */
  get waiting(): boolean {
    return this.#waits > 0;
  }

  /**
   * The next frame, valid until the next call; null when none is queued.
   *
   * @throws the explained error when the socket failed.
   */
  next(): RingFrame | null {
    let frame;
    try {
      frame = this.#reader.next();
    } catch (err) {
      this.#faulted = true;
      throw this.#explain(err);
    }
    if (frame !== null && this.#faulted) this.#faulted = false;
    return frame;
  }

  /**
   * Takes up to `limit` queued frames without describing them.
   *
   * @returns frames taken.
   * @throws the explained error when the socket failed.
   */
  skip(limit: number): number {
    return this.#taking(() => this.#reader.skip(limit));
  }

  /**
   * Appends up to `limit` queued frames to `target` as pcap records.
   *
   * @returns frames appended.
   * @throws the explained error when the socket failed.
   */
  copyRecords(target: RecordTarget, limit: number): number {
    return this.#taking(() => this.#reader.copyRecords(target, limit));
  }

  /** Runs `take`, which takes frames: errors explained, faults tracked. */
  #taking(take: () => number): number {
    let taken;
    try {
      taken = take();
    } catch (err) {
      this.#faulted = true;
      throw this.#explain(err);
    }
    if (taken > 0 && this.#faulted) this.#faulted = false;
    return taken;
  }

  /**
   * Waits up to `ms` milliseconds for input, in poll() off the main
   * thread.
   *
   * @throws `signal.reason` when the signal aborts (before or during).
   * @throws the explained socket error when one is pending.
   */
  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const wake = (): void => this.#waker.wake();
    signal?.addEventListener("abort", wake, { once: true });
    this.#waits++;
    let outcome;
    try {
      outcome = await this.#waker.wait(ms);
    } finally {
      this.#waits--;
      signal?.removeEventListener("abort", wake);
    }
    signal?.throwIfAborted();
    this.#settle(outcome);
  }

  /**
   * Waits up to `ms` milliseconds in poll() on this thread (the event
   * loop waits too; see `WaitOptions.blocking`).
   *
   * @throws the explained socket error when one is pending.
   */
  waitHere(ms: number): void {
    this.#settle(this.#waker.waitHere(ms));
  }

  /** Acts on what ended a wait: a socket error is thrown, explained. */
  #settle(outcome: WaitOutcome): void {
    if (outcome === "error") {
      const error = this.#socket.takeError();
      if (error !== undefined) {
        this.#faulted = true;
        throw this.#explain(error);
      }
      this.#onErrorQueue?.(); // else poll() would say so again at once
    } else if (outcome === "idle" && this.#faulted) {
      this.#checkLink();
    }
  }

  /** Ends any wait in progress now. */
  wake(): void {
    this.#waker.wake();
  }

  /** Releases the receive path; call only when no wait is in progress. */
  close(): void {
    this.#reader.close();
    this.#waker.close();
  }
}
