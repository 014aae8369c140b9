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
import {
  copyRestoringTag,
  restoredTagSize,
  TPID_8021Q,
} from "../contract/ethernet.ts";
import type { RingFrame, RingSize } from "../contract/types.ts";
import {
  type BlockTarget,
  PACKET_BLOCK_DATA,
  PACKET_BLOCK_OVERHEAD,
  PACKET_FLAGS,
  putPacketBlock,
  putRecordHeader,
  RECORD_HEADER_SIZE,
  type RecordTarget,
} from "../contract/pcap_record.ts";

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

/** The TCI of a tag the kernel stripped (in `status`), or -1. */
function strippedTci(status: number, tci: number): number {
  return (status & TP_STATUS_VLAN_VALID) !== 0 ? tci : -1;
}

/** The TPID of a tag the kernel stripped: 802.1Q unless it says. */
function strippedTpid(status: number, tpid: number): number {
  return (status & TP_STATUS_VLAN_TPID_VALID) !== 0 ? tpid : TPID_8021Q;
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
  /** A frame of this interface stopped a copy of packet blocks: -1 if none. */
  #otherIfindex = -1;
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

  /**
   * Appends up to `limit` Ethernet frames to `target` as pcap records,
   * any stripped tag restored, handing blocks back as it goes. No frame
   * is described: this is the shortest way from the ring to a file.
   *
   * @returns frames appended.
   */
  copyRecords(target: RecordTarget, limit: number): number {
    let copied = 0;
    while (copied < limit) {
      while (this.#remaining === 0) {
        if (!this.#advance()) return copied;
      }
      const blocks = target.blocks;
      if (blocks === undefined) {
        copied += this.#copyFromBlock(target, limit - copied);
        continue;
      }
      const run = this.#copyBlocksFromBlock(target, blocks, limit - copied);
      blocks.count += run;
      copied += run;
      // A frame of another interface (the first, or "any"'s) waits for
      // the target to switch (it may write an interface block first).
      if (this.#otherIfindex !== -1) {
        blocks.switchTo(this.#otherIfindex);
        this.#otherIfindex = -1;
      }
    }
    return copied;
  }

  /**
   * Appends up to `limit` frames of the block we hold to `target`. All in
   * locals, every field read before any branch (V8 inlines DataView
   * access only in straight-line code): 29 ns a 60-byte frame, against
   * 42 through next() and a FrameView, 45 with a method per record.
   */
  #copyFromBlock(target: RecordTarget, limit: number): number {
    // A record is smaller than the frame's slot in the block (no ring
    // header, at most a 4-byte tag more), so a block's records fit in a
    // block's size: room is made once here, and the loop has no branch
    // that the first thousands of frames never take (which would cost a
    // deoptimisation and another compile).
    if (target.used + this.#blockSize > target.bytes.length) {
      target.makeRoom(this.#blockSize);
    }
    const { view: v, bytes } = this.#ring;
    const { bytes: out, view: outView, perUnit } = target;
    let used = target.used;
    let at = this.#at;
    let left = this.#remaining;
    let copied = 0;
    while (left > 0 && copied < limit) {
      const next = v.getUint32(at + TPACKET3_HDR.nextOffset, true);
      const sll = at + TPACKET3_HDR.size;
      const hatype = v.getUint16(sll + SOCKADDR_LL.hatype, true);
      const status = v.getUint32(at + TPACKET3_HDR.status, true);
      const rawTci = v.getUint16(at + TPACKET3_HDR.vlanTci, true);
      const rawTpid = v.getUint16(at + TPACKET3_HDR.vlanTpid, true);
      const sec = v.getUint32(at + TPACKET3_HDR.sec, true);
      const nsec = v.getUint32(at + TPACKET3_HDR.nsec, true);
      const start = at + v.getUint16(at + TPACKET3_HDR.mac, true);
      const snaplen = v.getUint32(at + TPACKET3_HDR.snaplen, true);
      const wireLength = v.getUint32(at + TPACKET3_HDR.len, true);
      left--;
      at += next;
      if (!isEthernet(hatype)) continue;
      const tci = strippedTci(status, rawTci);
      const tpid = strippedTpid(status, rawTpid);
      const extra = restoredTagSize(tci, snaplen);
      const size = RECORD_HEADER_SIZE + snaplen + extra;
      // Cannot happen (see above), but the check tells V8 the copy fits:
      // 29 ns a frame with it, 40 without.
      if (used + size > out.length) throw new RangeError("record too big");
      const captured = snaplen + extra;
      const wire = wireLength + extra;
      putRecordHeader(outView, used, sec, nsec, perUnit, captured, wire);
      const to = used + RECORD_HEADER_SIZE;
      copyRestoringTag(bytes, v, start, snaplen, tci, tpid, out, outView, to);
      used += size;
      copied++;
    }
    this.#at = at;
    this.#remaining = left;
    target.used = used;
    return copied;
  }

  /**
   * The same as #copyFromBlock, as pcapng packet blocks of the target's
   * interface, with each frame's direction and reception type. It stops
   * before a frame of another interface (see #otherIfindex). A block is
   * at most 51 bytes more than its frame, less than the frame's ring
   * header, so a ring block's worth fits as well.
   */
  #copyBlocksFromBlock(
    target: RecordTarget,
    blocks: BlockTarget,
    limit: number,
  ): number {
    this.#roomForBlock(target);
    const { view: v, bytes } = this.#ring;
    const { bytes: out, view: outView, perUnit } = target;
    const { ifindex: wanted, interfaceId } = blocks;
    let used = target.used;
    let at = this.#at;
    let left = this.#remaining;
    let copied = 0;
    while (left > 0 && copied < limit) {
      const sll = at + TPACKET3_HDR.size;
      const ethernet = isEthernet(v.getUint16(sll + SOCKADDR_LL.hatype, true));
      const ifindex = v.getInt32(sll + SOCKADDR_LL.ifindex, true);
      const flags = PACKET_FLAGS[v.getUint8(sll + SOCKADDR_LL.pkttype)] ?? 0;
      const status = v.getUint32(at + TPACKET3_HDR.status, true);
      const rawTci = v.getUint16(at + TPACKET3_HDR.vlanTci, true);
      const rawTpid = v.getUint16(at + TPACKET3_HDR.vlanTpid, true);
      const sec = v.getUint32(at + TPACKET3_HDR.sec, true);
      const nsec = v.getUint32(at + TPACKET3_HDR.nsec, true);
      const start = at + v.getUint16(at + TPACKET3_HDR.mac, true);
      const snaplen = v.getUint32(at + TPACKET3_HDR.snaplen, true);
      const wireLength = v.getUint32(at + TPACKET3_HDR.len, true);
      if (ethernet && ifindex !== wanted) {
        this.#otherIfindex = ifindex;
        break;
      }
      left--;
      at += v.getUint32(at + TPACKET3_HDR.nextOffset, true);
      if (!ethernet) continue;
      const tci = strippedTci(status, rawTci);
      const tpid = strippedTpid(status, rawTpid);
      const extra = restoredTagSize(tci, snaplen);
      const captured = snaplen + extra;
      const size = PACKET_BLOCK_OVERHEAD + ((captured + 3) & ~3);
      if (used + size > out.length) throw new RangeError("too big"); // as above
      putPacketBlock(
        outView,
        used,
        interfaceId,
        sec,
        nsec,
        perUnit,
        captured,
        wireLength + extra,
        flags,
      );
      const to = used + PACKET_BLOCK_DATA;
      copyRestoringTag(bytes, v, start, snaplen, tci, tpid, out, outView, to);
      used += size;
      copied++;
    }
    this.#at = at;
    this.#remaining = left;
    target.used = used;
    return copied;
  }

  /** Room in `target` for a ring block's records (see #copyFromBlock). */
  #roomForBlock(target: RecordTarget): void {
    if (target.used + this.#blockSize > target.bytes.length) {
      target.makeRoom(this.#blockSize);
    }
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
    const v = this.#ring.view; // every field read before any branch
    const status = v.getUint32(at + TPACKET3_HDR.status, true);
    const rawTci = v.getUint16(at + TPACKET3_HDR.vlanTci, true);
    const rawTpid = v.getUint16(at + TPACKET3_HDR.vlanTpid, true);
    const seconds = v.getUint32(at + TPACKET3_HDR.sec, true);
    const nanoseconds = v.getUint32(at + TPACKET3_HDR.nsec, true);
    const mac = v.getUint16(at + TPACKET3_HDR.mac, true);
    const snaplen = v.getUint32(at + TPACKET3_HDR.snaplen, true);
    const wireLength = v.getUint32(at + TPACKET3_HDR.len, true);
    const sll = at + TPACKET3_HDR.size;
    const pkttype = v.getUint8(sll + SOCKADDR_LL.pkttype);
    const ifindex = v.getInt32(sll + SOCKADDR_LL.ifindex, true);
    const f = this.#frame;
    f.seconds = seconds;
    f.nanoseconds = nanoseconds;
    f.locate(
      at + mac,
      snaplen,
      wireLength,
      strippedTci(status, rawTci),
      strippedTpid(status, rawTpid),
    );
    f.setLink(pkttype, ifindex);
  }
}
