/**
 * The layer-2 ping: send echo requests (see echo.ts) and match the replies
 * by identifier and sequence number, with round-trip times.
 *
 * @module
 */

import {
  buildFrame,
  formatMac,
  type MacInput,
  parseFrame,
  parseMac,
} from "./frame.ts";
import { ECHO_ETHERTYPE, encodeEcho, parseEcho } from "./echo.ts";
import type { RawSocket } from "./socket.ts";

/** Options of {@linkcode ping}. */
export interface PingOptions {
  /** Whom to ping. */
  dst: MacInput;
  /** EtherType of the echo frames (default 0x88b5). */
  etherType?: number;
  /** Requests to send (default Infinity: until aborted). */
  count?: number;
  /** Milliseconds between requests (default 1000). */
  intervalMs?: number;
  /** Milliseconds to wait for each reply (default 1000). */
  timeoutMs?: number;
  /** Identifier of this pinger (default: random). */
  id?: number;
  /** Stops sending and waiting. */
  signal?: AbortSignal;
}

/** A request went out, or what became of one. */
export type PingEvent =
  | { kind: "sent"; seq: number }
  | {
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
  | { kind: "lost"; seq: number };

/**
 * Pings `options.dst` through `sock` (opened on the interface, receiving),
 * yielding an event as each request goes out and one when its reply comes
 * or its timeout passes.
 *
 * @example
 * ```ts ignore
 * import { ping } from "./ping.ts";
 * using sock = RawSocket.open("eth0", { etherType: 0x88b5, direction: "in" });
 * for await (const event of ping(sock, { dst: "02:00:00:00:00:02", count: 3 })) {
 *   console.log(event);
 * }
 * ```
 */
export async function* ping(
  sock: RawSocket,
  options: PingOptions,
): AsyncGenerator<PingEvent, void, undefined> {
  const {
    etherType = ECHO_ETHERTYPE,
    count = Infinity,
    intervalMs = 1000,
    timeoutMs = 1000,
    id = Math.floor(Math.random() * 0x10000),
    signal,
  } = options;
  const dst = parseMac(
    typeof options.dst === "string" ? options.dst : formatMac(options.dst),
  );
  const unicast = (dst[0] & 1) === 0;
  const peer = formatMac(dst);
  const pending = new Map<number, number>(); // seq -> performance.now() at send
  let seq = 0;
  let nextSend = performance.now();
  while (!signal?.aborted) {
    const now = performance.now();
    if (seq < count && now >= nextSend) {
      seq++;
      const payload = encodeEcho({
        kind: "request",
        id,
        seq,
        timestamp: BigInt(Math.round(now * 1000)),
      });
      pending.set(seq, now);
      sock.send(
        buildFrame({ dst, src: sock.interface.mac, type: etherType, payload }),
      );
      nextSend += intervalMs;
      yield { kind: "sent", seq };
    }
    for (const [lost, sentAt] of pending) {
      if (now - sentAt >= timeoutMs) {
        pending.delete(lost);
        yield { kind: "lost", seq: lost };
      }
    }
    if (seq >= count && pending.size === 0) return;
    const oldest = Math.min(...pending.values());
    const wake = Math.min(
      seq < count ? nextSend : Infinity,
      oldest + timeoutMs,
    );
    let frame;
    try {
      frame = await sock.receive({
        timeoutMs: Math.max(0, wake - performance.now()),
        signal,
      });
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    if (frame === null || frame.bytes.length < 14) continue;
    const arrived = performance.now();
    const parsed = parseFrame(frame.bytes);
    const echo = parseEcho(parsed.payload);
    if (
      parsed.type !== etherType || echo?.kind !== "reply" || echo.id !== id ||
      (unicast && parsed.src !== peer)
    ) continue;
    const sentAt = pending.get(echo.seq);
    if (sentAt === undefined) continue; // late, or a duplicate
    pending.delete(echo.seq);
    yield {
      kind: "reply",
      seq: echo.seq,
      from: parsed.src,
      bytes: frame.length,
      rttMs: arrived - sentAt,
    };
  }
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
