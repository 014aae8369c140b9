/**
 * `listen -w`, `--hex`, `any` and `--promisc` end to end, with tcpdump and
 * tshark as the judges of our pcap files.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  capture,
  Child,
  cli,
  CLI_PATH,
  externalTimestamps,
  hex,
  integration,
  jsonLines,
  run,
  scapySend,
  sleep,
  startListen,
  tsharkFields,
  vethPair,
  within,
} from "./helpers.ts";
import { readPcap } from "../lib/pcap.ts";

/** A mixed stream: untagged, tagged, QinQ, ARP, odd sizes. */
function mixedStream(macA: string, macB: string): string {
  return `[Ether(dst="${macB}", src="${macA}", type=0x88b5)/Raw(b"Hi"),` +
    ` Ether(dst="ff:ff:ff:ff:ff:ff", src="${macA}")/Dot1Q(vlan=42, prio=5)/Raw(b"tagged"),` +
    ` Ether(dst="${macB}", src="${macA}", type=0x88a8)/Dot1Q(vlan=100, type=0x8100)/Dot1Q(vlan=7, type=0x0800)/Raw(b"qinq"),` +
    ` Ether(dst="ff:ff:ff:ff:ff:ff", src="${macA}", type=0x0806)/Raw(bytes(28)),` +
    ` Ether(dst="${macB}", src="02:aa:00:00:00:01", type=0x88b6)/Raw(bytes(range(256))*5)]`;
}

Deno.test({
  name:
    "listen -w writes a pcap that tcpdump and tshark read back with identical bytes",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    const ours = await startListen(pair.b, "-w", file, "-c", "5");
    const theirs = await capture(pair.b, "", 5);
    await scapySend(pair.a, mixedStream(pair.macA, pair.macB));
    const out = await ours.done();
    assertEquals(out.code, 0, out.stderr);
    assertEquals(out.stdout, ""); // with -w, frames go to the file only
    const reference = await theirs.frames();
    const written = readPcap(await Deno.readFile(file)).map((f) =>
      hex(f.bytes)
    );
    assertEquals(written, reference.map(hex));
    // tshark decodes our file frame by frame as it decodes tcpdump's.
    const fields = await tsharkFields(file, [
      "frame.len",
      "eth.src",
      "vlan.id",
      "ieee8021ad.id",
    ]);
    assertEquals(
      fields.map((f) => f[0]),
      reference.map((f) => String(f.length)),
    );
    assertEquals(fields[1][2], "42");
    // QinQ: tshark names the outer 802.1ad tag and the inner 802.1Q one.
    assertEquals([fields[2][3], fields[2][2]], ["100", "7"]);
    const stamps = await externalTimestamps(file);
    assertEquals(stamps.length, 5);
    await Deno.remove(file);
  },
});

Deno.test({
  name:
    "nanosecond pcap files are read by tcpdump (tshark) with the same nanoseconds",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    const ours = await startListen(
      pair.b,
      "-w",
      file,
      "-c",
      "1",
      "--time-stamp-precision",
      "nano",
    );
    await cli("send", pair.macB, pair.a);
    assertEquals((await ours.done()).code, 0);
    const [record] = readPcap(await Deno.readFile(file));
    const expected = `${record.timestamp.seconds}.${
      String(record.timestamp.nanoseconds).padStart(9, "0")
    }`;
    assertEquals(await externalTimestamps(file), [expected]);
    await Deno.remove(file);
  },
});

Deno.test({
  name: "listen -w - | tshark -r - works",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const pipeline = new Child("bash", [
      "-c",
      `"${Deno.execPath()}" run --allow-ffi "${CLI_PATH}" listen ${pair.b} -w - -c 3 | tshark -r - -T fields -e eth.src -e eth.type`,
    ]);
    await pipeline.waitFor(/listening on/);
    // listen stops at 3 frames: send again if a loaded machine lost any.
    const ended = pipeline.process.status.then(() => true);
    for (let i = 0; i < 20; i++) {
      await cli("send", pair.macB, pair.a, "-c", "3", "--type", "lldp");
      if (await within(ended, 300, false)) break;
    }
    const out = await pipeline.done();
    assertEquals(out.code, 0, out.stderr);
    assertEquals(
      out.stdout.trim().split("\n"),
      Array(3).fill(`${pair.macA}\t0x88cc`),
    );
  },
});

Deno.test({
  name:
    "the pcap file is complete when listen ends by Ctrl-C or --timeout: nothing seen is lost",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    for (const stop of ["SIGINT", "timeout"]) {
      const file = await Deno.makeTempFile({ suffix: ".pcap" });
      const args = stop === "timeout" ? ["--timeout", "1.5"] : [];
      const listen = await startListen(pair.b, "-w", file, ...args);
      const sent = await cli("send", pair.macB, pair.a, "-c", "20", "--json");
      assertEquals(sent.code, 0, sent.stderr);
      await sleep(200);
      if (stop === "SIGINT") listen.process.kill("SIGINT");
      const out = await listen.done(5000);
      assertEquals(out.code, 0, out.stderr);
      assertTrue(
        out.stderr.includes("20 frames received, 0 dropped"),
        out.stderr,
      );
      assertEquals(readPcap(await Deno.readFile(file)).length, 20, stop);
      assertEquals((await externalTimestamps(file)).length, 20);
      await Deno.remove(file);
    }
  },
});

Deno.test({
  name: "--hex prints a hexdump -C block under each line",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const listen = await startListen(pair.b, "--hex", "-c", "1");
    await cli("send", pair.macB, pair.a, "--payload", "hello");
    const out = await listen.done();
    const lines = out.stdout.split("\n");
    const bytes = [
      ...pair.macB.split(":"),
      ...pair.macA.split(":"),
      ...["88", "b5", "68", "65"],
    ];
    assertEquals(
      lines[1],
      `00000000  ${bytes.slice(0, 8).join(" ")}  ${
        bytes.slice(8).join(" ")
      }  |..............he|`,
    );
    assertEquals(
      lines[4],
      "00000030  00 00 00 00 00 00 00 00  00 00 00 00              |............|",
    );
    assertEquals(lines[5], "0000003c");
  },
});

Deno.test({
  name:
    "listen any sees every interface and names the one each frame came from",
  ...integration,
  async fn() {
    await using one = await vethPair();
    await using two = await vethPair();
    const listen = await startListen(
      "any",
      "--json",
      "--direction",
      "in",
      "--type",
      "exp2",
      "-c",
      "2",
    );
    await cli("send", one.macB, one.a, "--type", "exp2");
    await cli("send", two.macB, two.a, "--type", "exp2");
    const out = await listen.done();
    const records = jsonLines(out.stdout);
    assertEquals(records.map((r) => [r.iface, r.src]), [[one.b, one.macA], [
      two.b,
      two.macA,
    ]]);
  },
});

/** Whether `ip` shows the interface in promiscuous mode. */
async function promiscuity(iface: string): Promise<number> {
  const out = await run("ip", ["-d", "link", "show", iface]);
  return Number(out.stdout.match(/promiscuity (\d+)/)?.[1]);
}

Deno.test({
  name:
    "--promisc holds promiscuous mode only while listening, even when killed",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    assertEquals(await promiscuity(pair.b), 0);
    const listen = await startListen(pair.b, "--promisc", "--timeout", "0.5");
    assertEquals(await promiscuity(pair.b), 1);
    assertEquals((await listen.done()).code, 0);
    assertEquals(await promiscuity(pair.b), 0);
    const killed = await startListen(pair.b, "--promisc");
    assertEquals(await promiscuity(pair.b), 1);
    killed.process.kill("SIGKILL");
    await killed.done();
    assertEquals(await promiscuity(pair.b), 0);
  },
});
