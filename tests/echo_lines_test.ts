/**
 * What a responder shows: `listen --echo` prints each request it answers,
 * decoded, and under it the reply it sent, with the sequence, the
 * pinger's identifier and the hold time, in ping's words; `ping -s`
 * sends the payload size asked for, and the reply is the same size.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  cli,
  integration,
  jsonLines,
  startListen,
  vethPair,
} from "./helpers.ts";

Deno.test({
  name:
    "listen --echo shows each request and the reply it sent (seq, id, hold); ping -s 200 sends 214-byte frames",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const responder = await startListen(pair.b, "--echo", "-c", "2");
    const out = await cli(
      "ping",
      pair.macB,
      pair.a,
      ...["-c", "2", "--interval", "100", "-s", "200"],
    );
    assertEquals(out.code, 0, out.stderr);
    const replies = out.stdout.split("\n").filter((l) =>
      l.includes("bytes from")
    );
    assertEquals(replies.length, 2, out.stdout);
    for (const line of replies) {
      assertTrue(line.startsWith("214 bytes from"), line);
    }
    const shown = (await responder.done()).stdout.trim().split("\n");
    assertEquals(shown.length, 4, shown.join("\n"));
    for (const [i, seq] of [[0, 1], [2, 2]]) {
      const request = new RegExp(
        `^[\\d:.]+ ${pair.b} in  ${pair.macA} > ${pair.macB}, 0x88b5 \\(exp1\\), length 214: rawframe echo request, id (\\d+), seq=${seq}$`,
      ).exec(shown[i]);
      assertTrue(request !== null, shown[i]);
      const reply = new RegExp(
        `^[\\d:.]+ ${pair.b} out ${pair.macB} > ${pair.macA}, 0x88b5 \\(exp1\\), length 214: rawframe echo reply, id ${
          request![1]
        }, seq=${seq}, hold=\\d+\\.\\d{3} ms$`,
      );
      assertTrue(
        reply.test(shown[i + 1]),
        `${shown[i + 1]} !~ ${reply} (request: ${shown[i]})`,
      );
    }
  },
});

Deno.test({
  name: "listen --echo --json: the reply is a record too, with its hold time",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const responder = await startListen(pair.b, "--echo", "--json", "-c", "1");
    const out = await cli("ping", pair.macB, pair.a, "-c", "1");
    assertEquals(out.code, 0, out.stderr);
    const records = jsonLines((await responder.done()).stdout);
    assertEquals(records.map((r) => [r.direction, r.layers[0].kind]), [
      ["in", "request"],
      ["out", "reply"],
    ]);
    assertTrue(records[1].layers[0].hold_ms >= 0, JSON.stringify(records[1]));
  },
});
