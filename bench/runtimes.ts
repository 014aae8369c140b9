/**
 * The same rawframe on each runtime, side by side in one run: Deno
 * (`deno run cli.ts`), Bun (`bun cli.ts`), the single binary (`bun build
 * --compile`) and Node (the npm package, koffi underneath). For each: the
 * `send --count N` flood against the C sendmmsg loop, the per-frame
 * `sock.send()` loop against C's send() loop (the binary is the command
 * line only), `listen -w FILE` against `tcpdump -w FILE` (CPU, frames
 * kept) and the wall time of a one-frame send.
 *
 * It builds the binary and the npm package first; Bun, koffi and
 * TypeScript must be installed in .tools/ (`deno task test` does that).
 *
 * @module
 */

import { BUN, TOOLS_DIR } from "../scripts/tools.ts";
import { buildBinary } from "../scripts/binary.ts";
import { buildNpmPackage } from "../scripts/npm_package.ts";
import { captureFlood, type CaptureRun } from "./capture.ts";
import {
  CLI,
  DENO,
  fmt,
  measured,
  median,
  must,
  progress,
  RAWFRAME_FLAGS,
  RECEIVER,
  ROOT,
  row,
  SENDER,
} from "./tools.ts";

interface Runtime {
  /** The command line: command and leading arguments. */
  cli: string[];
  /** The per-frame loop, where the runtime runs library code. */
  loop?: string[];
}

function runtimes(binary: string): Record<string, Runtime> {
  const loop = `${ROOT}bench/send_loop.mjs`;
  return {
    "Deno": {
      cli: [DENO, "run", ...RAWFRAME_FLAGS, CLI],
      loop: [DENO, "run", "--allow-ffi", "--allow-read", loop, "source"],
    },
    "Bun": { cli: [BUN, CLI], loop: [BUN, loop, "source"] },
    "Bun binary": { cli: [binary] },
    "Node": {
      cli: ["node", `${ROOT}dist/npm/bin/rawframe.js`],
      loop: ["node", loop, "package"],
    },
  };
}

/** Per runtime: frames/s of the flood and the loop, captures, start-up ms. */
export interface RuntimeRuns {
  flood: Record<string, number[]>;
  loop: Record<string, number[]>;
  capture: Record<string, CaptureRun[]>;
  startup: Record<string, number[]>;
}

const wallMs = async (command: string[]): Promise<number> => {
  const started = performance.now();
  await must(command[0], command.slice(1));
  return performance.now() - started;
};

type Refs = { csend: string; config: string; frames: number };

const add = <T>(to: Record<string, T[]>, name: string, value: T): void =>
  void (to[name] ??= []).push(value);

/** The C senders and tcpdump: the row every runtime is compared with. */
async function references(runs: RuntimeRuns, refs: Refs): Promise<void> {
  const { csend, frames } = refs;
  const mmsg = await measured(csend, [SENDER, `${frames}`, "mmsg"]);
  add(runs.flood, "C", frames / mmsg.seconds);
  const loop = await must(csend, [SENDER, `${frames}`]);
  add(runs.loop, "C", Number(loop.stdout));
  const tcpdump = [
    ...["-i", RECEIVER, "-Z", "root"],
    ...["-w", "/tmp/tcpdump-bench.pcap", "ether proto 0x88b5"],
  ];
  add(
    runs.capture,
    "C",
    await captureFlood("tcpdump", tcpdump, refs.config, frames),
  );
}

/** Each measure of one runtime. */
async function measureOne(
  name: string,
  rt: Runtime,
  runs: RuntimeRuns,
  refs: Refs,
): Promise<void> {
  const [command, ...lead] = rt.cli;
  const flood = ["send", "ff:ff:ff:ff:ff:ff", SENDER, "-q"];
  const sent = await measured(command, [
    ...[...lead, ...flood],
    ...["--count", `${refs.frames}`],
  ]);
  add(runs.flood, name, refs.frames / sent.seconds);
  if (rt.loop) {
    const [loop, ...args] = rt.loop;
    const out = await must(loop, [...args, SENDER, `${refs.frames}`]);
    add(runs.loop, name, Number(out.stdout));
  }
  const listen = [
    ...[...lead, "listen", RECEIVER, "--type", "exp1"],
    ...["-w", "/tmp/rawframe-bench.pcap"],
  ];
  add(
    runs.capture,
    name,
    await captureFlood(command, listen, refs.config, refs.frames),
  );
  for (let i = 0; i < 5; i++) {
    const one = [...rt.cli, "send", "ff:ff:ff:ff:ff:ff", SENDER];
    add(runs.startup, name, await wallMs(one));
  }
}

/** Builds the binary and the package, then measures `rounds` rounds. */
export async function measureRuntimes(
  refs: Refs,
  rounds: number,
): Promise<RuntimeRuns> {
  progress("runtimes: building the binary and the npm package");
  const dir = await Deno.makeTempDir();
  const all = runtimes(await buildBinary(`${dir}/rawframe`));
  await buildNpmPackage();
  // The package finds koffi where the tests installed it.
  Deno.env.set("NODE_PATH", `${TOOLS_DIR}node_modules`);
  const runs: RuntimeRuns = { flood: {}, loop: {}, capture: {}, startup: {} };
  for (let r = 0; r < rounds; r++) {
    progress(`round ${r + 1} of ${rounds}: runtimes`);
    await references(runs, refs);
    for (const [name, rt] of Object.entries(all)) {
      await measureOne(name, rt, runs, refs);
    }
  }
  await Deno.remove(dir, { recursive: true });
  return runs;
}

/** The table: one row per runtime, the C tools and tcpdump first. */
export function printRuntimes(runs: RuntimeRuns): void {
  const m = (values: number[] | undefined): number | undefined =>
    values === undefined ? undefined : median(values);
  const c = {
    flood: m(runs.flood.C)!,
    loop: m(runs.loop.C)!,
    cpu: m(runs.capture.C.map((r) => r.cpu))!,
  };
  console.log(
    row([
      "runtime",
      "flood frames/s",
      "vs C sendmmsg",
      "send() loop frames/s",
      "vs C send()",
      "`listen -w` CPU s",
      "vs tcpdump -w",
      "kept (worst)",
      "one-frame send",
    ]),
  );
  console.log(
    row([
      "---",
      "---:",
      "---:",
      "---:",
      "---:",
      "---:",
      "---:",
      "---:",
      "---:",
    ]),
  );
  for (const name of Object.keys(runs.flood)) {
    const flood = m(runs.flood[name])!;
    const loop = m(runs.loop[name]);
    const cpu = m(runs.capture[name].map((r) => r.cpu))!;
    const keptFewest = Math.min(...runs.capture[name].map((r) => r.received));
    const start = m(runs.startup[name]);
    console.log(row([
      name === "C" ? "C (sendmmsg, send()) / tcpdump" : name,
      fmt(flood),
      (flood / c.flood).toFixed(2),
      loop === undefined ? "—" : fmt(loop),
      loop === undefined ? "—" : (loop / c.loop).toFixed(2),
      cpu.toFixed(2),
      (cpu / c.cpu).toFixed(2),
      fmt(keptFewest),
      start === undefined ? "—" : `${start.toFixed(1)} ms`,
    ]));
  }
}
