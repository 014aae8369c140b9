/**
 * `rawframe ping`: layer-2 echo requests to a `rawframe listen --echo`,
 * with round-trip times and ping's closing statistics. Parse and plan need
 * no network; the plan is a plain value.
 *
 * @module
 */

import {
  expectPositionals,
  parseArgs,
  positiveNumber,
  wholeNumber,
} from "./args.ts";
import { notice, out, plural, round3 } from "./output.ts";
import { type Stop, stopOnSignals } from "./stop.ts";
import { formatMac, parseEtherType, parseMac } from "../lib/frame.ts";
import { etherTypeText, printable } from "../lib/format.ts";
import { RawSocket } from "../lib/socket.ts";
import { getInterface } from "../lib/interfaces.ts";
import { InputError } from "../lib/errors.ts";
import { wallClock } from "../lib/clock.ts";
import {
  ECHO_STAMPED_SIZE,
  ping,
  type PingEvent,
  type PingSummary,
  summarize,
  type TimeStats,
} from "../lib/ping.ts";

/** `rawframe ping --help`. */
export const HELP = `Usage: rawframe ping <dst-mac> <iface> [options]

Sends layer-2 echo requests to <dst-mac>, which answers when it runs
'rawframe listen <iface> --echo', and prints each reply's time: from the
kernel's timestamp of the request leaving to its timestamp of the reply
arriving, less the time the responder held the request (hold=, which it
reports in the reply).

Options:
  --type T            EtherType of the echo frames          default 0x88b5
  -c, --count N       stop after N requests                 default: Ctrl-C
  --interval MS       milliseconds between requests         default 1000
  --timeout S         seconds to wait for each reply        default 1
  -s, --size BYTES    payload after the Ethernet header, echo header
                      included (36 or more)      default 46: 60-byte frames
  --json              one JSON object per event, then a summary object
  -q, --quiet         only the first line and the summary
  -h, --help          show this help

Exit status: 0 if any reply came, 1 if none did.`;

const OPTIONS = {
  type: { type: "string" },
  count: { type: "string", short: "c" },
  interval: { type: "string" },
  timeout: { type: "string" },
  size: { type: "string", short: "s" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
} as const;

/** Everything `ping` will do, decided before any socket opens. */
export interface PingPlan {
  /** Whom to ping. */
  dst: string;
  /** Interface to ping from. */
  iface: string;
  /** EtherType of the echo frames. */
  etherType: number;
  /** Requests to send (Infinity: until Ctrl-C). */
  count: number;
  /** Milliseconds between requests. */
  intervalMs: number;
  /** Milliseconds to wait for each reply. */
  timeoutMs: number;
  /** One JSON object per event. */
  json: boolean;
  /** Print no line per reply, only the summary. */
  quiet: boolean;
  /** Payload bytes after the Ethernet header, echo header included. */
  size: number;
}

/**
 * Reads `ping`'s arguments into a plan.
 *
 * @returns the plan, or undefined when help was asked for.
 * @throws {InputError} for any invalid argument.
 */
export function planPing(args: string[]): PingPlan | undefined {
  const { values, positionals } = parseArgs("ping", args, OPTIONS);
  if (values.flag("help")) return undefined;
  expectPositionals("ping", positionals, ["dst-mac", "iface"]);
  const [dst, iface] = positionals;
  const interval = positiveNumber(
    "--interval",
    values.string("interval"),
    "milliseconds",
  );
  const timeout = positiveNumber(
    "--timeout",
    values.string("timeout"),
    "seconds",
  );
  return {
    dst: formatMac(parseMac(dst)),
    iface,
    etherType: parseEtherType(values.string("type") ?? "0x88b5"),
    count: wholeNumber("--count", values.string("count"), 1) ?? Infinity,
    intervalMs: interval ?? 1000,
    timeoutMs: (timeout ?? 1) * 1000,
    json: values.flag("json"),
    quiet: values.flag("quiet"),
    size: wholeNumber("--size", values.string("size"), ECHO_STAMPED_SIZE) ??
      46,
  };
}

/** `rawframe ping ARGS`: returns 0 when any reply came, 1 when none did. */
export async function pingCommand(args: string[]): Promise<number> {
  const plan = planPing(args);
  if (plan === undefined) {
    out(HELP);
    return 0;
  }
  assertSizeFits(plan);
  using sock = RawSocket.open(plan.iface, {
    etherType: plan.etherType,
    direction: "in",
    txTimestamps: true, // when the request left, from the kernel
  });
  using stop = stopOnSignals();
  if (!plan.json) {
    out(
      `PING ${plan.dst} from ${sock.interface.mac} on ${
        printable(plan.iface)
      }, EtherType ${etherTypeText(plan.etherType)}, ${plan.size} bytes`,
    );
  }
  const started = performance.now();
  const { sent, rtts, holds } = await pingUntilDone(plan, sock, stop);
  const summary = summarize(sent, rtts, holds);
  printSummary(plan, summary, Math.round(performance.now() - started));
  return summary.received > 0 ? 0 : 1;
}

/** Refuses a size the interface cannot carry, before any socket opens. */
function assertSizeFits(plan: PingPlan): void {
  const mtu = getInterface(plan.iface).mtu;
  if (plan.size > mtu) {
    throw new InputError(
      `invalid --size ${plan.size}: ${
        printable(plan.iface)
      } carries at most ${mtu} bytes after the Ethernet header (its MTU)`,
    );
  }
}

/** Pings until the count, or a signal; what came back. */
async function pingUntilDone(plan: PingPlan, sock: RawSocket, stop: Stop) {
  const rtts: number[] = [];
  const holds: number[] = [];
  let sent = 0;
  const told = new Set<string>();
  const tellOnce = (key: string, text: string): void => {
    if (told.has(key)) return;
    told.add(key);
    notice("ping", text);
  };
  const options = {
    dst: plan.dst,
    etherType: plan.etherType,
    count: plan.count,
    intervalMs: plan.intervalMs,
    timeoutMs: plan.timeoutMs,
    size: plan.size,
    clock: wallClock,
    signal: stop.signal,
  };
  try {
    for await (const event of ping(sock, options)) {
      if (event.kind === "sent") sent = event.seq;
      else if (!plan.quiet) printEvent(plan, event);
      if (event.kind === "lost" && rtts.length === 0) {
        tellOnce(
          "silent",
          `no reply from ${plan.dst} yet: it answers only while it runs \`rawframe listen <iface> --echo\``,
        );
      }
      if (event.kind !== "reply") continue;
      rtts.push(event.rttMs);
      if (event.holdMs !== undefined) holds.push(event.holdMs);
      else {
        tellOnce(
          "old",
          `${event.from} does not say how long it holds a request (an older rawframe listen --echo): times include it`,
        );
      }
    }
  } catch (error) {
    if (!stop.caused(error)) throw error;
  }
  return { sent, rtts, holds };
}

/** One reply or loss: a line, or a JSON object. */
function printEvent(
  plan: PingPlan,
  event: Exclude<PingEvent, { kind: "sent" }>,
): void {
  if (event.kind === "lost") {
    out(
      plan.json
        ? JSON.stringify({ event: "lost", seq: event.seq })
        : `no reply from ${plan.dst}: seq=${event.seq}`,
    );
    return;
  }
  const hold = event.holdMs === undefined
    ? ""
    : ` hold=${event.holdMs.toFixed(3)} ms`;
  out(
    plan.json
      ? JSON.stringify({
        event: "reply",
        seq: event.seq,
        from: event.from,
        bytes: event.bytes,
        rtt_ms: round6(event.rttMs),
        hold_ms: event.holdMs === undefined ? null : round6(event.holdMs),
        round_trip_ms: round6(event.roundTripMs),
        kernel_times: event.kernelTimes,
      })
      : `${event.bytes} bytes from ${event.from}: seq=${event.seq} time=${
        event.rttMs.toFixed(3)
      } ms${hold}`,
  );
}

/** ping's closing lines, or one JSON summary object. */
function printSummary(
  plan: PingPlan,
  summary: PingSummary,
  elapsedMs: number,
): void {
  const { rttMs: rtt, holdMs: hold } = summary;
  if (plan.json) {
    out(JSON.stringify({
      event: "summary",
      sent: summary.sent,
      received: summary.received,
      loss: round3(summary.lossPercent),
      ...(rtt ? { rtt_ms: statsJson(rtt) } : {}),
      ...(hold ? { hold_ms: statsJson(hold) } : {}),
    }));
    return;
  }
  out(`\n--- ${plan.dst} rawframe ping statistics ---`);
  out(
    `${
      plural(summary.sent, "frame")
    } transmitted, ${summary.received} received, ${
      Number(summary.lossPercent.toFixed(1))
    }% loss, time ${elapsedMs}ms`,
  );
  if (rtt) out(`rtt min/avg/max/mdev = ${statsText(rtt)} ms`);
  if (hold) out(`hold min/avg/max/mdev = ${statsText(hold)} ms`);
}

/** `0.021/0.034/0.052/0.008`. */
function statsText(stats: TimeStats): string {
  return [stats.min, stats.avg, stats.max, stats.mdev].map((n) => n.toFixed(3))
    .join("/");
}

/** Stats in JSON, to the nanosecond. */
function statsJson(stats: TimeStats): TimeStats {
  return {
    min: round6(stats.min),
    avg: round6(stats.avg),
    max: round6(stats.max),
    mdev: round6(stats.mdev),
  };
}

/** Milliseconds to the nanosecond. */
function round6(ms: number): number {
  return Number(ms.toFixed(6));
}
