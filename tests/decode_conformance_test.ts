/**
 * Decoding held against tcpdump (lines) and tshark (fields) where it went
 * wrong on tcpdump's own test captures: frames cut by a snap length, IPv6
 * jumbograms, segment routing headers with TLVs, PVST+ over SNAP, ARP with
 * other address lengths. The curated captures are in
 * tests/fixtures/tcpdump; the whole corpus, where present, is run too.
 */

import { deepEqual, equal } from "node:assert/strict";
import { compareFile, type FileResult, roundTrip } from "./conformance.ts";
import { compareWithTshark } from "./tshark_layers.ts";
import { decodeFrame } from "../lib/decode.ts";
import { parseHex } from "../lib/frame.ts";
import { readPcap } from "../lib/pcap.ts";
import { run } from "./helpers.ts";

const FIXTURES = new URL("./fixtures/tcpdump/", import.meta.url).pathname;
const CORPUS = new URL("../../shared/corpus/tcpdump-tests/", import.meta.url)
  .pathname;

/** What a file's comparison must show: something decoded, nothing wrong. */
function agrees(r: FileResult): void {
  equal(r.skipped, undefined, `${r.file}: ${r.skipped}`);
  deepEqual(r.differences, [], r.file);
  equal(r.decoded > 0, true, `${r.file}: nothing decoded`);
}

Deno.test("the curated tcpdump captures decode as tcpdump prints them", async () => {
  const files = [...Deno.readDirSync(FIXTURES)]
    .filter((e) => e.name.endsWith(".pcap")).map((e) => e.name).sort();
  equal(files.length, 21);
  for (const file of files) agrees(await compareFile(`${FIXTURES}${file}`));
});

Deno.test("tunnels in real captures (ESP, AH over IPv6, GRE with a key, GRE carrying IPv4, VXLAN, Geneve with options) VRRP, HSRP, IGMP, NTP and 802.1X: every field as tshark reads it", async () => {
  let fields = 0;
  for (
    const file of [
      "02-sunrise-sunset-esp.pcap",
      "OSPFv3_with_AH.pcap",
      "NHRP_registration.pcap",
      "erspan-type-i-4-gre.pcap",
      "vxlan.pcap",
      "geneve.pcap",
      "vrrp.pcap",
      "IGMP_V1.pcap",
      "IGMP_V2.pcap",
      "igmpv3-queries.pcap",
      "ntp-time.pcap",
      "HSRP_failover.pcap",
      "eapon1.pcap",
    ]
  ) {
    const path = `${FIXTURES}${file}`;
    const layers = readPcap(await Deno.readFile(path))
      .map((f) => decodeFrame(f.bytes, f.length).layers);
    const agreement = await compareWithTshark(path, layers, true);
    deepEqual(agreement.mismatches, [], file);
    fields += agreement.fields;
  }
  equal(fields > 500, true, `${fields} fields`);
});

Deno.test("the fixed cases, line by line", async () => {
  const line = async (file: string) =>
    decodeFrame(...firstFrame(await Deno.readFile(`${FIXTURES}${file}`)))
      .info;
  equal(
    await line("ipv6_jumbogram_1.pcap"),
    "IP6 2200::244:212:3fff:feae:22f7 > 2200::240:2:0:0:4: HBH ICMP6, echo request, id 4576, seq 51486, length 65528",
  );
  equal(
    await line("ipv6_missing_jumbo_payload_option.pcap"),
    "IP6 a:b:c:0:ffff:ffff:44:43 > 134:d12e:101:600:85bf:af00::: HBH [No valid Jumbo Payload Hop-by-Hop option found] (invalid)",
  );
  equal(
    await line("ipv6-srh-tlv-hmac.pcap"),
    "IP6 2001:db8:1::1 > cafe:1::2: RT6 (len=5, type=4, segleft=0, last-entry=0, tag=0 (invalid length 5) (invalid)",
  );
  equal(await line("bigtcp-ipv4.pcap"), "IP bad-len 0");
});

/** The first record of a classic pcap file: its bytes and wire length. */
function firstFrame(file: Uint8Array): [Uint8Array, number] {
  const [frame] = readPcap(file);
  return [frame.bytes, frame.length];
}

const ECHO = "020000000001020000000002" + "0800" +
  "4500005400014000400126a70a0000020a000001" +
  "0800" + "f7fe" + "00010001" + "00".repeat(56);

Deno.test("a frame cut by a snap length is not shown as damaged", () => {
  const whole = parseHex(ECHO);
  equal(whole.length, 98);
  const want =
    "IP 10.0.0.2 > 10.0.0.1: ICMP echo request, id 1, seq 1, length 64";
  equal(decodeFrame(whole).info, want);
  equal(decodeFrame(whole.subarray(0, 60), 98).info, want);
  // Short on the wire as well: then bytes are missing.
  equal(
    decodeFrame(whole.subarray(0, 60)).info,
    "IP truncated-ip - 38 bytes missing! 10.0.0.2 > 10.0.0.1: ICMP echo request, id 1, seq 1, length 64",
  );
});

/** ARP packets with other address lengths, written by scapy. */
const ARP_SCRIPT = `
import struct, sys
from scapy.all import Ether, Raw, wrpcap
def arp(htype, ptype, hlen, plen, op, sha, spa, tha, tpa):
    body = struct.pack("!HHBBH", htype, ptype, hlen, plen, op)
    return Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01",
                 type=0x0806) / Raw(body + sha + spa + tha + tpa)
ip = lambda last: bytes([10, 0, 0, last])
wrpcap(sys.argv[1], [
    arp(1, 0x0800, 8, 4, 1, bytes(range(1, 9)), ip(1), bytes(8), ip(2)),
    arp(1, 0x0800, 6, 16, 1, bytes(range(1, 7)), bytes(range(16)),
        bytes(6), bytes(range(16, 32))),
    arp(6, 0x0800, 6, 4, 2, bytes(range(1, 7)), ip(1), bytes(range(7, 13)),
        ip(2)),
    arp(1, 0x86dd, 6, 16, 1, bytes(range(1, 7)), bytes(range(16)),
        bytes(6), bytes(range(16, 32))),
    arp(1, 0x0800, 20, 4, 2, bytes(range(1, 21)), ip(1),
        bytes(range(21, 41)), ip(2)),
])
`;

Deno.test("ARP of any address length: tcpdump's lines, tshark's fields", async () => {
  const file = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    const made = await run("/usr/bin/python3", ["-c", ARP_SCRIPT, file]);
    equal(made.code, 0, made.stderr);
    agrees(await compareFile(file));
    const frames = readPcap(await Deno.readFile(file));
    const layers = frames.map((f) => decodeFrame(f.bytes, f.length).layers);
    const agreement = await compareWithTshark(file, layers);
    deepEqual(agreement.mismatches, []);
    equal(agreement.fields, 5 * 9);
    equal(
      decodeFrame(frames[4].bytes).info,
      "ARP, Reply 10.0.0.1 is-at 01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14, length 56",
    );
  } finally {
    await Deno.remove(file);
  }
});

Deno.test({
  name: "over tcpdump's whole test corpus, the fixed files agree with tcpdump",
  ignore: !exists(CORPUS),
  async fn() {
    for (
      const file of [
        "ipv6_jumbogram_1.pcap",
        "ipv6-srh-tlv-pad1-padn-5.pcap",
        "ipv6-srh-tlv-hmac.pcap",
        "ipv6-srh-insert-cksum.pcap",
        "ipv6_missing_jumbo_payload_option.pcap",
        "ipv6-too-long-jumbo.pcap",
        "bigtcp-ipv6-hbh.pcap",
        "bigtcp-ipv4.pcap",
        "tcp_rst_data-trunc.pcap",
        "various_gre.pcap",
        "bootp_asan.pcap",
        "dns_udp_2.pcap",
      ]
    ) {
      agrees(await compareFile(`${CORPUS}${file}`));
    }
  },
});

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    console.log(`skipped: no corpus at ${path}`);
    return false;
  }
}

Deno.test("decoded layers encode back to the bytes they came from", async () => {
  let buildable = 0;
  for (const e of Deno.readDirSync(FIXTURES)) {
    if (!e.name.endsWith(".pcap")) continue;
    const r = roundTrip(await Deno.readFile(`${FIXTURES}${e.name}`));
    deepEqual(r.differ, [], e.name);
    buildable += r.buildable;
  }
  equal(buildable >= 30, true, `${buildable} frames`);
});

Deno.test({
  name:
    "over tcpdump's whole test corpus, every frame decoded into buildable layers encodes back",
  ignore: !exists(CORPUS),
  async fn() {
    let buildable = 0;
    for (const e of Deno.readDirSync(CORPUS)) {
      if (!/\.(pcap|pcapng)$/.test(e.name)) continue;
      const r = roundTrip(await Deno.readFile(`${CORPUS}${e.name}`));
      deepEqual(r.differ, [], e.name);
      buildable += r.buildable;
    }
    equal(buildable >= 3500, true, `${buildable} frames`);
  },
});
