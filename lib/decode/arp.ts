/**
 * ARP (RFC 826) and its reverse and inverse kin, in tcpdump's words:
 * `ARP, Request who-has 10.0.0.1 tell 10.0.0.2, length 28`. Pure.
 *
 * @module
 */

import { hexNumber, ipv4At, macAt, u16 } from "./bytes.ts";
import type { Part } from "./layers.ts";

const ETHERNET = 1;
const IPV4 = 0x0800;
/** htype, ptype, hlen, plen, op. */
const FIXED = 8;
/** The fixed part and two MAC and two IPv4 addresses. */
const ETHERNET_IPV4 = FIXED + 2 * (6 + 4);

/**
 * Decodes an ARP packet at `at`; `length` is what follows the Ethernet
 * header on the wire (padding included, as tcpdump counts).
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
  const op = u16(b, at + 6);
  const ethernetIpv4 = htype === ETHERNET && ptype === IPV4 &&
    b[at + 4] === 6 && b[at + 5] === 4;
  if (!ethernetIpv4) {
    return {
      text: `ARP, hardware ${htype}, protocol ${
        hexNumber(ptype, 4)
      }, op ${op}, length ${length}`,
      layers: [{ layer: "arp", op }],
    };
  }
  if (end - at < ETHERNET_IPV4) {
    return { text: "ARP, [|arp]", layers: [{ layer: "arp", op }] };
  }
  const sha = macAt(b, at + 8);
  const spa = ipv4At(b, at + 14);
  const tha = macAt(b, at + 18);
  const tpa = ipv4At(b, at + 24);
  const what = operation(op, sha, spa, tha, tpa);
  // tcpdump gives no length where it does not know the operation.
  const known = op <= 4 || op === 8 || op === 9;
  return {
    text: `ARP, ${what}${known ? `, length ${length}` : ""}`,
    layers: [{ layer: "arp", op, sha, spa, tha, tpa }],
  };
}

/** tcpdump's sentence for each operation. */
function operation(
  op: number,
  sha: string,
  spa: string,
  tha: string,
  tpa: string,
): string {
  switch (op) {
    case 1: {
      const known = tha === "00:00:00:00:00:00" ? "" : ` (${tha})`;
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
