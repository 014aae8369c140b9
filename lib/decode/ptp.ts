/**
 * PTP, IEEE 1588 (EtherType 0x88f7; UDP ports 319 and 320) in tcpdump's
 * words: `PTPv2, v1 compat : no, msg type : sync msg, length : 44, ...,
 * originTimeStamp : 1700000000 seconds, 5 nanoseconds`, field for field
 * as tcpdump 4.99 prints them. The `ptp` layer holds the common header,
 * the message's timestamp and the port identity it names. Pure.
 *
 * @module
 */

import { flagNames, hexOf, u16, u32 } from "./bytes.ts";
import type { Part, PtpLayer } from "./layers.ts";

/** PTP's EtherType. */
export const PTP_ETHERTYPE = 0x88f7;
/** PTP's UDP ports: event and general messages. */
export const PTP_PORTS: readonly number[] = [319, 320];

const HEADER = 34;

const TYPES: Readonly<Record<number, string>> = {
  0x0: "sync msg",
  0x1: "delay req msg",
  0x2: "peer delay req msg",
  0x3: "peer delay resp msg",
  0x8: "follow up msg",
  0x9: "delay resp msg",
  0xa: "pdelay resp fup msg",
  0xb: "announce msg",
  0xc: "signalling msg",
  0xd: "management msg",
};

const CONTROLS = [
  "Sync",
  "Delay_Req",
  "Follow_Up",
  "Delay_Resp",
  "Management",
  "Other",
];

/** Single-bit flags, in tcpdump's order. */
const FLAGS: readonly (readonly [number, string])[] = [
  [0x1, "l1 61"],
  [0x2, "l1 59"],
  [0x4, "utc reasonable"],
  [0x8, "timescale"],
  [0x10, "time tracable"],
  [0x20, "frequency tracable"],
  [0x100, "alternate master"],
  [0x200, "two step"],
  [0x400, "unicast"],
  [0x1000, "profile specific 1"],
  [0x2000, "profile specific 2"],
  [0x4000, "security mask"],
];

/** Each type's timestamp (as tcpdump names it) and whether a port identity follows. */
const BODIES: Readonly<Record<number, readonly [string, boolean]>> = {
  0x0: ["originTimeStamp", false],
  0x1: ["originTimeStamp", false],
  0x2: ["preciseOriginTimeStamp", true],
  0x3: ["receiveTimeStamp", true],
  0x8: ["preciseOriginTimeStamp", false],
  0x9: ["receiveTimeStamp", true],
  0xa: ["preciseOriginTimeStamp", true],
  0xb: ["originTimeStamp", false],
};

/** Thrown where the capture ends (` [|ptp]` follows). */
const CUT = Symbol("cut");

/** 16 hex digits as tcpdump prints a 64-bit number: `0x` and no leading zeros. */
function hex64(digits: string): string {
  return `0x${digits.replace(/^0+(?=.)/, "")}`;
}

/** The PTP message at `at`, `length` bytes. */
export function decodePtp(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (length < HEADER) {
    return { text: ` [length ${length} < ${HEADER}] (invalid)`, layers: [] };
  }
  if (end - at < 2) return { text: " [|ptp]", layers: [] };
  const text = [`PTPv${b[at + 1]}`];
  if (b[at + 1] === 1) text.push(" (not implemented)");
  // tcpdump prints the byte's value ("PTPv18" for 2.1) and reads only 2;
  // the layer is version 2's, of any minor version.
  if ((b[at + 1] & 0x0f) !== 2) return { text: text.join(""), layers: [] };
  const printed = b[at + 1] === 2;
  const need = (from: number, size: number) => {
    if (from + size > end) throw CUT;
  };
  try {
    need(at, HEADER);
    const shown: string[] = [];
    const layer = header(b, at, shown);
    body(b, at + HEADER, layer, shown, need);
    if (printed) text.push(...shown);
    return { text: text.join(""), layers: [layer] };
  } catch (e) {
    if (e !== CUT) throw e;
    const cut = printed ? " [|ptp]" : "";
    return { text: `${text.join("")}${cut}`, layers: [] };
  }
}

/** The common header's fields, printed as tcpdump prints them. */
function header(b: Uint8Array, at: number, text: string[]): PtpLayer {
  const layer: PtpLayer = {
    layer: "ptp",
    sdoid: b[at] >> 4,
    msgtype: b[at] & 0x0f,
    minor: b[at + 1] >> 4,
    version: b[at + 1] & 0x0f,
    len: u16(b, at + 2),
    domain: b[at + 4],
    minorsdoid: b[at + 5],
    flags: u16(b, at + 6),
    correction: u32(b, at + 8) * 0x10000 + u16(b, at + 12),
    subns: u16(b, at + 14),
    specific: u32(b, at + 16),
    clock: hexOf(b, at + 20, at + 28),
    port: u16(b, at + 28),
    seq: u16(b, at + 30),
    control: b[at + 32],
    interval: (b[at + 33] << 24) >> 24,
  };
  text.push(
    `, v1 compat : ${b[at] & 0x10 ? "yes" : "no"}`,
    `, msg type : ${TYPES[layer.msgtype] ?? "Reserved"}`,
    `, length : ${layer.len}, domain : ${layer.domain}`,
    `, reserved1 : ${layer.minorsdoid}`,
    `, Flags [${flagNames(layer.flags, FLAGS)}]`,
    `, NS correction : ${layer.correction}, sub NS correction : ${layer.subns}`,
    `, reserved2 : ${layer.specific}`,
    `, clock identity : ${hex64(layer.clock)}`,
    `, port id : ${layer.port}, seq id : ${layer.seq}`,
    `, control : ${layer.control} (${CONTROLS[layer.control] ?? "Reserved"})`,
    `, log message interval : ${b[at + 33]}`,
  );
  return layer;
}

/** The message's timestamp and port identity, where its type has them. */
function body(
  b: Uint8Array,
  at: number,
  layer: PtpLayer,
  text: string[],
  need: (from: number, size: number) => void,
): void {
  const identity = (from: number) => {
    need(from, 10);
    text.push(
      `, port identity : ${hex64(hexOf(b, from, from + 8))}`,
      `, port id : ${u16(b, from + 8)}`,
    );
    return hexOf(b, from, from + 10);
  };
  const shape = BODIES[layer.msgtype];
  if (shape !== undefined) {
    const [name, withIdentity] = shape;
    need(at, 6);
    const seconds = u16(b, at) * 2 ** 32 + u32(b, at + 2);
    // An announce's timestamp has no comma before its nanoseconds.
    text.push(
      `, ${name} : ${seconds} seconds${layer.msgtype === 0xb ? "" : ","}`,
    );
    need(at + 6, 4);
    layer.seconds = seconds;
    layer.nanoseconds = u32(b, at + 6);
    text.push(` ${layer.nanoseconds} nanoseconds`);
    if (withIdentity) layer.target = identity(at + 10);
    if (layer.msgtype === 0xb) announce(b, at + 10, text, need);
    return;
  }
  if (layer.msgtype === 0xc || layer.msgtype === 0xd) {
    layer.target = identity(at);
  }
  if (layer.msgtype === 0xd) {
    // tcpdump reads these four from the same byte, the identity's first.
    const first = b[at];
    text.push(
      `, , start boundary hops  ${first}, , boundary hops  ${first}`,
      `, , flags  0x${first.toString(16)}, , reserved  0x${first.toString(16)}`,
    );
  }
}

/** An announce's grandmaster fields after its timestamp. */
function announce(
  b: Uint8Array,
  at: number,
  text: string[],
  need: (from: number, size: number) => void,
): void {
  need(at, 20);
  text.push(
    `, origin cur utc :${u16(b, at)}, rsvd : ${b[at + 2]}`,
    `, gm priority_1 : ${b[at + 3]}, gm clock class : ${b[at + 4]}`,
    `, gm clock accuracy : ${b[at + 5]}, gm clock variance : ${u16(b, at + 6)}`,
    `, gm priority_2 : ${b[at + 8]}`,
    `, gm clock id : ${hex64(hexOf(b, at + 9, at + 17))}`,
    `, steps removed : ${u16(b, at + 17)}, time source : 0x${
      b[at + 19].toString(16)
    }`,
  );
}
