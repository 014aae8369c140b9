/**
 * Reading protocol fields out of a frame's bytes: big-endian numbers,
 * addresses as text (MACs in colon form, IPv4 dotted, IPv6 as inet_ntop
 * writes it, RFC 5952), and strings from the wire shown safely. Callers
 * check lengths first: these helpers read what they are told to. Pure.
 *
 * @module
 */

import { HEX_BYTES, hexRange } from "../hex.ts";

/** The 16-bit big-endian number at `at`. */
export function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

/** The 32-bit big-endian number at `at` (unsigned). */
export function u32(b: Uint8Array, at: number): number {
  return b[at] * 0x1000000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
}

/** The MAC address at `at`, lowercase colon form. */
export function macAt(b: Uint8Array, at: number): string {
  const h = HEX_BYTES;
  return `${h[b[at]]}:${h[b[at + 1]]}:${h[b[at + 2]]}:${h[b[at + 3]]}:${
    h[b[at + 4]]
  }:${h[b[at + 5]]}`;
}

/** The IPv4 address at `at`, dotted. */
export function ipv4At(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/**
 * The IPv6 address at `at` as glibc's inet_ntop writes it (what tcpdump
 * and tshark print): RFC 5952 — lowercase, no leading zeros, the first
 * longest run of two or more zero groups as `::` — and the IPv4-mapped
 * and IPv4-compatible forms with a dotted tail.
 */
export function ipv6At(b: Uint8Array, at: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(u16(b, at + 2 * i));
  const [start, length] = longestZeroRun(words);
  if (
    start === 0 &&
    (length === 6 || (length === 5 && words[5] === 0xffff))
  ) {
    return `::${length === 5 ? "ffff:" : ""}${ipv4At(b, at + 12)}`;
  }
  if (length < 2) return words.map((w) => w.toString(16)).join(":");
  const head = words.slice(0, start).map((w) => w.toString(16)).join(":");
  const tail = words.slice(start + length).map((w) => w.toString(16))
    .join(":");
  return `${head}::${tail}`;
}

/** Where the first longest run of zero words starts, and its length. */
function longestZeroRun(words: number[]): [number, number] {
  let best = -1;
  let bestLength = 0;
  for (let i = 0; i < words.length;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < words.length && words[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j;
  }
  return [best, bestLength];
}

/** `0x` and `digits` lowercase hex digits. */
export function hexNumber(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, "0")}`;
}

/** Bytes `from`..`to` as lowercase hex. */
export function hexOf(b: Uint8Array, from: number, to: number): string {
  return hexRange(b, from, to);
}

/**
 * Bytes from the wire meant as text (names, descriptions, IDs): the text,
 * to be quoted, when every byte is printable ASCII; else lowercase hex.
 */
export function wireText(
  b: Uint8Array,
  from: number,
  to: number,
): { value: string; quoted: boolean } {
  for (let i = from; i < to; i++) {
    if (b[i] < 0x20 || b[i] > 0x7e) {
      return { value: hexOf(b, from, to), quoted: false };
    }
  }
  return { value: String.fromCharCode(...b.subarray(from, to)), quoted: true };
}

/** A byte as tcpdump prints it: `M-` for the high bit, `^` for control. */
export function tcpdumpChar(c: number): string {
  let text = "";
  if (c >= 0x80) {
    text = "M-";
    c &= 0x7f;
  }
  if (c < 0x20 || c === 0x7f) return `${text}^${String.fromCharCode(c ^ 0x40)}`;
  return text + String.fromCharCode(c);
}

/** Names of set bits, in table order, joined as tcpdump does; `none`. */
export function flagNames(
  value: number,
  names: readonly (readonly [number, string])[],
): string {
  const set = names.filter(([bit]) => (value & bit) !== 0).map(([, n]) => n);
  return set.length === 0 ? "none" : set.join(", ");
}
