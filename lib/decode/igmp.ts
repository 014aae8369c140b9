/**
 * IGMP versions 1 to 3 (RFC 1112, 2236, 3376) in tcpdump's words:
 * `igmp query v2 [max resp time 20]`, `igmp v2 report 239.255.255.250`,
 * `igmp leave 239.1.1.1`, `igmp query v3 [gaddr 239.1.1.1, 2 source(s)]`,
 * `igmp v3 report, 1 group record(s)`. DVMRP, PIMv1, mtrace and mresp
 * end the line after their name.
 *
 * @module
 */

import { ipv4At, u16 } from "./bytes.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";
import type { IgmpLayer, IgmpRecord } from "./layers.ts";

/** The IGMP message at `at` of an IP datagram (ip.length its size). */
export function decodeIgmp(
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext,
): UpperPart {
  const len = ip.length;
  const text = end - at < 1 ? "[|igmp]" : summary(b, at, end, len);
  // DVMRP, PIMv1, mtrace and mresp have formats of their own: not read.
  const known = [0x11, 0x12, 0x16, 0x17, 0x22].includes(b[at]);
  const layer = known && end - at >= 8
    ? igmpLayer(b, at, Math.min(end, at + len))
    : undefined;
  return { text, layers: layer ? [layer] : [], addressed: false };
}

function summary(b: Uint8Array, at: number, end: number, len: number): string {
  const group = () => end - at >= 8 ? ipv4At(b, at + 4) : undefined;
  const cut = (text: string) => `${text} [|igmp]`;
  switch (b[at]) {
    case 0x11:
      return len >= 12 ? queryV3(b, at, end, len) : queryV1V2(b, at, end, len);
    case 0x12: {
      const g = group();
      if (g === undefined) return cut("igmp v1 report");
      return `igmp v1 report ${g}${len !== 8 ? ` [len ${len}]` : ""}`;
    }
    case 0x16:
      return group() === undefined
        ? cut("igmp v2 report")
        : `igmp v2 report ${group()}`;
    case 0x17:
      return group() === undefined
        ? cut("igmp leave")
        : `igmp leave ${group()}`;
    case 0x22:
      if (len < 16 || len & 3) return `igmp v3 report [invalid len ${len}]`;
      if (end - at < 8) return cut("igmp v3 report");
      return `igmp v3 report, ${u16(b, at + 6)} group record(s)`;
    case 0x13:
      return len < 8 ? `igmp dvmrp [len ${len}]` : "igmp dvmrp";
    case 0x14:
      return "igmp pimv1";
    case 0x1e:
      return "mresp";
    case 0x1f:
      return "mtrace";
  }
  return `igmp-${b[at]}`;
}

function queryV1V2(b: Uint8Array, at: number, end: number, len: number) {
  if (end - at < 2) return "igmp query [|igmp]";
  const mrc = b[at + 1];
  let text = "igmp query" +
    (mrc ? ` v2${mrc !== 100 ? ` [max resp time ${mrc}]` : ""}` : " v1");
  if (end - at < 8) return `${text} [|igmp]`;
  const group = ipv4At(b, at + 4);
  if (group !== "0.0.0.0") text += ` [gaddr ${group}]`;
  return len !== 8 ? `${text} [len ${len}]` : text;
}

function queryV3(b: Uint8Array, at: number, end: number, len: number) {
  let text = "igmp query v3";
  if (len & 3) return `${text} [invalid len ${len}]`;
  if (end - at < 12) return `${text} [|igmp]`;
  const mrc = b[at + 1];
  const mrt = mrc < 128
    ? mrc
    : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
  if (mrc !== 100) {
    text += ` [max resp time ${
      mrt < 600
        ? `${(mrt * 0.1).toFixed(1)}s`
        : relativeTime(Math.trunc(mrt / 10))
    }]`;
  }
  const group = ipv4At(b, at + 4);
  if (group === "0.0.0.0") return text;
  text += ` [gaddr ${group}`;
  const sources = u16(b, at + 10);
  if (sources > 0) {
    text += len < 12 + sources * 4
      ? " [invalid number of sources]"
      : `, ${sources} source(s)`;
  }
  return `${text}]`;
}

/** Seconds as tcpdump writes a relative time: `51m12s`. */
function relativeTime(seconds: number): string {
  if (seconds === 0) return "0s";
  const units: [number, string][] = [
    [31536000, "y"],
    [604800, "w"],
    [86400, "d"],
    [3600, "h"],
    [60, "m"],
    [1, "s"],
  ];
  let text = "";
  for (const [size, unit] of units) {
    if (seconds >= size) {
      text += `${Math.floor(seconds / size)}${unit}`;
      seconds %= size;
    }
  }
  return text;
}

/** The message's fields, as far as its bytes go. */
function igmpLayer(b: Uint8Array, at: number, end: number): IgmpLayer {
  const type = b[at];
  const layer: IgmpLayer = {
    layer: "igmp",
    type,
    mrc: b[at + 1],
    checksum: u16(b, at + 2),
  };
  if (type === 0x22) {
    layer.reserved = u16(b, at + 4);
    const records = v3Records(b, at + 8, end, u16(b, at + 6));
    if (records !== undefined) layer.records = records;
    return layer;
  }
  layer.group = ipv4At(b, at + 4);
  if (type === 0x11 && end - at >= 12) {
    if (b[at + 8] >> 4) layer.reserved = b[at + 8] >> 4; // zero, as a rule
    layer.s = (b[at + 8] & 0x08) !== 0;
    layer.qrv = b[at + 8] & 0x07;
    layer.qqic = b[at + 9];
    const count = u16(b, at + 10);
    if (at + 12 + count * 4 <= end) {
      layer.sources = addresses(b, at + 12, count);
    }
  }
  return layer;
}

/** A v3 report's group records, when all of them are there. */
function v3Records(
  b: Uint8Array,
  at: number,
  end: number,
  count: number,
): IgmpRecord[] | undefined {
  const records: IgmpRecord[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 8 > end) return undefined;
    const sources = u16(b, at + 2);
    const size = 8 + sources * 4;
    // Auxiliary data (none is defined for IGMPv3) is not kept: no records.
    if (b[at + 1] !== 0 || at + size > end) return undefined;
    records.push({
      type: b[at],
      group: ipv4At(b, at + 4),
      sources: addresses(b, at + 8, sources),
    });
    at += size;
  }
  return records;
}

function addresses(b: Uint8Array, at: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => ipv4At(b, at + i * 4));
}
