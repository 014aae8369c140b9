/**
 * `read -v` against `tcpdump -v -n -e -S -r` on the same file: the IP
 * header's fields, checksums checked (right and wrong), fragments, ECN,
 * options, ARP's address types. tcpdump names the EtherType its own way
 * (`ethertype IPv4 (0x0800)`) and drops the `IP ` of a verbose line; that
 * is the only rewriting.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { cliWithFiles, inUserNamespace, sh } from "./helpers.ts";
import { type BuildLayer, buildPacket } from "../lib/build.ts";
import { pcapHeader, pcapRecord } from "../lib/pcap.ts";

const A = "02:00:00:00:00:0a";
const B = "02:00:00:00:00:0b";
const V4 = { src: "10.0.0.1", dst: "10.0.0.2" };
const V6 = { src: "fd00::1", dst: "fd00::2" };

/** Each a frame's layers above Ethernet. */
const FRAMES: BuildLayer[][] = [
  // Wrong IP and ICMP checksums, given as they are.
  [{ layer: "ipv4", ...V4, checksum: 0x1234 }, {
    layer: "icmp",
    type: 8,
    id: 1,
    seq: 1,
    checksum: 0x4321,
  }],
  [{ layer: "ipv4", ...V4, tos: 0x2e, df: true, ttl: 3, id: 77 }, {
    layer: "tcp",
    sport: 40000,
    dport: 80,
    flags: "S",
    seq: 1000,
    options: [{ kind: 2, data: "05b4" }, { kind: 1 }, { kind: 0 }],
  }],
  [{ layer: "ipv4", ...V4 }, {
    layer: "tcp",
    dport: 9,
    flags: "PA",
    checksum: 0x1111,
  }, {
    layer: "raw",
    data: "6869",
  }],
  [{ layer: "ipv4", ...V4, options: "94040000" }, {
    layer: "udp",
    sport: 1,
    dport: 5000,
  }, { layer: "raw", data: "00" }],
  [{ layer: "ipv4", ...V4, options: "0101940400000000" }, {
    layer: "icmp",
    type: 0,
    id: 9,
    seq: 2,
  }],
  [{ layer: "ipv4", ...V4, tos: 3, rb: true }, { layer: "icmp", type: 0 }],
  // Fragments: no checksum is checked.
  [{ layer: "ipv4", ...V4, mf: true, id: 5 }, {
    layer: "udp",
    sport: 7,
    dport: 9,
    len: 100,
  }],
  [{ layer: "ipv4", ...V4, offset: 1480, id: 5, protocol: 17 }, {
    layer: "raw",
    data: "0000",
  }],
  [{ layer: "ipv4", ...V4, protocol: 200 }, { layer: "raw", data: "00" }],
  [{ layer: "ipv6", ...V6, tc: 0xb8, fl: 0x12345 }, {
    layer: "icmpv6",
    type: 128,
    id: 1,
    seq: 2,
    checksum: 5,
  }],
  // An address that ends in a colon, before the note.
  [{ layer: "ipv6", src: "::", dst: "ff02::1" }, {
    layer: "icmpv6",
    type: 128,
  }],
  [{ layer: "ipv6", ...V6, hlim: 1 }, {
    layer: "icmpv6",
    type: 129,
    id: 1,
    seq: 2,
  }],
  [{ layer: "ipv6", ...V6 }, { layer: "udp", sport: 40001, dport: 40002 }, {
    layer: "raw",
    data: "00",
  }],
  [{ layer: "ipv6", ...V6 }, {
    layer: "udp",
    sport: 40003,
    dport: 40004,
    checksum: 9,
  }],
  [{ layer: "ipv6", ...V6 }, { layer: "tcp", flags: "R", seq: 5 }],
  [{ layer: "arp", op: 1, spa: "10.0.0.1", tpa: "10.0.0.2" }],
  [{ layer: "arp", op: 2, sha: A, spa: "10.0.0.2", tpa: "10.0.0.1" }],
];

/** tcpdump's verbose line in rawframe's words for the Ethernet part. */
function ours(tcpdump: string): string {
  return tcpdump
    .replace(
      /ethertype IPv4 \(0x0800\), length (\d+): /,
      "0x0800 (ipv4), length $1: IP ",
    )
    .replace(
      /ethertype IPv6 \(0x86dd\), length (\d+): /,
      "0x86dd (ipv6), length $1: IP6 ",
    )
    .replace(
      /ethertype ARP \(0x0806\), length (\d+): /,
      "0x0806 (arp), length $1: ARP, ",
    )
    .replace(":  ip-proto-", ": ip-proto-"); // tcpdump's double space
}

Deno.test({
  name:
    "read -v shows the lines tcpdump -v shows: IP fields, checksums checked",
  ignore: inUserNamespace, // tcpdump cannot read files there
  async fn() {
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    const records = FRAMES.map((layers, i) =>
      pcapRecord(buildPacket({ dst: B, src: A, layers }), {
        seconds: i,
        nanoseconds: 0,
      })
    );
    await Deno.writeFile(
      file,
      new Uint8Array([...pcapHeader(), ...records.flatMap((r) => [...r])]),
    );
    const want = (await sh("tcpdump", "-v", "-n", "-e", "-S", "-r", file))
      .split("\n").filter((l) => l !== "").map(ours);
    const out = await cliWithFiles("read", "-v", file);
    await Deno.remove(file);
    assertEquals([out.code, out.stderr], [0, ""]);
    assertEquals(out.stdout.split("\n").filter((l) => l !== ""), want);
    // Each kind of check was made, both ways.
    for (
      const seen of [
        "bad cksum 1234",
        "wrong icmp cksum",
        "(correct)",
        "(incorrect ->",
        "[icmp6 sum ok]",
        "[bad icmp6 cksum",
        "[udp sum ok]",
        "[bad udp cksum",
        "options (NOP,NOP,RA,EOL)",
        "offset 1480",
      ]
    ) assertTrue(out.stdout.includes(seen), `no ${seen}`);
  },
});

/** No such interface: a refusal that regressed would open nothing. */
const NO_SUCH_IFACE = "rfnone0";

Deno.test("-v is refused where no line is printed: with --json, -q or -w", async () => {
  for (
    const args of [
      ["read", "/nonexistent", "-v", "--json"],
      ["read", "/nonexistent", "-v", "-w", "-"],
      ["listen", NO_SUCH_IFACE, "-v", "--json"],
      ["listen", NO_SUCH_IFACE, "-v", "-q"],
      ["listen", NO_SUCH_IFACE, "-v", "-w", "x.pcap"],
    ]
  ) {
    const out = await cliWithFiles(...args);
    assertEquals(out.code, 2, args.join(" "));
    // With --json the one line is a JSON error record.
    assertTrue(/^(error: |\{"error":").*-v/.test(out.stderr), out.stderr);
    assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
  }
});
