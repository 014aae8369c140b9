/**
 * `deno task bench`: rawframe against the C tools, side by side in one run,
 * inside a private network namespace with one veth pair (bench0 → bench1).
 *
 * - send flood: `rawframe send --count N` vs trafgen (netsniff-ng)
 * - per-frame API: `sock.send()` in a loop (bench/send_loop.ts) vs a plain
 *   C send() loop (bench/send.c, built here with cc)
 * - capture of a trafgen flood: `rawframe listen -q` (counting) and
 *   `rawframe listen -w FILE` vs `tcpdump -w /dev/null` and `tcpdump -w FILE`,
 *   frames and kernel drops for each
 * - peak RSS of each rawframe run, and its growth from a 1 M to a 10 M
 *   frame run
 * - start-up of a one-frame `rawframe send` against an empty script and a
 *   bare packet socket (bench/startup.ts)
 *
 * Each pair runs in alternating rounds; the table shows medians and the
 * ratio rawframe / reference. It needs root (trafgen and tcpdump capture
 * only there) and Debian's netsniff-ng, tcpdump, gcc and time packages;
 * it installs nothing.
 *
 * @module
 */

import { measureStartup, printStartup } from "./startup.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = `${ROOT}cli.ts`;
const DENO = Deno.execPath();
const FLOOD = Number(Deno.env.get("BENCH_FRAMES") ?? 2_000_000);
const RSS_FRAMES = Number(Deno.env.get("BENCH_RSS_FRAMES") ?? 10_000_000);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 3);
const decoder = new TextDecoder();

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(command: string, args: string[]): Promise<Output> {
  const out = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

async function must(command: string, args: string[]): Promise<Output> {
  const out = await run(command, args);
  if (out.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed: ${out.stderr}`);
  }
  return out;
}

/** Runs a command under /usr/bin/time; returns its output and peak RSS (KiB). */
async function measured(
  command: string,
  args: string[],
): Promise<Output & { rssKiB: number }> {
  const file = await Deno.makeTempFile();
  const out = await must("/usr/bin/time", [
    "-f",
    "%M",
    "-o",
    file,
    command,
    ...args,
  ]);
  const rssKiB = Number(
    (await Deno.readTextFile(file)).trim().split("\n").at(-1),
  );
  await Deno.remove(file);
  return { ...out, rssKiB };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function preflight(): void {
  if (Deno.env.get("RAWFRAME_NETNS") !== "1") {
    console.error(
      "error: run the benchmark through `deno task bench` (it needs a private network namespace)",
    );
    Deno.exit(1);
  }
  if (Deno.env.get("RAWFRAME_NETNS_USERNS") === "1") {
    console.error(
      "error: the benchmark needs root: trafgen and tcpdump cannot run in a user namespace (sudo deno task bench)",
    );
    Deno.exit(1);
  }
  const tools: [string, string][] = [
    ["/usr/sbin/trafgen", "netsniff-ng"],
    ["/usr/bin/tcpdump", "tcpdump"],
    ["/usr/bin/cc", "gcc"],
    ["/usr/bin/time", "time"],
  ];
  for (const [path, pkg] of tools) {
    try {
      Deno.statSync(path);
    } catch {
      console.error(
        `error: the benchmark needs ${path}: apt-get install ${pkg}`,
      );
      Deno.exit(1);
    }
  }
}

const FRAME_HEX = "ffffffffffff" + "020000000001" + "88b5" +
  "4869".padEnd(92, "0");

/** A trafgen config sending our 60-byte frame. */
async function trafgenConfig(): Promise<string> {
  const bytes = FRAME_HEX.match(/../g)!.map((b) => `0x${b}`).join(", ");
  const file = await Deno.makeTempFile({ suffix: ".cfg" });
  await Deno.writeTextFile(file, `{ ${bytes} }\n`);
  return file;
}

/** trafgen's own account: "N sec, M usec on CPU0 (K packets)". */
function trafgenRate(out: Output): number {
  const m = (out.stdout + out.stderr).match(
    /(\d+) sec,\s+(\d+) usec on CPU\d+ \((\d+) packets\)/,
  );
  if (!m) {
    throw new Error(`unexpected trafgen output: ${out.stdout}${out.stderr}`);
  }
  return Number(m[3]) / (Number(m[1]) + Number(m[2]) / 1e6);
}

async function trafgen(config: string, frames: number): Promise<number> {
  const out = await must("trafgen", [
    "--dev",
    "bench0",
    "--conf",
    config,
    "--num",
    String(frames),
    "--cpus",
    "1",
  ]);
  return trafgenRate(out);
}

async function rawframeFlood(
  frames: number,
): Promise<{ pps: number; rssKiB: number }> {
  const out = await measured(DENO, [
    ...["run", "--allow-ffi", CLI, "send", "ff:ff:ff:ff:ff:ff", "bench0"],
    ...["--count", String(frames), "--json"],
  ]);
  return { pps: JSON.parse(out.stdout).pps, rssKiB: out.rssKiB };
}

/** A capture running while trafgen floods; returns frames seen and drops. */
async function captureFlood(
  name: string,
  command: string,
  args: string[],
  config: string,
  frames: number,
): Promise<
  {
    name: string;
    pps: number;
    received: number;
    dropped: number;
    rssKiB?: number;
  }
> {
  const rssFile = await Deno.makeTempFile();
  const child = new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M", "-o", rssFile, command, ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const reader = (async () => {
    for await (const chunk of child.stderr) stderr += decoder.decode(chunk);
  })();
  const deadline = Date.now() + 10_000;
  while (!/listening on/.test(stderr)) {
    if (Date.now() > deadline) {
      throw new Error(`${name} did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const floodPps = await trafgen(config, frames);
  await new Promise((r) => setTimeout(r, 500));
  // Ctrl-C the capture itself: /usr/bin/time ignores SIGINT while it waits.
  const children = await Deno.readTextFile(
    `/proc/${child.pid}/task/${child.pid}/children`,
  );
  for (const pid of children.trim().split(/\s+/).filter((p) => p !== "")) {
    Deno.kill(Number(pid), "SIGINT");
  }
  await child.status;
  await reader;
  const rss = Number(
    (await Deno.readTextFile(rssFile)).trim().split("\n").at(-1),
  );
  await Deno.remove(rssFile);
  let received: number;
  let dropped: number;
  const json = stderr.match(/^\{.*"received".*\}$/m);
  if (json) {
    ({ received, dropped } = JSON.parse(json[0]));
  } else {
    const captured = stderr.match(/(\d+) packets? captured/);
    const kernel = stderr.match(/(\d+) packets? dropped by kernel/);
    if (!captured || !kernel) {
      throw new Error(`${name}: no summary in ${stderr}`);
    }
    received = Number(captured[1]);
    dropped = Number(kernel[1]);
  }
  // Frames captured per second of flood: the flood's rate times the share
  // of it that was captured.
  const pps = floodPps * (received / frames);
  return {
    name,
    pps,
    received,
    dropped,
    ...(command === DENO ? { rssKiB: rss } : {}),
  };
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

preflight();
await must("ip", [
  "link",
  "add",
  "name",
  "bench0",
  "type",
  "veth",
  "peer",
  "name",
  "bench1",
]);
await must("ip", ["link", "set", "bench0", "up"]);
await must("ip", ["link", "set", "bench1", "up"]);
const dir = await Deno.makeTempDir();
await must("cc", ["-O2", "-o", `${dir}/send`, `${ROOT}bench/send.c`]);
const config = await trafgenConfig();
const cpu =
  (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)
    ?.[1] ?? "unknown CPU";
const kernel = (await must("uname", ["-r"])).stdout.trim();
console.log(
  `rawframe benchmark: ${navigator.hardwareConcurrency} × ${cpu}, Linux ${kernel}, Deno ${Deno.version.deno}`,
);
console.log(
  `one veth pair in a private namespace, 60-byte frames, ${
    fmt(FLOOD)
  } frames per run, median of ${ROUNDS} alternating rounds\n`,
);

function progress(what: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`  ${what}...\n`));
}

// 1. Floods and per-frame loops, alternating so drift hits both alike.
const flood = {
  ours: [] as number[],
  trafgen: [] as number[],
  rss: [] as number[],
};
const loop = { ours: [] as number[], c: [] as number[] };
const paths: Record<string, number>[] = [];
for (let round = 0; round < ROUNDS; round++) {
  progress(`round ${round + 1}: send flood, per-frame loop`);
  const ours = await rawframeFlood(FLOOD);
  flood.ours.push(ours.pps);
  flood.rss.push(ours.rssKiB);
  flood.trafgen.push(await trafgen(config, FLOOD));
  loop.ours.push(
    Number(
      (await must(DENO, [
        "run",
        "--allow-ffi",
        `${ROOT}bench/send_loop.ts`,
        "bench0",
        String(FLOOD),
      ])).stdout,
    ),
  );
  loop.c.push(
    Number((await must(`${dir}/send`, ["bench0", String(FLOOD)])).stdout),
  );
  const bulk = await must(DENO, [
    ...["run", "--allow-ffi", `${ROOT}bench/send_paths.ts`],
    ...["bench0", String(FLOOD)],
  ]);
  paths.push(JSON.parse(bulk.stdout));
}

// 2. Captures of the same trafgen flood.
const capturePath = `${dir}/capture.pcap`;
const captures: Awaited<ReturnType<typeof captureFlood>>[][] = [[], [], [], []];
for (let round = 0; round < ROUNDS; round++) {
  progress(`round ${round + 1}: captures`);
  captures[0].push(
    await captureFlood(
      "rawframe listen -q",
      DENO,
      ["run", "--allow-ffi", CLI, "listen", "bench1", "-q", "--json"],
      config,
      FLOOD,
    ),
  );
  captures[1].push(
    await captureFlood(
      "tcpdump -w /dev/null",
      "tcpdump",
      ["-i", "bench1", "-w", "/dev/null"],
      config,
      FLOOD,
    ),
  );
  captures[2].push(
    await captureFlood(
      "rawframe listen -w FILE",
      DENO,
      [
        "run",
        "--allow-ffi",
        "--allow-write",
        CLI,
        "listen",
        "bench1",
        "-w",
        capturePath,
        "--json",
      ],
      config,
      FLOOD,
    ),
  );
  captures[3].push(
    await captureFlood(
      "tcpdump -w FILE",
      "tcpdump",
      ["-Z", "root", "-i", "bench1", "-w", capturePath],
      config,
      FLOOD,
    ),
  );
}

// 3. Memory over a long run: peak RSS after 1 M and after 10 M frames.
progress("memory over long runs");
const short = await rawframeFlood(1_000_000);
const long = await rawframeFlood(RSS_FRAMES);
const shortCapture = await captureFlood(
  "rawframe listen -q",
  DENO,
  ["run", "--allow-ffi", CLI, "listen", "bench1", "-q", "--json"],
  config,
  1_000_000,
);
const longCapture = await captureFlood(
  "rawframe listen -q",
  DENO,
  ["run", "--allow-ffi", CLI, "listen", "bench1", "-q", "--json"],
  config,
  RSS_FRAMES,
);

console.log(row(["what", "rawframe", "reference", "ratio"]));
console.log(row(["---", "---:", "---:", "---:"]));
const fo = median(flood.ours);
const ft = median(flood.trafgen);
console.log(
  row([
    "send flood (frames/s) vs trafgen",
    fmt(fo),
    fmt(ft),
    (fo / ft).toFixed(2),
  ]),
);
const lo = median(loop.ours);
const lc = median(loop.c);
console.log(
  row([
    "per-frame `sock.send()` loop vs C `send()` loop (frames/s)",
    fmt(lo),
    fmt(lc),
    (lo / lc).toFixed(2),
  ]),
);
for (const path of ["txRing", "txRing+bypass"]) {
  const ring = median(paths.map((p) => p[path]));
  const mmsg = median(paths.map((p) => p.sendmmsg));
  console.log(row([
    `library sendMany() via ${path} vs via sendmmsg (frames/s)`,
    fmt(ring),
    fmt(mmsg),
    (ring / mmsg).toFixed(2),
  ]));
}
const pick = (
  i: number,
): { pps: number; received: number; dropped: number; rssKiB?: number } => {
  const runs = captures[i];
  const pps = median(runs.map((r) => r.pps));
  return runs.find((r) => r.pps === pps)!;
};
for (
  const [ours, theirs, label] of [[0, 1, "count"], [
    2,
    3,
    "write pcap",
  ]] as const
) {
  const a = pick(ours);
  const b = pick(theirs);
  console.log(row([
    `capture, ${label} (frames/s; drops) vs tcpdump`,
    `${fmt(a.pps)}; ${fmt(a.dropped)} dropped`,
    `${fmt(b.pps)}; ${fmt(b.dropped)} dropped`,
    (a.pps / b.pps).toFixed(2),
  ]));
}
console.log();
console.log(row(["rawframe run", "peak RSS"]));
console.log(row(["---", "---:"]));
console.log(
  row([
    `send flood, ${fmt(FLOOD)} frames`,
    `${(median(flood.rss) / 1024).toFixed(1)} MiB`,
  ]),
);
console.log(
  row([
    `capture -q, ${fmt(FLOOD)} frames`,
    `${(pick(0).rssKiB! / 1024).toFixed(1)} MiB`,
  ]),
);
console.log(
  row([
    `capture -w, ${fmt(FLOOD)} frames`,
    `${(pick(2).rssKiB! / 1024).toFixed(1)} MiB`,
  ]),
);
console.log(row([
  `send flood: growth from 1 M to ${fmt(RSS_FRAMES)} frames`,
  `${((long.rssKiB - short.rssKiB) / 1024).toFixed(1)} MiB`,
]));
console.log(row([
  `capture: growth from 1 M to ${fmt(RSS_FRAMES)} frames (${
    fmt(longCapture.received)
  } seen, ${fmt(longCapture.dropped)} dropped)`,
  `${((longCapture.rssKiB! - shortCapture.rssKiB!) / 1024).toFixed(1)} MiB`,
]));
progress("start-up");
console.log();
printStartup(await measureStartup("bench0", 21));
await Deno.remove(dir, { recursive: true });
await Deno.remove(config);
