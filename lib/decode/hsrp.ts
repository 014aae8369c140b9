/**
 * HSRP version 0 (RFC 2281; Cisco's router redundancy, UDP port 1985) in
 * tcpdump's words: `HSRPv0-hello 20: state=active group=1
 * addr=192.168.0.1`. Version 2 (TLVs) is named and not read.
 *
 * @module
 */

import { hexOf, ipv4At } from "./bytes.ts";
import type { HsrpLayer, Part } from "./layers.ts";

/** HSRP's UDP port. */
export const HSRP_PORT = 1985;

const OPS = ["hello", "coup", "resign"];

/** State names, by number. */
const STATES: Readonly<Record<number, string>> = {
  0: "initial",
  1: "learn",
  2: "listen",
  4: "speak",
  8: "standby",
  16: "active",
};

/** The HSRP message at `at`, `length` bytes of UDP payload. */
export function decodeHsrp(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (end - at < 1) return { text: "[|hsrp]", layers: [] };
  const version = b[at];
  let text = `HSRPv${version}`;
  if (version !== 0) return { text, layers: [] };
  const have = (n: number) => end - at >= n;
  const cut = () => ({ text: `${text} [|hsrp]`, layers: [] });
  if (!have(2)) return cut();
  text += `-${OPS[b[at + 1]] ?? `unknown (${b[at + 1]})`} ${length}: `;
  if (!have(3)) return cut();
  text += `state=${STATES[b[at + 2]] ?? `Unknown (${b[at + 2]})`} `;
  if (!have(7)) return cut();
  text += `group=${b[at + 6]} `;
  if (!have(8)) return cut();
  if (b[at + 7] !== 0) text += `[reserved=${b[at + 7]}!] `;
  if (!have(20)) return cut();
  const layer: HsrpLayer = {
    layer: "hsrp",
    version,
    op: b[at + 1],
    state: b[at + 2],
    hello: b[at + 3],
    hold: b[at + 4],
    prio: b[at + 5],
    group: b[at + 6],
    reserved: b[at + 7],
    auth: hexOf(b, at + 8, at + 16),
    addr: ipv4At(b, at + 16),
  };
  return { text: `${text}addr=${layer.addr}`, layers: [layer] };
}
