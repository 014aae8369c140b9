/**
 * `rawframe listen`: show, count, record or answer the frames an interface
 * sees. The plan (see listen_plan.ts) needs no network; this runs it and
 * reports.
 *
 * @module
 */

import { quote } from "./args.ts";
import { err, notice, out, plural, speaksJson } from "./output.ts";
import { type CaptureOutput, openCaptureOutput } from "./capture_output.ts";
import { type Stop, stopOnSignals } from "./stop.ts";
import { clock, count, rateMeter, startStatus, type Status } from "./status.ts";
import {
  HELP,
  type ListenPlan,
  planListen,
  readOption,
} from "./listen_plan.ts";
import { delay } from "../lib/delay.ts";
import { hex4, printable, safeJson } from "../lib/format.ts";
import { RawSocket } from "../lib/socket.ts";
import {
  Capture,
  EchoResponder,
  type FrameSource,
  MergedSource,
  SocketSource,
} from "../lib/capture.ts";
import type { InterfaceCounts } from "../lib/pcapng_writer.ts";
import { compilePcapFilter } from "../lib/pcap_filter.ts";
import { ECHO_ETHERTYPE } from "../lib/echo.ts";
import { wallClock } from "../lib/clock.ts";
import type { RingSize } from "../contract/types.ts";
import { InterfaceDownError } from "../lib/errors.ts";
import { host } from "./host/runtime.ts";

export { HELP, type ListenPlan, planListen } from "./listen_plan.ts";

/** A responder's longest wait on its own thread, between event-loop turns. */
const ECHO_WAIT_MS = 20;

/** Milliseconds between batches while frames keep coming (see Capture). */
const LINES_BATCH_MS = 10;
/** The same when nobody watches (-q, -w): fewer wake-ups still. */
const QUIET_BATCH_MS = 25;

/**
 * How long frames may gather between batches: never longer than half of
 * what the ring holds when frames trickle in (each block is handed over
 * after 2 ms however full, so a 1 MiB ring of 4 blocks holds 8 ms: with
 * 25 ms batches it lost two thirds of a 50,000 frames/s series).
 */
function batchMsFor(plan: ListenPlan): number {
  const ring = ringOf(plan.bufferKiB);
  const holds = (ring.blockCount * ring.blockTimeoutMs) / 2;
  return Math.min(plan.lines ? LINES_BATCH_MS : QUIET_BATCH_MS, holds);
}

/** The ring's blocks: 256 KiB, handed over after at most 2 ms. */
const RING_BLOCK = { blockSize: 1 << 18, blockTimeoutMs: 2 };

/**
 * The ring for `kib` KiB (tcpdump's -B unit), in whole 256 KiB blocks.
 * 32 MiB by default: at 1.8 M frames/s it holds about 0.1 s of frames,
 * so a garbage collection or a slow write loses none.
 */
function ringOf(kib: number): RingSize {
  const blockCount = Math.ceil((kib * 1024) / RING_BLOCK.blockSize);
  return { ...RING_BLOCK, blockCount };
}

/** What a run saw on one interface. */
interface InterfaceResult {
  iface: string;
  received: number;
  dropped: number;
}

/** What a run saw. */
interface ListenResult {
  received: number;
  dropped: number;
  answered: number;
  seconds: number;
  /** Each interface's, when there are several. */
  interfaces: InterfaceResult[];
}

/** `rawframe listen ARGS`: plans, listens, reports; returns the exit code. */
export async function listen(args: string[]): Promise<number> {
  const file = readOption(args);
  if (file !== undefined) { // `listen -r FILE`, as tcpdump users type it
    return (await import("./read.ts")).read(file);
  }
  const plan = planListen(args);
  if (plan === undefined) {
    out(HELP);
    return 0;
  }
  const result = await runListen(plan);
  if (result !== undefined) report(plan, result);
  return 0;
}

/** Opens one socket per interface of `plan`; all or none. */
function openSockets(plan: ListenPlan): RawSocket[] {
  const sockets: RawSocket[] = [];
  try {
    for (const iface of plan.ifaces) {
      const filter = plan.filter === undefined
        ? undefined
        : compilePcapFilter(plan.filter, {
          iface: iface === "any" ? "lo" : iface,
        });
      sockets.push(RawSocket.open(iface, {
        etherType: plan.etherType,
        src: plan.src,
        dst: plan.dst,
        filter,
        direction: plan.direction,
        promisc: plan.promisc,
        // A responder answers each frame as it comes: a ring would hold
        // it until its block retires (up to 2 ms).
        ring: plan.echo ? undefined : ringOf(plan.bufferKiB),
      }));
    }
  } catch (error) {
    for (const sock of sockets) sock.close();
    throw error;
  }
  return sockets;
}

/** Listens until a count, a timeout or a signal; undefined if stdout closed. */
async function runListen(plan: ListenPlan): Promise<ListenResult | undefined> {
  const sockets = openSockets(plan);
  using _sockets = {
    [Symbol.dispose]: () => sockets.forEach((s) => s.close()),
  };
  const sources = sockets.map((sock) => new SocketSource(sock));
  const source = sources.length === 1 ? sources[0] : new MergedSource(sources);
  using output = openCaptureOutput(
    plan,
    (frame) => source.interfaceOf(frame),
    (ifindex) => sockets[0].interfaceNameOf(ifindex),
  );
  using stop = stopOnSignals();
  using _timeout = stopAfter(plan.timeoutMs, stop);
  const responder = plan.echo ? echoResponder(plan, sockets[0]) : undefined;
  const capture = captureFor(plan, source, output, responder, stop);
  err(
    speaksJson()
      ? safeJson({
        event: "listening",
        iface: plan.ifaces.join(","),
        on: describe(plan),
      })
      : `listening on ${plan.ifaces.map(printable).join(", ")}, ${
        describe(plan)
      }; Ctrl-C to stop`,
  );
  // Nothing printed per frame (-w, -q): say how it goes, on a terminal
  // (never with --json, whose readers are programs).
  using _status = plan.lines || plan.json
    ? undefined
    : listenStatus(capture, sockets);
  const started = performance.now();
  try {
    await runThroughFlaps(capture, stop, plan.ifaces.join(", "));
  } catch (error) {
    // `listen ... | head -3`: the reader is done, so are we.
    if (host.kindOf(error) === "broken-pipe") return undefined;
    if (!stop.caused(error)) throw error;
  }
  if (output.full) { // as tcpdump says it
    notice(
      "listen",
      `maximum file limit reached: ${plan.write?.rotation?.files}`,
    );
  }
  const interfaces = interfaceResults(plan, sockets, source, capture);
  output.statistics(kernelCounts(plan, sockets));
  return {
    received: capture.received,
    answered: responder?.answered ?? 0,
    dropped: interfaces.reduce((sum, i) => sum + i.dropped, 0),
    seconds: (performance.now() - started) / 1000,
    interfaces,
  };
}

/** What each interface saw: frames taken, frames the kernel dropped. */
function interfaceResults(
  plan: ListenPlan,
  sockets: RawSocket[],
  source: FrameSource,
  capture: Capture,
): InterfaceResult[] {
  return plan.ifaces.map((iface, i) => ({
    iface,
    received: source instanceof MergedSource
      ? source.taken[i]
      : capture.received,
    dropped: sockets[i].stats().drops,
  }));
}

/**
 * What the kernel counted on each named interface, for a pcapng file's
 * statistics blocks ("any" counts every interface together: none).
 */
function kernelCounts(
  plan: ListenPlan,
  sockets: RawSocket[],
): Map<string | null, InterfaceCounts | undefined> {
  return new Map(
    plan.ifaces.filter((iface) => iface !== "any").map((iface, i) => {
      const { packets, drops } = sockets[i].stats();
      return [iface, { received: packets, dropped: drops }];
    }),
  );
}

/** The echo responder of `listen --echo`, answering on `sock`. */
function echoResponder(plan: ListenPlan, sock: RawSocket): EchoResponder {
  return new EchoResponder({
    mac: sock.interface.mac,
    etherType: plan.etherType ?? ECHO_ETHERTYPE,
    send: (frame) => sock.send(frame),
    clock: wallClock,
  });
}

/** The capture loop `plan` asks for, from `source` into `output`. */
function captureFor(
  plan: ListenPlan,
  source: FrameSource,
  output: CaptureOutput,
  responder: EchoResponder | undefined,
  stop: Stop,
): Capture {
  const { show, answered } = output;
  return new Capture(source, {
    count: plan.count,
    pcap: output.pcap,
    record: output.record,
    // The answer first: the time it takes is the responder's hold time;
    // the reply is shown after its request.
    show: responder
      ? (frame) => {
        const reply = responder.answer(frame);
        show?.(frame);
        if (reply !== undefined) answered?.(reply, frame, wallClock());
      }
      : show,
    afterBatch: () => { // each batch out at once: files complete
      output.flush();
      if (output.full) stop.abort(); // -G with -W: the last file is done
    },
    // An echo responder answers at once; everything else takes frames in
    // batches while they flood in, waking 100 times a second, not 500.
    batchMs: plan.echo ? 0 : batchMsFor(plan),
    // A responder waits on this thread: its hold time is about 0.12 ms
    // instead of 0.25 (measured on a veth pair); Ctrl-C waits ≤ 20 ms.
    ...(plan.echo ? { blockingWaitMs: ECHO_WAIT_MS } : {}),
  });
}

/**
 * Runs the capture until it ends; a link going down is said once on
 * stderr and survived (frames come again once it is back up). A removed
 * interface ends it with an error.
 */
async function runThroughFlaps(
  capture: Capture,
  stop: Stop,
  iface: string,
): Promise<void> {
  for (;;) {
    try {
      return await capture.run({ signal: stop.signal });
    } catch (error) {
      if (!(error instanceof InterfaceDownError)) throw error;
      notice("listen", `interface ${quote(iface)} went down; still listening`);
    }
  }
}

/** The status line of a capture: received, dropped by the kernel, rate. */
function listenStatus(
  capture: Capture,
  sockets: RawSocket[],
): Status | undefined {
  const rate = rateMeter();
  return startStatus((ms) => {
    const received = capture.received;
    const drops = sockets.reduce((sum, sock) => sum + sock.stats().drops, 0);
    return `received ${count(received)} frames, ${
      count(drops)
    } dropped by the kernel, ${count(rate(received, ms))} frames/s, ${
      clock(ms)
    }`;
  });
}

/** Stops `stop` after `ms` milliseconds (any number of them), if given. */
function stopAfter(ms: number | undefined, stop: Stop): Disposable {
  const cancel = new AbortController();
  if (ms !== undefined) {
    delay(ms, { signal: cancel.signal }).then(stop.abort, () => {});
  }
  return { [Symbol.dispose]: () => cancel.abort() };
}

/** The filters in words, for the "listening on" line. */
function describe(plan: ListenPlan): string {
  return [
    plan.etherType === undefined ? "" : `EtherType ${hex4(plan.etherType)}`,
    plan.src ? `src ${plan.src}` : "",
    plan.dst ? `dst ${plan.dst}` : "",
    plan.filter === undefined ? "" : `filter ${quote(plan.filter)}`,
    `direction ${plan.direction}`,
    plan.promisc ? "promiscuous" : "",
  ].filter((s) => s !== "").join(", ");
}

/** The closing summary on stderr. */
function report(plan: ListenPlan, result: ListenResult): void {
  const { received, dropped, answered, seconds, interfaces } = result;
  const several = interfaces.length > 1;
  if (plan.json) {
    err(JSON.stringify({
      received,
      dropped,
      seconds: Number(seconds.toFixed(6)),
      pps: Math.round(received / seconds),
      ...(plan.echo ? { answered } : {}),
      ...(several ? { interfaces } : {}),
    }));
    return;
  }
  const echoes = plan.echo
    ? `, ${plural(answered, "echo request")} answered`
    : "";
  if (several) {
    for (const one of interfaces) {
      err(
        `${printable(one.iface)}: ${
          plural(one.received, "frame")
        } received, ${one.dropped} dropped by the kernel`,
      );
    }
  }
  err(
    `${
      plural(received, "frame")
    } received, ${dropped} dropped by the kernel${echoes}${
      several ? " (all interfaces)" : ""
    }`,
  );
}
