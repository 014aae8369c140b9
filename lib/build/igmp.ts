/**
 * IGMP messages to build: a v1/v2 query or report or a leave (8 bytes), a
 * v3 query (with its flags and sources) or a v3 report (with its group
 * records); the checksum computed. Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { internetChecksum } from "./checksum.ts";
import { ipv4Bytes, uint } from "./fields.ts";
import type { IgmpBuild } from "./layers.ts";

/** An IGMP message (defaults: a v2 membership report for 0.0.0.0). */
export function encodeIgmp(l: IgmpBuild): Uint8Array {
  checkOptions("layer igmp", l, {
    layer: "string",
    ...Object.fromEntries(
      ["type", "mrc", "checksum", "reserved", "qrv", "qqic"].map((k) => [
        k,
        "number",
      ]),
    ),
    group: "string",
    s: "boolean",
    sources: "array",
    records: "array",
  });
  const type = uint("igmp", "type", l.type, 255, 0x16);
  const body = type === 0x22 ? reportV3(l) : queryOrReport(l, type);
  body[0] = type;
  body[1] = uint("igmp", "mrc", l.mrc, 255, type === 0x11 ? 100 : 0);
  const sum = internetChecksum(body);
  new DataView(body.buffer).setUint16(
    2,
    uint("igmp", "checksum", l.checksum, 0xffff, sum),
  );
  return body;
}

/** 8 bytes, or a v3 query's 12 and its sources when it has v3 fields. */
function queryOrReport(l: IgmpBuild, type: number): Uint8Array {
  const v3 = type === 0x11 &&
    [l.s, l.qrv, l.qqic, l.sources].some((f) => f !== undefined);
  const sources = (l.sources ?? []).map((a, i) =>
    ipv4Bytes("igmp", `sources[${i}]`, a)
  );
  if (!v3 && sources.length > 0) {
    throw new LayerError("igmp.sources belong to a v3 query (type 0x11)");
  }
  const out = new Uint8Array(v3 ? 12 + sources.length * 4 : 8);
  out.set(ipv4Bytes("igmp", "group", l.group ?? "0.0.0.0"), 4);
  if (v3) {
    out[8] = (uint("igmp", "reserved", l.reserved, 15, 0) << 4) |
      (l.s ? 0x08 : 0) | uint("igmp", "qrv", l.qrv, 7, 2);
    out[9] = uint("igmp", "qqic", l.qqic, 255, 125);
    new DataView(out.buffer).setUint16(10, sources.length);
    sources.forEach((a, i) => out.set(a, 12 + i * 4));
  }
  return out;
}

/** A v3 report: its group records, each with its sources. */
function reportV3(l: IgmpBuild): Uint8Array {
  const records = (l.records ?? []).map((r, i) => {
    checkOptions(`igmp.records[${i}]`, r, {
      type: "number",
      group: "string",
      sources: "array",
    });
    const sources = (r.sources ?? []).map((a, j) =>
      ipv4Bytes("igmp", `records[${i}].sources[${j}]`, a)
    );
    const out = new Uint8Array(8 + sources.length * 4);
    out[0] = uint("igmp", `records[${i}].type`, r.type, 255, 4);
    new DataView(out.buffer).setUint16(2, sources.length);
    out.set(ipv4Bytes("igmp", `records[${i}].group`, r.group), 4);
    sources.forEach((a, j) => out.set(a, 8 + j * 4));
    return out;
  });
  const size = records.reduce((n, r) => n + r.length, 8);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint16(4, uint("igmp", "reserved", l.reserved, 0xffff, 0));
  view.setUint16(6, records.length);
  records.reduce((at, r) => (out.set(r, at), at + r.length), 8);
  return out;
}
