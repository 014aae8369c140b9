/**
 * The live status line, through a real pseudo-terminal (util-linux
 * `script`): drawn on a terminal during a series or a capture, redrawn in
 * place, cleared before the summary; never when standard error is not a
 * terminal, nor with --quiet or --json.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { CLI_PATH, integration, scapySend, vethPair } from "./helpers.ts";
import { CLEAR, onTerminal, statusLines } from "./terminal.ts";
import { buildFrame } from "../lib/frame.ts";
import { pcapHeader, pcapRecord } from "../lib/pcap.ts";

/** `cli.ts ARGS` as a shell line, with `redirect` appended. */
function cliLine(args: string, redirect = ""): string {
  return `${Deno.execPath()} run --allow-ffi --allow-read --allow-write ${CLI_PATH} ${args} ${redirect}`;
}

Deno.test({
  ...integration,
  name:
    "send: a paced series shows sent, of N, rate, elapsed and time left on a terminal, cleared before the summary",
  async fn() {
    await using pair = await vethPair();
    const shown = await onTerminal(
      cliLine(`send ${pair.macB} ${pair.a} -c 12 --interval 100`),
    );
    const drawn = statusLines(shown);
    assertTrue(drawn.length >= 2, JSON.stringify(shown));
    for (const line of drawn) {
      assertTrue(
        /^sent \d+ of 12 frames, \d+ frames\/s, 0:0\d elapsed(, 0:0\d left)?$/
          .test(line),
        line,
      );
    }
    // The last thing on the status line is its clearing; then the summary.
    const after = shown.slice(shown.lastIndexOf(CLEAR) + CLEAR.length);
    assertTrue(after.startsWith("sent 12 frames"), JSON.stringify(shown));
  },
});

Deno.test({
  ...integration,
  name: "send --from-pcap --timing original shows the frame of the total",
  async fn() {
    await using pair = await vethPair();
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    const frame = buildFrame({
      dst: pair.macB,
      src: pair.macA,
      type: 0x88b5,
      payload: "Hi",
    });
    await Deno.writeFile(
      file,
      new Uint8Array([
        ...pcapHeader(),
        ...Array.from(
          { length: 10 },
          (
            _,
            i,
          ) => [
            ...pcapRecord(frame, { seconds: 0, nanoseconds: i * 120_000_000 }),
          ],
        )
          .flat(),
      ]),
    );
    const shown = await onTerminal(
      cliLine(`send ${pair.a} --from-pcap ${file} --timing original`),
    );
    const drawn = statusLines(shown);
    assertTrue(drawn.length >= 2, JSON.stringify(shown));
    for (const line of drawn) {
      assertTrue(
        /^sent frame \d+ of 10, \d+ frames\/s, 0:0\d elapsed$/.test(line),
        line,
      );
    }
    await Deno.remove(file);
  },
});

Deno.test({
  ...integration,
  name:
    "send: no status line with --quiet, with --json, or when standard error is not the terminal",
  async fn() {
    await using pair = await vethPair();
    const series = `send ${pair.macB} ${pair.a} -c 6 --interval 100`;
    const quiet = await onTerminal(cliLine(`${series} -q`));
    assertEquals(quiet, "");
    const json = await onTerminal(cliLine(`${series} --json`));
    assertTrue(!json.includes(CLEAR), JSON.stringify(json));
    assertEquals(JSON.parse(json).sent, 6);
    const file = await Deno.makeTempFile();
    const piped = await onTerminal(cliLine(series, `2>${file}`));
    assertTrue(!piped.includes(CLEAR), JSON.stringify(piped));
    assertEquals(await Deno.readTextFile(file), "");
    await Deno.remove(file);
  },
});

Deno.test({
  ...integration,
  name:
    "listen -q and listen -w show received, dropped and rate on a terminal; not with --json",
  async fn() {
    await using pair = await vethPair();
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    for (const mode of ["-q", `-w ${file}`, "-q --json"]) {
      const listening = onTerminal(
        cliLine(`listen ${pair.b} ${mode} --timeout 1.5 --type exp1`),
      );
      for (let i = 0; i < 5; i++) {
        await scapySend(
          pair.a,
          `Ether(dst="${pair.macB}", src="${pair.macA}", type=0x88b5)/Raw(b"Hi")`,
        );
      }
      const shown = await listening;
      const drawn = statusLines(shown);
      if (mode.includes("--json")) {
        assertTrue(!shown.includes(CLEAR), `${mode}: ${JSON.stringify(shown)}`);
        continue;
      }
      assertTrue(drawn.length >= 2, `${mode}: ${JSON.stringify(shown)}`);
      for (const line of drawn) {
        assertTrue(
          /^received \d+ frames, \d+ dropped by the kernel, \d+ frames\/s, 0:0\d$/
            .test(line),
          line,
        );
      }
      assertTrue(
        shown.lastIndexOf(CLEAR) < shown.lastIndexOf(" received, "),
        `${mode}: the summary comes after the status is cleared`,
      );
      // The last redraw and the summary say the same number.
      const last = drawn.at(-1)!.match(/^received ([\d,]+) frames/)![1];
      const summary = shown.match(/(\d+) frames? received, /)![1];
      assertEquals(
        last.replaceAll(",", ""),
        summary,
        `${mode}: ${drawn.at(-1)}`,
      );
    }
    await Deno.remove(file);
  },
});
