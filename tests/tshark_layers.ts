/**
 * The oracle for decoding: what tshark says of each frame of a capture
 * file, turned into rawframe's layer fields (`lib/decode/layers.ts`), and
 * a field-by-field comparison with what rawframe decoded. tshark reads
 * the file with reassembly off, so each frame stands alone. Every
 * occurrence of a field is read: the second IPv4 layer of a tunnel is
 * compared with the second occurrence of tshark's ip fields (headers an
 * ICMP error quotes come after, and are not layers).
 */
import { run } from "./helpers.ts";
import {
  AGGREGATOR,
  DERIVED,
  EVERY,
  FIELDS,
  type LayerFields,
  type Occurrences,
  PROTOCOLS,
  type Values,
} from "./tshark_fields.ts";
import {
  dhcpFields,
  dnsSections,
  pppoeFields,
  ptpFields,
} from "./tshark_protocols.ts";
import { same } from "./tshark_same.ts";

/** Every frame's fields as tshark reads `file`, every occurrence. */
async function tsharkValues(file: string): Promise<Occurrences[]> {
  const names = [
    ...Object.values(FIELDS).flatMap((layer) =>
      Object.values(layer).flat() as string[]
    ),
    ...DERIVED,
    ...EVERY,
  ];
  const out = await run("tshark", [
    ...["-r", file, "-T", "fields", "-E", "separator=|"],
    ...["-E", "occurrence=a", "-E", `aggregator=${AGGREGATOR}`],
    ...["-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"],
    ...names.flatMap((name) => ["-e", name]),
  ], { timeoutMs: 60_000 });
  if (out.code !== 0) throw new Error(`tshark failed: ${out.stderr}`);
  return out.stdout.split("\n").filter((line) => line !== "").map((line) => {
    const cells = line.split("|");
    return Object.fromEntries(
      names.map((name, i) => [
        name,
        (cells[i] ?? "") === "" ? [] : cells[i].split(AGGREGATOR),
      ]),
    );
  });
}

/**
 * The `nth` occurrence of every field (the nth layer of its protocol),
 * with the fields of EVERY as one list.
 */
function occurrence(fields: Occurrences, nth: number): Values {
  return Object.fromEntries(
    Object.entries(fields).map(([name, all]) => [
      name,
      EVERY.includes(name) ? all.join(",") : all[nth] ?? "",
    ]),
  );
}

/** tcpdump's letters for TCP flag bits, from tshark's number. */
function flagLetters(flags: number): string {
  const letters = [
    [1, "F"],
    [2, "S"],
    [4, "R"],
    [8, "P"],
    [16, "."],
    [
      32,
      "U",
    ],
    [64, "E"],
    [128, "W"],
  ] as const;
  const set = letters.filter(([bit]) => flags & bit).map(([, l]) => l).join(
    "",
  );
  return set === "" ? "none" : set;
}

/** The layers tshark decoded, up to the first ICMP (what it quotes is not a layer). */
function layersIn(values: Values): string[] {
  const v4Invalid = values["ip.version"] !== "" && values["ip.version"] !== "4";
  const chain = values["frame.protocols"].split(":")
    .map((p) => PROTOCOLS[p]).filter((p) => p !== undefined)
    .slice(1) // the frame's own Ethernet header is not a layer
    // tshark names IGMP twice (the protocol, then its version), and names
    // it for DVMRP and PIMv1 too, whose messages rawframe does not read.
    .filter((p, i, all) =>
      p !== "igmp" || (all[i - 1] !== "igmp" && values["igmp.type"] !== "")
    )
    // NTP control and private messages, and cut headers, are not read;
    // nor HSRP messages shorter than the 20 bytes of version 0.
    .filter((p) =>
      p !== "ntp" ||
      (Number(values["ntp.flags.mode"]) < 6 && values["ntp.xmt"] !== "")
    )
    .filter((p) => p !== "hsrp" || values["hsrp.virt_ip"] !== "")
    // A DNS message shorter than its header is not a layer.
    .filter((p) => p !== "dns" || values["dns.id"] !== "")
    // An IPv4 EtherType on another version is no layer to rawframe (tshark
    // reads a version 6 header as IPv6 all the same); nor is the Ethernet
    // frame tshark guesses under an MPLS stack (a pseudowire).
    .filter((p, i, all) =>
      !(v4Invalid && all[0] === "ipv4" &&
        ((p === "ipv4" && i === 0) || (p === "ipv6" && i === 1)))
    )
    // PPP is a field of rawframe's pppoe layer, not a layer.
    .filter((p) => p !== "ppp")
    .filter((_, i, all) =>
      !(values["frame.protocols"].includes("pweth") &&
        all.slice(0, i).includes("mpls"))
    )
    // tcpdump's port order (rawframe's) gives SNMP's port 161 precedence
    // over DHCPv6's; tshark reads DHCPv6 there.
    .filter((p) =>
      p !== "dhcp6" ||
      ![values["udp.srcport"], values["udp.dstport"]].includes("161")
    )
    // Nor a CDP packet shorter than its header.
    .filter((p) => p !== "cdp" || values["cdp.checksum"] !== "")
    // Nor PTP other than version 2, which rawframe names only.
    .filter((p) =>
      p !== "ptp" ||
      (values["ptp.v2.versionptp"] === "2" &&
        values["ptp.v2.sequenceid"] !== "")
    )
    // Nor a DHCPv6 message shorter than its 4-byte header.
    .filter((p) =>
      p !== "dhcp6" || values["dhcpv6.xid"] !== "" ||
      values["dhcpv6.hopcount"] !== ""
    )
    // Nor a BOOTP message shorter than its fixed header.
    .filter((p) =>
      p !== "dhcp" || values["dhcp.file"] !== "" ||
      values["dhcp.ip.relay"] !== ""
    )
    // tshark reads EAP inside EAPOL without naming it in the chain.
    .flatMap((p) =>
      p === "eapol" && values["eap.code"] !== "" ? [p, "eap"] : [p]
    );
  const icmp = chain.findIndex((p) => p === "icmp" || p === "icmpv6");
  const layers = icmp < 0 ? chain : chain.slice(0, icmp + 1);
  return values["llc.oui"] === ""
    ? layers
    : layers.flatMap((l) => (l === "llc" ? ["llc", "snap"] : [l]));
}

/** tshark's value of `layer`'s fields, in rawframe's form. */
function expected(layer: string, v: Values): LayerFields {
  const out: LayerFields = {};
  const fields = FIELDS[layer as keyof typeof FIELDS] as Record<
    string,
    readonly string[]
  >;
  for (const [key, names] of Object.entries(fields)) {
    const value = names.map((n) => v[n]).find((x) => x !== "");
    if (value !== undefined) out[key] = value;
  }
  if (
    layer === "ipv4" &&
    (v["ip.flags.mf"] === "1" || Number(v["ip.frag_offset"]) > 0)
  ) {
    out.frag = {
      id: Number(v["ip.id"]),
      offset: Number(v["ip.frag_offset"]) * 8,
      more: v["ip.flags.mf"] === "1",
    };
  }
  if (layer === "ipv4" && v["ip.hdr_len"] !== "") {
    out.ihl = Number(v["ip.hdr_len"]) / 4;
    out.rb = v["ip.flags.rb"] === "1";
    out.df = v["ip.flags.df"] === "1";
    out.mf = v["ip.flags.mf"] === "1";
    out.offset = Number(v["ip.frag_offset"]) * 8;
    // tshark names each option; its first type byte is checked here.
    if (v["ip.opt.type"] !== "") {
      out.options = new RegExp(
        `^${Number(v["ip.opt.type"]).toString(16).padStart(2, "0")}`,
      );
    }
  }
  if (layer === "tcp" && v["tcp.hdr_len"] !== "") {
    out.dataofs = Number(v["tcp.hdr_len"]) / 4;
    out.reserved = (Number(v["tcp.flags"]) >> 8) & 0x0f;
    if (v["tcp.options"] !== "") out.options = { bytes: v["tcp.options"] };
  }
  if (layer === "ipv6") {
    let next = v["ipv6.nxt"];
    const after: Record<string, string> = {
      0: "ipv6.hopopts.nxt",
      43: "ipv6.routing.nxt",
      44: "ipv6.fraghdr.nxt",
      60: "ipv6.dstopts.nxt",
    };
    while (after[next] !== undefined && v[after[next]] !== "") {
      next = v[after[next]];
    }
    out.next = next;
  }
  if (layer === "igmp" && v["igmp.type"] !== "") {
    const group = v["igmp.maddr"].split(",")[0];
    if (group !== undefined && group !== "") out.group = group;
    if (v["igmp.s"] !== "") {
      out.s = v["igmp.s"] === "1" || v["igmp.s"] === "True";
    }
    if (v["igmp.qrv"] !== "") out.sources = { list: v["igmp.saddr"] };
    if (v["igmp.max_resp.exp"] !== "") {
      // A v3 code of 128 or more: tshark gives the time it stands for.
      out.mrc = 0x80 | (Number(v["igmp.max_resp.exp"]) << 4) |
        Number(v["igmp.max_resp.mant"]);
    }
    if (v["igmp.record_type"] !== "") {
      out.records = {
        recordTypes: v["igmp.record_type"],
        groups: v["igmp.maddr"],
      };
      delete out.group;
    }
  }
  if (layer === "dns" && v["dns.id"] !== "") dnsSections(v, out);
  if (layer === "dhcp" && v["dhcp.id"] !== "") dhcpFields(v, out);
  if (layer === "pppoe" && v["pppoe.code"] !== "") pppoeFields(v, out);
  if (layer === "ptp" && v["ptp.v2.messagetype"] !== "") ptpFields(v, out);
  if (layer === "cdp" && v["cdp.version"] !== "") {
    out.tlvs = { cdpTypes: v["cdp.tlv.type"] };
    // Ours is only printable text; tshark shows any bytes.
    if (!/^[\x20-\x7e]*$/.test(v["cdp.deviceid"])) delete out.deviceid;
  }
  if (layer === "mpls" && v["mpls.label"] !== "") {
    out.labels = {
      mpls: ["mpls.label", "mpls.exp", "mpls.bottom", "mpls.ttl"]
        .map((f) => v[f]).join(";"),
    };
  }
  if (layer === "dhcp6" && v["dhcpv6.msgtype"] !== "") {
    // tshark lists the options inside options too (IA_NA's addresses):
    // ours, the outer ones, must come in its list in order.
    out.options = { dhcp6Codes: v["dhcpv6.option.type"].split(",") };
    // A relay has no xid: tshark's is the relayed message's.
    if (v["dhcpv6.hopcount"] !== "") delete out.xid;
  }
  if (layer === "hsrp" && v["hsrp.version"] !== "") {
    // tshark shows the 8 bytes as text: ours is their hex, zero-padded.
    const text = [...new TextEncoder().encode(v["hsrp.auth_data"])]
      .map((x) => x.toString(16).padStart(2, "0")).join("");
    out.auth = text.padEnd(16, "0");
  }
  if (layer === "ntp" && v["ntp.flags.mode"] !== "") {
    for (const stamp of ["reftime", "org", "rec", "xmt"]) {
      out[stamp] = { ntpTime: v[`ntp.${stamp}`] };
    }
  }
  if (layer === "vrrp" && v["vrrp.addr_count"] !== "") {
    out.addrs = { list: v["vrrp.ip_addr"] || v["vrrp.ipv6_addr"] };
  }
  if (layer === "vxlan" && v["vxlan.flags"] !== "") {
    out.flags = Number(v["vxlan.flags"]) >> 8; // tshark's word: flags, reserved
  }
  if (layer === "geneve" && v["geneve.version"] !== "") {
    out.optlen = (v["geneve.options"] ?? "").length / 8; // hex → words
  }
  if (layer === "ah" && v["ah.reserved"] !== "") {
    out.reserved = parseInt(v["ah.reserved"], 16); // bytes, as hex
  }
  if (layer === "tcp" && v["tcp.flags"] !== "") {
    out.flags = flagLetters(Number(v["tcp.flags"]) & 0xff);
  }
  if (layer === "stp") {
    for (const end of ["root", "bridge"]) {
      if (v[`stp.${end}.hw`] === "") continue;
      const priority = Number(v[`stp.${end}.prio`]) +
        Number(v[`stp.${end}.ext`]);
      out[end] = `${priority.toString(16).padStart(4, "0")}.${
        v[`stp.${end}.hw`]
      }`;
    }
  }
  if (layer === "lacp" && v["lacp.actor.sysid"] !== "") {
    for (const end of ["actor", "partner"]) {
      out[end] = {
        sys_priority: v[`lacp.${end}.sys_priority`],
        system: v[`lacp.${end}.sysid`],
        key: v[`lacp.${end}.key`],
        port_priority: v[`lacp.${end}.port_priority`],
        port: v[`lacp.${end}.port`],
        state: v[`lacp.${end}.state`],
      };
    }
  }
  if (layer === "lldp" && v["lldp.tlv.type"] !== "") {
    out.tlvs = { types: v["lldp.tlv.type"], lengths: v["lldp.tlv.len"] };
  }
  return out;
}

/** How rawframe's layers agreed with tshark's fields. */
export interface Agreement {
  frames: number;
  /** Fields both gave, compared. */
  fields: number;
  /** Each disagreement, with its frame number. */
  mismatches: string[];
}

/**
 * Compares `ours` (each frame's decoded layers, in file order) with what
 * tshark says of `file`. `cut`: frames are cut short, so a layer tshark
 * names but could not read (or we read further than tshark) is not a
 * mismatch; values both give must still agree.
 */
export async function compareWithTshark(
  file: string,
  ours: LayerFields[][],
  cut = false,
): Promise<Agreement> {
  const frames = await tsharkValues(file);
  const result: Agreement = {
    frames: frames.length,
    fields: 0,
    mismatches: [],
  };
  if (frames.length !== ours.length) {
    result.mismatches.push(
      `tshark read ${frames.length} frames, we ${ours.length}`,
    );
    return result;
  }
  frames.forEach((fields, i) => {
    const theirs = layersIn(occurrence(fields, 0));
    // Data after the headers is no protocol of tshark's.
    const mine = ours[i].map((l) => l.layer).filter((l) => l !== "raw");
    if (!cut && theirs.join() !== mine.join()) {
      result.mismatches.push(
        `frame ${i + 1}: layers ${mine} vs tshark ${theirs}`,
      );
    }
    const seen: Record<string, number> = {};
    let ipHeaders = 0; // tshark's ip.version occurs in IPv6 headers too
    for (const layer of ours[i]) {
      if (!theirs.includes(layer.layer)) continue;
      const nth = seen[layer.layer] = (seen[layer.layer] ?? -1) + 1;
      // An inner Ethernet header is tshark's second eth, and so on.
      const at = layer.layer === "ether" ? nth + 1 : nth;
      const want = expected(layer.layer, occurrence(fields, at));
      if (layer.layer === "ipv4" || layer.layer === "ipv6") {
        const version = fields["ip.version"][ipHeaders++];
        if (layer.layer === "ipv4" && version !== undefined) {
          want.version = version;
        }
      }
      for (const [key, value] of Object.entries(want)) {
        if (!(key in layer)) {
          if (!cut) {
            result.mismatches.push(
              `frame ${i + 1}: ${layer.layer}.${key} missing (tshark ${
                JSON.stringify(value)
              })`,
            );
          }
          continue;
        }
        result.fields++;
        if (!same(layer[key], value)) {
          result.mismatches.push(
            `frame ${i + 1}: ${layer.layer}.${key} ${
              JSON.stringify(layer[key])
            } vs tshark ${JSON.stringify(value)}`,
          );
        }
      }
      if (!cut) {
        // ICMP's `rest` is a word tshark splits by message, VXLAN's
        // reserved bits are fields by its flags (GBP, GPE): not compared.
        // IGMP's second byte is named only where it is a max response code.
        const extra = Object.keys(layer).filter((k) =>
          k !== "layer" && !(k in want) &&
          !["rest", "reserved", "reserved2", "mrc"].includes(k)
        );
        for (const key of extra) {
          result.mismatches.push(
            `frame ${i + 1}: ${layer.layer}.${key} not in tshark`,
          );
        }
      }
    }
  });
  return result;
}
