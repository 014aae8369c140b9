/**
 * Slow protocols (EtherType 0x8809): LACP (IEEE 802.1AX) with its actor
 * and partner: `LACPv1, actor 00:11:22:33:44:55 key 13 port 1, partner
 * 00:11:22:33:44:66 key 14 port 2, length 110` (tcpdump's one-line form
 * says only `LACPv1, length 110`). Marker PDUs are named. Pure.
 *
 * @module
 */

import { macAt, u16 } from "./bytes.ts";
import type { LacpPartner, Part } from "./layers.ts";

const LACP = 1;
const MARKER = 2;
/** Subtype, version, then the actor TLV (2 + 18 bytes) and partner TLV. */
const ACTOR = 2;
const PARTNER = 22;
const THROUGH_PARTNER = 42;

/** One end's system, key and port, from its TLV at `at`. */
function end(b: Uint8Array, at: number): LacpPartner {
  return {
    system: macAt(b, at + 4),
    key: u16(b, at + 10),
    port: u16(b, at + 14),
  };
}

/** Decodes a slow-protocols PDU at `at`, `length` bytes on the wire. */
export function decodeSlow(
  b: Uint8Array,
  at: number,
  last: number,
  length: number,
): Part {
  if (last - at < 2) return { text: "Slow Protocols [|slow]", layers: [] };
  const subtype = b[at];
  const version = b[at + 1];
  if (subtype === MARKER) {
    return { text: `MARKERv${version}, length ${length}`, layers: [] };
  }
  if (subtype !== LACP) {
    return {
      text: `Slow Protocols subtype ${subtype}, length ${length}`,
      layers: [],
    };
  }
  if (last - at < THROUGH_PARTNER) {
    return { text: `LACPv${version} [|lacp]`, layers: [] };
  }
  const actor = end(b, at + ACTOR);
  const partner = end(b, at + PARTNER);
  const side = (p: LacpPartner) => `${p.system} key ${p.key} port ${p.port}`;
  return {
    text: `LACPv${version}, actor ${side(actor)}, partner ${
      side(partner)
    }, length ${length}`,
    layers: [{ layer: "lacp", actor, partner }],
  };
}
