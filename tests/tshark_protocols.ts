/**
 * The oracle's derivations for the application protocols: tshark's DNS
 * sections, DHCP's cookie and options, PPPoE's tags, PTP's identities,
 * in rawframe's form, and how a DNS section is compared.
 *
 * @module
 */

import type { LayerFields, Values } from "./tshark_fields.ts";

/** tshark's names, types and data of every record, and a section's start. */
export interface DnsRecords {
  dnsRecords: Record<"names" | "types" | "a" | "aaaa" | "cname", string[]>;
  skip: number;
}

/** The questions and each section's records, as tshark lists them. */
export function dnsSections(v: Values, out: LayerFields): void {
  const list = (name: string) => v[name] === "" ? [] : v[name].split(",");
  // A looping or unprintable name is written differently by each (tshark
  // names the loop, rawframe ends the list there; bytes as \DDD): only the
  // types of the questions rawframe could read are compared then.
  const names = list("dns.qry.name");
  const printable = names.every((n) =>
    /^[\x21-\x7e]+$/.test(n) && !n.startsWith("<N")
  );
  out.questions = {
    dnsQuestions: {
      names: printable ? names : null,
      types: list("dns.qry.type"),
    },
  };
  const dnsRecords = {
    names: list("dns.resp.name"),
    types: list("dns.resp.type"),
    a: list("dns.a"),
    aaaa: list("dns.aaaa"),
    cname: list("dns.cname"),
  };
  const an = Number(v["dns.count.answers"] || v["dns.count.prerequisites"]);
  const ns = Number(v["dns.count.auth_rr"] || v["dns.count.updates"]);
  out.answers = { dnsRecords, skip: 0 };
  out.authority = { dnsRecords, skip: an };
  out.additional = { dnsRecords, skip: an + ns };
}

/**
 * PPPoE's tags that tshark names (Service-Name, AC-Name as text,
 * Host-Uniq as hex), and a compressed PPP protocol field, which shows as
 * one byte between PPPoE's length and the IP packet's.
 */
export function pppoeFields(v: Values, out: LayerFields): void {
  const hex = (text: string) =>
    [...new TextEncoder().encode(text)]
      .map((b) => b.toString(16).padStart(2, "0")).join("");
  const named: Record<number, string> = {};
  if (v["pppoed.tags.service_name"] !== "") {
    named[0x0101] = hex(v["pppoed.tags.service_name"]);
  }
  if (v["pppoed.tags.ac_name"] !== "") {
    named[0x0102] = hex(v["pppoed.tags.ac_name"]);
  }
  if (v["pppoed.tags.host_uniq"] !== "") {
    named[0x0103] = v["pppoed.tags.host_uniq"];
  }
  // Discovery: the tags tshark names (tcpdump's line names every tag).
  if (v["pppoe.code"] !== "0x00") out.tags = { pppoeTags: named };
  const inner = v["ip.len"] !== ""
    ? Number(v["ip.len"])
    : v["ipv6.plen"] !== ""
    ? Number(v["ipv6.plen"]) + 40
    : undefined;
  if (inner !== undefined && Number(v["pppoe.payload_length"]) === inner + 1) {
    out.pfc = true;
  }
}

/** PTP's clock identity and the port identity a message names, as hex. */
export function ptpFields(v: Values, out: LayerFields): void {
  const hex = (text: string, digits: number) =>
    BigInt(text).toString(16).padStart(digits, "0");
  out.clock = hex(v["ptp.v2.clockidentity"], 16);
  // tshark gives the correction's fraction in nanoseconds.
  out.subns = Math.round(Number(v["ptp.v2.correction.subns"]) * 65536);
  // A peer delay request's 10 reserved bytes: tshark names no field.
  if (v["ptp.v2.messagetype"] === "0x02") out.target = /^[0-9a-f]{20}$/;
  const pairs = [
    [
      "ptp.v2.dr.requestingsourceportidentity",
      "ptp.v2.dr.requestingsourceportid",
    ],
    [
      "ptp.v2.pdrs.requestingportidentity",
      "ptp.v2.pdrs.requestingsourceportid",
    ],
    [
      "ptp.v2.pdfu.requestingportidentity",
      "ptp.v2.pdfu.requestingsourceportid",
    ],
    ["ptp.v2.sig.targetportidentity", "ptp.v2.sig.targetportid"],
    ["ptp.v2.mm.targetportidentity", "ptp.v2.mm.targetportid"],
  ];
  for (const [identity, port] of pairs) {
    if (v[identity] === "") continue;
    out.target = hex(v[identity], 16) + hex(v[port], 4);
  }
}

/** DHCP's cookie (tshark writes it dotted), client MAC and option codes. */
export function dhcpFields(v: Values, out: LayerFields): void {
  // The name fields: tshark's text, ours its bytes in hex (empty: none).
  const hex = (text: string) =>
    [...new TextEncoder().encode(text)]
      .map((b) => b.toString(16).padStart(2, "0")).join("");
  out.sname = hex(v["dhcp.server"]);
  out.file = hex(v["dhcp.file"]);
  if (v["dhcp.cookie"] !== "") {
    out.cookie = v["dhcp.cookie"].split(".")
      .reduce((n, part) => n * 256 + Number(part), 0);
    // Pad and End are not listed alike: the codes between are compared.
    const codes = v["dhcp.option.type"].split(",")
      .filter((c) => c !== "" && c !== "0" && c !== "255");
    out.options = { dhcpCodes: codes.join() };
  }
  if (v["dhcp.hw.mac_addr"] !== "") {
    // Ours is the 16-byte field in hex, without its zero padding.
    out.chaddr = v["dhcp.hw.mac_addr"].replaceAll(":", "").replace(
      /(00)+$/,
      "",
    );
  }
}

/** A name as tshark writes it: no final dot, the root as `<Root>`. */
export function tsharkName(name: string): string {
  return name === "." ? "<Root>" : name.replace(/\.$/, "");
}

/**
 * Whether our section's records are tshark's, from its `skip`th on. tshark
 * gives no owner name for SRV records (it splits it into service, protocol
 * and name), so names are compared for the others.
 */
export function sameRecords(
  ours: { name: string; type: number; data?: string }[],
  theirs: DnsRecords,
): boolean {
  const { dnsRecords: t, skip } = theirs;
  const types = t.types.slice(skip, skip + ours.length);
  if (ours.map((r) => r.type).join() !== types.join()) return false;
  const named = (list: { type: number | string }[]) =>
    list.filter((r) => Number(r.type) !== 33).length;
  const from = named(t.types.slice(0, skip).map((type) => ({ type })));
  const mine = ours.filter((r) => r.type !== 33).map((r) => tsharkName(r.name));
  if (mine.join("\n") !== t.names.slice(from, from + mine.length).join("\n")) {
    return false;
  }
  const data = [[1, t.a], [28, t.aaaa], [5, t.cname]] as const;
  return data.every(([type, list]) => {
    const before = t.types.slice(0, skip).filter((x) => Number(x) === type);
    const values = ours.filter((r) => r.type === type)
      .map((r) => type === 5 ? tsharkName(r.data ?? "") : r.data);
    return values.join() ===
      list.slice(before.length, before.length + values.length).join();
  });
}
