/**
 * Types that several layers share: the kernel's view of a received frame,
 * timestamps, and classic BPF instructions.
 *
 * A leaf module: it imports nothing, uses no Deno API, and `ffi/` may
 * import it.
 *
 * @module
 */

/** How the kernel classified a frame (`sll_pkttype`). */
export type PacketType =
  | "host"
  | "broadcast"
  | "multicast"
  | "otherhost"
  | "outgoing";

/** The packet types by their kernel number (PACKET_HOST = 0 ... 4). */
export const PACKET_TYPES: readonly PacketType[] = [
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

/**
 * When the kernel sent a frame: a transmit timestamp (RawSocket option
 * `txTimestamps`). Each frame gets one when it enters the queueing layer
 * (`queued`) and one when the driver hands it to the device (`sent`; not
 * every driver gives one).
 */
export interface TransmitTimestamp {
  /** Which frame: the socket's frames are numbered from 0 as they are sent. */
  frame: number;
  /** Where in the kernel the frame was stamped. */
  stage: "queued" | "sent";
  /** The kernel's software clock (CLOCK_REALTIME) then. */
  timestamp: Timestamp;
}

/** Which frames a socket sees, by where they go. */
export type Direction = "in" | "out" | "both";

/** One classic BPF instruction (`struct sock_filter`). */
export interface BpfInstruction {
  /** Opcode: class | size | mode, or class | operation | source. */
  code: number;
  /** Jump offset when the test is true. */
  jt: number;
  /** Jump offset when the test is false. */
  jf: number;
  /** Constant operand. */
  k: number;
}

/**
 * A frame still in its source's memory (a socket's receive ring or
 * receive buffer, a capture file's read buffer), read without copying. It
 * is valid only during the visit that hands it out (a `FrameSource`'s
 * `drain`): read its fields, or copy its bytes with `copyTo`. No view of the underlying memory ever escapes, so a frame
 * kept after its visit describes whatever frame came later.
 */
export interface RingFrame {
  /** Bytes `copyTo` writes: the captured bytes, any restored tag included. */
  readonly capturedLength: number;
  /** Length on the wire, any restored tag included. */
  readonly length: number;
  /** Kernel timestamp: seconds since the epoch. */
  readonly seconds: number;
  /** Kernel timestamp: nanoseconds within the second. */
  readonly nanoseconds: number;
  /** How the kernel classified it; null when a capture file does not say. */
  readonly pkttype: PacketType | null;
  /** `out` for frames the host sent, `in` for the rest; null when unknown. */
  readonly direction: "in" | "out" | null;
  /**
   * Index of the interface it was seen on (in a pcapng file: the file's
   * interface number; -1 when the source does not say).
   */
  readonly ifindex: number;
  /**
   * What the bytes start with, as a capture file's link type: absent (or
   * 1) for Ethernet, 113 or 276 for a Linux cooked header. A socket's
   * frames are always Ethernet.
   */
  readonly linkType?: number;
  /**
   * Copies the frame, with any 802.1Q tag the kernel moved into metadata
   * put back, into `target` at `at`.
   *
   * @returns bytes written (`capturedLength`).
   */
  copyTo(target: Uint8Array, at: number): number;
}

/** Geometry of a TPACKET_V3 receive ring. */
export interface RingSize {
  /** Bytes per block: a power of two, at least one memory page (4096). */
  blockSize: number;
  /** Number of blocks. */
  blockCount: number;
  /** Milliseconds after which the kernel hands over a partly filled block. */
  blockTimeoutMs: number;
}

/** Options of `RawSocket.receive`. */
export interface ReceiveOptions {
  /** Give up after this many milliseconds and return null. @default no limit */
  timeoutMs?: number;
  /** Abort the wait: the promise rejects with `signal.reason`. @default none */
  signal?: AbortSignal;
}

/** Options of `RawSocket.waitReadable`. */
export interface WaitOptions {
  /** Wait at most this many milliseconds (no more than 50). @default 50 */
  timeoutMs?: number;
  /** Abort the wait: the promise rejects with `signal.reason`. @default none */
  signal?: AbortSignal;
  /**
   * Wait in poll() on this thread, not on Deno's blocking pool: a frame
   * is seen about 0.15 ms sooner (measured on a veth pair), but the
   * event loop (timers, signals) waits too, so keep `timeoutMs` short.
   * For a responder that does nothing else. @default false
   */
  blocking?: boolean;
}

/** Kernel counters of a receiving socket (PACKET_STATISTICS). */
export interface SocketStats {
  /** Frames that passed the filter, including dropped ones. */
  packets: number;
  /** Frames the kernel dropped because the socket's queue was full. */
  drops: number;
}
