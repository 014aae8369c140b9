/**
 * Capture files as dumpcap writes them (issue 19), side by side in one
 * run:
 * - `listen -w FILE.pcapng` against `listen -w FILE.pcap` (the same
 *   trafgen flood): the CPU pcapng costs, as a ratio;
 * - `listen -i bench1 -i bench3 -w FILE.pcapng` against two tcpdumps, one
 *   per interface, while two trafgens flood both pairs at once: frames
 *   kept and dropped by each, and CPU.
 *
 * @module
 */

import { type CaptureRun, captureWhile } from "./capture.ts";
import {
  CLI,
  DENO,
  fmt,
  median,
  must,
  progress,
  RAWFRAME_FLAGS,
  RECEIVER,
  row,
  SENDER,
  trafgen,
} from "./tools.ts";

/** The second pair: SECOND_SENDER → SECOND_RECEIVER. */
const SECOND_SENDER = "bench2";
const SECOND_RECEIVER = "bench3";

/** What the section measured, per round. */
export interface FormatRuns {
  pcap: CaptureRun[];
  pcapng: CaptureRun[];
  /** The reference: tcpdump's pcap and dumpcap's pcapng. */
  tcpdump: CaptureRun[];
  dumpcap: CaptureRun[];
  /** 1514-byte frames, where a block's header weighs less. */
  bigPcap: CaptureRun[];
  bigPcapng: CaptureRun[];
  twoRawframe: CaptureRun[];
  twoTcpdumps: CaptureRun[];
  /** Frames sent in all on the two pairs, per round. */
  twoSent: number;
}

/** rawframe listening with `args` on the bench's receiver(s). */
function listen(args: string[]): [string, string[]] {
  return [DENO, ["run", ...RAWFRAME_FLAGS, CLI, "listen", ...args]];
}

/** Two tcpdumps in one process group, said ready once both are. */
function twoTcpdumps(): [string, string[]] {
  const script = `
a_log=$(mktemp); b_log=$(mktemp)
tcpdump -i ${RECEIVER} -B 32768 -Z root -w /tmp/tcpdump-a.pcap 'ether proto 0x88b5' 2>$a_log & a=$!
tcpdump -i ${SECOND_RECEIVER} -B 32768 -Z root -w /tmp/tcpdump-b.pcap 'ether proto 0x88b5' 2>$b_log & b=$!
trap 'kill -TERM $a $b' INT
until grep -q "listening on" $a_log && grep -q "listening on" $b_log; do sleep 0.05; done
echo "listening on ${RECEIVER} and ${SECOND_RECEIVER}" >&2
wait $a; wait $b; wait $a 2>/dev/null; wait $b 2>/dev/null
cat $a_log $b_log >&2; rm -f $a_log $b_log`;
  return ["sh", ["-c", script]];
}

/**
 * dumpcap writing pcapng, with its summary said in tcpdump's words (the
 * harness reads those).
 */
function dumpcap(): [string, string[]] {
  const script = `
log=$(mktemp)
dumpcap -i ${RECEIVER} -B 32 -f 'ether proto 0x88b5' -w /tmp/dumpcap-bench.pcapng 2>$log & d=$!
trap 'kill -INT $d' INT
until grep -q "Capturing on" $log; do sleep 0.05; done
echo "listening on ${RECEIVER}" >&2
wait $d; wait $d 2>/dev/null
grep -o "Packets received/dropped on interface [^:]*: [0-9]*/[0-9]*" $log |
  awk -F'[ /]' '{print $(NF-1) " packets captured"; print $NF " packets dropped by kernel"}' >&2
rm -f $log`;
  return ["sh", ["-c", script]];
}

/** A trafgen config of 1514-byte frames (a full Ethernet frame). */
async function bigFrames(): Promise<string> {
  const hex = "ffffffffffff" + "020000000001" + "88b5" + "00".repeat(1500);
  const file = await Deno.makeTempFile({ suffix: ".cfg" });
  await Deno.writeTextFile(
    file,
    `{ ${hex.match(/../g)!.map((b) => `0x${b}`).join(", ")} }\n`,
  );
  return file;
}

/** trafgen on `dev`; its rate. */
async function trafgenOn(dev: string, config: string, frames: number) {
  const out = await must("trafgen", [
    ...["--dev", dev, "--conf", config, "--num", String(frames)],
    ...["--cpus", "1"],
  ]);
  return out.code;
}

/** Both pairs flooded at once, `frames` frames each. */
async function floodBoth(config: string, frames: number): Promise<number> {
  const started = performance.now();
  await Promise.all([
    trafgenOn(SENDER, config, frames),
    trafgenOn(SECOND_SENDER, config, frames),
  ]);
  return (2 * frames) / ((performance.now() - started) / 1000);
}

/** Measures the section: `rounds` rounds, each tool's turn alternating. */
export async function measureFormats(
  config: string,
  rounds: number,
  frames: number,
): Promise<FormatRuns> {
  await must("ip", [
    ...["link", "add", "name", SECOND_SENDER, "type", "veth", "peer"],
    ...["name", SECOND_RECEIVER],
  ]);
  for (const dev of [SECOND_SENDER, SECOND_RECEIVER]) {
    await must("ip", ["link", "set", dev, "up"]);
  }
  const runs: FormatRuns = {
    pcap: [],
    pcapng: [],
    tcpdump: [],
    dumpcap: [],
    bigPcap: [],
    bigPcapng: [],
    twoRawframe: [],
    twoTcpdumps: [],
    twoSent: frames,
  };
  const flood = () => trafgen(config, frames);
  const both = () => floodBoth(config, frames / 2);
  const big = await bigFrames();
  const bigFlood = () => trafgen(big, frames / 20);
  // Into files that do not exist yet: emptying a former capture's costs
  // in proportion to its size, and a pcapng file is the larger.
  const fresh = async (
    format: string,
    flood: () => Promise<number>,
    ring = "32768",
  ) => {
    const path = `/tmp/rawframe-bench.${format}`;
    await Deno.remove(path).catch(() => {});
    return await captureWhile(
      ...listen([RECEIVER, "-B", ring, "--type", "exp1", "-w", path]),
      flood,
    );
  };
  try {
    await fresh("pcap", flood); // not counted: the first capture warms the page cache
    for (let round = 0; round < rounds; round++) {
      progress(`round ${round + 1} of ${rounds}: -w pcap, -w pcapng`);
      // Each goes first in turn: the first capture after others pays for
      // the memory they left (the ring's pages come back from the host).
      const order = round % 2 === 0 ? ["pcap", "pcapng"] : ["pcapng", "pcap"];
      for (const format of order) {
        (format === "pcap" ? runs.pcap : runs.pcapng)
          .push(await fresh(format, flood));
      }
      // 151 MB of big frames in one burst: a ring that holds them all.
      for (const format of order) {
        (format === "pcap" ? runs.bigPcap : runs.bigPcapng)
          .push(await fresh(format, bigFlood, "262144"));
      }
      runs.tcpdump.push(
        await captureWhile("tcpdump", [
          ...["-i", RECEIVER, "-B", "32768", "-Z", "root"],
          ...["-w", "/tmp/tcpdump-bench.pcap", "ether proto 0x88b5"],
        ], flood),
      );
      runs.dumpcap.push(await captureWhile(...dumpcap(), flood));
      progress(`round ${round + 1} of ${rounds}: two interfaces at once`);
      runs.twoTcpdumps.push(await captureWhile(...twoTcpdumps(), both));
      runs.twoRawframe.push(
        await captureWhile(
          ...listen([
            "-i",
            RECEIVER,
            "-i",
            SECOND_RECEIVER,
            "--type",
            "exp1",
            "-w",
            "/tmp/rawframe-bench-two.pcapng",
          ]),
          both,
        ),
      );
    }
  } finally {
    await must("ip", ["link", "del", SECOND_SENDER]);
    await Deno.remove(big);
    for (
      const f of [
        "rawframe-bench.pcap",
        "rawframe-bench.pcapng",
        "rawframe-bench-two.pcapng",
        "tcpdump-a.pcap",
        "tcpdump-b.pcap",
        "tcpdump-bench.pcap",
        "dumpcap-bench.pcapng",
      ]
    ) {
      await Deno.remove(`/tmp/${f}`).catch(() => {});
    }
  }
  return runs;
}

/** "kept (dropped)": the fewest kept and the most dropped over rounds. */
function kept(runs: CaptureRun[]): string {
  const fewest = Math.min(...runs.map((r) => r.received));
  const most = Math.max(...runs.map((r) => r.dropped));
  return `${fmt(fewest)} (${fmt(most)} dropped)`;
}

/** A table row: a capture's CPU, its ratio to `base`'s, frames kept. */
function line(name: string, runs: CaptureRun[], base: CaptureRun[]): string {
  const cpu = (r: CaptureRun[]) => median(r.map((x) => x.cpu));
  return row([
    name,
    cpu(runs).toFixed(2),
    (cpu(runs) / cpu(base)).toFixed(2),
    kept(runs),
  ]);
}

/** The section's tables. */
export function printFormats(runs: FormatRuns): void {
  const head = [
    row(["capture", "CPU s (median)", "ratio", "kept (worst round)"]),
    row(["---", "---", "---", "---"]),
  ].join("\n");
  console.log("### Capture files: pcapng against pcap\n");
  console.log(`${fmt(runs.twoSent)} 60-byte frames:\n`);
  console.log(head);
  console.log(line("listen -w FILE.pcap", runs.pcap, runs.pcap));
  console.log(line("listen -w FILE.pcapng", runs.pcapng, runs.pcap));
  console.log(
    line("tcpdump -B 32768 -w FILE (pcap)", runs.tcpdump, runs.tcpdump),
  );
  console.log(
    line("dumpcap -B 32 -w FILE (pcapng)", runs.dumpcap, runs.tcpdump),
  );
  console.log(
    `\n${fmt(runs.twoSent / 20)} 1514-byte frames (a 256 MiB ring):\n`,
  );
  console.log(head);
  console.log(line("listen -w FILE.pcap", runs.bigPcap, runs.bigPcap));
  console.log(line("listen -w FILE.pcapng", runs.bigPcapng, runs.bigPcap));
  console.log(
    `\n### Two interfaces at once: ${
      fmt(runs.twoSent)
    } frames, half on each of two veth pairs, flooded together\n`,
  );
  console.log(head);
  console.log(
    line("two tcpdumps -B 32768 -w", runs.twoTcpdumps, runs.twoTcpdumps),
  );
  console.log(
    line("listen -i a -i b -w FILE.pcapng", runs.twoRawframe, runs.twoTcpdumps),
  );
}
