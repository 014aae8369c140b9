/**
 * A PACKET_RX_RING in TPACKET_V3 layout: the kernel writes frames into
 * blocks of memory shared with us, and we read them in place. One poll()
 * wakes us for a whole block, and no system call is made per frame.
 *
 * @module
 */

import { MappedRing } from "./ring_memory.ts";
import type { PacketFd } from "./packet_fd.ts";
import {
  PACKET_RX_RING,
  TP_STATUS_KERNEL,
  TP_STATUS_USER,
  TP_STATUS_VLAN_TPID_VALID,
  TP_STATUS_VLAN_VALID,
  TPACKET_V3,
} from "./constants.ts";
import { SOCKADDR_LL } from "./structs.ts";
import {
  TPACKET3_FRAME_SIZE,
  TPACKET3_HDR,
  TPACKET_BLOCK_DESC,
  TPACKET_REQ3,
} from "./ring_structs.ts";
import { FrameView, isEthernet } from "./frame_view.ts";
import { TPID_8021Q } from "../lib/ethernet.ts";
import type { RingFrame, RingSize } from "../lib/types.ts";

/** Encodes the tpacket_req3 for a ring of `size` (already validated). */
function ringRequest(size: RingSize): Uint8Array {
  const request = new Uint8Array(TPACKET_REQ3.size);
  const r = new DataView(request.buffer);
  r.setUint32(TPACKET_REQ3.blockSize, size.blockSize, true);
  r.setUint32(TPACKET_REQ3.blockNr, size.blockCount, true);
  r.setUint32(TPACKET_REQ3.frameSize, TPACKET3_FRAME_SIZE, true);
  r.setUint32(
    TPACKET_REQ3.frameNr,
    (size.blockSize / TPACKET3_FRAME_SIZE) * size.blockCount,
    true,
  );
  r.setUint32(TPACKET_REQ3.retireBlockTimeout, size.blockTimeoutMs, true);
  return request;
}

/** A mapped TPACKET_V3 receive ring. */
export class RxRing {
  readonly #ring: MappedRing;
  readonly #blockSize: number;
  readonly #blockCount: number;
  readonly #oneLink: boolean;
  #block = 0;
  #holding = false; // the current block is ours until we move past it
  #remaining = 0; // frames left in the current block
  #at = 0; // offset of the next frame
  readonly #frame: FrameView;

  /**
   * Sets `socket` to TPACKET_V3 and maps its ring. Call before bind().
   * `oneLink`: the socket is bound to one interface, so every frame in
   * the ring has the same link type.
   */
  constructor(socket: PacketFd, size: RingSize, oneLink: boolean) {
    this.#oneLink = oneLink;
    this.#ring = new MappedRing(
      socket,
      TPACKET_V3,
      PACKET_RX_RING,
      "PACKET_RX_RING",
      ringRequest(size),
      size.blockSize * size.blockCount,
    );
    this.#blockSize = size.blockSize;
    this.#blockCount = size.blockCount;
    this.#frame = new FrameView(this.#ring.bytes, this.#ring.view);
  }

  /** Whether the kernel has handed over the next block. */
  get ready(): boolean {
    return this.#holding && this.#remaining > 0 ||
      (this.#statusOf(this.#nextBlock()) & TP_STATUS_USER) !== 0;
  }

  /**
   * The next Ethernet frame, or null when the kernel has handed over
   * nothing more. A block goes back to the kernel once we move past its
   * last frame, so the frame returned stays valid until the next call.
   */
  next(): RingFrame | null {
    for (;;) {
      while (this.#remaining === 0) {
        if (!this.#advance()) return null;
      }
      const at = this.#at;
      const view = this.#ring.view;
      this.#remaining--;
      this.#at = at + view.getUint32(at + TPACKET3_HDR.nextOffset, true);
      const sll = at + TPACKET3_HDR.size;
      if (isEthernet(view.getUint16(sll + SOCKADDR_LL.hatype, true))) {
        this.#describe(at);
        return this.#frame;
      }
    }
  }

  /**
   * Passes over up to `limit` Ethernet frames without describing them,
   * handing blocks back as it goes: whole blocks at once on a socket
   * bound to one interface, two reads per frame otherwise.
   *
   * @returns frames passed over.
   */
  skip(limit: number): number {
    let skipped = 0;
    while (skipped < limit) {
      while (this.#remaining === 0) {
        if (!this.#advance()) return skipped;
      }
      if (this.#oneLink && this.#remaining <= limit - skipped) {
        // One link type for all: if this frame is Ethernet, so is the
        // rest of the block, which is counted without being touched.
        const sll = this.#at + TPACKET3_HDR.size + SOCKADDR_LL.hatype;
        if (!isEthernet(this.#ring.view.getUint16(sll, true))) {
          this.#remaining = 0;
          continue;
        }
        skipped += this.#remaining;
        this.#remaining = 0;
        continue;
      }
      const at = this.#at;
      const view = this.#ring.view;
      this.#remaining--;
      this.#at = at + view.getUint32(at + TPACKET3_HDR.nextOffset, true);
      const sll = at + TPACKET3_HDR.size;
      if (isEthernet(view.getUint16(sll + SOCKADDR_LL.hatype, true))) skipped++;
    }
    return skipped;
  }

  /** Unmaps the ring. Idempotent. */
  close(): void {
    this.#frame.detach();
    this.#remaining = 0;
    this.#holding = false;
    this.#ring.unmap();
  }

  /** Hands the block we hold back and takes the next one, if it is ready. */
  #advance(): boolean {
    const view = this.#ring.view;
    if (this.#holding) {
      const base = this.#block * this.#blockSize;
      view.setUint32(
        base + TPACKET_BLOCK_DESC.blockStatus,
        TP_STATUS_KERNEL,
        true,
      );
      this.#block = this.#nextBlock();
      this.#holding = false;
    }
    const base = this.#block * this.#blockSize;
    if ((this.#statusOf(this.#block) & TP_STATUS_USER) === 0) return false;
    this.#holding = true;
    this.#remaining = view.getUint32(
      base + TPACKET_BLOCK_DESC.numPackets,
      true,
    );
    this.#at = base +
      view.getUint32(base + TPACKET_BLOCK_DESC.offsetToFirstPacket, true);
    return true;
  }

  /** The block to look at next: the current one unless we hold it. */
  #nextBlock(): number {
    return this.#holding ? (this.#block + 1) % this.#blockCount : this.#block;
  }

  #statusOf(block: number): number {
    const view = this.#ring.view;
    const at = block * this.#blockSize + TPACKET_BLOCK_DESC.blockStatus;
    return at + 4 <= view.byteLength ? view.getUint32(at, true) : 0;
  }

  #describe(at: number): void {
    const v = this.#ring.view;
    const status = v.getUint32(at + TPACKET3_HDR.status, true);
    let tci = -1;
    let tpid = 0;
    if (status & TP_STATUS_VLAN_VALID) {
      tci = v.getUint16(at + TPACKET3_HDR.vlanTci, true);
      tpid = status & TP_STATUS_VLAN_TPID_VALID
        ? v.getUint16(at + TPACKET3_HDR.vlanTpid, true)
        : TPID_8021Q;
    }
    const f = this.#frame;
    f.seconds = v.getUint32(at + TPACKET3_HDR.sec, true);
    f.nanoseconds = v.getUint32(at + TPACKET3_HDR.nsec, true);
    f.locate(
      at + v.getUint16(at + TPACKET3_HDR.mac, true),
      v.getUint32(at + TPACKET3_HDR.snaplen, true),
      v.getUint32(at + TPACKET3_HDR.len, true),
      tci,
      tpid,
    );
    const sll = at + TPACKET3_HDR.size;
    f.setLink(
      v.getUint8(sll + SOCKADDR_LL.pkttype),
      v.getInt32(sll + SOCKADDR_LL.ifindex, true),
    );
  }
}
