/**
 * A PACKET_TX_RING in TPACKET_V2 layout: frames are written straight into
 * slots of memory shared with the kernel, then one send() asks the kernel
 * to transmit every slot marked ready. No copy through a system call.
 *
 * The ring's memory is unmapped by close(); the view onto it is private to
 * this class and never handed out.
 *
 * @module
 */

import { setIntOption, setOption } from "./socket_options.ts";
import { errno, libc } from "./libc.ts";
import { osError } from "./errno.ts";
import {
  PACKET_TX_RING,
  PACKET_VERSION,
  SOL_PACKET,
  TP_STATUS_SEND_REQUEST,
  TP_STATUS_WRONG_FORMAT,
  TPACKET_V2,
} from "./constants.ts";
import { mapRing } from "./ring_memory.ts";

/** `struct tpacket_req` from <linux/if_packet.h>. */
export const TPACKET_REQ = {
  size: 16,
  blockSize: 0,
  blockNr: 4,
  frameSize: 8,
  frameNr: 12,
} as const;

/** `struct tpacket2_hdr`: status, then lengths; frame data at `data`. */
export const TPACKET2_HDR = {
  status: 0,
  len: 4,
  snaplen: 8,
  /** TPACKET2_HDRLEN - sizeof(struct sockaddr_ll): where TX data starts. */
  data: 32,
} as const;

const BLOCK_SIZE = 1 << 16;
const BLOCK_COUNT = 16;

/** A mapped TPACKET_V2 transmit ring on socket `fd`. */
export class TxRing {
  readonly slotSize: number;
  readonly slots: number;
  readonly #size: number;
  #pointer: Deno.PointerObject | null;
  #ring: Uint8Array;
  #view: DataView;

  /**
   * Sets the socket to TPACKET_V2 and maps a transmit ring whose slots hold
   * frames up to `maxFrame` bytes. Call before bind().
   */
  constructor(fd: number, maxFrame: number) {
    setIntOption(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2, "PACKET_VERSION");
    // Slots are powers of two that fit the header and the largest frame.
    let slotSize = 2048;
    while (slotSize < TPACKET2_HDR.data + maxFrame) slotSize *= 2;
    const blockSize = Math.max(BLOCK_SIZE, slotSize);
    this.slotSize = slotSize;
    this.slots = (blockSize / slotSize) * BLOCK_COUNT;
    const request = new Uint8Array(TPACKET_REQ.size);
    const r = new DataView(request.buffer);
    r.setUint32(TPACKET_REQ.blockSize, blockSize, true);
    r.setUint32(TPACKET_REQ.blockNr, BLOCK_COUNT, true);
    r.setUint32(TPACKET_REQ.frameSize, slotSize, true);
    r.setUint32(TPACKET_REQ.frameNr, this.slots, true);
    setOption(fd, SOL_PACKET, PACKET_TX_RING, request, "PACKET_TX_RING");
    this.#size = blockSize * BLOCK_COUNT;
    this.#pointer = mapRing(fd, this.#size);
    this.#ring = new Uint8Array(
      Deno.UnsafePointerView.getArrayBuffer(this.#pointer, this.#size),
    );
    this.#view = new DataView(this.#ring.buffer);
  }

  /**
   * Writes `frames[from..from+count)` into slots 0..count-1 (count at most
   * `slots`), marks them ready, and has the kernel send them all; returns
   * once it has (a blocking send() waits for the ring to drain).
   */
  send(
    fd: number,
    frames: readonly Uint8Array[],
    from: number,
    count: number,
  ): void {
    const v = this.#view;
    for (let i = 0; i < count; i++) {
      const frame = frames[from + i];
      const slot = i * this.slotSize;
      this.#ring.set(frame, slot + TPACKET2_HDR.data);
      v.setUint32(slot + TPACKET2_HDR.len, frame.length, true);
      // The status word last: it hands the slot to the kernel (x86 keeps
      // stores in order, so the kernel sees the data first).
      v.setUint32(slot + TPACKET2_HDR.status, TP_STATUS_SEND_REQUEST, true);
    }
    if (libc().send(fd, null, 0n, 0) < 0) {
      throw osError("send(TX ring)", errno());
    }
    for (let i = 0; i < count; i++) {
      if (v.getUint32(i * this.slotSize, true) === TP_STATUS_WRONG_FORMAT) {
        v.setUint32(i * this.slotSize, 0, true);
        throw new Error(`the kernel rejected frame ${from + i} in the TX ring`);
      }
    }
  }

  /** Unmaps the ring. Idempotent. */
  close(): void {
    if (this.#pointer === null) return;
    this.#ring = new Uint8Array(0);
    this.#view = new DataView(new ArrayBuffer(0));
    libc().munmap(this.#pointer, BigInt(this.#size));
    this.#pointer = null;
  }
}
