/**
 * HSRP version 0 messages to build: an active router's hello by default,
 * with Cisco's default authentication ("cisco"). Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { hexBytes, ipv4Bytes, uint } from "./fields.ts";
import type { HsrpBuild } from "./layers.ts";

const FIELDS = [
  ["version", 0],
  ["op", 0],
  ["state", 16],
  ["hello", 3],
  ["hold", 10],
  ["prio", 100],
  ["group", 0],
  ["reserved", 0],
] as const;

/** "cisco", padded to 8 bytes. */
const CISCO = "636973636f000000";

/** A 20-byte HSRP message. */
export function encodeHsrp(l: HsrpBuild): Uint8Array {
  checkOptions("layer hsrp", l, {
    layer: "string",
    ...Object.fromEntries(FIELDS.map(([k]) => [k, "number"])),
    auth: ["string", "Uint8Array"],
    addr: "string",
  });
  const out = new Uint8Array(20);
  FIELDS.forEach(([name, byDefault], i) => {
    out[i] = uint("hsrp", name, l[name], 255, byDefault);
  });
  const auth = hexBytes("hsrp", "auth", l.auth ?? CISCO);
  if (auth.length !== 8) {
    throw new LayerError(`hsrp.auth is 8 bytes, not ${auth.length}`);
  }
  out.set(auth, 8);
  out.set(ipv4Bytes("hsrp", "addr", l.addr ?? "0.0.0.0"), 16);
  return out;
}
