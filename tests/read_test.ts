/**
 * `rawframe read` (and `listen -r`): files written by independent tools
 * (scapy, text2pcap, dumpcap) read back and checked against tcpdump's and
 * tshark's reading of the same file; --filter against `tcpdump -r FILE
 * EXPR`; hostile and missing files; standard input.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  Child,
  cliWithFiles,
  integration,
  inUserNamespace,
  jsonLines,
  run,
  scapySend,
  sh,
  tsharkFields,
  vethPair,
  within,
} from "./helpers.ts";
import { readPcap } from "../lib/pcap.ts";
import { parseFrame, toHex } from "../lib/frame.ts";
import { pcapngFile } from "./pcapng_builder.ts";

const CORPUS = new URL("./fixtures/decode_corpus.py", import.meta.url).pathname;

/** scapy's corpus of every decoded protocol, written once. */
const corpus = (async () => {
  const dir = await Deno.makeTempDir();
  await sh("/usr/bin/python3", CORPUS, dir);
  return `${dir}/whole.pcap`;
})();

/** A frame as addresses and payload: what both readings must agree on. */
function identity(bytes: Uint8Array): string {
  const { dst, src, payload } = parseFrame(bytes);
  return `${dst} ${src} ${toHex(payload)}`;
}

Deno.test({
  name: "--filter selects the same frames as tcpdump -r FILE EXPR",
  ignore: inUserNamespace, // tcpdump cannot read files there
  async fn() {
    const file = await corpus;
    const expressions = [
      "arp",
      "icmp",
      "tcp[tcpflags] & tcp-syn != 0",
      "udp and not ip6",
      "ip6 and icmp6",
      "ip[6:2] & 0x3fff != 0", // IPv4 fragments
      "ether dst 01:80:c2:00:00:00",
      "ip6 proto 17 or ip6 protochain 17",
      "less 70",
    ];
    let selected = 0;
    for (const expression of expressions) {
      const theirs = await Deno.makeTempFile({ suffix: ".pcap" });
      await sh("tcpdump", "-r", file, "-w", theirs, expression);
      const want = readPcap(await Deno.readFile(theirs)).map((f) =>
        identity(f.bytes)
      );
      await Deno.remove(theirs);
      const out = await cliWithFiles(
        "read",
        file,
        "--json",
        "--filter",
        expression,
      );
      assertEquals([out.code, out.stderr], [0, ""], expression);
      const got = jsonLines(out.stdout).map((r) =>
        `${r.dst} ${r.src} ${r.payload}`
      );
      assertEquals(got, want, expression);
      assertTrue(want.length > 0, `${expression} selects nothing`);
      selected += want.length;
    }
    assertTrue(selected > 40, `${selected} frames selected`);
  },
});

Deno.test({
  name:
    "read -w FILE with --filter writes the records tcpdump -r IN -w OUT EXPR writes, byte for byte",
  ignore: inUserNamespace, // tcpdump cannot read files there
  async fn() {
    const file = await corpus;
    for (const expression of ["icmp or arp", "tcp", "ip6"]) {
      const theirs = await Deno.makeTempFile({ suffix: ".pcap" });
      const ours = await Deno.makeTempFile({ suffix: ".pcap" });
      await sh("tcpdump", "-r", file, "-w", theirs, expression);
      const out = await cliWithFiles(
        "read",
        file,
        "--filter",
        expression,
        "-w",
        ours,
      );
      assertEquals([out.code, out.stdout, out.stderr], [0, "", ""]);
      const [want, got] = await Promise.all(
        [theirs, ours].map((f) => Deno.readFile(f)),
      );
      await Promise.all([Deno.remove(theirs), Deno.remove(ours)]);
      // The records after the 24-byte file header: times, lengths, bytes.
      assertTrue(want.length > 24 + 16, `${expression} selects nothing`);
      assertEquals(toHex(got.subarray(24)), toHex(want.subarray(24)));
      assertEquals(readPcap(got).length, readPcap(want).length);
    }
  },
});

Deno.test("read -w refuses --json and --hex before reading: it shows nothing", async () => {
  for (const flag of ["--json", "--hex"]) {
    const out = await cliWithFiles("read", "/nonexistent", "-w", "-", flag);
    assertEquals(out.code, 2, flag);
    assertTrue(out.stderr.includes(`-w writes the frames`), out.stderr);
  }
});

Deno.test("read shows what tshark reads in a pcapng file from text2pcap: interface name, direction, time", async () => {
  const dir = await Deno.makeTempDir();
  const text = [
    "I 10:00:00.000001 0000 ff ff ff ff ff ff 02 00 00 00 00 01 88 b5 48 69",
    "O 10:00:00.250002 0000 02 00 00 00 00 01 02 00 00 00 00 02 08 06 00 01",
    "I 10:00:01.999999 0000 02 00 00 00 00 02 02 00 00 00 00 01 88 b5 00 00",
  ].join("\n");
  await Deno.writeTextFile(`${dir}/in.txt`, `${text}\n`);
  const file = `${dir}/t.pcapng`;
  await sh(
    "text2pcap",
    ...["-q", "-D", "-N", "eth7", "-t", "%H:%M:%S.%f"],
    ...[`${dir}/in.txt`, file],
  );
  const out = await cliWithFiles("read", "--json", file);
  assertEquals([out.code, out.stderr], [0, ""]);
  const ours = jsonLines(out.stdout);
  const theirs = await tsharkFields(file, [
    "frame.interface_name",
    "frame.packet_flags_direction",
    "frame.time_epoch",
  ]);
  assertEquals(ours.length, 3);
  const direction = ["", "in", "out"];
  assertEquals(
    ours.map((r) => [r.iface, r.direction, epochMicros(r.ts)]),
    theirs.map(([name, flags, time]) => [
      name,
      direction[Number(flags)],
      time.slice(0, time.indexOf(".") + 7),
    ]),
  );
  await Deno.remove(dir, { recursive: true });
});

/** `2026-11-26T10:00:00.000001Z` as `1795687200.000001`. */
function epochMicros(ts: string): string {
  const seconds = Date.parse(ts.replace(/\.\d+Z$/, "Z")) / 1000;
  return `${seconds}.${ts.match(/\.(\d{6})Z$/)![1]}`;
}

Deno.test("every pcapng direction and reception type reads as tshark reads it; a classic pcap says null", async () => {
  const frame = new Uint8Array(60).fill(0x11);
  const flags = [0, 1, 2, 1 | 1 << 2, 1 | 2 << 2, 1 | 3 << 2, 1 | 4 << 2];
  const file = await Deno.makeTempFile({ suffix: ".pcapng" });
  await Deno.writeFile(
    file,
    pcapngFile("eth9", flags.map((f) => ({ bytes: frame, flags: f }))),
  );
  const out = await cliWithFiles("read", "--json", file);
  assertEquals([out.code, out.stderr], [0, ""]);
  const theirs = await tsharkFields(file, [
    "frame.interface_name",
    "frame.packet_flags_direction",
    "frame.packet_flags_reception_type",
  ]);
  const direction = ["", "in", "out"];
  const pkttype = ["", "host", "multicast", "broadcast", "otherhost"];
  assertEquals(
    jsonLines(out.stdout).map((r) => [r.iface, r.direction, r.pkttype]),
    theirs.map(([name, d, r]) => [
      name,
      direction[Number(d)] || null,
      Number(d) === 2 ? "outgoing" : pkttype[Number(r)] || null,
    ]),
  );
  const classic = await cliWithFiles("read", "--json", await corpus, "-c", "1");
  const [record] = jsonLines(classic.stdout);
  assertEquals([record.iface, record.direction, record.pkttype], [
    null,
    null,
    null,
  ]);
  await Deno.remove(file);
});

Deno.test({
  ...integration,
  name:
    "a pcapng file dumpcap wrote while capturing on two interfaces: each frame is named by its own interface",
  async fn() {
    await using pair = await vethPair();
    const file = await Deno.makeTempFile({ suffix: ".pcapng" });
    const tshark = new Child("tshark", [
      ...["-i", pair.a, "-i", pair.b, "-F", "pcapng", "-w", file, "-c", "4"],
    ]);
    await tshark.waitFor(/Capturing on/);
    // Each frame crosses the pair: seen once on each end. Resend until
    // dumpcap's sockets, bound a moment after it says so, have four.
    for (let i = 0; i < 50 && !(await ended(tshark)); i++) {
      await scapySend(
        pair.a,
        `Ether(dst="ff:ff:ff:ff:ff:ff", src="${pair.macA}", type=0x88b5)/Raw(b"Hi")`,
      );
    }
    assertEquals((await tshark.done()).code, 0);
    const out = await cliWithFiles("read", "--json", file);
    assertEquals([out.code, out.stderr], [0, ""]);
    const ours = jsonLines(out.stdout).map((r) => r.iface);
    const theirs = (await tsharkFields(file, ["frame.interface_name"]))
      .map(([name]) => name);
    assertEquals(ours, theirs);
    assertEquals(new Set(ours), new Set([pair.a, pair.b]));
    await Deno.remove(file);
  },
});

/** Whether `child` has ended, after waiting a moment for it. */
function ended(child: Child): Promise<boolean> {
  return within(child.process.status.then(() => true), 200, false);
}

Deno.test("read: a file that is not a capture, or is cut short, is one error line and exit 2; a missing one exit 1", async () => {
  const dir = await Deno.makeTempDir();
  const whole = await Deno.readFile(await corpus);
  const cases: [string, Uint8Array, number, RegExp][] = [
    ["text.pcap", new TextEncoder().encode("hello\n"), 2, /unknown magic/],
    ["empty.pcap", new Uint8Array(), 2, /it is empty/],
    ["cut.pcap", whole.subarray(0, 200), 2, /record \d+ is cut short/],
  ];
  for (const [name, bytes, code, message] of cases) {
    await Deno.writeFile(`${dir}/${name}`, bytes);
    const out = await cliWithFiles("read", `${dir}/${name}`);
    assertEquals(out.code, code, name);
    assertTrue(message.test(out.stderr), out.stderr);
    assertTrue(out.stderr.startsWith(`error: "${dir}/${name}": `), out.stderr);
    assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
  }
  // Frames before the cut are still shown.
  const cut = await cliWithFiles("read", `${dir}/cut.pcap`);
  assertTrue(cut.stdout.split("\n").length > 1, cut.stdout);
  const missing = await cliWithFiles("read", `${dir}/none.pcap`);
  assertEquals([missing.code, missing.stderr.trim()], [
    1,
    `error: reading "${dir}/none.pcap": no such file`,
  ]);
  const directory = await cliWithFiles("read", dir);
  assertEquals(directory.code, 1, directory.stderr);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("read - takes standard input; listen -r is read; -c, --type, --src and --dst select as listen does", async () => {
  const file = await corpus;
  const all = jsonLines((await cliWithFiles("read", "--json", file)).stdout);
  const piped = await run("sh", [
    "-c",
    `${Deno.execPath()} run --allow-read ${
      new URL("../cli.ts", import.meta.url).pathname
    } read --json - < ${file}`,
  ]);
  assertEquals([piped.code, piped.stderr], [0, ""]);
  assertEquals(jsonLines(piped.stdout), all);

  const lines = await cliWithFiles("read", file);
  const listen = await cliWithFiles("listen", "-r", file);
  assertEquals([listen.code, listen.stdout], [0, lines.stdout]);
  assertEquals(lines.stdout.trim().split("\n").length, all.length);

  const two = await cliWithFiles("read", file, "-c", "2", "--json");
  assertEquals(jsonLines(two.stdout), all.slice(0, 2));
  const arp = await cliWithFiles("read", file, "--type", "arp", "--json");
  const wantArp = all.filter((r) => r.type === 0x0806);
  assertTrue(wantArp.length > 0, "no ARP in the corpus");
  assertEquals(jsonLines(arp.stdout), wantArp);
  const from = all[0].src;
  const src = await cliWithFiles("read", file, "--src", from, "--json");
  assertEquals(jsonLines(src.stdout), all.filter((r) => r.src === from));
  const to = "01:80:c2:00:00:00";
  const dst = await cliWithFiles("read", file, "--dst", to, "--json");
  assertEquals(jsonLines(dst.stdout), all.filter((r) => r.dst === to));
  const hex = await cliWithFiles("read", file, "-c", "1", "--hex");
  assertTrue(/\n00000000 {2}[0-9a-f]{2} /.test(hex.stdout), hex.stdout);
});
