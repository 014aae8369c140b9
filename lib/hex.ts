/**
 * Bytes written as hex text, and back: how frames and payloads are typed
 * on the command line and shown in JSON. Pure.
 *
 * @module
 */

import { FrameError } from "./errors.ts";

/** Each byte's two hex digits: formatting by lookup, not toString(16). */
export const HEX_BYTES: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => b.toString(16).padStart(2, "0"),
);

/**
 * Parses hex text (`48 69`, `48:69`, `0x4869`, `4869`) into bytes:
 * whitespace, colons, dots or dashes may stand between digits (a hex dump
 * pasted over several lines reads), but not before the first or after
 * the last.
 *
 * @throws {FrameError} when the text is not whole hex bytes.
 *
 * @example
 * ```ts
 * import { parseHex } from "@rawframe/rawframe/frame";
 * parseHex("48:69"); // Uint8Array [0x48, 0x69]
 * ```
 */
export function parseHex(text: string): Uint8Array {
  const digits = text.replace(/^0x/i, "").replace(/[\s:.-]/g, "");
  if (
    !/^(?:[0-9a-f]{2})*$/i.test(digits) || /^[\s:.-]|[\s:.-]$/.test(text)
  ) {
    throw new FrameError(
      `invalid hex ${
        JSON.stringify(text)
      }: give whole bytes such as 48:69 or 4869`,
    );
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  }
  return bytes;
}

/**
 * Formats bytes as lowercase hex without separators.
 *
 * @example
 * ```ts
 * import { toHex } from "@rawframe/rawframe/frame";
 * toHex(new Uint8Array([0x48, 0x69])); // "4869"
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  return hexRange(bytes, 0, bytes.length);
}

/** Bytes `from`..`to` of `b` as lowercase hex. */
export function hexRange(b: Uint8Array, from: number, to: number): string {
  if (to - from > SHORT_HEX) return longHex(b, from, to);
  let out = "";
  for (let i = from; i < to; i++) out += HEX_BYTES[b[i]];
  return out;
}

/** Above this many bytes, hex is written as bytes and decoded once. */
const SHORT_HEX = 16;
const DIGITS = new TextEncoder().encode("0123456789abcdef");
const ASCII = new TextDecoder("latin1");
let hexBuffer = new Uint8Array(4096);

/**
 * Long hex (a packet's data) as one string made at once: adding two
 * characters at a time makes a rope that has to be flattened later
 * (JSON.stringify, writing a line), which costs more than the digits.
 */
function longHex(b: Uint8Array, from: number, to: number): string {
  const size = 2 * (to - from);
  if (hexBuffer.length < size) hexBuffer = new Uint8Array(size);
  for (let i = from, o = 0; i < to; i++, o += 2) {
    hexBuffer[o] = DIGITS[b[i] >> 4];
    hexBuffer[o + 1] = DIGITS[b[i] & 15];
  }
  return ASCII.decode(hexBuffer.subarray(0, size));
}
