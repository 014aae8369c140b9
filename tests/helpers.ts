/**
 * Test harness: veth pairs inside the private namespace made by
 * tests/netns.ts, the rawframe CLI as a child process, and the independent
 * peers that check the other end (tcpdump or tshark to capture, scapy to
 * send).
 *
 * @module
 */

import { signal, treeOf } from "./process_tree.ts";
import { readPcap } from "../lib/pcap.ts";
import type { RawSocket } from "../lib/socket.ts";

const decoder = new TextDecoder();
const CLI = new URL("../cli.ts", import.meta.url).pathname;

/**
 * The single binary under test, when RAWFRAME_BINARY names one
 * (tests/binary_test.ts): the CLI helpers below then run it instead of
 * `deno run cli.ts`, with a PATH on which neither deno nor bun is.
 */
export const BINARY: string | undefined = Deno.env.get("RAWFRAME_BINARY");

/** The PATH the binary runs with: system tools only. */
export const BINARY_PATH = "/usr/sbin:/sbin";

/** The command and leading arguments that run the CLI with `flags`. */
function cliCommand(flags: string[]): [string, string[]] {
  return BINARY !== undefined
    ? [BINARY, []]
    : [Deno.execPath(), ["run", ...flags, CLI]];
}

/** Environment of a CLI child: the binary's stripped PATH, if testing it. */
const cliEnv = (): Record<string, string> | undefined =>
  BINARY !== undefined ? { PATH: BINARY_PATH } : undefined;

/**
 * True only inside the namespace tests/netns.ts made: integration tests are
 * ignored elsewhere, so they can never touch the host's interfaces.
 */
export const inPrivateNetns: boolean = (() => {
  if (Deno.env.get("RAWFRAME_NETNS") !== "1") return false;
  try {
    // Belt and braces: our namespace must differ from init's.
    return Deno.readLinkSync("/proc/self/ns/net") !==
      Deno.readLinkSync("/proc/1/ns/net");
  } catch {
    return true; // /proc/1 unreadable (user namespace): trust the marker
  }
})();

/** In a user namespace tcpdump cannot capture; tshark can. */
export const inUserNamespace: boolean =
  Deno.env.get("RAWFRAME_NETNS_USERNS") === "1";

/** Options for integration tests: ignored outside the private namespace. */
export const integration = {
  ignore: !inPrivateNetns,
  sanitizeResources: true,
  sanitizeOps: true,
};

/** Output of a finished child process. */
export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, with a deadline. */
export async function run(
  command: string,
  args: string[],
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<Output> {
  const result = await new Deno.Command(command, {
    args,
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
  }).output();
  return {
    code: result.code,
    stdout: decoder.decode(result.stdout),
    stderr: decoder.decode(result.stderr),
  };
}

/** Runs a command that must succeed, returning its stdout. */
export async function sh(command: string, ...args: string[]): Promise<string> {
  const out = await run(command, args);
  if (out.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed: ${out.stderr}`);
  }
  return out.stdout;
}

/** Runs `deno run --allow-ffi cli.ts <args>` to completion. */
export function cli(...args: string[]): Promise<Output> {
  const [command, lead] = cliCommand(["--allow-ffi"]);
  return run(command, [...lead, ...args], { env: cliEnv() });
}

/** Like {@linkcode cli}, with file access too (for -w, --file, --from-pcap). */
export function cliWithFiles(...args: string[]): Promise<Output> {
  const [command, lead] = cliCommand(FILE_FLAGS);
  return run(command, [...lead, ...args], { env: cliEnv() });
}

const FILE_FLAGS = ["--allow-ffi", "--allow-read", "--allow-write"];

/** A running child process whose output is being collected. */
export class Child {
  readonly process: Deno.ChildProcess;
  stdout = "";
  stderr = "";
  /** Both streams, in the order their output arrived. */
  both = "";
  readonly #done: Promise<Output>;

  constructor(command: string, args: string[], env?: Record<string, string>) {
    this.process = new Deno.Command(command, {
      args,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const collect = async (
      stream: ReadableStream<Uint8Array>,
      key: "stdout" | "stderr",
    ): Promise<void> => {
      for await (const chunk of stream) {
        const text = decoder.decode(chunk, { stream: true });
        this[key] += text;
        this.both += text;
      }
    };
    this.#done = Promise.all([
      collect(this.process.stdout, "stdout"),
      collect(this.process.stderr, "stderr"),
      this.process.status,
    ]).then(([, , status]) => ({
      code: status.code,
      stdout: this.stdout,
      stderr: this.stderr,
    }));
  }

  /**
   * Waits until `pattern` shows up in stderr (a readiness line), or in
   * either stream with `from` "both" (a daemon that logs to stdout).
   */
  async waitFor(
    pattern: RegExp,
    timeoutMs = 10_000,
    from: "stderr" | "both" = "stderr",
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(from === "both" ? this.both : this.stderr)) {
      if (Date.now() > deadline) {
        signal(treeOf(this.process.pid), "SIGKILL");
        await this.#done;
        throw new Error(
          `timed out waiting for ${pattern}; ${from}: ${
            from === "both" ? this.both : this.stderr
          }`,
        );
      }
      await sleep(10);
    }
  }

  /**
   * Waits for the process to end. After `timeoutMs` it is asked to end
   * (SIGTERM), and two seconds later it and everything it started (a
   * pipeline's commands) are killed, so a stuck child never hangs the
   * suite.
   */
  async done(timeoutMs = 20_000): Promise<Output> {
    const pid = this.process.pid;
    const timers = [
      setTimeout(() => signal([pid], "SIGTERM"), timeoutMs),
      setTimeout(() => signal(treeOf(pid), "SIGKILL"), timeoutMs + 2000),
    ];
    try {
      return await this.#done;
    } finally {
      timers.forEach(clearTimeout);
    }
  }
}

/** Starts `deno run --allow-ffi --allow-read --allow-write cli.ts <args>`. */
export function spawnCli(...args: string[]): Child {
  const [command, lead] = cliCommand(FILE_FLAGS);
  return new Child(command, [...lead, ...args], cliEnv());
}

/** Starts `cli.ts listen` and waits until its socket is bound. */
export async function startListen(...args: string[]): Promise<Child> {
  const child = spawnCli("listen", ...args);
  await child.waitFor(/listening on|"event":"listening"/);
  return child;
}

/** The path of cli.ts, for shell pipelines. */
export const CLI_PATH: string = CLI;

/**
 * `promise`'s value, or `late` once `ms` have passed, whichever comes
 * first. The timer is cleared either way: a timer raced against a promise
 * and left running is what Deno's test sanitizer reports as a leak.
 */
export async function within<T, U>(
  promise: Promise<T>,
  ms: number,
  late: U,
): Promise<T | U> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<U>((resolve) => {
    timer = setTimeout(() => resolve(late), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let pairs = 0;

/** Two ends of a veth pair with fixed MACs, up, IPv6 off. */
export interface VethPair extends AsyncDisposable {
  a: string;
  b: string;
  macA: string;
  macB: string;
}

/**
 * Makes a veth pair in the private namespace; `await using` deletes it.
 */
export async function vethPair(): Promise<VethPair> {
  if (!inPrivateNetns) throw new Error("vethPair() outside the test namespace");
  const n = ++pairs;
  const hex = n.toString(16).padStart(2, "0");
  const pair = {
    a: `rfa${n}`,
    b: `rfb${n}`,
    macA: `02:00:00:00:0a:${hex}`,
    macB: `02:00:00:00:0b:${hex}`,
  };
  await sh(
    "ip",
    ...["link", "add", "name", pair.a, "address", pair.macA, "type", "veth"],
    ...["peer", "name", pair.b, "address", pair.macB],
  );
  await sh("ip", "link", "set", pair.a, "up");
  await sh("ip", "link", "set", pair.b, "up");
  return {
    ...pair,
    async [Symbol.asyncDispose]() {
      await run("ip", ["link", "del", pair.a]);
    },
  };
}

/** A capture by tcpdump (or tshark in a user namespace) into a pcap file. */
export interface Capture {
  /** The pcap file being written (removed by frames() unless `keep`). */
  file: string;
  /** Waits for the capture to end and returns the frames it wrote. */
  frames(): Promise<Uint8Array[]>;
  /** Stops the capture now (as Ctrl-C would) and returns its frames. */
  stop(): Promise<Uint8Array[]>;
}

/**
 * Starts an independent capture on `iface` of frames matching the pcap
 * `filter` (of `count` frames, or until stopped), and resolves once it is
 * capturing.
 */
export async function capture(
  iface: string,
  filter: string,
  count?: number,
  options: { keep?: boolean } = {},
): Promise<Capture> {
  const file = await Deno.makeTempFile({ suffix: ".pcap" });
  await Deno.chmod(file, 0o666); // tcpdump writes as its own user
  const limit = count === undefined ? [] : ["-c", String(count)];
  const child = inUserNamespace
    ? new Child("tshark", [
      ...[
        "-i",
        iface,
        "-F",
        "pcap",
        "-w",
        file,
        ...limit,
        "-s",
        "4096",
        "-B",
        "32",
      ],
      ...(filter === "" ? [] : ["-f", filter]),
    ])
    : new Child("tcpdump", [
      // Immediate mode: without it frames wait up to a second in the ring
      // and a stop in between loses them. Immediate mode uses a ring of
      // snaplen-sized slots: a small snaplen and a 32 MiB buffer give it
      // room for bursts (the default fits 8 frames).
      ...["-i", iface, "--immediate-mode", "-U", "-w", file, ...limit],
      ...["-s", "4096", "-B", "32768"],
      filter,
    ]);
  await child.waitFor(/listening on|Capturing on/);
  // tshark says "Capturing on" as dumpcap starts, a moment before its
  // socket is bound; tcpdump says "listening on" once it is.
  if (inUserNamespace) await sleep(500);
  const frames = async (): Promise<Uint8Array[]> => {
    const out = await child.done(10_000);
    const bytes = await Deno.readFile(file);
    if (!options.keep) await Deno.remove(file);
    if (out.code !== 0 && bytes.length === 0) {
      throw new Error(`capture failed: ${out.stderr}`);
    }
    return readPcap(bytes).map((frame) => frame.bytes);
  };
  return {
    file,
    frames,
    async stop() {
      // dumpcap (under tshark) has no immediate mode: let its ring's block
      // timeout (1 s) pass so every frame seen is written.
      if (inUserNamespace) await sleep(1100);
      child.process.kill("SIGINT");
      return frames();
    },
  };
}

/**
 * Sends frames with scapy (Debian's python3-scapy), an independent sender.
 * `frames` is a Python expression for a packet or list of packets, e.g.
 * `Ether(dst="...", src="...", type=0x88b5)/Raw(b"Hi")`.
 */
export async function scapySend(iface: string, frames: string): Promise<void> {
  const script = [
    "import logging",
    'logging.getLogger("scapy.runtime").setLevel(logging.ERROR)',
    "from scapy.all import Ether, Dot1Q, Dot1AD, Dot3, LLC, STP, Raw, sendp",
    `sendp(${frames}, iface=${JSON.stringify(iface)}, verbose=False)`,
  ].join("\n");
  const out = await run("/usr/bin/python3", ["-c", script], {
    timeoutMs: 30_000,
  });
  if (out.code !== 0) throw new Error(`scapy failed: ${out.stderr}`);
}

/** Hex of bytes, for readable assertion failures. */
export { toHex as hex } from "../lib/frame.ts";

/** The JSON objects of NDJSON output, one per non-empty line. */
// deno-lint-ignore no-explicit-any
export function jsonLines(text: string): any[] {
  return text.split("\n").filter((line) => line.trim() !== "").map((line) =>
    JSON.parse(line)
  );
}

/** The JSON summary a `--json` run prints last on stderr. */
// deno-lint-ignore no-explicit-any
export function jsonSummary(stderr: string): any {
  const lines = stderr.split("\n").filter((line) => line.trim() !== "");
  return JSON.parse(lines.at(-1) ?? "null"); // after the "listening on" line
}

/**
 * Reads fields of every frame in a capture file with tshark, one array of
 * strings per frame.
 */
export async function tsharkFields(
  file: string,
  fields: string[],
): Promise<string[][]> {
  const out = await run("tshark", [
    ...["-r", file, "-T", "fields", "-E", "separator=|"],
    ...fields.flatMap((f) => ["-e", f]),
  ]);
  if (out.code !== 0) throw new Error(`tshark failed: ${out.stderr}`);
  return out.stdout.trim().split("\n").filter((l) => l !== "").map((l) =>
    l.split("|")
  );
}

/**
 * Each frame's timestamp in a capture file as an independent reader prints
 * it, in seconds with nine decimals: tcpdump as root, tshark in a user
 * namespace (where tcpdump cannot drop privileges to read).
 */
export async function externalTimestamps(file: string): Promise<string[]> {
  const out = inUserNamespace
    ? await run("tshark", [
      "-r",
      file,
      "-T",
      "fields",
      "-e",
      "frame.time_epoch",
    ])
    : await run("tcpdump", [
      "-r",
      file,
      "-nn",
      "-tt",
      "--time-stamp-precision",
      "nano",
    ]);
  if (out.code !== 0) throw new Error(`reading ${file} failed: ${out.stderr}`);
  return out.stdout.split("\n").map((line) => line.match(/^\d+\.\d{9}\b/)?.[0])
    .filter((stamp) => stamp !== undefined);
}

/** Number of open file descriptors of this process. */
export function openFds(): number {
  return [...Deno.readDirSync("/proc/self/fd")].length;
}

/**
 * Sends `frame` on `tx` until `rx` receives a frame (at most `attempts`
 * times, 300 ms apart): on a loaded machine one frame can be late or
 * lost, and a test that needs one to arrive must not fail for that.
 */
export async function deliver(
  tx: RawSocket,
  rx: RawSocket,
  frame: Uint8Array,
  attempts = 10,
): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    tx.send(frame);
    if (await rx.receive({ timeoutMs: 300 }) !== null) return true;
  }
  return false;
}

/** CPU seconds this process has used (user + system, all threads). */
export function cpuSeconds(): number {
  const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1]
    .split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in ticks
}
