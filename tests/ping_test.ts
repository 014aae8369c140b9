/**
 * `rawframe ping` against `rawframe listen --echo` across a veth pair.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  cli,
  integration,
  jsonLines,
  spawnCli,
  startListen,
  vethPair,
} from "./helpers.ts";

Deno.test({
  name: "ping against listen --echo: a line per reply, 0% loss, exit 0",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const responder = await startListen(
      pair.b,
      "--echo",
      "--direction",
      "in",
      "-c",
      "3",
    );
    const out = await cli(
      "ping",
      pair.macB,
      pair.a,
      "-c",
      "3",
      "--interval",
      "100",
    );
    assertEquals(out.code, 0, out.stderr);
    const lines = out.stdout.trim().split("\n");
    assertEquals(
      lines[0],
      `PING ${pair.macB} from ${pair.macA} on ${pair.a}, EtherType 0x88b5 (exp1), 46 bytes`,
    );
    for (const seq of [1, 2, 3]) {
      assertTrue(
        new RegExp(
          `^60 bytes from ${pair.macB}: seq=${seq} time=\\d+\\.\\d{3} ms hold=\\d+\\.\\d{3} ms$`,
        ).test(lines[seq]),
        lines[seq],
      );
    }
    assertEquals(lines[5], `--- ${pair.macB} rawframe ping statistics ---`);
    assertTrue(
      /^3 frames transmitted, 3 received, 0% loss, time \d+ms$/.test(lines[6]),
      lines[6],
    );
    assertTrue(
      /^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/.test(
        lines[7],
      ),
      lines[7],
    );
    assertTrue(
      /^hold min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/.test(
        lines[8],
      ),
      lines[8],
    );
    const answered = await responder.done();
    assertTrue(
      answered.stderr.includes("3 echo requests answered"),
      answered.stderr,
    );
  },
});

Deno.test({
  name: "ping with nobody answering: 100% loss and exit 1",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const out = await cli(
      "ping",
      pair.macB,
      pair.a,
      "-c",
      "2",
      "--interval",
      "100",
      "--timeout",
      "0.3",
    );
    assertEquals(out.code, 1, out.stderr);
    assertTrue(
      out.stdout.includes(`no reply from ${pair.macB}: seq=1`),
      out.stdout,
    );
    assertTrue(
      out.stdout.includes("2 frames transmitted, 0 received, 100% loss"),
      out.stdout,
    );
    assertTrue(!out.stdout.includes("rtt"), out.stdout);
    // Said once, on stderr: what the far end must run.
    const hint =
      `ping: no reply from ${pair.macB} yet: it answers only while it runs \`rawframe listen <iface> --echo\``;
    assertEquals(out.stderr.split("\n").filter((l) => l === hint).length, 1);
  },
});

Deno.test({
  name:
    "two pings at once each count only their own replies (matched by identifier and sequence)",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const responder = await startListen(pair.b, "--echo", "--timeout", "5");
    const pings = [1, 2].map(() =>
      spawnCli(
        "ping",
        pair.macB,
        pair.a,
        "-c",
        "5",
        "--interval",
        "50",
        "--json",
      )
    );
    const results = await Promise.all(pings.map((p) => p.done()));
    for (const result of results) {
      assertEquals(result.code, 0, result.stderr);
      const events = jsonLines(result.stdout);
      const replies = events.filter((e) => e.event === "reply");
      assertEquals(replies.map((r) => r.seq), [1, 2, 3, 4, 5]);
      assertTrue(
        replies.every((r) =>
          r.from === pair.macB && r.bytes === 60 && r.rtt_ms > 0
        ),
        result.stdout,
      );
      const summary = events[events.length - 1];
      assertEquals([
        summary.event,
        summary.sent,
        summary.received,
        summary.loss,
      ], ["summary", 5, 5, 0]);
      assertTrue(
        summary.rtt_ms.min <= summary.rtt_ms.avg &&
          summary.rtt_ms.avg <= summary.rtt_ms.max,
        result.stdout,
      );
    }
    responder.process.kill("SIGINT");
    const answered = await responder.done();
    assertTrue(
      answered.stderr.includes("10 echo requests answered"),
      answered.stderr,
    );
  },
});

Deno.test({
  name:
    "ping and listen --echo agree on a custom EtherType (--type on both ends)",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const responder = await startListen(
      pair.b,
      "--echo",
      "--type",
      "exp2",
      "-c",
      "1",
    );
    const out = await cli(
      "ping",
      pair.macB,
      pair.a,
      "-c",
      "1",
      "--type",
      "exp2",
    );
    assertEquals(out.code, 0, out.stdout + out.stderr);
    assertTrue(out.stdout.includes("1 received, 0% loss"), out.stdout);
    await responder.done();
  },
});
