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
import { fileChunks } from "./files.ts";
import { openCaptureOutput, type OutputPlan } from "./capture_output.ts";
import { clock, size, startStatus, type Status } from "./status.ts";
import {
  formatMac,
  HEADER_SIZE,
  parseEtherType,
  parseFrame,
  parseMac,
} from "../lib/frame.ts";
// Not the ./capture entry: it brings the socket's code, which read never uses.
import { Capture } from "../lib/capture_loop.ts";
import { FileSource } from "../lib/file_source.ts";
import type { CapturedFrame } from "../lib/received_frame.ts";
import { type FrameMatcher, openPcapMatcher } from "../lib/pcap_filter.ts";
import { FrameError, InputError, RawframeError } from "../lib/errors.ts";
import { host } from "./host/runtime.ts";

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
  -v, --verbose       more of each layer's fields, as tcpdump -v: the IP
                      header's (ttl, id, flags...), checksums checked
  -w FILE             write the frames that pass the filters to a pcap
                      file ('-': stdout) instead of showing them, as
                      'tcpdump -r IN -w OUT EXPR' does (needs --allow-write)
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
  verbose: { type: "boolean", short: "v" },
  write: { type: "string", short: "w" },
} as const;

/** Everything `read` will do, decided before the file is opened. */
export interface ReadPlan extends OutputPlan {
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
  const hex = values.flag("hex");
  const verbose = values.flag("verbose");
  if (json && hex) {
    throw new InputError(
      "--hex dumps under each line; --json records hold the bytes already (payload): give one",
    );
  }
  if (json && verbose) {
    throw new InputError(
      "-v shows more fields in each line; --json records hold every field already (layers): give one",
    );
  }
  const path = values.string("write");
  if (path !== undefined && (json || hex || verbose)) {
    throw new InputError(
      `-w writes the frames to a file and shows none; ${
        json ? "--json" : hex ? "--hex" : "-v"
      } shows them: give one`,
    );
  }
  return {
    path: positionals[0],
    ...(type === undefined ? {} : { etherType: parseEtherType(type) }),
    ...(src === undefined ? {} : { src: formatMac(parseMac(src)) }),
    ...(dst === undefined ? {} : { dst: formatMac(parseMac(dst)) }),
    ...(filter === undefined ? {} : { filter }),
    ...(count === undefined ? {} : { count }),
    ...(path === undefined ? {} : {
      write: { path, precision: "micro" as const },
    }),
    lines: path === undefined,
    json,
    hex,
    verbose,
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
  using status = plan.json || plan.write?.path === "-"
    ? undefined
    : await readStatus(plan.path);
  try {
    await show(plan, matcher, status);
  } catch (error) {
    // `read big.pcap | head`: the reader is done, so are we.
    if (host.kindOf(error) === "broken-pipe") return 0;
    throw error;
  }
  return 0;
}

/** libpcap's matcher for `expression`; FFI is the one permission it needs. */
function openMatcher(expression: string): FrameMatcher {
  try {
    return openPcapMatcher(expression);
  } catch (error) {
    if (host.kindOf(error) !== "not-capable") throw error;
    throw new RawframeError(
      "--filter runs libpcap through FFI: add --allow-ffi (deno run --allow-read --allow-ffi cli.ts read ...)",
    );
  }
}

/**
 * Runs the capture loop `listen` runs, over the file: its frames, the
 * filters, the outputs.
 */
async function show(
  plan: ReadPlan,
  matcher: FrameMatcher | undefined,
  status: Status | undefined,
): Promise<void> {
  const source = new FileSource(chunksOf(plan.path, status), {
    select: selector(plan, matcher),
  });
  using output = openCaptureOutput(plan, (frame) => source.interfaceOf(frame));
  const capture = new Capture(source, {
    count: plan.count,
    pcap: output.pcap,
    record: output.record,
    show: output.show,
    afterBatch: output.flush, // what one chunk gave, out at once
  });
  try {
    await capture.run();
  } catch (error) {
    if (!(error instanceof FrameError)) throw error;
    const name = plan.path === "-" ? "standard input" : quote(plan.path);
    throw new FrameError(`${name}: ${error.message}`, { cause: error });
  }
}

/** The file's chunks, counted on the status line as they are read. */
async function* chunksOf(
  path: string,
  status: Status | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const chunk of fileChunks(path, "read")) {
    status?.advance(chunk.length);
    yield chunk;
  }
}

/** What passes the plan's filters; undefined when every frame does. */
function selector(
  plan: ReadPlan,
  matcher: FrameMatcher | undefined,
): ((frame: CapturedFrame) => boolean) | undefined {
  const { etherType, src, dst } = plan;
  const byHeader = etherType !== undefined || src !== undefined ||
    dst !== undefined;
  if (!byHeader && matcher === undefined) return undefined;
  return (frame) => {
    if (byHeader) {
      if (frame.bytes.length < HEADER_SIZE) return false;
      const parsed = parseFrame(frame.bytes);
      if (etherType !== undefined && parsed.type !== etherType) return false;
      if (src !== undefined && parsed.src !== src) return false;
      if (dst !== undefined && parsed.dst !== dst) return false;
    }
    return matcher === undefined || matcher.matches(frame.bytes, frame.length);
  };
}

/**
 * The status line of a read that prints elsewhere than the terminal (a
 * pipe, a file): bytes read of the file's size. None when the lines go to
 * the terminal too, where a status line would break into them.
 */
async function readStatus(path: string): Promise<Status | undefined> {
  if (host.stdout.isTerminal() || !host.stderr.isTerminal()) return undefined;
  const total = path === "-" ? undefined : await host.fileSize(path);
  return startStatus((ms, done) =>
    total === undefined || total === 0
      ? `read ${size(done)}, ${clock(ms)}`
      : `read ${size(done)} of ${size(total)} (${
        Math.floor((done / total) * 100)
      }%), ${clock(ms)}`
  );
}
