/**
 * DNS (RFC 1035) over UDP port 53 and TCP port 53, mDNS (5353) and LLMNR
 * (5355): the line in tcpdump's words (`dns_line.ts`), and the `dns`
 * layer: header, questions and records with names in presentation form.
 * The records' data is text for the types whose data holds names or
 * addresses (`1.2.3.4`, `10 mail.example.com.`), hex for the others. A
 * count larger than the message holds costs nothing: the lists end where
 * the bytes do. Pure.
 *
 * @module
 */

import { hexOf, ipv4At, ipv6At, u16, u32 } from "./bytes.ts";
import { readName } from "./dns_names.ts";
import { dnsLine } from "./dns_line.ts";
import type { DnsLayer, DnsQuestion, DnsRecord, Part } from "./layers.ts";

/** DNS's port, over UDP and TCP. */
export const DNS_PORT = 53;
/** Multicast DNS's port (RFC 6762). */
export const MDNS_PORT = 5353;
/** LLMNR's port (RFC 4795). */
export const LLMNR_PORT = 5355;

const HEADER = 12;

/** A DNS message over UDP at `at`, `length` bytes of payload. */
export function decodeDns(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  return message(b, at, end, length, false);
}

/** An mDNS message: tcpdump shows its question and cache-flush bits. */
export function decodeMdns(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  return message(b, at, end, length, true);
}

/**
 * A DNS message over TCP, after its 2-byte length: ` 5+ AAAA? example.com.
 * (29)`, the text going on after the TCP header's `length N`.
 */
export function decodeDnsOverTcp(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (length < 2) {
    return {
      text: ` [DNS over TCP: length ${length} < 2] (invalid)`,
      layers: [],
    };
  }
  if (end - at < 2) return { text: " [|domain]", layers: [] };
  const prefix = u16(b, at);
  if (prefix !== length - 2) {
    return {
      text: ` [prefix length(${prefix}) != length(${length - 2})] (invalid)`,
      layers: [],
    };
  }
  const part = message(b, at + 2, end, length - 2, false);
  const layers = part.layers.map((l) => ({ ...l, length: prefix }));
  return { text: ` ${part.text}`, layers };
}

function message(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
  mdns: boolean,
): Part {
  const text = dnsLine(b, at, end, length, mdns);
  const stop = Math.min(end, at + length);
  if (stop - at < HEADER) return { text, layers: [] };
  return { text, layers: [dnsLayer(b, at, stop)] };
}

/** The header and every whole question and record. */
function dnsLayer(b: Uint8Array, at: number, end: number): DnsLayer {
  const layer: DnsLayer = {
    layer: "dns",
    id: u16(b, at),
    flags: u16(b, at + 2),
    qdcount: u16(b, at + 4),
    ancount: u16(b, at + 6),
    nscount: u16(b, at + 8),
    arcount: u16(b, at + 10),
    questions: [],
    answers: [],
    authority: [],
    additional: [],
  };
  let p: number | undefined = at + HEADER;
  for (let i = 0; i < layer.qdcount && p !== undefined; i++) {
    const name = readName(b, at, p, end);
    if (name === undefined || name.next + 4 > end) return layer;
    const question: DnsQuestion = {
      name: name.name,
      type: u16(b, name.next),
      class: u16(b, name.next + 2),
    };
    layer.questions.push(question);
    p = name.next + 4;
  }
  const sections = [
    [layer.answers, layer.ancount],
    [layer.authority, layer.nscount],
    [layer.additional, layer.arcount],
  ] as const;
  for (const [list, count] of sections) {
    for (let i = 0; i < count; i++) {
      const found = readRecord(b, at, p, end);
      if (found === undefined) return layer;
      list.push(found.record);
      p = found.next;
    }
  }
  return layer;
}

/** The record at `p`, when it is whole. */
function readRecord(
  b: Uint8Array,
  message: number,
  p: number,
  end: number,
): { record: DnsRecord; next: number } | undefined {
  const name = readName(b, message, p, end);
  if (name === undefined || name.next + 10 > end) return undefined;
  const at = name.next;
  const data = at + 10;
  const next = data + u16(b, at + 8);
  if (next > end) return undefined;
  const record: DnsRecord = {
    name: name.name,
    type: u16(b, at),
    class: u16(b, at + 2),
    ttl: u32(b, at + 4),
  };
  const text = dataText(b, message, record.type, data, next);
  if (text === undefined) record.rdata = hexOf(b, data, next);
  else record.data = text;
  return { record, next };
}

/**
 * Data in presentation form for A, AAAA, NS, CNAME, PTR, DNAME, MX, SRV
 * and SOA; undefined for other types, or data that is not exactly one.
 */
function dataText(
  b: Uint8Array,
  message: number,
  type: number,
  data: number,
  next: number,
): string | undefined {
  const size = next - data;
  /** The name at `from`, if it ends exactly at the data's end. */
  const lastName = (from: number) => {
    const name = readName(b, message, from, next);
    return name?.next === next ? name.name : undefined;
  };
  switch (type) {
    case 1:
      return size === 4 ? ipv4At(b, data) : undefined;
    case 28:
      return size === 16 ? ipv6At(b, data) : undefined;
    case 2:
    case 5:
    case 12:
    case 39:
      return lastName(data);
    case 15: {
      const exchange = size > 2 ? lastName(data + 2) : undefined;
      return exchange && `${u16(b, data)} ${exchange}`;
    }
    case 33: {
      const target = size > 6 ? lastName(data + 6) : undefined;
      return target &&
        `${u16(b, data)} ${u16(b, data + 2)} ${u16(b, data + 4)} ${target}`;
    }
    case 6:
      return soaText(b, message, data, next);
  }
  return undefined;
}

/** SOA's data: `mname rname serial refresh retry expire minimum`. */
function soaText(
  b: Uint8Array,
  message: number,
  data: number,
  next: number,
): string | undefined {
  const mname = readName(b, message, data, next);
  if (mname === undefined) return undefined;
  const rname = readName(b, message, mname.next, next);
  if (rname === undefined || rname.next + 20 !== next) return undefined;
  const numbers = [0, 4, 8, 12, 16].map((i) => u32(b, rname.next + i));
  return `${mname.name} ${rname.name} ${numbers.join(" ")}`;
}
