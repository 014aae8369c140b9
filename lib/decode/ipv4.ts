/**
 * IPv4 (RFC 791): options are skipped, fragments noted (`frag` in the
 * layer; a fragment after the first is `ip-proto-17`, as tcpdump says,
 * since it holds no header of its own), and a datagram cut short says how
 * much is missing. `IP 10.0.0.1 > 10.0.0.2: ICMP echo request, ...`. Pure.
 *
 * @module
 */

import { ipv4At, u16 } from "./bytes.ts";
import { decodeUpper } from "./ip_upper.ts";
import type { Ipv4Layer, Part } from "./layers.ts";

const MIN_HEADER = 20;
const MORE_FRAGMENTS = 0x2000;

/** Decodes an IPv4 datagram at `at`. */
export function decodeIpv4(b: Uint8Array, at: number, end: number): Part {
  if (end - at < MIN_HEADER) return { text: "IP [|ip]", layers: [] };
  const version = b[at] >> 4;
  const headerLength = (b[at] & 0x0f) * 4;
  if (version !== 4) return { text: `IP${version} [|ip]`, layers: [] };
  const total = u16(b, at + 2);
  const fragment = u16(b, at + 6);
  const offset = (fragment & 0x1fff) * 8;
  const more = (fragment & MORE_FRAGMENTS) !== 0;
  const src = ipv4At(b, at + 12);
  const dst = ipv4At(b, at + 16);
  const protocol = b[at + 9];
  const layer: Ipv4Layer = {
    layer: "ipv4",
    src,
    dst,
    protocol,
    ttl: b[at + 8],
    len: total,
    ...(more || offset > 0
      ? { frag: { id: u16(b, at + 4), offset, more } }
      : {}),
  };
  if (headerLength < MIN_HEADER) {
    return { text: `IP bad-hlen ${headerLength}`, layers: [layer] };
  }
  if (total < headerLength) {
    const text =
      `IP ${src} > ${dst}: [total length ${total} < header length ${headerLength}]`;
    return { text, layers: [layer] };
  }
  const missing = total - (end - at);
  const cut = missing > 0 ? `truncated-ip - ${missing} bytes missing! ` : "";
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
    },
  );
  const text = upper.addressed
    ? `IP ${cut}${upper.text}`
    : `IP ${cut}${src} > ${dst}: ${upper.text}`;
  return { text, layers: [layer, ...upper.layers] };
}
