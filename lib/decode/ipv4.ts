/**
 * IPv4 (RFC 791): options are skipped, fragments noted (`frag` in the
 * layer; a fragment after the first is `ip-proto-17`, as tcpdump says,
 * since it holds no header of its own), and a datagram shorter on the
 * wire than its total length says how much is missing. A frame cut by a
 * capture's snap length is not damaged: what was captured decodes as
 * usual. `IP 10.0.0.1 > 10.0.0.2: ICMP echo request, ...`. Pure.
 *
 * @module
 */

import { hexOf, ipv4At, u16 } from "./bytes.ts";
import { decodeUpper } from "./ip_upper.ts";
import type { Ipv4Layer, Part } from "./layers.ts";

const MIN_HEADER = 20;
const MORE_FRAGMENTS = 0x2000;
const DONT_FRAGMENT = 0x4000;
const RESERVED_BIT = 0x8000;

/**
 * Decodes an IPv4 datagram at `at`, captured up to `end`; `length` is what
 * follows the Ethernet header on the wire (more than `end - at` when a
 * snap length cut the frame).
 */
export function decodeIpv4(
  b: Uint8Array,
  at: number,
  end: number,
  length: number = end - at,
): Part {
  if (end - at < 1) return { text: " [|ip]", layers: [] };
  // tcpdump reads the version first: another is invalid, whatever follows.
  const version = b[at] >> 4;
  if (version !== 4) {
    const text = version === 6
      ? "IP6, wrong link-layer encapsulation (invalid)"
      : `IP${version} (invalid)`;
    return { text, layers: [] };
  }
  if (end - at < MIN_HEADER) return { text: "IP  [|ip]", layers: [] };
  const headerLength = (b[at] & 0x0f) * 4;
  const layer = ipv4Layer(b, at, end);
  const { src, dst, protocol, len: total } = layer;
  const offset = layer.frag?.offset ?? 0;
  if (headerLength < MIN_HEADER) {
    return { text: `IP bad-hlen ${headerLength}`, layers: [layer] };
  }
  const missing = total - length;
  const cut = missing > 0 ? `truncated-ip - ${missing} bytes missing! ` : "";
  if (total < headerLength) {
    return { text: `IP ${cut}bad-len ${total}`, layers: [layer] };
  }
  if (headerLength > end - at) {
    return { text: `IP ${cut}[|ip]`, layers: [layer] };
  }
  if (offset > 0) {
    return {
      text: `IP ${cut}${src} > ${dst}: ip-proto-${protocol}`,
      layers: [layer],
    };
  }
  const upper = decodeUpper(
    protocol,
    b,
    at + headerLength,
    Math.min(end, at + total),
    {
      src,
      dst,
      withAddresses: true,
      length: total - headerLength,
      v6: false,
      ttl: layer.ttl,
    },
  );
  const text = upper.addressed
    ? `IP ${cut}${upper.text}`
    : `IP ${cut}${src} > ${dst}: ${upper.text}`;
  return { text, layers: [layer, ...upper.layers] };
}

/** The fields of the (captured, at least 20-byte) header at `at`. */
function ipv4Layer(b: Uint8Array, at: number, end: number): Ipv4Layer {
  const fragment = u16(b, at + 6);
  const offset = (fragment & 0x1fff) * 8;
  const more = (fragment & MORE_FRAGMENTS) !== 0;
  const ihl = b[at] & 0x0f;
  const optionsEnd = at + ihl * 4;
  return {
    layer: "ipv4",
    version: 4,
    ihl,
    tos: b[at + 1],
    len: u16(b, at + 2),
    id: u16(b, at + 4),
    rb: (fragment & RESERVED_BIT) !== 0,
    df: (fragment & DONT_FRAGMENT) !== 0,
    mf: more,
    offset,
    ttl: b[at + 8],
    protocol: b[at + 9],
    checksum: u16(b, at + 10),
    src: ipv4At(b, at + 12),
    dst: ipv4At(b, at + 16),
    ...(ihl > 5 && optionsEnd <= end
      ? { options: hexOf(b, at + MIN_HEADER, optionsEnd) }
      : {}),
    ...(more || offset > 0
      ? { frag: { id: u16(b, at + 4), offset, more } }
      : {}),
  };
}
