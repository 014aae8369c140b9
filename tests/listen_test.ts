/**
 * `rawframe listen` end to end: frames come from independent senders
 * (scapy, or the far end's own stack) across a veth pair.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  capture,
  Child,
  cli,
  integration,
  jsonLines,
  jsonSummary,
  scapySend,
  sleep,
  startListen,
  tsharkFields,
  vethPair,
} from "./helpers.ts";

Deno.test({
  name:
    "listen --json shows scapy's frames with the contract's fields, VLAN tag restored",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const listen = await startListen(
      pair.b,
      "--json",
      "--count",
      "2",
      "--type",
      "exp1",
    );
    await scapySend(
      pair.a,
      `[Ether(dst="${pair.macB}", src="${pair.macA}", type=0x0800)/Raw(b"ipv4, filtered out"),` +
        ` Ether(dst="${pair.macB}", src="${pair.macA}", type=0x88b5)/Raw(b"Hi"),` +
        ` Ether(dst="ff:ff:ff:ff:ff:ff", src="${pair.macA}")/Dot1Q(vlan=42, prio=3, type=0x88b5)/Raw(b"tagged")]`,
    );
    const out = await listen.done();
    assertEquals(out.code, 0, out.stderr);
    const [plain, tagged, ...rest] = jsonLines(out.stdout);
    assertEquals(rest, []);
    const ts = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
    assertTrue(
      ts.test(plain.ts) && ts.test(tagged.ts),
      `${plain.ts} ${tagged.ts}`,
    );
    assertTrue(
      Math.abs(Date.parse(plain.ts) - Date.now()) < 60_000,
      "timestamp is now",
    );
    assertEquals({ ...plain, ts: "" }, {
      ts: "",
      iface: pair.b,
      direction: "in",
      pkttype: "host",
      dst: pair.macB,
      src: pair.macA,
      type: 0x88b5,
      len: 16,
      payload: "4869",
      info: null,
      layers: [],
    });
    assertEquals({ ...tagged, ts: "" }, {
      ts: "",
      iface: pair.b,
      direction: "in",
      pkttype: "broadcast",
      dst: "ff:ff:ff:ff:ff:ff",
      src: pair.macA,
      vlan: [{ tpid: 0x8100, pcp: 3, dei: false, id: 42 }],
      type: 0x88b5,
      len: 24,
      payload: "746167676564",
      info: null,
      layers: [],
    });
    // With --json the closing summary on stderr is JSON too.
    const summary = jsonSummary(out.stderr);
    assertEquals([summary.received, summary.dropped], [2, 0]);
    assertTrue(summary.seconds > 0 && summary.pps > 0, out.stderr);
  },
});

Deno.test({
  name: "listen prints one human line per frame the moment it arrives",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const listen = await startListen(pair.b, "--count", "2");
    const first = await cli("send", pair.macB, pair.a, "--payload", "first");
    assertEquals(first.code, 0, first.stderr);
    // The first line must be out before the second frame is even sent.
    const deadline = Date.now() + 5000;
    while (!listen.stdout.includes("\n") && Date.now() < deadline) {
      await sleep(10);
    }
    assertTrue(
      listen.stdout.includes('"first"'),
      `not printed at once: ${listen.stdout}`,
    );
    await cli(
      "send",
      "ff:ff:ff:ff:ff:ff",
      pair.a,
      "--hex",
      "0102fe",
      "--type",
      "exp2",
    );
    const out = await listen.done();
    const lines = out.stdout.trim().split("\n");
    assertEquals(lines.length, 2);
    const time = String.raw`\d\d:\d\d:\d\d\.\d{6}`;
    assertTrue(
      new RegExp(
        `^${time} ${pair.b} in  ${pair.macA} > ${pair.macB}, 0x88b5 \\(exp1\\), length 60: "first"$`,
      )
        .test(lines[0]),
      lines[0],
    );
    assertTrue(
      new RegExp(
        `^${time} ${pair.b} in  ${pair.macA} > ff:ff:ff:ff:ff:ff, 0x88b6 \\(exp2\\), length 60: 0102fe$`,
      )
        .test(lines[1]),
      lines[1],
    );
  },
});

Deno.test({
  name:
    "listen --timeout ends a listen that sees nothing, exit 0 with a summary",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const started = Date.now();
    const out = await cli("listen", pair.b, "--timeout", "0.5");
    const elapsed = Date.now() - started;
    assertEquals(out.code, 0, out.stderr);
    assertEquals(out.stdout, "");
    assertTrue(
      out.stderr.includes("0 frames received, 0 dropped by the kernel"),
      out.stderr,
    );
    assertTrue(elapsed >= 500 && elapsed < 5000, `took ${elapsed} ms`);
  },
});

Deno.test({
  name:
    "listen --direction out shows only frames the interface sends; in only received ones",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const outward = await startListen(
      pair.a,
      "--json",
      "--direction",
      "out",
      "--timeout",
      "2",
    );
    const inward = await startListen(
      pair.a,
      "--json",
      "--direction",
      "in",
      "--timeout",
      "2",
    );
    await cli("send", pair.macB, pair.a, "--payload", "from a");
    await cli("send", pair.macA, pair.b, "--payload", "from b");
    const sent = jsonLines((await outward.done()).stdout);
    const got = jsonLines((await inward.done()).stdout);
    assertEquals(sent.map((r) => [r.direction, r.pkttype, r.src]), [[
      "out",
      "outgoing",
      pair.macA,
    ]]);
    assertEquals(got.map((r) => [r.direction, r.pkttype, r.src]), [[
      "in",
      "host",
      pair.macB,
    ]]);
  },
});

Deno.test({
  name: "Ctrl-C (SIGINT) ends listen cleanly: summary on stderr, exit 0",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const listen = await startListen(pair.b);
    await cli("send", pair.macB, pair.a);
    const deadline = Date.now() + 5000;
    while (!listen.stdout.includes("\n") && Date.now() < deadline) {
      await sleep(10);
    }
    listen.process.kill("SIGINT");
    const out = await listen.done(3000);
    assertEquals(out.code, 0, out.stderr);
    assertTrue(
      out.stderr.includes("1 frame received, 0 dropped by the kernel"),
      out.stderr,
    );
    assertTrue(!out.stderr.includes("error"), out.stderr);
  },
});

Deno.test({
  name: "listen | head -1: a closed pipe ends listen quietly with exit 0",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const cliPath = new URL("../cli.ts", import.meta.url).pathname;
    const pipeline = new Child("bash", [
      "-c",
      `"${Deno.execPath()}" run --allow-ffi "${cliPath}" listen ${pair.b} | head -n 1; echo "listen exit \${PIPESTATUS[0]}" >&2`,
    ]);
    await pipeline.waitFor(/listening on/);
    for (let i = 0; i < 3 && !/listen exit/.test(pipeline.stderr); i++) {
      await cli("send", pair.macB, pair.a);
      await sleep(200);
    }
    const out = await pipeline.done(5000);
    assertEquals(out.stdout.split("\n").length, 2, out.stdout); // one line, then EOF
    assertTrue(out.stderr.includes("listen exit 0"), out.stderr);
    assertTrue(!/error|panic|Uncaught/.test(out.stderr), out.stderr);
  },
});

Deno.test({
  name:
    "an 802.3 frame from scapy is shown as 802.3 with the length tshark reads",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const cap = await capture(pair.b, "stp", 1, { keep: true });
    const listen = await startListen(pair.b, "--json", "-c", "1");
    const text = await startListen(pair.b, "-c", "1");
    await scapySend(
      pair.a,
      `Dot3(dst="01:80:c2:00:00:00", src="${pair.macA}")/LLC(dsap=0x42, ssap=0x42, ctrl=3)/STP()`,
    );
    const [record] = jsonLines((await listen.done()).stdout);
    const line = (await text.done()).stdout.trim();
    await cap.frames();
    const [[length]] = await tsharkFields(cap.file, ["eth.len"]);
    await Deno.remove(cap.file);
    assertEquals([record.type, record.length], [null, Number(length)]);
    assertTrue(
      line.includes(
        `, 802.3, length ${length}: LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config,`,
      ),
      line,
    );
  },
});
