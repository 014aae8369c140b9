/**
 * ARP (RFC 826) and its reverse and inverse kin, in tcpdump's words:
 * `ARP, Request who-has 10.0.0.1 tell 10.0.0.2, length 28`. Pure.
 *
 * @module
 */

import { hexNumber, ipv4At, macAt, u16 } from "./bytes.ts";
import type { ArpLayer, Part } from "./layers.ts";
import { HEX_BYTES } from "../hex.ts";

const IPV4 = 0x0800;
/** The EtherType tcpdump also reads IPv4 ARP addresses for. */
const TRAILER = 0x1000;
/** htype, ptype, hlen, plen, op. */
const FIXED = 8;

/** tcpdump's names of ARP hardware types (RFC 826 and IANA). */
const HARDWARE: Readonly<Record<number, string>> = {
  0: "NetROM",
  1: "Ethernet",
  2: "Experimental Ethernet",
  3: "AX.25",
  4: "ProNET",
  5: "Chaos",
  6: "IEEE 802",
  7: "ARCNET",
  8: "Hyperchannel",
  9: "Lanstar",
  10: "Autonet Short Address",
  11: "LocalTalk",
  12: "LocalNet",
  13: "Ultra link",
  14: "SMDS",
  15: "DLCI",
  16: "ATM",
  17: "HDLC",
  18: "Fibre Channel",
  19: "ATM (RFC 2225)",
  20: "Serial Line",
  21: "ATM",
};

/** tcpdump's names of the protocol types ARP is seen to carry. */
const PROTOCOLS: Readonly<Record<number, string>> = {
  0x0800: "IPv4",
  0x0806: "ARP",
  0x86dd: "IPv6",
  0x8035: "Reverse ARP",
};

/** A hardware address of any length: a MAC when 6 bytes, colon hex else. */
function hardwareAt(b: Uint8Array, at: number, size: number): string {
  if (size === 6) return macAt(b, at);
  const bytes: string[] = [];
  for (let i = at; i < at + size; i++) bytes.push(HEX_BYTES[b[i]]);
  return bytes.join(":");
}

/** A protocol address: dotted IPv4 when it is one, colon hex else. */
function protocolAt(b: Uint8Array, at: number, size: number, type: number) {
  return size === 4 && (type === IPV4 || type === TRAILER)
    ? ipv4At(b, at)
    : hardwareAt(b, at, size);
}

/**
 * Decodes an ARP packet at `at`; `length` is what follows the Ethernet
 * header on the wire (padding included, as tcpdump counts). Addresses are
 * read at the lengths the packet gives (a 20-byte hardware address, a
 * 16-byte protocol address); as tcpdump, the line names the operation
 * only for IPv4 addresses, and the types and lengths otherwise.
 */
export function decodeArp(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (end - at < FIXED) return { text: "ARP, [|arp]", layers: [] };
  const htype = u16(b, at);
  const ptype = u16(b, at + 2);
  const hlen = b[at + 4];
  const plen = b[at + 5];
  const op = u16(b, at + 6);
  const layer: ArpLayer = { layer: "arp", htype, ptype, hlen, plen, op };
  if (end - at < FIXED + 2 * (hlen + plen)) {
    return { text: "ARP, [|arp]", layers: [layer] };
  }
  const tpaAt = at + FIXED + 2 * hlen + plen;
  layer.sha = hardwareAt(b, at + FIXED, hlen);
  layer.spa = protocolAt(b, at + FIXED + hlen, plen, ptype);
  layer.tha = hardwareAt(b, tpaAt - hlen, hlen);
  layer.tpa = protocolAt(b, tpaAt, plen, ptype);
  const ipv4 = (ptype === IPV4 || ptype === TRAILER) && plen === 4;
  if (!ipv4 || hlen === 0) {
    const hardware = HARDWARE[htype] ?? `Unknown Hardware (${htype})`;
    const protocol = PROTOCOLS[ptype] ??
      `Unknown Protocol (${hexNumber(ptype, 4)})`;
    return {
      text:
        `ARP, ${hardware} (len ${hlen}), ${protocol} (len ${plen}), length ${length}`,
      layers: [layer],
    };
  }
  const zero = b.subarray(tpaAt - hlen, tpaAt).every((x) => x === 0);
  const what = operation(op, layer, zero);
  // tcpdump gives no length where it does not know the operation.
  const known = op <= 4 || op === 8 || op === 9;
  return {
    text: `ARP, ${what}${known ? `, length ${length}` : ""}`,
    layers: [layer],
  };
}

/** tcpdump's sentence for each operation (`zero`: tha is all zeros). */
function operation(op: number, a: ArpLayer, zero: boolean): string {
  const { sha, spa, tha, tpa } = a;
  switch (op) {
    case 1: {
      const known = zero ? "" : ` (${tha})`;
      return `Request who-has ${tpa}${known} tell ${spa}`;
    }
    case 2:
      return `Reply ${spa} is-at ${sha}`;
    case 3:
      return `Reverse Request who-is ${tha} tell ${sha}`;
    case 4:
      return `Reverse Reply ${tha} at ${tpa}`;
    case 8:
      return `Inverse Request who-is ${tha} tell ${sha}`;
    case 9:
      return `Inverse Reply ${sha} at ${spa}`;
    case 10:
      return "NACK Reply";
    default:
      return `Unknown (${op})`;
  }
}
