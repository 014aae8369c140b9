/**
 * Whether one of rawframe's field values says what tshark's text says:
 * numbers, addresses, bytes, and the lists and times some fields hold.
 *
 * @module
 */

import type { LayerFields } from "./tshark_fields.ts";
import {
  type DnsRecords,
  sameRecords,
  tsharkName,
} from "./tshark_protocols.ts";

/** LLDP TLVs as tshark lists them: every type, every length. */
interface TlvList {
  types: string;
  lengths: string;
}

/** Whether our TLVs have tshark's types and lengths, in its order. */
function sameTlvs(ours: { type: number; data: string }[], theirs: TlvList) {
  return ours.map((t) => t.type).join() === theirs.types &&
    ours.map((t) => t.data.length / 2).join() === theirs.lengths;
}

/** TCP options, as a list, in bytes (lowercase hex). */
function optionBytes(
  options: { kind: number; data?: string; len?: number }[],
): string {
  const hex = (n: number) => n.toString(16).padStart(2, "0");
  return options.map(({ kind, data, len }) =>
    kind < 2
      ? `${hex(kind)}${data ?? ""}`
      : len === -1
      ? hex(kind)
      : `${hex(kind)}${hex(len ?? 2 + (data ?? "").length / 2)}${data ?? ""}`
  ).join("");
}

/**
 * Whether an NTP timestamp (16 hex digits: seconds since 1900, fraction)
 * is the time tshark writes (`Aug 23, 2017 13:21:56.928478999 UTC`, or
 * `NULL` for zero): the second exactly, the fraction to the nanosecond.
 */
function sameNtpTime(ours: string, theirs: string): boolean {
  if (theirs === "NULL" || theirs === "") return /^0{16}$/.test(ours);
  const m = theirs.match(/^(.*\d\d:\d\d:\d\d)\.(\d{9}) UTC$/);
  if (m === null) return false;
  const unix = Date.parse(`${m[1]} UTC`) / 1000;
  // A clear top bit is the next era (from 2036), as tshark reads it.
  const ntp = parseInt(ours.slice(0, 8), 16);
  const seconds = ntp - 2208988800 + (ntp < 2 ** 31 ? 2 ** 32 : 0);
  const nanos = Math.floor(parseInt(ours.slice(8), 16) * 1e9 / 2 ** 32);
  return seconds === unix && Math.abs(nanos - Number(m[2])) <= 1;
}

/** Whether our value and tshark's text say the same. */
export function same(ours: unknown, theirs: unknown): boolean {
  if (theirs instanceof RegExp) return theirs.test(String(ours));
  if (typeof theirs === "object" && theirs !== null && "ntpTime" in theirs) {
    return sameNtpTime(String(ours), (theirs as { ntpTime: string }).ntpTime);
  }
  if (Array.isArray(ours) && typeof theirs === "object" && theirs !== null) {
    if ("types" in theirs) return sameTlvs(ours, theirs as TlvList);
    if ("dnsRecords" in theirs) return sameRecords(ours, theirs as DnsRecords);
    if ("cdpTypes" in theirs) {
      const types = (theirs as { cdpTypes: string }).cdpTypes;
      return ours.map((t) => `0x${t.type.toString(16).padStart(4, "0")}`)
        .join() === types;
    }
    if ("pppoeTags" in theirs) {
      // The tags tshark names, each by its value: ours must hold them.
      const named = (theirs as { pppoeTags: Record<number, string> })
        .pppoeTags;
      return Object.entries(named).every(([type, data]) =>
        ours.some((t) => t.type === Number(type) && t.data === data)
      );
    }
    if ("mpls" in theirs) {
      const fields = ["label", "tc", "s", "ttl"] as const;
      return fields.map((f) => ours.map((e) => Number(e[f])).join())
        .join(";") === (theirs as { mpls: string }).mpls;
    }
    if ("dhcp6Codes" in theirs) {
      const all = (theirs as { dhcp6Codes: string[] }).dhcp6Codes;
      let at = 0;
      return ours.every((o) => (at = all.indexOf(String(o.code), at) + 1) > 0);
    }
    if ("dhcpCodes" in theirs) {
      return ours.map((o) => o.code).filter((c) => c !== 0 && c !== 255)
        .join() === (theirs as { dhcpCodes: string }).dhcpCodes;
    }
    if ("dnsQuestions" in theirs) {
      const t = (theirs as {
        dnsQuestions: { names: string[] | null; types: string[] };
      }).dnsQuestions;
      const types = ours.map((q) => q.type).join();
      if (t.names === null) return t.types.join().startsWith(types);
      return ours.map((q) => tsharkName(q.name)).join("\n") ===
          t.names.join("\n") && types === t.types.join();
    }
    if ("list" in theirs) {
      return ours.join(",") === (theirs as { list: string }).list;
    }
    if ("recordTypes" in theirs) {
      const t = theirs as { recordTypes: string; groups: string };
      return ours.map((r) => r.type).join() === t.recordTypes &&
        ours.map((r) => r.group).join() === t.groups;
    }
    return optionBytes(ours) === (theirs as { bytes: string }).bytes;
  }
  if (typeof ours === "object" && ours !== null) {
    return typeof theirs === "object" && theirs !== null &&
      Object.entries(theirs).every(([k, t]) =>
        same((ours as LayerFields)[k], t)
      );
  }
  if (typeof ours === "number") return ours === Number(theirs);
  if (typeof ours === "boolean") return ours === theirs;
  const text = String(ours);
  const hex = [...new TextEncoder().encode(text)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  // tshark writes bytes fields (an address of an odd length) as bare hex.
  return text === theirs || hex === theirs ||
    (/^[0-9a-f]{2}(:[0-9a-f]{2})+$/.test(text) &&
      text.replaceAll(":", "") === theirs);
}
