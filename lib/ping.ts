/**
 * The layer-2 ping: send echo requests (see echo.ts) and match the replies
 * by identifier and sequence number, with round-trip times. Also the echo
 * protocol itself, for responders.
 *
 * @module
 */

import {
  buildFrame,
  formatMac,
  HEADER_SIZE,
  macBytes,
  type MacInput,
  parseFrame,
} from "./frame.ts";
import { ECHO_ETHERTYPE, encodeEcho, parseEcho } from "./echo.ts";
import { yieldToEventLoop } from "./delay.ts";
import type { ReceivedFrame } from "./received_frame.ts";

export {
  type Echo,
  ECHO_ETHERTYPE,
  ECHO_HEADER_SIZE,
  ECHO_MAGIC,
  echoReply,
  encodeEcho,
  parseEcho,
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
  /** Stops pinging: the pending step rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A reply to one of our requests. */
export interface PingReply {
  /** What happened. */
  kind: "reply";
  /** Sequence number, from 1. */
  seq: number;
  /** Who answered. */
  from: string;
  /** Size of the reply frame. */
  bytes: number;
  /** Round-trip time in milliseconds. */
  rttMs: number;
}

/** A request went out, or what became of one. */
export type PingEvent =
  | { kind: "sent"; seq: number }
  | PingReply
  | { kind: "lost"; seq: number };

/** How long pinging may go on before it lets signals (Ctrl-C) through. */
const YIELD_EVERY_MS = 50;

/**
 * Pings `options.dst` through `transport` (a RawSocket opened on the
 * interface, receiving), yielding an event as each request goes out and
 * one when its reply comes or its timeout passes.
 *
 * @throws `signal.reason` (from the pending step) when the signal aborts.
 *
 * @example
 * ```ts ignore
 * import { RawSocket } from "@rawframe/rawframe";
 * import { ping } from "@rawframe/rawframe/ping";
 * using sock = RawSocket.open("eth0", { etherType: 0x88b5, direction: "in" });
 * for await (const event of ping(sock, { dst: "02:00:00:00:00:02", count: 3 })) {
 *   console.log(event);
 * }
 * ```
 */
export async function* ping(
  transport: PingTransport,
  options: PingOptions,
): AsyncGenerator<PingEvent, void, undefined> {
  const { count = Infinity, intervalMs = 1000, timeoutMs = 1000, signal } =
    options;
  const echo = echoExchange(transport, options);
  const pending = new Map<number, number>(); // seq -> performance.now() at send
  let seq = 0;
  let nextSend = performance.now();
  let yielded = nextSend;
  for (;;) {
    const now = performance.now();
    if (seq < count && now >= nextSend) {
      pending.set(++seq, now);
      transport.send(echo.request(seq, now));
      nextSend += intervalMs;
      yield { kind: "sent", seq };
    }
    for (const [lost, sentAt] of pending) {
      if (now - sentAt < timeoutMs) continue;
      pending.delete(lost);
      yield { kind: "lost", seq: lost };
    }
    if (seq >= count && pending.size === 0) return;
    if (now - yielded > YIELD_EVERY_MS) { // never waiting: let signals in
      await yieldToEventLoop({ signal });
      yielded = performance.now();
    }
    const wake = Math.min(
      seq < count ? nextSend : Infinity,
      Math.min(...pending.values()) + timeoutMs,
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
    const sentAt = reply ? pending.get(reply.seq) : undefined;
    if (!reply || sentAt === undefined) continue; // late, or a duplicate
    pending.delete(reply.seq);
    yield { ...reply, rttMs: performance.now() - sentAt };
  }
}

/** This pinger's half of the echo protocol. */
interface EchoExchange {
  /** Request `seq`, stamped `now`. */
  request(seq: number, now: number): Uint8Array;
  /** `frame` as a reply to one of our requests, or undefined. */
  reply(frame: ReceivedFrame): Omit<PingReply, "rttMs"> | undefined;
}

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
  const request = (seq: number, now: number): Uint8Array =>
    buildFrame({
      dst,
      src: transport.interface.mac,
      type: etherType,
      payload: encodeEcho({
        kind: "request",
        id,
        seq,
        timestamp: BigInt(Math.round(now * 1000)),
      }),
    });
  const reply = (
    frame: ReceivedFrame,
  ): Omit<PingReply, "rttMs"> | undefined => {
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
    };
  };
  return { request, reply };
}

/** Totals in the style of ping's closing lines. */
export interface PingSummary {
  /** Requests sent. */
  sent: number;
  /** Replies received. */
  received: number;
  /** Percentage of requests without a reply. */
  lossPercent: number;
  /** Round-trip times in ms (absent when nothing came back). */
  rttMs?: { min: number; avg: number; max: number; mdev: number };
}

/** Sums up round-trip times as ping does (mdev: standard deviation). */
export function summarize(sent: number, rtts: readonly number[]): PingSummary {
  const received = rtts.length;
  const lossPercent = sent === 0 ? 0 : ((sent - received) / sent) * 100;
  if (received === 0) return { sent, received, lossPercent };
  const avg = rtts.reduce((a, b) => a + b, 0) / received;
  const meanSquare = rtts.reduce((a, b) => a + b * b, 0) / received;
  return {
    sent,
    received,
    lossPercent,
    rttMs: {
      min: Math.min(...rtts),
      avg,
      max: Math.max(...rtts),
      mdev: Math.sqrt(Math.max(0, meanSquare - avg * avg)),
    },
  };
}
