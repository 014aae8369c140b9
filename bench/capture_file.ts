/**
 * Capturing a flood to a file on a working machine: `listen -w FILE`
 * against `tcpdump -w FILE`, rounds alternating, while the disk is kept
 * busy, while memory is short (both in a memory cgroup of 128 MiB, so the
 * page cache of the file they write must be reclaimed as they write), and
 * into a FIFO whose reader stops for 300 ms every second. And what one
 * write() size costs the page cache here, the measurement behind
 * WRITE_PIECE (cli/output_protocol.ts).
 *
 * Run alone: `deno run -A tests/netns.ts deno run -A bench/capture_file.ts
 * [rounds]` (as root); `deno task bench` runs it too.
 *
 * @module
 */

import {
  DENO,
  fmt,
  makeBenchLink,
  median,
  must,
  progress,
  RAWFRAME_FLAGS,
  RECEIVER,
  ROOT,
  row,
  run,
  trafgenConfig,
} from "./tools.ts";
import { captureFlood, type CaptureRun } from "./capture.ts";

const FRAMES = Number(Deno.env.get("BENCH_FILE_FRAMES") ?? 3_000_000);
const CGROUP = "/sys/fs/cgroup/memory/rawframe-bench";

/** A condition the captures run under: started before, stopped after. */
interface Condition {
  name: string;
  /** Wraps a capture's command line (a cgroup, say). */
  wrap?: (command: string, args: string[]) => [string, string[]];
  /** Where both tools write. */
  target?: () => Promise<{ path: string; stop(): Promise<void> }>;
  start?: () => Promise<() => Promise<void>>;
}

/** Loops `command` in the background until stopped. */
function loop(command: string): () => Promise<void> {
  const child = new Deno.Command("sh", {
    args: ["-c", `while :; do ${command}; done`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  return async () => {
    await run("pkill", ["-P", String(child.pid)]);
    child.kill("SIGKILL");
    await child.status;
  };
}

const CONDITIONS: Condition[] = [
  { name: "nothing else running" },
  {
    name: "disk kept busy (direct and buffered dd writers)",
    start: () => {
      const direct = loop(
        "dd if=/dev/zero of=/tmp/rawframe-busy1 bs=1M count=512 oflag=direct",
      );
      const buffered = loop(
        "dd if=/dev/zero of=/tmp/rawframe-busy2 bs=1M count=2048 conv=fdatasync",
      );
      return Promise.resolve(async () => {
        await direct();
        await buffered();
        await run("rm", ["-f", "/tmp/rawframe-busy1", "/tmp/rawframe-busy2"]);
      });
    },
  },
  {
    name: "memory short (a 128 MiB memory cgroup)",
    start: async () => {
      await Deno.mkdir(CGROUP, { recursive: true });
      await Deno.writeTextFile(`${CGROUP}/memory.limit_in_bytes`, "128M");
      return () => Deno.remove(CGROUP);
    },
    wrap: (command, args) => [
      "sh",
      [
        "-c",
        `echo $$ > ${CGROUP}/cgroup.procs && exec "$@"`,
        "sh",
        command,
        ...args,
      ],
    ],
  },
  {
    name: "a FIFO whose reader stops 300 ms every second",
    target: async () => {
      const fifo = "/tmp/rawframe-bench.fifo";
      await run("rm", ["-f", fifo]);
      await must("mkfifo", [fifo]);
      const reader = new Deno.Command("sh", {
        args: ["-c", `cat ${fifo} > /tmp/rawframe-bench-fifo.pcap`],
      }).spawn();
      const pauser = loop(
        `sleep 0.7; pkill -STOP -P ${reader.pid}; sleep 0.3; pkill -CONT -P ${reader.pid}`,
      );
      return {
        path: fifo,
        async stop() {
          await pauser();
          await run("pkill", ["-CONT", "-P", String(reader.pid)]);
          await reader.status;
        },
      };
    },
  },
];

/** One capture by `tool` under `condition`, into its file or the FIFO. */
async function capture(
  tool: "tcpdump" | "rawframe",
  condition: Condition,
  config: string,
): Promise<CaptureRun> {
  const target = await condition.target?.();
  const path = target?.path ?? `/tmp/${tool}-bench.pcap`;
  const [command, args]: [string, string[]] = tool === "tcpdump"
    ? ["tcpdump", [
      "-i",
      RECEIVER,
      "-Z",
      "root",
      "-w",
      path,
      "ether proto 0x88b5",
    ]]
    : [DENO, [
      "run",
      ...RAWFRAME_FLAGS,
      `${ROOT}cli.ts`,
      "listen",
      RECEIVER,
      "--type",
      "exp1",
      "-w",
      path,
    ]];
  const [wrapped, wrappedArgs] = condition.wrap?.(command, args) ??
    [command, args];
  try {
    return await captureFlood(wrapped, wrappedArgs, config, FRAMES);
  } finally {
    await target?.stop();
  }
}

/** The captures under one condition, by tool. */
export interface ConditionRuns {
  condition: string;
  runs: Record<string, CaptureRun[]>;
}

/** Captures under every condition, `rounds` alternating rounds each. */
export async function measureCaptureFile(
  config: string,
  rounds: number,
): Promise<ConditionRuns[]> {
  const results: ConditionRuns[] = [];
  for (const condition of CONDITIONS) {
    const stop = await condition.start?.();
    const runs: Record<string, CaptureRun[]> = { tcpdump: [], rawframe: [] };
    try {
      for (let round = 0; round < rounds; round++) {
        for (const tool of ["tcpdump", "rawframe"] as const) {
          progress(
            `${condition.name}: ${tool}, round ${round + 1} of ${rounds}`,
          );
          runs[tool].push(await capture(tool, condition, config));
        }
      }
    } finally {
      await stop?.();
    }
    results.push({ condition: condition.name, runs });
  }
  return results;
}

/** The table of {@linkcode measureCaptureFile}. */
export function printCaptureFile(results: ConditionRuns[]): void {
  console.log(row([
    `capture of ${fmt(FRAMES)} frames to a file, while ...`,
    "rawframe kept, fewest (most dropped)",
    "CPU s",
    "tcpdump kept, fewest (most dropped)",
    "CPU s",
    "CPU ratio",
  ]));
  console.log(row(["---", "---:", "---:", "---:", "---:", "---:"]));
  for (const { condition, runs } of results) {
    const kept = (r: CaptureRun[]) =>
      `${fmt(Math.min(...r.map((x) => x.received)))} (${
        fmt(Math.max(...r.map((x) => x.dropped)))
      })`;
    const cpu = (r: CaptureRun[]) => median(r.map((x) => x.cpu));
    console.log(row([
      condition,
      kept(runs.rawframe),
      cpu(runs.rawframe).toFixed(2),
      kept(runs.tcpdump),
      cpu(runs.tcpdump).toFixed(2),
      (cpu(runs.rawframe) / cpu(runs.tcpdump)).toFixed(2),
    ]));
  }
}

/** System seconds of writing 228 MB in `size`-byte writes, after a pause. */
async function writeCost(size: number): Promise<number> {
  const script = `const b = new Uint8Array(${size}).fill(90);
const f = Deno.openSync("/tmp/rawframe-writes.bin", { write: true, create: true, truncate: true });
for (let n = 0; n < 228 * 1048576; n += b.length) { let p = b; while (p.length) p = p.subarray(f.writeSync(p)); }
f.close();`;
  // Memory freed a while ago is what the page cache takes fresh pages from.
  await new Promise((r) => setTimeout(r, 3000));
  const out = await must("/usr/bin/time", [
    "-f",
    "%S",
    DENO,
    "eval",
    script,
  ]);
  await Deno.remove("/tmp/rawframe-writes.bin");
  return Number(out.stderr.trim().split("\n").at(-1));
}

/** System seconds per write size, `rounds` rounds alternating. */
export async function measureWriteSizes(
  rounds: number,
): Promise<Record<number, number[]>> {
  const sizes = [4096, 65536, 1 << 20];
  const seconds: Record<number, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const size of sizes) {
      progress(`write size ${size}, round ${round + 1} of ${rounds}`);
      (seconds[size] ??= []).push(await writeCost(size));
    }
  }
  return seconds;
}

/** The table of {@linkcode measureWriteSizes}. */
export function printWriteSizes(seconds: Record<number, number[]>): void {
  console.log(
    row([
      "writing 228 MB to a file (ext4), per write() call",
      "system s, median",
      "all rounds",
    ]),
  );
  console.log(row(["---", "---:", "---:"]));
  for (const [size, runs] of Object.entries(seconds)) {
    console.log(
      row([
        `${fmt(Number(size))} bytes`,
        median(runs).toFixed(2),
        runs.join(", "),
      ]),
    );
  }
}

if (import.meta.main) {
  if (Deno.env.get("RAWFRAME_NETNS") !== "1") {
    console.error(
      "error: run it inside a private namespace: deno run -A tests/netns.ts deno run -A bench/capture_file.ts",
    );
    Deno.exit(1);
  }
  const rounds = Number(Deno.args[0] ?? 3);
  await makeBenchLink();
  const config = await trafgenConfig();
  if (!Deno.env.get("BENCH_SKIP_WRITES")) {
    printWriteSizes(await measureWriteSizes(rounds));
    console.log();
  }
  printCaptureFile(await measureCaptureFile(config, rounds));
}
