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
import type { TimeStyle } from "../lib/format.ts";
import {
  WRITE_HELP,
  WRITE_OPTIONS,
  type WritePlan,
  writePlan,
} from "./write_plan.ts";
import {
  checkTimeOption,
  filterOf,
  hexAsked,
  TCPDUMP_FLAGS,
  TCPDUMP_HELP,
  timeStyle,
} from "./tcpdump_flags.ts";
import type { Direction } from "../contract/types.ts";
import { InputError } from "../lib/errors.ts";

/** `rawframe listen --help`. */
export const HELP =
  `Usage: rawframe listen <iface|any> [options] [filter expression]
       rawframe listen -i <iface> [-i <iface>...] [options] [expression]

Shows each frame seen on <iface> ('any': every interface) as it arrives.
-i IFACE names it as tcpdump's -i does; several -i listen on each at once
(one socket each; lines name the interface; -w writes one pcapng file).
Words after the interface are a filter expression, as tcpdump's.

Filters (all run in the kernel):
  --type T            only this EtherType (tagged frames match on the type
                      after their tags)
  --src MAC           only frames from this MAC
  --dst MAC           only frames to this MAC
  --filter EXPR       a tcpdump filter expression, e.g. 'vlan 42' or 'not
                      arp' (compiled by libpcap); or typed after <iface>
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
${WRITE_HELP}
  --print             with -w FILE, print the lines too
  -q, --quiet         print no lines: count (and answer, write) only
  -B, --buffer-size KiB      the kernel's capture ring, as tcpdump -B
                             (1024 to 1048576)             default 32768
  --echo              answer 'rawframe ping' requests, each at once (no
                      ring), saying how long it held each one
  -h, --help          show this help

${TCPDUMP_HELP}

Ctrl-C, --count and --timeout end it with a summary on stderr (frames seen,
frames dropped by the kernel, per interface). -w needs --allow-write.`;

const OPTIONS = {
  interface: { type: "string", short: "i", multiple: true },
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
  ...WRITE_OPTIONS,
  print: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  "buffer-size": { type: "string", short: "B" },
  echo: { type: "boolean" },
  ...TCPDUMP_FLAGS,
} as const;

/** Everything `listen` will do, decided before any socket opens. */
export interface ListenPlan {
  /** Interfaces to listen on (`any`: all): one socket each. */
  ifaces: string[];
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
  /** Write a capture file (`-`: standard output). */
  write?: WritePlan;
  /** Print a line (or JSON record) per frame. */
  lines: boolean;
  /** Lines as JSON records. */
  json: boolean;
  /** A hex dump under each text line. */
  hex: boolean;
  /** More of each layer's fields in lines, as tcpdump -v. */
  verbose: boolean;
  /** How lines show the time (tcpdump's -t, -tt, ... -ttttt). */
  time: TimeStyle;
  /** Answer echo requests. */
  echo: boolean;
  /** The capture ring's size in KiB. */
  bufferKiB: number;
}

/**
 * The interfaces and the filter expression, as tcpdump reads its
 * arguments: `-i IFACE` (repeated: several), or the first argument; the
 * arguments after are the expression, joined by spaces.
 */
function interfacesOf(
  named: readonly string[],
  positionals: readonly string[],
): { ifaces: string[]; expression?: string } {
  if (named.length === 0 && positionals.length === 0) {
    expectPositionals("listen", positionals, ["iface"]);
  }
  const ifaces = named.length > 0 ? [...named] : [positionals[0]];
  const rest = named.length > 0 ? positionals : positionals.slice(1);
  const twice = ifaces.find((name, i) => ifaces.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new InputError(`-i ${quote(twice)} is given twice`);
  }
  if (ifaces.length > 1 && ifaces.includes("any")) {
    throw new InputError(
      `"any" is every interface already: give it alone, or name each with -i`,
    );
  }
  return rest.length === 0
    ? { ifaces }
    : { ifaces, expression: rest.join(" ") };
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
  const { ifaces, expression } = interfacesOf(
    values.strings("interface"),
    positionals,
  );
  const type = values.string("type");
  const src = values.string("src");
  const dst = values.string("dst");
  const path = values.string("write");
  const write = writePlan(values, ifaces.length > 1);
  checkCombinations(values, ifaces);
  const filter = filterOf(values.string("filter"), expression);
  const timeout = positiveNumber(
    "--timeout",
    values.string("timeout"),
    "seconds",
  );
  const json = values.flag("json");
  return {
    ifaces,
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
    ...(write === undefined ? {} : { write }),
    lines: (path === undefined && !values.flag("quiet")) ||
      values.flag("print"),
    json,
    hex: hexAsked(values),
    verbose: values.flag("verbose"),
    time: timeStyle(values),
    echo: values.flag("echo"),
    bufferKiB: bufferSize(values.string("buffer-size")),
  };
}

/**
 * Refuses options that contradict each other or would be ignored: each
 * says what it goes with.
 */
function checkCombinations(values: Values, ifaces: string[]): void {
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
  if (hexAsked(values)) checkLineOption(values, "hex", printsLines);
  if (values.flag("verbose")) checkLineOption(values, "verbose", printsLines);
  if (values.count("timestamps") > 0) checkTimeOption(values, printsLines);
  if (values.flag("echo") && (ifaces[0] === "any" || ifaces.length > 1)) {
    throw new InputError(
      `--echo needs one interface, not ${
        ifaces.length > 1 ? ifaces.length : '"any"'
      }`,
    );
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
