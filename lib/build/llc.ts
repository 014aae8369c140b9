/**
 * Encoding 802.2 LLC, SNAP and spanning tree BPDUs (802.1D configuration
 * and topology change, 802.1w RST), the layers of an 802.3 frame. What a
 * layer leaves out follows from the layer after it: LLC 42 42 03 before
 * STP, AA AA 03 before SNAP; SNAP carries Cisco's PVST+ (00000c/010b)
 * before STP, an EtherType (OUI 0) before anything else. Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { hardwareBytes, uint } from "./fields.ts";
import type { BuildLayer, LlcBuild, SnapBuild, StpBuild } from "./layers.ts";

/** An LLC header; `next` is the layer it carries. */
export function encodeLlc(
  l: LlcBuild,
  next: BuildLayer | undefined,
): Uint8Array {
  checkOptions("layer llc", l, {
    layer: "string",
    dsap: "number",
    ssap: "number",
    control: "number",
  });
  const sap = next?.layer === "snap" ? 0xaa : next?.layer === "stp" ? 0x42 : 0;
  const control = uint("llc", "control", l.control, 0xffff, 0x03);
  const unnumbered = (control & 0x03) === 0x03;
  if (unnumbered && control > 0xff) {
    throw new LayerError(
      `llc.control of a U frame is one byte, not ${control}`,
    );
  }
  const h = new Uint8Array(unnumbered ? 3 : 4);
  h[0] = uint("llc", "dsap", l.dsap, 255, sap);
  h[1] = uint("llc", "ssap", l.ssap, 255, sap);
  h[2] = control & 0xff;
  if (!unnumbered) h[3] = control >> 8;
  return h;
}

/** A SNAP header; `next` is the layer it carries. */
export function encodeSnap(
  l: SnapBuild,
  next: BuildLayer | undefined,
  etherTypeOf: (layer: BuildLayer | undefined) => number | undefined,
): Uint8Array {
  checkOptions("layer snap", l, {
    layer: "string",
    oui: "number",
    pid: "number",
  });
  const pvst = next?.layer === "stp";
  const cisco = pvst || next?.layer === "cdp";
  const h = new Uint8Array(5);
  const oui = uint("snap", "oui", l.oui, 0xffffff, cisco ? 0x00000c : 0);
  h.set([oui >> 16, (oui >> 8) & 0xff, oui & 0xff]);
  const pid = uint(
    "snap",
    "pid",
    l.pid,
    0xffff,
    pvst ? 0x010b : next?.layer === "cdp" ? 0x2000 : etherTypeOf(next) ?? 0,
  );
  h.set([pid >> 8, pid & 0xff], 3);
  return h;
}

/** A BPDU: configuration (default), RST (version 2), or TCN (bpdu 0x80). */
export function encodeStp(l: StpBuild): Uint8Array {
  checkOptions("layer stp", l, {
    layer: "string",
    ...Object.fromEntries(
      [
        "protocol",
        "version",
        "bpdu",
        "cost",
        "flags",
        "port",
        "age",
        "maxage",
        "hello",
        "forward",
        "v1len",
      ]
        .map((k) => [k, "number"]),
    ),
    root: "string",
    bridge: "string",
  });
  const version = uint("stp", "version", l.version, 255, 0);
  const bpdu = uint("stp", "bpdu", l.bpdu, 255, version >= 2 ? 0x02 : 0x00);
  const protocol = uint("stp", "protocol", l.protocol, 0xffff, 0);
  if (bpdu === 0x80) {
    return Uint8Array.of(protocol >> 8, protocol & 0xff, version, bpdu);
  }
  if (version > 2) {
    throw new LayerError("stp: MSTP BPDUs (version 3) are not built yet");
  }
  const b = new Uint8Array(version >= 2 ? 36 : 35);
  const v = new DataView(b.buffer);
  v.setUint16(0, protocol);
  b[2] = version;
  b[3] = bpdu;
  b[4] = uint("stp", "flags", l.flags, 255, 0);
  const root = bridgeIdBytes("root", l.root ?? "8000.00:00:00:00:00:00");
  b.set(root, 5);
  v.setUint32(13, uint("stp", "cost", l.cost, 0xffffffff, 0));
  b.set(l.bridge === undefined ? root : bridgeIdBytes("bridge", l.bridge), 17);
  v.setUint16(25, uint("stp", "port", l.port, 0xffff, 0x8001));
  const times: [keyof StpBuild, number | undefined, number][] = [
    ["age", l.age, 0],
    ["maxage", l.maxage, 20],
    ["hello", l.hello, 2],
    ["forward", l.forward, 15],
  ];
  times.forEach(([name, value, fallback], i) => {
    const seconds = value ?? fallback;
    v.setUint16(
      27 + 2 * i,
      uint("stp", String(name), Math.round(seconds * 256), 0xffff, 0),
    );
  });
  if (version >= 2) b[35] = uint("stp", "v1len", l.v1len, 255, 0);
  return b;
}

/** `8000.00:11:22:33:44:55`: priority in hex, a dot, the MAC. */
function bridgeIdBytes(field: string, text: string): Uint8Array {
  const m = /^([0-9a-fA-F]{4})\.(.+)$/.exec(text);
  if (m === null) {
    throw new LayerError(
      `stp.${field} must be a bridge ID like 8000.00:11:22:33:44:55, not ${
        JSON.stringify(text)
      }`,
    );
  }
  const out = new Uint8Array(8);
  out[0] = parseInt(m[1].slice(0, 2), 16);
  out[1] = parseInt(m[1].slice(2), 16);
  const mac = hardwareBytes("stp", field, m[2]);
  if (mac.length !== 6) {
    throw new LayerError(`stp.${field}: the MAC must be six bytes`);
  }
  out.set(mac, 2);
  return out;
}
