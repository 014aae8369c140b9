/**
 * Decoding speed, side by side in one run: `read` printing lines against
 * `tcpdump -n -e -r`, and `read --json` against `tshark -T ek`, on the
 * same files, output to /dev/null, CPU seconds (user + system) of each
 * whole process. Two mixes (bench/mixed_capture.ts): tcpdump's own test
 * captures over and over (many protocols, many tshark decodes deeply),
 * and a LAN-like mix built with rawframe's layers. tshark reads a slice
 * of each (it takes a minute and more for the whole of the first).
 *
 * @module
 */

import { writeMixedCapture } from "./mixed_capture.ts";
import {
  CLI,
  DENO,
  fmt,
  median,
  progress,
  RAWFRAME_FLAGS,
  row,
  timedArgs,
  usageFrom,
} from "./tools.ts";

/** Frames of each mix that `read` and tcpdump print. */
const FRAMES = Number(Deno.env.get("BENCH_DECODE_FRAMES") ?? 300_000);
/** Frames of each mix that tshark reads (and `read --json` too). */
const TSHARK_FRAMES = Number(Deno.env.get("BENCH_TSHARK_FRAMES") ?? 20_000);

/** CPU seconds of `command args`, its output thrown away. */
async function cpuOf(command: string, args: string[]): Promise<number> {
  const file = await Deno.makeTempFile();
  const status = await new Deno.Command("/usr/bin/time", {
    args: timedArgs(file, command, args),
    stdout: "null",
    stderr: "null",
  }).output();
  if (!status.success) throw new Error(`${command} ${args.join(" ")} failed`);
  return (await usageFrom(file)).cpu;
}

const read = (path: string, json: boolean) =>
  cpuOf(DENO, [
    ...["run", ...RAWFRAME_FLAGS, CLI, "read", path],
    ...(json ? ["--json"] : []),
  ]);

/** What one mix cost each tool, median CPU seconds. */
export interface DecodeResult {
  mix: "corpus" | "built";
  lines: number;
  tcpdump: number;
  json: number;
  tshark: number;
}

/** Measures both mixes, `rounds` times each, alternating the tools. */
export async function measureDecode(rounds: number): Promise<DecodeResult[]> {
  const results: DecodeResult[] = [];
  for (const kind of ["corpus", "built"] as const) {
    const big = await Deno.makeTempFile({ suffix: ".pcap" });
    const slice = await Deno.makeTempFile({ suffix: ".pcap" });
    const mix = await writeMixedCapture(big, FRAMES, kind);
    if (mix !== kind) { // no corpus here: the built mix is all there is
      await Promise.all([Deno.remove(big), Deno.remove(slice)]);
      continue;
    }
    await writeMixedCapture(slice, TSHARK_FRAMES, kind);
    const runs = { lines: [], tcpdump: [], json: [], tshark: [] } as Record<
      "lines" | "tcpdump" | "json" | "tshark",
      number[]
    >;
    for (let round = 0; round < rounds; round++) {
      progress(`round ${round + 1} of ${rounds}: decoding the ${kind} mix`);
      runs.tcpdump.push(await cpuOf("tcpdump", ["-n", "-e", "-r", big]));
      runs.lines.push(await read(big, false));
      runs.tshark.push(await cpuOf("tshark", ["-n", "-T", "ek", "-r", slice]));
      runs.json.push(await read(slice, true));
    }
    await Promise.all([Deno.remove(big), Deno.remove(slice)]);
    results.push({
      mix: kind,
      lines: median(runs.lines),
      tcpdump: median(runs.tcpdump),
      json: median(runs.json),
      tshark: median(runs.tshark),
    });
  }
  return results;
}

/** The table of {@linkcode measureDecode}'s results. */
export function printDecode(results: DecodeResult[]): void {
  console.log(
    row(["decoding a file", "rawframe CPU s", "reference CPU s", "ratio"]),
  );
  console.log(row(["---", "---:", "---:", "---:"]));
  for (const r of results) {
    console.log(row([
      `${r.mix} mix, ${fmt(FRAMES)} frames: \`read\` vs \`tcpdump -n -e -r\``,
      r.lines.toFixed(2),
      r.tcpdump.toFixed(2),
      `${(r.lines / r.tcpdump).toFixed(2)}× tcpdump's CPU`,
    ]));
    console.log(row([
      `${r.mix} mix, ${
        fmt(TSHARK_FRAMES)
      } frames: \`read --json\` vs \`tshark -T ek\``,
      r.json.toFixed(2),
      r.tshark.toFixed(2),
      `${(r.tshark / r.json).toFixed(1)}× faster than tshark`,
    ]));
  }
  console.log(
    "\n(corpus mix: every Ethernet frame of tcpdump's test captures, over and over; built mix: TCP, UDP, ICMP, ARP, IPv6, VLAN, STP, LLDP made with rawframe's layers. Output to /dev/null.)",
  );
}

if (import.meta.main) {
  printDecode(await measureDecode(Number(Deno.env.get("BENCH_ROUNDS") ?? 3)));
}
