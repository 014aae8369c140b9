/**
 * The sending half of a RawSocket: sendmmsg() batches or the TX ring,
 * chosen when the socket opens. Both keep one contract: frames were
 * checked for size already; an error is thrown only when a call sent
 * nothing, otherwise it returns how many went out and the next call
 * reports why the rest did not.
 *
 * @module
 */

import type { PacketFd } from "../ffi/packet_fd.ts";
import { MessageBatch } from "../ffi/message_batch.ts";
import { TxRing } from "../ffi/tx_ring.ts";
import { SEND_BATCH_SIZE } from "../contract/limits.ts";
import { FrameRejectedError } from "./errors.ts";

/** A way to put frames on the wire. */
export interface FrameSender {
  /** Sends one frame. */
  sendOne(frame: Uint8Array): void;
  /** Sends `frames[0..count)`; returns how many went out. */
  sendMany(frames: readonly Uint8Array[], count: number): number;
  /** Sends `count` copies of `frame`; returns how many went out. */
  sendRepeated(frame: Uint8Array, count: number): number;
  /** Releases what the sender holds. */
  close(): void;
}

/** send() per frame, sendmmsg() per batch of 64. */
export class BatchSender implements FrameSender {
  readonly #socket: PacketFd;
  readonly #slotSize: number;
  #batch: MessageBatch | undefined;

  /** A sender on `socket` whose batches hold frames up to `slotSize` bytes. */
  constructor(socket: PacketFd, slotSize: number) {
    this.#socket = socket;
    this.#slotSize = slotSize;
  }

  /** Sends one frame with send(). */
  sendOne(frame: Uint8Array): void {
    this.#socket.send(frame);
  }

  /** Copies frames into the batch 64 at a time, one sendmmsg() per batch. */
  sendMany(frames: readonly Uint8Array[], count: number): number {
    const batch = this.#prepared();
    let sent = 0;
    while (sent < count) {
      const n = Math.min(SEND_BATCH_SIZE, count - sent);
      for (let i = 0; i < n; i++) batch.set(i, frames[sent + i]);
      const done = this.#send(batch, n, sent);
      sent += done;
      if (done < n) break;
    }
    return sent;
  }

  /** Copies `frame` into the batch once; then each batch is one call. */
  sendRepeated(frame: Uint8Array, count: number): number {
    const batch = this.#prepared();
    batch.fill(frame);
    let sent = 0;
    while (sent < count) {
      const n = Math.min(SEND_BATCH_SIZE, count - sent);
      const done = this.#send(batch, n, sent);
      sent += done;
      if (done < n) break;
    }
    return sent;
  }

  /** Nothing to release: the batch is ordinary memory. */
  close(): void {}

  #prepared(): MessageBatch {
    return this.#batch ??= new MessageBatch(this.#socket.fd, this.#slotSize);
  }

  /** One batch; a failure after frames went out ends the call quietly. */
  #send(batch: MessageBatch, n: number, sentBefore: number): number {
    try {
      return batch.send(n);
    } catch (err) {
      if (sentBefore === 0) throw err;
      return 0;
    }
  }
}

/** Frames written into a mapped TX ring, one send() per ring-full. */
export class RingSender implements FrameSender {
  readonly #ring: TxRing;

  /** Maps a TX ring on `socket` (before bind) for frames up to `maxFrame`. */
  constructor(socket: PacketFd, maxFrame: number) {
    this.#ring = new TxRing(socket, maxFrame);
  }

  /** Sends one frame through the ring (a plain send() would flush it). */
  sendOne(frame: Uint8Array): void {
    this.#ring.send([frame], 0, 1);
  }

  /** Fills the ring and flushes it, as often as needed. */
  sendMany(frames: readonly Uint8Array[], count: number): number {
    let sent = 0;
    while (sent < count) {
      const n = Math.min(this.#ring.slots, count - sent);
      try {
        this.#ring.send(frames, sent, n);
      } catch (err) {
        // A refused frame: those before it went out.
        const done = err instanceof FrameRejectedError ? err.index : sent;
        if (done === 0) throw err;
        return done;
      }
      sent += n;
    }
    return sent;
  }

  /** Fills the ring with copies of `frame`, as often as needed. */
  sendRepeated(frame: Uint8Array, count: number): number {
    const copies = new Array<Uint8Array>(Math.min(count, this.#ring.slots))
      .fill(frame);
    let sent = 0;
    while (sent < count) {
      const n = Math.min(copies.length, count - sent);
      let done: number;
      try {
        done = this.sendMany(copies, n);
      } catch (err) {
        if (sent === 0) throw err;
        break;
      }
      sent += done;
      if (done < n) break;
    }
    return sent;
  }

  /** Unmaps the ring. */
  close(): void {
    this.#ring.close();
  }
}
