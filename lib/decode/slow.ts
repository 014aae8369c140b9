/**
 * Slow protocols (EtherType 0x8809): LACP (IEEE 802.1AX) with its actor
 * and partner: `LACPv1, actor 00:11:22:33:44:55 key 13 port 1, partner
 * 00:11:22:33:44:66 key 14 port 2, length 110` (tcpdump's one-line form
 * says only `LACPv1, length 110`), with every field of both ends and the
 * collector's delay in the layer. Marker PDUs are named. Pure.
 *
 * @module
 */

import { macAt, u16 } from "./bytes.ts";
import type { LacpLayer, LacpPartner, Part } from "./layers.ts";

const LACP = 1;
const MARKER = 2;
/**
 * Subtype, version, then the actor TLV (2 + 18 bytes), the partner TLV,
 * the collector TLV (2 + 14), the terminator and 50 reserved bytes.
 */
const ACTOR = 2;
const PARTNER = 22;
const THROUGH_PARTNER = 42;
const COLLECTOR = 42;
/** The whole LACPDU's size. */
export const LACPDU_SIZE = 110;

/** One end's priority, system, key, port and state, from its TLV at `at`. */
function end(b: Uint8Array, at: number): LacpPartner {
  return {
    sys_priority: u16(b, at + 2),
    system: macAt(b, at + 4),
    key: u16(b, at + 10),
    port_priority: u16(b, at + 12),
    port: u16(b, at + 14),
    state: b[at + 16],
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
  const layer: LacpLayer = { layer: "lacp", version, actor, partner };
  // The collector's delay only from a whole PDU: it is built again whole.
  if (last - at >= LACPDU_SIZE) layer.max_delay = u16(b, at + COLLECTOR + 2);
  return {
    text: `LACPv${version}, actor ${side(actor)}, partner ${
      side(partner)
    }, length ${length}`,
    layers: [layer],
  };
}
