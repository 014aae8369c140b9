/**
 * What a RawSocket is made of, and opening it: the descriptor, a receive
 * path, a send path and transmit timestamps, set up in the kernel's order, with everything
 * closed again if a step fails.
 *
 * @module
 */

import { PacketFd } from "../ffi/packet_fd.ts";
import { Receiver } from "./receiver.ts";
import { BatchSender, type FrameSender, RingSender } from "./sender.ts";
import type { SocketPlan } from "./open_options.ts";
import type { NetworkInterface } from "./interfaces.ts";
import { maxFrameSize } from "./frame_size.ts";
import { assertStillThere, explainSocketError } from "./socket_errors.ts";
import { VLAN_TAG_SIZE } from "../contract/ethernet.ts";
import { TransmitStamps } from "./transmit_stamps.ts";

/** The descriptor and the two paths: what close() releases. */
export class Parts {
  /** The parts of one socket (all but `socket` may be absent). */
  constructor(
    readonly socket: PacketFd,
    readonly receiver: Receiver | undefined,
    readonly sender: FrameSender | undefined,
    readonly stamps: TransmitStamps | undefined,
  ) {}

  /** Closes every part. */
  close(): void {
    this.receiver?.close();
    this.sender?.close();
    this.socket.close();
  }
}

/**
 * Opens the socket and its parts in the kernel's order: filter, receive
 * path and send path before bind(), promiscuous mode after. If any step
 * fails, everything opened so far is closed again.
 */
export function openParts(iface: NetworkInterface, plan: SocketPlan): Parts {
  // What to close if a later step fails (DisposableStack's job, which
  // Node 20 does not have).
  const undo: (() => void)[] = [];
  try {
    return openInOrder(iface, plan, undo);
  } catch (err) {
    for (const close of undo.reverse()) close();
    throw err;
  }
}

function openInOrder(
  iface: NetworkInterface,
  plan: SocketPlan,
  undo: (() => void)[],
): Parts {
  const socket = PacketFd.open();
  undo.push(() => socket.close());
  if (plan.program) socket.attachFilter(plan.program);
  const stamps = plan.txTimestamps ? new TransmitStamps(socket) : undefined;
  const receiver = plan.receive
    ? new Receiver(socket, {
      ...(plan.ring ? { ring: plan.ring } : {}),
      oneInterface: iface.index !== 0,
      explain: (err) => explainSocketError(err, iface),
      checkLink: () => assertStillThere(iface),
      ...(stamps ? { onErrorQueue: () => stamps.collect() } : {}),
    })
    : undefined;
  undo.push(() => receiver?.close());
  if (plan.qdiscBypass) socket.bypassQdisc();
  const slot = maxFrameSize(iface) + VLAN_TAG_SIZE;
  const sender = iface.index === 0
    ? undefined
    : plan.txRing
    ? new RingSender(socket, slot)
    : new BatchSender(socket, slot);
  undo.push(() => sender?.close());
  socket.bind(iface.index, plan.receive);
  if (plan.promisc) socket.joinPromiscuous(iface.index);
  return new Parts(socket, receiver, sender, stamps);
}
