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
import { out, plural, round3 } from "./output.ts";
import { stopOnSignals } from "./stop.ts";
import { formatMac, parseEtherType, parseMac } from "../lib/frame.ts";
import { etherTypeText } from "../lib/format.ts";
import { RawSocket } from "../lib/socket.ts";
import {
  ping,
  type PingEvent,
  type PingSummary,
  summarize,
} from "../lib/ping.ts";

/** `rawframe ping --help`. */
export const HELP = `Usage: rawframe ping <dst-mac> <iface> [options]

Sends layer-2 echo requests to <dst-mac>, which answers when it runs
'rawframe listen <iface> --echo', and prints each reply's round-trip time.

Options:
  --type T            EtherType of the echo frames          default 0x88b5
  -c, --count N       stop after N requests                 default: Ctrl-C
  --interval MS       milliseconds between requests         default 1000
  --timeout S         seconds to wait for each reply        default 1
  --json              one JSON object per event, then a summary object
  -h, --help          show this help

Exit status: 0 if any reply came, 1 if none did.`;

const OPTIONS = {
  type: { type: "string" },
  count: { type: "string", short: "c" },
  interval: { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
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
  };
}

/** `rawframe ping ARGS`: returns 0 when any reply came, 1 when none did. */
export async function pingCommand(args: string[]): Promise<number> {
  const plan = planPing(args);
  if (plan === undefined) {
    out(HELP);
    return 0;
  }
  using sock = RawSocket.open(plan.iface, {
    etherType: plan.etherType,
    direction: "in",
  });
  using stop = stopOnSignals();
  if (!plan.json) {
    out(
      `PING ${plan.dst} from ${sock.interface.mac} on ${plan.iface}, EtherType ${
        etherTypeText(plan.etherType)
      }`,
    );
  }
  const started = performance.now();
  const rtts: number[] = [];
  let sent = 0;
  try {
    for await (const event of ping(sock, { ...plan, signal: stop.signal })) {
      if (event.kind === "sent") sent = event.seq;
      else printEvent(plan, event);
      if (event.kind === "reply") rtts.push(event.rttMs);
    }
  } catch (error) {
    if (!stop.caused(error)) throw error;
  }
  const summary = summarize(sent, rtts);
  printSummary(plan, summary, Math.round(performance.now() - started));
  return summary.received > 0 ? 0 : 1;
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
  out(
    plan.json
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
}

/** ping's closing lines, or one JSON summary object. */
function printSummary(
  plan: PingPlan,
  summary: PingSummary,
  elapsedMs: number,
): void {
  const rtt = summary.rttMs;
  if (plan.json) {
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
  if (rtt) {
    const numbers = [rtt.min, rtt.avg, rtt.max, rtt.mdev].map((n) =>
      n.toFixed(3)
    );
    out(`rtt min/avg/max/mdev = ${numbers.join("/")} ms`);
  }
}
