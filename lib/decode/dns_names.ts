/**
 * Domain names on the wire (RFC 1035 4.1.4): labels and compression
 * pointers. Two readers: tcpdump's, for lines (`example.com.`, `<BAD PTR>`,
 * bytes shown as `M-` and `^` as tcpdump shows them), and one for layers,
 * in presentation form (`example.com.`, other bytes as `\DDD`). Both
 * follow a pointer only backwards, as BIND and tcpdump do: no name loops,
 * and a name costs at most the bytes before it. Pure.
 *
 * @module
 */

import { tcpdumpChar } from "./bytes.ts";

/** Thrown when a byte a name needs was not captured. */
export const DNS_CUT: unique symbol = Symbol("dns cut");

const POINTER = 0xc0;
const EXTENDED = 0x40;
/** The most of one name a line shows (no real name comes near). */
const MAX_PRINTED = 4096;
/** The most pieces a message's line gathers before it ends in `[|domain]`. */
const MAX_LINE = 100_000;
/** The longest name on the wire (RFC 1035 3.1). */
const MAX_NAME = 255;

/** The byte at `at`, or DNS_CUT past the capture. */
function byteAt(b: Uint8Array, at: number, end: number): number {
  if (at >= end) throw DNS_CUT;
  return b[at];
}

/** A label's length as tcpdump reads it; undefined for `<ELT n>`. */
function labelLength(b: Uint8Array, at: number, out: string[]) {
  const i = b[at];
  if ((i & POINTER) === EXTENDED) {
    out.push(`<ELT ${i & 0x3f}>`);
    return undefined;
  }
  return (i & POINTER) === POINTER ? 0 : i;
}

/** Where the name at `at` ends, as tcpdump skips it; undefined if bad. */
export function skipName(
  b: Uint8Array,
  at: number,
  end: number,
): number | undefined {
  let i = byteAt(b, at++, end);
  while (i !== 0) {
    if ((i & POINTER) === POINTER) return at + 1;
    if ((i & POINTER) === EXTENDED) return undefined;
    at += i;
    i = byteAt(b, at++, end);
  }
  return at;
}

/**
 * Prints the name at `at` (of the message at `message`) into `out` as
 * tcpdump does; returns where it ends, undefined when tcpdump gives up.
 */
export function printName(
  b: Uint8Array,
  message: number,
  at: number,
  end: number,
  out: string[],
): number | undefined {
  let limit = at - message;
  let printed = 0;
  let i = byteAt(b, at, end);
  let length = labelLength(b, at, out);
  if (length === undefined) return undefined;
  at++;
  // `next` is where the name ends in place: fixed at the first pointer.
  let compressed = (i & POINTER) === POINTER;
  let next = compressed ? at + 1 : at + length;
  if (i === 0) {
    out.push(".");
    return next;
  }
  while (i !== 0 && at < end) {
    if ((i & POINTER) === POINTER) {
      const offset = ((i << 8) | byteAt(b, at, end)) & 0x3fff;
      if (offset >= limit) {
        out.push("<BAD PTR>");
        return undefined;
      }
      limit = offset;
      at = message + offset;
      i = byteAt(b, at, end);
      length = labelLength(b, at, out);
      if (length === undefined) return undefined;
      at++;
      continue;
    }
    // Backward pointers end every name; this bounds a crafted one's cost.
    printed += length + 1;
    if (printed > MAX_PRINTED || out.length > MAX_LINE) return undefined;
    for (let k = 0; k < length; k++) {
      out.push(tcpdumpChar(byteAt(b, at + k, end)));
    }
    at += length;
    out.push(".");
    i = byteAt(b, at, end);
    length = labelLength(b, at, out);
    if (length === undefined) return undefined;
    at++;
    if (!compressed) {
      compressed = (i & POINTER) === POINTER;
      next = compressed ? at + 1 : next + length + 1;
    }
  }
  return next;
}

/** A name in presentation form and where it ends on the wire. */
export interface NameValue {
  /** `example.com.`; `.` for the root. */
  name: string;
  /** The offset just after the name (after its first pointer, if any). */
  next: number;
}

/**
 * The name at `at` in presentation form; undefined when it is cut, points
 * forwards, uses an extended label type or is longer than 255 bytes.
 */
export function readName(
  b: Uint8Array,
  message: number,
  at: number,
  end: number,
): NameValue | undefined {
  let limit = at - message;
  let next: number | undefined;
  let size = 1;
  const labels: string[] = [];
  while (at < end) {
    const i = b[at];
    if (i === 0) {
      const name = labels.length === 0 ? "." : `${labels.join(".")}.`;
      return { name, next: next ?? at + 1 };
    }
    if ((i & POINTER) === POINTER) {
      if (at + 1 >= end) return undefined;
      const offset = ((i << 8) | b[at + 1]) & 0x3fff;
      if (offset >= limit) return undefined;
      next ??= at + 2;
      limit = offset;
      at = message + offset;
      continue;
    }
    if ((i & POINTER) !== 0 || at + 1 + i > end) return undefined;
    size += i + 1;
    if (size > MAX_NAME) return undefined;
    labels.push(labelText(b.subarray(at + 1, at + 1 + i)));
    at += 1 + i;
  }
  return undefined;
}

/** A label's bytes in presentation form: `\.`, `\\` and `\DDD` escaped. */
function labelText(label: Uint8Array): string {
  let text = "";
  for (const c of label) {
    if (c === 0x2e || c === 0x5c) text += `\\${String.fromCharCode(c)}`;
    else if (c <= 0x20 || c >= 0x7f) {
      text += `\\${c.toString().padStart(3, "0")}`;
    } else text += String.fromCharCode(c);
  }
  return text;
}
