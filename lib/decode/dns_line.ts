/**
 * A DNS message's line in tcpdump's words (`tcpdump -n`, print-domain.c):
 * a query `4660+ A? example.com. (29)`, a response `4660* 3/0/1 CNAME
 * www.example.com., A 1.2.3.4, AAAA 2001:db8::1 (154)`; mDNS adds
 * `(QU)` and `(Cache flush)`. Pure.
 *
 * @module
 */

import { hexOf, ipv4At, ipv6At, tcpdumpChar, u16 } from "./bytes.ts";
import { DNS_CUT, printName, skipName } from "./dns_names.ts";
import { classText, OPCODES, rcodeText, typeText } from "./dns_tables.ts";

const HEADER = 12;
const OPT = 41;
/** mDNS's unicast-response (question) and cache-flush (record) bit. */
const MDNS_BIT = 0x8000;

/** Thrown where tcpdump gives up (`[|domain]` follows). */
const GIVE_UP = Symbol("give up");

/** The message at `at` (`length` bytes, captured to `end`) as a line. */
export function dnsLine(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
  mdns: boolean,
): string {
  if (length < HEADER) {
    return `domain [length ${length} < ${HEADER}] (invalid)`;
  }
  const out: string[] = [];
  try {
    if (end - at < HEADER) throw DNS_CUT;
    const flags = u16(b, at + 2);
    if (flags & 0x8000) response(b, at, end, mdns, out);
    else query(b, at, end, mdns, out);
  } catch (e) {
    if (e !== DNS_CUT && e !== GIVE_UP) throw e;
    return `${out.join("")} [|domain]`;
  }
  return `${out.join("")} (${length})`;
}

/** Counts of the four sections. */
function counts(b: Uint8Array, at: number): number[] {
  return [u16(b, at + 4), u16(b, at + 6), u16(b, at + 8), u16(b, at + 10)];
}

/** A query: id, opcode, `+` (recursion desired), the questions. */
function query(
  b: Uint8Array,
  at: number,
  end: number,
  mdns: boolean,
  out: string[],
): void {
  const flags = u16(b, at + 2);
  const [qd, an, ns, ar] = counts(b, at);
  const opcode = (flags >> 11) & 0x0f;
  out.push(`${u16(b, at)}${OPCODES[opcode]}`);
  out.push(`${flags & 0x0100 ? "+" : ""}${flags & 0x0010 ? "%" : ""}`);
  if (flags & 0x06cf) out.push(` [b2&3=0x${flags.toString(16)}]`);
  if (opcode === 1) {
    if (qd) out.push(` [${qd}q]`);
    if (an !== 1) out.push(` [${an}a]`);
  } else {
    if (an) out.push(` [${an}a]`);
    if (qd !== 1) out.push(` [${qd}q]`);
  }
  if (ns) out.push(` [${ns}n]`);
  if (ar) out.push(` [${ar}au]`);
  let p = at + HEADER;
  for (let i = 0; i < qd; i++) {
    if (i > 0 && p >= end) throw GIVE_UP;
    p = question(b, at, p, end, mdns, out);
  }
}

/** One question: ` A? example.com.`; returns where the next starts. */
function question(
  b: Uint8Array,
  message: number,
  p: number,
  end: number,
  mdns: boolean,
  out: string[],
): number {
  const after = skipName(b, p, end);
  if (after === undefined || after + 4 > end) throw GIVE_UP;
  out.push(` ${typeText(u16(b, after))}`);
  const klass = u16(b, after + 2);
  const shown = mdns ? klass & ~MDNS_BIT : klass;
  if (shown !== 1) out.push(` ${classText(shown)}`);
  if (mdns) out.push(klass & MDNS_BIT ? " (QU)" : " (QM)");
  out.push("? ");
  if (printName(b, message, p, end, out) === undefined) throw GIVE_UP;
  return after + 4;
}

/** A response: id, opcode, rcode, flags, counts and the answers. */
function response(
  b: Uint8Array,
  at: number,
  end: number,
  mdns: boolean,
  out: string[],
): void {
  const flags = u16(b, at + 2);
  const [qd, an, ns, ar] = counts(b, at);
  const rcode = (flags & 0x0f) | (extendedRcode(b, at, end) << 4);
  out.push(
    `${u16(b, at)}${OPCODES[(flags >> 11) & 0x0f]}${rcodeText(rcode)}${
      flags & 0x0400 ? "*" : ""
    }${flags & 0x0080 ? "" : "-"}${flags & 0x0200 ? "|" : ""}${
      flags & 0x0020 ? "$" : ""
    }`,
  );
  if (qd !== 1) out.push(` [${qd}q]`);
  let p = at + HEADER;
  for (let i = 0; i < qd; i++) {
    if (i > 0) out.push(",");
    const after = skipName(b, p, end);
    if (after === undefined) throw GIVE_UP;
    p = after + 4;
  }
  out.push(` ${an}/${ns}/${ar}`);
  for (let i = 0; i < an; i++) {
    if (i > 0) {
      if (p >= end) throw GIVE_UP;
      out.push(",");
    }
    p = record(b, at, p, end, mdns, out);
  }
}

/**
 * The high bits of the response code, from an OPT record among the
 * additional ones (tcpdump skips to it as far as the capture goes).
 */
function extendedRcode(b: Uint8Array, at: number, end: number): number {
  const [qd, an, ns, ar] = counts(b, at);
  let p: number | undefined = at + HEADER;
  for (let i = 0; i < qd; i++) {
    p = skipName(b, p, end);
    if (p === undefined || (p += 4) >= end) return 0;
  }
  for (let i = 0; i < an + ns; i++) {
    p = skipName(b, p, end);
    if (p === undefined || p + 10 > end) return 0;
    p += 10 + u16(b, p + 8);
    if (p >= end) return 0;
  }
  for (let i = 0; i < ar; i++) {
    p = skipName(b, p, end);
    if (p === undefined || p + 5 > end) return 0;
    if (u16(b, p) === OPT) return b[p + 4];
    if (p + 10 > end) return 0;
    p += 10 + u16(b, p + 8);
    if (p >= end) return 0;
  }
  return 0;
}

/** One record as tcpdump shows it without -v: type and data. */
function record(
  b: Uint8Array,
  message: number,
  p: number,
  end: number,
  mdns: boolean,
  out: string[],
): number {
  const after = skipName(b, p, end);
  // tcpdump stops quietly here: the rest of the capture is used up.
  if (after === undefined || after + 10 > end) return end;
  const type = u16(b, after);
  const klass = u16(b, after + 2);
  const shown = mdns ? klass & ~MDNS_BIT : klass;
  if (shown !== 1 && type !== OPT) out.push(` ${classText(shown)}`);
  if (mdns && klass & MDNS_BIT) out.push(" (Cache flush)");
  const data = after + 10;
  const next = data + u16(b, after + 8);
  out.push(` ${typeText(type)}`);
  if (next > end) throw GIVE_UP;
  const optFlags = u16(b, after + 6);
  recordData(b, { message, end, type, klass, optFlags, data, next }, out);
  return next;
}

/** Where a record's data is, and what its header says. */
interface RecordAt {
  message: number;
  end: number;
  type: number;
  klass: number;
  /** The TTL's low half: an OPT record's flags. */
  optFlags: number;
  data: number;
  next: number;
}

/** The record's data, for the types tcpdump shows without -v. */
function recordData(b: Uint8Array, r: RecordAt, out: string[]): void {
  const { message, end, type, klass, optFlags, data, next } = r;
  const need = (n: number) => {
    if (data + n > end) throw GIVE_UP;
  };
  const name = (from: number) => {
    if (printName(b, message, from, end, out) === undefined) throw GIVE_UP;
  };
  switch (type) {
    case 1:
      need(4);
      out.push(` ${ipv4At(b, data)}`);
      return;
    case 2:
    case 5:
    case 12:
    case 39:
      out.push(" ");
      return name(data);
    case 15:
      need(2);
      out.push(" ");
      name(data + 2);
      out.push(` ${u16(b, data)}`);
      return;
    case 16:
      for (let p = data; p < next;) p = characterString(b, p, end, out);
      return;
    case 33:
      need(6);
      out.push(" ");
      name(data + 6);
      out.push(`:${u16(b, data + 4)} ${u16(b, data)} ${u16(b, data + 2)}`);
      return;
    case 28:
      need(16);
      out.push(` ${ipv6At(b, data)}`);
      return;
    case 256:
      return uri(b, data, next, end, out);
    case 38:
      return a6(b, r, out);
    case 104:
      // UNSPECA's bytes follow the type's name directly, as tcpdump has it.
      need(next - data);
      for (let i = data; i < next; i++) out.push(tcpdumpChar(b[i]));
      return;
    case OPT:
      out.push(` UDPsize=${klass}${optFlags & 0x8000 ? " DO" : ""}`);
      if (next > data) out.push(` [${hexOf(b, data, next)}]`);
      return;
  }
}

/** A6 (RFC 2874): prefix length, address suffix, prefix name. */
function a6(b: Uint8Array, r: RecordAt, out: string[]): void {
  const { data, end } = r;
  if (data >= end) throw GIVE_UP;
  const bits = b[data];
  const bytes = (bits & ~7) / 8;
  if (bits > 128) {
    out.push(` ${bits}(bad plen)`);
    return;
  }
  if (bits < 128) {
    if (data + 17 - bytes > end) throw GIVE_UP;
    const address = new Uint8Array(16);
    address.set(b.subarray(data + 1, data + 17 - bytes), bytes);
    out.push(` ${bits} ${ipv6At(address, 0)}`);
  }
  if (bits > 0) {
    out.push(" ");
    const at = data + 17 - bytes;
    if (printName(b, r.message, at, end, out) === undefined) throw GIVE_UP;
  }
}

/** A TXT string: its length byte, then the bytes, quoted. */
function characterString(
  b: Uint8Array,
  p: number,
  end: number,
  out: string[],
): number {
  if (p >= end) throw GIVE_UP;
  const size = b[p];
  if (p + 1 + size > end) throw GIVE_UP;
  let text = "";
  for (let i = p + 1; i < p + 1 + size; i++) text += tcpdumpChar(b[i]);
  out.push(` "${text}"`);
  return p + 1 + size;
}

/** URI (RFC 7553): priority, weight and the target. */
function uri(
  b: Uint8Array,
  data: number,
  next: number,
  end: number,
  out: string[],
) {
  if (data + 4 > end || next - data < 4) throw GIVE_UP;
  let text = "";
  for (let i = data + 4; i < next; i++) text += tcpdumpChar(b[i]);
  out.push(` ${u16(b, data)} ${u16(b, data + 2)} ${text}`);
}
