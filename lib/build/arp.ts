/**
 * Encoding an ARP packet (RFC 826): by default an Ethernet/IPv4 request;
 * address lengths follow the addresses given unless set. Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { hardwareBytes, hexBytes, ipv4Bytes, uint } from "./fields.ts";
import type { ArpBuild } from "./layers.ts";

const IPV4 = 0x0800;

/** The ARP packet `l` stands for. */
export function encodeArp(l: ArpBuild): Uint8Array {
  checkOptions("layer arp", l, {
    layer: "string",
    htype: "number",
    ptype: "number",
    hlen: "number",
    plen: "number",
    op: "number",
    sha: "string",
    spa: "string",
    tha: "string",
    tpa: "string",
  });
  const ptype = uint("arp", "ptype", l.ptype, 0xffff, IPV4);
  const sha = l.sha === undefined
    ? undefined
    : hardwareBytes("arp", "sha", l.sha);
  const hlen = uint("arp", "hlen", l.hlen, 255, sha?.length ?? 6);
  const protocol = (field: "spa" | "tpa", value: string | undefined) =>
    value === undefined
      ? undefined
      : ptype === IPV4 && !value.includes(":")
      ? ipv4Bytes("arp", field, value)
      : hexBytes("arp", field, value);
  const spa = protocol("spa", l.spa);
  const plen = uint("arp", "plen", l.plen, 255, spa?.length ?? 4);
  const tha = l.tha === undefined
    ? undefined
    : hardwareBytes("arp", "tha", l.tha);
  const tpa = protocol("tpa", l.tpa);
  const fields: [string, Uint8Array | undefined, number][] = [
    ["sha", sha, hlen],
    ["spa", spa, plen],
    ["tha", tha, hlen],
    ["tpa", tpa, plen],
  ];
  const p = new Uint8Array(8 + 2 * (hlen + plen));
  const v = new DataView(p.buffer);
  v.setUint16(0, uint("arp", "htype", l.htype, 0xffff, 1));
  v.setUint16(2, ptype);
  p[4] = hlen;
  p[5] = plen;
  v.setUint16(6, uint("arp", "op", l.op, 0xffff, 1));
  let at = 8;
  for (const [name, bytes, size] of fields) {
    if (bytes !== undefined && bytes.length !== size) {
      throw new LayerError(
        `arp.${name} is ${bytes.length} bytes long, but the packet says ${size}`,
      );
    }
    if (bytes !== undefined) p.set(bytes, at); // left out: zeros
    at += size;
  }
  return p;
}
