/**
 * `rawframe listen`'s arguments read into a plan: a plain value, decided
 * before any socket opens (parse → plan). A filter expression is checked
 * by libpcap here, so a typo is a usage error.
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
import { formatMac, parseEtherType, parseMac } from "../lib/frame.ts";
import { compilePcapFilter } from "../lib/pcap_filter.ts";
import type { Precision } from "../lib/pcap.ts";
import type { Direction } from "../contract/types.ts";
import { InputError } from "../lib/errors.ts";

/** `rawframe listen --help`. */
export const HELP = `Usage: rawframe listen <iface|any> [options]
       rawframe listen -i <iface|any> [options]

Shows each frame seen on <iface> ('any': every interface) as it arrives.
-i IFACE names it as tcpdump's -i does.

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
  -v, --verbose       more of each layer's fields, as tcpdump -v: the IP
                      header's (ttl, id, flags...), checksums checked
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
  interface: { type: "string", short: "i" },
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
  verbose: { type: "boolean", short: "v" },
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
  /** More of each layer's fields in lines, as tcpdump -v. */
  verbose: boolean;
  /** Answer echo requests. */
  echo: boolean;
  /** The capture ring's size in KiB. */
  bufferKiB: number;
}

/** The interface, named by `-i IFACE` (as tcpdump's) or first. */
function interfaceOf(
  named: string | undefined,
  positionals: readonly string[],
): string {
  if (named === undefined) {
    expectPositionals("listen", positionals, ["iface"]);
    return positionals[0];
  }
  if (positionals.length > 0) {
    throw new InputError(
      `unexpected argument ${quote(positionals[0])}: -i ${
        quote(named)
      } names the interface; usage: rawframe listen -i <iface|any> [options]`,
    );
  }
  return named;
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
  const iface = interfaceOf(values.string("interface"), positionals);
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
    verbose: values.flag("verbose"),
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
  for (const flag of ["hex", "verbose"] as const) {
    if (values.flag(flag)) checkLineOption(values, flag, printsLines);
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

/** --hex or -v, which change printed lines: refused where none are. */
function checkLineOption(
  values: Values,
  flag: "hex" | "verbose",
  printsLines: boolean,
): void {
  const what = flag === "hex"
    ? "--hex dumps under each"
    : "-v shows more fields in each";
  if (values.flag("json")) {
    throw new InputError(
      `${what} line; --json records hold ${
        flag === "hex" ? "the bytes" : "every field"
      } already (${flag === "hex" ? "payload" : "layers"}): give one`,
    );
  }
  if (!printsLines) {
    throw new InputError(
      `${what} printed line, and ${
        values.flag("quiet") ? "-q" : "-w"
      } prints none${values.flag("quiet") ? "" : " (add --print)"}`,
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

/** 1 GiB. */
const MAX_BUFFER_KIB = 1 << 20;

/**
 * `read`'s arguments when `args` reads a file (`-r FILE`, `--read FILE`,
 * `--read=FILE`): the file first, then the rest.
 */
export function readOption(args: string[]): string[] | undefined {
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
