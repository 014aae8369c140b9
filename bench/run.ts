/**
 * `deno task bench`: rawframe against the C tools, side by side in one run,
 * inside a private network namespace with one veth pair (bench0 → bench1).
 *
 * - senders, whole processes: a `rawframe send --count N` flood against a
 *   C sendmmsg() loop in batches of 64 (bench/send.c) and trafgen; the
 *   per-frame `sock.send()` loop against a C send() loop; the library's
 *   TX ring paths against its sendmmsg path
 * - captures of the same trafgen flood: `listen --type exp1 -w FILE`
 *   against `tcpdump -w FILE`, and `listen -q` and `listen --json` (to
 *   /dev/null) against `tcpdump -w /dev/null`, and `listen` printing lines
 *   against `tcpdump -n -e` (both to /dev/null): frames kept, frames the
 *   kernel dropped, and CPU seconds (user + system) of each capturer
 * - the same captures over long floods (BENCH_LONG_FRAMES, 10,000,000):
 *   does rawframe keep every frame whenever tcpdump does?
 * - capture files as dumpcap writes them: `listen -w FILE.pcapng`
 *   against `-w FILE.pcap`, and `listen -i a -i b` against two tcpdumps
 *   while two floods run at once (bench/capture_formats.ts)
 * - peak RSS, and its growth from a 1 M to a long run
 * - decoding a file: `read` lines against `tcpdump -n -e -r`, `read --json`
 *   against `tshark -T ek` (bench/decode.ts)
 * - start-up of a one-frame send (bench/startup.ts)
 * - layer-2 ping against iputils ping on the same path between two
 *   namespaces: the ratio of their average times (bench/ping.ts)
 * - the same measures per runtime: Deno, Bun, the single binary and Node
 *   side by side (bench/runtimes.ts)
 *
 * BENCH_ONLY=captures,decode runs only the sections named. Rounds
 * alternate rawframe and its reference; tables show medians (and
 * the worst drops). It needs root (trafgen and tcpdump capture only there)
 * and Debian's netsniff-ng, tcpdump, gcc, time and iputils-ping; it
 * installs nothing.
 *
 * @module
 */

import {
  CLI,
  DENO,
  fmt,
  makeBenchLink,
  measured,
  median,
  must,
  progress,
  RAWFRAME_FLAGS,
  RECEIVER,
  ROOT,
  row,
  SENDER,
  trafgen,
  trafgenConfig,
} from "./tools.ts";
import { captureFlood, captureIdle, type CaptureRun } from "./capture.ts";
import {
  measureCaptureFile,
  measureWriteSizes,
  printCaptureFile,
  printWriteSizes,
} from "./capture_file.ts";
import { measureStartup, printStartup } from "./startup.ts";
import { measurePing, printPing } from "./ping.ts";
import { measureDecode, printDecode } from "./decode.ts";
import { measureRuntimes, printRuntimes } from "./runtimes.ts";
import { measureFormats, printFormats } from "./capture_formats.ts";

const FLOOD = Number(Deno.env.get("BENCH_FRAMES") ?? 2_000_000);
const LONG = Number(Deno.env.get("BENCH_LONG_FRAMES") ?? 10_000_000);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 3);

function preflight(): void {
  const problem = Deno.env.get("RAWFRAME_NETNS") !== "1"
    ? "run the benchmark through `deno task bench` (it needs a private network namespace)"
    : Deno.env.get("RAWFRAME_NETNS_USERNS") === "1"
    ? "the benchmark needs root: trafgen and tcpdump cannot run in a user namespace (sudo deno task bench)"
    : [
      ["/usr/sbin/trafgen", "netsniff-ng"],
      ["/usr/bin/tcpdump", "tcpdump"],
      ["/usr/bin/tshark", "tshark"],
      [
        "/usr/bin/cc",
        "gcc",
      ],
      ["/usr/bin/time", "time"],
      ["/usr/bin/ping", "iputils-ping"],
    ].map((
      [path, pkg],
    ) => {
      try {
        Deno.statSync(path);
        return "";
      } catch {
        return `the benchmark needs ${path}: apt-get install ${pkg}`;
      }
    }).find((p) => p !== "");
  if (problem) {
    console.error(`error: ${problem}`);
    Deno.exit(1);
  }
}

/** The senders, each a whole process, rounds alternating. */
async function senders(csend: string, config: string) {
  const flood = {
    ours: [] as number[],
    mmsg: [] as number[],
    trafgen: [] as number[],
  };
  const loop = { ours: [] as number[], c: [] as number[] };
  const paths: Record<string, number>[] = [];
  const perSecond = (seconds: number): number => FLOOD / seconds;
  for (let round = 0; round < ROUNDS; round++) {
    progress(`round ${round + 1} of ${ROUNDS}: senders`);
    flood.ours.push(perSecond(
      (await measured(DENO, [
        ...["run", "--allow-ffi", CLI, "send", "ff:ff:ff:ff:ff:ff", SENDER],
        ...["--count", String(FLOOD), "-q"],
      ])).seconds,
    ));
    flood.mmsg.push(
      perSecond(
        (await measured(csend, [SENDER, String(FLOOD), "mmsg"])).seconds,
      ),
    );
    flood.trafgen.push(perSecond(
      (await measured("trafgen", [
        ...["--dev", SENDER, "--conf", config, "--num", String(FLOOD)],
        ...["--cpus", "1"],
      ])).seconds,
    ));
    loop.ours.push(Number(
      (await must(DENO, [
        ...["run", "--allow-ffi", `${ROOT}bench/send_loop.ts`, SENDER],
        String(FLOOD),
      ])).stdout,
    ));
    loop.c.push(Number((await must(csend, [SENDER, String(FLOOD)])).stdout));
    paths.push(JSON.parse(
      (await must(DENO, [
        ...["run", "--allow-ffi", `${ROOT}bench/send_paths.ts`, SENDER],
        String(FLOOD),
      ])).stdout,
    ));
  }
  return { flood, loop, paths };
}

/** rawframe's captures and tcpdump's, side by side. */
const CAPTURES = {
  "-w FILE": {
    ours: ["--type", "exp1", "-w", "/tmp/rawframe-bench.pcap"],
    theirs: [
      "-Z",
      "root",
      "-w",
      "/tmp/tcpdump-bench.pcap",
      "ether proto 0x88b5",
    ],
    reference: "tcpdump -w FILE",
  },
  // The same ring on both sides: tcpdump's default is 2 MiB, ours 32 MiB,
  // and the kernel allocates (and zeroes) the whole ring as it opens.
  "-w FILE, both with a 32 MiB ring": {
    ours: ["--type", "exp1", "-w", "/tmp/rawframe-bench.pcap"],
    theirs: [
      ...["-B", "32768", "-Z", "root"],
      ...["-w", "/tmp/tcpdump-bench.pcap", "ether proto 0x88b5"],
    ],
    reference: "tcpdump -B 32768 -w FILE",
  },
  "-q": {
    ours: ["-q"],
    theirs: ["-w", "/dev/null"],
    reference: "tcpdump -w /dev/null",
  },
  "--json >/dev/null": {
    ours: ["--json"],
    theirs: ["-w", "/dev/null"],
    reference: "tcpdump -w /dev/null",
  },
  "(lines) >/dev/null": {
    ours: [],
    theirs: ["-n", "-e"],
    reference: "tcpdump -n -e >/dev/null",
  },
} as const;
type Mode = keyof typeof CAPTURES;

/** One capture by each tool, of `frames` frames. */
async function capturePair(mode: Mode, config: string, frames: number) {
  const { ours, theirs } = CAPTURES[mode];
  const tcpdump = await captureFlood(
    "tcpdump",
    ["-i", RECEIVER, ...theirs],
    config,
    frames,
  );
  const rawframe = await captureFlood(
    DENO,
    [
      ...["run", ...RAWFRAME_FLAGS, CLI, "listen", RECEIVER],
      ...ours,
    ],
    config,
    frames,
  );
  return { rawframe, tcpdump };
}

type Runs =
  & Record<Mode, { rawframe: CaptureRun[]; tcpdump: CaptureRun[] }>
  & { idle: { rawframe: CaptureRun[]; tcpdump: CaptureRun[] } };

async function captures(config: string): Promise<Runs> {
  const runs = Object.fromEntries(
    [...Object.keys(CAPTURES), "idle"].map((
      mode,
    ) => [mode, { rawframe: [], tcpdump: [] }]),
  ) as unknown as Runs;
  for (let round = 0; round < ROUNDS; round++) {
    progress(`round ${round + 1} of ${ROUNDS}: -w FILE with nothing sent`);
    const { ours, theirs } = CAPTURES["-w FILE"];
    runs.idle.tcpdump.push(
      await captureIdle("tcpdump", ["-i", RECEIVER, ...theirs]),
    );
    runs.idle.rawframe.push(
      await captureIdle(DENO, [
        ...["run", ...RAWFRAME_FLAGS, CLI, "listen", RECEIVER],
        ...ours,
      ]),
    );
    for (const mode of Object.keys(CAPTURES) as Mode[]) {
      progress(`round ${round + 1} of ${ROUNDS}: capture ${mode}`);
      const { rawframe, tcpdump } = await capturePair(mode, config, FLOOD);
      runs[mode].rawframe.push(rawframe);
      runs[mode].tcpdump.push(tcpdump);
    }
  }
  return runs;
}

/** "kept (dropped)": the fewest kept and the most dropped over runs. */
function kept(runs: CaptureRun[]): string {
  const fewest = Math.min(...runs.map((r) => r.received));
  const most = Math.max(...runs.map((r) => r.dropped));
  return `${fmt(fewest)} (${fmt(most)} dropped)`;
}

function printSenders(s: Awaited<ReturnType<typeof senders>>): void {
  console.log(row(["sender (frames/s)", "rawframe", "reference", "ratio"]));
  console.log(row(["---", "---:", "---:", "---:"]));
  const ratio = (a: number[], b: number[]): string[] => [
    fmt(median(a)),
    fmt(median(b)),
    (median(a) / median(b)).toFixed(2),
  ];
  console.log(row([
    "`send --count N` flood vs C sendmmsg loop, batches of 64 (whole processes)",
    ...ratio(s.flood.ours, s.flood.mmsg),
  ]));
  console.log(row([
    "`send --count N` flood vs trafgen (whole processes)",
    ...ratio(s.flood.ours, s.flood.trafgen),
  ]));
  console.log(row([
    "per-frame `sock.send()` loop vs C `send()` loop",
    ...ratio(s.loop.ours, s.loop.c),
  ]));
  for (const path of ["txRing", "txRing+bypass"]) {
    console.log(row([
      `library sendMany() via ${path} vs via sendmmsg`,
      ...ratio(s.paths.map((p) => p[path]), s.paths.map((p) => p.sendmmsg)),
    ]));
  }
}

function printCaptures(runs: Runs): void {
  console.log(row([
    `capture of ${fmt(FLOOD)} frames`,
    "rawframe kept",
    "CPU s",
    "reference kept",
    "CPU s",
    "CPU ratio",
  ]));
  console.log(row(["---", "---:", "---:", "---:", "---:", "---:"]));
  for (const mode of Object.keys(CAPTURES) as Mode[]) {
    const { rawframe, tcpdump } = runs[mode];
    const ours = median(rawframe.map((r) => r.cpu));
    const theirs = median(tcpdump.map((r) => r.cpu));
    console.log(row([
      `\`listen ${mode}\` vs \`${CAPTURES[mode].reference}\``,
      kept(rawframe),
      ours.toFixed(2),
      kept(tcpdump),
      theirs.toFixed(2),
      (ours / theirs).toFixed(2),
    ]));
  }
  // What starting and stopping cost (a Deno runtime and the writer's
  // thread against a C program), taken off: the cost of the frames.
  const cpu = (r: CaptureRun[]) => median(r.map((x) => x.cpu));
  const ours = cpu(runs["-w FILE"].rawframe) - cpu(runs.idle.rawframe);
  const theirs = cpu(runs["-w FILE"].tcpdump) - cpu(runs.idle.tcpdump);
  console.log(row([
    `\`listen -w FILE\` vs \`tcpdump -w FILE\`, an idle capture's CPU (${
      cpu(runs.idle.rawframe).toFixed(2)
    } s, ${cpu(runs.idle.tcpdump).toFixed(2)} s) taken off`,
    "",
    ours.toFixed(2),
    "",
    theirs.toFixed(2),
    (ours / theirs).toFixed(2),
  ]));
  const rate = median(runs["-q"].tcpdump.map((r) => r.floodPps));
  console.log(
    `\n(trafgen sent at about ${fmt(rate)} frames/s while a capture ran.)`,
  );
}

async function longRuns(config: string) {
  const result: Partial<
    Record<Mode, { rawframe: CaptureRun; tcpdump: CaptureRun }>
  > = {};
  for (const mode of Object.keys(CAPTURES) as Mode[]) {
    progress(`${fmt(LONG)}-frame flood: capture ${mode}`);
    result[mode] = await capturePair(mode, config, LONG);
  }
  progress("memory: a 1 M-frame capture and flood, for the growth");
  const shortCapture = await captureFlood(
    DENO,
    [
      ...["run", "--allow-ffi", CLI, "listen", RECEIVER, "-q"],
    ],
    config,
    1_000_000,
  );
  const floods = [];
  for (const frames of [1_000_000, LONG]) {
    floods.push(
      await measured(DENO, [
        ...["run", "--allow-ffi", CLI, "send", "ff:ff:ff:ff:ff:ff", SENDER],
        ...["--count", String(frames), "-q"],
      ]),
    );
  }
  return { long: result as Required<typeof result>, shortCapture, floods };
}

function printLong(l: Awaited<ReturnType<typeof longRuns>>): void {
  console.log(
    row([`capture of ${fmt(LONG)} frames`, "rawframe kept", "reference kept"]),
  );
  console.log(row(["---", "---:", "---:"]));
  for (const mode of Object.keys(CAPTURES) as Mode[]) {
    console.log(row([
      `\`listen ${mode}\` vs \`${CAPTURES[mode].reference}\``,
      kept([l.long[mode].rawframe]),
      kept([l.long[mode].tcpdump]),
    ]));
  }
  const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;
  const longQ = l.long["-q"].rawframe;
  console.log();
  console.log(row(["rawframe run", "peak RSS"]));
  console.log(row(["---", "---:"]));
  console.log(
    row([`send flood, ${fmt(LONG)} frames`, mib(l.floods[1].rssKiB)]),
  );
  console.log(row([`capture -q, ${fmt(LONG)} frames`, mib(longQ.rssKiB)]));
  console.log(row([
    `send flood: growth from 1 M to ${fmt(LONG)} frames`,
    mib(l.floods[1].rssKiB - l.floods[0].rssKiB),
  ]));
  console.log(row([
    `capture -q: growth from 1 M to ${fmt(LONG)} frames`,
    mib(longQ.rssKiB - l.shortCapture.rssKiB),
  ]));
}

async function setUp(): Promise<
  { csend: string; config: string; dir: string }
> {
  preflight();
  await makeBenchLink();
  const dir = await Deno.makeTempDir();
  await must("cc", ["-O2", "-o", `${dir}/send`, `${ROOT}bench/send.c`]);
  const cpu = (await Deno.readTextFile("/proc/cpuinfo"))
    .match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
  const kernel = (await must("uname", ["-r"])).stdout.trim();
  console.log(
    `rawframe benchmark: ${navigator.hardwareConcurrency} × ${cpu}, Linux ${kernel}, Deno ${Deno.version.deno}`,
  );
  console.log(
    `one veth pair in a private namespace, 60-byte frames, ${
      fmt(FLOOD)
    } frames a run, median of ${ROUNDS} alternating rounds\n`,
  );
  return { csend: `${dir}/send`, config: await trafgenConfig(), dir };
}

/**
 * The sections to run: all, or those BENCH_ONLY names (comma-separated:
 * senders, captures, files, writes, formats, long, startup, ping,
 * decode, runtimes).
 */
const ONLY = Deno.env.get("BENCH_ONLY")?.split(",");
const wanted = (section: string): boolean =>
  ONLY === undefined || ONLY.includes(section);

/** Runs `measure` if its section is wanted; then prints it. */
async function section<T>(
  name: string,
  measure: () => Promise<T>,
  print: (result: T) => void,
): Promise<() => void> {
  if (!wanted(name)) return () => {};
  const result = await measure();
  return () => {
    print(result);
    console.log();
  };
}

const { csend, config, dir } = await setUp();
await trafgen(config, 100_000); // warm up the path and trafgen itself
const printers = [
  await section("senders", () => senders(csend, config), printSenders),
  await section("captures", () => captures(config), printCaptures),
  await section("decode", () => measureDecode(ROUNDS), printDecode),
  await section(
    "files",
    () => measureCaptureFile(config, ROUNDS),
    printCaptureFile,
  ),
  await section("writes", () => measureWriteSizes(ROUNDS), printWriteSizes),
  await section(
    "formats",
    () => measureFormats(config, ROUNDS, FLOOD),
    printFormats,
  ),
  await section("long", () => longRuns(config), printLong),
  await section("startup", () => {
    progress("start-up");
    return measureStartup(SENDER, 21);
  }, printStartup),
  await section("ping", () => measurePing(ROUNDS), printPing),
  await section(
    "runtimes",
    () => measureRuntimes({ csend, config, frames: FLOOD }, ROUNDS),
    printRuntimes,
  ),
];
for (const print of printers) print();
await Deno.remove(dir, { recursive: true });
await Deno.remove(config);
for (const file of ["/tmp/rawframe-bench.pcap", "/tmp/tcpdump-bench.pcap"]) {
  await Deno.remove(file).catch(() => {});
}
