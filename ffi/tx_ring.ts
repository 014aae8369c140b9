/**
 * A PACKET_TX_RING in TPACKET_V2 layout: frames are written straight into
 * slots of memory shared with the kernel, then one send() asks the kernel
 * to transmit every slot marked ready. No copy through a system call.
 *
 * @module
 */

import { MappedRing } from "./ring_memory.ts";
import type { PacketFd } from "./packet_fd.ts";
import {
  PACKET_TX_RING,
  TP_STATUS_AVAILABLE,
  TP_STATUS_SEND_REQUEST,
  TP_STATUS_WRONG_FORMAT,
  TPACKET_V2,
} from "./constants.ts";
import { TPACKET2_HDR, TPACKET2_TX_DATA, TPACKET_REQ } from "./ring_structs.ts";
import { FrameRejectedError } from "../contract/errors.ts";

const BLOCK_SIZE = 1 << 16;
const NO_DATA = new Uint8Array(0);
const BLOCK_COUNT = 16;

/** Slots are powers of two that fit the slot header and the largest frame. */
function slotSizeFor(maxFrame: number): number {
  let slotSize = 2048;
  while (slotSize < TPACKET2_TX_DATA + maxFrame) slotSize *= 2;
  return slotSize;
}

/** A mapped TPACKET_V2 transmit ring. */
export class TxRing {
  /** How many frames one send() can carry. */
  readonly slots: number;
  readonly #slotSize: number;
  readonly #ring: MappedRing;
  readonly #socket: PacketFd;
  /**
   * The slot the kernel looks at next: it keeps its own position in the
   * ring across send() calls, so a batch that does not fill the ring
   * leaves the next one starting part way round.
   */
  #head = 0;

  /**
   * Sets `socket` to TPACKET_V2 and maps a transmit ring whose slots hold
   * frames up to `maxFrame` bytes. Call before bind().
   */
  constructor(socket: PacketFd, maxFrame: number) {
    const slotSize = slotSizeFor(maxFrame);
    const blockSize = Math.max(BLOCK_SIZE, slotSize);
    this.slots = (blockSize / slotSize) * BLOCK_COUNT;
    this.#slotSize = slotSize;
    this.#socket = socket;
    const request = new Uint8Array(TPACKET_REQ.size);
    const r = new DataView(request.buffer);
    r.setUint32(TPACKET_REQ.blockSize, blockSize, true);
    r.setUint32(TPACKET_REQ.blockNr, BLOCK_COUNT, true);
    r.setUint32(TPACKET_REQ.frameSize, slotSize, true);
    r.setUint32(TPACKET_REQ.frameNr, this.slots, true);
    this.#ring = new MappedRing(
      socket,
      TPACKET_V2,
      PACKET_TX_RING,
      "PACKET_TX_RING",
      request,
      blockSize * BLOCK_COUNT,
    );
  }

  /**
   * Writes `frames[from..from+count)` into the `count` slots from the
   * kernel's position on (count at most `slots`), marks them ready, and
   * has the kernel send them all; returns once it has (a blocking send()
   * waits for the ring to drain).
   *
   * @throws {OsError} when the kernel refuses the send.
   * @throws {FrameRejectedError} when it refused one slot's frame.
   */
  send(frames: readonly Uint8Array[], from: number, count: number): void {
    const { bytes, view } = this.#ring;
    const first = this.#head;
    const slotAt = (i: number): number =>
      ((first + i) % this.slots) * this.#slotSize;
    for (let i = 0; i < count; i++) {
      const frame = frames[from + i];
      const slot = slotAt(i);
      bytes.set(frame, slot + TPACKET2_TX_DATA);
      view.setUint32(slot + TPACKET2_HDR.len, frame.length, true);
      // The status word last: it hands the slot to the kernel (x86 keeps
      // stores in order, so the kernel sees the data first).
      view.setUint32(
        slot + TPACKET2_HDR.status,
        TP_STATUS_SEND_REQUEST,
        true,
      );
    }
    // With a TX ring, send() of no data means "transmit the ready slots".
    this.#socket.send(NO_DATA);
    this.#head = (first + count) % this.slots;
    for (let i = 0; i < count; i++) {
      const status = slotAt(i) + TPACKET2_HDR.status;
      if (view.getUint32(status, true) === TP_STATUS_WRONG_FORMAT) {
        // The kernel stopped at this slot and stays there: it and the
        // ones after it were not sent; hand them all back.
        for (let j = i; j < count; j++) {
          view.setUint32(
            slotAt(j) + TPACKET2_HDR.status,
            TP_STATUS_AVAILABLE,
            true,
          );
        }
        this.#head = (first + i) % this.slots;
        throw new FrameRejectedError(from + i);
      }
    }
  }

  /** Unmaps the ring. Idempotent. */
  close(): void {
    this.#ring.unmap();
  }
}
