/**
 * 802.2 LLC, and SNAP above it, as tcpdump shows them after an 802.3
 * header: `LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl
 * 0x03: STP ...`; `oui Cisco (0x00000c), pid CDP (0x2000), length 4`. SNAP
 * with OUI 0 carries an EtherType, decoded as on Ethernet. Pure.
 *
 * @module
 */

import { hexNumber, u16 } from "./bytes.ts";
import type { Part } from "./layers.ts";
import { decodeStp } from "./stp.ts";
import { BY_SNAP } from "./registry.ts";

const STP = 0x42;
const SNAP = 0xaa;
/** Unnumbered information: the control of STP and SNAP frames. */
const UI = 0x03;

const SAPS: Readonly<Record<number, string>> = {
  0x00: "Null",
  0x02: "802.1B I",
  0x03: "802.1B G",
  0x04: "SNA",
  0x06: "IP",
  0x0e: "ProWay NM",
  0x42: "STP",
  0x4e: "RS511",
  0x7e: "ISO8208",
  0x8e: "ProWay",
  0xaa: "SNAP",
  0xe0: "IPX",
  0xf0: "NetBeui",
  0xfe: "OSI",
  0xff: "Global",
};

const OUIS: Readonly<Record<number, string>> = {
  0x000000: "Ethernet",
  0x00000c: "Cisco",
  0x0000f8: "Cisco",
  0x0080c2: "Ethernet bridged",
  0x080007: "Appletalk",
};

const CISCO_PIDS: Readonly<Record<number, string>> = {
  0x2000: "CDP",
  0x2003: "VTP",
  0x2004: "DTP",
  0x010b: "PVST",
  0x0111: "UDLD",
};

const BRIDGED_PIDS: Readonly<Record<number, string>> = {
  0x0001: "Ethernet + FCS",
  0x0007: "Ethernet w/o FCS",
  0x000e: "BPDU",
};

/** tcpdump's names of the EtherTypes SNAP most often carries. */
const ETHER_TYPES: Readonly<Record<number, string>> = {
  0x0800: "IPv4",
  0x0806: "ARP",
  0x86dd: "IPv6",
  0x8100: "802.1Q",
  0x8809: "Slow Protocols",
  0x88cc: "LLDP",
};

/** What an EtherType after SNAP decodes to (the Ethernet dispatcher). */
export type EtherTypeDecoder = (
  type: number,
  b: Uint8Array,
  at: number,
  end: number,
) => Part | undefined;

/**
 * Decodes the LLC header at `at` of an 802.3 frame whose length field
 * says `length` bytes; `byType` decodes what SNAP encapsulates.
 */
export function decodeLlc(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
  byType: EtherTypeDecoder,
): Part {
  if (end - at < 3) return { text: "LLC [|llc]", layers: [] };
  const dsap = b[at];
  const ssap = b[at + 1];
  const unnumbered = (b[at + 2] & 0x03) === 0x03;
  if (!unnumbered && end - at < 4) return { text: "LLC [|llc]", layers: [] };
  const control = unnumbered ? b[at + 2] : b[at + 2] | (b[at + 3] << 8);
  const size = unnumbered ? 3 : 4;
  const header = `LLC, dsap ${sap(dsap)} ${
    dsap & 1 ? "Group" : "Individual"
  }, ssap ${sap(ssap)} ${ssap & 1 ? "Response" : "Command"}, ctrl ${
    hexNumber(control, unnumbered ? 2 : 4)
  }`;
  const layers = [{ layer: "llc" as const, dsap, ssap, control }];
  let upper: Part | undefined;
  if (dsap === STP && ssap === STP && control === UI) {
    upper = decodeStp(b, at + size, end, length - size);
  } else if (dsap === SNAP && ssap === SNAP && control === UI) {
    upper = decodeSnap(b, at + size, end, length - size, byType);
  }
  return upper === undefined ? { text: header, layers } : {
    text: `${header}: ${upper.text}`,
    layers: [...layers, ...upper.layers],
  };
}

/** `STP (0x42)`: a SAP's name and value, without its low bit. */
function sap(value: number): string {
  const masked = value & 0xfe;
  return `${SAPS[masked] ?? "Unknown"} (${hexNumber(masked, 2)})`;
}

/** Decodes a SNAP header at `at`, `length` bytes by the 802.3 length. */
function decodeSnap(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
  byType: EtherTypeDecoder,
): Part {
  if (end - at < 5) return { text: "[|snap]", layers: [] };
  const oui = (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
  const pid = u16(b, at + 3);
  const layers = [{ layer: "snap" as const, oui, pid }];
  const named = `oui ${OUIS[oui] ?? "Unknown"} (${hexNumber(oui, 6)})`;
  if (oui === 0) {
    const upper = byType(pid, b, at + 5, end);
    const head = `${named}, ethertype ${ETHER_TYPES[pid] ?? "Unknown"} (${
      hexNumber(pid, 4)
    }), length ${length - 5}`;
    return upper === undefined ? { text: head, layers } : {
      text: `${head}: ${upper.text}`,
      layers: [...layers, ...upper.layers],
    };
  }
  const pidName = oui === 0x00000c
    ? CISCO_PIDS[pid]
    : oui === 0x0080c2
    ? BRIDGED_PIDS[pid]
    : undefined;
  const head = `${named}, pid ${pidName ?? "Unknown"} (${
    hexNumber(pid, 4)
  }), length ${length - 5}`;
  // Cisco's PVST+ BPDUs, say: what the organisation's protocol carries.
  const upper = BY_SNAP.get(oui * 0x10000 + pid)?.(b, at + 5, end, length - 5);
  return upper === undefined ? { text: head, layers } : {
    text: `${head}: ${upper.text}`,
    layers: [...layers, ...upper.layers],
  };
}
