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

/** tshark fields, by the rawframe layer and field they stand for. */
const FIELDS = {
  arp: {
    htype: ["arp.hw.type"],
    ptype: ["arp.proto.type"],
    hlen: ["arp.hw.size"],
    plen: ["arp.proto.size"],
    op: ["arp.opcode"],
    sha: ["arp.src.hw_mac", "arp.src.hw"],
    spa: ["arp.src.proto_ipv4", "arp.src.proto"],
    tha: ["arp.dst.hw_mac", "arp.dst.hw"],
    tpa: ["arp.dst.proto_ipv4", "arp.dst.proto"],
  },
  ipv4: {
    version: ["ip.version"],
    tos: ["ip.dsfield"],
    id: ["ip.id"],
    checksum: ["ip.checksum"],
    src: ["ip.src"],
    dst: ["ip.dst"],
    protocol: ["ip.proto"],
    ttl: ["ip.ttl"],
    len: ["ip.len"],
  },
  ipv6: {
    version: ["ipv6.version"],
    tc: ["ipv6.tclass"],
    fl: ["ipv6.flow"],
    nh: ["ipv6.nxt"],
    src: ["ipv6.src"],
    dst: ["ipv6.dst"],
    hlim: ["ipv6.hlim"],
    len: ["ipv6.plen"],
  },
  icmp: {
    type: ["icmp.type"],
    code: ["icmp.code"],
    checksum: ["icmp.checksum"],
    id: ["icmp.ident"],
    seq: ["icmp.seq"],
  },
  icmpv6: {
    type: ["icmpv6.type"],
    code: ["icmpv6.code"],
    checksum: ["icmpv6.checksum"],
    id: ["icmpv6.echo.identifier"],
    seq: ["icmpv6.echo.sequence_number"],
  },
  udp: {
    sport: ["udp.srcport"],
    dport: ["udp.dstport"],
    len: ["udp.length"],
    checksum: ["udp.checksum"],
  },
  tcp: {
    sport: ["tcp.srcport"],
    dport: ["tcp.dstport"],
    seq: ["tcp.seq_raw"],
    ack: ["tcp.ack_raw"],
    window: ["tcp.window_size_value"],
    checksum: ["tcp.checksum"],
    urg: ["tcp.urgent_pointer"],
  },
  gre: {
    flags: ["gre.flags_and_version"],
    proto: ["gre.proto"],
    checksum: ["gre.checksum"],
    offset: ["gre.offset"],
    key: ["gre.key"],
    seq: ["gre.sequence_number"],
    ack: ["gre.ack_number"],
  },
  esp: { spi: ["esp.spi"], seq: ["esp.sequence"] },
  vxlan: { vni: ["vxlan.vni"] },
  dns: {
    id: ["dns.id"],
    flags: ["dns.flags"],
    // An UPDATE's sections are zones, prerequisites and updates.
    qdcount: ["dns.count.queries", "dns.count.zones"],
    ancount: ["dns.count.answers", "dns.count.prerequisites"],
    nscount: ["dns.count.auth_rr", "dns.count.updates"],
    arcount: ["dns.count.add_rr"],
    length: ["dns.length"],
  },
  dhcp: {
    op: ["dhcp.type"],
    htype: ["dhcp.hw.type"],
    hlen: ["dhcp.hw.len"],
    hops: ["dhcp.hops"],
    xid: ["dhcp.id"],
    secs: ["dhcp.secs"],
    flags: ["dhcp.flags"],
    ciaddr: ["dhcp.ip.client"],
    yiaddr: ["dhcp.ip.your"],
    siaddr: ["dhcp.ip.server"],
    giaddr: ["dhcp.ip.relay"],
    msgtype: ["dhcp.option.dhcp"],
    server: ["dhcp.option.dhcp_server_id"],
    requested: ["dhcp.option.requested_ip_address"],
    lease: ["dhcp.option.ip_address_lease_time"],
    hostname: ["dhcp.option.hostname"],
  },
  // The stack is compared as a whole (see expected).
  mpls: {},
  cdp: {
    version: ["cdp.version"],
    ttl: ["cdp.ttl"],
    checksum: ["cdp.checksum"],
    deviceid: ["cdp.deviceid"],
  },
  ptp: {
    sdoid: ["ptp.v2.majorsdoid"],
    msgtype: ["ptp.v2.messagetype"],
    minor: ["ptp.v2.minorversionptp"],
    version: ["ptp.v2.versionptp"],
    len: ["ptp.v2.messagelength"],
    domain: ["ptp.v2.domainnumber"],
    minorsdoid: ["ptp.v2.minorsdoid"],
    flags: ["ptp.v2.flags"],
    correction: ["ptp.v2.correction.ns"],
    specific: ["ptp.v2.messagetypespecific"],
    port: ["ptp.v2.sourceportid"],
    seq: ["ptp.v2.sequenceid"],
    control: ["ptp.v2.controlfield"],
    interval: ["ptp.v2.logmessageperiod"],
    seconds: [
      "ptp.v2.sdr.origintimestamp.seconds",
      "ptp.v2.fu.preciseorigintimestamp.seconds",
      "ptp.v2.dr.receivetimestamp.seconds",
      "ptp.v2.pdrq.origintimestamp.seconds",
      "ptp.v2.pdrs.requestreceipttimestamp.seconds",
      "ptp.v2.pdfu.responseorigintimestamp.seconds",
      "ptp.v2.an.origintimestamp.seconds",
    ],
    nanoseconds: [
      "ptp.v2.sdr.origintimestamp.nanoseconds",
      "ptp.v2.fu.preciseorigintimestamp.nanoseconds",
      "ptp.v2.dr.receivetimestamp.nanoseconds",
      "ptp.v2.pdrq.origintimestamp.nanoseconds",
      "ptp.v2.pdrs.requestreceipttimestamp.nanoseconds",
      "ptp.v2.pdfu.responseorigintimestamp.nanoseconds",
      "ptp.v2.an.origintimestamp.nanoseconds",
    ],
  },
  pppoe: {
    version: ["pppoe.version"],
    type: ["pppoe.type"],
    code: ["pppoe.code"],
    session: ["pppoe.session_id"],
    len: ["pppoe.payload_length"],
    proto: ["ppp.protocol"],
  },
  dhcp6: {
    msgtype: ["dhcpv6.msgtype"],
    xid: ["dhcpv6.xid"],
    hopcount: ["dhcpv6.hopcount"],
    linkaddr: ["dhcpv6.linkaddr"],
    peeraddr: ["dhcpv6.peeraddr"],
  },
  eapol: {
    version: ["eapol.version"],
    type: ["eapol.type"],
    len: ["eapol.len"],
  },
  eap: {
    code: ["eap.code"],
    id: ["eap.id"],
    len: ["eap.len"],
    type: ["eap.type"],
  },
  hsrp: {
    version: ["hsrp.version"],
    op: ["hsrp.opcode"],
    state: ["hsrp.state"],
    hello: ["hsrp.hellotime"],
    hold: ["hsrp.holdtime"],
    prio: ["hsrp.priority"],
    group: ["hsrp.group"],
    reserved: ["hsrp.reserved"],
    addr: ["hsrp.virt_ip"],
  },
  ntp: {
    li: ["ntp.flags.li"],
    version: ["ntp.flags.vn"],
    mode: ["ntp.flags.mode"],
    stratum: ["ntp.stratum"],
    poll: ["ntp.ppoll"],
    precision: ["ntp.precision"],
    rootdelay: ["ntp.rootdelay"],
    rootdisp: ["ntp.rootdispersion"],
    refid: ["ntp.refid"],
  },
  igmp: {
    type: ["igmp.type"],
    mrc: ["igmp.max_resp"],
    qrv: ["igmp.qrv"],
    checksum: ["igmp.checksum"],
    group: ["igmp.maddr"],
    s: ["igmp.s"],
    qqic: ["igmp.qqic"],
  },
  vrrp: {
    version: ["vrrp.version"],
    type: ["vrrp.type"],
    vrid: ["vrrp.virt_rtr_id"],
    prio: ["vrrp.prio"],
    count: ["vrrp.addr_count"],
    authtype: ["vrrp.auth_type"],
    reserved: ["vrrp.reserved_mbz"],
    intvl: ["vrrp.adver_int", "vrrp.short_adver_int"],
    checksum: ["vrrp.checksum"],
  },
  geneve: {
    version: ["geneve.version"],
    flags: ["geneve.flags"],
    proto: ["geneve.proto_type"],
    vni: ["geneve.vni"],
    reserved: ["geneve.reserved"],
    options: ["geneve.options"],
  },
  // The second Ethernet header on: the first is the frame's own.
  ether: { dst: ["eth.dst"], src: ["eth.src"], type: ["eth.type"] },
  ah: {
    next: ["ah.next_header"],
    len: ["ah.length"],
    reserved: ["ah.reserved"],
    spi: ["ah.spi"],
    seq: ["ah.sequence"],
    icv: ["ah.icv"],
  },
  llc: { dsap: ["llc.dsap"], ssap: ["llc.ssap"], control: ["llc.control"] },
  snap: {
    oui: ["llc.oui"],
    pid: ["llc.pid", "llc.type", "llc.cisco_pid"],
  },
  lldp: {
    chassis: [
      "lldp.chassis.id.mac",
      "lldp.chassis.id.ip4",
      "lldp.chassis.id.ip6",
      "lldp.chassis.id",
    ],
    port: [
      "lldp.port.id.mac",
      "lldp.port.id.ip4",
      "lldp.port.id.ip6",
      "lldp.port.id",
    ],
    ttl: ["lldp.time_to_live"],
    name: ["lldp.tlv.system.name"],
    descr: ["lldp.port.desc"],
  },
  stp: {
    protocol: ["stp.protocol"],
    version: ["stp.version"],
    bpdu: ["stp.type"],
    cost: ["stp.root.cost"],
    flags: ["stp.flags"],
    port: ["stp.port"],
    age: ["stp.msg_age"],
    maxage: ["stp.max_age"],
    hello: ["stp.hello"],
    forward: ["stp.forward"],
    v1len: ["stp.version_1_length"],
  },
  lacp: { version: ["lacp.version"], max_delay: ["lacp.collector.max_delay"] },
} as const;

/** Fields whose occurrences form one value (a list, comma-separated). */
const EVERY = [
  "lldp.tlv.type",
  "lldp.tlv.len",
  "vrrp.ip_addr",
  "vrrp.ipv6_addr",
  "igmp.saddr",
  "igmp.record_type",
  "igmp.maddr",
  "dns.qry.name",
  "dns.qry.type",
  "dns.resp.name",
  "dns.resp.type",
  "dns.a",
  "dns.aaaa",
  "dns.cname",
  "dhcp.option.type",
  "dhcpv6.option.type",
  "cdp.tlv.type",
  "mpls.label",
  "mpls.exp",
  "mpls.bottom",
  "mpls.ttl",
];

/** Between a field's occurrences in tshark's output (no field holds it). */
const AGGREGATOR = "\x1e";

/** Extra fields for values made from several (see `expected`). */
const DERIVED = [
  "frame.protocols",
  "dhcp.cookie",
  "dhcp.hw.mac_addr",
  "dhcp.server",
  "dhcpv6.hopcount",
  "ptp.v2.clockidentity",
  "ptp.v2.correction.subns",
  "ptp.v2.versionptp",
  "ptp.v2.sequenceid",
  "ptp.v2.dr.requestingsourceportidentity",
  "ptp.v2.dr.requestingsourceportid",
  "ptp.v2.pdrs.requestingportidentity",
  "ptp.v2.pdrs.requestingsourceportid",
  "ptp.v2.pdfu.requestingportidentity",
  "ptp.v2.pdfu.requestingsourceportid",
  "ptp.v2.sig.targetportidentity",
  "ptp.v2.sig.targetportid",
  "ptp.v2.mm.targetportidentity",
  "ptp.v2.mm.targetportid",
  "pppoed.tags.service_name",
  "pppoed.tags.ac_name",
  "pppoed.tags.host_uniq",
  "pppoe.payload_length",
  "ip.len",
  "ipv6.plen",
  "dhcp.file",
  "ip.flags.mf",
  "ip.flags.df",
  "ip.flags.rb",
  "ip.hdr_len",
  "ip.opt.type",
  "tcp.hdr_len",
  "tcp.options",
  "ip.frag_offset",
  "ip.id",
  "ipv6.nxt",
  "vxlan.flags",
  "ntp.reftime",
  "ntp.org",
  "ntp.rec",
  "ntp.xmt",
  "hsrp.auth_data",
  "igmp.max_resp.exp",
  "igmp.max_resp.mant",
  "ipv6.hopopts.nxt",
  "ipv6.routing.nxt",
  "ipv6.fraghdr.nxt",
  "ipv6.dstopts.nxt",
  "tcp.flags",
  "stp.root.prio",
  "stp.root.ext",
  "stp.root.hw",
  "stp.bridge.prio",
  "stp.bridge.ext",
  "stp.bridge.hw",
  ...["actor", "partner"].flatMap((end) =>
    ["sys_priority", "sysid", "key", "port_priority", "port", "state"].map((
      field,
    ) => `lacp.${end}.${field}`)
  ),
];

/** tshark's protocol names of the layers rawframe decodes. */
const PROTOCOLS: Readonly<Record<string, string>> = {
  arp: "arp",
  ip: "ipv4",
  ipv6: "ipv6",
  icmp: "icmp",
  icmpv6: "icmpv6",
  udp: "udp",
  tcp: "tcp",
  gre: "gre",
  esp: "esp",
  ah: "ah",
  vxlan: "vxlan",
  geneve: "geneve",
  vrrp: "vrrp",
  igmp: "igmp",
  ntp: "ntp",
  hsrp: "hsrp",
  eapol: "eapol",
  dns: "dns",
  dhcp: "dhcp",
  dhcpv6: "dhcp6",
  mpls: "mpls",
  ptp: "ptp",
  cdp: "cdp",
  ppp: "ppp",
  pppoed: "pppoe",
  pppoes: "pppoe",
  mdns: "dns",
  llmnr: "dns",
  eap: "eap",
  eth: "ether",
  llc: "llc",
  stp: "stp",
  lldp: "lldp",
  lacp: "lacp",
};

type Values = Record<string, string>;
/** Each field's occurrences in one frame. */
type Occurrences = Record<string, string[]>;
// deno-lint-ignore no-explicit-any
type LayerFields = Record<string, any>;

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

/** tshark's names, types and data of every record, and a section's start. */
interface DnsRecords {
  dnsRecords: Record<"names" | "types" | "a" | "aaaa" | "cname", string[]>;
  skip: number;
}

/** The questions and each section's records, as tshark lists them. */
function dnsSections(v: Values, out: LayerFields): void {
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
function pppoeFields(v: Values, out: LayerFields): void {
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
function ptpFields(v: Values, out: LayerFields): void {
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
function dhcpFields(v: Values, out: LayerFields): void {
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
function tsharkName(name: string): string {
  return name === "." ? "<Root>" : name.replace(/\.$/, "");
}

/**
 * Whether our section's records are tshark's, from its `skip`th on. tshark
 * gives no owner name for SRV records (it splits it into service, protocol
 * and name), so names are compared for the others.
 */
function sameRecords(
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
function same(ours: unknown, theirs: unknown): boolean {
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
