/**
 * The layer-2 ping: send echo requests (see echo.ts) and match the replies
 * by identifier and sequence number, with round-trip times from the
 * kernel's timestamps less the responder's hold time (see ping_times.ts).
 * Also the echo protocol itself, for responders.
 *
 * @module
 */

import { checkOptions, type OptionSpec } from "./option_check.ts";
import {
  buildFrame,
  formatMac,
  HEADER_SIZE,
  macBytes,
  type MacInput,
  parseFrame,
} from "./frame.ts";
import {
  ECHO_ETHERTYPE,
  ECHO_STAMPED_SIZE,
  encodeEcho,
  parseEcho,
} from "./echo.ts";
import { yieldToEventLoop } from "./delay.ts";
import type { ReceivedFrame } from "./received_frame.ts";
import { PingTimes, type ReplyTimes } from "./ping_times.ts";
import { InputError } from "./errors.ts";
import type { Timestamp, TransmitTimestamp } from "../contract/types.ts";

export type { ReplyTimes } from "./ping_times.ts";
export type {
  PacketType,
  Timestamp,
  TransmitTimestamp,
} from "../contract/types.ts";
export type { MacInput } from "./frame.ts";
export type { CapturedFrame, ReceivedFrame } from "./received_frame.ts";

export {
  type Echo,
  ECHO_ETHERTYPE,
  ECHO_HEADER_SIZE,
  ECHO_MAGIC,
  ECHO_STAMPED_SIZE,
  echoReply,
  encodeEcho,
  nanosecondsOf,
  parseEcho,
  type ResponderStamps,
} from "./echo.ts";

/** What ping needs of a socket: a RawSocket, or a fake in tests. */
export interface PingTransport {
  /** The interface: its MAC is the requests' source. */
  readonly interface: { readonly mac: string };
  /** Sends one frame. */
  send(frame: Uint8Array): void;
  /** Waits for a frame; rejects with `signal.reason` on abort. */
  receive(
    options: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<ReceivedFrame | null>;
  /**
   * The kernel's transmit timestamps of the frames sent so far (a
   * RawSocket opened with `txTimestamps: true`). Stamps name frames by
   * number, so ping must be the only sender on the socket. @default none
   */
  transmitTimestamps?(): TransmitTimestamp[];
}

/** Options of {@linkcode ping}. */
export interface PingOptions {
  /** Whom to ping. */
  dst: MacInput;
  /** EtherType of the echo frames. @default 0x88b5 */
  etherType?: number;
  /** Requests to send. @default Infinity: until aborted */
  count?: number;
  /** Milliseconds between requests. @default 1000 */
  intervalMs?: number;
  /** Milliseconds to wait for each reply. @default 1000 */
  timeoutMs?: number;
  /** Identifier of this pinger. @default random */
  id?: number;
  /**
   * Bytes of each request's payload after the Ethernet header, the echo
   * header included (so at least {@linkcode ECHO_STAMPED_SIZE}), as
   * iputils ping's `-s`. @default 46: a 60-byte frame
   */
  size?: number;
  /**
   * The clock received frames are stamped on (`wallClock`), read just
   * before each request when the kernel gives no transmit timestamp.
   * @default none: such times are the process's own
   */
  clock?: () => Timestamp;
  /** Stops pinging: the pending step rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A reply to one of our requests, with its times (see ping_times.ts). */
export interface PingReply extends ReplyTimes {
  /** What happened. */
  kind: "reply";
  /** Sequence number, from 1. */
  seq: number;
  /** Who answered. */
  from: string;
  /** Size of the reply frame. */
  bytes: number;
}

/** A request went out, or what became of one. */
export type PingEvent =
  | { kind: "sent"; seq: number }
  | PingReply
  | { kind: "lost"; seq: number };

/** The types of {@linkcode PingOptions}, checked at run time. */
const PING_OPTION_TYPES: OptionSpec = {
  dst: ["string", "Uint8Array"],
  etherType: "number",
  count: "number",
  intervalMs: "number",
  timeoutMs: "number",
  id: "number",
  size: "number",
  clock: "function",
  signal: "AbortSignal",
};

/** How long pinging may go on before it lets signals (Ctrl-C) through. */
const YIELD_EVERY_MS = 50;

/**
 * Pings `options.dst` through `transport` (a RawSocket opened on the
 * interface, receiving, with `txTimestamps: true` for kernel times),
 * yielding an event as each request goes out and one when its reply
 * comes or its timeout passes. A reply's `rttMs` is the round trip from
 * the kernel's stamp of the request leaving to its stamp of the reply
 * arriving, less the time the responder says it held the request.
 *
 * @throws `signal.reason` (from the pending step) when the signal aborts.
 *
 * @example
 * ```ts ignore
 * import { RawSocket, wallClock } from "@rawframe/rawframe";
 * import { ping } from "@rawframe/rawframe/ping";
 * using sock = RawSocket.open("eth0", {
 *   etherType: 0x88b5,
 *   direction: "in",
 *   txTimestamps: true,
 * });
 * const options = { dst: "02:00:00:00:00:02", count: 3, clock: wallClock };
 * for await (const event of ping(sock, options)) console.log(event);
 * ```
 */
export async function* ping(
  transport: PingTransport,
  options: PingOptions,
): AsyncGenerator<PingEvent, void, undefined> {
  checkOptions("ping", options, PING_OPTION_TYPES);
  const { count = Infinity, intervalMs = 1000, timeoutMs = 1000, signal } =
    options;
  const echo = echoExchange(transport, options);
  const times = new PingTimes(options.clock, transmitStamps(transport));
  let seq = 0;
  let nextSend = performance.now();
  let yielded = nextSend;
  for (;;) {
    const now = performance.now();
    if (seq < count && now >= nextSend) {
      const request = echo.request(++seq, now);
      times.send(seq, () => transport.send(request));
      nextSend += intervalMs;
      yield { kind: "sent", seq };
    }
    for (const lost of times.expire(now - timeoutMs)) {
      yield { kind: "lost", seq: lost };
    }
    if (seq >= count && times.size === 0) return;
    if (now - yielded > YIELD_EVERY_MS) { // never waiting: let signals in
      await yieldToEventLoop({ signal });
      yielded = performance.now();
    }
    const wake = Math.min(
      seq < count ? nextSend : Infinity,
      times.oldest + timeoutMs,
    );
    const asked = performance.now();
    const frame = await transport.receive({
      timeoutMs: Math.max(0, wake - performance.now()),
      signal,
    });
    // A receive of a millisecond or more waited in poll(), a turn of the
    // event loop (signals were handled); a quicker one may not have.
    if (performance.now() - asked >= 1) yielded = performance.now();
    const reply = frame && echo.reply(frame);
    const timed = reply && times.reply(reply.seq, frame, reply.held);
    if (!reply || !timed) continue; // not ours, late, or a duplicate
    const { held: _, ...event } = reply;
    yield { ...event, ...timed };
  }
}

/**
 * The transport's transmit timestamps, if it gives them: a RawSocket
 * opened without `txTimestamps` says so (InputError) on the first call,
 * and then is not asked again (the send times are the clock's).
 */
function transmitStamps(
  transport: PingTransport,
): (() => TransmitTimestamp[]) | undefined {
  if (transport.transmitTimestamps === undefined) return undefined;
  let given = true;
  return () => {
    if (!given) return [];
    try {
      return transport.transmitTimestamps!();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      given = false;
      return [];
    }
  };
}

/** A reply as the echo protocol says it, before its times. */
type EchoReply = Pick<PingReply, "kind" | "seq" | "from" | "bytes"> & {
  held?: { received: bigint; sent: bigint };
};

/** This pinger's half of the echo protocol. */
interface EchoExchange {
  /** Request `seq`, stamped `now`. */
  request(seq: number, now: number): Uint8Array;
  /** `frame` as a reply to one of our requests, or undefined. */
  reply(frame: ReceivedFrame): EchoReply | undefined;
}

/** The payload size `size` asks for, checked. */
function payloadSize(size: number = DEFAULT_SIZE): number {
  if (!Number.isInteger(size) || size < ECHO_STAMPED_SIZE || size > 65535) {
    throw new InputError(
      `invalid ping size ${size}: give a whole number of bytes from ${ECHO_STAMPED_SIZE} (the echo header) to the interface's MTU`,
    );
  }
  return size;
}

/** Payload bytes of a 60-byte frame, the Ethernet minimum. */
const DEFAULT_SIZE = 46;

/** Builds this pinger's requests and recognises its replies. */
function echoExchange(
  transport: PingTransport,
  options: PingOptions,
): EchoExchange {
  const {
    etherType = ECHO_ETHERTYPE,
    id = Math.floor(Math.random() * 0x10000),
  } = options;
  const dst = macBytes(options.dst);
  const unicast = (dst[0] & 1) === 0;
  const peer = formatMac(dst);
  const payload = new Uint8Array(payloadSize(options.size));
  const request = (seq: number, now: number): Uint8Array => {
    payload.set(encodeEcho({
      kind: "request",
      id,
      seq,
      timestamp: BigInt(Math.round(now * 1000)),
    }));
    return buildFrame({
      dst,
      src: transport.interface.mac,
      type: etherType,
      payload,
    });
  };
  const reply = (frame: ReceivedFrame): EchoReply | undefined => {
    if (frame.bytes.length < HEADER_SIZE) return undefined;
    const parsed = parseFrame(frame.bytes);
    const echo = parseEcho(parsed.payload);
    if (
      parsed.type !== etherType || echo?.kind !== "reply" || echo.id !== id ||
      (unicast && parsed.src !== peer)
    ) return undefined;
    return {
      kind: "reply",
      seq: echo.seq,
      from: parsed.src,
      bytes: frame.length,
      ...(echo.held ? { held: echo.held } : {}),
    };
  };
  return { request, reply };
}

/** min/avg/max/mdev of a set of times, ms (mdev: standard deviation). */
export interface TimeStats {
  /** Shortest. */
  min: number;
  /** Mean. */
  avg: number;
  /** Longest. */
  max: number;
  /** Standard deviation, as ping's mdev. */
  mdev: number;
}

/** Totals in the style of ping's closing lines. */
export interface PingSummary {
  /** Requests sent. */
  sent: number;
  /** Replies received. */
  received: number;
  /** Percentage of requests without a reply. */
  lossPercent: number;
  /** Round-trip times, less hold times (absent when nothing came back). */
  rttMs?: TimeStats;
  /** The responder's hold times (absent when it said none). */
  holdMs?: TimeStats;
}

/**
 * Sums up round-trip times as ping does, and the hold times the
 * responder reported.
 *
 * @example
 * ```ts
 * import { summarize } from "@rawframe/rawframe/ping";
 * summarize(4, [1, 2, 3]).lossPercent; // 25
 * ```
 */
export function summarize(
  sent: number,
  rtts: readonly number[],
  holds: readonly number[] = [],
): PingSummary {
  const received = rtts.length;
  const lossPercent = sent === 0 ? 0 : ((sent - received) / sent) * 100;
  return {
    sent,
    received,
    lossPercent,
    ...(received > 0 ? { rttMs: statsOf(rtts) } : {}),
    ...(holds.length > 0 ? { holdMs: statsOf(holds) } : {}),
  };
}

/** min/avg/max/mdev of `times`, which are not empty. */
function statsOf(times: readonly number[]): TimeStats {
  const avg = times.reduce((a, b) => a + b, 0) / times.length;
  const meanSquare = times.reduce((a, b) => a + b * b, 0) / times.length;
  return {
    min: Math.min(...times),
    avg,
    max: Math.max(...times),
    mdev: Math.sqrt(Math.max(0, meanSquare - avg * avg)),
  };
}
