/**
 * `rawframe listen`: show, count, record or answer the frames an interface
 * sees. Parse and plan need no network; the plan is a plain value.
 *
 * @module
 */

import {
  choice,
  expectPositionals,
  parseArgs,
  positiveNumber,
  quote,
  type Values,
  wholeNumber,
} from "./args.ts";
import { err, out, plural } from "./output.ts";
import { type ListenOutput, openListenOutput } from "./listen_output.ts";
import { type Stop, stopOnSignals } from "./stop.ts";
import { clock, count, rateMeter, startStatus, type Status } from "./status.ts";
import { delay } from "../lib/delay.ts";
import { formatMac, parseEtherType, parseMac } from "../lib/frame.ts";
import { hex4, printable } from "../lib/format.ts";
import { RawSocket } from "../lib/socket.ts";
import { Capture } from "../lib/capture.ts";
import { compilePcapFilter } from "../lib/pcap_filter.ts";
import type { Precision } from "../lib/pcap.ts";
import { ECHO_ETHERTYPE } from "../lib/echo.ts";
import { wallClock } from "../lib/clock.ts";
import type { Direction, RingSize } from "../lib/types.ts";
import { InputError, InterfaceDownError } from "../lib/errors.ts";

/** `rawframe listen --help`. */
export const HELP = `Usage: rawframe listen <iface|any> [options]

Shows each frame seen on <iface> ('any': every interface) as it arrives.

Filters (all run in the kernel):
  --type T            only this EtherType (tagged frames match on the type
                      after their tags)
  --src MAC           only frames from this MAC
  --dst MAC           only frames to this MAC
  --filter EXPR       a tcpdump filter expression, e.g. 'vlan 42' or 'not
                      arp' (compiled by libpcap)
  --direction D       in, out or both                       default both
  --promisc           promiscuous mode while listening

Reading a file instead: -r FILE (the same as 'rawframe read FILE').

Stopping:
  -c, --count N       stop after N frames
  --timeout SECONDS   stop after SECONDS, even if nothing arrived

Output:
  --json              one JSON object per frame (NDJSON), and the summary;
                      with -q (or -w alone) the summary only
  --hex               a hex dump (as hexdump -C) under each printed line
  -w FILE             write frames to a pcap file instead ('-': stdout)
  --print             with -w FILE, print the lines too
  -q, --quiet         print no lines: count (and answer, write) only
  --time-stamp-precision P   -w file timestamps: micro or nano
                             (default micro)
  -B, --buffer-size KiB      the kernel's capture ring, as tcpdump -B
                             (1024 to 1048576)             default 32768
  --echo              answer 'rawframe ping' requests, each at once (no
                      ring), saying how long it held each one
  -h, --help          show this help

Ctrl-C, --count and --timeout end it with a summary on stderr (frames seen,
frames dropped by the kernel). -w needs --allow-write.`;

const OPTIONS = {
  type: { type: "string" },
  src: { type: "string" },
  dst: { type: "string" },
  filter: { type: "string" },
  direction: { type: "string" },
  promisc: { type: "boolean" },
  count: { type: "string", short: "c" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  hex: { type: "boolean" },
  write: { type: "string", short: "w" },
  print: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  "time-stamp-precision": { type: "string" },
  "buffer-size": { type: "string", short: "B" },
  echo: { type: "boolean" },
} as const;

/** Everything `listen` will do, decided before any socket opens. */
export interface ListenPlan {
  /** Interface to listen on (`any`: all). */
  iface: string;
  /** Kernel filters. */
  etherType?: number;
  src?: string;
  dst?: string;
  /** A tcpdump expression (already checked by libpcap). */
  filter?: string;
  direction: Direction;
  promisc: boolean;
  /** Stop after this many frames. */
  count?: number;
  /** Stop after this many milliseconds. */
  timeoutMs?: number;
  /** Write a pcap file (`-`: standard output). */
  write?: { path: string; precision: Precision };
  /** Print a line (or JSON record) per frame. */
  lines: boolean;
  /** Lines as JSON records. */
  json: boolean;
  /** A hex dump under each text line. */
  hex: boolean;
  /** Answer echo requests. */
  echo: boolean;
  /** The capture ring's size in KiB. */
  bufferKiB: number;
}

/**
 * Reads `listen`'s arguments into a plan, checking a filter expression
 * with libpcap (no privilege needed).
 *
 * @returns the plan, or undefined when help was asked for.
 * @throws {InputError} for any invalid argument.
 */
export function planListen(args: string[]): ListenPlan | undefined {
  const { values, positionals } = parseArgs("listen", args, OPTIONS);
  if (values.flag("help")) return undefined;
  expectPositionals("listen", positionals, ["iface"]);
  const [iface] = positionals;
  const type = values.string("type");
  const src = values.string("src");
  const dst = values.string("dst");
  const path = values.string("write");
  const precision = choice(
    "--time-stamp-precision",
    values.string("time-stamp-precision"),
    ["micro", "nano"],
    "micro",
  );
  checkCombinations(values, iface);
  const filter = values.string("filter");
  if (filter !== undefined) compilePcapFilter(filter); // a typo is a usage error
  const timeout = positiveNumber(
    "--timeout",
    values.string("timeout"),
    "seconds",
  );
  const json = values.flag("json");
  return {
    iface,
    ...(type === undefined ? {} : { etherType: parseEtherType(type) }),
    ...(src === undefined ? {} : { src: formatMac(parseMac(src)) }),
    ...(dst === undefined ? {} : { dst: formatMac(parseMac(dst)) }),
    ...(filter === undefined ? {} : { filter }),
    direction: choice("--direction", values.string("direction"), [
      "in",
      "out",
      "both",
    ], "both"),
    promisc: values.flag("promisc"),
    ...optional("count", wholeNumber("--count", values.string("count"), 1)),
    ...optional(
      "timeoutMs",
      timeout === undefined ? undefined : timeout * 1000,
    ),
    ...(path === undefined ? {} : { write: { path, precision } }),
    lines: (path === undefined && !values.flag("quiet")) ||
      values.flag("print"),
    json,
    hex: values.flag("hex"),
    echo: values.flag("echo"),
    bufferKiB: bufferSize(values.string("buffer-size")),
  };
}

/**
 * Refuses options that contradict each other or would be ignored: each
 * says what it goes with.
 */
function checkCombinations(values: Values, iface: string): void {
  const path = values.string("write");
  const toFile = path !== undefined && path !== "-";
  if (values.flag("print") && !toFile) {
    throw new InputError("--print goes with -w FILE");
  }
  if (values.flag("print") && values.flag("quiet")) {
    throw new InputError("give only one of --print, --quiet");
  }
  const printsLines = values.flag("print") ||
    (path === undefined && !values.flag("quiet"));
  if (values.flag("hex")) {
    if (values.flag("json")) {
      throw new InputError(
        "--hex dumps under each line; --json records hold the bytes already (payload): give one",
      );
    }
    if (!printsLines) {
      throw new InputError(
        `--hex dumps under each printed line, and ${
          values.flag("quiet") ? "-q" : "-w"
        } prints none${values.flag("quiet") ? "" : " (add --print)"}`,
      );
    }
  }
  if (values.has("time-stamp-precision") && path === undefined) {
    throw new InputError(
      "--time-stamp-precision sets the timestamps of a -w file; lines show microseconds",
    );
  }
  if (values.flag("echo") && iface === "any") {
    throw new InputError(`--echo needs one interface, not "any"`);
  }
  if (values.flag("echo") && values.has("buffer-size")) {
    throw new InputError(
      "-B sizes the capture ring, which --echo does not use: it answers each frame as it comes",
    );
  }
}

/** --buffer-size in KiB, as tcpdump's -B. */
function bufferSize(text: string | undefined): number {
  const kib = wholeNumber("--buffer-size", text, 1024) ?? DEFAULT_BUFFER_KIB;
  if (kib > MAX_BUFFER_KIB) {
    throw new InputError(
      `invalid --buffer-size ${
        JSON.stringify(text)
      }: at most ${MAX_BUFFER_KIB} KiB (1 GiB)`,
    );
  }
  return kib;
}

/** 32 MiB. */
const DEFAULT_BUFFER_KIB = 32768;
/** A responder's longest wait on its own thread, between event-loop turns. */
const ECHO_WAIT_MS = 20;

/** 1 GiB. */
const MAX_BUFFER_KIB = 1 << 20;

/**
 * `read`'s arguments when `args` reads a file (`-r FILE`, `--read FILE`,
 * `--read=FILE`): the file first, then the rest.
 */
function readOption(args: string[]): string[] | undefined {
  const at = args.findIndex((a) =>
    a === "-r" || a === "--read" || a.startsWith("--read=")
  );
  if (at < 0) return undefined;
  const joined = args[at].startsWith("--read=");
  const file = joined ? args[at].slice("--read=".length) : args[at + 1];
  const rest = args.filter((_, i) => i !== at && (joined || i !== at + 1));
  if (file === undefined || file === "") {
    throw new InputError(
      `${
        args[at].replace(/=.*/, "")
      } needs a file: a pcap or pcapng file, or - for standard input`,
    );
  }
  return [file, ...rest];
}

/** `{ key: value }` when value is defined, else `{}`. */
function optional<K extends string, V>(
  key: K,
  value: V | undefined,
): { [P in K]?: V } {
  return value === undefined ? {} : { [key]: value } as { [P in K]?: V };
}

/** Milliseconds between batches while frames keep coming (see Capture). */
const LINES_BATCH_MS = 10;
/** The same when nobody watches (-q, -w): fewer wake-ups still. */
const QUIET_BATCH_MS = 25;

/** The ring's blocks: 256 KiB, handed over after at most 2 ms. */
const RING_BLOCK = { blockSize: 1 << 18, blockTimeoutMs: 2 };

/**
 * The ring for `kib` KiB (tcpdump's -B unit), in whole 256 KiB blocks.
 * 32 MiB by default: at 1.8 M frames/s it holds about 0.1 s of frames,
 * so a garbage collection or a slow write loses none.
 */
function ringOf(kib: number): RingSize {
  const blockCount = Math.ceil((kib * 1024) / RING_BLOCK.blockSize);
  return { ...RING_BLOCK, blockCount };
}

/** What a run saw. */
interface ListenResult {
  received: number;
  dropped: number;
  answered: number;
  seconds: number;
}

/** `rawframe listen ARGS`: plans, listens, reports; returns the exit code. */
export async function listen(args: string[]): Promise<number> {
  const file = readOption(args);
  if (file !== undefined) { // `listen -r FILE`, as tcpdump users type it
    return (await import("./read.ts")).read(file);
  }
  const plan = planListen(args);
  if (plan === undefined) {
    out(HELP);
    return 0;
  }
  const result = await runListen(plan);
  if (result !== undefined) report(plan, result);
  return 0;
}

/** Listens until a count, a timeout or a signal; undefined if stdout closed. */
async function runListen(plan: ListenPlan): Promise<ListenResult | undefined> {
  const filter = plan.filter === undefined ? undefined : compilePcapFilter(
    plan.filter,
    { iface: plan.iface === "any" ? "lo" : plan.iface },
  );
  using sock = RawSocket.open(plan.iface, {
    etherType: plan.etherType,
    src: plan.src,
    dst: plan.dst,
    filter,
    direction: plan.direction,
    promisc: plan.promisc,
    // A responder answers each frame as it comes: a ring would hold it
    // until its block retires (up to 2 ms).
    ring: plan.echo ? undefined : ringOf(plan.bufferKiB),
  });
  using output = openListenOutput(
    plan,
    (index: number) => sock.interfaceNameOf(index),
  );
  using stop = stopOnSignals();
  using _timeout = stopAfter(plan.timeoutMs, stop);
  const capture = captureFor(plan, sock, output);
  err(
    `listening on ${printable(plan.iface)}, ${describe(plan)}; Ctrl-C to stop`,
  );
  // Nothing printed per frame (-w, -q): say how it goes, on a terminal
  // (never with --json, whose readers are programs).
  using _status = plan.lines || plan.json
    ? undefined
    : listenStatus(capture, sock);
  const started = performance.now();
  try {
    await runThroughFlaps(capture, stop, plan.iface);
  } catch (error) {
    // `listen ... | head -3`: the reader is done, so are we.
    if (error instanceof Deno.errors.BrokenPipe) return undefined;
    if (!stop.caused(error)) throw error;
  }
  return {
    received: capture.received,
    answered: capture.answered,
    dropped: sock.stats().drops,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The capture loop `plan` asks for, from `sock` into `output`. */
function captureFor(
  plan: ListenPlan,
  sock: RawSocket,
  output: ListenOutput,
): Capture {
  return new Capture(sock, {
    count: plan.count,
    pcap: output.pcap,
    record: output.record,
    show: output.show,
    echo: plan.echo
      ? {
        mac: sock.interface.mac,
        etherType: plan.etherType ?? ECHO_ETHERTYPE,
        send: (frame) => sock.send(frame),
        clock: wallClock,
      }
      : undefined,
    afterBatch: output.flush, // each batch out at once: files complete
    // An echo responder answers at once; everything else takes frames in
    // batches while they flood in, waking 100 times a second, not 500.
    batchMs: plan.echo ? 0 : plan.lines ? LINES_BATCH_MS : QUIET_BATCH_MS,
    // A responder waits on this thread: its hold time is about 0.12 ms
    // instead of 0.25 (measured on a veth pair); Ctrl-C waits ≤ 20 ms.
    ...(plan.echo ? { blockingWaitMs: ECHO_WAIT_MS } : {}),
  });
}

/**
 * Runs the capture until it ends; a link going down is said once on
 * stderr and survived (frames come again once it is back up). A removed
 * interface ends it with an error.
 */
async function runThroughFlaps(
  capture: Capture,
  stop: Stop,
  iface: string,
): Promise<void> {
  for (;;) {
    try {
      return await capture.run({ signal: stop.signal });
    } catch (error) {
      if (!(error instanceof InterfaceDownError)) throw error;
      err(
        `listen: interface ${quote(iface)} went down; still listening`,
      );
    }
  }
}

/** The status line of a capture: received, dropped by the kernel, rate. */
function listenStatus(capture: Capture, sock: RawSocket): Status | undefined {
  const rate = rateMeter();
  return startStatus((ms) => {
    const received = capture.received;
    return `received ${count(received)} frames, ${
      count(sock.stats().drops)
    } dropped by the kernel, ${count(rate(received, ms))} frames/s, ${
      clock(ms)
    }`;
  });
}

/** Stops `stop` after `ms` milliseconds (any number of them), if given. */
function stopAfter(ms: number | undefined, stop: Stop): Disposable {
  const cancel = new AbortController();
  if (ms !== undefined) {
    delay(ms, { signal: cancel.signal }).then(stop.abort, () => {});
  }
  return { [Symbol.dispose]: () => cancel.abort() };
}

/** The filters in words, for the "listening on" line. */
function describe(plan: ListenPlan): string {
  return [
    plan.etherType === undefined ? "" : `EtherType ${hex4(plan.etherType)}`,
    plan.src ? `src ${plan.src}` : "",
    plan.dst ? `dst ${plan.dst}` : "",
    plan.filter === undefined ? "" : `filter ${quote(plan.filter)}`,
    `direction ${plan.direction}`,
    plan.promisc ? "promiscuous" : "",
  ].filter((s) => s !== "").join(", ");
}

/** The closing summary on stderr. */
function report(plan: ListenPlan, result: ListenResult): void {
  const { received, dropped, answered, seconds } = result;
  if (plan.json) {
    err(JSON.stringify({
      received,
      dropped,
      seconds: Number(seconds.toFixed(6)),
      pps: Math.round(received / seconds),
      ...(plan.echo ? { answered } : {}),
    }));
    return;
  }
  const echoes = plan.echo
    ? `, ${plural(answered, "echo request")} answered`
    : "";
  err(
    `${
      plural(received, "frame")
    } received, ${dropped} dropped by the kernel${echoes}`,
  );
}
