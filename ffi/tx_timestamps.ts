/**
 * Transmit timestamps: the kernel stamps each frame the socket sends when
 * it enters the queueing layer and when the driver hands it to the device
 * (SO_TIMESTAMPING, software stamps, numbered by SOF_TIMESTAMPING_OPT_ID),
 * and queues the stamps on the socket's error queue, where they are read
 * with recvmsg(MSG_ERRQUEUE). A queued stamp makes poll() say POLLERR
 * (with no socket error), so whoever waits must take them.
 *
 * @module
 */

import { errno, libc } from "./libc.ts";
import { EAGAIN, osError } from "./errno.ts";
import {
  MSG_DONTWAIT,
  MSG_ERRQUEUE,
  PACKET_TX_TIMESTAMP,
  SCM_TIMESTAMPING,
  SCM_TSTAMP_SCHED,
  SCM_TSTAMP_SND,
  SO_EE_ORIGIN_TIMESTAMPING,
  SO_TIMESTAMPING,
  SOF_TIMESTAMPING_OPT_ID,
  SOF_TIMESTAMPING_OPT_TSONLY,
  SOF_TIMESTAMPING_SOFTWARE,
  SOF_TIMESTAMPING_TX_SCHED,
  SOF_TIMESTAMPING_TX_SOFTWARE,
  SOL_PACKET,
  SOL_SOCKET,
} from "./constants.ts";
import {
  addressOf,
  cmsgAlign,
  CMSGHDR,
  IOVEC,
  MSGHDR,
  SCM_TIMESTAMPING_TS,
  SOCK_EXTENDED_ERR,
  TIMESPEC,
} from "./structs.ts";
import type { PacketFd } from "./packet_fd.ts";
import type { TransmitTimestamp } from "../lib/types.ts";

/** Stamps on entering the queue and at the driver, numbered, without the frame. */
const FLAGS = SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_TX_SOFTWARE |
  SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID |
  SOF_TIMESTAMPING_OPT_TSONLY;
/** Room for the timestamp and the extended error. */
const CONTROL_SIZE = 256;

const STAGES = new Map<number, TransmitTimestamp["stage"]>([
  [SCM_TSTAMP_SCHED, "queued"],
  [SCM_TSTAMP_SND, "sent"],
]);

/** Reads the transmit timestamps of one socket. */
export class TxStampReader {
  readonly #fd: number;
  readonly #data = new Uint8Array(64); // OPT_TSONLY: no frame comes back
  readonly #control = new Uint8Array(CONTROL_SIZE);
  readonly #iovec = new Uint8Array(IOVEC.size);
  readonly #msghdr = new Uint8Array(MSGHDR.size);
  readonly #msg = new DataView(this.#msghdr.buffer);
  readonly #c = new DataView(this.#control.buffer);

  /**
   * Turns transmit timestamps on for `socket` (before it sends): frames
   * are numbered from 0 in the order they are sent from now on.
   */
  constructor(socket: PacketFd) {
    socket.setInt(SOL_SOCKET, SO_TIMESTAMPING, FLAGS, "SO_TIMESTAMPING");
    this.#fd = socket.fd;
    const iov = new DataView(this.#iovec.buffer);
    iov.setBigUint64(IOVEC.base, addressOf(this.#data), true);
    iov.setBigUint64(IOVEC.len, BigInt(this.#data.length), true);
    this.#msg.setBigUint64(MSGHDR.iov, addressOf(this.#iovec), true);
    this.#msg.setBigUint64(MSGHDR.iovlen, 1n, true);
    this.#msg.setBigUint64(MSGHDR.control, addressOf(this.#control), true);
  }

  /**
   * Takes every stamp queued now, oldest first.
   *
   * @throws {OsError} when recvmsg() fails other than with EAGAIN.
   */
  take(): TransmitTimestamp[] {
    const stamps: TransmitTimestamp[] = [];
    const recvmsg = libc().recvmsg;
    for (;;) {
      this.#msg.setUint32(MSGHDR.controllen, CONTROL_SIZE, true);
      const n = Number(
        recvmsg(this.#fd, this.#msghdr, MSG_ERRQUEUE | MSG_DONTWAIT),
      );
      if (n < 0) {
        const code = errno();
        if (code === EAGAIN) return stamps;
        throw osError("recvmsg(MSG_ERRQUEUE)", code);
      }
      const stamp = this.#describe();
      if (stamp !== undefined) stamps.push(stamp);
    }
  }

  /** The stamp in the control messages recvmsg() just wrote, if one is. */
  #describe(): TransmitTimestamp | undefined {
    const c = this.#c;
    const length = this.#msg.getUint32(MSGHDR.controllen, true);
    let seconds = -1;
    let nanoseconds = 0;
    let stage: TransmitTimestamp["stage"] | undefined;
    let frame = 0;
    for (let at = 0; at + CMSGHDR.size <= length;) {
      const size = c.getUint32(at + CMSGHDR.len, true);
      const level = c.getInt32(at + CMSGHDR.level, true);
      const type = c.getInt32(at + CMSGHDR.type, true);
      const data = at + CMSGHDR.size;
      if (level === SOL_SOCKET && type === SCM_TIMESTAMPING) {
        const ts = data + SCM_TIMESTAMPING_TS.software;
        seconds = Number(c.getBigInt64(ts + TIMESPEC.sec, true));
        nanoseconds = Number(c.getBigInt64(ts + TIMESPEC.nsec, true));
      } else if (
        level === SOL_PACKET && type === PACKET_TX_TIMESTAMP &&
        c.getUint8(data + SOCK_EXTENDED_ERR.origin) ===
          SO_EE_ORIGIN_TIMESTAMPING
      ) {
        stage = STAGES.get(c.getUint32(data + SOCK_EXTENDED_ERR.info, true));
        frame = c.getUint32(data + SOCK_EXTENDED_ERR.data, true);
      }
      if (size < CMSGHDR.size) break;
      at += cmsgAlign(size);
    }
    if (stage === undefined || seconds <= 0) return undefined;
    return { frame, stage, timestamp: { seconds, nanoseconds } };
  }
}
