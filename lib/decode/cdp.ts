/**
 * CDP, Cisco's discovery protocol (SNAP, Cisco's OUI, PID 0x2000): the
 * line as tcpdump's first line shows it (`CDPv2, ttl: 180s, Device-ID
 * 'SW1'`; tcpdump dumps the other TLVs in hex on lines of their own, so
 * the line ends there, or with `, length N` when nothing else came), and
 * the `cdp` layer: version, TTL, checksum and every TLV, the device ID by
 * name. Pure.
 *
 * @module
 */

import { hexOf, tcpdumpChar, u16, wireText } from "./bytes.ts";
import type { CdpLayer, Part } from "./layers.ts";

/** CDP's SNAP protocol ID under Cisco's OUI. */
export const CDP_PID = 0x2000;

const HEADER = 4;
const DEVICE_ID = 1;

/** The CDP packet at `at`, `length` bytes. */
export function decodeCdp(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (length < HEADER) {
    return {
      text: ` (packet length ${length} < ${HEADER}) (invalid)`,
      layers: [],
    };
  }
  if (end - at < HEADER) return { text: " [|cdp]", layers: [] };
  const layer: CdpLayer = {
    layer: "cdp",
    version: b[at],
    ttl: b[at + 1],
    checksum: u16(b, at + 2),
    tlvs: [],
  };
  let text = `CDPv${layer.version}, ttl: ${layer.ttl}s`;
  let ended = false;
  const stop = Math.min(end, at + length);
  let p = at + HEADER;
  let left = length - HEADER;
  while (left > 0) {
    const problem = left < 4
      ? ` (remaining packet length ${left} < 4)`
      : p + 4 > end
      ? " [|cdp]"
      : u16(b, p + 2) < 4
      ? ` (TLV length ${u16(b, p + 2)} < 4)`
      : u16(b, p + 2) > left
      ? ` (TLV length ${u16(b, p + 2)} > ${left})`
      : p + u16(b, p + 2) > stop
      ? " [|cdp]"
      : undefined;
    if (problem !== undefined) {
      const tail = problem === " [|cdp]" ? problem : `${problem} (invalid)`;
      return { text: ended ? text : text + tail, layers: [layer] };
    }
    const type = u16(b, p);
    const size = u16(b, p + 2);
    const value = b.subarray(p + 4, p + size);
    layer.tlvs.push({ type, data: hexOf(b, p + 4, p + size) });
    if (type === DEVICE_ID && layer.deviceid === undefined) {
      const id = wireText(b, p + 4, p + size);
      if (id.quoted) layer.deviceid = id.value;
    }
    // tcpdump dumps any other TLV in hex on a line of its own.
    if (type !== DEVICE_ID) ended = true;
    else if (!ended) {
      text += `, Device-ID '${Array.from(value, tcpdumpChar).join("")}'`;
    }
    p += size;
    left -= size;
  }
  return { text: ended ? text : `${text}, length ${length}`, layers: [layer] };
}
