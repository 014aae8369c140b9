/**
 * Decoding (lib/decode.ts) against independent tools, on frames scapy
 * encodes (tests/fixtures/decode_corpus.py): each summary against
 * tcpdump's own line for the same frame, each layer's fields against
 * tshark's, IPv6 text against glibc's inet_ntop; and decoding survives
 * mutated frames (the long run is `deno task fuzz`).
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { inUserNamespace, sh } from "./helpers.ts";
import { compareWithTshark } from "./tshark_layers.ts";
import { decodeFrame } from "../lib/decode.ts";
import { ipv6At } from "../lib/decode/bytes.ts";
import { readPcap } from "../lib/pcap.ts";
import { fuzzDecode } from "./fuzz_frames.ts";
import { tcpdumpLines, words } from "./tcpdump_lines.ts";

const CORPUS = new URL("./fixtures/decode_corpus.py", import.meta.url).pathname;

/** scapy's frames, written once for every test here. */
const corpus = (async () => {
  const dir = await Deno.makeTempDir();
  await sh("/usr/bin/python3", CORPUS, dir);
  return dir;
})();

Deno.test({
  name:
    "decoded summaries read as tcpdump's own lines, whole frames and cut ones",
  ignore: inUserNamespace, // tcpdump cannot read files there
  async fn() {
    const dir = await corpus;
    let compared = 0;
    for (const name of ["whole", "cut"]) {
      const file = `${dir}/${name}.pcap`;
      const frames = readPcap(await Deno.readFile(file));
      const theirs = await tcpdumpLines(file);
      assertEquals(theirs.length, frames.length, name);
      const differ = frames.map((f, i) => ({
        ours: decodeFrame(f.bytes, f.length).info ?? "",
        theirs: theirs[i],
        frame: i + 1,
      })).filter(({ ours, theirs }) => words(ours) !== words(theirs));
      assertEquals(differ, [], name);
      compared += frames.length;
    }
    assertTrue(compared >= 130, `${compared} frames`);
  },
});

Deno.test("where tcpdump's one-line form says less (LLDP, LACP, LLMNR), ours says what identifies the neighbour; data it does not decode ends the line", async () => {
  const frames = readPcap(await Deno.readFile(`${await corpus}/ours.pcap`));
  assertEquals(frames.map((f) => decodeFrame(f.bytes, f.length).info), [
    'LLDP, chassis 02:00:00:00:00:01, port "ge-0/0/1", ttl 120, name "sw1", descr "uplink"',
    'LLDP, chassis "chassis-7", port 02:00:00:00:00:02, ttl 4',
    "LACPv1, actor 02:00:00:00:00:01 key 13 port 1, partner 02:00:00:00:00:02 key 14 port 2, length 110",
    "IP 10.0.0.2.40000 > 10.0.0.1.80: Flags [P.], seq 1001:1019, ack 5001, win 8192, length 18",
    "LLDP, chassis 02:00:00:00:00:01 [|lldp]",
    "LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype IPv4 (0x0800), length 28: IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 0, seq 0, length 8",
    "LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Cisco (0x00000c), pid CDP (0x2000), length 4: CDPv2, ttl: 180s, length 4",
    // tcpdump has no LLMNR printer ("UDP, length 22"): it is DNS.
    "IP 10.0.0.2.40000 > 224.0.0.252.5355: 9+ A? host. (22)",
    // SNMP's port decides before DHCPv6's, as in tcpdump: not read here.
    "IP 10.0.0.2.161 > 10.0.0.1.546: UDP, length 4",
  ]);
});

Deno.test("every decoded field agrees with tshark's, frame by frame", async () => {
  const dir = await corpus;
  let fields = 0;
  for (
    const [name, cut] of [["whole", false], ["ours", false], [
      "cut",
      true,
    ]] as const
  ) {
    const file = `${dir}/${name}.pcap`;
    const ours = readPcap(await Deno.readFile(file)).map((f) =>
      decodeFrame(f.bytes, f.length).layers
    );
    const agreement = await compareWithTshark(file, ours, cut);
    assertEquals(agreement.mismatches, [], name);
    fields += agreement.fields;
  }
  assertTrue(fields >= 900, `${fields} fields compared`);
});

Deno.test("IPv6 addresses are written as glibc's inet_ntop writes them", async () => {
  // Addresses with zero runs of every length and place, v4-mapped and
  // v4-compatible ones: the cases RFC 5952 and inet_ntop care about.
  const addresses: Uint8Array[] = [];
  for (let i = 0; i < 3000; i++) {
    const a = new Uint8Array(16);
    for (let w = 0; w < 8; w++) {
      const pick = (i * 7 + w * 13 + (i >> 3)) % 5;
      const value = pick < 2
        ? 0
        : pick === 2
        ? 1
        : (i * 2654435761 + w) & 0xffff;
      a[2 * w] = value >> 8;
      a[2 * w + 1] = value & 0xff;
    }
    if (i % 50 === 0) a.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 0);
    addresses.push(a);
  }
  // One word after seven zero words: ::2, ::ffff (not dotted), ::1.
  for (const last of [2, 0xffff, 1, 0x0a00]) {
    const a = new Uint8Array(16);
    a[14] = last >> 8;
    a[15] = last & 0xff;
    addresses.push(a);
  }
  const hex = addresses.map((a) =>
    [...a].map((b) => b.toString(16).padStart(2, "0")).join("")
  );
  const script = "import socket,sys\n" +
    "for h in sys.stdin.read().split(): print(socket.inet_ntop(socket.AF_INET6, bytes.fromhex(h)))";
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(hex.join("\n")));
  await writer.close();
  const theirs = new TextDecoder().decode((await child.output()).stdout)
    .trim().split("\n");
  const ours = addresses.map((a) => ipv6At(a, 0));
  const differ = ours.map((o, i) => [o, theirs[i]]).filter(([o, t]) => o !== t);
  assertEquals(differ, []);
});

Deno.test("decoding never throws: 20,000 mutated frames of every protocol", async () => {
  const frames = readPcap(await Deno.readFile(`${await corpus}/whole.pcap`))
    .map((f) => f.bytes);
  const result = fuzzDecode(frames, 20_000, 1);
  assertEquals(result.failures, []);
  assertEquals(result.decoded, 20_000);
});

Deno.test("packets nested thousands deep (IP in IP, GRE in GRE, AH after AH) decode in bounded work: the line stops at [|nested]", () => {
  /** An IPv4 header of `protocol` claiming the rest of a 64 KiB packet. */
  const ipv4 = (protocol: number) => [
    ...[0x45, 0, 0xff, 0xff, 0, 0, 0, 0, 64, protocol, 0, 0],
    ...[10, 0, 0, 1, 10, 0, 0, 2],
  ];
  /** An Ethernet frame: outer IPv4 of `protocol`, then `levels` × `inner`. */
  const nestedFrame = (protocol: number, inner: number[], levels = 3000) => {
    const b = new Uint8Array(14 + 20 + levels * inner.length + 8);
    b.set([0x08, 0x00], 12);
    b.set(ipv4(protocol), 14);
    for (let i = 0; i < levels; i++) b.set(inner, 34 + i * inner.length);
    return b;
  };
  const cases = [
    nestedFrame(4, ipv4(4)), // IP in IP in IP ...
    nestedFrame(47, [0, 0, 0x08, 0x00, ...ipv4(47)]), // GRE, IPv4, GRE ...
    nestedFrame(51, [51, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]), // AH, AH ...
  ];
  for (const frame of cases) {
    const started = performance.now();
    const info = decodeFrame(frame).info ?? "";
    const ms = performance.now() - started;
    assertTrue(info.endsWith("[|nested]"), info.slice(-80));
    assertTrue(info.length < 5000, `a line of ${info.length}`);
    assertTrue(ms < 200, `${ms} ms`);
  }
});

Deno.test("hostile DNS costs nothing: a name that points at itself, a million-record claim, a 64 KiB chain of compressed names", () => {
  /** An Ethernet/IPv4/UDP frame to port 53 carrying `dns`. */
  const frame = (dns: number[]) => {
    const udp = 8 + dns.length;
    const b = new Uint8Array(14 + 20 + udp);
    b.set([0x08, 0x00], 12);
    b.set([0x45, 0, (20 + udp) >> 8, (20 + udp) & 0xff, 0, 0, 0, 0, 64, 17]);
    b.set([0x45, 0, (20 + udp) >> 8, (20 + udp) & 0xff], 14);
    b.set([64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 22);
    b.set([0x9c, 0x40, 0, 53, udp >> 8, udp & 0xff, 0, 0], 34);
    b.set(dns, 42);
    return b;
  };
  const header = (flags: number, qd: number, an: number) => [
    ...[0, 1, flags >> 8, flags & 0xff, qd >> 8, qd & 0xff, an >> 8, an & 0xff],
    ...[0, 0, 0, 0],
  ];
  // Each answer's name is "a" then a pointer to the one before it.
  const chain = header(0x8180, 0, 0xffff);
  for (let prev = -1; chain.length < 65000;) {
    const at = chain.length;
    chain.push(
      1,
      0x61,
      ...(prev < 0 ? [0] : [0xc0 | (prev >> 8), prev & 0xff]),
    );
    chain.push(0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1);
    if (at < 0x3fff) prev = at;
  }
  const cases = [
    frame([...header(0x0100, 1, 0), 0xc0, 12, 0, 1, 0, 1]), // a loop
    frame([...header(0x8180, 0xffff, 0xffff), 0, 0, 1, 0, 1]), // claims
    frame(chain),
  ];
  for (const bytes of cases) {
    const started = performance.now();
    const { info, layers } = decodeFrame(bytes);
    const ms = performance.now() - started;
    assertTrue((info ?? "").length < 300_000, `a line of ${info?.length}`);
    assertTrue(ms < 500, `${ms} ms`);
    assertTrue(JSON.stringify(layers).length < 2_000_000, "layers bounded");
  }
  const loop = decodeFrame(cases[0]).info ?? "";
  assertTrue(loop.endsWith("1+ A? <BAD PTR> [|domain]"), loop);
});
