/**
 * `read` streams: a 1 GiB capture reads in the memory an 8 MiB one takes,
 * and `read big.pcap | head -1` ends as soon as head has its line. On a
 * terminal, reading it into a file shows how far it has got. Peak memory
 * stays under 64 MiB for any file: millions of empty records, tiny
 * pcapng packets, huge blocks that are skipped, lines, JSON or hex dumps.
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

/**
 * The flags `rawframe` runs with (deno.json's task, which README's alias
 * and `deno install` repeat): among them the cap on V8's young
 * generation, without which it grows with the volume allocated.
 */
const RAWFRAME_FLAGS: string[] = (() => {
  const config = JSON.parse(
    Deno.readTextFileSync(new URL("../deno.json", import.meta.url)),
  );
  return config.tasks.rawframe.split(" ").filter((word: string) =>
    word.startsWith("--")
  );
})();

/** Peak resident memory (KiB) and seconds of `read FILE > /dev/null`. */
async function measureRead(
  path: string,
  ...options: string[]
): Promise<[number, number]> {
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
      ...RAWFRAME_FLAGS,
      CLI_PATH,
      "read",
      path,
      ...options,
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

/** Writes `mib` MiB of `unit` after `head`, in 1 MiB writes. */
async function writeRepeated(
  path: string,
  head: Uint8Array,
  unit: Uint8Array,
  mib: number,
  tail: Uint8Array = new Uint8Array(0),
): Promise<void> {
  const units = Math.max(1, Math.floor(MIB / unit.length));
  const chunk = new Uint8Array(units * unit.length);
  for (let at = 0; at < chunk.length; at += unit.length) chunk.set(unit, at);
  using file = await Deno.open(path, { write: true, create: true });
  await file.write(head);
  for (let n = 0; n < mib * MIB; n += chunk.length) await file.write(chunk);
  await file.write(tail);
}

/** Lines, JSON and hex dumps; the skipped blocks show nothing, lines do. */
function optionsFor(name: string): string[][] {
  return name === "huge-blocks.pcapng" ? [[]] : [[], ["--json"], ["--hex"]];
}

/** KiB as whole MiB. */
const inMiB = (kib: number) => (kib / 1024).toFixed(0);

/** A little-endian pcapng block of `type` with `body` (a multiple of 4). */
function pcapngBlock(type: number, body: Uint8Array): Uint8Array {
  const block = new Uint8Array(12 + body.length);
  const view = new DataView(block.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, block.length, true);
  block.set(body, 8);
  view.setUint32(block.length - 4, block.length, true);
  return block;
}

const SHB = pcapngBlock(
  0x0a0d0d0a,
  new Uint8Array([0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, ...Array(8).fill(0xff)]),
);
const IDB = pcapngBlock(1, new Uint8Array([1, 0, 0, 0, 0, 0, 4, 0]));
/** An enhanced packet block of no bytes, on interface 0. */
const EMPTY_EPB = pcapngBlock(6, new Uint8Array(20));

Deno.test("read's peak memory does not depend on the file: pathological files take what 1 MiB of them takes", async () => {
  const dir = await Deno.makeTempDir();
  const classicEmpty = pcapRecord(new Uint8Array(0), {
    seconds: 1,
    nanoseconds: 0,
  });
  // A 16 MiB block of a kind read skips (a custom block), then a packet.
  const skipped = pcapngBlock(0x00000bad, new Uint8Array(16 * MIB - 12));
  const files: [string, Uint8Array, Uint8Array, number, Uint8Array?][] = [
    ["empty-records.pcap", pcapHeader(), classicEmpty, 96],
    ["tiny-epbs.pcapng", new Uint8Array([...SHB, ...IDB]), EMPTY_EPB, 64],
    [
      "huge-blocks.pcapng",
      new Uint8Array([...SHB, ...IDB]),
      skipped,
      256,
      EMPTY_EPB,
    ],
  ];
  try {
    const seen: string[] = [];
    for (const [name, head, unit, mib, tail] of files) {
      const path = `${dir}/${name}`;
      // The same file at 1 MiB (the huge blocks: one block) is the base:
      // Deno's own memory and the young generation V8 chooses vary by
      // some MiB from run to run and machine to machine.
      await writeRepeated(path, head, unit, 1, tail);
      const bases = new Map<string, number>();
      for (const options of optionsFor(name)) {
        bases.set(options.join(), (await measureRead(path, ...options))[0]);
      }
      await Deno.remove(path);
      await writeRepeated(path, head, unit, mib, tail);
      for (const options of optionsFor(name)) {
        const [kib, seconds] = await measureRead(path, ...options);
        const base = bases.get(options.join())!;
        seen.push(
          `${name} ${options.join(" ")}: ${inMiB(kib)} MiB in ${
            seconds.toFixed(1)
          } s (1 MiB of it: ${inMiB(base)} MiB)`,
        );
        assertTrue(
          kib - base <= 24 * 1024 && kib <= 96 * 1024,
          `${name} ${options}: ${kib} KiB, 1 MiB of it ${base} KiB`,
        );
      }
      await Deno.remove(path);
    }
    console.log(`    peak RSS: ${seen.join("; ")}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
