/**
 * Capture files as tshark, dumpcap and tcpdump users make them, end to
 * end through the kernel: several interfaces into one pcapng, files in
 * turn (-C, -G, -W) checked with trafgen's numbered frames, the filter
 * typed after the interface, and `read IN -w OUT EXPR` against tcpdump's.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  Child,
  cliWithFiles,
  integration,
  jsonLines,
  run,
  scapySend,
  sleep,
  startListen,
  tsharkFields,
  vethPair,
} from "./helpers.ts";
import { statisticsBlocks } from "./isb_reader.ts";

/** RFC 3339 with microseconds, as tshark's frame.time_epoch writes it. */
function epoch(ts: string): string {
  const ms = Date.parse(ts);
  const micros = ts.match(/\.(\d{6})Z$/)![1];
  return `${Math.floor(ms / 1000)}.${micros}000`;
}

Deno.test({
  name:
    "listen -i a -i b writes one pcapng: tshark reads each frame's interface, direction and time as listen showed them; statistics per interface",
  ...integration,
  async fn() {
    await using one = await vethPair();
    await using two = await vethPair();
    const file = await Deno.makeTempFile({ suffix: ".pcapng" });
    const listen = await startListen(
      ...["-i", one.b, "-i", two.b, "--type", "exp1", "-c", "5"],
      ...["-w", file, "--print", "--json", "--timeout", "20"],
    );
    const frame = (src: string, text: string) =>
      `Ether(dst="02:00:00:00:00:99", src="${src}", type=0x88b5)/Raw(b"${text}")`;
    await scapySend(
      one.a,
      `[${frame(one.macA, "a1")}, ${frame(one.macA, "a2")}]`,
    );
    await scapySend(
      two.a,
      `[${frame(two.macA, "b1")}, ${frame(two.macA, "b2")}]`,
    );
    await scapySend(one.b, frame(one.macB, "out")); // sent from a listened interface
    const out = await listen.done();
    assertEquals(out.code, 0, out.stderr);
    const shown = jsonLines(out.stdout);
    assertEquals(shown.length, 5);
    const fields = await tsharkFields(file, [
      "frame.interface_name",
      "frame.packet_flags_direction",
      "frame.time_epoch",
      "eth.src",
    ]);
    assertEquals(
      fields,
      shown.map((f) => [
        f.iface,
        f.direction === "in" ? "0x00000001" : "0x00000002",
        epoch(f.ts),
        f.src,
      ]),
    );
    assertEquals(fields.filter(([, d]) => d === "0x00000002").length, 1);
    const summary = JSON.parse(out.stderr.trim().split("\n").at(-1)!);
    assertEquals(
      summary.interfaces.map((i: { received: number }) => i.received),
      [3, 2],
    );
    const blocks = await statisticsBlocks(file);
    assertEquals(blocks.map((b) => [b.iface, b.dropped, b.delivered]), [
      [0, 0, 3],
      [1, 0, 2],
    ]);
    assertTrue(blocks.every((b) => b.received! >= 2), JSON.stringify(blocks));
    const read = await cliWithFiles("read", file);
    assertEquals(read.code, 0, read.stderr);
    assertEquals(
      read.stdout.trim().split("\n").map((l) => l.split(" ")[1]),
      shown.map((f) => f.iface),
    );
    await Deno.remove(file);
  },
});

Deno.test({
  name:
    "straight from the rings into pcapng (-w alone): each frame's interface, on two named interfaces and on any; statistics count each",
  ...integration,
  async fn() {
    await using one = await vethPair();
    await using two = await vethPair();
    const frame = (src: string, n: number) =>
      `Ether(dst="ff:ff:ff:ff:ff:ff", src="${src}", type=0x88b5)/Raw(b"${n}")`;
    for (const ifaces of [["-i", one.b, "-i", two.b], ["any"]]) {
      const file = await Deno.makeTempFile({ suffix: ".pcapng" });
      // On "any", each frame is seen leaving its sender too: 12 in all.
      const count = ifaces[0] === "any" ? "12" : "6";
      const listen = await startListen(
        ...ifaces,
        ...["--type", "exp1", "-c", count, "-w", file, "--timeout", "20"],
      );
      for (let n = 0; n < 3; n++) {
        await scapySend(one.a, frame(one.macA, n));
        await scapySend(two.a, frame(two.macA, n));
      }
      const out = await listen.done();
      assertEquals(out.code, 0, out.stderr);
      const fields =
        (await tsharkFields(file, ["frame.interface_name", "eth.src"]))
          .filter(([name]) => name === one.b || name === two.b);
      assertEquals(
        fields,
        [0, 1, 2].flatMap(() => [[one.b, one.macA], [two.b, two.macA]]),
        ifaces.join(" "),
      );
      if (ifaces[0] === "-i") {
        const blocks = await statisticsBlocks(file);
        const written = blocks.map((b) => String(b.delivered));
        assertEquals(written, ["3", "3"]);
      }
      await Deno.remove(file);
    }
  },
});

Deno.test({
  name:
    "rawframe reads what dumpcap writes of two interfaces: each frame's interface as tshark names it",
  ...integration,
  async fn() {
    await using one = await vethPair();
    await using two = await vethPair();
    const dir = await Deno.makeTempDir();
    await Deno.chmod(dir, 0o777); // dumpcap may write as its own user
    const file = `${dir}/dumpcap.pcapng`;
    const dumpcap = new Child("dumpcap", [
      ...["-i", one.b, "-i", two.b, "-f", "ether proto 0x88b5", "-c", "4"],
      ...["-w", file],
    ]);
    await dumpcap.waitFor(/Capturing on/);
    await sleep(300); // both interfaces' captures started
    const frame = (src: string) =>
      `Ether(dst="ff:ff:ff:ff:ff:ff", src="${src}", type=0x88b5)/Raw(b"x")`;
    for (let i = 0; i < 2; i++) {
      await scapySend(one.a, frame(one.macA));
      await scapySend(two.a, frame(two.macA));
    }
    const done = await dumpcap.done();
    assertEquals(done.code, 0, done.stderr);
    const tshark = await tsharkFields(file, [
      "frame.interface_name",
      "eth.src",
    ]);
    const read = jsonLines((await cliWithFiles("read", file, "--json")).stdout);
    assertEquals(read.map((f) => [f.iface, f.src]), tshark);
    assertEquals(new Set(read.map((f) => f.iface)), new Set([one.b, two.b]));
    await Deno.remove(dir, { recursive: true });
  },
});

/** A trafgen config: IPv4 frames whose source address counts from 0.0.0.0. */
async function numberedFrames(): Promise<string> {
  const config = await Deno.makeTempFile({ suffix: ".cfg" });
  await Deno.writeTextFile(
    config,
    "{ eth(da=02:00:00:00:00:99, sa=02:00:00:00:00:98), ipv4(saddr=dinc(), daddr=10.0.0.2, proto=253), fill(0x00, 16) }\n",
  );
  return config;
}

/** Each file's frame numbers, read by tshark. */
async function numbersIn(file: string): Promise<number[]> {
  return (await tsharkFields(file, ["ip.src"])).map(([ip]) =>
    ip.split(".").reduce((n, byte) => n * 256 + Number(byte), 0)
  );
}

Deno.test({
  name:
    "-C with a trafgen flood of numbered frames: each file reads on its own in tshark, and together they hold every frame once, in order",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const dir = await Deno.makeTempDir();
    const sent = 30_000;
    const listen = await startListen(
      ...[pair.b, "ip", "-w", `${dir}/cap`, "-C", "0.4", "-q"],
      ...["-c", String(sent), "--timeout", "30"],
    );
    const config = await numberedFrames();
    const flood = await run("trafgen", [
      ...[
        "--dev",
        pair.a,
        "--conf",
        config,
        "--num",
        String(sent),
        "--cpus",
        "1",
      ],
    ]);
    assertEquals(flood.code, 0, flood.stderr);
    const out = await listen.done();
    assertEquals(out.code, 0, out.stderr);
    assertTrue(
      out.stderr.includes(`${sent} frames received, 0 dropped`),
      out.stderr,
    );
    const names = [...Deno.readDirSync(dir)].map((e) => e.name)
      .sort((a, b) => Number(a.slice(3) || 0) - Number(b.slice(3) || 0));
    assertEquals(names.slice(0, 3), ["cap", "cap1", "cap2"]);
    const numbers: number[] = [];
    for (const name of names) {
      const size = (await Deno.stat(`${dir}/${name}`)).size;
      if (name !== names.at(-1)) {
        assertTrue(size > 400_000 && size < 400_100, `${name}: ${size}`);
      }
      numbers.push(...await numbersIn(`${dir}/${name}`));
    }
    assertEquals(numbers.length, sent);
    assertTrue(numbers.every((n, i) => n === i), "every frame once, in order");
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(config);
  },
});

Deno.test({
  name:
    "-G 1 -W 2: files named by strftime, a new one each second, and listen ends by itself after the second",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const dir = await Deno.makeTempDir();
    const listen = await startListen(
      pair.b,
      ...["ip", "-w", `${dir}/cap-%s.pcapng`, "-G", "1", "-W", "2", "-q"],
    );
    const config = await numberedFrames();
    const flood = await run("trafgen", [
      ...["--dev", pair.a, "--conf", config, "--num", "400", "--gap", "10ms"],
      ...["--cpus", "1"],
    ]);
    assertEquals(flood.code, 0, flood.stderr);
    const out = await listen.done(10_000);
    assertEquals(out.code, 0, out.stderr);
    assertTrue(
      out.stderr.includes("maximum file limit reached: 2"),
      out.stderr,
    );
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assertEquals(names.length, 2);
    assertTrue(
      names.every((n) => /^cap-\d{10}\.pcapng$/.test(n)),
      names.join(),
    );
    const numbers = [
      ...await numbersIn(`${dir}/${names[0]}`),
      ...await numbersIn(`${dir}/${names[1]}`),
    ];
    assertTrue(
      numbers.length > 0 && numbers.every((n, i) => n === numbers[0] + i),
      "no gap between files",
    );
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(config);
  },
});

Deno.test({
  name:
    "a filter expression typed after the interface, as tcpdump's: only the frames it matches",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const listen = await startListen(
      pair.b,
      "-c",
      "1",
      "--json",
      "udp",
      "port",
      "53",
    );
    const base =
      `Ether(dst="${pair.macB}", src="${pair.macA}")/IP(src="10.0.0.1", dst="10.0.0.2")`;
    await run("/usr/bin/python3", [
      "-c",
      [
        "from scapy.all import *",
        `sendp([${base}/TCP(sport=1000, dport=53), ${base}/UDP(sport=1000, dport=54), ${base}/UDP(sport=1000, dport=53)/Raw(b"q")], iface="${pair.a}", verbose=False)`,
      ].join("\n"),
    ]);
    const out = await listen.done();
    assertEquals(out.code, 0, out.stderr);
    const [frame] = jsonLines(out.stdout);
    assertEquals(
      frame.layers.find((l: { layer: string }) => l.layer === "udp")?.dport,
      53,
    );
  },
});

Deno.test({
  name:
    "read IN -w OUT EXPR selects the frames tcpdump -r IN -w OUT EXPR selects, byte for byte",
  ...integration,
  async fn() {
    const dir = await Deno.makeTempDir();
    await Deno.chmod(dir, 0o777);
    const input = `${dir}/in.pcap`;
    await run("/usr/bin/python3", [
      "-c",
      [
        "from scapy.all import *",
        "b = Ether(dst='02:00:00:00:00:02', src='02:00:00:00:00:01')/IP(src='10.0.0.1', dst='10.0.0.2')",
        `wrpcap("${input}", [b/UDP(sport=1000, dport=53)/Raw(b"a"), b/TCP(sport=1000, dport=80), b/UDP(sport=1000, dport=53)/Raw(b"bb"), ARP(), b/UDP(sport=1000, dport=5353)])`,
      ].join("\n"),
    ]);
    const ours = await cliWithFiles(
      "read",
      input,
      "-w",
      `${dir}/ours.pcap`,
      "udp",
      "port",
      "53",
    );
    assertEquals(ours.code, 0, ours.stderr);
    const theirs = await run("tcpdump", [
      "-Z",
      "root",
      "-r",
      input,
      "-w",
      `${dir}/theirs.pcap`,
      "udp",
      "port",
      "53",
    ]);
    assertEquals(theirs.code, 0, theirs.stderr);
    const records = (bytes: Uint8Array) => [...bytes.subarray(24)].join();
    const [a, b] = [
      await Deno.readFile(`${dir}/ours.pcap`),
      await Deno.readFile(`${dir}/theirs.pcap`),
    ];
    assertEquals(records(a), records(b));
    assertEquals(
      (await tsharkFields(`${dir}/ours.pcap`, ["udp.dstport"])).length,
      2,
    );
    // To pcapng, keeping what the input says of each frame.
    const ng = await cliWithFiles(
      "read",
      input,
      "-w",
      `${dir}/out.pcapng`,
      "--filter",
      "udp",
    );
    assertEquals(ng.code, 0, ng.stderr);
    assertEquals(
      (await tsharkFields(`${dir}/out.pcapng`, ["udp.dstport"])).flat(),
      ["53", "53", "5353"],
    );
    await Deno.remove(dir, { recursive: true });
  },
});
