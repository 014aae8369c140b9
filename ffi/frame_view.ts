/**
 * The one implementation of {@linkcode RingFrame}: a frame described in
 * place, in the receive ring or in the receive buffer, by fields the
 * readers overwrite for each frame (nothing is allocated per frame). Its
 * bytes can only be copied out, with any stripped VLAN tag put back.
 *
 * Private to `ffi/`: users see the readonly RingFrame interface.
 *
 * @module
 */

import type { PacketType, RingFrame } from "../contract/types.ts";
import { PACKET_TYPES } from "../contract/types.ts";
import { copyRestoringTag, restoredTagSize } from "../contract/ethernet.ts";
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
import { ARPHRD_ETHER, ARPHRD_LOOPBACK } from "./constants.ts";

/** The kernel's PACKET_OUTGOING: a frame this host sent. */
const PACKET_OUTGOING = PACKET_TYPES.indexOf("outgoing");

/** Links that carry Ethernet headers (loopback does too). */
export function isEthernet(hatype: number): boolean {
  return hatype === ARPHRD_ETHER || hatype === ARPHRD_LOOPBACK;
}

/** A frame in memory the reader owns; valid until the reader moves on. */
export class FrameView implements RingFrame {
  capturedLength = 0;
  length = 0;
  seconds = 0;
  nanoseconds = 0;
  #pkttype = 0;
  ifindex = 0;
  #memory: Uint8Array;
  #view: DataView;
  #target: Uint8Array = new Uint8Array(0); // the last copy's target
  #targetView: DataView = new DataView(this.#target.buffer); // and its view
  #start = 0;
  #snaplen = 0;
  #tci = -1;
  #tpid = 0;

  /** A view reading frames out of `memory` (`view` is over the same bytes). */
  constructor(memory: Uint8Array, view: DataView) {
    this.#memory = memory;
    this.#view = view;
  }

  /**
   * Points the view at a frame: `snaplen` bytes at `start` of a frame of
   * `wireLength` bytes, with a stripped tag (`tci` >= 0, `tpid`) or not.
   */
  locate(
    start: number,
    snaplen: number,
    wireLength: number,
    tci: number,
    tpid: number,
  ): void {
    const extra = restoredTagSize(tci, snaplen);
    this.#start = start;
    this.#snaplen = snaplen;
    this.#tci = tci;
    this.#tpid = tpid;
    this.capturedLength = snaplen + extra;
    this.length = wireLength + extra;
  }

  /** How the kernel classified the frame. */
  get pkttype(): PacketType {
    return PACKET_TYPES[this.#pkttype] ?? "host";
  }

  /** `out` for frames this host sent, `in` for the rest. */
  get direction(): "in" | "out" {
    return this.#pkttype === PACKET_OUTGOING ? "out" : "in";
  }

  /** Sets the link-layer metadata: kernel packet type number and interface. */
  setLink(pkttype: number, ifindex: number): void {
    this.#pkttype = pkttype;
    this.ifindex = ifindex;
  }

  /** Copies the frame, any stripped tag restored, into `target` at `at`. */
  copyTo(target: Uint8Array, at: number): number {
    if (target !== this.#target) { // a writer copies into one buffer: keep its view
      this.#target = target;
      this.#targetView = new DataView(
        target.buffer,
        target.byteOffset,
        target.byteLength,
      );
    }
    return copyRestoringTag(
      this.#memory,
      this.#view,
      this.#start,
      this.#snaplen,
      this.#tci,
      this.#tpid,
      target,
      this.#targetView,
      at,
    );
  }

  /**
   * Appends the frame to `target` as a pcap record (header, then the
   * bytes with any stripped tag restored).
   */
  copyRecordTo(target: RecordTarget): void {
    if (target.blocks !== undefined) {
      return this.#copyBlockTo(target, target.blocks);
    }
    const size = RECORD_HEADER_SIZE + this.capturedLength;
    if (target.used + size > target.bytes.length) target.makeRoom(size);
    const at = target.used;
    putRecordHeader(
      target.view,
      at,
      this.seconds,
      this.nanoseconds,
      target.perUnit,
      this.capturedLength,
      this.length,
    );
    copyRestoringTag(
      this.#memory,
      this.#view,
      this.#start,
      this.#snaplen,
      this.#tci,
      this.#tpid,
      target.bytes,
      target.view,
      at + RECORD_HEADER_SIZE,
    );
    target.used = at + size;
  }

  /** Appends the frame to `target` as a pcapng packet block. */
  #copyBlockTo(target: RecordTarget, blocks: BlockTarget): void {
    if (this.ifindex !== blocks.ifindex) blocks.switchTo(this.ifindex);
    const captured = this.capturedLength;
    const size = PACKET_BLOCK_OVERHEAD + ((captured + 3) & ~3);
    if (target.used + size > target.bytes.length) target.makeRoom(size);
    const at = target.used;
    putPacketBlock(
      target.view,
      at,
      blocks.interfaceId,
      this.seconds,
      this.nanoseconds,
      target.perUnit,
      captured,
      this.length,
      PACKET_FLAGS[this.#pkttype] ?? 0,
    );
    copyRestoringTag(
      this.#memory,
      this.#view,
      this.#start,
      this.#snaplen,
      this.#tci,
      this.#tpid,
      target.bytes,
      target.view,
      at + PACKET_BLOCK_DATA,
    );
    target.used = at + size;
    blocks.count++;
  }

  /** Forgets the memory (it is about to be unmapped). */
  detach(): void {
    this.#memory = new Uint8Array(0);
    this.#view = new DataView(this.#memory.buffer);
    this.#target = this.#memory;
    this.#targetView = this.#view;
    this.#snaplen = 0;
    this.capturedLength = 0;
  }
}
