/**
 * TCP flags from text: tcpdump's letters (`S`, `S.`, `P.`, `FRPU`) or
 * scapy's (`SA`, `PA`, with `A` for ACK and `C` for CWR), `none`, or the
 * flag byte as a number. Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";

const BITS: Readonly<Record<string, number>> = {
  F: 0x01,
  S: 0x02,
  R: 0x04,
  P: 0x08,
  ".": 0x10,
  A: 0x10,
  U: 0x20,
  E: 0x40,
  W: 0x80,
  C: 0x80,
};

/** The flag byte `flags` stands for. */
export function tcpFlagBits(flags: string | number): number {
  if (typeof flags === "number") {
    if (Number.isInteger(flags) && flags >= 0 && flags <= 255) return flags;
  } else if (flags === "none" || flags === "") {
    return 0;
  } else if ([...flags].every((c) => c in BITS)) {
    return [...flags].reduce((bits, c) => bits | BITS[c], 0);
  }
  throw new LayerError(
    `tcp.flags must be letters of FSRP.UEW (tcpdump's) or A and C (scapy's), "none", or 0-255, not ${
      JSON.stringify(flags)
    }`,
  );
}
