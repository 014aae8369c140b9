/**
 * TCP options in tcpdump's words: `mss 1460,sackOK,TS val 1 ecr 0,nop,
 * wscale 7`, `md5 ...`, `tfo cookie ...`, `exp-tfo cookiereq`, `tcp-ao
 * keyid 1 rnextkeyid 2 mac 0x...`, and MPTCP's (`mptcp 12 capable v1
 * {0x...}`, `mptcp 20 dss ack 1 seq 2 subseq 3 len 4 csum 0x5`). Pure.
 *
 * tcpdump walks the options by what each kind should hold, not by the
 * length byte: a length that disagrees is shown as `[len N]`, a length
 * the header cannot hold ends the list with `[bad opt]`.
 *
 * @module
 */

import { hexOf, u16, u32 } from "./bytes.ts";
import { mptcpText } from "./mptcp.ts";

/** The options' text; `cut` when the capture ends inside them. */
export interface OptionsText {
  /** What tcpdump prints between the brackets. */
  text: string;
  /** The capture ends inside the options (` [|tcp]` follows). */
  cut: boolean;
  /**
   * A malformed option ended the list: the text holds the closing bracket
   * when there is one, and tcpdump prints no length after it.
   */
  bad: boolean;
}

/** Option names, as tcpdump's table has them. */
const NAMES: Readonly<Record<number, string>> = {
  0: "eol",
  1: "nop",
  2: "mss",
  3: "wscale",
  4: "sackOK",
  5: "sack",
  6: "echo",
  7: "echoreply",
  8: "TS",
  11: "cc",
  12: "ccnew",
  // tcpdump 4.99's table leaves CC.ECHO without a name.
  13: "",
  19: "md5",
  20: "scps",
  28: "uto",
  29: "tcp-ao",
  30: "mptcp",
  34: "tfo",
  254: "exp",
};

/** Thrown when a byte the text needs was not captured. */
const CUT = Symbol("cut");
/** Thrown when an option does not fit the header. */
const BAD = Symbol("bad");

/** Where the walk is: the header's end and the capture's. */
interface Walk {
  b: Uint8Array;
  /** Bytes of the header left, from the option's data. */
  left: number;
  /** The capture's end. */
  end: number;
  /** The TCP flags byte (MPTCP's subtypes depend on SYN and ACK). */
  flags: number;
  /** The whole segment was captured (md5 could be checked). */
  whole: boolean;
}

/**
 * The options from `at` to `headerEnd`, captured up to `end`; `flags` is
 * the TCP flags byte, `whole` says the segment was captured whole.
 */
export function tcpOptionsText(
  b: Uint8Array,
  at: number,
  headerEnd: number,
  end: number,
  flags: number,
  whole: boolean,
): OptionsText {
  const out: string[] = [];
  const walk: Walk = { b, left: headerEnd - at, end, flags, whole };
  try {
    while (walk.left > 0) {
      if (out.length > 0) out.push(",");
      if (at >= end) throw CUT;
      const kind = b[at];
      let length = 1;
      if (kind > 1) {
        if (at + 1 >= end) throw CUT;
        length = b[at + 1];
        if (length < 2 || length > walk.left) throw BAD;
        walk.left--;
      }
      walk.left--;
      out.push(NAMES[kind] ?? `unknown-${kind}`);
      const from = at + (kind > 1 ? 2 : 1);
      const used = optionData(walk, kind, from, length, out);
      walk.left -= used;
      at = from + used;
      if (used + (kind > 1 ? 2 : 1) !== length) out.push(`[len ${length}]`);
      if (kind === 0) break;
    }
  } catch (e) {
    if (e === CUT) return { text: out.join(""), cut: true, bad: false };
    if (e !== BAD) throw e;
    // tcpdump closes the bracket only when an option came before.
    out.push(out.includes(",") ? "[bad opt]]" : "[bad opt]");
    return { text: out.join(""), cut: false, bad: true };
  }
  return { text: out.join(""), cut: false, bad: false };
}

/** Throws unless `size` bytes of the header are left. */
function lenCheck(walk: Walk, size: number): void {
  if (size > walk.left) throw BAD;
}

/** Throws unless `from`..`from + size` was captured. */
function captured(walk: Walk, from: number, size: number): void {
  if (from + size > walk.end) throw CUT;
}

/** Prints one option's data into `out`; returns how many bytes it used. */
function optionData(
  walk: Walk,
  kind: number,
  from: number,
  length: number,
  out: string[],
): number {
  const { b } = walk;
  const fixed = FIXED[kind];
  if (fixed !== undefined) {
    lenCheck(walk, fixed.size);
    captured(walk, from, fixed.size);
    out.push(fixed.text(b, from));
    return fixed.size;
  }
  const size = length - 2;
  switch (kind) {
    case 0:
    case 1:
    case 4:
      return 0;
    case 5:
      return sack(walk, from, size, out);
    case 19:
      lenCheck(walk, 16);
      captured(walk, from, 16);
      out.push(
        ` ${md5Verdict(walk)}can't check - ${hexOf(b, from, from + 16)}`,
      );
      return 16;
    case 29:
      return tcpAo(walk, from, size, out);
    case 30:
      lenCheck(walk, size);
      captured(walk, from, size);
      return mptcp(walk, from, size, out);
    case 34:
      lenCheck(walk, size);
      captured(walk, from, size);
      // tcpdump puts a space before the cookie's own.
      out.push(` ${fastOpen(b, from, size)}`);
      return size;
    case 254:
      return experiment(walk, from, size, out);
  }
  if (size > 0) out.push(" 0x");
  for (let i = 0; i < size; i++) {
    lenCheck(walk, i + 1);
    captured(walk, from + i, 1);
    out.push(hexOf(b, from + i, from + i + 1));
  }
  return size;
}

/** Options of a fixed size, and how tcpdump prints them. */
const FIXED: Readonly<
  Record<
    number,
    { size: number; text: (b: Uint8Array, at: number) => string }
  >
> = {
  2: { size: 2, text: (b, at) => ` ${u16(b, at)}` },
  3: { size: 1, text: (b, at) => ` ${b[at]}` },
  6: { size: 4, text: (b, at) => ` ${u32(b, at)}` },
  7: { size: 4, text: (b, at) => ` ${u32(b, at)}` },
  8: { size: 8, text: (b, at) => ` val ${u32(b, at)} ecr ${u32(b, at + 4)}` },
  11: { size: 4, text: (b, at) => ` ${u32(b, at)}` },
  12: { size: 4, text: (b, at) => ` ${u32(b, at)}` },
  13: { size: 4, text: (b, at) => ` ${u32(b, at)}` },
  20: {
    size: 2,
    text: (b, at) =>
      ` cap ${b[at].toString(16).padStart(2, "0")} id ${b[at + 1]}`,
  },
  28: {
    size: 2,
    text: (b, at) => {
      const value = u16(b, at);
      // The low bit says minutes rather than seconds.
      const seconds = value & 1 ? (value >> 1) * 60 : value >> 1;
      return ` 0x${value.toString(16)} ${seconds}`;
    },
  },
};

/** SACK blocks: `sack 1 {1:2}` (absolute, as with -S). */
function sack(walk: Walk, from: number, size: number, out: string[]): number {
  if (size % 8 !== 0) {
    out.push(" invalid sack");
    return size;
  }
  out.push(` ${size / 8} `);
  for (let i = 0; i < size; i += 8) {
    lenCheck(walk, i + 8);
    captured(walk, from + i, 8);
    out.push(`{${u32(walk.b, from + i)}:${u32(walk.b, from + i + 4)}}`);
  }
  return size;
}

/** Why an MD5 signature is not checked: rawframe holds no secret. */
function md5Verdict(walk: Walk): string {
  return walk.whole
    ? "shared secret not supplied with -M, "
    : "snaplen too short, ";
}

/** TCP-AO (RFC 5925): key IDs and the MAC. */
function tcpAo(walk: Walk, from: number, size: number, out: string[]): number {
  const { b } = walk;
  if (size < 2) {
    out.push(" (invalid)");
    return size;
  }
  lenCheck(walk, 1);
  captured(walk, from, 1);
  out.push(` keyid ${b[from]}`);
  lenCheck(walk, 2);
  captured(walk, from + 1, 1);
  out.push(` rnextkeyid ${b[from + 1]}`);
  if (size > 2) out.push(" mac 0x");
  for (let i = 2; i < size; i++) {
    lenCheck(walk, i + 1);
    captured(walk, from + i, 1);
    out.push(hexOf(b, from + i, from + i + 1));
  }
  return size;
}

/** MPTCP's option: its length, subtype and fields; `[bad opt]` if wrong. */
function mptcp(walk: Walk, from: number, size: number, out: string[]): number {
  lenCheck(walk, size);
  captured(walk, from, size);
  const { text, ok } = mptcpText(walk.b, from - 2, size + 2, walk.flags);
  out.push(text);
  if (!ok) throw BAD;
  return size;
}

/** TCP Fast Open's cookie, or its request. */
function fastOpen(b: Uint8Array, from: number, size: number): string {
  if (size === 0) return " cookiereq";
  if (size % 2 !== 0 || size < 4 || size > 16) return " (invalid)";
  return ` cookie ${hexOf(b, from, from + size)}`;
}

/** An experimental option (RFC 6994): `exp-tfo ...` or `exp-MAGIC`. */
function experiment(
  walk: Walk,
  from: number,
  size: number,
  out: string[],
): number {
  lenCheck(walk, size);
  if (size < 2) throw BAD;
  captured(walk, from, size);
  const magic = u16(walk.b, from);
  out.push(
    magic === 0xf989
      ? `-tfo${fastOpen(walk.b, from + 2, size - 2)}`
      : `-${magic.toString(16).padStart(4, "0")}`,
  );
  return size;
}
