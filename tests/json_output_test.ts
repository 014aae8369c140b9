/**
 * With --json, everything written is JSON: the records on stdout, and on
 * stderr the "listening" notice, notices, the summary and errors, one
 * object per line.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  cli,
  cliWithFiles,
  integration,
  jsonLines,
  startListen,
  vethPair,
} from "./helpers.ts";

/** Every non-empty line of `text` as JSON; throws on one that is not. */
function allJson(text: string): Record<string, unknown>[] {
  return jsonLines(text);
}

Deno.test({
  name:
    "listen --json: stderr is JSON too (listening, summary), stdout the records",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const listen = await startListen(
      pair.b,
      "--json",
      "-c",
      "1",
      "--type",
      "exp1",
    );
    await cli("send", pair.macB, pair.a);
    const out = await listen.done();
    assertEquals(out.code, 0, out.stderr);
    const told = allJson(out.stderr);
    assertEquals(told[0].event, "listening");
    assertEquals(told[0].iface, pair.b);
    assertEquals(told.at(-1)!.received, 1);
    assertEquals(allJson(out.stdout).length, 1);
  },
});

Deno.test("errors with --json are one JSON object with the exit code", async () => {
  const missing = await cliWithFiles("read", "/nonexistent/x.pcap", "--json");
  assertEquals(missing.code, 1);
  assertEquals(allJson(missing.stderr), [{
    error: 'reading "/nonexistent/x.pcap": no such file',
    exit: 1,
  }]);
  const usage = await cli("send", "02:00:00:00:00:0g", "lo", "--json");
  assertEquals(usage.code, 2);
  const [error] = allJson(usage.stderr);
  assertEquals(error.exit, 2);
  assertTrue(
    String(error.error).startsWith("invalid MAC address"),
    usage.stderr,
  );
});
