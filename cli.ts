#!/usr/bin/env -S deno run --allow-ffi
/**
 * The `rawframe` command line: `send`, `listen`, `ping`, `interfaces` and
 * `read`.
 * This entry only picks the command; each command's module (under cli/)
 * is loaded when that command runs, so `--version` or a one-frame `send`
 * loads nothing it does not use.
 *
 * Exit codes: 0 success, 1 runtime failure (permission, no such interface,
 * interface down, send error, no ping reply), 2 usage error (bad MAC, bad
 * EtherType, unknown option, missing argument).
 *
 * @example
 * ```sh
 * sudo deno run --allow-ffi cli.ts send 08:00:27:dd:d7:43 eth0
 * sudo deno run --allow-ffi cli.ts listen eth0 --type 0x88b5 --json
 * ```
 *
 * @module
 */

import denoJson from "./deno.json" with { type: "json" };
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, report } from "./cli/report.ts";
import { out, speakJson } from "./cli/output.ts";
import { catchSignals } from "./cli/stop.ts";
import { InputError } from "./lib/errors.ts";
import { nearest } from "./lib/suggest.ts";
import { host } from "./cli/host/runtime.ts";

export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE };

const HELP = `rawframe ${denoJson.version}: send and receive raw Ethernet frames

Usage:
  rawframe send <dst-mac> <iface> [options]   build and send frames
  rawframe listen <iface|any> [options]       show frames as they arrive
  rawframe ping <dst-mac> <iface> [options]   layer-2 echo to 'listen --echo'
  rawframe read <file> [options]              show the frames of a pcap file
  rawframe interfaces [--json]                list network interfaces

Run 'rawframe <command> --help' for a command's options.
Raw sockets need CAP_NET_RAW: run with sudo, or 'sudo setcap cap_net_raw+ep <binary>'.
Exit codes: 0 ok, 1 runtime failure, 2 usage error.`;

/** A command: its arguments in, its exit code out. */
type Command = (args: string[]) => number | Promise<number>;

/** Each command, loaded on demand. */
const COMMANDS = new Map<string, () => Promise<Command>>([
  ["send", async () => (await import("./cli/send.ts")).send],
  ["listen", async () => (await import("./cli/listen.ts")).listen],
  ["ping", async () => (await import("./cli/ping.ts")).pingCommand],
  ["interfaces", async () => (await import("./cli/interfaces.ts")).interfaces],
  ["read", async () => (await import("./cli/read.ts")).read],
]);

/**
 * Runs the command line with `args` (without the program name) and
 * returns the exit code. Errors are printed as one `error:` line.
 *
 * @example
 * ```ts ignore
 * import { main } from "@rawframe/rawframe/cli";
 * Deno.exit(await main(["interfaces"]));
 * ```
 */
export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === "--version" || command === "-V") {
      out(`rawframe ${denoJson.version}`);
      return EXIT_OK;
    }
    if (command === undefined || ["help", "--help", "-h"].includes(command)) {
      out(HELP);
      return EXIT_OK;
    }
    const load = COMMANDS.get(command);
    if (load === undefined) {
      const near = nearest(command, [...COMMANDS.keys()]);
      const hint = near === undefined ? "" : `; did you mean "${near}"?`;
      throw new InputError(
        `unknown command ${JSON.stringify(command)}${hint} (commands: ${
          [...COMMANDS.keys()].join(", ")
        }; see rawframe --help)`,
      );
    }
    // With --json, everything said, errors included, is JSON.
    if (rest.includes("--json")) speakJson();
    return await (await load())(rest);
  } catch (error) {
    return report(error);
  }
}

if (import.meta.main) {
  catchSignals(); // first: a signal that comes while we load is not lost
  host.exit(await main([...host.args]));
}
