/**
 * `rawframe interfaces`: the interfaces of this network namespace as a
 * table or as JSON. Needs only `--allow-ffi`, no privilege.
 *
 * @module
 */

import { expectPositionals, parseArgs } from "./args.ts";
import { out } from "./output.ts";
import { listInterfaces, type NetworkInterface } from "../lib/interfaces.ts";
import { printable, safeJson } from "../lib/escape.ts";

/** `rawframe interfaces --help`. */
export const HELP = `Usage: rawframe interfaces [--json]

Lists the network interfaces: index, name, MAC, MTU and state.

Options:
  --json       print a JSON array
  -h, --help   show this help`;

/** `rawframe interfaces ARGS`: returns the exit code. */
export function interfaces(args: string[]): number {
  const { values, positionals } = parseArgs("interfaces", args, {
    json: { type: "boolean" },
  });
  if (values.flag("help")) {
    out(HELP);
    return 0;
  }
  expectPositionals("interfaces", positionals, []);
  const list = listInterfaces();
  if (values.flag("json")) out(safeJson(list));
  else for (const line of table(list)) out(line);
  return 0;
}

/** INDEX, NAME, MAC, MTU and STATE, in aligned columns. */
function table(list: readonly NetworkInterface[]): string[] {
  const rows = list.map((i) => [
    String(i.index),
    printable(i.name), // any byte but "/", ":" and spaces may name one
    i.mac,
    String(i.mtu),
    [
      i.up ? "up" : "down",
      ...(i.running ? ["running"] : []),
      ...(i.loopback ? ["loopback"] : []),
      ...(i.promisc ? ["promisc"] : []),
    ].join(","),
  ]);
  const cells = [["INDEX", "NAME", "MAC", "MTU", "STATE"], ...rows];
  const widths = cells[0].map((_, c) =>
    Math.max(...cells.map((r) => r[c].length))
  );
  return cells.map((row) =>
    row.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()
  );
}
