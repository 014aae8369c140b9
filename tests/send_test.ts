/**
 * `rawframe send` end to end: the frame leaves one end of a veth pair and
 * tcpdump (tshark in a user namespace) captures it on the other.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  capture,
  cli,
  CLI_PATH,
  cliWithFiles,
  hex,
  integration,
  run,
  scapySend,
  sleep,
  spawnCli,
  startListen,
  tsharkFields,
  vethPair,
} from "./helpers.ts";
import { readPcap } from "../lib/pcap.ts";

/** Hex of a whole frame, zero-padded to `size` bytes. */
function expected(fields: string, size = 60): string {
  return fields.padEnd(size * 2, "0");
}

Deno.test({
  name:
    "send <dst> <iface> is pyng: 'Hi', EtherType 0x88b5, interface MAC, 60 bytes",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const cap = await capture(pair.b, "ether proto 0x88b5", 1);
    const out = await cli("send", pair.macB, pair.a);
    assertEquals(out.code, 0, out.stderr);
    assertEquals(
      out.stdout,
      `sent 1 frame of 60 bytes, ${pair.macA} > ${pair.macB}, type 0x88b5 (exp1), on ${pair.a}\n`,
    );
    const [frame, ...rest] = await cap.frames();
    assertEquals(rest.length, 0);
    const mac = (m: string): string => m.replaceAll(":", "");
    assertEquals(
      hex(frame),
      expected(`${mac(pair.macB)}${mac(pair.macA)}88b54869`),
    );
  },
});

Deno.test({
  name:
    "send with --type, --src, --hex, --no-pad, dotted MAC: exactly those bytes",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const cap = await capture(pair.b, "ether proto 0x0800", 1);
    const out = await cli(
      ...["send", "0200.0000.0bff", pair.a, "--type", "ipv4"],
      ...["--src", "02-AA-BB-CC-DD-EE", "--hex", "45:00:de:ad", "--no-pad"],
    );
    assertEquals(out.code, 0, out.stderr);
    const [frame] = await cap.frames();
    assertEquals(
      hex(frame),
      "020000000bff" + "02aabbccddee" + "0800" + "4500dead",
    );
  },
});

Deno.test({
  name:
    "send --payload TEXT --count 3 sends three identical frames; --json summary",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const cap = await capture(pair.b, "ether proto 0x88b6", 3);
    const out = await cli(
      ...["send", pair.macB, pair.a, "--type", "exp2", "--payload", "hello"],
      ...["--count", "3", "--json"],
    );
    assertEquals(out.code, 0, out.stderr);
    const summary = JSON.parse(out.stdout);
    assertTrue(summary.seconds >= 0 && summary.pps >= 0, out.stdout);
    assertEquals({ ...summary, seconds: 0, pps: 0 }, {
      seconds: 0,
      pps: 0,
      sent: 3,
      bytes: 180,
      src: pair.macA,
      dst: pair.macB,
      type: 0x88b6,
      iface: pair.a,
    });
    const frames = await cap.frames();
    assertEquals(frames.length, 3);
    for (const frame of frames) {
      assertEquals(new TextDecoder().decode(frame.subarray(14, 19)), "hello");
      assertEquals(frame.length, 60);
    }
  },
});

Deno.test({
  name: "send --quiet prints nothing and still sends",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const cap = await capture(pair.b, "ether proto 0x88b5", 1);
    const out = await cli("send", pair.macB, pair.a, "--quiet");
    assertEquals([out.code, out.stdout, out.stderr], [0, "", ""]);
    assertEquals((await cap.frames()).length, 1);
  },
});

Deno.test({
  name: "--vlan tags and QinQ frames are decoded by tshark as sent",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const cap = await capture(pair.b, "vlan", 2, { keep: true });
    assertEquals(
      (await cli(
        "send",
        pair.macB,
        pair.a,
        "--vlan",
        "42:5",
        "--payload",
        "Hi",
      )).code,
      0,
    );
    const qinq = await cli(
      "send",
      pair.macB,
      pair.a,
      "--vlan",
      "100:1",
      "--vlan",
      "42",
      "--type",
      "exp2",
      "--json",
    );
    assertEquals(JSON.parse(qinq.stdout).vlan, [
      { tpid: 0x88a8, pcp: 1, dei: false, id: 100 },
      { tpid: 0x8100, pcp: 0, dei: false, id: 42 },
    ]);
    await cap.frames();
    const rows = await tsharkFields(cap.file, [
      "ieee8021ad.id",
      "vlan.id",
      "vlan.priority",
      "vlan.etype",
      "data.data",
    ]);
    await Deno.remove(cap.file);
    assertEquals(rows[0].slice(0, 4), ["", "42", "5", "0x88b5"]);
    assertTrue(rows[0][4].startsWith("4869"), rows[0][4]);
    assertEquals(rows[1].slice(0, 4), ["100", "42", "0", "0x88b6"]);
  },
});

Deno.test({
  name:
    "--frame sends the given bytes unchanged; --file and stdin give the payload",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const cap = await capture(
      pair.b,
      "ether src 02:aa:bb:cc:dd:ee or ether proto 0x0800",
      3,
    );
    const raw = `${pair.macB.replaceAll(":", "")}02aabbccddee88b5` +
      "ab".repeat(3);
    const out = await cli("send", pair.a, "--frame", raw);
    assertEquals(out.code, 0, out.stderr);
    const file = await Deno.makeTempFile();
    await Deno.writeFile(file, new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
    assertEquals(
      (await cliWithFiles(
        "send",
        pair.macB,
        pair.a,
        "--type",
        "ipv4",
        "--file",
        file,
        "--no-pad",
      )).code,
      0,
    );
    const piped = await run("sh", [
      "-c",
      `printf 'from stdin' | "${Deno.execPath()}" run --allow-ffi "${CLI_PATH}" send ${pair.macB} ${pair.a} --type ipv4 --file - --no-pad`,
    ]);
    assertEquals(piped.code, 0, piped.stderr);
    const frames = await cap.frames();
    assertEquals(hex(frames[0]), raw);
    assertEquals(hex(frames[1].subarray(12)), "0800deadbeef");
    assertEquals(
      new TextDecoder().decode(frames[2].subarray(14)),
      "from stdin",
    );
    await Deno.remove(file);
  },
});

Deno.test({
  name:
    "--from-pcap replays a tcpdump (or tshark) capture byte for byte, tags included",
  ...integration,
  async fn() {
    await using recorded = await vethPair();
    await using replayed = await vethPair();
    const recording = await capture(recorded.b, "", 4, { keep: true });
    await scapySend(
      recorded.a,
      `[Ether(dst="${recorded.macB}", src="${recorded.macA}", type=0x88b5)/Raw(b"one"),` +
        ` Ether(dst="ff:ff:ff:ff:ff:ff", src="02:12:34:56:78:9a")/Dot1Q(vlan=7, prio=6, type=0x0806)/Raw(bytes(28)),` +
        ` Ether(dst="${recorded.macB}", src="${recorded.macA}", type=0x88a8)/Dot1Q(vlan=100, type=0x8100)/Dot1Q(vlan=42, type=0x88b6)/Raw(b"qinq"),` +
        ` Ether(dst="${recorded.macB}", src="${recorded.macA}", type=0x0800)/Raw(bytes(range(200)))]`,
    );
    const original = (await recording.frames()).map(hex);
    const file = recording.file;
    assertEquals(original.length, 4);
    const cap = await capture(replayed.b, "", 4);
    const out = await cliWithFiles("send", replayed.a, "--from-pcap", file);
    assertEquals(out.code, 0, out.stderr);
    assertTrue(out.stdout.startsWith(`sent 4 frames (`), out.stdout);
    assertEquals((await cap.frames()).map(hex), original);
    await Deno.remove(file);
  },
});

Deno.test({
  name:
    "--timing original keeps the recorded gaps; the default replays at once",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    const listen = await startListen(pair.b, "-w", file, "-c", "3");
    assertEquals(
      (await cli("send", pair.macB, pair.a, "-c", "3", "--interval", "250"))
        .code,
      0,
    );
    assertEquals((await listen.done()).code, 0);
    for (const timing of ["original", "fast"]) {
      const capFile = await Deno.makeTempFile({ suffix: ".pcap" });
      const replay = await startListen(pair.b, "-w", capFile, "-c", "3");
      const out = await cliWithFiles(
        "send",
        pair.a,
        "--from-pcap",
        file,
        "--timing",
        timing,
        "--json",
      );
      assertEquals(out.code, 0, out.stderr);
      await replay.done();
      const stamps = readPcap(await Deno.readFile(capFile)).map((f) =>
        f.timestamp.seconds * 1000 + f.timestamp.nanoseconds / 1e6
      );
      const gaps = [stamps[1] - stamps[0], stamps[2] - stamps[1]];
      if (timing === "original") {
        assertTrue(gaps.every((g) => g > 230 && g < 300), `gaps ${gaps}`);
      } else {
        assertTrue(gaps.every((g) => g < 50), `gaps ${gaps}`);
      }
      await Deno.remove(capFile);
    }
    await Deno.remove(file);
  },
});

Deno.test({
  name:
    "--interval and --rate pace a series; the summary reports seconds and frames/s",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const spaced = JSON.parse(
      (await cli(
        "send",
        pair.macB,
        pair.a,
        "-c",
        "4",
        "--interval",
        "100",
        "--json",
      )).stdout,
    );
    assertEquals(spaced.sent, 4);
    assertTrue(
      spaced.seconds >= 0.295 && spaced.seconds < 0.5,
      `${spaced.seconds} s`,
    );
    const paced = JSON.parse(
      (await cli(
        "send",
        pair.macB,
        pair.a,
        "-c",
        "500",
        "--rate",
        "1000",
        "--json",
      )).stdout,
    );
    assertEquals(paced.sent, 500);
    assertTrue(
      paced.seconds > 0.47 && paced.seconds < 0.7,
      `${paced.seconds} s`,
    );
  },
});

Deno.test({
  name:
    "Ctrl-C stops an endless series cleanly: summary, exit 0, every counted frame on the wire",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const listen = await startListen(pair.b, "--type", "exp2", "--json");
    const sender = spawnCli(
      "send",
      pair.macB,
      pair.a,
      "--type",
      "exp2",
      "--count",
      "0",
      "--interval",
      "20",
      "--json",
    );
    await sleep(500);
    sender.process.kill("SIGINT");
    const out = await sender.done(3000);
    assertEquals(out.code, 0, out.stderr);
    const summary = JSON.parse(out.stdout);
    assertEquals(summary.interrupted, true);
    assertTrue(summary.sent >= 10, `sent ${summary.sent}`);
    await sleep(200);
    listen.process.kill("SIGINT");
    const seen = (await listen.done()).stdout.trim().split("\n").length;
    assertEquals(seen, summary.sent);
  },
});
