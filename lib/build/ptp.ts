/**
 * PTP version 2 messages to build: a sync by default; the control field
 * follows the message type, the length is computed, and the types that
 * carry a timestamp or a port identity get them (zero unless given).
 * Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { hexBytes, uint } from "./fields.ts";
import type { PtpBuild } from "./layers.ts";

/** Types with a timestamp, and of those the ones with a port identity. */
const TIMESTAMPED = [0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa, 0xb];
const IDENTIFIED = [0x2, 0x3, 0x9, 0xa, 0xc, 0xd];
/** The control field version 1 hardware expects, by message type. */
const CONTROL: Readonly<Record<number, number>> = {
  0x0: 0,
  0x1: 1,
  0x8: 2,
  0x9: 3,
  0xd: 4,
};

/** The header, timestamp and port identity, before `rest`. */
export function encodePtp(l: PtpBuild, rest: Uint8Array): Uint8Array {
  checkOptions("layer ptp", l, {
    layer: "string",
    ...Object.fromEntries(
      ["sdoid", "msgtype", "minor", "version", "len", "domain", "minorsdoid"]
        .concat(["flags", "correction", "subns", "specific", "port", "seq"])
        .concat(["control", "interval", "seconds", "nanoseconds"])
        .map((k) => [k, "number"]),
    ),
    clock: "string",
    target: "string",
  });
  const type = uint("ptp", "msgtype", l.msgtype, 15, 0);
  const stamped = TIMESTAMPED.includes(type);
  const identified = IDENTIFIED.includes(type);
  const size = 34 + (stamped ? 10 : 0) + (identified ? 10 : 0);
  const out = new Uint8Array(size + rest.length);
  const view = new DataView(out.buffer);
  out[0] = (uint("ptp", "sdoid", l.sdoid, 15, 0) << 4) | type;
  out[1] = (uint("ptp", "minor", l.minor, 15, 0) << 4) |
    uint("ptp", "version", l.version, 15, 2);
  view.setUint16(2, uint("ptp", "len", l.len, 0xffff, out.length));
  out[4] = uint("ptp", "domain", l.domain, 255, 0);
  out[5] = uint("ptp", "minorsdoid", l.minorsdoid, 255, 0);
  view.setUint16(6, uint("ptp", "flags", l.flags, 0xffff, 0));
  const ns = uint("ptp", "correction", l.correction, 2 ** 48 - 1, 0);
  view.setUint32(8, Math.floor(ns / 0x10000));
  view.setUint16(12, ns % 0x10000);
  view.setUint16(14, uint("ptp", "subns", l.subns, 0xffff, 0));
  view.setUint32(16, uint("ptp", "specific", l.specific, 0xffffffff, 0));
  out.set(fixedHex("clock", l.clock, 8), 20);
  view.setUint16(28, uint("ptp", "port", l.port, 0xffff, 1));
  view.setUint16(30, uint("ptp", "seq", l.seq, 0xffff, 0));
  out[32] = uint("ptp", "control", l.control, 255, CONTROL[type] ?? 5);
  const interval = l.interval ?? 0;
  if (!Number.isInteger(interval) || interval < -128 || interval > 127) {
    throw new LayerError(`ptp.interval is -128 to 127, not ${interval}`);
  }
  out[33] = interval & 0xff;
  if (stamped) {
    const seconds = uint("ptp", "seconds", l.seconds, 2 ** 48 - 1, 0);
    view.setUint16(34, Math.floor(seconds / 2 ** 32));
    view.setUint32(36, seconds % 2 ** 32);
    view.setUint32(
      40,
      uint("ptp", "nanoseconds", l.nanoseconds, 0xffffffff, 0),
    );
  } else if (l.seconds !== undefined || l.nanoseconds !== undefined) {
    throw new LayerError(`ptp message type ${type} has no timestamp`);
  }
  if (identified) out.set(fixedHex("target", l.target, 10), stamped ? 44 : 34);
  else if (l.target !== undefined) {
    throw new LayerError(`ptp message type ${type} names no port identity`);
  }
  out.set(rest, size);
  return out;
}

/** A hex field of exactly `size` bytes (zeros when not given). */
function fixedHex(name: string, value: string | undefined, size: number) {
  const bytes = hexBytes("ptp", name, value ?? "00".repeat(size));
  if (bytes.length !== size) {
    throw new LayerError(`ptp.${name} is ${size} bytes, not ${bytes.length}`);
  }
  return bytes;
}
