/**
 * Encoding a LACP data unit (IEEE 802.1AX): version, the actor's and the
 * partner's information, the collector's delay, the terminator and the
 * reserved bytes, 110 in all. Left out: version 1; for the actor system
 * priority 65535 and port priority 255 (Linux bonding's), key and port 1,
 * state 0x05 (active, aggregatable); a partner not yet known (all zero).
 * Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { LACPDU_SIZE } from "../decode/slow.ts";
import { hardwareBytes, uint } from "./fields.ts";
import type { LacpBuild } from "./layers.ts";
import type { LacpPartner } from "../decode/layers.ts";

const LACP_SUBTYPE = 1;
/** Where each TLV starts, its type and its length. */
const ACTOR = [2, 1, 20] as const;
const PARTNER = [22, 2, 20] as const;
const COLLECTOR = [42, 3, 16] as const;

/** The LACPDU `l` stands for. */
export function encodeLacp(l: LacpBuild): Uint8Array {
  checkOptions("layer lacp", l, {
    layer: "string",
    version: "number",
    actor: "object",
    partner: "object",
    max_delay: "number",
  });
  const b = new Uint8Array(LACPDU_SIZE);
  const v = new DataView(b.buffer);
  b[0] = LACP_SUBTYPE;
  b[1] = uint("lacp", "version", l.version, 255, 1);
  putEnd(b, v, ACTOR, "actor", l.actor);
  putEnd(b, v, PARTNER, "partner", l.partner);
  const [at, type, length] = COLLECTOR;
  b.set([type, length], at);
  v.setUint16(at + 2, uint("lacp", "max_delay", l.max_delay, 0xffff, 0));
  // Then the terminator (type 0, length 0) and reserved bytes: all zero.
  return b;
}

/** One end's TLV at its place; an actor's defaults, or a partner's. */
function putEnd(
  b: Uint8Array,
  v: DataView,
  [at, type, length]: readonly [number, number, number],
  side: "actor" | "partner",
  given: Partial<LacpPartner> | undefined,
): void {
  const what = `lacp.${side}`;
  const end = given ?? {};
  checkOptions(what, end, {
    sys_priority: "number",
    system: "string",
    key: "number",
    port_priority: "number",
    port: "number",
    state: "number",
  });
  b.set([type, length], at);
  const number = (field: keyof LacpPartner, max: number, fallback: number) =>
    uint(what, field, end[field], max, side === "actor" ? fallback : 0);
  v.setUint16(at + 2, number("sys_priority", 0xffff, 65535));
  const mac = hardwareBytes(what, "system", end.system ?? "00:00:00:00:00:00");
  if (mac.length !== 6) {
    throw new LayerError(
      `${what}.system must be a MAC like 02:00:00:00:00:01, not ${
        JSON.stringify(end.system)
      }`,
    );
  }
  b.set(mac, at + 4);
  v.setUint16(at + 10, number("key", 0xffff, 1));
  v.setUint16(at + 12, number("port_priority", 0xffff, 255));
  v.setUint16(at + 14, number("port", 0xffff, 1));
  b[at + 16] = number("state", 255, 0x05);
}
