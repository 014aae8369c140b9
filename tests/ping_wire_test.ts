/**
 * `rawframe ping` on a real path: two network namespaces joined by a veth
 * pair, the responder in the far one. iputils ping (ICMP, answered by the
 * far kernel) runs over the same pair, so the two can be compared; the
 * test asserts only what cannot flake on a busy machine: both complete,
 * nothing is lost, and the responder's hold time is reported. The ratio
 * of their average times is measured by `deno task bench`.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  cli,
  CLI_PATH,
  integration,
  jsonLines,
  run,
  sh,
  vethPair,
} from "./helpers.ts";
import { peerNamespace } from "./peer_netns.ts";

const HERE = "10.8.0.1";
const THERE = "10.8.0.2";

/**
 * An echo responder as rawframe's were before they reported their hold
 * time: it swaps the addresses, sets the kind to reply, and changes
 * nothing else (flags stay 0).
 */
const OLDER_RESPONDER = `
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
s.bind((sys.argv[1], 0x88b5))
print("ready", file=sys.stderr, flush=True)
answered = 0
while answered < int(sys.argv[2]):
    frame, address = s.recvfrom(2048)
    if address[2] == socket.PACKET_OUTGOING or frame[14:18] != b"RFPG" or frame[18] != 1:
        continue
    reply = bytearray(frame)
    reply[0:6], reply[6:12] = frame[6:12], frame[0:6]
    reply[18] = 2
    s.send(bytes(reply))
    answered += 1`;

Deno.test({
  ...integration,
  name:
    "rawframe ping and iputils ping over the same veth pair between two namespaces: both complete, nothing lost, the hold time reported",
  async fn() {
    await using pair = await vethPair();
    await using peer = await peerNamespace(pair.b);
    await sh("ip", "addr", "add", `${HERE}/24`, "dev", pair.a);
    await peer.sh("ip", "addr", "add", `${THERE}/24`, "dev", pair.b);
    const responder = peer.spawn(
      Deno.execPath(),
      ...["run", "--allow-ffi", CLI_PATH, "listen", pair.b, "--echo", "-q"],
    );
    await responder.waitFor(/listening on/);

    const icmp = await run("ping", [
      ...["-n", "-c", "20", "-i", "0.05", "-W", "5", THERE],
    ]);
    assertEquals(icmp.code, 0, icmp.stdout + icmp.stderr);
    assertTrue(icmp.stdout.includes(" 0% packet loss"), icmp.stdout);

    const ours = await cli(
      ...["ping", pair.macB, pair.a, "-c", "20", "--interval", "50"],
      ...["--timeout", "5", "--json"],
    );
    assertEquals([ours.code, ours.stderr], [0, ""]);
    const events = jsonLines(ours.stdout);
    const replies = events.filter((e) => e.event === "reply");
    assertEquals(
      replies.map((r) => r.seq),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    for (const reply of replies) {
      assertTrue(
        typeof reply.hold_ms === "number" && reply.hold_ms >= 0 &&
          reply.kernel_times === true &&
          reply.rtt_ms ===
            Number((reply.round_trip_ms - reply.hold_ms).toFixed(6)),
        JSON.stringify(reply),
      );
    }
    const summary = events[events.length - 1];
    assertEquals([summary.sent, summary.received, summary.loss], [20, 20, 0]);
    assertTrue(summary.hold_ms.avg >= 0, JSON.stringify(summary));
    const icmpAvg = icmp.stdout.match(/= [\d.]+\/([\d.]+)\//)![1];
    console.log(
      `average: rawframe ping ${summary.rtt_ms.avg} ms (hold ${summary.hold_ms.avg} ms), iputils ping ${icmpAvg} ms`,
    );

    // The responder waits on its own thread, 20 ms at a time: Ctrl-C
    // still ends it at once.
    const interrupted = performance.now();
    responder.process.kill("SIGINT");
    const answered = await responder.done();
    const exitMs = performance.now() - interrupted;
    assertTrue(exitMs < 2000, `${exitMs.toFixed(0)} ms from Ctrl-C to exit`);
    assertTrue(
      answered.stderr.includes("20 echo requests answered"),
      answered.stderr,
    );
  },
});

Deno.test({
  ...integration,
  name:
    "an older responder, which reports no hold time: ping says so once and shows whole round trips",
  async fn() {
    await using pair = await vethPair();
    await using peer = await peerNamespace(pair.b);
    const responder = peer.spawn(
      "/usr/bin/python3",
      ...["-c", OLDER_RESPONDER, pair.b, "3"],
    );
    await responder.waitFor(/ready/);
    const out = await cli(
      ...["ping", pair.macB, pair.a, "-c", "3", "--interval", "50"],
      ...["--timeout", "5"],
    );
    assertEquals(out.code, 0, out.stderr);
    assertEquals(out.stderr.trim().split("\n"), [
      `ping: ${pair.macB} does not say how long it holds a request (an older rawframe listen --echo): times include it`,
    ]);
    const lines = out.stdout.split("\n");
    for (const seq of [1, 2, 3]) {
      assertTrue(
        new RegExp(`^60 bytes from ${pair.macB}: seq=${seq} time=[\\d.]+ ms$`)
          .test(lines[seq]),
        lines[seq],
      );
    }
    assertTrue(out.stdout.includes("3 received, 0% loss"), out.stdout);
    assertTrue(!out.stdout.includes("hold"), out.stdout);
    assertEquals((await responder.done()).code, 0);
  },
});
