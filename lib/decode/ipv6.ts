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
import type { Ipv6Layer, Part } from "./layers.ts";

const HEADER = 40;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DESTINATION = 60;
/** Hop-by-hop option types: one byte of padding, and Jumbo Payload. */
const PAD1 = 0;
const JUMBO = 0xc2;

/** Where the extension headers ended, what they said, and what follows. */
interface Chain {
  next: number;
  at: number;
  text: string;
  /** The chain cannot be followed further (cut short, or a later fragment). */
  stopped: boolean;
}

/**
 * Decodes an IPv6 packet at `at`, captured up to `end`; `length` is what
 * follows the Ethernet header on the wire (more than `end - at` when a
 * snap length cut the frame). A payload length of 0 with a Jumbo Payload
 * option (RFC 2675, as Linux BIG TCP sends) takes its length from the
 * option.
 */
export function decodeIpv6(
  b: Uint8Array,
  at: number,
  end: number,
  length: number = end - at,
): Part {
  if (end - at < HEADER) return { text: "IP6 [|ip6]", layers: [] };
  const version = b[at] >> 4;
  if (version !== 6) {
    return { text: `IP6 version ${version} [|ip6]`, layers: [] };
  }
  const payload = u16(b, at + 4);
  const src = ipv6At(b, at + 8);
  const dst = ipv6At(b, at + 24);
  const layer: Ipv6Layer = {
    layer: "ipv6",
    version: 6,
    tc: (u16(b, at) >> 4) & 0xff,
    fl: ((b[at + 1] & 0x0f) << 16) | u16(b, at + 2),
    len: payload,
    nh: b[at + 6],
    next: b[at + 6],
    hlim: b[at + 7],
    src,
    dst,
  };
  const jumbo = payload === 0 ? jumboLength(b, at, end) : undefined;
  if (jumbo === null) {
    const text =
      `IP6 ${src} > ${dst}: HBH [No valid Jumbo Payload Hop-by-Hop option found] (invalid)`;
    return { text, layers: [layer] };
  }
  const size = jumbo ?? payload;
  const last = Math.min(end, at + HEADER + size);
  const chain = walk(b, b[at + 6], at + HEADER, last, at + HEADER + size);
  layer.next = chain.next;
  const missing = HEADER + size - length;
  const cut = missing > 0 ? `truncated-ip6 - ${missing} bytes missing! ` : "";
  // tcpdump says a jumbogram is cut short after its hop-by-hop header.
  const [before, after] = jumbo === undefined ? [cut, ""] : ["", cut];
  if (chain.stopped) {
    return {
      text: `IP6 ${before}${src} > ${dst}: ${chain.text}${after}`.trimEnd(),
      layers: [layer],
    };
  }
  const upper = decodeUpper(chain.next, b, chain.at, last, {
    src,
    dst,
    withAddresses: chain.text === "",
    length: at + HEADER + size - chain.at,
    v6: true,
    ttl: layer.hlim,
  });
  const text = upper.addressed
    ? `IP6 ${before}${upper.text}`
    : `IP6 ${before}${src} > ${dst}: ${chain.text}${after}${upper.text}`;
  return { text, layers: [layer, ...upper.layers] };
}

/**
 * The Jumbo Payload option's length in the hop-by-hop header after the
 * fixed header at `at`; null when a hop-by-hop header has none (a payload
 * length of 0 needs one); undefined without a hop-by-hop header (the
 * length is 0, as tcpdump takes it) or when it is not captured.
 */
function jumboLength(
  b: Uint8Array,
  at: number,
  end: number,
): number | null | undefined {
  const options = at + HEADER;
  if (b[at + 6] !== HOP_BY_HOP) return undefined;
  if (options + 2 > end) return undefined;
  const stop = options + (b[options + 1] + 1) * 8;
  if (stop > end) return undefined;
  for (let o = options + 2; o < stop;) {
    if (b[o] === PAD1) {
      o++;
      continue;
    }
    if (o + 2 > stop) break;
    if (b[o] === JUMBO && b[o + 1] === 4 && o + 6 <= stop) {
      return ((b[o + 2] << 24) | (b[o + 3] << 16) | u16(b, o + 4)) >>> 0;
    }
    o += 2 + b[o + 1];
  }
  return null;
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
      const header = routing(b, at, size);
      text += `${header} `;
      if (header.endsWith("(invalid)")) {
        return { next, at, text, stopped: true };
      }
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
  let segments = Math.floor((size - 8) / 16); // what the length holds
  if (type === 4) {
    text += `, last-entry=${b[at + 4]}, tag=${u16(b, at + 6).toString(16)}`;
    // The length counts 8-byte units: two a segment, unless TLVs follow.
    if (b[at + 1] % 2 === 1) {
      return `${text} (invalid length ${b[at + 1]}) (invalid)`;
    }
    // TLVs may follow the segment list: last-entry says where it ends.
    segments = Math.min(segments, b[at + 4] + 1);
  }
  if (type === 0 || type === 2 || type === 4) {
    // After four bytes of type-specific fields: the addresses.
    for (let i = 0; i < segments; i++) {
      text += `, [${i}]${ipv6At(b, at + 8 + 16 * i)}`;
    }
  }
  return `${text})`;
}
