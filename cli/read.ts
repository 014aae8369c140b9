/**
 * `rawframe read FILE` (and `listen -r FILE`, as tcpdump users type it):
 * the frames of a pcap or pcapng file, shown as `listen` shows them, with
 * the file's timestamps. It streams: memory stays flat whatever the
 * file's size, and `read big.pcap | head` ends at once. It needs only
 * --allow-read (and --allow-ffi for --filter): no socket, no privilege.
 *
 * @module
 */

import { expectPositionals, parseArgs, quote, wholeNumber } from "./args.ts";
import { out } from "./output.ts";
import { readChunks } from "./files.ts";
import { LineWriter, writeHexdump } from "./line_writer.ts";
import { clock, size, startStatus, type Status } from "./status.ts";
import {
  formatMac,
  parseEtherType,
  parseFrame,
  parseMac,
} from "../lib/frame.ts";
import { frameJson, frameLine, type ShownFrame } from "../lib/format.ts";
import { type PcapFrame, PcapReader } from "../lib/pcap.ts";
import { type FrameMatcher, openPcapMatcher } from "../lib/pcap_filter.ts";
import { FrameError, InputError, RawframeError } from "../lib/errors.ts";

/** `rawframe read --help`. */
export const HELP = `Usage: rawframe read <file> [options]
       rawframe listen -r <file> [options]

Shows the frames of a pcap or pcapng file ('-': standard input) as
'listen' shows them, with the file's timestamps. Interface, direction and
packet type come from a pcapng file when it has them.

Filters:
  --type T            only this EtherType (after any VLAN tags)
  --src MAC           only frames from this MAC
  --dst MAC           only frames to this MAC
  --filter EXPR       a tcpdump filter expression, matched by libpcap as
                      'tcpdump -r FILE EXPR' does (needs --allow-ffi)

Output:
  -c, --count N       stop after N frames
  --json              one JSON object per frame (NDJSON)
  --hex               a hex dump (as hexdump -C) under each line (not
                      with --json, whose records hold the bytes)
  -h, --help          show this help

Needs --allow-read.`;

const OPTIONS = {
  type: { type: "string" },
  src: { type: "string" },
  dst: { type: "string" },
  filter: { type: "string" },
  count: { type: "string", short: "c" },
  json: { type: "boolean" },
  hex: { type: "boolean" },
} as const;

/** Everything `read` will do, decided before the file is opened. */
export interface ReadPlan {
  /** The file (`-`: standard input). */
  path: string;
  /** Only frames of this EtherType (after tags), from and to these MACs. */
  etherType?: number;
  src?: string;
  dst?: string;
  /** A tcpdump expression for libpcap's matcher. */
  filter?: string;
  /** Stop after this many frames. */
  count?: number;
  /** NDJSON records instead of lines. */
  json: boolean;
  /** A hex dump under each line. */
  hex: boolean;
}

/**
 * Reads `read`'s arguments into a plan.
 *
 * @returns the plan, or undefined when help was asked for.
 * @throws {InputError} for any invalid argument.
 */
export function planRead(args: string[]): ReadPlan | undefined {
  const { values, positionals } = parseArgs("read", args, OPTIONS);
  if (values.flag("help")) return undefined;
  expectPositionals("read", positionals, ["file"]);
  const type = values.string("type");
  const src = values.string("src");
  const dst = values.string("dst");
  const filter = values.string("filter");
  const count = wholeNumber("--count", values.string("count"), 1);
  const json = values.flag("json");
  if (json && values.flag("hex")) {
    throw new InputError(
      "--hex dumps under each line; --json records hold the bytes already (payload): give one",
    );
  }
  return {
    path: positionals[0],
    ...(type === undefined ? {} : { etherType: parseEtherType(type) }),
    ...(src === undefined ? {} : { src: formatMac(parseMac(src)) }),
    ...(dst === undefined ? {} : { dst: formatMac(parseMac(dst)) }),
    ...(filter === undefined ? {} : { filter }),
    ...(count === undefined ? {} : { count }),
    json,
    hex: values.flag("hex"),
  };
}

/** `rawframe read ARGS`: plans, reads, prints; returns the exit code. */
export async function read(args: string[]): Promise<number> {
  const plan = planRead(args);
  if (plan === undefined) {
    out(HELP);
    return 0;
  }
  // A typo in the expression is a usage error before the file is opened.
  using matcher = plan.filter === undefined
    ? undefined
    : openMatcher(plan.filter);
  using status = plan.json ? undefined : await readStatus(plan.path);
  try {
    await show(plan, matcher, status);
  } catch (error) {
    // `read big.pcap | head`: the reader is done, so are we.
    if (error instanceof Deno.errors.BrokenPipe) return 0;
    throw error;
  }
  return 0;
}

/** libpcap's matcher for `expression`; FFI is the one permission it needs. */
function openMatcher(expression: string): FrameMatcher {
  try {
    return openPcapMatcher(expression);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotCapable)) throw error;
    throw new RawframeError(
      "--filter runs libpcap through FFI: add --allow-ffi (deno run --allow-read --allow-ffi cli.ts read ...)",
    );
  }
}

/** Streams the file through the reader, the filters and the output. */
async function show(
  plan: ReadPlan,
  matcher: FrameMatcher | undefined,
  status: Status | undefined,
): Promise<void> {
  const reader = new PcapReader();
  const lines = new LineWriter();
  let shown = 0;
  const record: ShownFrame = shownFrame(); // filled again for each frame
  const take = (frame: PcapFrame): boolean => {
    if (!selected(plan, matcher, frame)) return true;
    fill(record, frame);
    if (plan.json) lines.writeLine(frameJson(record));
    else {
      lines.writeLine(frameLine(record));
      if (plan.hex) writeHexdump(lines, record.bytes);
    }
    return ++shown < (plan.count ?? Infinity);
  };
  try {
    await readChunks(plan.path, "read", (chunk) => {
      status?.advance(chunk.length);
      if (!reader.pushEach(chunk, take)) return false;
      lines.flush(); // what one chunk gave, out at once
      return true;
    });
    if (shown < (plan.count ?? Infinity)) reader.end();
  } catch (error) {
    if (!(error instanceof FrameError)) throw error;
    const name = plan.path === "-" ? "standard input" : quote(plan.path);
    throw new FrameError(`${name}: ${error.message}`, { cause: error });
  } finally {
    lines.flush(); // frames before a malformed part are still shown
  }
}

/** Whether `frame` passes the plan's filters. */
function selected(
  plan: ReadPlan,
  matcher: FrameMatcher | undefined,
  frame: PcapFrame,
): boolean {
  if (
    plan.etherType !== undefined || plan.src !== undefined ||
    plan.dst !== undefined
  ) {
    if (frame.bytes.length < 14) return false;
    const parsed = parseFrame(frame.bytes);
    if (plan.etherType !== undefined && parsed.type !== plan.etherType) {
      return false;
    }
    if (plan.src !== undefined && parsed.src !== plan.src) return false;
    if (plan.dst !== undefined && parsed.dst !== plan.dst) return false;
  }
  return matcher === undefined || matcher.matches(frame.bytes, frame.length);
}

/** A frame to show, to be filled by {@linkcode fill}. */
function shownFrame(): ShownFrame {
  return {
    iface: null,
    bytes: new Uint8Array(0),
    length: 0,
    pkttype: null,
    direction: null,
    timestamp: { seconds: 0, nanoseconds: 0 },
  };
}

/** `shown` made the frame from a file, as the formatters take it. */
function fill(shown: ShownFrame, frame: PcapFrame): void {
  shown.iface = frame.iface ?? null;
  shown.bytes = frame.bytes;
  shown.length = frame.length;
  shown.pkttype = frame.pkttype ?? null;
  shown.direction = frame.direction ?? null;
  shown.timestamp = frame.timestamp;
}

/**
 * The status line of a read that prints elsewhere than the terminal (a
 * pipe, a file): bytes read of the file's size. None when the lines go to
 * the terminal too, where a status line would break into them.
 */
async function readStatus(path: string): Promise<Status | undefined> {
  if (Deno.stdout.isTerminal() || !Deno.stderr.isTerminal()) return undefined;
  const total = path === "-"
    ? undefined
    : await Deno.stat(path).then((s) => s.size, () => undefined);
  return startStatus((ms, done) =>
    total === undefined || total === 0
      ? `read ${size(done)}, ${clock(ms)}`
      : `read ${size(done)} of ${size(total)} (${
        Math.floor((done / total) * 100)
      }%), ${clock(ms)}`
  );
}
