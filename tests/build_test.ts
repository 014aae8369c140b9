/**
 * Building frames from layers: what is built decodes back to every field
 * given, re-encodes to the same bytes, and tshark — with checksum
 * validation on — finds every checksum right and every field equal to
 * the layer's; a checksum given wrong stays wrong; bad fields are refused.
 */

import { deepEqual, equal, throws } from "node:assert/strict";
import { type BuildLayer, buildPacket } from "../lib/build.ts";
import { decodeFrame, type TcpLayer } from "../lib/decode.ts";
import { LayerError, OptionError } from "../lib/errors.ts";
import { compareWithTshark } from "./tshark_layers.ts";
import { pcapOf, tsharkChecksums } from "./tshark_checksums.ts";

const A = "02:00:00:00:00:01";
const B = "02:00:00:00:00:02";
const V4 = { src: "10.0.0.1", dst: "10.0.0.2" };
const V6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const INNER4 = { src: "192.168.0.1", dst: "192.168.0.2" };

/** Layer lists covering every layer and the fields worth varying. */
const CASES: BuildLayer[][] = [
  [{ layer: "arp", op: 1, sha: A, spa: "10.0.0.1", tpa: "10.0.0.2" }],
  [{ layer: "arp", op: 2, sha: A, spa: "10.0.0.1", tha: B, tpa: "10.0.0.2" }],
  [{ layer: "ipv4", ...V4 }, { layer: "icmp", type: 8, id: 7, seq: 1 }, {
    layer: "raw",
    data: "61".repeat(56),
  }],
  [{ layer: "ipv4", ...V4, ttl: 3, id: 999, df: true, tos: 0x2e }, {
    layer: "udp",
    sport: 40000,
    dport: 9,
  }, { layer: "raw", data: "48690a" }],
  [{ layer: "ipv4", ...V4, options: "94040000" }, {
    layer: "udp",
    sport: 1,
    dport: 2,
  }],
  [{ layer: "ipv4", ...V4, mf: true, id: 5 }, { layer: "raw", data: "00" }],
  [{ layer: "ipv4", ...V4 }, {
    layer: "tcp",
    sport: 40000,
    dport: 80,
    flags: "S",
    seq: 1000,
    window: 64240,
    options: [
      { kind: 2, data: "05b4" },
      { kind: 4 },
      { kind: 1 },
      {
        kind: 3,
        data: "07",
      },
      { kind: 1 },
      { kind: 1 },
    ],
  }],
  [{ layer: "ipv4", ...V4 }, {
    layer: "tcp",
    sport: 80,
    dport: 40000,
    flags: "P.",
    seq: 1,
    ack: 2,
    urg: 0,
  }, { layer: "raw", data: "68656c6c6f" }],
  [{ layer: "ipv6", ...V6, hlim: 9, tc: 0xb8, fl: 0x12345 }, {
    layer: "icmpv6",
    type: 128,
    id: 3,
    seq: 4,
  }, { layer: "raw", data: "71".repeat(32) }],
  [{ layer: "ipv6", ...V6 }, { layer: "udp", sport: 5000, dport: 5001 }, {
    layer: "raw",
    data: "00",
  }],
  [{ layer: "ipv6", ...V6 }, { layer: "tcp", flags: "S.", seq: 9, ack: 1 }],
  [{ layer: "llc" }, {
    layer: "stp",
    root: "8000.02:00:00:00:00:01",
    cost: 4,
    bridge: "8001.02:00:00:00:00:02",
    port: 0x8002,
    flags: 0x01,
    age: 1.5,
  }],
  [{ layer: "llc" }, { layer: "stp", version: 2, flags: 0x3c, v1len: 0 }],
  [{ layer: "llc" }, { layer: "stp", bpdu: 0x80 }],
  [{ layer: "llc" }, { layer: "snap" }, { layer: "stp" }],
  [{ layer: "llc", dsap: 0xf0, ssap: 0xf0, control: 0x0100 }, {
    layer: "raw",
    data: "ffff",
  }],
  [{
    layer: "lldp",
    chassis: A,
    port: "ge-0/0/1",
    ttl: 90,
    descr: "uplink",
    name: "core switch",
  }],
  [{ layer: "lldp", chassis: "10.0.0.1", port: "2001:db8::1" }],
  [{
    layer: "lldp",
    chassis: "rack-7",
    port: B,
    ttl: 60,
    tlvs: [{ type: 127, data: "0080c2010001" }, { type: 0, data: "" }],
  }],
  [{
    layer: "lacp",
    actor: { system: A, key: 13, port: 1, state: 0x3d },
    partner: { sys_priority: 100, system: B, key: 14, port: 2, state: 0x3c },
    max_delay: 5,
  }],
  // Tunnels: IP in IP, GRE, IPsec.
  [{ layer: "ipv4", ...V4 }, { layer: "ipv4", ...INNER4 }, {
    layer: "icmp",
    type: 8,
    id: 1,
    seq: 2,
  }],
  [{ layer: "ipv4", ...V4 }, { layer: "ipv6", ...V6 }, {
    layer: "udp",
    sport: 1000,
    dport: 2000,
  }, { layer: "raw", data: "78787878" }],
  [{ layer: "ipv6", ...V6 }, { layer: "ipv4", ...INNER4 }, {
    layer: "udp",
    sport: 5,
    dport: 6,
  }],
  [{ layer: "ipv4", ...V4 }, { layer: "gre" }, { layer: "ipv4", ...INNER4 }, {
    layer: "icmp",
    type: 8,
  }],
  [{ layer: "ipv4", ...V4 }, { layer: "gre", key: 0x1234, seq: 77 }, {
    layer: "ipv4",
    ...INNER4,
  }, { layer: "udp", sport: 7, dport: 8 }],
  [
    { layer: "ipv4", ...V4 },
    { layer: "gre", flags: 0x8000 },
    {
      layer: "ipv6",
      ...V6,
    },
    { layer: "udp", sport: 7, dport: 8 },
    { layer: "raw", data: "00ff" },
  ],
  [{ layer: "ipv6", ...V6 }, { layer: "gre", proto: 0x2001 }, {
    layer: "raw",
    data: "6162636465666768",
  }],
  [{ layer: "ipv4", ...V4 }, { layer: "esp", spi: 0x12345678, seq: 1 }, {
    layer: "raw",
    data: "65".repeat(40),
  }],
  [
    { layer: "ipv4", ...V4 },
    {
      layer: "ah",
      spi: 0x100,
      seq: 0x13,
      icv: "21d3a95c5ffd4d184622b9f8",
    },
    { layer: "udp", sport: 40000, dport: 40001 },
    {
      layer: "raw",
      data: "6b6b",
    },
  ],
  [{ layer: "ipv6", ...V6 }, { layer: "ah", spi: 1, seq: 2 }, {
    layer: "tcp",
    flags: "S",
  }],
  // Overlays: an Ethernet frame inside VXLAN or Geneve; IPv4 in Geneve.
  [
    { layer: "ipv4", ...V4 },
    { layer: "udp", sport: 40000 },
    {
      layer: "vxlan",
      vni: 100,
    },
    { layer: "ether", dst: B, src: A },
    { layer: "ipv4", ...INNER4 },
    {
      layer: "icmp",
      type: 8,
    },
  ],
  [
    { layer: "ipv4", ...V4 },
    { layer: "udp", sport: 40000 },
    {
      layer: "geneve",
      vni: 0xa,
      flags: 0x40,
      options: "0102030400000000",
    },
    { layer: "ether", dst: B, src: A },
    {
      layer: "arp",
      op: 1,
      sha: A,
      spa: "192.168.0.1",
      tpa: "192.168.0.2",
    },
  ],
  [
    { layer: "ipv6", ...V6 },
    { layer: "udp", sport: 40000 },
    {
      layer: "geneve",
      vni: 0xc,
    },
    { layer: "ipv4", ...INNER4 },
    { layer: "udp", sport: 1, dport: 2 },
  ],
  // VRRP: version 2 with simple authentication, 3 over IPv6.
  [{ layer: "ipv4", ...V4, ttl: 255 }, {
    layer: "vrrp",
    vrid: 42,
    prio: 191,
    authtype: 1,
    intvl: 10,
    addrs: ["10.0.0.254"],
  }, { layer: "raw", data: "4142434445464748" }],
  [{ layer: "ipv6", ...V6, hlim: 255 }, {
    layer: "vrrp",
    vrid: 6,
    addrs: ["2001:db8::254", "2001:db8::253"],
  }],
  // IGMP: a v2 report, a v3 query for a group with sources, a v3 report.
  [{ layer: "ipv4", ...V4, ttl: 1 }, {
    layer: "igmp",
    type: 0x16,
    group: "239.1.1.1",
  }],
  [{ layer: "ipv4", ...V4, ttl: 1 }, {
    layer: "igmp",
    type: 0x11,
    group: "239.1.1.1",
    qrv: 2,
    qqic: 125,
    sources: ["10.0.0.9", "10.0.0.10"],
  }],
  [{ layer: "ipv4", ...V4, ttl: 1 }, {
    layer: "igmp",
    type: 0x22,
    records: [{ type: 4, group: "239.1.1.1", sources: [] }, {
      type: 1,
      group: "239.1.1.2",
      sources: ["10.0.0.9"],
    }],
  }],
  // NTP: a client's request and a server's reply.
  [{ layer: "ipv4", ...V4 }, { layer: "udp", sport: 40000 }, {
    layer: "ntp",
    xmt: "e8a6c16140000000",
  }],
  [{ layer: "ipv6", ...V6 }, { layer: "udp", sport: 123, dport: 40000 }, {
    layer: "ntp",
    mode: 4,
    stratum: 2,
    poll: 6,
    precision: 0xe8,
    rootdelay: 21,
    rootdisp: 2386,
    refid: "c0000201",
    reftime: "e8a6c16080000000",
    org: "e8a6c16140000000",
    rec: "e8a6c16180000000",
    xmt: "e8a6c161c0000000",
  }],
  // HSRP: an active router's hello (to its group; tshark reads HSRP only there).
  [{ layer: "ipv4", src: "10.0.0.1", dst: "224.0.0.2", ttl: 1 }, {
    layer: "udp",
    sport: 1985,
  }, {
    layer: "hsrp",
    group: 1,
    addr: "10.0.0.254",
  }],
  // 802.1X: a start; an EAP response with an identity.
  [{ layer: "eapol" }],
  [{ layer: "eapol" }, { layer: "eap", code: 2, id: 1, type: 1 }, {
    layer: "raw",
    data: "75736572",
  }],
  // DNS: a query; a response of every type with text data, compressed;
  // a query over TCP (its length first); an mDNS answer.
  [{ layer: "ipv4", ...V4 }, { layer: "udp", sport: 40000 }, {
    layer: "dns",
    id: 7,
    questions: [{ name: "example.com.", type: 28, class: 1 }],
  }],
  [{ layer: "ipv4", ...V4 }, { layer: "udp", dport: 40000 }, {
    layer: "dns",
    id: 7,
    flags: 0x8180,
    questions: [{ name: "example.com.", type: 1, class: 1 }],
    answers: [
      {
        name: "example.com.",
        type: 5,
        class: 1,
        ttl: 60,
        data: "www.example.com.",
      },
      { name: "www.example.com.", type: 1, class: 1, ttl: 60, data: "1.2.3.4" },
      {
        name: "www.example.com.",
        type: 28,
        class: 1,
        ttl: 60,
        data: "2001:db8::1",
      },
      {
        name: "example.com.",
        type: 15,
        class: 1,
        ttl: 0,
        data: "10 mail.example.com.",
      },
      {
        name: "_sip._tcp.example.com.",
        type: 33,
        class: 1,
        ttl: 0,
        data: "1 5 5060 sip.example.com.",
      },
      {
        name: "1.0.0.10.in-addr.arpa.",
        type: 12,
        class: 1,
        ttl: 0,
        data: "host.example.com.",
      },
    ],
    authority: [{
      name: "example.com.",
      type: 6,
      class: 1,
      ttl: 300,
      data: "ns.example.com. admin.example.com. 1 7200 3600 1209600 300",
    }],
    additional: [
      {
        name: "x.example.com.",
        type: 16,
        class: 1,
        ttl: 0,
        rdata: "0568656c6c6f",
      },
      { name: ".", type: 41, class: 1232, ttl: 0, rdata: "" },
    ],
  }],
  [{ layer: "ipv4", ...V4 }, {
    layer: "tcp",
    sport: 40000,
    dport: 53,
    flags: "P.",
  }, {
    layer: "dns",
    id: 8,
    questions: [{ name: "example.com.", type: 1, class: 1 }],
  }],
  [{ layer: "ipv4", ...V4, dst: "224.0.0.251" }, {
    layer: "udp",
    sport: 5353,
    dport: 5353,
  }, {
    layer: "dns",
    flags: 0x8400,
    answers: [{
      name: "host.local.",
      type: 1,
      class: 0x8001,
      ttl: 120,
      data: "10.0.0.5",
    }],
  }],
  // DHCP: a discover from named fields; an ack from its options, exact.
  [{ layer: "ipv4", src: "0.0.0.0", dst: "255.255.255.255" }, {
    layer: "udp",
    sport: 68,
  }, {
    layer: "dhcp",
    xid: 0x1234,
    flags: 0x8000,
    chaddr: "020000000001",
    msgtype: 1,
    hostname: "h1",
  }],
  [{ layer: "ipv4", ...V4 }, { layer: "udp", sport: 67, dport: 68 }, {
    layer: "dhcp",
    op: 2,
    xid: 0x1234,
    yiaddr: "10.0.0.50",
    chaddr: "020000000001",
    options: [
      { code: 53, data: "05" },
      { code: 54, data: "0a000001" },
      { code: 51, data: "00000e10" },
      { code: 1, data: "ffffff00" },
      { code: 255 },
    ],
    lease: 3600,
  }],
  // DHCPv6: a solicit with a client ID and elapsed time; a relay-forward.
  [{ layer: "ipv6", src: "fe80::1", dst: "ff02::1:2" }, {
    layer: "udp",
    sport: 546,
  }, {
    layer: "dhcp6",
    msgtype: 1,
    xid: 0x123456,
    options: [
      { code: 1, data: "00030001020000000001" },
      { code: 8, data: "0000" },
    ],
  }],
  [{ layer: "ipv6", ...V6 }, { layer: "udp", sport: 547 }, {
    layer: "dhcp6",
    msgtype: 12,
    hopcount: 1,
    linkaddr: "2001:db8::1",
    peeraddr: "fe80::3",
    options: [{ code: 9, data: "01000009" }],
  }],
  // MPLS: one label over IPv4; a stack of two inside GRE.
  [{ layer: "mpls", labels: [{ label: 16, tc: 0, s: true, ttl: 64 }] }, {
    layer: "ipv4",
    ...V4,
  }, { layer: "icmp", type: 8, id: 1, seq: 1 }],
  [
    { layer: "ipv4", ...V4 },
    { layer: "gre" },
    {
      layer: "mpls",
      labels: [{ label: 100, tc: 5, s: false, ttl: 63 }, {
        label: 200,
        tc: 0,
        s: true,
        ttl: 64,
      }],
    },
    { layer: "ipv4", ...INNER4 },
    { layer: "udp", sport: 1, dport: 2 },
  ],
  // PPPoE: a PADI with tags; a session carrying IPv4.
  [{
    layer: "pppoe",
    code: 0x09,
    tags: [{ type: 0x0101, data: "" }, { type: 0x0103, data: "0102" }],
  }],
  [{ layer: "pppoe", session: 0x1234 }, { layer: "ipv4", ...V4 }, {
    layer: "icmp",
    type: 8,
  }],
  // PTP: a two-step sync over Ethernet; a delay response over UDP.
  [{
    layer: "ptp",
    msgtype: 0,
    domain: 24,
    flags: 0x0200,
    clock: "02000000fffe0001",
    seq: 7,
    seconds: 1700000000,
    nanoseconds: 5,
  }],
  [{ layer: "ipv4", ...V4 }, { layer: "udp", sport: 320, dport: 320 }, {
    layer: "ptp",
    msgtype: 9,
    seq: 7,
    interval: -4,
    seconds: 1700000000,
    nanoseconds: 999999999,
    target: "0200000afffe000b0002",
  }],
  // CDP: a device ID alone (odd length: Cisco's checksum); TLVs given.
  [{ layer: "llc" }, { layer: "snap" }, { layer: "cdp", deviceid: "sw7" }],
  [{ layer: "llc" }, { layer: "snap" }, {
    layer: "cdp",
    ttl: 60,
    tlvs: [{ type: 1, data: "535731" }, { type: 3, data: "4661302f31" }],
  }],
  // Options that need padding: two end-of-list bytes follow.
  [{ layer: "ipv4", ...V4 }, { layer: "tcp", options: [{ kind: 4 }] }],
];

const frames = CASES.map((layers) => buildPacket({ dst: B, src: A, layers }));

Deno.test("what is built decodes back to every field given", () => {
  CASES.forEach((layers, i) => {
    const decoded = decodeFrame(frames[i]).layers as unknown as Record<
      string,
      unknown
    >[];
    layers.filter((l) => l.layer !== "raw").forEach((given, j) => {
      for (const [key, value] of Object.entries(given)) {
        if (i === CASES.length - 1 && key === "options") continue; // padded
        if (given.layer === "lldp" && key === "tlvs") continue; // more made
        const got = given.layer === "lacp" && typeof value === "object"
          ? pick(decoded[j][key], value)
          : decoded[j][key];
        deepEqual(got, value, `case ${i}, ${given.layer}.${key}`);
      }
    });
  });
});

/** The fields of `value` that `like` has: a LACP end given in part. */
function pick(value: unknown, like: object): unknown {
  const all = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(like).map((k) => [k, all[k]]));
}

Deno.test("LLDP: TLVs of the named fields come first, in 802.1AB's order; an edit of a decoded unit is sent as edited", () => {
  const lldp = decodeFrame(
    frames[CASES.findIndex((c) => c[0].layer === "lldp" && c[0].tlvs)],
  ).layers[0];
  deepEqual(
    (lldp as { tlvs: { type: number }[] }).tlvs.map((t) => t.type),
    [1, 2, 3, 127, 0],
  );
  const edited = buildPacket({
    dst: B,
    src: A,
    layers: [{ ...lldp, name: "renamed", ttl: 0 } as BuildLayer],
  });
  const again = decodeFrame(edited).layers[0] as unknown as Record<
    string,
    unknown
  >;
  equal(again.name, "renamed");
  equal(again.ttl, 0);
  equal(again.chassis, "rack-7");
  deepEqual(
    (again.tlvs as { type: number }[]).map((t) => t.type),
    [1, 2, 3, 127, 5, 0],
  );
});

Deno.test("scapy's flag letters build what tcpdump's do", () => {
  const syn = (flags: string) =>
    buildPacket({
      dst: B,
      src: A,
      layers: [{ layer: "ipv4", ...V4 }, { layer: "tcp", flags }],
    });
  deepEqual(syn("PA"), syn("P."));
  deepEqual(syn("SAEC"), syn("S.EW"));
});

Deno.test("decoded layers build the same bytes again", () => {
  frames.forEach((frame, i) => {
    const { layers } = decodeFrame(frame);
    const payload = CASES[i].find((l) => l.layer === "raw");
    equal(layers.at(-1)?.layer === "raw", payload !== undefined, `case ${i}`);
    const again = buildPacket({
      dst: B,
      src: A,
      layers: layers as BuildLayer[],
    });
    deepEqual(again, frame, `case ${i}`);
  });
});

Deno.test("tshark checks every checksum right and every field equal", async () => {
  const file = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    await Deno.writeFile(file, pcapOf(frames));
    const status = await tsharkChecksums(frames);
    equal(status.bad, 0, `bad checksums: ${status.lines.join(" | ")}`);
    // Every IPv4 header (inner ones too) and each UDP, TCP, ICMP, ICMPv6
    // GRE and VRRP checksum: 7 + 9 before the tunnels, which add 20, the
    // overlays 9, VRRP 3 (an IPv4 header and both VRRP messages), IGMP 6
    // (three IPv4 headers, three messages), NTP 3 (an IPv4 header, two
    // UDP checksums), HSRP 2 (IPv4, UDP), DNS 8 (four IPv4 headers, three
    // UDP and one TCP checksum), DHCP 4 (two IPv4 headers, two UDP), DHCPv6
    // 2 (UDP over IPv6), MPLS 5 (three IPv4 headers, ICMP, UDP), PPPoE 2
    // (IPv4, ICMP), PTP 2 (IPv4, UDP), CDP 2 (Cisco's own sum, one of an
    // odd length).
    equal(
      status.good,
      7 + 9 + 20 + 9 + 3 + 6 + 3 + 2 + 8 + 4 + 2 + 5 + 2 + 2 + 2,
    );
    const agreement = await compareWithTshark(
      file,
      frames.map((f) => decodeFrame(f).layers),
    );
    deepEqual(agreement.mismatches, []);
    equal(agreement.fields > 150, true, `${agreement.fields} fields`);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("a checksum given is kept, even a wrong one", async () => {
  const frame = buildPacket({
    dst: B,
    src: A,
    layers: [{ layer: "ipv4", ...V4, checksum: 0x1234 }, {
      layer: "udp",
      checksum: 0xbeef,
    }],
  });
  equal((frame[24] << 8) | frame[25], 0x1234);
  equal((frame[40] << 8) | frame[41], 0xbeef);
  equal((await tsharkChecksums([frame])).bad, 2);
});

Deno.test("bad layers are refused with the layer and field named", () => {
  const build = (layers: unknown[]) => () =>
    buildPacket({ dst: B, src: A, layers: layers as BuildLayer[] });
  throws(build([{ layer: "ipv4", ...V4, ttl: 256 }]), LayerError);
  throws(build([{ layer: "ipv4", src: "10.0.0", dst: "10.0.0.2" }]), {
    name: "LayerError",
    message: /ipv4\.src must be an IPv4 address/,
  });
  throws(build([{ layer: "ipv6", src: "2001:db8:::1", dst: "::1" }]), {
    message: /ipv6\.src/,
  });
  throws(build([{ layer: "ipv4", ...V4, tll: 3 }]), OptionError);
  throws(build([{ layer: "udp", sport: "53" }]), OptionError);
  throws(build([{ layer: "ipv4", ...V4 }, { layer: "tcp", flags: "SX" }]), {
    message: /tcp\.flags/,
  });
  throws(build([{ layer: "smtp" }]), { message: /unknown layer "smtp"/ });
  // DNS: names, data text and lists are checked, each error naming where.
  const dns = (fields: object) => build([{ layer: "dns", ...fields }]);
  const bad = (fields: object, message: RegExp) =>
    throws(dns(fields), { message });
  bad({ questions: [{ name: "a".repeat(64) }] }, /questions\[0\]\.name.*63/);
  bad({ questions: [{ name: "a..b" }] }, /empty label/);
  bad({ questions: [{ name: 7 }] }, /questions\[0\]/);
  bad({ answers: [{ name: "a", type: 15, data: "mail" }] }, /MX/);
  bad({ answers: [{ name: "a", type: 16, data: "x" }] }, /rdata \(hex\)/);
  bad({ answers: [{ name: "a", data: "1.2.3.4", rdata: "00" }] }, /not both/);
  bad({ answers: [{ name: "a", data: "1.2.3" }] }, /answers\[0\]/);
  bad({ questions: "a" }, /questions/);
  bad({ length: 5 }, /over TCP/);
  const dhcp = (fields: object, message: RegExp) =>
    throws(build([{ layer: "dhcp", ...fields }]), { message });
  dhcp({ chaddr: "00".repeat(17) }, /chaddr is at most 16/);
  dhcp({ requested: "10.0.0" }, /dhcp\.requested/);
  dhcp({ options: [{ code: 300 }] }, /options\[0\]/);
  dhcp({ options: [{ code: 1, data: "00".repeat(256) }] }, /255 bytes/);
  dhcp({ hostname: "" }, /hostname/);
  throws(build([{ layer: "dhcp6", msgtype: 12, xid: 1 }]), {
    message: /relay/,
  });
  throws(build([{ layer: "dhcp6", xid: 2 ** 24 }]), { message: /dhcp6\.xid/ });
  throws(build([{ layer: "mpls" }]), { message: /mpls\.labels/ });
  throws(build([{ layer: "pppoe" }]), { message: /pppoe\.proto/ });
  throws(
    build([{
      layer: "pppoe",
      code: 9,
      tags: [{ type: 1, data: "00".repeat(65536) }],
    }]),
    { message: /pppoe\.tags\[0\]\.data is at most 65535 bytes/ },
  );
  throws(build([{ layer: "ptp", clock: "00" }]), { message: /ptp\.clock/ });
  throws(build([{ layer: "cdp", tlvs: [{ type: 1, data: "0" }] }]), {
    message: /cdp\.tlvs\[0\]/,
  });
  throws(build([{ layer: "ptp", msgtype: 0xc, seconds: 1 }]), {
    message: /no timestamp/,
  });
  throws(build([{ layer: "ptp", interval: 200 }]), { message: /interval/ });
  throws(build([{ layer: "pppoe", code: 9, proto: 0x21 }]), {
    message: /session/,
  });
  throws(build([{ layer: "mpls", labels: [{ label: 2 ** 20 }] }]), {
    message: /mpls\.labels\[0\]/,
  });
  throws(build([{ layer: "raw", data: "4" }]), { message: /raw\.data/ });
  throws(build([{ layer: "raw", data: "48" }]), { message: /EtherType/ });
  throws(build([{ layer: "lldp", chassis: A }]), {
    message: /chassis and port/,
  });
  throws(build([{ layer: "lldp", chassis: A, port: "x", ttl: 70000 }]), {
    message: /lldp\.ttl/,
  });
  throws(build([{ layer: "lldp", tlvs: [{ type: 128, data: "" }] }]), {
    message: /lldp\.tlvs\[0\]\.type/,
  });
  throws(build([{ layer: "lacp", actor: { system: "02:00" } }]), {
    message: /lacp\.actor\.system/,
  });
  throws(build([{ layer: "lacp", partner: { prio: 1 } }]), OptionError);
  throws(build([{ layer: "arp", sha: "02:00:00:00:00", hlen: 6 }]), {
    message: /arp\.sha is 5 bytes long, but the packet says 6/,
  });
});

Deno.test("malformed TCP options (a length past the header, a header ending after a kind) decode to layers that build the same bytes", () => {
  // Found by deno task fuzz: MSS with length 5, then a kind whose length
  // byte is 0; and options ending right after a kind byte.
  const frames = [
    "02000000000202000000000108004500004700010000400666ae0a0000020a000001004500003800010000400166c20a0000010a000002050104250a0000fe4500001c00010000401166c60a0000020a000009003500350008eb69",
    "0200000000020200000000010800" +
    "4500003000010000400600000a0000020a000001" +
    "00450035000000000000000070022000000000000101010101010102",
  ].map((hex) => Uint8Array.from(hex.match(/../g)!, (x) => parseInt(x, 16)));
  for (const frame of frames) {
    const { layers } = decodeFrame(frame);
    const tcp = layers.find((l) => l.layer === "tcp") as TcpLayer;
    equal(tcp.options?.some((o) => o.len !== undefined), true);
    const again = buildPacket({
      dst: B,
      src: A,
      layers: layers as BuildLayer[],
    });
    deepEqual(again.subarray(14, 14 + 48), frame.subarray(14, 14 + 48));
  }
});
