/**
 * `RawSocket`: an AF_PACKET raw socket bound to one interface, to send
 * whole Ethernet frames and receive them with their metadata. It is made
 * of parts chosen once, when it opens: a receive path (recvmsg, or a
 * TPACKET_V3 ring) and a send path (sendmmsg, or a TX ring); each method
 * is a short call into one of them, and every failure passes through one
 * explanation (socket_errors.ts).
 *
 * Receiving never blocks the main thread: when nothing is queued we wait
 * in `poll()` on Deno's blocking pool, watching the socket and a wake-up
 * eventfd, in slices of at most 50 ms, so an abort, a close or a timeout
 * takes effect at once.
 *
 * @module
 */

import type { Receiver } from "./receiver.ts";
import type { FrameSender } from "./sender.ts";
import {
  type OpenOptions,
  planSocket,
  RECEIVE_OPTION_TYPES,
} from "./open_options.ts";
import { openParts, type Parts } from "./socket_parts.ts";
import {
  ANY_INTERFACE,
  getInterface,
  interfaceName,
  type NetworkInterface,
} from "./interfaces.ts";
import { copyReceived, type ReceivedFrame } from "./received_frame.ts";
import { assertFits, maxFrameSize } from "./frame_size.ts";
import { explainSocketError } from "./socket_errors.ts";
import type {
  ReceiveOptions,
  RingFrame,
  SocketStats,
  TransmitTimestamp,
} from "../contract/types.ts";

import { checkOptions } from "./option_check.ts";
export type { ReceiveOptions, SocketStats } from "../contract/types.ts";

import {
  InputError,
  InterfaceDownError,
  RawframeError,
  SocketClosedError,
} from "./errors.ts";

/** Longest wait in one poll(), so a lost wake-up costs at most this. */
export const POLL_SLICE_MS = 50;

/**
 * A socket's receive path, for the capture module's zero-copy calls
 * (socket_source.ts); not part of RawSocket's API.
 */
export interface Receiving {
  /** The receive path; throws when the socket is closed or cannot receive. */
  receiver(): Receiver;
  /** Waits on it, releasing the socket if it was closed meanwhile. */
  wait(receiver: Receiver, ms: number, signal?: AbortSignal): Promise<void>;
}

let receivingOf: (sock: RawSocket) => Receiving;

/** The receive path of `sock`, for socket_source.ts. */
export function receivingOfSocket(sock: RawSocket): Receiving {
  return receivingOf(sock);
}

/** Releases sockets that were garbage-collected without close(). */
const leaked = new FinalizationRegistry<Parts>((parts) => parts.close());

/**
 * An AF_PACKET raw socket on one interface.
 *
 * Aborting follows one rule, as in Deno std: a pending promise (`receive`,
 * `waitReadable`, the next step of `frames` or of `for await`) rejects
 * with `signal.reason`. Closing the socket instead ends waits quietly:
 * `receive` resolves null and iteration ends.
 *
 * @example Send "Hi" and print frames for five seconds
 * ```ts ignore
 * import { buildFrame, parseFrame, RawSocket } from "@rawframe/rawframe";
 *
 * using sock = RawSocket.open("eth0", { etherType: 0x88b5 });
 * sock.send(buildFrame({
 *   dst: "ff:ff:ff:ff:ff:ff",
 *   src: sock.interface.mac,
 *   type: 0x88b5,
 *   payload: "Hi",
 * }));
 * setTimeout(() => sock.close(), 5000);
 * for await (const frame of sock) {
 *   console.log(frame.direction, parseFrame(frame.bytes).src, frame.length);
 * }
 * ```
 */
export class RawSocket implements AsyncIterable<ReceivedFrame>, Disposable {
  /** The interface the socket is bound to, as it was when opened. */
  readonly interface: NetworkInterface;
  readonly #parts: Parts;
  readonly #names = new Map<number, string>();
  #stats: SocketStats = { packets: 0, drops: 0 };
  #closed = false;

  private constructor(iface: NetworkInterface, parts: Parts) {
    this.interface = iface;
    this.#parts = parts;
    leaked.register(this, parts, this);
  }

  /**
   * Opens a raw socket on interface `name` (`any`: every interface, to
   * receive only). Every option is checked before any system call, and
   * everything opened is closed again if a later step fails. A receiving
   * socket gets its filter attached before it is bound, so no unfiltered
   * frame is ever queued.
   *
   * @throws {InputError} for an invalid option.
   * @throws {NoSuchInterfaceError} {InterfaceDownError} {PermissionError}
   */
  static open(name: string, options: OpenOptions = {}): RawSocket {
    const plan = planSocket(name, options);
    const iface = name === ANY_INTERFACE.name
      ? ANY_INTERFACE
      : getInterface(name);
    if (!iface.up) throw new InterfaceDownError(name);
    try {
      return new RawSocket(iface, openParts(iface, plan));
    } catch (err) {
      throw explainSocketError(err, iface);
    }
  }

  /** Whether close() has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The largest frame this interface takes: MTU plus the Ethernet header,
   * plus one 802.1Q tag when `frame` carries one (the kernel's rule).
   */
  maxFrameSize(frame?: Uint8Array): number {
    return maxFrameSize(this.interface, frame);
  }

  /**
   * Sends one whole frame (addresses and EtherType included) unchanged.
   *
   * @throws {FrameTooLargeError} before sending, if the frame exceeds
   *   {@linkcode RawSocket.maxFrameSize}.
   * @throws {InterfaceDownError} if the interface went down.
   */
  send(frame: Uint8Array): void {
    const sender = this.#sender();
    assertFits(this.interface, frame);
    try {
      sender.sendOne(frame);
    } catch (err) {
      throw explainSocketError(err, this.interface, frame);
    }
  }

  /**
   * Sends `frames[0..count)` with sendmmsg(), 64 to a call (or through the
   * TX ring, when opened with `txRing: true`): the fastest ways to send
   * many frames from JavaScript. Every frame is size-checked first, so on
   * a bad one nothing is sent.
   *
   * @returns how many were sent; fewer than `count` only if the kernel
   *   refused part way (the next call throws why).
   *
   * @example
   * ```ts ignore
   * import { buildFrame, RawSocket } from "@rawframe/rawframe";
   * using sock = RawSocket.open("eth0", { receive: false });
   * const { mac } = sock.interface;
   * const frame = buildFrame({ dst: mac, src: mac, type: 0x88b5 });
   * const frames = Array.from({ length: 1000 }, () => frame);
   * sock.sendMany(frames);
   * ```
   */
  sendMany(
    frames: readonly Uint8Array[],
    count: number = frames.length,
  ): number {
    const sender = this.#sender();
    for (let i = 0; i < count; i++) assertFits(this.interface, frames[i]);
    try {
      return sender.sendMany(frames, count);
    } catch (err) {
      throw explainSocketError(err, this.interface, frames[0]);
    }
  }

  /**
   * Sends `count` copies of one frame: it is copied into the batch (or
   * ring) once, so the loop does no work per frame at all. The fastest
   * flood.
   *
   * @returns how many were sent (fewer only if the kernel refused part way).
   */
  sendRepeated(frame: Uint8Array, count: number): number {
    const sender = this.#sender();
    if (count <= 0) return 0;
    assertFits(this.interface, frame);
    try {
      return sender.sendRepeated(frame, count);
    } catch (err) {
      throw explainSocketError(err, this.interface, frame);
    }
  }

  /**
   * Takes one frame if one is queued, without waiting.
   *
   * @returns The frame, or null when none is queued.
   */
  tryReceive(): ReceivedFrame | null {
    const frame = this.#receiver().next();
    return frame === null ? null : this.#copy(frame);
  }

  /** A {@linkcode ReceivedFrame} copied out of `frame`, which it outlives. */
  #copy(frame: RingFrame): ReceivedFrame {
    return copyReceived(frame, this.interfaceNameOf(frame.ifindex));
  }

  /**
   * The name of interface `index` (a frame on `any` carries only its
   * index), looked up once per index; `if<index>` for one that is gone.
   */
  interfaceNameOf(index: number): string {
    if (index === this.interface.index) return this.interface.name;
    let name = this.#names.get(index);
    if (name === undefined) {
      name = interfaceName(index) ?? `if${index}`;
      this.#names.set(index, name);
    }
    return name;
  }

  /**
   * Waits for the next frame.
   *
   * @returns The frame; null when `timeoutMs` passed first or the socket
   *   was closed while waiting.
   * @throws `signal.reason` when the signal aborts.
   */
  async receive(options: ReceiveOptions = {}): Promise<ReceivedFrame | null> {
    checkOptions("RawSocket.receive", options, RECEIVE_OPTION_TYPES);
    const { timeoutMs, signal } = options;
    const deadline = performance.now() + (timeoutMs ?? Infinity);
    for (;;) {
      signal?.throwIfAborted();
      if (this.#closed) return null;
      const frame = this.tryReceive();
      if (frame !== null) return frame;
      const left = deadline - performance.now();
      if (left <= 0) return null;
      await this.#wait(this.#receiver(), Math.min(left, POLL_SLICE_MS), signal);
    }
  }

  /**
   * Yields frames as they arrive until the socket is closed.
   *
   * @throws `signal.reason` when the signal aborts.
   *
   * @example
   * ```ts ignore
   * import { RawSocket } from "@rawframe/rawframe";
   * using sock = RawSocket.open("eth0");
   * const signal = AbortSignal.timeout(5000);
   * try {
   *   for await (const frame of sock.frames({ signal })) {
   *     console.log(frame.direction, frame.bytes.length);
   *   }
   * } catch (err) {
   *   if (err !== signal.reason) throw err;
   * }
   * ```
   */
  async *frames(
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<ReceivedFrame, void, undefined> {
    checkOptions("RawSocket.frames", options, { signal: "AbortSignal" });
    for (;;) {
      const frame = await this.receive(options);
      if (frame !== null) yield frame;
      else if (this.#closed) return;
    }
  }

  /** `for await (const frame of sock)`: {@linkcode RawSocket.frames}. */
  [Symbol.asyncIterator](): AsyncGenerator<ReceivedFrame, void, undefined> {
    return this.frames();
  }

  /**
   * The transmit timestamps of frames sent since the last call, oldest
   * first (see {@linkcode TransmitTimestamp}); a socket opened with
   * `txTimestamps: true` only.
   *
   * @throws {InputError} when the socket was opened without them.
   */
  transmitTimestamps(): TransmitTimestamp[] {
    const stamps = this.#parts.stamps;
    if (stamps === undefined) {
      throw new InputError("open the socket with { txTimestamps: true }");
    }
    return this.#closed ? [] : stamps.take();
  }

  /**
   * The kernel's counters since the socket opened: frames that passed the
   * filter and frames dropped because the queue was full. Still readable
   * after close(). A send-only socket counts nothing.
   */
  stats(): SocketStats {
    if (!this.#closed && this.#parts.receiver !== undefined) {
      // The kernel resets its counters on every read: accumulate here.
      const { packets, drops } = this.#parts.socket.takeCounters();
      this.#stats.packets += packets;
      this.#stats.drops += drops;
    }
    return { ...this.#stats };
  }

  /**
   * Closes the socket. Idempotent. A receive() waiting in poll() returns
   * null; the descriptors are released as soon as that poll() returns.
   */
  close(): void {
    if (this.#closed) return;
    this.stats(); // keep the final counters readable after close
    this.#closed = true;
    leaked.unregister(this);
    const receiver = this.#parts.receiver;
    if (receiver?.waiting) receiver.wake(); // #wait releases the parts
    else this.#parts.close();
  }

  /** Closes the socket, so `using sock = RawSocket.open(...)` works. */
  [Symbol.dispose](): void {
    this.close();
  }

  async #wait(
    receiver: Receiver,
    ms: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    try {
      await receiver.wait(ms, signal);
    } finally {
      if (this.#closed && !receiver.waiting) this.#parts.close();
    }
  }

  static {
    receivingOf = (sock) => ({
      receiver: () => sock.#receiver(),
      wait: (receiver, ms, signal) => sock.#wait(receiver, ms, signal),
    });
  }

  #sender(): FrameSender {
    if (this.#closed) throw new SocketClosedError();
    const sender = this.#parts.sender;
    if (sender === undefined) {
      throw new InputError(`cannot send on "any": name one interface`);
    }
    return sender;
  }

  #receiver(): Receiver {
    if (this.#closed) throw new SocketClosedError();
    const receiver = this.#parts.receiver;
    if (receiver === undefined) {
      throw new RawframeError("this socket was opened with { receive: false }");
    }
    return receiver;
  }
}
