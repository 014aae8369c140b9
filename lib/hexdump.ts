/**
 * Hex dumps in the layout of `hexdump -C`: offset, 16 bytes in two groups
 * of eight, the printable characters between bars, and a last line with
 * the total length. Repeated lines are shown in full (as `hexdump -Cv`).
 * Written as bytes straight into a buffer, so dumping a flood of frames
 * makes no string per row. Pure.
 *
 * @module
 */

import { HEX_BYTES } from "./hex.ts";

/** Bytes of one full row: offset, two spaces, 16 × 3 + 1, a space, bars, newline. */
const ROW = 8 + 2 + 49 + 1 + 1 + 16 + 1 + 1;
/** Each byte's two hex digits as ASCII codes. */
const HIGH = HEX_BYTES.map((hex) => hex.charCodeAt(0));
const LOW = HEX_BYTES.map((hex) => hex.charCodeAt(1));
const SPACE = 0x20;
const BAR = 0x7c;
const DOT = 0x2e;
const NEWLINE = 0x0a;

/** The size of the dump of `length` bytes, at most. */
export function hexdumpSize(length: number): number {
  return Math.ceil(length / 16) * ROW + 9;
}

/** Writes `value` as eight lowercase hex digits at `at`. */
function putOffset(out: Uint8Array, at: number, value: number): number {
  for (let shift = 24; shift >= 0; shift -= 8) {
    const byte = (value >>> shift) & 0xff;
    out[at++] = HIGH[byte];
    out[at++] = LOW[byte];
  }
  return at;
}

/**
 * Writes the dump of `bytes` into `out` at `at`, which must have room for
 * {@linkcode hexdumpSize} bytes.
 *
 * @returns where the dump ends.
 */
export function hexdumpInto(
  bytes: Uint8Array,
  out: Uint8Array,
  at: number,
): number {
  for (let row = 0; row < bytes.length; row += 16) {
    const count = Math.min(16, bytes.length - row);
    at = putOffset(out, at, row);
    out[at++] = SPACE;
    out[at++] = SPACE;
    for (let i = 0; i < 16; i++) {
      if (i < count) {
        out[at++] = HIGH[bytes[row + i]];
        out[at++] = LOW[bytes[row + i]];
      } else {
        out[at++] = SPACE;
        out[at++] = SPACE;
      }
      out[at++] = SPACE;
      if (i === 7) out[at++] = SPACE;
    }
    out[at++] = SPACE;
    out[at++] = BAR;
    for (let i = 0; i < count; i++) {
      const byte = bytes[row + i];
      out[at++] = byte >= 0x20 && byte < 0x7f ? byte : DOT;
    }
    out[at++] = BAR;
    out[at++] = NEWLINE;
  }
  at = putOffset(out, at, bytes.length);
  out[at++] = NEWLINE;
  return at;
}

/**
 * A hex dump of `bytes` in the layout of `hexdump -C` (as `hexdump -Cv`).
 *
 * @example
 * ```ts
 * import { hexdump } from "@rawframe/rawframe/format";
 * hexdump(new TextEncoder().encode("Hi"));
 * // "00000000  48 69                                             |Hi|\n00000002\n"
 * ```
 */
export function hexdump(bytes: Uint8Array): string {
  const out = new Uint8Array(hexdumpSize(bytes.length));
  const end = hexdumpInto(bytes, out, 0);
  return new TextDecoder().decode(out.subarray(0, end));
}
