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
import { WRITE_HELP, WRITE_OPTIONS, writePlan } from "./write_plan.ts";
import {
  checkTimeOption,
  filterOf,
  hexAsked,
  TCPDUMP_FLAGS,
  TCPDUMP_HELP,
  timeStyle,
} from "./tcpdump_flags.ts";
import { out } from "./output.ts";
import { fileChunks } from "./files.ts";
import { openCaptureOutput, type OutputPlan } from "./capture_output.ts";
import { clock, size, startStatus, type Status } from "./status.ts";
import { formatMac, parseEtherType, parseMac } from "../lib/frame.ts";
import { decodeLink } from "../lib/decode/link.ts";
import { LINKTYPE_ETHERNET } from "../lib/pcap_writer.ts";
// Not the ./capture entry: it brings the socket's code, which read never uses.
import { Capture } from "../lib/capture_loop.ts";
import { FileSource } from "../lib/file_source.ts";
import { inflated } from "../lib/gunzip.ts";
import type { CapturedFrame } from "../lib/received_frame.ts";
import { type FrameMatcher, openPcapMatcher } from "../lib/pcap_filter.ts";
import { FrameError, InputError, RawframeError } from "../lib/errors.ts";
import { host } from "./host/runtime.ts";

/** `rawframe read --help`. */
export const HELP = `Usage: rawframe read <file> [options] [filter expression]
       rawframe listen -r <file> [options] [filter expression]

Shows the frames of a capture file ('-': standard input) as 'listen'
shows them, with the file's timestamps: pcap or pcapng, gzip-compressed
or not, Ethernet or Linux cooked ('any') captures. Interface, direction
and packet type come from the file when it has them. Words after the
file are a filter expression, as tcpdump's (needs --allow-ffi).

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
${WRITE_HELP}
                      (-w writes the frames that pass the filters instead
                      of showing them, as 'tcpdump -r IN -w OUT EXPR';
                      needs --allow-write)
  -h, --help          show this help

${TCPDUMP_HELP}

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
  ...WRITE_OPTIONS,
  ...TCPDUMP_FLAGS,
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
  expectPositionals("read", positionals.slice(0, 1), ["file"]);
  const type = values.string("type");
  const src = values.string("src");
  const dst = values.string("dst");
  const trailing = positionals.length > 1
    ? positionals.slice(1).join(" ")
    : undefined;
  const filter = filterOf(values.string("filter"), trailing);
  const count = wholeNumber("--count", values.string("count"), 1);
  const json = values.flag("json");
  const hex = hexAsked(values);
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
  const write = writePlan(values);
  const time = timeStyle(values);
  if (write !== undefined && (json || hex || verbose || time !== "local")) {
    throw new InputError(
      `-w writes the frames to a file and shows none; ${
        json ? "--json" : hex ? "--hex" : verbose ? "-v" : "-t"
      } shows them: give one`,
    );
  }
  if (json && time !== "local") checkTimeOption(values, true);
  return {
    path: positionals[0],
    ...(type === undefined ? {} : { etherType: parseEtherType(type) }),
    ...(src === undefined ? {} : { src: formatMac(parseMac(src)) }),
    ...(dst === undefined ? {} : { dst: formatMac(parseMac(dst)) }),
    ...(filter === undefined ? {} : { filter }),
    ...(count === undefined ? {} : { count }),
    ...(write === undefined ? {} : { write }),
    lines: write === undefined,
    json,
    hex,
    verbose,
    time,
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

/** Frames matched by libpcap, whatever their link type. */
interface LinkMatcher extends Disposable {
  matches(frame: CapturedFrame): boolean;
}

/**
 * libpcap's matchers of `expression`, one per link type the file holds
 * (Ethernet's compiled now, so a typo is said before reading; others when
 * their first frame comes).
 */
function openMatcher(expression: string): LinkMatcher {
  const matchers = new Map([[
    LINKTYPE_ETHERNET,
    openEthernetMatcher(expression),
  ]]);
  return {
    matches(frame) {
      const linkType = frame.linkType ?? LINKTYPE_ETHERNET;
      let matcher = matchers.get(linkType);
      if (matcher === undefined) {
        matchers.set(
          linkType,
          matcher = openPcapMatcher(expression, { linkType }),
        );
      }
      return matcher.matches(frame.bytes, frame.length);
    },
    [Symbol.dispose]() {
      for (const matcher of matchers.values()) matcher[Symbol.dispose]();
    },
  };
}

/** libpcap's matcher for `expression`; FFI is the one permission it needs. */
function openEthernetMatcher(expression: string): FrameMatcher {
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
  matcher: LinkMatcher | undefined,
  status: Status | undefined,
): Promise<void> {
  const source = new FileSource(chunksOf(plan.path, status), {
    select: selector(plan, matcher),
  });
  // A pcap copy says the link type of the frames it holds.
  const linkType = plan.write?.format === "pcap"
    ? await named(plan, source.linkType())
    : undefined;
  using output = openCaptureOutput(
    { ...plan, linkType },
    (frame) => source.interfaceOf(frame),
  );
  const capture = new Capture(source, {
    count: plan.count,
    pcap: output.pcap,
    record: output.record,
    show: output.show,
    afterBatch: output.flush, // what one chunk gave, out at once
  });
  await named(plan, capture.run());
}

/** What `work` gives; a fault in the file is said naming the file. */
async function named<T>(plan: ReadPlan, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof FrameError)) throw error;
    const name = plan.path === "-" ? "standard input" : quote(plan.path);
    throw new FrameError(`${name}: ${error.message}`, { cause: error });
  }
}

/** The file's chunks, counted on the status line as they are read. */
function chunksOf(
  path: string,
  status: Status | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  return inflated(counted(fileChunks(path, "read"), status));
}

/** The chunks as read (compressed or not), counted on the status line. */
async function* counted(
  chunks: AsyncIterable<Uint8Array>,
  status: Status | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const chunk of chunks) {
    status?.advance(chunk.length);
    yield chunk;
  }
}

/** What passes the plan's filters; undefined when every frame does. */
function selector(
  plan: ReadPlan,
  matcher: LinkMatcher | undefined,
): ((frame: CapturedFrame) => boolean) | undefined {
  const { etherType, src, dst } = plan;
  const byHeader = etherType !== undefined || src !== undefined ||
    dst !== undefined;
  if (!byHeader && matcher === undefined) return undefined;
  return (frame) => {
    if (byHeader) {
      // A cooked header's protocol and address count as type and source.
      const link = decodeLink(frame.bytes, frame.linkType);
      if (link === undefined) return false;
      if (etherType !== undefined && link.type !== etherType) return false;
      if (src !== undefined && link.src !== src) return false;
      if (dst !== undefined && link.dst !== dst) return false;
    }
    return matcher === undefined || matcher.matches(frame);
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
