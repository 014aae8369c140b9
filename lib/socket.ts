/**
 * `RawSocket`: an AF_PACKET raw socket bound to one interface, to send
 * whole Ethernet frames and receive them with their metadata.
 *
 * Receiving never blocks the main thread: the socket is read with
 * MSG_DONTWAIT (or, with `ring: true`, from a TPACKET_V3 ring shared with
 * the kernel), and when it is empty we wait in `poll()` on Deno's blocking
 * pool, watching the socket and a wake-up eventfd, in slices of at most
 * 50 ms. Aborting, closing or a timeout therefore takes effect at once.
 *
 * Sending is one send() per frame, or sendMany(): sendmmsg() in batches of
 * 64, one FFI call per batch.
 *
 * @module
 */

import { errno, libc } from "../ffi/libc.ts";
import { BATCH_SIZE, MessageBatch } from "../ffi/message_batch.ts";
import { TxRing } from "../ffi/tx_ring.ts";
import { setIntOption, setOption } from "../ffi/socket_options.ts";
import {
  DEFAULT_RING,
  type RingFrame,
  type RingSize,
  RxRing,
} from "../ffi/rx_ring.ts";
import { check, EAGAIN, osError } from "../ffi/errno.ts";
import {
  AF_PACKET,
  ARPHRD_ETHER,
  ARPHRD_LOOPBACK,
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  ETH_P_ALL,
  MSG_DONTWAIT,
  MSG_TRUNC,
  PACKET_ADD_MEMBERSHIP,
  PACKET_AUXDATA,
  PACKET_MR_PROMISC,
  PACKET_QDISC_BYPASS,
  PACKET_STATISTICS,
  POLLIN,
  SCM_TIMESTAMPNS,
  SO_ATTACH_FILTER,
  SO_TIMESTAMPNS,
  SOCK_CLOEXEC,
  SOCK_RAW,
  SOL_PACKET,
  SOL_SOCKET,
  TP_STATUS_VLAN_TPID_VALID,
  TP_STATUS_VLAN_VALID,
} from "../ffi/constants.ts";
import {
  addressOf,
  cmsgAlign,
  CMSGHDR,
  encodeInt,
  encodePacketMreq,
  encodePollfds,
  encodeSockaddrLl,
  encodeSockFilters,
  encodeSockFprog,
  IOVEC,
  MSGHDR,
  SOCKADDR_LL,
  TIMESPEC,
  TPACKET_AUXDATA,
  TPACKET_STATS,
} from "../ffi/structs.ts";
import { type BpfInstruction, buildFilter, type Direction } from "./filters.ts";
import {
  ANY_INTERFACE,
  getInterface,
  interfaceName,
  interfaceNames,
  type NetworkInterface,
} from "./interfaces.ts";
import {
  HEADER_SIZE,
  macBytes,
  type MacInput,
  TPID_8021Q,
  VLAN_TAG_SIZE,
} from "./frame.ts";
import {
  FrameTooLargeError,
  InputError,
  InterfaceDownError,
  NoSuchInterfaceError,
  OsError,
  RawframeError,
} from "./errors.ts";

/** How the kernel classified a frame (`sll_pkttype`). */
export type PacketType =
  | "host"
  | "broadcast"
  | "multicast"
  | "otherhost"
  | "outgoing";

const PACKET_TYPES: readonly PacketType[] = [
  "host",
  "broadcast",
  "multicast",
  "otherhost",
  "outgoing",
];

/** A kernel timestamp: seconds since the epoch and nanoseconds. */
export interface Timestamp {
  /** Whole seconds since 1970-01-01 UTC. */
  seconds: number;
  /** Nanoseconds within the second. */
  nanoseconds: number;
}

/** A frame as received, with what the kernel knows about it. */
export interface ReceivedFrame {
  /** Name of the interface it was seen on. */
  iface: string;
  /** The frame's bytes, with any 802.1Q tag the kernel stripped put back. */
  bytes: Uint8Array;
  /** Its length on the wire (larger than `bytes` only if truncated). */
  length: number;
  /** Index of the interface it was seen on. */
  ifindex: number;
  /** How the kernel classified it. */
  pkttype: PacketType;
  /** `out` for frames this host sent, `in` for everything else. */
  direction: "in" | "out";
  /** When the kernel saw it. */
  timestamp: Timestamp;
}

/** Options of {@linkcode RawSocket.open}. */
export interface OpenOptions {
  /** Receive only frames of this EtherType (filtered in the kernel). */
  etherType?: number;
  /** Receive frames going `in`, `out` or `both` ways (default both). */
  direction?: Direction;
  /** Receive only frames from this source MAC (filtered in the kernel). */
  src?: MacInput;
  /** Receive only frames to this destination MAC (filtered in the kernel). */
  dst?: MacInput;
  /**
   * A classic BPF program that must also accept each frame, such as one
   * `compilePcapFilter` made from a tcpdump expression.
   */
  filter?: readonly BpfInstruction[];
  /**
   * Put the interface in promiscuous mode while the socket is open. It is
   * a membership of this socket: the kernel undoes it when the socket
   * closes, even if the process is killed.
   */
  promisc?: boolean;
  /**
   * Receive through a TPACKET_V3 ring mapped into memory (true, or its
   * geometry) instead of one recvmsg() per frame: no system call per
   * frame, kernel timestamps and VLAN tags from the ring headers, and
   * {@linkcode RawSocket.drain} to read frames without allocating.
   */
  ring?: boolean | RingSize;
  /**
   * Send sendMany()'s frames through a PACKET_TX_RING (TPACKET_V2) mapped
   * into memory: frames are written straight into slots the kernel reads.
   * Only for send-only sockets (`receive: false`).
   */
  txRing?: boolean;
  /**
   * PACKET_QDISC_BYPASS: hand frames straight to the driver. Faster, but
   * other capture sockets on this host (tcpdump, a rawframe listen) no
   * longer see the frames we send. Off by default.
   */
  qdiscBypass?: boolean;
  /**
   * Receive at all (default true). A send-only socket binds with protocol
   * 0, so the kernel queues nothing to it.
   */
  receive?: boolean;
}

/** Options of {@linkcode RawSocket.receive}. */
export interface ReceiveOptions {
  /** Give up after this many milliseconds and return null. */
  timeoutMs?: number;
  /** Abort the wait; receive() then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Kernel counters of a receiving socket (PACKET_STATISTICS). */
export interface SocketStats {
  /** Frames that passed the filter, including dropped ones. */
  packets: number;
  /** Frames the kernel dropped because the socket's queue was full. */
  drops: number;
}

/** Longest wait in one poll(), so a lost wake-up costs at most this. */
const POLL_SLICE_MS = 50;
/** Room for the largest frame (64 KiB on loopback) and then some. */
const RECEIVE_BUFFER_SIZE = 65536 + 64;
/** Room for the timestamp and auxdata control messages. */
const CONTROL_SIZE = 128;

/** What a socket holds that the kernel would keep if nobody closed it. */
interface Held {
  fds: number[];
  rings: { close(): void }[];
}

/** Releases sockets that were garbage-collected without close(). */
const leaked = new FinalizationRegistry<Held>(({ fds, rings }) => {
  for (const ring of rings) ring.close();
  for (const fd of fds) libc().close(fd);
});

/**
 * An AF_PACKET raw socket on one interface.
 *
 * @example Send "Hi" and wait up to a second for a frame
 * ```ts ignore
 * import { buildFrame, RawSocket } from "@rawframe/rawframe";
 *
 * using sock = RawSocket.open("eth0", { etherType: 0x88b5 });
 * sock.send(buildFrame({
 *   dst: "ff:ff:ff:ff:ff:ff",
 *   src: sock.interface.mac,
 *   type: 0x88b5,
 *   payload: "Hi",
 * }));
 * const frame = await sock.receive({ timeoutMs: 1000 });
 * console.log(frame?.bytes.length);
 * ```
 */
export class RawSocket {
  /** The interface the socket is bound to, as it was when opened. */
  readonly interface: NetworkInterface;
  #fd: number;
  #wakeFd: number;
  #closed = false;
  #polling: Promise<number> | undefined;
  #stats: SocketStats = { packets: 0, drops: 0 };
  // Receive state, allocated once; the msghdr holds these buffers' addresses.
  #buffer = new Uint8Array(RECEIVE_BUFFER_SIZE);
  #name = new Uint8Array(SOCKADDR_LL.size);
  #control = new Uint8Array(CONTROL_SIZE);
  #iovec = new Uint8Array(IOVEC.size);
  #msghdr = new Uint8Array(MSGHDR.size);
  #msg = new DataView(this.#msghdr.buffer);
  #nameView = new DataView(this.#name.buffer);
  #controlView = new DataView(this.#control.buffer);
  #pollfds: Uint8Array;
  /** eventfd's counter is a u64: writing 1 wakes poll(), reading resets it. */
  #wakeValue = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]);
  #drainValue = new Uint8Array(8);
  #names = new Map<number, string>();
  #ring: RxRing | undefined;
  #txRing: TxRing | undefined;
  #batch: MessageBatch | undefined;
  #send = libc().send;

  private constructor(
    iface: NetworkInterface,
    fd: number,
    wakeFd: number,
    ring?: RxRing,
    txRing?: TxRing,
  ) {
    this.interface = iface;
    this.#ring = ring;
    this.#txRing = txRing;
    this.#fd = fd;
    this.#wakeFd = wakeFd;
    this.#pollfds = encodePollfds([fd, wakeFd], POLLIN);
    const iov = new DataView(this.#iovec.buffer);
    iov.setBigUint64(IOVEC.base, addressOf(this.#buffer), true);
    iov.setBigUint64(IOVEC.len, BigInt(this.#buffer.length), true);
    this.#msg.setBigUint64(MSGHDR.name, addressOf(this.#name), true);
    this.#msg.setBigUint64(MSGHDR.iov, addressOf(this.#iovec), true);
    this.#msg.setBigUint64(MSGHDR.iovlen, 1n, true);
    this.#msg.setBigUint64(MSGHDR.control, addressOf(this.#control), true);
    leaked.register(this, {
      fds: wakeFd < 0 ? [fd] : [fd, wakeFd],
      rings: [ring, txRing].filter((r) => r !== undefined),
    }, this);
  }

  /**
   * Opens a raw socket on interface `name`. A receiving socket gets its
   * filter attached before it is bound, so no unfiltered frame is queued.
   *
   * @throws {NoSuchInterfaceError} {InterfaceDownError} {PermissionError}
   */
  static open(name: string, options: OpenOptions = {}): RawSocket {
    const iface = name === ANY_INTERFACE.name
      ? ANY_INTERFACE
      : getInterface(name);
    if (!iface.up) throw new InterfaceDownError(name);
    if (options.receive === false && iface.index === 0) {
      throw new InputError(`cannot send on "any": name one interface`);
    }
    if (options.promisc && iface.index === 0) {
      throw new InputError(
        `promiscuous mode needs one interface; "any" cannot be promiscuous`,
      );
    }
    const lib = libc();
    const receive = options.receive ?? true;
    // Protocol 0: the socket sees nothing until bind() names a protocol.
    const fd = check(
      lib.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0),
      "socket",
    );
    let wakeFd = -1;
    let ring: RxRing | undefined;
    let txRing: TxRing | undefined;
    if (options.txRing && receive) {
      throw new InputError(
        "txRing needs a send-only socket ({ receive: false })",
      );
    }
    try {
      if (receive) {
        const program = buildFilter({
          etherType: options.etherType,
          direction: options.direction,
          src: options.src === undefined ? undefined : macBytes(options.src),
          dst: options.dst === undefined ? undefined : macBytes(options.dst),
          program: options.filter,
        });
        if (program) {
          const fprog = encodeSockFprog(encodeSockFilters(program));
          setOption(
            fd,
            SOL_SOCKET,
            SO_ATTACH_FILTER,
            fprog,
            "SO_ATTACH_FILTER",
          );
        }
        // VLAN tags and kernel timestamps for recvmsg() (a ring has both).
        setIntOption(fd, SOL_PACKET, PACKET_AUXDATA, 1, "PACKET_AUXDATA");
        setIntOption(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
        wakeFd = check(lib.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
        if (options.ring) {
          ring = new RxRing(
            fd,
            options.ring === true ? DEFAULT_RING : options.ring,
          );
        }
      }
      if (options.qdiscBypass) {
        setIntOption(
          fd,
          SOL_PACKET,
          PACKET_QDISC_BYPASS,
          1,
          "PACKET_QDISC_BYPASS",
        );
      }
      if (options.txRing) {
        txRing = new TxRing(fd, iface.mtu + HEADER_SIZE + VLAN_TAG_SIZE);
      }
      const address = encodeSockaddrLl(receive ? ETH_P_ALL : 0, iface.index);
      check(lib.bind(fd, address, address.length), "bind");
      if (receive && options.promisc) {
        const mreq = encodePacketMreq(iface.index, PACKET_MR_PROMISC);
        setOption(
          fd,
          SOL_PACKET,
          PACKET_ADD_MEMBERSHIP,
          mreq,
          "PACKET_ADD_MEMBERSHIP",
        );
      }
    } catch (err) {
      ring?.close();
      txRing?.close();
      lib.close(fd);
      if (wakeFd >= 0) lib.close(wakeFd);
      throw explain(err, iface);
    }
    return new RawSocket(iface, fd, wakeFd, ring, txRing);
  }

  /** Whether close() has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The largest frame this interface takes: MTU plus the Ethernet header,
   * plus one 802.1Q tag when the frame carries one (the kernel's rule).
   */
  maxFrameSize(frame?: Uint8Array): number {
    // The kernel allows 4 bytes more only when the outer TPID is 0x8100
    // (packet_extra_vlan_len_allowed): QinQ gets no extra room.
    const tagged = frame !== undefined && frame.length >= HEADER_SIZE &&
      ((frame[12] << 8) | frame[13]) === TPID_8021Q;
    return this.interface.mtu + HEADER_SIZE + (tagged ? VLAN_TAG_SIZE : 0);
  }

  /**
   * Sends one whole frame (addresses and EtherType included) unchanged.
   *
   * @throws {FrameTooLargeError} before sending, if the frame exceeds
   *   {@linkcode RawSocket.maxFrameSize}.
   * @throws {InterfaceDownError} if the interface went down.
   */
  send(frame: Uint8Array): void {
    this.#assertOpen();
    if (this.interface.index === 0) {
      throw new InputError(`cannot send on "any": name one interface`);
    }
    const max = this.maxFrameSize(frame);
    if (frame.length > max) {
      throw new FrameTooLargeError(
        this.interface.name,
        frame.length,
        max,
        this.interface.mtu,
      );
    }
    if (this.#send(this.#fd, frame, sizeOf(frame.length), 0) < 0) {
      throw explain(osError("send", errno()), this.interface, frame);
    }
  }

  /**
   * Sends `frames[0..count)` with sendmmsg(), 64 to a call (or through the
   * TX ring, when opened with `txRing: true`): the fastest ways to send
   * many frames from JavaScript. Every frame is size-checked first,
   * so on a bad one nothing is sent.
   *
   * @returns how many were sent; fewer than `count` only if the kernel
   *   refused part way (an error is thrown if it refused the first).
   *
   * @example
   * ```ts ignore
   * const frames = Array.from({ length: 1000 }, () => frame);
   * sock.sendMany(frames);
   * ```
   */
  sendMany(
    frames: readonly Uint8Array[],
    count: number = frames.length,
  ): number {
    this.#assertOpen();
    if (this.interface.index === 0) {
      throw new InputError(`cannot send on "any": name one interface`);
    }
    for (let i = 0; i < count; i++) {
      const max = this.maxFrameSize(frames[i]);
      if (frames[i].length > max) {
        throw new FrameTooLargeError(
          this.interface.name,
          frames[i].length,
          max,
          this.interface.mtu,
        );
      }
    }
    const txRing = this.#txRing;
    if (txRing !== undefined) {
      for (let sent = 0; sent < count;) {
        const n = Math.min(txRing.slots, count - sent);
        try {
          txRing.send(this.#fd, frames, sent, n);
        } catch (err) {
          if (sent === 0) throw explain(err, this.interface, frames[0]);
          return sent;
        }
        sent += n;
      }
      return count;
    }
    this.#batch ??= new MessageBatch(this.maxFrameSize() + VLAN_TAG_SIZE);
    const batch = this.#batch;
    let sent = 0;
    while (sent < count) {
      const n = Math.min(BATCH_SIZE, count - sent);
      for (let i = 0; i < n; i++) batch.set(i, frames[sent + i]);
      let done: number;
      try {
        done = batch.send(this.#fd, n);
      } catch (err) {
        if (sent === 0) throw explain(err, this.interface, frames[0]);
        return sent;
      }
      sent += done;
      if (done < n) return sent;
    }
    return sent;
  }

  /**
   * Takes one frame if one is queued, without waiting.
   *
   * @returns The frame, or null when none is queued.
   */
  tryReceive(): ReceivedFrame | null {
    this.#assertOpen();
    this.#assertReceiving();
    if (this.#ring !== undefined) {
      for (let f; (f = this.#ring.next()) !== null;) {
        if (isEthernet(f.hatype)) return this.copyFrame(f);
      }
      return null;
    }
    const lib = libc();
    this.#msg.setUint32(MSGHDR.namelen, SOCKADDR_LL.size, true);
    this.#msg.setUint32(MSGHDR.controllen, CONTROL_SIZE, true);
    for (;;) {
      const n = Number(
        lib.recvmsg(this.#fd, this.#msghdr, MSG_DONTWAIT | MSG_TRUNC),
      );
      if (n < 0) {
        const code = errno();
        if (code === EAGAIN) return null;
        throw explain(osError("recvmsg", code), this.interface);
      }
      // On "any", links without an Ethernet header (tun, ppp) also show
      // up; they carry no Ethernet frame, so they are skipped.
      if (isEthernet(this.#nameView.getUint16(SOCKADDR_LL.hatype, true))) {
        return this.#decode(n);
      }
    }
  }

  /**
   * Sends `count` copies of one frame with sendmmsg(): the frame is copied
   * into the batch once, so the loop does no work per frame at all. The
   * fastest flood.
   *
   * @returns how many were sent (fewer only if the kernel refused part way).
   */
  sendRepeated(frame: Uint8Array, count: number): number {
    this.#assertOpen();
    if (count <= 0) return 0;
    if (this.#txRing !== undefined) {
      const copies = new Array<Uint8Array>(Math.min(count, this.#txRing.slots))
        .fill(frame);
      let sent = 0;
      while (sent < count) {
        const n = Math.min(copies.length, count - sent);
        const done = this.sendMany(copies, n);
        sent += done;
        if (done < n) break;
      }
      return sent;
    }
    this.sendMany([frame]); // checks the frame, sends the first copy
    const batch = this.#batch!;
    batch.fill(frame);
    let sent = 1;
    while (sent < count) {
      const n = Math.min(BATCH_SIZE, count - sent);
      let done: number;
      try {
        done = batch.send(this.#fd, n);
      } catch (err) {
        throw explain(err, this.interface, frame);
      }
      sent += done;
      if (done < n) break;
    }
    return sent;
  }

  /**
   * Visits, without waiting and without allocating, the frames the ring
   * holds (up to `limit`). Needs `ring: true`. Each {@linkcode RingFrame}
   * is valid only during its visit: read its fields, or copy it out with
   * `copyTo` or {@linkcode RawSocket.copyFrame}.
   *
   * @returns frames visited.
   *
   * @example Count frames as fast as they come
   * ```ts ignore
   * using sock = RawSocket.open("eth0", { ring: true });
   * let bytes = 0;
   * for (;;) {
   *   sock.drain((frame) => { bytes += frame.wireLength; });
   *   await sock.waitReadable({ timeoutMs: 100 });
   * }
   * ```
   */
  drain(visit: (frame: RingFrame) => void, limit: number = Infinity): number {
    this.#assertOpen();
    const ring = this.#ring;
    if (ring === undefined) {
      throw new RawframeError(
        "drain() needs a socket opened with { ring: true }",
      );
    }
    let visited = 0;
    while (visited < limit) {
      const frame = ring.next();
      if (frame === null) break;
      if (!isEthernet(frame.hatype)) continue;
      visit(frame);
      visited++;
    }
    return visited;
  }

  /** A ReceivedFrame copied out of a ring frame (which it outlives). */
  copyFrame(frame: RingFrame): ReceivedFrame {
    const bytes = new Uint8Array(frame.wireSize);
    frame.copyTo(bytes, 0);
    const pkttype = PACKET_TYPES[frame.pkttype] ?? "host";
    return {
      iface: this.#ifaceName(frame.ifindex),
      bytes,
      length: frame.wireLength,
      ifindex: frame.ifindex,
      pkttype,
      direction: pkttype === "outgoing" ? "out" : "in",
      timestamp: { seconds: frame.seconds, nanoseconds: frame.nanoseconds },
    };
  }

  /**
   * Waits until a frame may be ready to read, the timeout passes, or the
   * signal aborts (then it resolves, it does not reject).
   */
  async waitReadable(
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    this.#assertOpen();
    this.#assertReceiving();
    if (options.signal?.aborted || this.#ring?.ready) return;
    await this.#wait(
      Math.min(options.timeoutMs ?? POLL_SLICE_MS, POLL_SLICE_MS),
      options.signal,
    );
  }

  /**
   * Waits for the next frame.
   *
   * @returns The frame; null when `timeoutMs` passed first or the socket
   *   was closed while waiting.
   * @throws the signal's reason when `signal` aborts.
   */
  async receive(options: ReceiveOptions = {}): Promise<ReceivedFrame | null> {
    const { timeoutMs, signal } = options;
    const deadline = timeoutMs === undefined
      ? Infinity
      : Date.now() + timeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      if (this.#closed) return null;
      const frame = this.tryReceive();
      if (frame !== null) return frame;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await this.#wait(Math.min(left, POLL_SLICE_MS), signal);
    }
  }

  /**
   * Yields frames as they arrive, until `signal` aborts or the socket is
   * closed; then the loop simply ends.
   *
   * @example
   * ```ts ignore
   * import { RawSocket } from "@rawframe/rawframe";
   * using sock = RawSocket.open("eth0");
   * for await (const frame of sock.frames({ signal: AbortSignal.timeout(5000) })) {
   *   console.log(frame.direction, frame.bytes.length);
   * }
   * ```
   */
  async *frames(
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<ReceivedFrame, void, undefined> {
    const { signal } = options;
    while (!this.#closed && !signal?.aborted) {
      let frame: ReceivedFrame | null;
      try {
        frame = await this.receive({ signal });
      } catch (err) {
        if (signal?.aborted) return;
        throw err;
      }
      if (frame !== null) yield frame;
    }
  }

  /**
   * The kernel's counters since the socket opened: frames that passed the
   * filter and frames dropped because the queue was full.
   */
  stats(): SocketStats {
    if (!this.#closed && this.#wakeFd >= 0) {
      const raw = new Uint8Array(TPACKET_STATS.size);
      const length = encodeInt(raw.length);
      check(
        libc().getsockopt(this.#fd, SOL_PACKET, PACKET_STATISTICS, raw, length),
        "getsockopt(PACKET_STATISTICS)",
      );
      // The kernel resets its counters on every read: accumulate here.
      const view = new DataView(raw.buffer);
      this.#stats.packets += view.getUint32(TPACKET_STATS.packets, true);
      this.#stats.drops += view.getUint32(TPACKET_STATS.drops, true);
    }
    return { ...this.#stats };
  }

  /**
   * Closes the socket. Idempotent. A receive() waiting in poll() returns
   * null; its descriptors are released as soon as that poll() returns.
   */
  close(): void {
    if (this.#closed) return;
    this.stats(); // keep the final counters readable after close
    this.#closed = true;
    leaked.unregister(this);
    if (this.#polling) this.#wake();
    else this.#release();
  }

  /** Closes the socket, so `using sock = RawSocket.open(...)` works. */
  [Symbol.dispose](): void {
    this.close();
  }

  #release(): void {
    this.#ring?.close();
    this.#txRing?.close();
    const lib = libc();
    lib.close(this.#fd);
    if (this.#wakeFd >= 0) lib.close(this.#wakeFd);
  }

  async #wait(ms: number, signal?: AbortSignal): Promise<void> {
    const wake = (): void => this.#wake();
    signal?.addEventListener("abort", wake, { once: true });
    try {
      this.#polling = libc().poll(this.#pollfds, 2n, Math.ceil(ms));
      await this.#polling;
    } finally {
      this.#polling = undefined;
      signal?.removeEventListener("abort", wake);
      if (this.#closed) {
        this.#release();
      } else {
        // Reset the eventfd so the next poll() sleeps again.
        libc().read(this.#wakeFd, this.#drainValue, 8n);
      }
    }
  }

  /** Makes a pending poll() return now. */
  #wake(): void {
    libc().write(this.#wakeFd, this.#wakeValue, 8n);
  }

  /** The name of interface `index`, looked up once per index. */
  #ifaceName(index: number): string {
    if (index === this.interface.index) return this.interface.name;
    let name = this.#names.get(index);
    if (name === undefined) {
      name = interfaceName(index) ?? `if${index}`;
      this.#names.set(index, name);
    }
    return name;
  }

  #assertOpen(): void {
    if (this.#closed) throw new RawframeError("the socket is closed");
  }

  #assertReceiving(): void {
    if (this.#wakeFd < 0) {
      throw new RawframeError(
        "this socket was opened with { receive: false }",
      );
    }
  }

  /** Builds a ReceivedFrame from the `n` bytes recvmsg() reported. */
  #decode(n: number): ReceivedFrame {
    const captured = Math.min(n, this.#buffer.length);
    let seconds = 0;
    let nanoseconds = 0;
    let tag = -1; // TCI << 16 | TPID of a stripped tag, when there is one
    // size_t fields below hold small values: their low 32 bits suffice.
    const controlLength = this.#msg.getUint32(MSGHDR.controllen, true);
    const c = this.#controlView;
    for (let at = 0; at + CMSGHDR.size <= controlLength;) {
      const length = c.getUint32(at + CMSGHDR.len, true);
      const level = c.getInt32(at + CMSGHDR.level, true);
      const type = c.getInt32(at + CMSGHDR.type, true);
      const data = at + CMSGHDR.size;
      if (level === SOL_SOCKET && type === SCM_TIMESTAMPNS) {
        seconds = c.getUint32(data + TIMESPEC.sec, true) +
          c.getUint32(data + TIMESPEC.sec + 4, true) * 2 ** 32;
        nanoseconds = c.getUint32(data + TIMESPEC.nsec, true);
      } else if (level === SOL_PACKET && type === PACKET_AUXDATA) {
        const status = c.getUint32(data + TPACKET_AUXDATA.status, true);
        if (status & TP_STATUS_VLAN_VALID) {
          const tpid = status & TP_STATUS_VLAN_TPID_VALID
            ? c.getUint16(data + TPACKET_AUXDATA.vlanTpid, true)
            : TPID_8021Q;
          const tci = c.getUint16(data + TPACKET_AUXDATA.vlanTci, true);
          tag = tci * 0x10000 + tpid;
        }
      }
      if (length < CMSGHDR.size) break;
      at += cmsgAlign(length);
    }
    let bytes: Uint8Array;
    let length = n;
    if (tag >= 0 && captured >= 12) {
      // Put the tag the kernel moved into metadata back where it was.
      bytes = new Uint8Array(captured + VLAN_TAG_SIZE);
      bytes.set(this.#buffer.subarray(0, 12), 0);
      const view = new DataView(bytes.buffer);
      view.setUint16(12, tag & 0xffff);
      view.setUint16(14, tag >>> 16);
      bytes.set(this.#buffer.subarray(12, captured), 16);
      length += VLAN_TAG_SIZE;
    } else {
      bytes = this.#buffer.slice(0, captured);
    }
    const pkttype = PACKET_TYPES[this.#name[SOCKADDR_LL.pkttype]] ?? "host";
    const ifindex = this.#nameView.getInt32(SOCKADDR_LL.ifindex, true);
    return {
      iface: this.#ifaceName(ifindex),
      bytes,
      length,
      ifindex,
      pkttype,
      direction: pkttype === "outgoing" ? "out" : "in",
      timestamp: { seconds, nanoseconds },
    };
  }
}

/** Links that carry Ethernet headers (loopback does too). */
function isEthernet(hatype: number): boolean {
  return hatype === ARPHRD_ETHER || hatype === ARPHRD_LOOPBACK;
}

/** size_t arguments as bigint (Deno's fast path), made once per length. */
const SIZES: bigint[] = [];
function sizeOf(length: number): bigint {
  return SIZES[length] ??= BigInt(length);
}

/** Turns errno codes that have a clear meaning here into specific errors. */
function explain(
  err: unknown,
  iface: NetworkInterface,
  frame?: Uint8Array,
): unknown {
  if (!(err instanceof OsError)) return err;
  switch (err.code) {
    case "ENETDOWN":
      return new InterfaceDownError(iface.name);
    case "ENODEV":
    case "ENXIO":
      return new NoSuchInterfaceError(iface.name, interfaceNames());
    case "EMSGSIZE":
      if (frame) {
        const max = iface.mtu + HEADER_SIZE;
        return new FrameTooLargeError(iface.name, frame.length, max, iface.mtu);
      }
  }
  return err;
}
