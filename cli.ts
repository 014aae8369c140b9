#!/usr/bin/env -S deno run --allow-ffi
/**
 * The `rawframe` command line: `send`, `listen`, `ping` and `interfaces`.
 * This file only parses arguments, formats output and picks exit codes;
 * the work is done by the library.
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

import { parseArgs } from "node:util";
import denoJson from "./deno.json" with { type: "json" };
import {
  buildFrame,
  etherTypeName,
  formatMac,
  hex4,
  parseEtherType,
  parseFrame,
  parseHex,
  parseMac,
  vlanTag,
  type VlanTagInit,
} from "./lib/frame.ts";
import { RawSocket } from "./lib/socket.ts";
import { listInterfaces } from "./lib/interfaces.ts";
import { frameLine, frameRecord, hexdump } from "./lib/format.ts";
import type { Direction } from "./lib/filters.ts";
import { compilePcapFilter } from "./lib/pcap_filter.ts";
import { PcapWriter, type Precision, readPcap } from "./lib/pcap.ts";
import type { RingFrame } from "./ffi/rx_ring.ts";
import {
  atRate,
  everyMs,
  sendSeries,
  type SeriesResult,
} from "./lib/series.ts";
import { ECHO_ETHERTYPE, echoReply } from "./lib/echo.ts";
import { ping as pingPeer, summarize } from "./lib/ping.ts";
import { FrameTooLargeError, InputError, RawframeError } from "./lib/errors.ts";

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
  rawframe listen <iface|any> [options]       show frames as they arrive
  rawframe ping <dst-mac> <iface> [options]   layer-2 echo to 'listen --echo'
  rawframe interfaces [--json]                list network interfaces

Run 'rawframe <command> --help' for a command's options.
Raw sockets need CAP_NET_RAW: run with sudo, or 'sudo setcap cap_net_raw+ep <binary>'.
Exit codes: 0 ok, 1 runtime failure, 2 usage error.`,
  send: `Usage: rawframe send <dst-mac> <iface> [options]
       rawframe send <iface> --frame HEX | --from-pcap FILE [options]

Sends Ethernet frames from <iface> to <dst-mac> (default: "Hi", EtherType 0x88b5).

Frame:
  --type T          EtherType: hex (0x88b5, 88b5) or a name (ipv4, arp, ipv6,
                    vlan, lldp, exp1, exp2, ...)            default 0x88b5
  --src MAC         source MAC                   default: the interface's MAC
  --vlan ID[:PCP]   add an 802.1Q tag; repeat for QinQ (the first is outer
                    and gets TPID 0x88a8)
  --payload TEXT    payload text (UTF-8)                    default "Hi"
  --hex HEX         payload as hex bytes, e.g. 48:69 or 4869
  --file PATH       payload from a file ('-': standard input)
  --no-pad          do not pad the frame to 60 bytes
  --frame HEX       send this whole frame, byte for byte (no <dst-mac>)
  --from-pcap FILE  replay every frame of a pcap/pcapng file (no <dst-mac>)
  --timing T        with --from-pcap: fast, or original (keep the gaps)

Series:
  -c, --count N     send N frames; 0 means until Ctrl-C      default 1
  --interval MS     wait MS milliseconds between frames      default 0
  --rate PPS        send PPS frames per second instead

Output:
  --json            print the summary as one JSON object
  -q, --quiet       print nothing on success
  -h, --help        show this help

MACs may be written 08:00:27:dd:d7:43, 08-00-27-dd-d7-43, 0800.27dd.d743 or
080027ddd743. Ctrl-C stops a series with a summary. --file and --from-pcap
need --allow-read.`,
  listen: `Usage: rawframe listen <iface|any> [options]

Shows each frame seen on <iface> ('any': every interface) as it arrives.

Filters (all run in the kernel):
  --type T            only this EtherType (tagged frames match on the type
                      after their tags)
  --src MAC           only frames from this MAC
  --dst MAC           only frames to this MAC
  --filter EXPR       a tcpdump filter expression, e.g. 'vlan 42' or 'not
                      arp' (compiled by libpcap)
  --direction D       in, out or both                       default both
  --promisc           promiscuous mode while listening

Stopping:
  -c, --count N       stop after N frames
  --timeout SECONDS   stop after SECONDS, even if nothing arrived

Output:
  --json              one JSON object per frame (NDJSON)
  --hex               a hex dump (as hexdump -C) under each line
  -w FILE             write frames to a pcap file instead ('-': stdout)
  --print             with -w FILE, print the lines too
  -q, --quiet         print no lines: count (and answer, write) only
  --time-stamp-precision P   pcap timestamps: micro or nano  default micro
  --echo              answer 'rawframe ping' requests
  -h, --help          show this help

Ctrl-C, --count and --timeout end it with a summary on stderr (frames seen,
frames dropped by the kernel). -w needs --allow-write.`,
  ping: `Usage: rawframe ping <dst-mac> <iface> [options]

Sends layer-2 echo requests to <dst-mac>, which answers when it runs
'rawframe listen <iface> --echo', and prints each reply's round-trip time.

Options:
  --type T            EtherType of the echo frames          default 0x88b5
  -c, --count N       stop after N requests                 default: Ctrl-C
  --interval MS       milliseconds between requests         default 1000
  --timeout S         seconds to wait for each reply        default 1
  --json              one JSON object per event, then a summary object
  -h, --help          show this help

Exit status: 0 if any reply came, 1 if none did.`,
  interfaces: `Usage: rawframe interfaces [--json]

Lists the network interfaces: index, name, MAC, MTU and state.

Options:
  --json       print a JSON array
  -h, --help   show this help`,
};

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** Parsed options of one subcommand. */
class Values {
  constructor(readonly raw: Record<string, unknown>) {}
  string(name: string): string | undefined {
    return this.raw[name] as string | undefined;
  }
  strings(name: string): string[] {
    return (this.raw[name] as string[] | undefined) ?? [];
  }
  flag(name: string): boolean {
    return this.raw[name] === true;
  }
}

/** Parses `args` for a subcommand, turning parseArgs' errors into ours. */
function parse(
  command: string,
  args: string[],
  options: Options,
): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { help: { type: "boolean", short: "h" }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: new Values(values), positionals };
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

/** A whole number of at least `min`, or undefined when not given. */
function wholeNumber(
  name: string,
  text: string | undefined,
  min: number,
): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new InputError(
      `invalid ${name} "${text}": give a whole number of ${min} or more`,
    );
  }
  return Number(text);
}

/** A number above 0 (or at least 0 with `allowZero`), or undefined. */
function positiveNumber(
  name: string,
  text: string | undefined,
  unit: string,
  allowZero = false,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(allowZero ? value >= 0 : value > 0)) {
    throw new InputError(
      `invalid ${name} "${text}": give ${unit} ${
        allowZero ? "of 0 or more" : "above 0"
      }, such as 5 or 0.5`,
    );
  }
  return value;
}

function expectPositionals(
  command: string,
  got: string[],
  names: string[],
): void {
  const usage = `usage: rawframe ${command} ${
    names.map((n) => `<${n}>`).join(" ")
  } [options]`;
  if (got.length < names.length) {
    const missing = names.slice(got.length).map((n) => `<${n}>`).join(" ");
    throw new InputError(`missing ${missing}; ${usage}`);
  }
  if (got.length > names.length) {
    throw new InputError(
      `unexpected argument "${got[names.length]}"; ${usage}`,
    );
  }
}

function exclusive(values: Values, names: string[]): void {
  const given = names.filter((n) => values.raw[n] !== undefined);
  if (given.length > 1) {
    throw new InputError(
      `give only one of ${given.map((n) => `--${n}`).join(", ")}`,
    );
  }
}

/** `ID[:PCP]` as given to --vlan. */
function parseVlan(text: string): VlanTagInit {
  const match = text.match(/^(\d+)(?::(\d+))?$/);
  if (!match) {
    throw new InputError(
      `invalid --vlan "${text}": give ID or ID:PCP, such as 42 or 42:3`,
    );
  }
  const tag = { id: Number(match[1]), pcp: Number(match[2] ?? 0) };
  vlanTag(tag); // validates: ID 0–4094, PCP 0–7
  return tag;
}

/** Reads a file the user named, with errors that say what to do. */
async function readUserFile(path: string, option: string): Promise<Uint8Array> {
  try {
    if (path === "-") {
      return new Uint8Array(
        await new Response(Deno.stdin.readable).arrayBuffer(),
      );
    }
    return await Deno.readFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable) {
      throw new RawframeError(
        `${option} ${path} needs read permission: add --allow-read (deno run --allow-ffi --allow-read cli.ts ...)`,
      );
    }
    if (err instanceof Deno.errors.NotFound) {
      throw new RawframeError(`${option} ${path}: no such file`);
    }
    throw new RawframeError(`${option} ${path}: ${(err as Error).message}`);
  }
}

const encoder = new TextEncoder();

/** Writes all of `bytes` to a stream, synchronously (no buffering). */
function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  bytes: Uint8Array,
): void {
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

function out(text: string): void {
  writeAll(Deno.stdout, encoder.encode(`${text}\n`));
}

function err(text: string): void {
  writeAll(Deno.stderr, encoder.encode(`${text}\n`));
}

/** A stop that Ctrl-C (SIGINT), SIGTERM or `abort()` triggers. */
interface Stop extends Disposable {
  signal: AbortSignal;
  abort(): void;
}

function stopOnSignals(): Stop {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  return {
    signal: stop.signal,
    abort: onSignal,
    [Symbol.dispose]() {
      Deno.removeSignalListener("SIGINT", onSignal);
      Deno.removeSignalListener("SIGTERM", onSignal);
    },
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function typeText(type: number): string {
  const name = etherTypeName(type);
  return name ? `${hex4(type)} (${name})` : hex4(type);
}

async function send(args: string[]): Promise<number> {
  const { values, positionals } = parse("send", args, {
    type: { type: "string" },
    src: { type: "string" },
    vlan: { type: "string", multiple: true },
    payload: { type: "string" },
    hex: { type: "string" },
    file: { type: "string" },
    "no-pad": { type: "boolean" },
    frame: { type: "string" },
    "from-pcap": { type: "string" },
    timing: { type: "string" },
    count: { type: "string", short: "c" },
    interval: { type: "string" },
    rate: { type: "string" },
    json: { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
  });
  if (values.flag("help")) return help("send");
  // Validate everything the user typed before touching the network.
  exclusive(values, ["payload", "hex", "file", "frame", "from-pcap"]);
  exclusive(values, ["interval", "rate"]);
  const whole = values.string("frame") !== undefined ||
    values.string("from-pcap") !== undefined;
  expectPositionals(
    "send",
    positionals,
    whole ? ["iface"] : ["dst-mac", "iface"],
  );
  const ifaceName = positionals[positionals.length - 1];
  const timing = values.string("timing") ?? "fast";
  if (!["fast", "original"].includes(timing)) {
    throw new InputError(`invalid --timing "${timing}": give fast or original`);
  }
  if (values.string("timing") !== undefined && !values.string("from-pcap")) {
    throw new InputError("--timing goes with --from-pcap");
  }
  if (values.string("from-pcap") && values.string("count") !== undefined) {
    throw new InputError(
      "--count does not apply to --from-pcap: it sends each frame of the file once",
    );
  }
  const count = wholeNumber("--count", values.string("count"), 0) ?? 1;
  const interval = positiveNumber(
    "--interval",
    values.string("interval"),
    "milliseconds",
    true,
  );
  const rate = positiveNumber(
    "--rate",
    values.string("rate"),
    "frames per second",
  );
  const dueMs = rate !== undefined
    ? atRate(rate)
    : interval
    ? everyMs(interval)
    : undefined;

  // What to send, and how to describe it in the summary. A built frame
  // needs the socket first: its source defaults to the interface's MAC.
  type Plan = { frames: Uint8Array[]; about: Record<string, unknown> };
  let plan: (sock: RawSocket) => Plan;
  let recorded: number[] | undefined;
  if (values.string("frame") !== undefined) {
    const frame = parseHex(values.string("frame")!);
    const parsed = parseFrame(frame); // at least a header
    plan = () => ({
      frames: [frame],
      about: { src: parsed.src, dst: parsed.dst, type: parsed.type },
    });
  } else if (values.string("from-pcap") !== undefined) {
    const path = values.string("from-pcap")!;
    const file = await readUserFile(path, "--from-pcap");
    const records = readPcap(file);
    const first = records[0]?.timestamp;
    recorded = first === undefined
      ? []
      : records.map((r) =>
        (r.timestamp.seconds - first.seconds) * 1000 +
        (r.timestamp.nanoseconds - first.nanoseconds) / 1e6
      );
    plan = () => ({
      frames: records.map((r) => r.bytes),
      about: { file: path },
    });
  } else {
    const dst = parseMac(positionals[0]);
    const type = parseEtherType(values.string("type") ?? "0x88b5");
    const srcText = values.string("src");
    const src = srcText === undefined ? undefined : parseMac(srcText);
    const vlans = values.strings("vlan").map(parseVlan);
    const payload = values.string("file") !== undefined
      ? await readUserFile(values.string("file")!, "--file")
      : values.string("hex") !== undefined
      ? parseHex(values.string("hex")!)
      : values.string("payload") ?? "Hi";
    plan = (sock) => {
      const frame = buildFrame({
        dst,
        src: src ?? sock.interface.mac,
        type,
        vlans,
        payload,
        pad: !values.flag("no-pad"),
      });
      return {
        frames: [frame],
        about: {
          src: formatMac(frame.subarray(6, 12)),
          dst: formatMac(dst),
          type,
          ...(vlans.length > 0 ? { vlan: parseFrame(frame).vlans } : {}),
        },
      };
    };
  }

  using sock = RawSocket.open(ifaceName, { receive: false });
  const { frames, about } = plan(sock);
  // Nothing leaves unless every frame fits.
  for (const frame of frames) {
    const max = sock.maxFrameSize(frame);
    if (frame.length > max) {
      throw new FrameTooLargeError(
        ifaceName,
        frame.length,
        max,
        sock.interface.mtu,
      );
    }
  }
  using stop = stopOnSignals();
  const total = recorded ? frames.length : count === 0 ? Infinity : count;
  const result = await sendSeries(sock, frames, {
    count: total,
    dueMs: recorded && timing === "original" ? (i) => recorded[i] : dueMs,
    signal: stop.signal,
  });
  if (result.error !== undefined) {
    if (result.sent > 0) {
      err(`sent ${result.sent} of ${total} frames before the error`);
    }
    throw result.error;
  }
  reportSent(values, ifaceName, about, frames, result);
  return EXIT_OK;
}

function reportSent(
  values: Values,
  iface: string,
  about: Record<string, unknown>,
  frames: Uint8Array[],
  result: SeriesResult,
): void {
  const pps = result.seconds > 0 ? result.sent / result.seconds : 0;
  if (values.flag("json")) {
    out(JSON.stringify({
      sent: result.sent,
      bytes: result.bytes,
      ...about,
      iface,
      seconds: Number(result.seconds.toFixed(6)),
      pps: Math.round(pps),
      ...(result.interrupted ? { interrupted: true } : {}),
    }));
    return;
  }
  if (values.flag("quiet")) return;
  const size = frames.every((f) => f.length === frames[0]?.length)
    ? ` of ${frames[0]?.length ?? 0} bytes`
    : ` (${result.bytes} bytes)`;
  const route = about.file !== undefined
    ? ` from ${about.file}`
    : `, ${about.src} > ${about.dst}, type ${typeText(about.type as number)}`;
  const tags = (about.vlan as { id: number; pcp: number }[] | undefined)
    ?.map((t) => `, vlan ${t.id} p ${t.pcp}`).join("") ?? "";
  const timing = result.sent > 1 || result.interrupted
    ? ` in ${result.seconds.toFixed(3)} s (${Math.round(pps)} frames/s)`
    : "";
  const stopped = result.interrupted ? ", stopped by signal" : "";
  out(
    `sent ${
      plural(result.sent, "frame")
    }${size}${route}${tags}, on ${iface}${timing}${stopped}`,
  );
}

async function listen(args: string[]): Promise<number> {
  const { values, positionals } = parse("listen", args, {
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
    write: { type: "string", short: "w" },
    print: { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
    "time-stamp-precision": { type: "string" },
    echo: { type: "boolean" },
  });
  if (values.flag("help")) return help("listen");
  expectPositionals("listen", positionals, ["iface"]);
  const [ifaceName] = positionals;
  const typeOption = values.string("type");
  const etherType = typeOption === undefined
    ? undefined
    : parseEtherType(typeOption);
  const srcText = values.string("src");
  const dstText = values.string("dst");
  const src = srcText === undefined ? undefined : parseMac(srcText);
  const dst = dstText === undefined ? undefined : parseMac(dstText);
  const count = wholeNumber("--count", values.string("count"), 1);
  const timeout = positiveNumber(
    "--timeout",
    values.string("timeout"),
    "seconds",
  );
  const direction = (values.string("direction") ?? "both") as Direction;
  if (!["in", "out", "both"].includes(direction)) {
    throw new InputError(
      `invalid --direction "${direction}": give in, out or both`,
    );
  }
  const precision =
    (values.string("time-stamp-precision") ?? "micro") as Precision;
  if (!["micro", "nano"].includes(precision)) {
    throw new InputError(
      `invalid --time-stamp-precision "${precision}": give micro or nano`,
    );
  }
  const path = values.string("write");
  if (values.flag("print") && (path === undefined || path === "-")) {
    throw new InputError("--print goes with -w FILE");
  }
  if (values.flag("echo") && ifaceName === "any") {
    throw new InputError(`--echo needs one interface, not "any"`);
  }
  const expression = values.string("filter");
  // A typo in the expression is a usage error even before the socket opens.
  if (expression !== undefined) compilePcapFilter(expression);
  const filter = expression === undefined
    ? undefined
    : compilePcapFilter(expression, {
      iface: ifaceName === "any" ? "lo" : ifaceName,
    });

  using sock = RawSocket.open(ifaceName, {
    etherType,
    src,
    dst,
    filter,
    direction,
    promisc: values.flag("promisc"),
    ring: true,
  });
  const output = path === undefined ? undefined : openCapture(path);
  const pcap = output && new PcapWriter(output.write, precision);
  using stop = stopOnSignals();
  const timer = timeout === undefined
    ? undefined
    : setTimeout(stop.abort, timeout * 1000);
  const described = [
    etherType === undefined ? "" : `EtherType ${hex4(etherType)}`,
    src ? `src ${formatMac(src)}` : "",
    dst ? `dst ${formatMac(dst)}` : "",
    expression === undefined ? "" : `filter "${expression}"`,
    `direction ${direction}`,
    values.flag("promisc") ? "promiscuous" : "",
  ].filter((s) => s !== "").join(", ");
  err(`listening on ${ifaceName}, ${described}; Ctrl-C to stop`);
  const printLines = (pcap === undefined && !values.flag("quiet")) ||
    values.flag("print");
  const echoType = etherType ?? ECHO_ETHERTYPE;
  let seen = 0;
  let answered = 0;
  let pipeClosed = false;
  const json = values.flag("json");
  const hex = values.flag("hex") && !json;
  const echo = values.flag("echo");
  // Called for each frame while it is still in the ring: the pcap record
  // is copied straight from there; lines and echoes need a copy of it.
  const visit = (frame: RingFrame): void => {
    seen++;
    pcap?.add(frame);
    if (!printLines && !echo) return;
    const received = sock.copyFrame(frame);
    if (printLines) {
      out(json ? JSON.stringify(frameRecord(received)) : frameLine(received));
      if (hex) writeAll(Deno.stdout, encoder.encode(hexdump(received.bytes)));
    }
    if (echo && received.direction === "in") {
      const reply = echoReply(received.bytes, sock.interface.mac, echoType);
      if (reply) {
        sock.send(reply);
        answered++;
      }
    }
  };
  const started = performance.now();
  try {
    while (!stop.signal.aborted && seen !== count) {
      const got = sock.drain(visit, (count ?? Infinity) - seen);
      pcap?.flush(); // the file is complete after every batch
      if (got === 0) await sock.waitReadable({ signal: stop.signal });
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    pipeClosed = true; // `listen ... | head -3`: the reader is done, so are we
  } finally {
    clearTimeout(timer);
    try {
      pcap?.flush();
    } finally {
      output?.close();
    }
  }
  if (!pipeClosed) {
    const { drops } = sock.stats();
    const seconds = (performance.now() - started) / 1000;
    if (json) {
      err(JSON.stringify({
        received: seen,
        dropped: drops,
        seconds: Number(seconds.toFixed(6)),
        pps: Math.round(seen / seconds),
        ...(echo ? { answered } : {}),
      }));
    } else {
      const echoes = echo
        ? `, ${plural(answered, "echo request")} answered`
        : "";
      err(
        `${
          plural(seen, "frame")
        } received, ${drops} dropped by the kernel${echoes}`,
      );
    }
  }
  return EXIT_OK;
}

/** Where -w writes: a file, or standard output for '-'. */
function openCapture(
  path: string,
): { write(bytes: Uint8Array): void; close(): void } {
  if (path === "-") {
    return { write: (bytes) => writeAll(Deno.stdout, bytes), close: () => {} };
  }
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) {
      throw new RawframeError(
        `-w ${path} needs write permission: add --allow-write (deno run --allow-ffi --allow-write cli.ts ...)`,
      );
    }
    throw new RawframeError(`-w ${path}: ${(error as Error).message}`);
  }
  return { write: (bytes) => writeAll(file, bytes), close: () => file.close() };
}

async function ping(args: string[]): Promise<number> {
  const { values, positionals } = parse("ping", args, {
    type: { type: "string" },
    count: { type: "string", short: "c" },
    interval: { type: "string" },
    timeout: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.flag("help")) return help("ping");
  expectPositionals("ping", positionals, ["dst-mac", "iface"]);
  const [dstText, ifaceName] = positionals;
  const dst = parseMac(dstText);
  const etherType = parseEtherType(values.string("type") ?? "0x88b5");
  const count = wholeNumber("--count", values.string("count"), 1) ?? Infinity;
  const intervalMs =
    positiveNumber("--interval", values.string("interval"), "milliseconds") ??
      1000;
  const timeoutMs =
    (positiveNumber("--timeout", values.string("timeout"), "seconds") ?? 1) *
    1000;
  const json = values.flag("json");

  using sock = RawSocket.open(ifaceName, { etherType, direction: "in" });
  using stop = stopOnSignals();
  const peer = formatMac(dst);
  if (!json) {
    out(
      `PING ${peer} from ${sock.interface.mac} on ${ifaceName}, EtherType ${
        typeText(etherType)
      }`,
    );
  }
  const started = performance.now();
  const rtts: number[] = [];
  let sent = 0;
  for await (
    const event of pingPeer(sock, {
      dst,
      etherType,
      count,
      intervalMs,
      timeoutMs,
      signal: stop.signal,
    })
  ) {
    if (event.kind === "sent") {
      sent = event.seq;
    } else if (event.kind === "reply") {
      rtts.push(event.rttMs);
      out(
        json
          ? JSON.stringify({
            event: "reply",
            seq: event.seq,
            from: event.from,
            bytes: event.bytes,
            rtt_ms: round3(event.rttMs),
          })
          : `${event.bytes} bytes from ${event.from}: seq=${event.seq} time=${
            event.rttMs.toFixed(3)
          } ms`,
      );
    } else {
      out(
        json
          ? JSON.stringify({ event: "lost", seq: event.seq })
          : `no reply from ${peer}: seq=${event.seq}`,
      );
    }
  }
  const summary = summarize(sent, rtts);
  const elapsed = Math.round(performance.now() - started);
  if (json) {
    const rtt = summary.rttMs;
    out(JSON.stringify({
      event: "summary",
      sent: summary.sent,
      received: summary.received,
      loss: round3(summary.lossPercent),
      ...(rtt
        ? {
          rtt_ms: {
            min: round3(rtt.min),
            avg: round3(rtt.avg),
            max: round3(rtt.max),
            mdev: round3(rtt.mdev),
          },
        }
        : {}),
    }));
  } else {
    out(`\n--- ${peer} rawframe ping statistics ---`);
    out(
      `${
        plural(summary.sent, "frame")
      } transmitted, ${summary.received} received, ${
        Number(summary.lossPercent.toFixed(1))
      }% loss, time ${elapsed}ms`,
    );
    const rtt = summary.rttMs;
    if (rtt) {
      out(
        `rtt min/avg/max/mdev = ${
          [rtt.min, rtt.avg, rtt.max, rtt.mdev].map((n) => n.toFixed(3)).join(
            "/",
          )
        } ms`,
      );
    }
  }
  return summary.received > 0 ? EXIT_OK : EXIT_FAILURE;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function interfaces(args: string[]): number {
  const { values, positionals } = parse("interfaces", args, {
    json: { type: "boolean" },
  });
  if (values.flag("help")) return help("interfaces");
  expectPositionals("interfaces", positionals, []);
  const list = listInterfaces();
  if (values.flag("json")) {
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
        return await send(rest);
      case "listen":
        return await listen(rest);
      case "ping":
        return await ping(rest);
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
          `unknown command "${command}"; commands: send, listen, ping, interfaces (see rawframe --help)`,
        );
    }
  } catch (error) {
    return report(error);
  }
}

/** Prints an error as one line and picks its exit code. */
function report(error: unknown): number {
  if (error instanceof Deno.errors.BrokenPipe) return EXIT_OK;
  try {
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
    const message = error instanceof Error ? error.message : String(error);
    err(`error: unexpected failure: ${message}`);
  } catch {
    // stderr is gone too: nothing left to tell
  }
  return EXIT_FAILURE;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
