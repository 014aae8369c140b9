/**
 * 802.1X port access (EAPOL, EtherType 0x888e) in tcpdump's words:
 * `EAP packet (0) v2, len 5`, `EAPOL start (1) v1, len 0`, `EAPOL key (3)
 * v2, len 95`. An EAP packet's header (code, identifier, length, type) is
 * its own layer; what follows it is data.
 *
 * @module
 */

import { u16 } from "./bytes.ts";
import type { EapLayer, EapolLayer, Part } from "./layers.ts";

/** The EtherType of 802.1X. */
export const EAPOL_ETHERTYPE = 0x888e;

/** Packet types, as tcpdump names them. */
const TYPES: Readonly<Record<number, string>> = {
  0: "EAP packet",
  1: "EAPOL start",
  2: "EAPOL logoff",
  3: "EAPOL key",
  4: "Encapsulated ASF alert",
};

/** The EAPOL packet at `at`. */
export function decodeEapol(b: Uint8Array, at: number, end: number): Part {
  if (end - at < 4) return { text: " [|eap]", layers: [] };
  const layer: EapolLayer = {
    layer: "eapol",
    version: b[at],
    type: b[at + 1],
    len: u16(b, at + 2),
  };
  const text = `${
    TYPES[layer.type] ?? "unknown"
  } (${layer.type}) v${layer.version}, len ${layer.len}`;
  const eap = layer.type === 0 ? eapLayer(b, at + 4, end) : undefined;
  return { text, layers: eap ? [layer, eap] : [layer] };
}

/** An EAP packet's header, when its bytes are there. */
function eapLayer(
  b: Uint8Array,
  at: number,
  end: number,
): EapLayer | undefined {
  if (end - at < 4) return undefined;
  const code = b[at];
  const len = u16(b, at + 2);
  // Requests and responses name their type in the fifth byte.
  const typed = (code === 1 || code === 2) && len >= 5 && end - at >= 5;
  return {
    layer: "eap",
    code,
    id: b[at + 1],
    len,
    ...(typed ? { type: b[at + 4] } : {}),
  };
}
