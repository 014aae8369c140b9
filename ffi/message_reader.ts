/**
 * Reading one frame at a time with recvmsg(MSG_DONTWAIT): the frame, its
 * sockaddr_ll (interface, packet type) and its control messages (kernel
 * timestamp, VLAN tag the kernel stripped). All buffers are allocated once;
 * the msghdr holds their addresses.
 *
 * @module
 */

import { errno, libc } from "./libc.ts";
import { EAGAIN, osError } from "./errno.ts";
import {
  MSG_DONTWAIT,
  MSG_TRUNC,
  PACKET_AUXDATA,
  SCM_TIMESTAMPNS,
  SOL_PACKET,
  SOL_SOCKET,
  TP_STATUS_VLAN_TPID_VALID,
  TP_STATUS_VLAN_VALID,
} from "./constants.ts";
import {
  addressOf,
  cmsgAlign,
  CMSGHDR,
  IOVEC,
  MSGHDR,
  SOCKADDR_LL,
  TIMESPEC,
  TPACKET_AUXDATA,
} from "./structs.ts";
import { FrameView, isEthernet } from "./frame_view.ts";
import { TPID_8021Q } from "../lib/ethernet.ts";
import { RECEIVE_BUFFER_SIZE } from "../lib/limits.ts";
import type { RingFrame } from "../lib/types.ts";
import type { RecordTarget } from "../lib/pcap_record.ts";

/**
 * Room for the control messages: timestamp and auxdata, and the
 * SO_TIMESTAMPING stamps a socket with transmit timestamps also gets.
 */
const CONTROL_SIZE = 256;

/** Reads frames from socket `fd` one recvmsg() at a time. */
export class MessageReader {
  readonly #fd: number;
  readonly #buffer = new Uint8Array(RECEIVE_BUFFER_SIZE);
  readonly #name = new Uint8Array(SOCKADDR_LL.size);
  readonly #control = new Uint8Array(CONTROL_SIZE);
  readonly #iovec = new Uint8Array(IOVEC.size);
  readonly #msghdr = new Uint8Array(MSGHDR.size);
  readonly #msg = new DataView(this.#msghdr.buffer);
  readonly #nameView = new DataView(this.#name.buffer);
  readonly #controlView = new DataView(this.#control.buffer);
  readonly #frame = new FrameView(
    this.#buffer,
    new DataView(this.#buffer.buffer),
  );

  /** Prepares the buffers for socket `fd` (opened with enableMetadata()). */
  constructor(fd: number) {
    this.#fd = fd;
    const iov = new DataView(this.#iovec.buffer);
    iov.setBigUint64(IOVEC.base, addressOf(this.#buffer), true);
    iov.setBigUint64(IOVEC.len, BigInt(this.#buffer.length), true);
    this.#msg.setBigUint64(MSGHDR.name, addressOf(this.#name), true);
    this.#msg.setBigUint64(MSGHDR.iov, addressOf(this.#iovec), true);
    this.#msg.setBigUint64(MSGHDR.iovlen, 1n, true);
    this.#msg.setBigUint64(MSGHDR.control, addressOf(this.#control), true);
  }

  /** recvmsg() cannot tell without a system call: always false. */
  get ready(): boolean {
    return false;
  }

  /**
   * The next queued Ethernet frame, valid until the next call; null when
   * nothing is queued.
   *
   * @throws {OsError} when recvmsg() fails (a pending socket error).
   */
  next(): RingFrame | null {
    const recvmsg = libc().recvmsg;
    for (;;) {
      this.#msg.setUint32(MSGHDR.namelen, SOCKADDR_LL.size, true);
      this.#msg.setUint32(MSGHDR.controllen, CONTROL_SIZE, true);
      const n = Number(
        recvmsg(this.#fd, this.#msghdr, MSG_DONTWAIT | MSG_TRUNC),
      );
      if (n < 0) {
        const code = errno();
        if (code === EAGAIN) return null;
        throw osError("recvmsg", code);
      }
      // On "any", links without an Ethernet header (tun, ppp) also show
      // up; they carry no Ethernet frame, so they are skipped.
      if (isEthernet(this.#nameView.getUint16(SOCKADDR_LL.hatype, true))) {
        return this.#describe(n);
      }
    }
  }

  /**
   * Takes up to `limit` queued Ethernet frames without describing them.
   *
   * @returns frames taken.
   */
  skip(limit: number): number {
    let skipped = 0;
    while (skipped < limit && this.next() !== null) skipped++;
    return skipped;
  }

  /**
   * Appends up to `limit` queued Ethernet frames to `target` as pcap
   * records.
   *
   * @returns frames appended.
   */
  copyRecords(target: RecordTarget, limit: number): number {
    let copied = 0;
    while (copied < limit && this.next() !== null) {
      this.#frame.copyRecordTo(target);
      copied++;
    }
    return copied;
  }

  /** Forgets the buffer. */
  close(): void {
    this.#frame.detach();
  }

  /** Describes the `n`-byte frame recvmsg() just wrote. */
  #describe(n: number): RingFrame {
    const frame = this.#frame;
    frame.seconds = 0;
    frame.nanoseconds = 0;
    let tci = -1;
    let tpid = 0;
    // size_t fields hold small values here: their low 32 bits suffice.
    const controlLength = this.#msg.getUint32(MSGHDR.controllen, true);
    const c = this.#controlView;
    for (let at = 0; at + CMSGHDR.size <= controlLength;) {
      const length = c.getUint32(at + CMSGHDR.len, true);
      const level = c.getInt32(at + CMSGHDR.level, true);
      const type = c.getInt32(at + CMSGHDR.type, true);
      const data = at + CMSGHDR.size;
      if (level === SOL_SOCKET && type === SCM_TIMESTAMPNS) {
        frame.seconds = c.getUint32(data + TIMESPEC.sec, true) +
          c.getUint32(data + TIMESPEC.sec + 4, true) * 2 ** 32;
        frame.nanoseconds = c.getUint32(data + TIMESPEC.nsec, true);
      } else if (level === SOL_PACKET && type === PACKET_AUXDATA) {
        const status = c.getUint32(data + TPACKET_AUXDATA.status, true);
        if (status & TP_STATUS_VLAN_VALID) {
          tci = c.getUint16(data + TPACKET_AUXDATA.vlanTci, true);
          tpid = status & TP_STATUS_VLAN_TPID_VALID
            ? c.getUint16(data + TPACKET_AUXDATA.vlanTpid, true)
            : TPID_8021Q;
        }
      }
      if (length < CMSGHDR.size) break;
      at += cmsgAlign(length);
    }
    frame.locate(0, Math.min(n, this.#buffer.length), n, tci, tpid);
    frame.setLink(
      this.#name[SOCKADDR_LL.pkttype],
      this.#nameView.getInt32(SOCKADDR_LL.ifindex, true),
    );
    return frame;
  }
}
