/**
 * A batch of frames for one sendmmsg() call. Each frame is copied into a
 * fixed slot whose address the prepared `struct mmsghdr` array already
 * holds, so sending a batch takes one FFI call and allocates nothing.
 *
 * @module
 */

import { errno, libc } from "./libc.ts";
import { osError } from "./errno.ts";
import type { OsError } from "../lib/errors.ts";
import { addressOf, IOVEC, MSGHDR } from "./structs.ts";

/** `struct mmsghdr`: a msghdr, then the kernel's count of bytes sent. */
export const MMSGHDR = { size: 64, hdr: 0, len: 56 } as const;

/** Frames per sendmmsg() call: where the cost per call stops mattering. */
export const BATCH_SIZE = 64;

/** One sendmmsg() batch with room for frames up to `slotSize` bytes. */
export class MessageBatch {
  readonly slotSize: number;
  readonly #slots: Uint8Array;
  readonly #iovecs: Uint8Array;
  readonly #iovView: DataView;
  readonly #headers: Uint8Array;

  /** Lays out the slots and the mmsghdr/iovec arrays that point at them. */
  constructor(slotSize: number) {
    this.slotSize = slotSize;
    this.#slots = new Uint8Array(slotSize * BATCH_SIZE);
    this.#iovecs = new Uint8Array(IOVEC.size * BATCH_SIZE);
    this.#headers = new Uint8Array(MMSGHDR.size * BATCH_SIZE);
    this.#iovView = new DataView(this.#iovecs.buffer);
    const headers = new DataView(this.#headers.buffer);
    const slots = addressOf(this.#slots);
    const iovecs = addressOf(this.#iovecs);
    for (let i = 0; i < BATCH_SIZE; i++) {
      const iov = i * IOVEC.size;
      this.#iovView.setBigUint64(
        iov + IOVEC.base,
        slots + BigInt(i * slotSize),
        true,
      );
      const header = i * MMSGHDR.size + MMSGHDR.hdr;
      headers.setBigUint64(header + MSGHDR.iov, iovecs + BigInt(iov), true);
      headers.setBigUint64(header + MSGHDR.iovlen, 1n, true);
    }
  }

  /** Copies `frame` into slot `i` (it must fit: see slotSize). */
  set(i: number, frame: Uint8Array): void {
    this.#slots.set(frame, i * this.slotSize);
    // iov_len is a size_t; frames are far below 2^32, so the low word will do.
    this.#iovView.setUint32(i * IOVEC.size + IOVEC.len, frame.length, true);
  }

  /** Copies `frame` into every slot. */
  fill(frame: Uint8Array): void {
    for (let i = 0; i < BATCH_SIZE; i++) this.set(i, frame);
  }

  /**
   * Sends slots 0..count-1 on `fd`.
   *
   * @returns how many were sent (all of them unless an error stopped it).
   * @throws {OsError} when not even the first could be sent.
   */
  send(fd: number, count: number): number {
    const { sendmmsg } = libc();
    let sent = 0;
    while (sent < count) {
      // sendmmsg() takes an array; start it where the last call stopped.
      const rc = sent === 0 ? sendmmsg(fd, this.#headers, count, 0) : sendmmsg(
        fd,
        this.#headers.subarray(sent * MMSGHDR.size),
        count - sent,
        0,
      );
      if (rc < 0) {
        const error: OsError = osError("sendmmsg", errno());
        if (sent === 0) throw error;
        return sent;
      }
      sent += rc;
    }
    return sent;
  }
}
