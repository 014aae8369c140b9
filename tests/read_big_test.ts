/**
 * `read` streams: a 1 GiB capture reads in the memory an 8 MiB one takes,
 * and `read big.pcap | head -1` ends as soon as head has its line. On a
 * terminal, reading it into a file shows how far it has got.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { CLI_PATH } from "./helpers.ts";
import { onTerminal, statusLines } from "./terminal.ts";
import { pcapHeader, pcapRecord } from "../lib/pcap.ts";

const MIB = 1 << 20;

/** Writes a capture of about `mib` MiB of 1514-byte frames. */
async function writeCapture(path: string, mib: number): Promise<void> {
  const frame = new Uint8Array(1514).fill(0x78);
  frame.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xb5]);
  const record = pcapRecord(frame, { seconds: 1_700_000_000, nanoseconds: 0 });
  const chunk = new Uint8Array(Math.floor(MIB / record.length) * record.length);
  for (let at = 0; at < chunk.length; at += record.length) {
    chunk.set(record, at);
  }
  using file = await Deno.open(path, { write: true, create: true });
  await file.write(pcapHeader());
  for (let n = 0; n < mib * MIB; n += chunk.length) await file.write(chunk);
}

/** Peak resident memory (KiB) and seconds of `read FILE > /dev/null`. */
async function measureRead(path: string): Promise<[number, number]> {
  const script = "import resource, subprocess, sys, time\n" +
    "t = time.monotonic()\n" +
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n" +
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.monotonic() - t)";
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [
      "-c",
      script,
      Deno.execPath(),
      "run",
      "--allow-read",
      CLI_PATH,
      "read",
      path,
    ],
    stdout: "piped",
  }).output();
  const [code, kib, seconds] = new TextDecoder().decode(out.stdout).trim()
    .split(" ").map(Number);
  assertEquals(code, 0);
  return [kib, seconds];
}

Deno.test("read streams: a 1 GiB capture reads in the memory of an 8 MiB one, and | head -1 ends at once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeCapture(`${dir}/small.pcap`, 8);
    await writeCapture(`${dir}/big.pcap`, 1024);
    const [small] = await measureRead(`${dir}/small.pcap`);
    const [big, seconds] = await measureRead(`${dir}/big.pcap`);
    console.log(
      `peak RSS: ${(small / 1024).toFixed(0)} MiB for 8 MiB, ${
        (big / 1024).toFixed(0)
      } MiB for 1 GiB (read in ${seconds.toFixed(1)} s)`,
    );
    assertTrue(big - small < 64 * 1024, `${small} KiB, then ${big} KiB`);

    const started = performance.now();
    const head = await new Deno.Command("bash", {
      args: [
        "-c",
        `"$0" run --allow-read "$1" read "$2" | head -1; echo "exit $\{PIPESTATUS[0]}" >&2`,
        Deno.execPath(),
        CLI_PATH,
        `${dir}/big.pcap`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const headSeconds = (performance.now() - started) / 1000;
    const stdout = new TextDecoder().decode(head.stdout);
    assertEquals(stdout.split("\n").length, 2, stdout); // one line
    assertEquals(new TextDecoder().decode(head.stderr), "exit 0\n");
    // The whole file took `seconds`; head's reader ends it long before.
    assertTrue(
      headSeconds < seconds / 3,
      `| head -1 took ${headSeconds} s, the whole read ${seconds} s`,
    );

    // On a terminal, with the lines going elsewhere: bytes of the total.
    const shown = await onTerminal(
      `${Deno.execPath()} run --allow-read ${CLI_PATH} read ${dir}/big.pcap > /dev/null`,
    );
    const drawn = statusLines(shown);
    assertTrue(drawn.length >= 2, JSON.stringify(shown));
    for (const line of drawn) {
      assertTrue(
        /^read [\d.]+ [kMG]?B of 1\.1 GB \(\d+%\), 0:\d\d$/.test(line),
        line,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
