/**
 * `rawframe send`: build a frame (or take one whole, or a capture's) and
 * send it once, as a paced series, or as a replay. The plan (see
 * send_plan.ts) needs no network; this runs it and reports.
 *
 * @module
 */

import { quote } from "./args.ts";
import { notice, out } from "./output.ts";
import { stopOnSignals } from "./stop.ts";
import { clock, count, rateMeter, startStatus, type Status } from "./status.ts";
import {
  type BuildSource,
  HELP,
  planSend,
  type SendPlan,
  type SendSource,
} from "./send_plan.ts";
import { buildFrame } from "../lib/frame.ts";
import { decodeFrame } from "../lib/decode.ts";
import { etherTypeText } from "../lib/format.ts";
import { RawSocket } from "../lib/socket.ts";
import { getInterface, type NetworkInterface } from "../lib/interfaces.ts";
import { assertFits } from "../lib/frame_size.ts";
import { FrameSeries } from "../lib/series.ts";
import { report, type SendResult } from "./send_summary.ts";
import { layeredFrames } from "./layered_frames.ts";

export {
  type BuildSource,
  HELP,
  planSend,
  type SendPlan,
  type SendSource,
} from "./send_plan.ts";

/** `rawframe send ARGS`: plans, sends, reports; returns the exit code. */
export async function send(args: string[]): Promise<number> {
  const plan = await planSend(args);
  if (plan === undefined) {
    out(HELP);
    return 0;
  }
  report(plan, await runSend(plan));
  return 0;
}

/** Opens the socket, checks every frame fits, and sends the series. */
async function runSend(plan: SendPlan): Promise<SendResult> {
  using sock = RawSocket.open(plan.iface, { receive: false });
  const frames = framesOf(plan.source, sock.interface.mac);
  if (plan.source.kind === "build" && plan.source.layers === undefined) {
    sayIfNotDecoded(plan.source, sock.interface.mac);
  }
  // Every frame is checked before the first one leaves.
  frames.forEach((frame, i) =>
    assertFits(
      sock.interface,
      frame,
      plan.source.kind === "file"
        ? `frame ${i + 1} of ${quote(plan.source.file)}`
        : undefined,
    )
  );
  // One frame goes out at once: only a series can be interrupted, or
  // outlive its link's carrier. (The first timer of a process alone costs
  // about 5 ms of start-up.)
  const series = plan.count > 1;
  using stop = series ? stopOnSignals() : undefined;
  using _carrier = watchCarrier(sock.interface, series);
  const sending = new FrameSeries(sock, frames, {
    count: plan.count,
    schedule: plan.schedule,
  });
  using _status = series && plan.output === "text"
    ? sendStatus(plan, sending)
    : undefined;
  let interrupted = false;
  try {
    await sending.run({ signal: stop?.signal });
  } catch (error) {
    if (!stop?.caused(error)) {
      if (sending.sent > 0) {
        const of = Number.isFinite(plan.count) ? ` of ${plan.count}` : "";
        notice("send", `sent ${sending.sent}${of} frames before the error`, {
          sent: sending.sent,
        });
      }
      throw error;
    }
    interrupted = true;
  }
  const { sent, bytes, seconds } = sending;
  return { frames, sent, bytes, seconds, interrupted };
}

/**
 * The status line of a series: sent, rate, elapsed, and of how many with
 * the time left when the count is known (a replay: frame N of total).
 */
function sendStatus(plan: SendPlan, sending: FrameSeries): Status | undefined {
  const rate = rateMeter();
  return startStatus((ms) => {
    const sent = sending.sent;
    const now = `${count(rate(sent, ms))} frames/s, ${clock(ms)} elapsed`;
    if (plan.source.kind === "file") {
      return `sent frame ${count(sent)} of ${count(plan.count)}, ${now}`;
    }
    if (!Number.isFinite(plan.count)) {
      return `sent ${count(sent)} frames, ${now}`;
    }
    const left = sent === 0 ? NaN : ((plan.count - sent) * ms) / sent;
    return `sent ${count(sent)} of ${count(plan.count)} frames, ${now}${
      Number.isNaN(left) ? "" : `, ${clock(left)} left`
    }`;
  });
}

/** How often a series checks that its link still has a carrier. */
const CARRIER_CHECK_MS = 250;

/**
 * Says once on stderr when `iface` has no carrier (the far end is down):
 * the kernel then takes frames and drops them, so a flood would otherwise
 * report success at full speed.
 */
function watchCarrier(
  iface: NetworkInterface,
  keepWatching: boolean,
): Disposable {
  let said = false;
  const check = (running: boolean): void => {
    if (running || said) return;
    said = true;
    notice(
      "send",
      `interface ${
        quote(iface.name)
      } has no carrier (is the far end down?); frames sent now are dropped`,
    );
  };
  check(iface.running);
  if (!keepWatching) return { [Symbol.dispose]: () => {} };
  const timer = setInterval(() => {
    try {
      check(getInterface(iface.name).running);
    } catch {
      // gone: the next send reports it
    }
  }, CARRIER_CHECK_MS);
  return { [Symbol.dispose]: () => clearInterval(timer) };
}

/**
 * Says once when the EtherType is one rawframe decodes and the payload,
 * as given (before padding), does not decode as it: `--type arp --payload
 * hi` is no ARP packet. The frame still goes out as asked.
 */
function sayIfNotDecoded(source: BuildSource, mac: string): void {
  const unpadded = buildFrame({
    dst: source.dst,
    src: source.src ?? mac,
    type: source.type,
    vlans: source.vlans,
    payload: source.payload,
    pad: false,
  });
  const { info, layers } = decodeFrame(unpadded);
  if (info === null) return; // not a type rawframe decodes: any payload goes
  if (layers.length > 0 && !/\[\||\[bad|truncated|missing/.test(info)) return;
  notice(
    "send",
    `the payload is no whole ${
      etherTypeText(source.type)
    } packet (it decodes as "${info}"); it is sent as given. To build one, give its layers with --layers (see send --help), or all of its bytes with --hex or --file`,
  );
}

/** The frames the source stands for, built with `mac` as default source. */
function framesOf(source: SendSource, mac: string): Uint8Array[] {
  switch (source.kind) {
    case "frame":
      return [source.frame];
    case "file":
      return source.frames;
    case "build":
      if (source.layers !== undefined) return layeredFrames(source, mac);
      return [buildFrame({
        dst: source.dst,
        src: source.src ?? mac,
        type: source.type,
        vlans: source.vlans,
        payload: source.payload,
        pad: source.pad,
      })];
  }
}
