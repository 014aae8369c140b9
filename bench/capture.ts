/**
 * One capture measured during a trafgen flood: frames kept, frames the
 * kernel dropped (each tool's own count), and the capturing process's CPU
 * seconds and peak RSS (/usr/bin/time).
 *
 * @module
 */

import { timedArgs, trafgen, usageFrom } from "./tools.ts";

const decoder = new TextDecoder();

/** What one capture did. */
export interface CaptureRun {
  /** Frames the capturer kept. */
  received: number;
  /** Frames the kernel dropped (the capturer's own count). */
  dropped: number;
  /** CPU seconds of the capturing process (user + system). */
  cpu: number;
  /** Peak RSS of the capturing process, KiB. */
  rssKiB: number;
  /** trafgen's rate during the capture. */
  floodPps: number;
}

/** Starts `command` under /usr/bin/time, waits until it listens. */
async function startCapture(command: string, args: string[], file: string) {
  const child = new Deno.Command("/usr/bin/time", {
    args: timedArgs(file, command, args),
    stdout: "null", // -w FILE, -q, or NDJSON that nobody reads
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const reading = (async () => {
    for await (const chunk of child.stderr) stderr += decoder.decode(chunk);
  })();
  const deadline = Date.now() + 10_000;
  while (!/listening on|"event":"listening"/.test(stderr)) {
    if (Date.now() > deadline) throw new Error(`did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return { child, reading, stderr: () => stderr };
}

/** The capturer's own summary: rawframe's (text or JSON) or tcpdump's. */
function summary(stderr: string): { received: number; dropped: number } {
  const json = stderr.match(/^\{.*"received".*\}$/m);
  if (json) return JSON.parse(json[0]);
  // rawframe's last line is the total (several interfaces: one line each first)
  const ours = [...stderr.matchAll(/(\d+) frames? received, (\d+) dropped/g)]
    .at(-1);
  if (ours) return { received: Number(ours[1]), dropped: Number(ours[2]) };
  // tcpdump's, summed: several tcpdumps may run side by side
  const sum = (re: RegExp) =>
    [...stderr.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  if (!/packets? captured/.test(stderr)) {
    throw new Error(`no summary in: ${stderr}`);
  }
  return {
    received: sum(/(\d+) packets? captured/g),
    dropped: sum(/(\d+) packets? dropped by kernel/g),
  };
}

/**
 * Runs `command args` as a capture while trafgen sends `frames` frames,
 * then stops it as Ctrl-C would.
 */
export function captureFlood(
  command: string,
  args: string[],
  config: string,
  frames: number,
): Promise<CaptureRun> {
  return captureWhile(command, args, () => trafgen(config, frames));
}

/**
 * The same capture with nothing sent: what starting, waiting and
 * stopping cost, to take off a flood's.
 */
export function captureIdle(
  command: string,
  args: string[],
): Promise<CaptureRun> {
  return captureWhile(command, args, () => Promise.resolve(0));
}

/** A capture while `flood` runs (it gives its rate), stopped as Ctrl-C. */
export async function captureWhile(
  command: string,
  args: string[],
  flood: () => Promise<number>,
): Promise<CaptureRun> {
  const file = await Deno.makeTempFile();
  const { child, reading, stderr } = await startCapture(command, args, file);
  const floodPps = await flood();
  // More than tcpdump's 1 s block timeout: its last block is written too.
  await new Promise((r) => setTimeout(r, 1200));
  // Ctrl-C the capture itself: /usr/bin/time ignores SIGINT while it waits.
  const children = await Deno.readTextFile(
    `/proc/${child.pid}/task/${child.pid}/children`,
  );
  for (const pid of children.trim().split(/\s+/).filter((p) => p !== "")) {
    Deno.kill(Number(pid), "SIGINT");
  }
  await child.status;
  await reading;
  return { ...summary(stderr()), ...(await usageFrom(file)), floodPps };
}
