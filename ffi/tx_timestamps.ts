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
import { SCM_TIMESTAMPING_TS, SOCK_EXTENDED_ERR } from "./structs.ts";
import {
  controlData,
  ReceivedMessage,
  timespecNanoseconds,
  timespecSeconds,
} from "./received_message.ts";
import type { PacketFd } from "./packet_fd.ts";
import type { TransmitTimestamp } from "../contract/types.ts";

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
  readonly #message: ReceivedMessage;

  /**
   * Turns transmit timestamps on for `socket` (before it sends): frames
   * are numbered from 0 in the order they are sent from now on.
   */
  constructor(socket: PacketFd) {
    socket.setInt(SOL_SOCKET, SO_TIMESTAMPING, FLAGS, "SO_TIMESTAMPING");
    this.#message = new ReceivedMessage(socket.fd, {
      data: 64, // OPT_TSONLY: no frame comes back, only control messages
      control: CONTROL_SIZE,
    });
  }

  /**
   * Takes every stamp queued now, oldest first.
   *
   * @throws {OsError} when recvmsg() fails other than with EAGAIN.
   */
  take(): TransmitTimestamp[] {
    const stamps: TransmitTimestamp[] = [];
    const flags = MSG_ERRQUEUE | MSG_DONTWAIT;
    while (this.#message.receive(flags, "recvmsg(MSG_ERRQUEUE)") >= 0) {
      const stamp = this.#describe();
      if (stamp !== undefined) stamps.push(stamp);
    }
    return stamps;
  }

  /** The stamp in the control messages recvmsg() just wrote, if one is. */
  #describe(): TransmitTimestamp | undefined {
    const message = this.#message;
    const c = message.control;
    let seconds = 0;
    let nanoseconds = 0;
    let stage: TransmitTimestamp["stage"] | undefined;
    let frame = 0;
    for (let at = message.firstControl(); at >= 0;) {
      const level = message.levelAt(at);
      const type = message.typeAt(at);
      const data = controlData(at);
      if (level === SOL_SOCKET && type === SCM_TIMESTAMPING) {
        const ts = data + SCM_TIMESTAMPING_TS.software;
        seconds = timespecSeconds(c, ts);
        nanoseconds = timespecNanoseconds(c, ts);
      } else if (
        level === SOL_PACKET && type === PACKET_TX_TIMESTAMP &&
        c.getUint8(data + SOCK_EXTENDED_ERR.origin) ===
          SO_EE_ORIGIN_TIMESTAMPING
      ) {
        stage = STAGES.get(c.getUint32(data + SOCK_EXTENDED_ERR.info, true));
        frame = c.getUint32(data + SOCK_EXTENDED_ERR.data, true);
      }
      at = message.nextControl(at);
    }
    if (stage === undefined || seconds <= 0) return undefined;
    return { frame, stage, timestamp: { seconds, nanoseconds } };
  }
}
