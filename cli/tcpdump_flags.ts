/**
 * tcpdump's habits, as `listen` and `read` take them: `-n` and `-e`
 * (accepted: rawframe never resolves names, and its lines always show
 * the MAC addresses), `-x`/`-X` (a hex dump, as `--hex`), `-t` counted
 * (`-tttt`: dates), and a filter expression typed after the interface or
 * file (`listen eth0 udp port 53`).
 *
 * @module
 */

import { type OptionSpecs, quote, type Values } from "./args.ts";
import { TIME_STYLES, type TimeStyle } from "../lib/format.ts";
import { compilePcapFilter } from "../lib/pcap_filter.ts";
import { InputError } from "../lib/errors.ts";

/** The tcpdump flags both commands take. */
export const TCPDUMP_FLAGS = {
  numeric: { type: "boolean", short: "n" },
  "link-header": { type: "boolean", short: "e" },
  "hex-dump": { type: "boolean", short: "x" },
  "hex-ascii": { type: "boolean", short: "X" },
  timestamps: { type: "boolean", short: "t" },
} as const satisfies OptionSpecs;

/** Their lines in a command's help. */
export const TCPDUMP_HELP = `tcpdump's habits, taken as tcpdump means them:
  -n, -nn, -e         accepted: names are never resolved, and lines always
                      show the MAC addresses
  -x, -X, -xx, -XX    a hex dump under each line, as --hex
  -t                  no time; -tt seconds since 1970; -ttt since the
                      frame before; -tttt date and time; -ttttt since
                      the first frame`;

/** Whether a hex dump was asked for, as --hex or tcpdump's -x/-X. */
export function hexAsked(values: Values): boolean {
  return values.flag("hex") || values.flag("hex-dump") ||
    values.flag("hex-ascii");
}

/** The time style tcpdump's count of `-t` asks for. */
export function timeStyle(values: Values): TimeStyle {
  const count = values.count("timestamps");
  const style = TIME_STYLES[count];
  if (style === undefined) {
    throw new InputError(
      `-${
        "t".repeat(count)
      }: tcpdump's -t goes up to -ttttt (since the first frame)`,
    );
  }
  return style;
}

/** -t changes printed lines: refused where there are none. */
export function checkTimeOption(values: Values, printsLines: boolean): void {
  if (values.flag("json")) {
    throw new InputError(
      "-t changes how lines show the time; --json records hold it as RFC 3339: give one",
    );
  }
  if (!printsLines) {
    throw new InputError(
      "-t changes how lines show the time, and none are printed",
    );
  }
}

/**
 * The filter expression, from --filter or typed after the interface or
 * file, checked by libpcap (a typo is a usage error).
 */
export function filterOf(
  option: string | undefined,
  trailing: string | undefined,
): string | undefined {
  if (option !== undefined && trailing !== undefined) {
    throw new InputError(
      `give the filter once: --filter ${quote(option)} or ${
        quote(trailing)
      } after the interface, not both`,
    );
  }
  const filter = option ?? trailing;
  if (filter !== undefined) compilePcapFilter(filter);
  return filter;
}
