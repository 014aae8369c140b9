/**
 * What an upper layer knows of the IP header it sits in, and how tcpdump
 * writes a transport's two ends: `10.0.0.1.53 > 10.0.0.2.40000` after a
 * plain IP header, just `53 > 40000` after IPv6 extension headers (their
 * text already stands between the addresses and the ports). Pure.
 *
 * @module
 */

import type { Part } from "./layers.ts";

/** The IP header around an upper layer. */
export interface IpContext {
  /** Source and destination addresses as text. */
  src: string;
  dst: string;
  /** Whether the upper layer writes the addresses (with its ports). */
  withAddresses: boolean;
  /** The upper layer's length by the IP header's count. */
  length: number;
  /** The IP header's TTL or hop limit (VRRP names one that is not 255). */
  ttl?: number;
}

/** An upper layer's part, and whether its text carries the addresses. */
export interface UpperPart extends Part {
  addressed: boolean;
}

/** `src.sport > dst.dport`, or `sport > dport`. */
export function endpoints(
  ip: IpContext,
  sport: number,
  dport: number,
): string {
  return ip.withAddresses
    ? `${ip.src}.${sport} > ${ip.dst}.${dport}`
    : `${sport} > ${dport}`;
}
