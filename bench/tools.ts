/**
 * What the benchmark's parts share: running commands, timing whole
 * processes, reading their CPU time and peak RSS from /usr/bin/time,
 * medians, and the trafgen flood every capture is measured against.
 *
 * @module
 */

/** The project's root, with a trailing slash. */
export const ROOT: string = new URL("..", import.meta.url).pathname;
/** cli.ts. */
export const CLI = `${ROOT}cli.ts`;
/** This very Deno. */
export const DENO: string = Deno.execPath();
/** The flags `rawframe` runs with: deno.json's task (README's install line). */
export const RAWFRAME_FLAGS: string[] = JSON.parse(
  Deno.readTextFileSync(`${ROOT}deno.json`),
).tasks.rawframe.split(" ").filter((word: string) => word.startsWith("--"));
/** The interfaces of the benchmark's veth pair: frames go 0 → 1. */
export const SENDER = "bench0";
/** The receiving end. */
export const RECEIVER = "bench1";

const decoder = new TextDecoder();

/** Output of a finished process. */
export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion. */
export async function run(command: string, args: string[]): Promise<Output> {
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

/** Runs a command that must succeed. */
export async function must(command: string, args: string[]): Promise<Output> {
  const out = await run(command, args);
  if (out.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed: ${out.stderr}`);
  }
  return out;
}

/** What /usr/bin/time says of a process. */
export interface Usage {
  /** User plus system CPU seconds. */
  cpu: number;
  /** Peak resident set size, KiB. */
  rssKiB: number;
}

/** The command line that runs `command` under /usr/bin/time into `file`. */
export function timedArgs(
  file: string,
  command: string,
  args: string[],
): string[] {
  return ["-f", "%U %S %M", "-o", file, command, ...args];
}

/** Reads what /usr/bin/time wrote into `file`, and removes it. */
export async function usageFrom(file: string): Promise<Usage> {
  const line = (await Deno.readTextFile(file)).trim().split("\n").at(-1)!;
  await Deno.remove(file);
  const [user, sys, rss] = line.split(" ").map(Number);
  return { cpu: user + sys, rssKiB: rss };
}

/**
 * Runs a command that must succeed, as a whole process: its output, wall
 * seconds from start to exit, CPU and peak RSS.
 */
export async function measured(
  command: string,
  args: string[],
): Promise<Output & Usage & { seconds: number }> {
  const file = await Deno.makeTempFile();
  const started = performance.now();
  const out = await must("/usr/bin/time", timedArgs(file, command, args));
  const seconds = (performance.now() - started) / 1000;
  return { ...out, ...(await usageFrom(file)), seconds };
}

/** The middle value (the upper middle of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** 1234567 → "1,234,567". */
export function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** One Markdown table row. */
export function row(cells: (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** Prints progress on stderr (the tables go to stdout). */
export function progress(what: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`  ${what}...\n`));
}

const FRAME_HEX = "ffffffffffff" + "020000000001" + "88b5" +
  "4869".padEnd(92, "0");

/** A trafgen config that sends the benchmark's 60-byte frame. */
export async function trafgenConfig(): Promise<string> {
  const bytes = FRAME_HEX.match(/../g)!.map((b) => `0x${b}`).join(", ");
  const file = await Deno.makeTempFile({ suffix: ".cfg" });
  await Deno.writeTextFile(file, `{ ${bytes} }\n`);
  return file;
}

/** The benchmark's veth pair, SENDER → RECEIVER, up, IPv6 off. */
export async function makeBenchLink(): Promise<void> {
  await must("ip", [
    ...["link", "add", "name", SENDER, "type", "veth", "peer", "name"],
    RECEIVER,
  ]);
  await must("ip", ["link", "set", SENDER, "up"]);
  await must("ip", ["link", "set", RECEIVER, "up"]);
  await must("sysctl", ["-qw", "net.ipv6.conf.all.disable_ipv6=1"]);
}

/** trafgen's own account of a run: frames per second of its sending. */
function trafgenRate(out: Output): number {
  const m = (out.stdout + out.stderr).match(
    /(\d+) sec,\s+(\d+) usec on CPU\d+ \((\d+) packets\)/,
  );
  if (!m) {
    throw new Error(`unexpected trafgen output: ${out.stdout}${out.stderr}`);
  }
  return Number(m[3]) / (Number(m[1]) + Number(m[2]) / 1e6);
}

/** Floods `frames` frames with trafgen; returns its own rate. */
export async function trafgen(config: string, frames: number): Promise<number> {
  const out = await must("trafgen", [
    ...["--dev", SENDER, "--conf", config, "--num", String(frames)],
    ...["--cpus", "1"],
  ]);
  return trafgenRate(out);
}
