/**
 * The capture file a command writes (`-w FILE`), as `listen` and `read`
 * share it: its format (pcap or pcapng), timestamp precision and
 * rotation (`-C`, `-G`, `-W`, as tcpdump's). Read into a plain value
 * before anything opens.
 *
 * @module
 */

import {
  choice,
  type OptionSpecs,
  positiveNumber,
  quote,
  type Values,
  wholeNumber,
} from "./args.ts";
import { checkTimeFormat } from "../lib/file_names.ts";
import type { RotationPlan } from "../lib/rotating_files.ts";
import type { Precision } from "../lib/pcap.ts";
import { InputError } from "../lib/errors.ts";

/** The options behind a write plan. */
export const WRITE_OPTIONS = {
  write: { type: "string", short: "w" },
  pcapng: { type: "boolean" },
  "time-stamp-precision": { type: "string" },
  "file-size": { type: "string", short: "C" },
  "rotate-seconds": { type: "string", short: "G" },
  "file-count": { type: "string", short: "W" },
} as const satisfies OptionSpecs;

/** Their lines in a command's help. */
export const WRITE_HELP =
  `  -w FILE             write frames to a capture file ('-': stdout): pcap,
                      or pcapng with --pcapng or a .pcapng name
  --pcapng            write pcapng (interface names, directions, the
                      kernel's counts at the end), as dumpcap does
  --time-stamp-precision P   -w file timestamps: micro or nano
                             (default micro)
  -C MB               a new file once this one holds more than MB
                      million bytes (FILE, FILE1, FILE2...)
  -G SECONDS          a new file every SECONDS; FILE may hold strftime
                      conversions (%Y %m %d %H %M %S %j %s %F %T)
  -W N                with -C: a ring of N files (FILE0...); with -G
                      alone: stop after N files`;

/** The write options other than -w, as a message names them. */
const NAMES: Record<string, string> = {
  pcapng: "--pcapng",
  "time-stamp-precision": "--time-stamp-precision",
  "file-size": "-C",
  "rotate-seconds": "-G",
  "file-count": "-W",
};

/** Bytes in tcpdump's -C unit. */
const MEGABYTE = 1_000_000;

/** The file `-w` writes. */
export interface WritePlan {
  /** The file (`-`: standard output); a strftime format with `-G`. */
  path: string;
  /** Timestamp precision. */
  precision: Precision;
  /** pcap (as tcpdump) or pcapng (as dumpcap). */
  format: "pcap" | "pcapng";
  /** Rotation across files, when asked for. */
  rotation?: RotationPlan;
}

/**
 * The write plan `values` give, or undefined without `-w`. `several`:
 * frames of several interfaces, which only pcapng can tell apart.
 */
export function writePlan(
  values: Values,
  several = false,
): WritePlan | undefined {
  const path = values.string("write");
  const precision = choice(
    "--time-stamp-precision",
    values.string("time-stamp-precision"),
    ["micro", "nano"],
    "micro",
  );
  const rotation = rotationPlan(values);
  if (path === undefined) {
    const given = Object.keys(NAMES).find((name) => values.has(name));
    if (given === "time-stamp-precision") {
      throw new InputError(
        "--time-stamp-precision sets the timestamps of a -w file; lines show microseconds",
      );
    }
    if (given !== undefined) {
      throw new InputError(`${NAMES[given]} goes with -w FILE`);
    }
    return undefined;
  }
  if (rotation !== undefined && path === "-") {
    throw new InputError(
      "-C and -G write files in turn: -w needs a file name, not -",
    );
  }
  if (rotation?.seconds !== undefined) checkTimeFormat(path);
  const pcapng = values.flag("pcapng") || /\.pcapng$/i.test(path) || several;
  return {
    path,
    precision,
    format: pcapng ? "pcapng" : "pcap",
    ...(rotation === undefined ? {} : { rotation }),
  };
}

/** -C, -G and -W, checked as tcpdump checks them. */
function rotationPlan(values: Values): RotationPlan | undefined {
  const megabytes = positiveNumber(
    "-C",
    values.string("file-size"),
    "millions of bytes",
  );
  const seconds = wholeNumber("-G", values.string("rotate-seconds"), 1);
  const files = wholeNumber("-W", values.string("file-count"), 1);
  if (megabytes === undefined && seconds === undefined) {
    if (files !== undefined) {
      throw new InputError(
        `-W ${quote(String(files))} counts the files of -C or -G: give one`,
      );
    }
    return undefined;
  }
  return {
    ...(megabytes === undefined
      ? {}
      : { bytes: Math.round(megabytes * MEGABYTE) }),
    ...(seconds === undefined ? {} : { seconds }),
    ...(files === undefined ? {} : { files }),
  };
}
