/**
 * MPLS label stacks (RFC 3032; EtherTypes 0x8847 and 0x8848) in tcpdump's
 * words: `MPLS (label 100, tc 5, ttl 63) (label 200, tc 0, [S], ttl 62)`,
 * then the packet under the stack: IPv4 under labels 0 and 3, IPv6 under
 * 2, otherwise as its first byte suggests (0x45-0x4f IPv4, 0x60-0x6f
 * IPv6), as tcpdump guesses; anything else is data. Pure.
 *
 * @module
 */

import { u32 } from "./bytes.ts";
import { decodeIpv4 } from "./ipv4.ts";
import { decodeIpv6 } from "./ipv6.ts";
import type { MplsLabel, MplsLayer, Part } from "./layers.ts";
import { nested, TOO_DEEP } from "./nesting.ts";

/** MPLS's EtherTypes: unicast and multicast. */
export const MPLS_ETHERTYPES: readonly number[] = [0x8847, 0x8848];

/** The label stack at `at` and what it carries. */
export function decodeMpls(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  const layer: MplsLayer = { layer: "mpls", labels: [] };
  let text = "MPLS";
  let entry: MplsLabel | undefined;
  while (entry === undefined || !entry.s) {
    // A stack without its bottom keeps the entries it has.
    const read = layer.labels.length > 0 ? [layer] : [];
    if (length < 4) return { text: `${text} (invalid)`, layers: read };
    if (end - at < 4) return { text: `${text} [|mpls]`, layers: read };
    const word = u32(b, at);
    entry = {
      label: word >>> 12,
      tc: (word >> 9) & 7,
      s: (word & 0x100) !== 0,
      ttl: word & 0xff,
    };
    layer.labels.push(entry);
    text += ` (label ${entry.label}, tc ${entry.tc}${
      entry.s ? ", [S]" : ""
    }, ttl ${entry.ttl})`;
    at += 4;
    length -= 4;
  }
  const decode = carried(entry.label, b, at, end, length);
  if (decode === undefined) return { text, layers: [layer] };
  const inner = nested(() => decode(b, at, end, length), TOO_DEEP);
  return { text: `${text} ${inner.text}`, layers: [layer, ...inner.layers] };
}

/** What the bottom label says is under the stack, or what it looks like. */
function carried(
  label: number,
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
) {
  if (label === 0 || label === 3) return decodeIpv4;
  if (label === 2) return decodeIpv6;
  if (length < 1 || at >= end) return undefined;
  const first = b[at];
  if (first >= 0x45 && first <= 0x4f) return decodeIpv4;
  if (first >= 0x60 && first <= 0x6f) return decodeIpv6;
  return undefined;
}
