/**
 * Reading one frame at a time with recvmsg(MSG_DONTWAIT): the frame, its
 * sockaddr_ll (interface, packet type) and its control messages (kernel
 * timestamp, VLAN tag the kernel stripped). All buffers are allocated once;
 * the msghdr holds their addresses.
 *
 * @module
 */

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
import { SOCKADDR_LL, TPACKET_AUXDATA } from "./structs.ts";
import {
  controlData,
  ReceivedMessage,
  timespecNanoseconds,
  timespecSeconds,
} from "./received_message.ts";
import { FrameView, isEthernet } from "./frame_view.ts";
import { TPID_8021Q } from "../contract/ethernet.ts";
import { RECEIVE_BUFFER_SIZE } from "../contract/limits.ts";
import type { RingFrame } from "../contract/types.ts";
import type { RecordTarget } from "../contract/pcap_record.ts";

/**
 * Room for the control messages: timestamp and auxdata, and the
 * SO_TIMESTAMPING stamps a socket with transmit timestamps also gets.
 */
const CONTROL_SIZE = 256;

/** Reads frames from socket `fd` one recvmsg() at a time. */
export class MessageReader {
  readonly #message: ReceivedMessage;
  readonly #nameView: DataView;
  readonly #frame: FrameView;

  /** Prepares the buffers for socket `fd` (opened with enableMetadata()). */
  constructor(fd: number) {
    this.#message = new ReceivedMessage(fd, {
      data: RECEIVE_BUFFER_SIZE,
      control: CONTROL_SIZE,
      name: SOCKADDR_LL.size,
    });
    const { data, name } = this.#message;
    this.#nameView = new DataView(name.buffer);
    this.#frame = new FrameView(data, new DataView(data.buffer));
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
    for (;;) {
      const n = this.#message.receive(MSG_DONTWAIT | MSG_TRUNC, "recvmsg");
      if (n < 0) return null;
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
    const message = this.#message;
    const c = message.control;
    frame.seconds = 0;
    frame.nanoseconds = 0;
    let tci = -1;
    let tpid = 0;
    for (let at = message.firstControl(); at >= 0;) {
      const level = message.levelAt(at);
      const type = message.typeAt(at);
      const data = controlData(at);
      if (level === SOL_SOCKET && type === SCM_TIMESTAMPNS) {
        frame.seconds = timespecSeconds(c, data);
        frame.nanoseconds = timespecNanoseconds(c, data);
      } else if (level === SOL_PACKET && type === PACKET_AUXDATA) {
        const status = c.getUint32(data + TPACKET_AUXDATA.status, true);
        if (status & TP_STATUS_VLAN_VALID) {
          tci = c.getUint16(data + TPACKET_AUXDATA.vlanTci, true);
          tpid = status & TP_STATUS_VLAN_TPID_VALID
            ? c.getUint16(data + TPACKET_AUXDATA.vlanTpid, true)
            : TPID_8021Q;
        }
      }
      at = message.nextControl(at);
    }
    frame.locate(0, Math.min(n, message.data.length), n, tci, tpid);
    frame.setLink(
      message.name[SOCKADDR_LL.pkttype],
      this.#nameView.getInt32(SOCKADDR_LL.ifindex, true),
    );
    return frame;
  }
}
