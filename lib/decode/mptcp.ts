/**
 * Multipath TCP's option (RFC 8684, kind 30) in tcpdump's words: `mptcp
 * 12 capable v1 {0x...}`, `mptcp 12 join id 0 token 0x... nonce 0x...`,
 * `mptcp 20 dss ack 1 seq 2 subseq 3 len 4 csum 0x5`, `mptcp 8 add-addr
 * v1-echo id 1 10.0.2.1`, `mptcp 4 rem-addr id 0`. Pure.
 *
 * @module
 */

import { hexOf, ipv4At, ipv6At, u16, u32 } from "./bytes.ts";

/** The option's text; `ok` false when tcpdump calls it a bad option. */
export interface MptcpText {
  /** What follows `mptcp`. */
  text: string;
  /** The option has the length its subtype and the segment's flags need. */
  ok: boolean;
}

const SYN = 0x02;
const ACK = 0x10;

const SUBTYPES = [
  "capable",
  "join",
  "dss",
  "add-addr",
  "rem-addr",
  "prio",
  "fail",
  "fast-close",
  "unknown",
];

/** The 64-bit number at `at`, as a bigint. */
function u64(b: Uint8Array, at: number): bigint {
  return (BigInt(u32(b, at)) << 32n) | BigInt(u32(b, at + 4));
}

/** The option of `length` bytes at `at` (its kind byte), all captured. */
export function mptcpText(
  b: Uint8Array,
  at: number,
  length: number,
  flags: number,
): MptcpText {
  if (length < 3) return { text: "", ok: false };
  const subtype = Math.min(b[at + 2] >> 4, 8);
  const head = ` ${length} ${SUBTYPES[subtype]}`;
  const rest = PRINTERS[subtype](b, at, length, flags);
  return rest === undefined
    ? { text: head, ok: false }
    : { text: head + rest, ok: true };
}

type Printer = (
  b: Uint8Array,
  at: number,
  length: number,
  flags: number,
) => string | undefined;

const PRINTERS: readonly Printer[] = [
  capable,
  join,
  dss,
  addAddress,
  removeAddress,
  priority,
  (b, at, length) => length === 12 ? ` seq ${u64(b, at + 4)}` : undefined,
  (b, at, length) =>
    length === 12 ? ` key 0x${u64(b, at + 4).toString(16)}` : undefined,
  () => "",
];

/** MP_CAPABLE: the version, checksum flag and keys. */
function capable(
  b: Uint8Array,
  at: number,
  length: number,
  flags: number,
): string | undefined {
  const onSyn = (length === 12 || length === 4) && (flags & SYN) !== 0;
  const onAck = (length === 20 || length === 22) &&
    (flags & (SYN | ACK)) === ACK;
  if (!onSyn && !onAck) return undefined;
  const version = b[at + 2] & 0x0f;
  if (version > 1) return ` Unknown Version (${version})`;
  let text = ` v${version}`;
  if (b[at + 3] & 0x80) text += " csum";
  if (length === 12 || length >= 20) {
    text += ` {0x${u64(b, at + 4).toString(16)}`;
    if (length >= 20) text += `,0x${u64(b, at + 12).toString(16)}`;
    text += "}";
  }
  return text;
}

/** MP_JOIN on a SYN, a SYN-ACK or the third ACK. */
function join(
  b: Uint8Array,
  at: number,
  length: number,
  flags: number,
): string | undefined {
  const syn = length === 12 && (flags & SYN) !== 0;
  const synAck = length === 16 && (flags & (SYN | ACK)) === (SYN | ACK);
  const ack = length === 24 && (flags & ACK) !== 0;
  if (!syn && !synAck && !ack) return undefined;
  if (ack) return ` hmac 0x${hexOf(b, at + 4, at + 24)}`;
  const id = `${b[at + 2] & 1 ? " backup" : ""} id ${b[at + 3]}`;
  if (syn) {
    return `${id} token 0x${u32(b, at + 4).toString(16)} nonce 0x${
      u32(b, at + 8).toString(16)
    }`;
  }
  return `${id} hmac 0x${u64(b, at + 4).toString(16)} nonce 0x${
    u32(b, at + 12).toString(16)
  }`;
}

/** DSS: data ACK, mapping and checksum, as its flags announce them. */
function dss(
  b: Uint8Array,
  at: number,
  length: number,
  flags: number,
): string | undefined {
  if (length < 4 || (flags & SYN) !== 0) return undefined;
  const f = b[at + 3];
  let text = f & 0x10 ? " fin" : "";
  let p = at + 4;
  let left = length - 4;
  const number = (wide: boolean): string | undefined => {
    const size = wide ? 8 : 4;
    if (left < size) return undefined;
    const value = wide ? u64(b, p) : u32(b, p);
    p += size;
    left -= size;
    return `${value}`;
  };
  if (f & 0x01) {
    const ack = number((f & 0x02) !== 0);
    if (ack === undefined) return undefined;
    text += ` ack ${ack}`;
  }
  if (f & 0x04) {
    const seq = number((f & 0x08) !== 0);
    if (seq === undefined || left < 6) return undefined;
    text += ` seq ${seq} subseq ${u32(b, p)} len ${u16(b, p + 4)}`;
    p += 6;
    left -= 6;
    if (left >= 2) {
      text += ` csum 0x${u16(b, p).toString(16)}`;
      left -= 2;
    }
  }
  return left === 0 ? text : undefined;
}

/** ADD_ADDR's version and echo bits, as tcpdump names them. */
const ADD_KINDS: Readonly<Record<number, string>> = {
  6: "v0-ip6",
  4: "v0-ip4",
  1: "v1-echo",
  0: "v1",
};

/** ADD_ADDR: the address (its size by the option's length), port, HMAC. */
function addAddress(
  b: Uint8Array,
  at: number,
  length: number,
): string | undefined {
  const v4 = [8, 10, 16, 18].includes(length);
  if (!v4 && ![20, 22, 28, 30].includes(length)) return undefined;
  const kind = ADD_KINDS[b[at + 2] & 0x0f] ?? "[bad version/echo]";
  const size = v4 ? 4 : 16;
  const withPort = length === size + 6 || length === size + 14;
  let text = ` ${kind} id ${b[at + 3]} ${
    v4 ? ipv4At(b, at + 4) : ipv6At(b, at + 4)
  }`;
  if (withPort) text += `:${u16(b, at + 4 + size)}`;
  if (length >= size + 12) {
    text += ` hmac 0x${
      u64(b, at + 4 + size + (withPort ? 2 : 0)).toString(16)
    }`;
  }
  return text;
}

/** REMOVE_ADDR: the address IDs. */
function removeAddress(
  b: Uint8Array,
  at: number,
  length: number,
): string | undefined {
  if (length < 4) return undefined;
  return " id" + Array.from(b.subarray(at + 3, at + length), (id) => ` ${id}`)
    .join("");
}

/** MP_PRIO: backup or not, and the address ID when there is one. */
function priority(
  b: Uint8Array,
  at: number,
  length: number,
): string | undefined {
  if (length !== 3 && length !== 4) return undefined;
  const text = b[at + 2] & 1 ? " backup" : " non-backup";
  return length === 4 ? `${text} id ${b[at + 3]}` : text;
}
