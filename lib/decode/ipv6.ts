/**
 * IPv6 (RFC 8200): hop-by-hop, routing, fragment and destination-options
 * headers are walked to the upper layer and named as tcpdump names them
 * (`HBH`, `RT6 (...)`, `frag (offset|length)`, `DSTOPT`); a fragment after
 * the first holds no upper header, so decoding stops there. Pure.
 *
 * @module
 */

import { ipv6At, u16 } from "./bytes.ts";
import { decodeUpper } from "./ip_upper.ts";
import type { Part } from "./layers.ts";

const HEADER = 40;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DESTINATION = 60;

/** Where the extension headers ended, what they said, and what follows. */
interface Chain {
  next: number;
  at: number;
  text: string;
  /** The chain cannot be followed further (cut short, or a later fragment). */
  stopped: boolean;
}

/** Decodes an IPv6 packet at `at`. */
export function decodeIpv6(b: Uint8Array, at: number, end: number): Part {
  if (end - at < HEADER) return { text: "IP6 [|ip6]", layers: [] };
  const version = b[at] >> 4;
  if (version !== 6) {
    return { text: `IP6 version ${version} [|ip6]`, layers: [] };
  }
  const payload = u16(b, at + 4);
  const src = ipv6At(b, at + 8);
  const dst = ipv6At(b, at + 24);
  const last = Math.min(end, at + HEADER + payload);
  const chain = walk(b, b[at + 6], at + HEADER, last, at + HEADER + payload);
  const layer = {
    layer: "ipv6" as const,
    src,
    dst,
    next: chain.next,
    hlim: b[at + 7],
    len: payload,
  };
  const missing = HEADER + payload - (end - at);
  const cut = missing > 0 ? `truncated-ip6 - ${missing} bytes missing! ` : "";
  if (chain.stopped) {
    return {
      text: `IP6 ${cut}${src} > ${dst}: ${chain.text}`.trimEnd(),
      layers: [layer],
    };
  }
  const upper = decodeUpper(chain.next, b, chain.at, last, {
    src,
    dst,
    withAddresses: chain.text === "",
    length: at + HEADER + payload - chain.at,
    v6: true,
  });
  const text = upper.addressed
    ? `IP6 ${cut}${upper.text}`
    : `IP6 ${cut}${src} > ${dst}: ${chain.text}${upper.text}`;
  return { text, layers: [layer, ...upper.layers] };
}

/**
 * Follows extension headers from `at` (the first is `next`), up to
 * `last` (captured) within `payloadEnd` (by the header's length).
 */
function walk(
  b: Uint8Array,
  next: number,
  at: number,
  last: number,
  payloadEnd: number,
): Chain {
  let text = "";
  while (
    next === HOP_BY_HOP || next === ROUTING || next === FRAGMENT ||
    next === DESTINATION
  ) {
    const size = next === FRAGMENT ? 8 : (b[at + 1] + 1) * 8;
    if (at + 2 > last || at + size > last) {
      return { next, at, text: `${text}[|ip6]`, stopped: true };
    }
    if (next === FRAGMENT) {
      const offset = u16(b, at + 2) & 0xfff8;
      text += `frag (${offset}|${payloadEnd - at - 8}) `;
      if (offset > 0) return { next: b[at], at: at + 8, text, stopped: true };
    } else if (next === ROUTING) {
      text += `${routing(b, at, size)} `;
    } else {
      text += next === HOP_BY_HOP ? "HBH " : "DSTOPT ";
    }
    next = b[at];
    at += size;
  }
  return { next, at, text, stopped: false };
}

/** A routing header as tcpdump shows it: `RT6 (len=2, type=0 ..., [0]addr)`. */
function routing(b: Uint8Array, at: number, size: number): string {
  const type = b[at + 2];
  let text = `RT6 (len=${b[at + 1]}, type=${type}${
    type === 0 ? " [Deprecated]" : ""
  }, segleft=${b[at + 3]}`;
  if (type === 4) {
    text += `, last-entry=${b[at + 4]}, tag=${u16(b, at + 6).toString(16)}`;
  }
  if (type === 0 || type === 2 || type === 4) {
    // After four bytes of type-specific fields: the addresses.
    for (let i = 0; at + 8 + 16 * (i + 1) <= at + size; i++) {
      text += `, [${i}]${ipv6At(b, at + 8 + 16 * i)}`;
    }
  }
  return `${text})`;
}
