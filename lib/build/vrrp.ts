/**
 * VRRP advertisements to build: version 2 (IPv4, checksum over the
 * message) or 3 (IPv4 or IPv6, checksum with the IP pseudo-header), the
 * address count and checksum computed, the addresses of the IP header's
 * version. Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { internetChecksum, pseudoChecksum } from "./checksum.ts";
import { ipv4Bytes, ipv6Bytes, uint } from "./fields.ts";
import type { VrrpBuild } from "./layers.ts";

/** The IP addresses around the message (their length says the version). */
interface Around {
  src: Uint8Array;
  dst: Uint8Array;
}

/** A VRRP message before `rest` (version 2's authentication data, if any). */
export function encodeVrrp(
  l: VrrpBuild,
  rest: Uint8Array,
  around: Around | undefined,
): Uint8Array {
  checkOptions("layer vrrp", l, {
    layer: "string",
    ...Object.fromEntries(
      ["version", "type", "vrid", "prio", "count", "authtype", "reserved"]
        .concat(["intvl", "checksum"]).map((k) => [k, "number"]),
    ),
    addrs: "array",
  });
  if (around === undefined) {
    throw new LayerError("vrrp goes inside an ipv4 or ipv6 layer");
  }
  const v6 = around.src.length === 16;
  const version = uint("vrrp", "version", l.version, 15, v6 ? 3 : 2);
  if (version !== 2 && version !== 3) {
    throw new LayerError(`vrrp.version is 2 or 3, not ${version}`);
  }
  if (v6 && version === 2) {
    throw new LayerError("vrrp.version 2 is for IPv4 only: use 3 over IPv6");
  }
  const addrs = (l.addrs ?? []).map((a, i) =>
    (v6 ? ipv6Bytes : ipv4Bytes)("vrrp", `addrs[${i}]`, a)
  );
  const out = new Uint8Array(8 + addrs.length * (v6 ? 16 : 4) + rest.length);
  const view = new DataView(out.buffer);
  out[0] = (version << 4) | uint("vrrp", "type", l.type, 15, 1);
  out[1] = uint("vrrp", "vrid", l.vrid, 255, 1);
  out[2] = uint("vrrp", "prio", l.prio, 255, 100);
  out[3] = uint("vrrp", "count", l.count, 255, addrs.length);
  if (version === 2) {
    out[4] = uint("vrrp", "authtype", l.authtype, 255, 0);
    out[5] = uint("vrrp", "intvl", l.intvl, 255, 1);
  } else {
    const intvl = uint("vrrp", "intvl", l.intvl, 0xfff, 100);
    view.setUint16(
      4,
      (uint("vrrp", "reserved", l.reserved, 15, 0) << 12) | intvl,
    );
  }
  addrs.forEach((a, i) => out.set(a, 8 + i * a.length));
  out.set(rest, out.length - rest.length);
  const sum = version === 2
    ? internetChecksum(out)
    : pseudoChecksum(around.src, around.dst, 112, out);
  view.setUint16(6, uint("vrrp", "checksum", l.checksum, 0xffff, sum));
  return out;
}
