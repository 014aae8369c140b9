/**
 * Kernel filters end to end: on one mixed stream, `listen --filter EXPR`
 * admits exactly what tcpdump's same expression admits, and our own
 * --src/--dst/--type programs admit what their tcpdump equivalents do.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  capture,
  cli,
  hex,
  integration,
  jsonLines,
  jsonSummary,
  scapySend,
  sleep,
  startListen,
  vethPair,
} from "./helpers.ts";
import { readPcap } from "../lib/pcap.ts";
import { compilePcapFilter } from "../lib/pcap_filter.ts";
import { LibpcapMissingError } from "../lib/errors.ts";

const OTHER = "02:aa:00:00:00:01";

/** Untagged, 802.1Q, QinQ, ARP, IPv4, other sources and destinations. */
function mixedStream(macA: string, macB: string): string {
  return [
    `Ether(dst="${macB}", src="${macA}", type=0x88b5)/Raw(b"plain")`,
    `Ether(dst="ff:ff:ff:ff:ff:ff", src="${macA}")/Dot1Q(vlan=42, prio=5, type=0x88b5)/Raw(b"v42")`,
    `Ether(dst="${macB}", src="${macA}")/Dot1Q(vlan=43, type=0x0800)/Raw(bytes(20))`,
    `Ether(dst="${macB}", src="${macA}", type=0x88a8)/Dot1Q(vlan=100, type=0x8100)/Dot1Q(vlan=42, type=0x88b5)/Raw(b"qinq")`,
    `Ether(dst="ff:ff:ff:ff:ff:ff", src="${macA}", type=0x0806)/Raw(bytes(28))`,
    `Ether(dst="${macB}", src="${OTHER}", type=0x0800)/Raw(bytes(20))`,
    `Ether(dst="01:80:c2:00:00:0e", src="${OTHER}", type=0x88cc)/Raw(bytes(30))`,
    `Ether(dst="${macB}", src="${macA}", type=0x88b6)/Raw(b"exp2")`,
  ].join(", ");
}

Deno.test({
  name: "--filter EXPR admits exactly what tcpdump's same expression admits",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const expressions = [
      "ether proto 0x88b5",
      "vlan 42",
      "vlan",
      "not vlan",
      "not arp",
      `ether src ${OTHER}`,
      "ether dst ff:ff:ff:ff:ff:ff",
      "ether multicast and not arp",
      "vlan and vlan 42",
    ];
    const files = await Promise.all(
      expressions.map(() => Deno.makeTempFile({ suffix: ".pcap" })),
    );
    const ours = await Promise.all(
      expressions.map((expr, i) =>
        startListen(
          pair.b,
          "--filter",
          expr,
          "-w",
          files[i],
          "--direction",
          "in",
        )
      ),
    );
    const theirs = await Promise.all(
      expressions.map((expr) => capture(pair.b, expr)),
    );
    await scapySend(pair.a, `[${mixedStream(pair.macA, pair.macB)}]`);
    await sleep(300);
    for (const [i, expression] of expressions.entries()) {
      ours[i].process.kill("SIGINT");
      assertEquals((await ours[i].done()).code, 0);
      const reference = (await theirs[i].stop()).map(hex);
      const admitted = readPcap(await Deno.readFile(files[i])).map((f) =>
        hex(f.bytes)
      );
      assertTrue(
        reference.length > 0 && reference.length < 8,
        `${expression}: ${reference.length} of 8`,
      );
      assertEquals(admitted, reference, expression);
      await Deno.remove(files[i]);
    }
  },
});

Deno.test({
  name:
    "--src, --dst and --type (our own BPF) admit what tcpdump's ether src/dst/proto admit",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const cases: [string[], string][] = [
      [["--src", OTHER], `ether src ${OTHER}`],
      [["--dst", "ff:ff:ff:ff:ff:ff"], "ether dst ff:ff:ff:ff:ff:ff"],
      [
        ["--src", pair.macA, "--dst", pair.macB],
        `ether src ${pair.macA} and ether dst ${pair.macB}`,
      ],
      [["--type", "exp2"], "ether proto 0x88b6"],
    ];
    const files = await Promise.all(
      cases.map(() => Deno.makeTempFile({ suffix: ".pcap" })),
    );
    const ours = await Promise.all(
      cases.map(([args], i) => startListen(pair.b, ...args, "-w", files[i])),
    );
    const theirs = await Promise.all(
      cases.map(([, expr]) => capture(pair.b, expr)),
    );
    await scapySend(pair.a, `[${mixedStream(pair.macA, pair.macB)}]`);
    await sleep(300);
    for (const [i, [args]] of cases.entries()) {
      ours[i].process.kill("SIGINT");
      await ours[i].done();
      const reference = (await theirs[i].stop()).map(hex);
      assertTrue(reference.length > 0, `${args} admits something`);
      assertEquals(
        readPcap(await Deno.readFile(files[i])).map((f) => hex(f.bytes)),
        reference,
        args.join(" "),
      );
      await Deno.remove(files[i]);
    }
  },
});

Deno.test({
  name: "--filter combines with our own --type filter, on frames in and out",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const listen = await startListen(
      pair.b,
      "--filter",
      "not arp",
      "--type",
      "exp1",
      "--json",
      ...["-c", "4", "--timeout", "20"], // ends once all four are in
    );
    await scapySend(pair.a, `[${mixedStream(pair.macA, pair.macB)}]`);
    await cli("send", pair.macA, pair.b, "--payload", "outgoing exp1"); // seen going out
    const out = await listen.done();
    const records = jsonLines(out.stdout);
    assertEquals(
      records.map((
        r,
      ) => [
        r.direction,
        r.type,
        r.vlan?.map((v: { id: number }) => v.id) ?? [],
      ]),
      [
        ["in", 0x88b5, []],
        ["in", 0x88b5, [42]],
        ["in", 0x88b5, [100, 42]],
        ["out", 0x88b5, []],
      ],
    );
    const summary = jsonSummary(out.stderr);
    assertEquals([summary.received, summary.dropped], [4, 0]);
  },
});

Deno.test("without libpcap, --filter says which package provides it", () => {
  try {
    compilePcapFilter("arp", { libraries: ["libpcap-not-installed.so.0"] });
    throw new Error("expected an error");
  } catch (err) {
    assertTrue(err instanceof LibpcapMissingError, String(err));
    assertTrue(
      (err as Error).message.includes("apt-get install libpcap0.8"),
      (err as Error).message,
    );
  }
});
