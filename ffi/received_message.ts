/**
 * One recvmsg() and what it fills in: a msghdr whose data, address and
 * control buffers are allocated once (the msghdr holds their addresses),
 * and a walk over the control messages that allocates nothing, so it can
 * run for every frame. Shared by the frame reader and the transmit
 * timestamp reader.
 *
 * @module
 */

import { errno, libc } from "./libc.ts";
import { EAGAIN, osError } from "./errno.ts";
import {
  addressOf,
  cmsgAlign,
  CMSGHDR,
  IOVEC,
  MSGHDR,
  pinnedBytes,
  TIMESPEC,
} from "./structs.ts";

/** A msghdr and its buffers, for recvmsg() on one socket. */
export class ReceivedMessage {
  /** The data buffer recvmsg() fills. */
  readonly data: Uint8Array;
  /** The sender's address, when asked for (sockaddr_ll). */
  readonly name: Uint8Array;
  /** The control messages recvmsg() wrote, as a view. */
  readonly control: DataView;
  readonly #fd: number;
  readonly #controlBytes: Uint8Array;
  readonly #iovec = pinnedBytes(IOVEC.size);
  readonly #msghdr = pinnedBytes(MSGHDR.size);
  readonly #msg = new DataView(this.#msghdr.buffer);

  /**
   * Buffers for socket `fd`, of the sizes given: data, control messages,
   * and the sender's address (none when `name` is absent).
   */
  constructor(
    fd: number,
    sizes: { data: number; control: number; name?: number },
  ) {
    this.#fd = fd;
    this.data = pinnedBytes(sizes.data);
    this.name = pinnedBytes(sizes.name ?? 0);
    this.#controlBytes = pinnedBytes(sizes.control);
    this.control = new DataView(this.#controlBytes.buffer);
    const iov = new DataView(this.#iovec.buffer);
    iov.setBigUint64(IOVEC.base, addressOf(this.data), true);
    iov.setBigUint64(IOVEC.len, BigInt(this.data.length), true);
    if (this.name.length > 0) {
      this.#msg.setBigUint64(MSGHDR.name, addressOf(this.name), true);
    }
    this.#msg.setBigUint64(MSGHDR.iov, addressOf(this.#iovec), true);
    this.#msg.setBigUint64(MSGHDR.iovlen, 1n, true);
    this.#msg.setBigUint64(MSGHDR.control, addressOf(this.#controlBytes), true);
  }

  /**
   * One recvmsg() with `flags` (MSG_DONTWAIT among them).
   *
   * @returns the bytes of data (their real length with MSG_TRUNC), or -1
   *   when nothing is queued (EAGAIN).
   * @throws {OsError} naming `call` when recvmsg() fails otherwise.
   */
  receive(flags: number, call: string): number {
    this.#msg.setUint32(MSGHDR.namelen, this.name.length, true);
    this.#msg.setUint32(MSGHDR.controllen, this.#controlBytes.length, true);
    const n = Number(libc().recvmsg(this.#fd, this.#msghdr, flags));
    if (n >= 0) return n;
    const code = errno();
    if (code === EAGAIN) return -1;
    throw osError(call, code);
  }

  /** Offset of the first control message, or -1 when there is none. */
  firstControl(): number {
    return this.#fits(0) ? 0 : -1;
  }

  /** Offset of the control message after the one at `at`, or -1. */
  nextControl(at: number): number {
    const length = this.control.getUint32(at + CMSGHDR.len, true);
    if (length < CMSGHDR.size) return -1;
    const next = at + cmsgAlign(length);
    return this.#fits(next) ? next : -1;
  }

  /** The level of the control message at `at` (SOL_SOCKET, SOL_PACKET). */
  levelAt(at: number): number {
    return this.control.getInt32(at + CMSGHDR.level, true);
  }

  /** The type of the control message at `at`. */
  typeAt(at: number): number {
    return this.control.getInt32(at + CMSGHDR.type, true);
  }

  /** Whether a whole control-message header starts at `at`. */
  #fits(at: number): boolean {
    // size_t fields hold small values here: their low 32 bits suffice.
    const length = this.#msg.getUint32(MSGHDR.controllen, true);
    return at + CMSGHDR.size <= length;
  }
}

/** Offset of the data of the control message at `at`. */
export function controlData(at: number): number {
  return at + CMSGHDR.size;
}

/**
 * The seconds of the `struct timespec` at `at`, read as two u32s: no
 * BigInt on the per-frame path.
 */
export function timespecSeconds(view: DataView, at: number): number {
  return view.getUint32(at + TIMESPEC.sec, true) +
    view.getUint32(at + TIMESPEC.sec + 4, true) * 2 ** 32;
}

/** The nanoseconds of the `struct timespec` at `at`. */
export function timespecNanoseconds(view: DataView, at: number): number {
  return view.getUint32(at + TIMESPEC.nsec, true);
}
