/**
 * The options of `RawSocket.open`, their defaults, and the check that runs
 * before any system call: every option is validated and turned into a
 * plain plan of what to set up.
 *
 * @module
 */

import type { BpfInstruction, Direction, RingSize } from "../contract/types.ts";
import { macBytes, type MacInput, packEtherType } from "./frame.ts";
import { buildFilter } from "./bpf.ts";
import { PAGE_SIZE } from "../contract/limits.ts";
import { InputError } from "./errors.ts";
import { checkOptions, type OptionSpec } from "./option_check.ts";

export type { RingSize };

/** Options of `RawSocket.open`. */
export interface OpenOptions {
  /**
   * Receive only frames of this EtherType (after any VLAN tags), filtered
   * in the kernel. @default every EtherType
   */
  etherType?: number;
  /** Receive frames going `in`, `out` or `both` ways. @default "both" */
  direction?: Direction;
  /** Receive only frames from this source MAC. @default any source */
  src?: MacInput;
  /** Receive only frames to this destination MAC. @default any destination */
  dst?: MacInput;
  /**
   * A classic BPF program that must also accept each frame, such as one
   * `compilePcapFilter` made from a tcpdump expression. @default none
   */
  filter?: readonly BpfInstruction[];
  /**
   * Put the interface in promiscuous mode while the socket is open. It is
   * a membership of this socket: the kernel undoes it when the socket
   * closes, even if the process is killed. @default false
   */
  promisc?: boolean;
  /**
   * Receive through a TPACKET_V3 ring mapped into memory (true for
   * {@linkcode DEFAULT_RING}, or a geometry) instead of one recvmsg() per
   * frame: no system call per frame. @default false
   */
  ring?: boolean | RingSize;
  /**
   * Send `sendMany()`'s frames through a PACKET_TX_RING (TPACKET_V2)
   * mapped into memory. Only for send-only sockets (`receive: false`).
   * @default false
   */
  txRing?: boolean;
  /**
   * PACKET_QDISC_BYPASS: hand frames straight to the driver. Faster, but
   * other capture sockets on this host (tcpdump, a rawframe listen) no
   * longer see the frames we send. @default false
   */
  qdiscBypass?: boolean;
  /**
   * Receive at all. A send-only socket binds with protocol 0, so the
   * kernel queues nothing to it. @default true
   */
  receive?: boolean;
  /**
   * Ask the kernel for a transmit timestamp of every frame sent (software
   * stamps, SO_TIMESTAMPING), read with `transmitTimestamps()`.
   * @default false
   */
  txTimestamps?: boolean;
}

/** 4 MiB in 16 blocks, handed over after at most 2 ms. */
export const DEFAULT_RING: Readonly<RingSize> = Object.freeze({
  blockSize: 1 << 18,
  blockCount: 16,
  blockTimeoutMs: 2,
});

/** What `RawSocket.open` sets up, decided before any system call. */
export interface SocketPlan {
  /** Bind to receive frames. */
  receive: boolean;
  /** Send through a TX ring instead of sendmmsg. */
  txRing: boolean;
  /** Set PACKET_QDISC_BYPASS. */
  qdiscBypass: boolean;
  /** Join promiscuous mode. */
  promisc: boolean;
  /** The filter to attach, if any. */
  program?: BpfInstruction[];
  /** The receive ring's geometry; absent: recvmsg(). */
  ring?: RingSize;
  /** Turn transmit timestamps on. */
  txTimestamps: boolean;
}

/** Options that mean something only on a receiving socket. */
const RECEIVE_ONLY = [
  "etherType",
  "direction",
  "src",
  "dst",
  "filter",
  "promisc",
  "ring",
] as const;

/** The types of {@linkcode OpenOptions}, checked at run time. */
const OPEN_OPTION_TYPES: OptionSpec = {
  etherType: "number",
  direction: "string",
  src: ["string", "Uint8Array"],
  dst: ["string", "Uint8Array"],
  filter: "array",
  promisc: "boolean",
  ring: ["boolean", "object"],
  txRing: "boolean",
  qdiscBypass: "boolean",
  receive: "boolean",
  txTimestamps: "boolean",
};

/** The types of {@linkcode RingSize}. */
const RING_TYPES: OptionSpec = {
  blockSize: "number",
  blockCount: "number",
  blockTimeoutMs: "number",
};

/** The types of `RawSocket.receive`'s and `SocketSource.waitReadable`'s options. */
export const RECEIVE_OPTION_TYPES: OptionSpec = {
  timeoutMs: "number",
  signal: "AbortSignal",
};
/** The same, and `blocking`. */
export const WAIT_OPTION_TYPES: OptionSpec = {
  ...RECEIVE_OPTION_TYPES,
  blocking: "boolean",
};

/** Longest program the kernel accepts (BPF_MAXINSNS). */
const MAX_PROGRAM = 4096;

/**
 * Checks every option of opening a socket on interface `name` and plans
 * what to set up.
 *
 * @throws {InputError} naming the first option that is wrong.
 */
export function planSocket(name: string, options: OpenOptions): SocketPlan {
  if (typeof name !== "string") {
    throw new InputError(`an interface name is a string, not ${typeof name}`);
  }
  checkOptions("RawSocket.open", options, OPEN_OPTION_TYPES);
  if (typeof options.ring === "object") {
    checkOptions("RawSocket.open ring", options.ring, RING_TYPES);
  }
  const receive = options.receive ?? true;
  const any = name === "any";
  if (!receive) {
    const given = RECEIVE_ONLY.find((key) => options[key] !== undefined);
    if (given) throw new InputError(`${given} needs a receiving socket`);
    if (any) throw new InputError(`cannot send on "any": name one interface`);
  }
  if (options.txRing && receive) {
    throw new InputError(
      "txRing needs a send-only socket ({ receive: false })",
    );
  }
  if (options.txTimestamps && any) {
    throw new InputError(`cannot send on "any", so no transmit timestamps`);
  }
  if (options.promisc && any) {
    throw new InputError(
      `promiscuous mode needs one interface; "any" cannot be promiscuous`,
    );
  }
  return {
    receive,
    txRing: options.txRing === true,
    qdiscBypass: options.qdiscBypass === true,
    promisc: options.promisc === true,
    txTimestamps: options.txTimestamps === true,
    ...(receive ? receivePlan(options) : {}),
  };
}

function receivePlan(
  options: OpenOptions,
): Pick<SocketPlan, "program" | "ring"> {
  const { etherType, direction = "both", filter, ring } = options;
  if (etherType !== undefined) packEtherType(etherType); // validates
  if (!["in", "out", "both"].includes(direction)) {
    throw new InputError(
      `invalid direction ${JSON.stringify(direction)}: give in, out or both`,
    );
  }
  if (filter !== undefined) checkProgram(filter);
  const program = buildFilter({
    etherType,
    direction,
    src: options.src === undefined ? undefined : macBytes(options.src),
    dst: options.dst === undefined ? undefined : macBytes(options.dst),
    program: filter,
  });
  if (program !== undefined && program.length > MAX_PROGRAM) {
    throw new InputError(
      `the filter has ${program.length} BPF instructions; the kernel takes at most ${MAX_PROGRAM} in a socket filter (BPF_MAXINSNS)`,
    );
  }
  return {
    ...(program ? { program } : {}),
    ...(ring
      ? { ring: checkRingSize(ring === true ? DEFAULT_RING : ring) }
      : {}),
  };
}

/** Checks that every instruction's fields fit `struct sock_filter`. */
function checkProgram(program: readonly BpfInstruction[]): void {
  const fits = (value: number, min: number, max: number): boolean =>
    Number.isInteger(value) && value >= min && value <= max;
  program.forEach(({ code, jt, jf, k }, i) => {
    // k is a u32; a negative int32 stands for the same bits.
    if (
      !fits(code, 0, 0xffff) || !fits(jt, 0, 0xff) || !fits(jf, 0, 0xff) ||
      !fits(k, -(2 ** 31), 0xffffffff)
    ) {
      throw new InputError(
        `invalid filter instruction ${i}: ${
          JSON.stringify({ code, jt, jf, k })
        }`,
      );
    }
  });
}

/**
 * Checks a receive ring's geometry before any system call, as gopacket's
 * `options.check()` does.
 *
 * @returns the geometry, unchanged.
 * @throws {InputError} saying which field is wrong and what it must be.
 */
export function checkRingSize(size: RingSize): RingSize {
  const { blockSize, blockCount, blockTimeoutMs } = size;
  const isPowerOfTwo = Number.isInteger(blockSize) && blockSize > 0 &&
    (blockSize & (blockSize - 1)) === 0;
  if (!isPowerOfTwo || blockSize < PAGE_SIZE || blockSize > 2 ** 30) {
    throw new InputError(
      `invalid ring: blockSize ${blockSize} must be a power of two from ${PAGE_SIZE} to 2^30 bytes`,
    );
  }
  if (!Number.isInteger(blockCount) || blockCount < 1) {
    throw new InputError(
      `invalid ring: blockCount ${blockCount} must be a whole number of at least 1`,
    );
  }
  if (blockSize * blockCount > 2 ** 32 - 1) {
    throw new InputError(
      `invalid ring: ${blockSize} × ${blockCount} bytes is more than the kernel maps (4 GiB)`,
    );
  }
  if (
    !Number.isInteger(blockTimeoutMs) || blockTimeoutMs < 0 ||
    blockTimeoutMs > 60_000
  ) {
    throw new InputError(
      `invalid ring: blockTimeoutMs ${blockTimeoutMs} must be a whole number from 0 (the kernel's choice) to 60000`,
    );
  }
  return size;
}
