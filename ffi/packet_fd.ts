/**
 * One AF_PACKET socket descriptor and the small typed operations rawframe
 * performs on it: bind, attach a filter, ask for metadata, join promiscuous
 * mode, read the kernel's counters and pending error, send one frame, close.
 * Every failure is an {@linkcode OsError} (see errno.ts).
 *
 * @module
 */

import { errno, libc } from "./libc.ts";
import { check, osError } from "./errno.ts";
import {
  AF_PACKET,
  ETH_P_ALL,
  PACKET_ADD_MEMBERSHIP,
  PACKET_AUXDATA,
  PACKET_MR_PROMISC,
  PACKET_QDISC_BYPASS,
  PACKET_STATISTICS,
  SO_ATTACH_FILTER,
  SO_ERROR,
  SO_TIMESTAMPNS,
  SOCK_CLOEXEC,
  SOCK_RAW,
  SOL_PACKET,
  SOL_SOCKET,
} from "./constants.ts";
import {
  encodeInt,
  encodePacketMreq,
  encodeSockaddrLl,
  encodeSockFilters,
  encodeSockFprog,
  TPACKET_STATS,
} from "./structs.ts";
import type { BpfInstruction } from "../contract/types.ts";
import type { OsError } from "../contract/errors.ts";

/** The kernel's counters of a receiving socket (PACKET_STATISTICS). */
export interface PacketCounters {
  /** Frames that passed the filter since the last read. */
  packets: number;
  /** Frames dropped since the last read because the queue was full. */
  drops: number;
}

/** size_t arguments as bigint (Deno's fast path), made once per length. */
const SIZES: bigint[] = [];
function sizeOf(length: number): bigint {
  return SIZES[length] ??= BigInt(length);
}

/** An open AF_PACKET socket. */
export class PacketFd {
  /** The descriptor. */
  readonly fd: number;
  #closed = false;
  readonly #send = libc().send;

  private constructor(fd: number) {
    this.fd = fd;
  }

  /**
   * Opens a raw packet socket with protocol 0: it sees nothing until
   * bind() names a protocol, so a filter can be attached first.
   */
  static open(): PacketFd {
    const lib = libc();
    return new PacketFd(
      check(lib.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0), "socket"),
    );
  }

  /** Binds to interface `ifindex` (0: all), receiving every protocol or none. */
  bind(ifindex: number, receive: boolean): void {
    const address = encodeSockaddrLl(receive ? ETH_P_ALL : 0, ifindex);
    check(libc().bind(this.fd, address, address.length), "bind");
  }

  /** Attaches a classic BPF program that runs on every frame in the kernel. */
  attachFilter(program: readonly BpfInstruction[]): void {
    const instructions = encodeSockFilters(program);
    const fprog = encodeSockFprog(instructions);
    this.#set(SOL_SOCKET, SO_ATTACH_FILTER, fprog, "SO_ATTACH_FILTER");
  }

  /** Asks for VLAN tags (PACKET_AUXDATA) and kernel timestamps on recvmsg(). */
  enableMetadata(): void {
    this.setInt(SOL_PACKET, PACKET_AUXDATA, 1, "PACKET_AUXDATA");
    this.setInt(SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
  }

  /** Puts `ifindex` in promiscuous mode for as long as this socket lives. */
  joinPromiscuous(ifindex: number): void {
    const mreq = encodePacketMreq(ifindex, PACKET_MR_PROMISC);
    this.#set(SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq, "PACKET_ADD_MEMBERSHIP");
  }

  /** Sends straight to the driver, past the qdisc (and other taps). */
  bypassQdisc(): void {
    this.setInt(SOL_PACKET, PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
  }

  /** Sets an int-valued socket option; `name` goes into the error. */
  setInt(level: number, option: number, value: number, name: string): void {
    this.#set(level, option, encodeInt(value), name);
  }

  /** Sets socket option `option` at `level` to `value`'s bytes. */
  setBytes(
    level: number,
    option: number,
    value: Uint8Array,
    name: string,
  ): void {
    this.#set(level, option, value, name);
  }

  /** Reads and resets the kernel's counters. */
  takeCounters(): PacketCounters {
    const raw = new Uint8Array(TPACKET_STATS.size);
    const view = new DataView(raw.buffer);
    this.#get(SOL_PACKET, PACKET_STATISTICS, raw, "PACKET_STATISTICS");
    return {
      packets: view.getUint32(TPACKET_STATS.packets, true),
      drops: view.getUint32(TPACKET_STATS.drops, true),
    };
  }

  /**
   * Reads and clears the socket's pending error (SO_ERROR), such as the
   * ENETDOWN the kernel sets when the interface goes down.
   *
   * @returns the error, or undefined when none is pending.
   */
  takeError(): OsError | undefined {
    const raw = new Uint8Array(4);
    this.#get(SOL_SOCKET, SO_ERROR, raw, "SO_ERROR");
    const code = new DataView(raw.buffer).getInt32(0, true);
    return code === 0 ? undefined : osError("socket error (SO_ERROR)", code);
  }

  /** Sends one whole frame. */
  send(frame: Uint8Array): void {
    if (this.#send(this.fd, frame, sizeOf(frame.length), 0) < 0) {
      throw osError("send", errno());
    }
  }

  /** Closes the descriptor. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    libc().close(this.fd);
  }

  #set(level: number, option: number, value: Uint8Array, name: string): void {
    check(
      libc().setsockopt(this.fd, level, option, value, value.length),
      `setsockopt(${name})`,
    );
  }

  #get(level: number, option: number, value: Uint8Array, name: string): void {
    const length = encodeInt(value.length);
    check(
      libc().getsockopt(this.fd, level, option, value, length),
      `getsockopt(${name})`,
    );
  }
}
