/**
 * The times of a ping: when each request left and when its reply came,
 * read from the kernel where it can say (a transmit timestamp for the
 * request, the receive timestamp of the reply), so the round trip is
 * the wire's and the kernels' time, not the wake-ups of this process;
 * less the time the responder says it held the request. Pure.
 *
 * @module
 */

import { nanosecondsOf } from "./echo.ts";
import type { ReceivedFrame } from "./received_frame.ts";
import type { Timestamp, TransmitTimestamp } from "../contract/types.ts";

/** What the times of one reply came to. */
export interface ReplyTimes {
  /** The round trip less the responder's hold time, ms. */
  rttMs: number;
  /** From the request leaving to the reply arriving, ms. */
  roundTripMs: number;
  /** How long the responder held the request, ms; absent when it does not say. */
  holdMs?: number;
  /** Both ends of the round trip are the kernel's timestamps. */
  kernelTimes: boolean;
}

/** One request in flight. */
interface Probe {
  /** performance.now() when it was sent: for its timeout. */
  sentAt: number;
  /** The socket's number for the frame (transmit timestamps name it). */
  frame: number;
  /** The clock just before sending, ns; absent without a clock. */
  clockNs?: bigint;
  /** The kernel's transmit timestamp, ns, once known. */
  kernelNs?: bigint;
  /** Whether `kernelNs` is the driver's stamp (better than the queue's). */
  atDriver?: boolean;
}

/** The requests in flight, and the times of their replies. */
export class PingTimes {
  readonly #probes = new Map<number, Probe>(); // by sequence number
  readonly #bySocketFrame = new Map<number, number>(); // frame -> seq
  readonly #clock: (() => Timestamp) | undefined;
  readonly #takeStamps: (() => TransmitTimestamp[]) | undefined;
  #frames = 0;

  /**
   * Times for requests sent on a socket that gives `takeStamps` (its
   * transmit timestamps, when it has them) and whose received frames are
   * stamped on `clock`'s clock; without either, the times are the
   * process's own.
   */
  constructor(
    clock?: () => Timestamp,
    takeStamps?: () => TransmitTimestamp[],
  ) {
    this.#clock = clock;
    this.#takeStamps = takeStamps;
  }

  /** Requests still waiting for a reply. */
  get size(): number {
    return this.#probes.size;
  }

  /** When the oldest request in flight was sent (performance.now()). */
  get oldest(): number {
    let oldest = Infinity;
    for (const probe of this.#probes.values()) {
      oldest = Math.min(oldest, probe.sentAt);
    }
    return oldest;
  }

  /** Sends request `seq` with `send`, noting when it left. */
  send(seq: number, send: () => void): void {
    const clockNs = this.#clock && nanosecondsOf(this.#clock());
    const probe: Probe = { sentAt: performance.now(), frame: this.#frames };
    if (clockNs !== undefined) probe.clockNs = clockNs;
    send();
    this.#probes.set(seq, probe);
    this.#bySocketFrame.set(this.#frames++, seq);
    this.#collect();
  }

  /** The requests sent before `deadline` (performance.now()), forgotten. */
  expire(deadline: number): number[] {
    const lost: number[] = [];
    for (const [seq, probe] of this.#probes) {
      if (probe.sentAt > deadline) continue;
      this.#forget(seq, probe);
      lost.push(seq);
    }
    return lost;
  }

  /**
   * The times of `frame`, the reply to request `seq` (`held`: the
   * responder's stamps); undefined when `seq` is not in flight (late, or
   * a duplicate).
   */
  reply(
    seq: number,
    frame: ReceivedFrame,
    held?: { received: bigint; sent: bigint },
  ): ReplyTimes | undefined {
    this.#collect();
    const probe = this.#probes.get(seq);
    if (probe === undefined) return undefined;
    this.#forget(seq, probe);
    const arrived = frame.timestamp.seconds > 0 &&
        (probe.kernelNs ?? probe.clockNs) !== undefined
      ? nanosecondsOf(frame.timestamp)
      : undefined;
    const left = probe.kernelNs ?? probe.clockNs;
    const roundTripMs = arrived !== undefined && left !== undefined
      ? Number(arrived - left) / 1e6
      : performance.now() - probe.sentAt;
    const times: ReplyTimes = {
      rttMs: roundTripMs,
      roundTripMs,
      kernelTimes: arrived !== undefined && probe.kernelNs !== undefined,
    };
    if (held === undefined) return times;
    // A clock stepped under the responder could make nonsense: bound it.
    const holdMs = Math.min(
      roundTripMs,
      Math.max(0, Number(held.sent - held.received) / 1e6),
    );
    return { ...times, holdMs, rttMs: roundTripMs - holdMs };
  }

  #forget(seq: number, probe: Probe): void {
    this.#probes.delete(seq);
    this.#bySocketFrame.delete(probe.frame);
  }

  /** Takes the transmit timestamps the socket has, onto their probes. */
  #collect(): void {
    for (const stamp of this.#takeStamps?.() ?? []) {
      const seq = this.#bySocketFrame.get(stamp.frame);
      const probe = seq === undefined ? undefined : this.#probes.get(seq);
      if (probe === undefined || probe.atDriver) continue;
      probe.kernelNs = nanosecondsOf(stamp.timestamp);
      probe.atDriver = stamp.stage === "sent";
    }
  }
}
