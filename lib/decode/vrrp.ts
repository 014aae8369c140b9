/**
 * VRRP (RFC 3768 version 2, RFC 5798 version 3) in tcpdump's words:
 * `VRRPv2, Advertisement, vrid 42, prio 191, authtype simple, intvl 10s,
 * length 28`, with `(ttl N)` when the IP TTL is not 255 as the protocol
 * requires. The addresses are IPv4 or IPv6 as the IP header is.
 *
 * @module
 */

import { ipv4At, ipv6At, u16 } from "./bytes.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";
import type { VrrpLayer } from "./layers.ts";

/** VRRPv2's authentication types, by number. */
const AUTH_TYPES: Readonly<Record<number, string>> = {
  0: "none",
  1: "simple",
  2: "ah",
};

/** The VRRP message at `at` of an IP datagram. */
export function decodeVrrp(
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext & { v6: boolean },
): UpperPart {
  const part = (text: string, layers: VrrpLayer[] = []) => ({
    text,
    layers,
    addressed: false,
  });
  if (end - at < 1) return part("[|vrrp]");
  const version = b[at] >> 4;
  const type = b[at] & 0x0f;
  let text = `VRRPv${version}, ${
    type === 1 ? "Advertisement" : `unknown type (${type})`
  }`;
  if (ip.ttl !== undefined && ip.ttl !== 255) text += `, (ttl ${ip.ttl})`;
  if (version < 2 || version > 3 || type !== 1) return part(text);
  if (end - at < 3) return part(`${text} [|vrrp]`);
  text += `, vrid ${b[at + 1]}, prio ${b[at + 2]}`;
  if (end - at < 6) return part(`${text} [|vrrp]`);
  text += version === 2
    ? `, authtype ${AUTH_TYPES[b[at + 4]] ?? `#${b[at + 4]}`}, intvl ${
      b[at + 5]
    }s`
    : `, intvl ${((b[at + 4] & 0x0f) << 8) | b[at + 5]}cs`;
  text += `, length ${ip.length}`;
  const layer = vrrpLayer(b, at, end, ip.v6);
  return part(text, layer === undefined ? [] : [layer]);
}

/** The whole header, when its bytes and addresses are there. */
function vrrpLayer(
  b: Uint8Array,
  at: number,
  end: number,
  v6: boolean,
): VrrpLayer | undefined {
  const size = v6 ? 16 : 4;
  const count = b[at + 3];
  if (at + 8 + count * size > end) return undefined;
  const version = b[at] >> 4;
  const addrs = Array.from(
    { length: count },
    (_, i) => (v6 ? ipv6At : ipv4At)(b, at + 8 + i * size),
  );
  return {
    layer: "vrrp",
    version,
    type: b[at] & 0x0f,
    vrid: b[at + 1],
    prio: b[at + 2],
    count,
    ...(version === 2
      ? { authtype: b[at + 4], intvl: b[at + 5] }
      : { reserved: b[at + 4] >> 4, intvl: u16(b, at + 4) & 0x0fff }),
    checksum: u16(b, at + 6),
    addrs,
  };
}
