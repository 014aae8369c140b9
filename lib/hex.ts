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
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX_BYTES[bytes[i]];
  return out;
}
