/**
 * `rawframe send` end to end: the frame leaves one end of a veth pair and
 * tcpdump (tshark in a user namespace) captures it on the other.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { capture, cli, hex, integration, vethPair } from "./helpers.ts";

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
