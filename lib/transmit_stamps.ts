/**
 * A socket's transmit timestamps, as the kernel queues them: taken from
 * the error queue on request, or whenever a wait finds them there (they
 * would otherwise wake every poll() at once), and kept until asked for.
 *
 * @module
 */

import type { PacketFd } from "../ffi/packet_fd.ts";
import { TxStampReader } from "../ffi/tx_timestamps.ts";
import type { TransmitTimestamp } from "../contract/types.ts";

/** Stamps kept for a caller who does not ask: the newest this many. */
const KEPT = 4096;

/** The transmit timestamps of one socket. */
export class TransmitStamps {
  readonly #reader: TxStampReader;
  #kept: TransmitTimestamp[] = [];

  /** Turns transmit timestamps on for `socket` (before it sends). */
  constructor(socket: PacketFd) {
    this.#reader = new TxStampReader(socket);
  }

  /** Moves the stamps queued in the kernel to our own list. */
  collect(): void {
    const stamps = this.#reader.take();
    if (stamps.length === 0) return;
    this.#kept.push(...stamps);
    if (this.#kept.length > KEPT) {
      this.#kept.splice(0, this.#kept.length - KEPT);
    }
  }

  /** Every stamp so far, oldest first; each is given once. */
  take(): TransmitTimestamp[] {
    this.collect();
    const stamps = this.#kept;
    this.#kept = [];
    return stamps;
  }
}
