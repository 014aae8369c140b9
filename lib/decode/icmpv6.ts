/**
 * ICMPv6 (RFC 4443) with neighbour discovery (RFC 4861) and multicast
 * listener messages, in tcpdump's words: `ICMP6, neighbor solicitation,
 * who has fe80::2, length 32`. Pure.
 *
 * @module
 */

import { ipv6At, u16, u32 } from "./bytes.ts";
import { icmpLayer } from "./icmp_layer.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";

/** tcpdump's name of each message type. */
const NAMES: Readonly<Record<number, string>> = {
  1: "destination unreachable",
  2: "packet too big",
  3: "time exceeded in-transit",
  4: "parameter problem",
  128: "echo request",
  129: "echo reply",
  130: "multicast listener query",
  131: "multicast listener report",
  132: "multicast listener done",
  133: "router solicitation",
  134: "router advertisement",
  135: "neighbor solicitation",
  136: "neighbor advertisement",
  137: "redirect",
  138: "router renumbering",
  139: "who-are-you request",
  140: "who-are-you reply",
  141: "inverse neighbor solicitation",
  142: "inverse neighbor advertisement",
  143: "multicast listener report v2",
  144: "home agent discovery request",
  145: "home agent discovery reply",
  146: "mobile router solicitation",
  147: "mobile router advertisement",
  151: "multicast router advertisement",
  152: "multicast router solicitation",
  153: "multicast router termination",
  200: "mtrace response",
  201: "mtrace message",
};

const PARAMETER_PROBLEMS = [
  "erroneous",
  "next header",
  "option",
  "incomplete header chain",
];

/** Decodes an ICMPv6 message at `at`, inside the IPv6 header `ip`. */
export function decodeIcmpv6(
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext,
): UpperPart {
  if (end - at < 2) return { text: "[|icmp6]", layers: [], addressed: false };
  const type = b[at];
  const code = b[at + 1];
  const layers = [
    icmpLayer("icmpv6", b, at, end, type === 128 || type === 129),
  ];
  const what = message(b, at, end, type, code);
  const bare = type === 1 && code > 4; // tcpdump gives no length here
  const text = what !== undefined
    ? `ICMP6, ${what}${bare ? "" : `, length ${ip.length}`}`
    : type in NAMES
    ? `ICMP6, ${NAMES[type]} [|icmp6]`
    : "ICMP6 [|icmp6]";
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
  const has = (n: number) => end - at >= n;
  if (!has(8) && type < 133) return undefined;
  switch (type) {
    case 1:
      return unreachable(b, at + 8, end, code);
    case 2:
      return `packet too big, mtu ${u32(b, at + 4)}`;
    case 3:
      if (code === 1) return "time exceeded in-transit (reassembly)";
      if (code !== 0) return `time exceeded in-transit, unknown code (${code})`;
      return has(48)
        ? `time exceeded in-transit for ${ipv6At(b, at + 32)}`
        : undefined;
    case 4: {
      const what = PARAMETER_PROBLEMS[code] ?? `code-#${code}`;
      return `parameter problem, ${what} - octet ${u32(b, at + 4)}`;
    }
    case 128:
    case 129:
      return `echo ${type === 128 ? "request" : "reply"}, id ${
        u16(b, at + 4)
      }, seq ${u16(b, at + 6)}`;
    case 130:
    case 131:
    case 132: {
      if (!has(24)) return undefined;
      const name = ["query", "report", "done"][type - 130];
      return `multicast listener ${name}max resp delay: ${
        u16(b, at + 4)
      } addr: ${ipv6At(b, at + 8)}`;
    }
    case 135:
      return has(24)
        ? `neighbor solicitation, who has ${ipv6At(b, at + 8)}`
        : undefined;
    case 136:
      return has(24)
        ? `neighbor advertisement, tgt is ${ipv6At(b, at + 8)}`
        : undefined;
    case 137:
      return has(40)
        ? `redirect, ${ipv6At(b, at + 24)} to ${ipv6At(b, at + 8)}`
        : undefined;
    case 143:
      return has(8)
        ? `multicast listener report v2, ${u16(b, at + 6)} group record(s)`
        : undefined;
  }
  return NAMES[type] ?? `unknown icmp6 type (${type})`;
}

/** The reason and what the quoted packet was sent to. */
function unreachable(
  b: Uint8Array,
  quoted: number,
  end: number,
  code: number,
): string | undefined {
  if (code > 4) {
    return `destination unreachable, unknown unreach code (${code})`;
  }
  if (end - quoted < 40) return undefined;
  const dst = ipv6At(b, quoted + 24);
  switch (code) {
    case 0:
      return `destination unreachable, unreachable route ${dst}`;
    case 1:
      return `destination unreachable,  unreachable prohibited ${dst}`;
    case 2:
      return `destination unreachable, beyond scope ${dst}, source address ${
        ipv6At(b, quoted + 8)
      }`;
    case 3:
      return `destination unreachable, unreachable address ${dst}`;
  }
  const next = b[quoted + 6];
  if (end - quoted < 44) return undefined;
  const port = u16(b, quoted + 42);
  const name = next === 17 ? "udp" : next === 6 ? "tcp" : `proto ${next}`;
  return `destination unreachable, unreachable port, ${dst} ${name} port ${port}`;
}
