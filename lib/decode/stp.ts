/**
 * Spanning tree BPDUs: STP (802.1D), RSTP (802.1w) and MSTP (802.1s), in
 * tcpdump's words: `STP 802.1d, Config, Flags [none], bridge-id
 * 8000.00:11:22:33:44:55.8001, length 35`. Pure.
 *
 * @module
 */

import { flagNames, hexOf, macAt, u16, u32 } from "./bytes.ts";
import type { Part, StpLayer } from "./layers.ts";

const CONFIG = 0x00;
const RAPID = 0x02;
const TOPOLOGY_CHANGE = 0x80;
/** A configuration BPDU; RSTP adds the version 1 length. */
const CONFIG_SIZE = 35;
const RAPID_SIZE = 36;
/** An MST BPDU without MSTI records. */
const MULTIPLE_SIZE = 102;

const VERSIONS: Readonly<Record<number, string>> = {
  0: "802.1d",
  2: "802.1w",
  3: "802.1s",
};

const FLAGS: readonly (readonly [number, string])[] = [
  [0x01, "Topology change"],
  [0x02, "Proposal"],
  [0x10, "Learn"],
  [0x20, "Forward"],
  [0x40, "Agreement"],
  [0x80, "Topology change ACK"],
];

/** A bridge ID as `8000.00:11:22:33:44:55`: priority in hex, dot, MAC. */
function bridgeId(b: Uint8Array, at: number): string {
  return `${hexOf(b, at, at + 2)}.${macAt(b, at + 2)}`;
}

/**
 * Decodes a BPDU at `at`; `length` is its size by the 802.3 length
 * field (what tcpdump prints).
 */
export function decodeStp(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (end - at < 4) return { text: "STP [|stp]", layers: [] };
  const version = b[at + 2];
  const bpdu = b[at + 3];
  const name = VERSIONS[version];
  if (name === undefined) {
    return {
      text: `STP Unknown STP protocol (0x${hexOf(b, at + 2, at + 3)})`,
      layers: [{ layer: "stp", protocol: u16(b, at), version, bpdu }],
    };
  }
  const layer: StpLayer = {
    layer: "stp",
    protocol: u16(b, at),
    version,
    bpdu,
  };
  if (end - at >= CONFIG_SIZE && bpdu !== TOPOLOGY_CHANGE) {
    layer.root = bridgeId(b, at + 5);
    layer.cost = u32(b, at + 13);
    layer.bridge = bridgeId(b, at + 17);
    layer.flags = b[at + 4];
    layer.port = u16(b, at + 25);
    // Times are in 1/256 s on the wire (exact in a JSON number).
    layer.age = u16(b, at + 27) / 256;
    layer.maxage = u16(b, at + 29) / 256;
    layer.hello = u16(b, at + 31) / 256;
    layer.forward = u16(b, at + 33) / 256;
    if (version >= 2 && end - at > CONFIG_SIZE) layer.v1len = b[at + 35];
  }
  return {
    text: `STP ${name}, ${summary(b, at, end, length)}`,
    layers: [layer],
  };
}

/** What the BPDU says, after the version. */
function summary(b: Uint8Array, at: number, end: number, length: number) {
  const version = b[at + 2];
  const bpdu = b[at + 3];
  const flags = flagNames(b[at + 4], FLAGS);
  const bridge = () =>
    `bridge-id ${bridgeId(b, at + 17)}.${hexOf(b, at + 25, at + 27)}`;
  if (version === 0 && bpdu === TOPOLOGY_CHANGE) return "Topology Change";
  if (version === 0 && bpdu === CONFIG) {
    if (end - at < CONFIG_SIZE || length < CONFIG_SIZE) {
      return "Config (invalid)";
    }
    return `Config, Flags [${flags}], ${bridge()}, length ${length}`;
  }
  if (version !== 0 && bpdu === RAPID) {
    if (version === 2) {
      if (end - at < RAPID_SIZE || length < RAPID_SIZE) {
        return "Rapid STP (invalid)";
      }
      return `Rapid STP, Flags [${flags}], ${bridge()}, length ${length}`;
    }
    if (end - at < MULTIPLE_SIZE || length < MULTIPLE_SIZE) {
      return "Rapid STP (invalid)";
    }
    return `Rapid STP, CIST Flags [${flags}], length ${length}`;
  }
  return `Unknown BPDU Type (0x${hexOf(b, at + 3, at + 4)})`;
}
