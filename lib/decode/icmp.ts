/**
 * ICMP for IPv4 (RFC 792) in tcpdump's words: `ICMP echo request, id 5,
 * seq 1, length 64`, `ICMP 10.0.0.1 udp port 33434 unreachable, length
 * 36`. Errors name what they quote: the original datagram's destination,
 * protocol and port. Pure.
 *
 * @module
 */

import { ipv4At, u16, u32 } from "./bytes.ts";
import { icmpLayer } from "./icmp_layer.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";

/** Why a destination was unreachable, by code (`%s` is the address). */
const UNREACHABLE: readonly string[] = [
  "net %s unreachable",
  "host %s unreachable",
  "", // protocol: said with the protocol number
  "", // port: said with the protocol and port
  "%s unreachable - need to frag",
  "%s unreachable - source route failed",
  "net %s unreachable - unknown",
  "host %s unreachable - unknown",
  "%s unreachable - source host isolated",
  "net %s unreachable - admin prohibited",
  "host %s unreachable - admin prohibited",
  "net %s unreachable - tos prohibited",
  "host %s unreachable - tos prohibited",
  "host %s unreachable - admin prohibited filter",
  "host %s unreachable - host precedence violation",
  "host %s unreachable - precedence cutoff",
];

/** Messages that are just a name (8 bytes: type, code, sum, rest). */
const NAMED: Readonly<Record<number, string>> = {
  4: "source quench",
  9: "router advertisement",
  10: "router solicitation",
  15: "information request",
  16: "information reply",
  17: "address mask request",
};

/** Messages with an identifier and a sequence number: echo, timestamp, information, address mask. */
const WITH_ID = new Set([0, 8, 13, 14, 15, 16, 17, 18]);
/** RFC 8335's extended echo request and reply. */
const EXTENDED_ECHO = new Set([42, 43]);

/** Decodes an ICMP message at `at`, inside the IP header `ip`. */
export function decodeIcmp(
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext,
): UpperPart {
  if (end - at < 2) return { text: "[|icmp]", layers: [], addressed: false };
  const type = b[at];
  const code = b[at + 1];
  const withId = WITH_ID.has(type) || (EXTENDED_ECHO.has(type) && "id only");
  const layers = [icmpLayer("icmp", b, at, end, withId)];
  const what = end - at < 8 ? undefined : message(b, at, end, type, code);
  const text = what === undefined
    ? "[|icmp]"
    : `ICMP ${what}, length ${ip.length}`;
  return { text, layers, addressed: false };
}

/** The message's sentence; undefined when its bytes are cut short. */
function message(
  b: Uint8Array,
  at: number,
  end: number,
  type: number,
  code: number,
): string | undefined {
  const id = u16(b, at + 4);
  const seq = u16(b, at + 6);
  switch (type) {
    case 0:
    case 8:
      return `echo ${type === 0 ? "reply" : "request"}, id ${id}, seq ${seq}`;
    case 3:
      return unreachable(b, at, end, code);
    case 5: {
      const quoted = quotedDestination(b, at + 8, end);
      if (quoted === undefined) return undefined;
      const kind = code < 2 ? "redirect" : "redirect-tos";
      const to = code > 3 ? `#${code}` : code % 2 === 0 ? "net" : "host";
      return `${kind} ${quoted.dst} to ${to} ${ipv4At(b, at + 4)}`;
    }
    case 11:
      return code === 0
        ? "time exceeded in-transit"
        : "ip reassembly time exceeded";
    case 12:
      return code === 0
        ? `parameter problem - octet ${b[at + 4]}`
        : `parameter problem - code ${code}`;
    case 13:
      return `time stamp query id ${id} seq ${seq}`;
    case 14:
      return end - at < 20
        ? undefined
        : `time stamp reply id ${id} seq ${seq}: org ${
          clock(u32(b, at + 8))
        }, recv ${clock(u32(b, at + 12))}, xmit ${clock(u32(b, at + 16))}`;
    case 18:
      return end - at < 12
        ? undefined
        : `address mask is 0x${u32(b, at + 8).toString(16).padStart(8, "0")}`;
  }
  return NAMED[type] ?? `type-#${type}`;
}

/** `host 10.0.0.9 unreachable`, `10.0.0.9 udp port 53 unreachable`, ... */
function unreachable(
  b: Uint8Array,
  at: number,
  end: number,
  code: number,
): string | undefined {
  const quoted = quotedDestination(b, at + 8, end);
  if (quoted === undefined) return undefined;
  const { dst, protocol, transport } = quoted;
  if (code === 2) return `${dst} protocol ${protocol} unreachable`;
  if (code === 3) {
    if (transport + 4 > end) return undefined;
    const port = u16(b, transport + 2);
    const name = protocol === 17 ? "udp" : protocol === 6 ? "tcp" : undefined;
    return name === undefined
      ? `${dst} protocol ${protocol} port ${port} unreachable`
      : `${dst} ${name} port ${port} unreachable`;
  }
  if (code === 4) {
    const mtu = u16(b, at + 6);
    return `${dst} unreachable - need to frag${
      mtu === 0 ? "" : ` (mtu ${mtu})`
    }`;
  }
  const sentence = UNREACHABLE[code];
  return sentence === undefined
    ? `${dst} unreachable - #${code}`
    : sentence.replace("%s", dst);
}

/** The quoted datagram's destination, protocol and where its data starts. */
function quotedDestination(b: Uint8Array, at: number, end: number) {
  if (end - at < 20) return undefined;
  return {
    dst: ipv4At(b, at + 16),
    protocol: b[at + 9],
    transport: at + (b[at] & 0x0f) * 4,
  };
}

/** Milliseconds since midnight UTC as `hh:mm:ss.mmm`, as tcpdump shows them. */
function clock(ms: number): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${two(h)}:${two(m)}:${two(s)}.${String(ms % 1000).padStart(3, "0")}`;
}
