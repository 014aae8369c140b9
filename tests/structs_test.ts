/**
 * Every struct layout ffi/ knows, compared field by field with the C
 * headers (tests/offsets.c, compiled here with cc), and the encoders
 * checked byte for byte.
 */
import { assertEquals } from "./assert.ts";
import * as structs from "../ffi/structs.ts";
import * as rings from "../ffi/ring_structs.ts";
import * as constants from "../ffi/constants.ts";
import {
  encodeIfreq,
  encodePacketMreq,
  encodePollfds,
  encodeSockaddrLl,
  encodeSockFilters,
} from "../ffi/structs.ts";
import { hex } from "./helpers.ts";

/** Compiles tests/offsets.c with the machine's cc and returns its table. */
async function headerLayouts(): Promise<Record<string, number>> {
  const dir = await Deno.makeTempDir();
  try {
    const binary = `${dir}/offsets`;
    const source = new URL("./offsets.c", import.meta.url).pathname;
    const cc = await new Deno.Command("cc", { args: ["-o", binary, source] })
      .output();
    if (!cc.success) throw new Error(new TextDecoder().decode(cc.stderr));
    const out = await new Deno.Command(binary).output();
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Each layout table of ffi/: the C struct it describes and, for every one
 * of its fields, the C member name (`size` is sizeof).
 */
const LAYOUTS: Record<string, [string, Record<string, string>]> = {
  SOCKADDR_LL: ["sockaddr_ll", {
    family: "sll_family",
    protocol: "sll_protocol",
    ifindex: "sll_ifindex",
    hatype: "sll_hatype",
    pkttype: "sll_pkttype",
    halen: "sll_halen",
    addr: "sll_addr",
  }],
  IFREQ: ["ifreq", {
    name: "ifr_name",
    hwaddr: "ifr_hwaddr",
    mtu: "ifr_mtu",
    flags: "ifr_flags",
  }],
  IF_NAMEINDEX: ["if_nameindex", { index: "if_index", name: "if_name" }],
  POLLFD: ["pollfd", { fd: "fd", events: "events", revents: "revents" }],
  IOVEC: ["iovec", { base: "iov_base", len: "iov_len" }],
  MSGHDR: ["msghdr", {
    name: "msg_name",
    namelen: "msg_namelen",
    iov: "msg_iov",
    iovlen: "msg_iovlen",
    control: "msg_control",
    controllen: "msg_controllen",
    flags: "msg_flags",
  }],
  MMSGHDR: ["mmsghdr", { hdr: "msg_hdr", len: "msg_len" }],
  CMSGHDR: ["cmsghdr", {
    len: "cmsg_len",
    level: "cmsg_level",
    type: "cmsg_type",
  }],
  TPACKET_AUXDATA: ["tpacket_auxdata", {
    status: "tp_status",
    len: "tp_len",
    snaplen: "tp_snaplen",
    mac: "tp_mac",
    net: "tp_net",
    vlanTci: "tp_vlan_tci",
    vlanTpid: "tp_vlan_tpid",
  }],
  TPACKET_STATS: ["tpacket_stats", {
    packets: "tp_packets",
    drops: "tp_drops",
  }],
  SOCK_FILTER: ["sock_filter", { code: "code", jt: "jt", jf: "jf", k: "k" }],
  SOCK_FPROG: ["sock_fprog", { len: "len", filter: "filter" }],
  BPF_PROGRAM: ["bpf_program", { len: "bf_len", insns: "bf_insns" }],
  PCAP_PKTHDR: ["pcap_pkthdr", { caplen: "caplen", len: "len" }],
  PACKET_MREQ: ["packet_mreq", {
    ifindex: "mr_ifindex",
    type: "mr_type",
    alen: "mr_alen",
    address: "mr_address",
  }],
  TIMESPEC: ["timespec", { sec: "tv_sec", nsec: "tv_nsec" }],
  SCM_TIMESTAMPING_TS: ["scm_timestamping", { software: "ts" }],
  SOCK_EXTENDED_ERR: ["sock_extended_err", {
    errno: "ee_errno",
    origin: "ee_origin",
    type: "ee_type",
    code: "ee_code",
    pad: "ee_pad",
    info: "ee_info",
    data: "ee_data",
  }],
  TPACKET_REQ: ["tpacket_req", {
    blockSize: "tp_block_size",
    blockNr: "tp_block_nr",
    frameSize: "tp_frame_size",
    frameNr: "tp_frame_nr",
  }],
  TPACKET_REQ3: ["tpacket_req3", {
    blockSize: "tp_block_size",
    blockNr: "tp_block_nr",
    frameSize: "tp_frame_size",
    frameNr: "tp_frame_nr",
    retireBlockTimeout: "tp_retire_blk_tov",
    sizeofPriv: "tp_sizeof_priv",
    featureReqWord: "tp_feature_req_word",
  }],
  TPACKET_BLOCK_DESC: ["tpacket_block_desc", {
    version: "version",
    blockStatus: "block_status",
    numPackets: "num_pkts",
    offsetToFirstPacket: "offset_to_first_pkt",
  }],
  TPACKET3_HDR: ["tpacket3_hdr", {
    nextOffset: "tp_next_offset",
    sec: "tp_sec",
    nsec: "tp_nsec",
    snaplen: "tp_snaplen",
    len: "tp_len",
    status: "tp_status",
    mac: "tp_mac",
    net: "tp_net",
    vlanTci: "tp_vlan_tci",
    vlanTpid: "tp_vlan_tpid",
  }],
  TPACKET2_HDR: ["tpacket2_hdr", {
    status: "tp_status",
    len: "tp_len",
    snaplen: "tp_snaplen",
    mac: "tp_mac",
    net: "tp_net",
  }],
};

/** Layout tables: exported objects whose every value is a number. */
function layoutTables(): Record<string, Record<string, number>> {
  const tables: Record<string, Record<string, number>> = {};
  for (const [name, value] of Object.entries({ ...structs, ...rings })) {
    if (
      typeof value === "object" && value !== null &&
      Object.values(value).every((v) => typeof v === "number")
    ) tables[name] = value as Record<string, number>;
  }
  return tables;
}

Deno.test("every layout in ffi/ is compared with the C headers", () => {
  const tables = layoutTables();
  assertEquals(Object.keys(tables).sort(), Object.keys(LAYOUTS).sort());
  for (const [name, table] of Object.entries(tables)) {
    const fields = Object.keys(table).filter((f) => f !== "size");
    assertEquals(fields.sort(), Object.keys(LAYOUTS[name][1]).sort(), name);
  }
});

Deno.test("every struct offset and size matches the kernel, glibc and libpcap headers", async () => {
  const c = await headerLayouts();
  const tables = layoutTables();
  const ours: Record<string, number> = {};
  const theirs: Record<string, number> = {};
  for (const [name, [struct, fields]] of Object.entries(LAYOUTS)) {
    const table = tables[name];
    const members = "size" in table ? { size: "size", ...fields } : fields;
    for (const [field, member] of Object.entries(members)) {
      ours[`${struct}.${member}`] = table[field];
      theirs[`${struct}.${member}`] = c[`${struct}.${member}`];
    }
  }
  assertEquals(ours, theirs);
  // Constants that stand for C expressions.
  assertEquals(rings.TPACKET2_TX_DATA, c["tpacket2_tx_data"]);
  assertEquals(structs.CMSGHDR.size, c["cmsg_data"]);
  // libpcap's instructions are decoded with the kernel's layout.
  for (const field of ["size", "code", "jt", "jf", "k"]) {
    assertEquals(c[`bpf_insn.${field}`], c[`sock_filter.${field}`], field);
  }
});

Deno.test("the transmit-timestamp constants match the kernel and glibc headers", async () => {
  const c = await headerLayouts();
  const names = [
    "SO_TIMESTAMPING",
    "SCM_TIMESTAMPING",
    "MSG_ERRQUEUE",
    "PACKET_TX_TIMESTAMP",
    "SOF_TIMESTAMPING_TX_SOFTWARE",
    "SOF_TIMESTAMPING_SOFTWARE",
    "SOF_TIMESTAMPING_OPT_ID",
    "SOF_TIMESTAMPING_TX_SCHED",
    "SOF_TIMESTAMPING_OPT_TSONLY",
    "SO_EE_ORIGIN_TIMESTAMPING",
    "SCM_TSTAMP_SND",
    "SCM_TSTAMP_SCHED",
    "CLOCK_REALTIME",
  ] as const;
  assertEquals(
    names.map((name) => [name, constants[name]]),
    names.map((name) => [name, c[name]]),
  );
});

Deno.test("sockaddr_ll is encoded byte for byte: family host order, protocol network order", () => {
  const bytes = encodeSockaddrLl(0x0003, 7);
  assertEquals(
    hex(bytes),
    "1100" + "0003" + "07000000" + "0000" + "00" + "00" + "0000000000000000",
  );
});

Deno.test("ifreq carries the NUL-terminated name, cut to 15 bytes", () => {
  const bytes = encodeIfreq("veth0");
  assertEquals(bytes.length, 40);
  assertEquals(hex(bytes.subarray(0, 6)), "766574683000");
  assertEquals(encodeIfreq("a-very-long-interface-name")[15], 0);
});

Deno.test("pollfd, sock_filter and packet_mreq encode in native order", () => {
  assertEquals(
    hex(encodePollfds([3, 4], 1)),
    "0300000001000000" + "0400000001000000",
  );
  const program = [{ code: 0x28, jt: 1, jf: 2, k: 12 }, {
    code: 0x06,
    jt: 0,
    jf: 0,
    k: 0xfffff004,
  }];
  const encoded = encodeSockFilters(program);
  assertEquals(hex(encoded), "280001020c000000" + "0600000004f0ffff");
  assertEquals(
    structs.decodeSockFilters(new DataView(encoded.buffer)),
    program,
  );
  assertEquals(
    hex(encodePacketMreq(5, 1)),
    "0500000001000000" + "0000000000000000",
  );
});
