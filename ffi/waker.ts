/**
 * Waiting for a socket without blocking the event loop: `poll()` on the
 * socket and an eventfd runs on Deno's blocking pool, and writing to the
 * eventfd from the main thread ends the wait at once (abort, close).
 *
 * @module
 */

import { libc } from "./libc.ts";
import { check } from "./errno.ts";
import { EFD_CLOEXEC, EFD_NONBLOCK, POLLERR, POLLIN } from "./constants.ts";
import { encodePollfds, POLLFD } from "./structs.ts";

/** What ended a wait. */
export type WaitOutcome = "readable" | "error" | "idle";

/** Watches one descriptor for input, with a way to stop the watch. */
export class Waker {
  readonly #eventFd: number;
  readonly #pollfds: Uint8Array;
  readonly #revents: DataView;
  /** eventfd's counter is a u64: writing 1 wakes poll(), reading resets it. */
  readonly #one = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]);
  readonly #drained = new Uint8Array(8);
  #closed = false;

  /** Makes the eventfd that will wake waits on `fd`. */
  constructor(fd: number) {
    this.#eventFd = check(
      libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK),
      "eventfd",
    );
    this.#pollfds = encodePollfds([fd, this.#eventFd], POLLIN);
    this.#revents = new DataView(this.#pollfds.buffer);
  }

  /**
   * Waits up to `ms` milliseconds in poll() on Deno's blocking pool.
   *
   * @returns `readable` when the socket has input, `error` when an error
   *   is pending on it (read it with SO_ERROR), `idle` otherwise (timeout,
   *   or woken).
   */
  async wait(ms: number): Promise<WaitOutcome> {
    this.#revents.setInt16(POLLFD.revents, 0, true);
    // poll()'s errno is lost (another thread): -1 just means look again.
    await libc().poll(this.#pollfds, 2n, Math.ceil(ms));
    return this.#outcome();
  }

  /**
   * Waits up to `ms` milliseconds in poll() on this thread: the event
   * loop waits too, and the socket's input is seen sooner.
   */
  waitHere(ms: number): WaitOutcome {
    this.#revents.setInt16(POLLFD.revents, 0, true);
    libc().poll_here(this.#pollfds, 2n, Math.ceil(ms)); // -1: look again
    return this.#outcome();
  }

  /** What poll() said of the socket; the eventfd is reset. */
  #outcome(): WaitOutcome {
    const revents = this.#revents.getInt16(POLLFD.revents, true);
    if (!this.#closed) libc().read(this.#eventFd, this.#drained, 8n);
    if (revents & POLLERR) return "error";
    return revents & POLLIN ? "readable" : "idle";
  }

  /** Ends a pending wait now. */
  wake(): void {
    if (!this.#closed) libc().write(this.#eventFd, this.#one, 8n);
  }

  /** Closes the eventfd. Idempotent; call only when no wait is pending. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    libc().close(this.#eventFd);
  }
}
