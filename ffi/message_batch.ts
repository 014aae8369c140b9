/**
 * A batch of frames for one sendmmsg() call. Each frame is copied into a
 * fixed slot whose address the prepared `struct mmsghdr` array already
 * holds, so sending a batch takes one FFI call and allocates nothing.
 *
 * @module
 */

import { errno, libc } from "./libc.ts";
import { osError } from "./errno.ts";
import { addressOf, IOVEC, MMSGHDR, MSGHDR, pinnedBytes } from "./structs.ts";
import { SEND_BATCH_SIZE } from "../contract/limits.ts";

/** One sendmmsg() batch with room for frames up to `slotSize` bytes. */
export class MessageBatch {
  /** The largest frame a slot holds. */
  readonly slotSize: number;
  readonly #fd: number;
  readonly #slots: Uint8Array;
  readonly #iovecs: Uint8Array;
  readonly #iovView: DataView;
  readonly #headers: Uint8Array;

  /** Lays out the slots and the mmsghdr/iovec arrays that point at them. */
  constructor(fd: number, slotSize: number) {
    this.#fd = fd;
    this.slotSize = slotSize;
    this.#slots = pinnedBytes(slotSize * SEND_BATCH_SIZE);
    this.#iovecs = pinnedBytes(IOVEC.size * SEND_BATCH_SIZE);
    this.#headers = pinnedBytes(MMSGHDR.size * SEND_BATCH_SIZE);
    this.#iovView = new DataView(this.#iovecs.buffer);
    const headers = new DataView(this.#headers.buffer);
    const slots = addressOf(this.#slots);
    const iovecs = addressOf(this.#iovecs);
    for (let i = 0; i < SEND_BATCH_SIZE; i++) {
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
    for (let i = 0; i < SEND_BATCH_SIZE; i++) this.set(i, frame);
  }

  /**
   * Sends slots 0..count-1.
   *
   * @returns how many were sent (all of them unless an error stopped it).
   * @throws {OsError} when not even the first could be sent.
   */
  send(count: number): number {
    const { sendmmsg } = libc();
    let sent = 0;
    while (sent < count) {
      // sendmmsg() takes an array; start it where the last call stopped.
      const rc = sent === 0
        ? sendmmsg(this.#fd, this.#headers, count, 0)
        : sendmmsg(
          this.#fd,
          this.#headers.subarray(sent * MMSGHDR.size),
          count - sent,
          0,
        );
      if (rc < 0) {
        if (sent === 0) throw osError("sendmmsg", errno());
        return sent; // the next call reports why
      }
      sent += rc;
    }
    return sent;
  }
}
