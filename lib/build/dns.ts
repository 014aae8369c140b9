/**
 * DNS messages to build: a standard query with recursion desired by
 * default; the counts follow the lists; names compressed as servers
 * compress them; record data from presentation text (`1.2.3.4`,
 * `10 mail.example.com.`) or hex. Over TCP the 2-byte length goes first.
 * Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { hexBytes, ipv4Bytes, ipv6Bytes, uint } from "./fields.ts";
import type { DnsBuild, DnsQuestionBuild, DnsRecordBuild } from "./layers.ts";
import { NameWriter } from "./dns_names.ts";

const HEADER = 12;
const SECTIONS = ["answers", "authority", "additional"] as const;

/** A DNS message; `overTcp` puts its length before it. */
export function encodeDns(l: DnsBuild, overTcp: boolean): Uint8Array {
  checkOptions("layer dns", l, {
    layer: "string",
    ...Object.fromEntries(
      ["id", "flags", "qdcount", "ancount", "nscount", "arcount", "length"]
        .map((k) => [k, "number"]),
    ),
    questions: "array",
    answers: "array",
    authority: "array",
    additional: "array",
  });
  const questions = l.questions ?? [];
  const parts: Uint8Array[] = [new Uint8Array(HEADER)];
  let size = HEADER;
  const names = new NameWriter();
  const add = (bytes: Uint8Array) => {
    parts.push(bytes);
    size += bytes.length;
  };
  questions.forEach((q, i) =>
    add(question(`dns.questions[${i}]`, q, names, size))
  );
  for (const section of SECTIONS) {
    (l[section] ?? []).forEach((r, i) => {
      const what = `dns.${section}[${i}]`;
      const owner = names.write(
        `${what}.name`,
        checkedRecord(what, r).name,
        size,
      );
      add(owner);
      add(record(what, r, names, size));
    });
  }
  const header = new DataView(parts[0].buffer);
  header.setUint16(0, uint("dns", "id", l.id, 0xffff, 0));
  header.setUint16(2, uint("dns", "flags", l.flags, 0xffff, 0x0100));
  const counts = [questions.length, ...SECTIONS.map((s) => l[s]?.length ?? 0)];
  (["qdcount", "ancount", "nscount", "arcount"] as const).forEach((k, i) => {
    header.setUint16(4 + 2 * i, uint("dns", k, l[k], 0xffff, counts[i]));
  });
  if (overTcp) {
    const prefix = new Uint8Array(2);
    new DataView(prefix.buffer).setUint16(
      0,
      uint("dns", "length", l.length, 0xffff, size),
    );
    parts.unshift(prefix);
  } else if (l.length !== undefined) {
    throw new LayerError("dns.length is the 2-byte length over TCP only");
  }
  return join(parts);
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A question: its name (at `offset`), type and class. */
function question(
  what: string,
  q: DnsQuestionBuild,
  names: NameWriter,
  offset: number,
): Uint8Array {
  checkOptions(what, q, { name: "string", type: "number", class: "number" });
  const name = names.write(`${what}.name`, q.name, offset);
  const out = new Uint8Array(name.length + 4);
  out.set(name);
  const view = new DataView(out.buffer);
  view.setUint16(name.length, uint(what, "type", q.type, 0xffff, 1));
  view.setUint16(name.length + 2, uint(what, "class", q.class, 0xffff, 1));
  return out;
}

/** Checks a record's fields (before its name is written). */
function checkedRecord(what: string, r: DnsRecordBuild): DnsRecordBuild {
  checkOptions(what, r, {
    name: "string",
    type: "number",
    class: "number",
    ttl: "number",
    data: "string",
    rdata: "string",
  });
  if (r.data !== undefined && r.rdata !== undefined) {
    throw new LayerError(`${what}: give data or rdata, not both`);
  }
  return r;
}

/** A record after its owner name: type, class, TTL, length and data. */
function record(
  what: string,
  r: DnsRecordBuild,
  names: NameWriter,
  offset: number,
): Uint8Array {
  const type = uint(what, "type", r.type, 0xffff, 1);
  const data = r.rdata !== undefined
    ? hexBytes(what, "rdata", r.rdata)
    : r.data === undefined
    ? new Uint8Array(0)
    : recordData(`${what}.data`, type, r.data, names, offset + 10);
  const out = new Uint8Array(10 + data.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, type);
  view.setUint16(2, uint(what, "class", r.class, 0xffff, 1));
  view.setUint32(4, uint(what, "ttl", r.ttl, 0xffffffff, 0));
  view.setUint16(8, data.length);
  out.set(data, 10);
  return out;
}

/** Data of the types whose presentation text rawframe reads. */
function recordData(
  what: string,
  type: number,
  text: string,
  names: NameWriter,
  offset: number,
): Uint8Array {
  const words = text.trim().split(/\s+/);
  const number = (word: string | undefined, max: number) =>
    wordNumber(what, type, text, word, max);
  switch (type) {
    case 1:
      return ipv4Bytes("dns", what, text);
    case 28:
      return ipv6Bytes("dns", what, text);
    case 2:
    case 5:
    case 12:
    case 39:
      return names.write(what, text, offset);
    case 15: {
      if (words.length !== 2) number(undefined, 0);
      const head = bytes([number(words[0], 0xffff)], [2]);
      return join([head, names.write(what, words[1], offset + 2)]);
    }
    case 33: {
      if (words.length !== 4) number(undefined, 0);
      const head = bytes(words.slice(0, 3).map((w) => number(w, 0xffff)), [
        2,
        2,
        2,
      ]);
      return join([head, names.write(what, words[3], offset + 6, false)]);
    }
    case 6: {
      if (words.length !== 7) number(undefined, 0);
      const mname = names.write(what, words[0], offset);
      const rname = names.write(what, words[1], offset + mname.length);
      const tail = words.slice(2).map((w) => number(w, 0xffffffff));
      return join([mname, rname, bytes(tail, [4, 4, 4, 4, 4])]);
    }
  }
  throw new LayerError(`${what}: type ${type} takes its data as rdata (hex)`);
}

/** A word of a record's data text as a number up to `max`. */
function wordNumber(
  what: string,
  type: number,
  text: string,
  word: string | undefined,
  max: number,
): number {
  const n = Number(word);
  if (!/^\d+$/.test(word ?? "") || n > max) {
    throw new LayerError(
      `${what}: ${JSON.stringify(text)} is not ${SHAPES[type]}`,
    );
  }
  return n;
}

/** `values` as big-endian numbers of `sizes` bytes (2 or 4). */
function bytes(values: number[], sizes: number[]): Uint8Array {
  const out = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  values.forEach((v, i) => {
    if (sizes[i] === 2) view.setUint16(at, v);
    else view.setUint32(at, v);
    at += sizes[i];
  });
  return out;
}

/** What each type's data text looks like, for errors. */
const SHAPES: Readonly<Record<number, string>> = {
  15: '"PREFERENCE EXCHANGE" (MX)',
  33: '"PRIORITY WEIGHT PORT TARGET" (SRV)',
  6: '"MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM" (SOA)',
};
