/**
 * Captures as a Linux host makes them: `tcpdump -i any` (Linux cooked
 * headers, SLL and SLL2) and gzip-compressed files, read as tcpdump and
 * tshark read them; `send --from-pcap` refuses cooked frames; a gzip
 * bomb is refused with one line.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  Child,
  CLI_PATH,
  cliWithFiles,
  integration,
  jsonLines,
  run,
  sleep,
  tsharkFields,
  vethPair,
} from "./helpers.ts";

/** Writes frames made by scapy (a Python list expression) to `file`. */
async function scapyWrite(file: string, frames: string): Promise<void> {
  const out = await run("/usr/bin/python3", [
    "-c",
    [
      "import logging",
      'logging.getLogger("scapy.runtime").setLevel(logging.ERROR)',
      "from scapy.all import *",
      "from scapy.layers.l2 import CookedLinux, CookedLinuxV2",
      `wrpcap(${JSON.stringify(file)}, ${frames})`,
    ].join("\n"),
  ]);
  if (out.code !== 0) throw new Error(`scapy failed: ${out.stderr}`);
}

const IP =
  `IP(src="10.0.0.1", dst="10.0.0.2")/UDP(sport=1000, dport=2000)/Raw(b"x")`;

/** SLL frames of every packet type, and one that is not IP. */
const SLL = `[
  CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=b"\\x02\\x00\\x00\\x00\\x00\\x01\\x00\\x00", proto=0x0800)/${IP},
  CookedLinux(pkttype=1, lladdrtype=1, lladdrlen=6, src=b"\\x02\\x00\\x00\\x00\\x00\\x02\\x00\\x00", proto=0x0800)/${IP},
  CookedLinux(pkttype=2, lladdrtype=772, lladdrlen=0, proto=0x86dd)/IPv6(src="fe80::1", dst="ff02::1")/UDP(sport=1000, dport=2000),
  CookedLinux(pkttype=3, lladdrtype=1, lladdrlen=6, src=b"\\x02\\x00\\x00\\x00\\x00\\x03\\x00\\x00", proto=0x0806)/ARP(psrc="10.0.0.1", pdst="10.0.0.2"),
  CookedLinux(pkttype=4, lladdrtype=1, lladdrlen=6, src=b"\\x02\\x00\\x00\\x00\\x00\\x04\\x00\\x00", proto=0x0800)/${IP},
]`;

Deno.test("Linux cooked (SLL) frames read as tshark reads them: direction, packet type, address, protocol; lines as tcpdump's", async () => {
  const file = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    await scapyWrite(file, SLL);
    const read = await cliWithFiles("read", file, "--json");
    assertEquals(read.code, 0, read.stderr);
    const ours = jsonLines(read.stdout);
    const theirs = await tsharkFields(file, [
      "sll.pkttype",
      "sll.src.eth",
      "sll.etype",
    ]);
    assertEquals(
      ours.map((f) => [
        String(
          ["host", "broadcast", "multicast", "otherhost", "outgoing"].indexOf(
            f.pkttype,
          ),
        ),
        f.src ?? "",
        `0x${f.type.toString(16).padStart(4, "0")}`,
      ]),
      theirs,
    );
    assertEquals(ours.map((f) => f.direction), ["in", "in", "in", "in", "out"]);
    const dump = await run("tcpdump", ["-n", "-t", "-r", file]);
    assertEquals(ours.map((f) => f.info), dump.stdout.trim().split("\n"));
    const lines = (await cliWithFiles("read", file)).stdout.trim().split("\n");
    assertTrue(
      lines[0].includes(
        " in  cooked 02:00:00:00:00:01, 0x0800 (ipv4), length 45: IP 10.0.0.1.1000 > 10.0.0.2.2000: UDP, length 1",
      ),
      lines[0],
    );
    assertTrue(lines[4].includes(" out cooked 02:00:00:00:00:04, "), lines[4]);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("SLL2 frames: the interface index too; --filter and --type select as tcpdump does on cooked frames", async () => {
  const file = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    await scapyWrite(
      file,
      `[
      CookedLinuxV2(proto=0x0800, ifindex=7, lladdrtype=1, pkttype=0, lladdrlen=6, src=b"\\x02\\x00\\x00\\x00\\x00\\x01\\x00\\x00")/${IP},
      CookedLinuxV2(proto=0x0806, ifindex=9, lladdrtype=1, pkttype=4, lladdrlen=6, src=b"\\x02\\x00\\x00\\x00\\x00\\x02\\x00\\x00")/ARP(),
    ]`,
    );
    const ours = jsonLines((await cliWithFiles("read", file, "--json")).stdout);
    const theirs = await tsharkFields(file, [
      "sll.ifindex",
      "sll.pkttype",
      "sll.etype",
    ]);
    assertEquals(
      ours.map((
        f,
      ) => [
        String(f.ifindex),
        f.pkttype === "host" ? "0" : "4",
        `0x0${f.type.toString(16)}`,
      ]),
      theirs,
    );
    const udp = jsonLines(
      (await cliWithFiles("read", file, "--json", "udp")).stdout,
    );
    assertEquals(udp.map((f) => f.ifindex), [7]);
    const arp = jsonLines(
      (await cliWithFiles("read", file, "--json", "--type", "arp")).stdout,
    );
    assertEquals(arp.map((f) => f.ifindex), [9]);
    // A copy keeps the link type: tcpdump reads it as the original.
    const copy = `${file}.copy`;
    assertEquals((await cliWithFiles("read", file, "-w", copy)).code, 0);
    const [a, b] = await Promise.all(
      [file, copy].map((f) => run("tcpdump", ["-n", "-e", "-r", f])),
    );
    assertEquals(b.stdout, a.stdout);
    await Deno.remove(copy);
  } finally {
    await Deno.remove(file);
  }
});

// It names an interface (lo): inside the test namespace only, should the
// refusal ever fail and a frame go out.
Deno.test({
  name: "send --from-pcap refuses cooked frames, saying why, and sends nothing",
  ...integration,
  async fn() {
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      await scapyWrite(file, SLL);
      const out = await cliWithFiles("send", "lo", "--from-pcap", file);
      assertEquals(out.code, 2, out.stderr);
      assertEquals(out.stderr.trim().split("\n").length, 1);
      assertTrue(
        out.stderr.includes("Linux cooked capture ('tcpdump -i any')") &&
          out.stderr.includes("not an Ethernet header"),
        out.stderr,
      );
      // Compressed, the same: refused for being cooked, not for gzip.
      const gz = await run("gzip", ["-k", file]);
      assertEquals(gz.code, 0, gz.stderr);
      const packed = await cliWithFiles(
        "send",
        "lo",
        "--from-pcap",
        `${file}.gz`,
      );
      assertEquals(packed.code, 2, packed.stderr);
      assertTrue(packed.stderr.includes("Linux cooked capture"), packed.stderr);
      await Deno.remove(`${file}.gz`);
    } finally {
      await Deno.remove(file);
    }
  },
});

Deno.test({
  name:
    "tcpdump -i any and dumpcap -i any captures (SLL2, SLL, pcapng) read with each frame's direction as tshark reads it",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const dir = await Deno.makeTempDir();
    await Deno.chmod(dir, 0o777);
    const tcpdump = (linkType: string, file: string) =>
      new Child("tcpdump", [
        ...["-i", "any", "-y", linkType, "--immediate-mode", "-B", "32768"],
        ...["-c", "2", "-w", `${dir}/${file}`, "icmp"],
      ]);
    const captures = [
      tcpdump("LINUX_SLL2", "sll2.pcap"),
      tcpdump("LINUX_SLL", "sll.pcap"),
      new Child("dumpcap", [
        ...["-i", "any", "-f", "icmp", "-c", "2", "-w", `${dir}/any.pcapng`],
      ]),
    ];
    for (const child of captures) {
      await child.waitFor(/listening on|Capturing on/);
    }
    await sleep(300);
    // Seen twice on "any": leaving rfa (outgoing), arriving on rfb (host).
    const sent = await run("/usr/bin/python3", [
      "-c",
      [
        "from scapy.all import Ether, IP, ICMP, sendp",
        `sendp(Ether(dst="${pair.macB}", src="${pair.macA}")/IP(src="10.9.0.1", dst="10.9.0.2")/ICMP(), iface="${pair.a}", verbose=False)`,
      ].join("\n"),
    ]);
    assertEquals(sent.code, 0, sent.stderr);
    for (const child of captures) {
      const done = await child.done(10_000);
      assertEquals(done.code, 0, done.stderr);
    }
    for (const name of ["sll2.pcap", "sll.pcap", "any.pcapng"]) {
      const ours = jsonLines(
        (await cliWithFiles("read", `${dir}/${name}`, "--json")).stdout,
      );
      const theirs = await tsharkFields(`${dir}/${name}`, [
        "sll.pkttype",
        "sll.src.eth",
        "icmp.type",
      ]);
      assertEquals(
        ours.map((f) => [f.pkttype === "outgoing" ? "4" : "0", f.src, "8"]),
        theirs,
        name,
      );
      assertEquals(ours.map((f) => f.direction).sort(), ["in", "out"], name);
    }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test("gzip-compressed pcap and pcapng read as the files they hold, known by magic not name; tshark agrees", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await scapyWrite(`${dir}/plain.pcap`, SLL);
    const gz = await run("sh", [
      "-c",
      `gzip -c ${dir}/plain.pcap > ${dir}/packed.cap`,
    ]);
    assertEquals(gz.code, 0, gz.stderr);
    const plain = await cliWithFiles("read", `${dir}/plain.pcap`, "--json");
    const packed = await cliWithFiles("read", `${dir}/packed.cap`, "--json");
    assertEquals(packed.code, 0, packed.stderr);
    assertEquals(packed.stdout, plain.stdout);
    assertEquals(
      await tsharkFields(`${dir}/packed.cap`, [
        "frame.time_epoch",
        "sll.etype",
      ]),
      await tsharkFields(`${dir}/plain.pcap`, [
        "frame.time_epoch",
        "sll.etype",
      ]),
    );
    // pcapng, compressed, as well.
    const ng = await run("sh", [
      "-c",
      `editcap -F pcapng ${dir}/plain.pcap ${dir}/ng.pcapng && gzip ${dir}/ng.pcapng`,
    ]);
    assertEquals(ng.code, 0, ng.stderr);
    const packedNg = await cliWithFiles(
      "read",
      `${dir}/ng.pcapng.gz`,
      "--json",
    );
    assertEquals(packedNg.stdout, plain.stdout);
    // And from standard input.
    const piped = await run("sh", [
      "-c",
      `${Deno.execPath()} run --allow-read ${CLI_PATH} read - --json < ${dir}/packed.cap`,
    ]);
    assertEquals(piped.stdout, plain.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a gzip bomb (a pcap header, then 300 MB of zeros in 300 KB) is one line and exit 2, refused before 20 MB", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bomb = `${dir}/bomb.pcap.gz`;
    await run("/usr/bin/python3", [
      "-c",
      [
        "import gzip, struct",
        `f = gzip.open(${JSON.stringify(bomb)}, "wb", 9)`,
        "f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))",
        "z = bytes(1 << 20)",
        "for i in range(300): f.write(z)",
        "f.close()",
      ].join("\n"),
    ]);
    const started = performance.now();
    const out = await cliWithFiles("read", bomb, "--type", "arp");
    assertEquals(out.code, 2, out.stderr);
    const lines = out.stderr.trim().split("\n");
    assertEquals(lines.length, 1);
    assertTrue(
      /^error: ".*": gzip stream inflates more than 1000 times its size \((\d+) bytes/
        .test(lines[0]),
      lines[0],
    );
    assertTrue(
      Number(lines[0].match(/\((\d+) bytes/)![1]) < 20_000_000,
      lines[0],
    );
    assertTrue(performance.now() - started < 10_000, "refused at once");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
