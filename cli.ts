#!/usr/bin/env -S deno run --allow-ffi
/**
 * The `rawframe` command line: `send`, `listen` and `interfaces`. This file
 * only parses arguments, formats output and picks exit codes; the work is
 * done by the library.
 *
 * Exit codes: 0 success, 1 runtime failure (permission, no such interface,
 * interface down, send error), 2 usage error (bad MAC, bad EtherType,
 * unknown option, missing argument).
 *
 * @example
 * ```sh
 * sudo deno run --allow-ffi cli.ts send 08:00:27:dd:d7:43 eth0
 * sudo deno run --allow-ffi cli.ts listen eth0 --type 0x88b5 --json
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import denoJson from "./deno.json" with { type: "json" };
import {
  buildFrame,
  etherTypeName,
  formatMac,
  hex4,
  parseEtherType,
  parseHex,
  parseMac,
} from "./lib/frame.ts";
import { RawSocket } from "./lib/socket.ts";
import { listInterfaces } from "./lib/interfaces.ts";
import { frameLine, frameRecord } from "./lib/format.ts";
import type { Direction } from "./lib/filters.ts";
import { InputError, RawframeError } from "./lib/errors.ts";

/** Exit code of a run that worked. */
export const EXIT_OK = 0;
/** Exit code of a runtime failure: permission, interface, send error. */
export const EXIT_FAILURE = 1;
/** Exit code of a usage error: bad MAC, EtherType, option or argument. */
export const EXIT_USAGE = 2;

const HELP: Record<string, string> = {
  main: `rawframe ${denoJson.version}: send and receive raw Ethernet frames

Usage:
  rawframe send <dst-mac> <iface> [options]   build and send frames
  rawframe listen <iface> [options]           show frames as they arrive
  rawframe interfaces [--json]                list network interfaces

Run 'rawframe <command> --help' for a command's options.
Raw sockets need CAP_NET_RAW: run with sudo, or 'sudo setcap cap_net_raw+ep <binary>'.
Exit codes: 0 ok, 1 runtime failure, 2 usage error.`,
  send: `Usage: rawframe send <dst-mac> <iface> [options]

Sends an Ethernet frame from <iface> to <dst-mac> (default: "Hi", EtherType 0x88b5).

Options:
  --type T        EtherType: hex (0x88b5, 88b5) or a name (ipv4, arp, ipv6,
                  vlan, lldp, exp1, exp2, ...)             default 0x88b5
  --src MAC       source MAC                    default: the interface's MAC
  --payload TEXT  payload text (UTF-8)                     default "Hi"
  --hex HEX       payload as hex bytes, e.g. 48:69 or 4869
  --no-pad        do not pad the frame to 60 bytes
  -c, --count N   send N frames                            default 1
  --json          print the summary as one JSON object
  -q, --quiet     print nothing on success
  -h, --help      show this help

MACs may be written 08:00:27:dd:d7:43, 08-00-27-dd-d7-43, 0800.27dd.d743 or
080027ddd743.`,
  listen: `Usage: rawframe listen <iface> [options]

Shows each frame seen on <iface> the moment it arrives.

Options:
  --type T            only this EtherType (filtered in the kernel; tagged
                      frames match on the type after their tags)
  -c, --count N       stop after N frames
  --timeout SECONDS   stop after SECONDS, even if nothing arrived
  --direction D       in, out or both                       default both
  --json              one JSON object per frame (NDJSON)
  -h, --help          show this help

Ctrl-C, --count and --timeout end it with a summary on stderr (frames seen,
frames dropped by the kernel).`,
  interfaces: `Usage: rawframe interfaces [--json]

Lists the network interfaces: index, name, MAC, MTU and state.

Options:
  --json       print a JSON array
  -h, --help   show this help`,
};

type Values = Record<string, string | boolean | undefined>;

/** Parses `args` for a subcommand, turning parseArgs' errors into ours. */
function parse(
  command: string,
  args: string[],
  options: NonNullable<Parameters<typeof parseArgs>[0]>["options"],
): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { help: { type: "boolean", short: "h" }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Values, positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const option = message.match(/'(-[^']*)'/)?.[1];
    const code = (err as { code?: string }).code;
    const what = code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
      ? `unknown option "${option}"`
      : code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
      ? `option "${option?.split(" ")[0]}" needs a value`
      : message;
    throw new InputError(
      `${what} for ${command}; see: rawframe ${command} --help`,
    );
  }
}

function positiveInteger(
  name: string,
  text: string | undefined,
): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new InputError(
      `invalid ${name} "${text}": give a whole number of 1 or more`,
    );
  }
  return Number(text);
}

function positiveSeconds(
  name: string,
  text: string | undefined,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(value > 0)) {
    throw new InputError(
      `invalid ${name} "${text}": give seconds above 0, such as 5 or 0.5`,
    );
  }
  return value;
}

function expectPositionals(
  command: string,
  got: string[],
  names: string[],
): void {
  if (got.length < names.length) {
    throw new InputError(
      `missing ${
        names.slice(got.length).map((n) => `<${n}>`).join(" ")
      }; usage: rawframe ${command} ${
        names.map((n) => `<${n}>`).join(" ")
      } [options]`,
    );
  }
  if (got.length > names.length) {
    throw new InputError(
      `unexpected argument "${got[names.length]}"; usage: rawframe ${command} ${
        names.map((n) => `<${n}>`).join(" ")
      } [options]`,
    );
  }
}

const encoder = new TextEncoder();

/** Writes all of `text` to a stream, synchronously (no buffering). */
function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  text: string,
): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

function out(text: string): void {
  writeAll(Deno.stdout, `${text}\n`);
}

function err(text: string): void {
  writeAll(Deno.stderr, `${text}\n`);
}

function send(args: string[]): number {
  const { values, positionals } = parse("send", args, {
    type: { type: "string" },
    src: { type: "string" },
    payload: { type: "string" },
    hex: { type: "string" },
    "no-pad": { type: "boolean" },
    count: { type: "string", short: "c" },
    json: { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
  });
  if (values.help) return help("send");
  expectPositionals("send", positionals, ["dst-mac", "iface"]);
  const [dstText, ifaceName] = positionals;
  // Validate everything the user typed before touching the network.
  const dst = parseMac(dstText);
  const type = parseEtherType((values.type as string | undefined) ?? "0x88b5");
  const src = values.src === undefined
    ? undefined
    : parseMac(values.src as string);
  if (values.payload !== undefined && values.hex !== undefined) {
    throw new InputError("give either --payload or --hex, not both");
  }
  const payload = values.hex !== undefined
    ? parseHex(values.hex as string)
    : (values.payload as string | undefined) ?? "Hi";
  const count =
    positiveInteger("--count", values.count as string | undefined) ?? 1;

  using sock = RawSocket.open(ifaceName, { receive: false });
  const frame = buildFrame({
    dst,
    src: src ?? sock.interface.mac,
    type,
    payload,
    pad: !values["no-pad"],
  });
  let sent = 0;
  try {
    for (; sent < count; sent++) sock.send(frame);
  } finally {
    if (sent > 0 && sent < count) {
      err(`sent ${sent} of ${count} frames before the error`);
    }
  }
  const summary = {
    sent,
    bytes: sent * frame.length,
    src: formatMac(frame.subarray(6, 12)),
    dst: formatMac(dst),
    type,
    iface: ifaceName,
  };
  if (values.json) {
    out(JSON.stringify(summary));
  } else if (!values.quiet) {
    const name = etherTypeName(type);
    out(
      `sent ${sent} frame${
        sent === 1 ? "" : "s"
      } of ${frame.length} bytes, ${summary.src} > ${summary.dst}, type ${
        hex4(type)
      }${name ? ` (${name})` : ""}, on ${ifaceName}`,
    );
  }
  return EXIT_OK;
}

async function listen(args: string[]): Promise<number> {
  const { values, positionals } = parse("listen", args, {
    type: { type: "string" },
    count: { type: "string", short: "c" },
    timeout: { type: "string" },
    direction: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) return help("listen");
  expectPositionals("listen", positionals, ["iface"]);
  const [ifaceName] = positionals;
  const etherType = values.type === undefined
    ? undefined
    : parseEtherType(values.type as string);
  const count = positiveInteger("--count", values.count as string | undefined);
  const timeout = positiveSeconds(
    "--timeout",
    values.timeout as string | undefined,
  );
  const direction = (values.direction ?? "both") as Direction;
  if (!["in", "out", "both"].includes(direction)) {
    throw new InputError(
      `invalid --direction "${direction}": give in, out or both`,
    );
  }

  using sock = RawSocket.open(ifaceName, { etherType, direction });
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const timer = timeout === undefined
    ? undefined
    : setTimeout(() => stop.abort(), timeout * 1000);
  const filter = etherType === undefined
    ? ""
    : `, EtherType ${hex4(etherType)}`;
  err(
    `listening on ${ifaceName}${filter}, direction ${direction}; Ctrl-C to stop`,
  );
  let seen = 0;
  let pipeClosed = false;
  try {
    for await (const frame of sock.frames({ signal: stop.signal })) {
      out(
        values.json
          ? JSON.stringify(frameRecord(frame, ifaceName))
          : frameLine(frame, ifaceName),
      );
      if (++seen === count) break;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    pipeClosed = true; // `listen ... | head -3`: the reader is done, so are we
  } finally {
    clearTimeout(timer);
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  const { drops } = sock.stats();
  if (!pipeClosed) {
    err(
      `${seen} frame${
        seen === 1 ? "" : "s"
      } received, ${drops} dropped by the kernel`,
    );
  }
  return EXIT_OK;
}

function interfaces(args: string[]): number {
  const { values, positionals } = parse("interfaces", args, {
    json: { type: "boolean" },
  });
  if (values.help) return help("interfaces");
  expectPositionals("interfaces", positionals, []);
  const list = listInterfaces();
  if (values.json) {
    out(JSON.stringify(list));
    return EXIT_OK;
  }
  const rows = list.map((i) => [
    String(i.index),
    i.name,
    i.mac,
    String(i.mtu),
    [
      i.up ? "up" : "down",
      ...(i.running ? ["running"] : []),
      ...(i.loopback ? ["loopback"] : []),
      ...(i.promisc ? ["promisc"] : []),
    ].join(","),
  ]);
  const table = [["INDEX", "NAME", "MAC", "MTU", "STATE"], ...rows];
  const widths = table[0].map((_, c) =>
    Math.max(...table.map((r) => r[c].length))
  );
  for (const row of table) {
    out(row.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd());
  }
  return EXIT_OK;
}

function help(topic: string): number {
  out(HELP[topic]);
  return EXIT_OK;
}

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
    switch (command) {
      case "send":
        return send(rest);
      case "listen":
        return await listen(rest);
      case "interfaces":
        return interfaces(rest);
      case "--version":
      case "-V":
        out(`rawframe ${denoJson.version}`);
        return EXIT_OK;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        return help("main");
      default:
        throw new InputError(
          `unknown command "${command}"; commands: send, listen, interfaces (see rawframe --help)`,
        );
    }
  } catch (error) {
    return report(error);
  }
}

/** Prints an error as one line and picks its exit code. */
function report(error: unknown): number {
  if (error instanceof InputError) {
    err(`error: ${error.message}`);
    return EXIT_USAGE;
  }
  if (error instanceof RawframeError) {
    err(`error: ${error.message}`);
    return EXIT_FAILURE;
  }
  if (error instanceof Deno.errors.NotCapable) {
    err(
      "error: rawframe calls libc through FFI: run it with --allow-ffi, e.g. sudo deno run --allow-ffi cli.ts ...",
    );
    return EXIT_FAILURE;
  }
  if (error instanceof Deno.errors.BrokenPipe) return EXIT_OK;
  const message = error instanceof Error ? error.message : String(error);
  err(`error: unexpected failure: ${message}`);
  return EXIT_FAILURE;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
