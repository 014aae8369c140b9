/**
 * Sending a series of frames on a schedule: as fast as possible, at a
 * fixed interval or rate, or at recorded times (pcap replay). A series
 * counts what it sent as it goes, so whoever stops it knows exactly what
 * went out.
 *
 * @module
 */

import { checkOptions, type OptionSpec } from "./option_check.ts";
import { OptionError } from "./errors.ts";
import { delay, yieldToEventLoop } from "./delay.ts";
import { SEND_BATCH_SIZE } from "../contract/limits.ts";
import type { Timestamp } from "../contract/types.ts";

export type { Timestamp } from "../contract/types.ts";

/** Where a series puts its frames: a RawSocket, or a fake in tests. */
export interface FrameSink {
  /** Sends one frame. */
  send(frame: Uint8Array): void;
  /** Sends `frames[0..count)`; returns how many went out. */
  sendMany(frames: readonly Uint8Array[], count: number): number;
  /** Sends `count` copies of `frame`; returns how many went out. */
  sendRepeated(frame: Uint8Array, count: number): number;
}

/** When the frames of a series are due, as a plain value. */
export type Schedule =
  | { kind: "fast" }
  | { kind: "interval"; ms: number }
  | { kind: "rate"; pps: number }
  | { kind: "recorded"; offsetsMs: readonly number[] };

/** Options of {@linkcode FrameSeries}. */
export interface SeriesOptions {
  /**
   * Frames to send in all, cycling through the frames given; Infinity
   * sends until stopped. @default each frame once
   */
  count?: number;
  /** When each frame is due. @default { kind: "fast" } */
  schedule?: Schedule;
}

/**
 * The schedule that replays frames with the gaps they were captured with.
 *
 * @example
 * ```ts
 * import { recordedSchedule } from "@rawframe/rawframe/series";
 * recordedSchedule([
 *   { seconds: 10, nanoseconds: 0 },
 *   { seconds: 10, nanoseconds: 250_000_000 },
 * ]); // { kind: "recorded", offsetsMs: [0, 250] }
 * ```
 */
export function recordedSchedule(times: readonly Timestamp[]): Schedule {
  const first = times[0];
  return {
    kind: "recorded",
    offsetsMs: times.map((t) =>
      (t.seconds - first.seconds) * 1000 +
      (t.nanoseconds - first.nanoseconds) / 1e6
    ),
  };
}

/** The fields of each kind of {@linkcode Schedule}. */
const SCHEDULE_TYPES: Readonly<Record<string, OptionSpec>> = {
  fast: { kind: "string" },
  interval: { kind: "string", ms: "number" },
  rate: { kind: "string", pps: "number" },
  recorded: { kind: "string", offsetsMs: "array" },
};

/** Refuses a schedule of no known kind, or with fields it does not have. */
function checkSchedule(schedule: Schedule): void {
  const kind = (schedule as { kind?: unknown }).kind;
  const types = typeof kind === "string" && Object.hasOwn(SCHEDULE_TYPES, kind)
    ? SCHEDULE_TYPES[kind]
    : undefined;
  if (types === undefined) {
    throw new OptionError(
      "FrameSeries",
      "schedule",
      `FrameSeries: schedule kind ${JSON.stringify(kind)} is none of ${
        Object.keys(SCHEDULE_TYPES).join(", ")
      }`,
    );
  }
  checkOptions(`FrameSeries ${kind} schedule`, schedule, types);
}

/** When frame `i` is due, in ms after the first; undefined: at once. */
function dueFunction(schedule: Schedule): ((i: number) => number) | undefined {
  switch (schedule.kind) {
    case "fast":
      return undefined;
    case "interval":
      return (i) => i * schedule.ms;
    case "rate":
      return (i) => (i * 1000) / schedule.pps;
    case "recorded":
      return (i) => schedule.offsetsMs[i] ?? 0;
  }
}

/** How long sending may go on before it lets signals (Ctrl-C) through. */
const YIELD_EVERY_MS = 50;
/** Frames of a one-frame flood sent between checks of the clock. */
const FLOOD_CHUNK = 8192;
/** Sleep only when the next frame is further away than this. */
const SLEEP_THRESHOLD_MS = 1;

/**
 * A series of frames to send on a schedule. Late frames are sent at once
 * (in sendmmsg batches when several are due), so the average rate holds
 * even when the timer wakes late; a frame is never sent more than 1 ms
 * early. The loop returns to the event loop at least every 50 ms, so
 * signals and aborts are never starved.
 *
 * @example 1000 frames at 100 frames per second
 * ```ts ignore
 * import { buildFrame, RawSocket } from "@rawframe/rawframe";
 * import { FrameSeries } from "@rawframe/rawframe/series";
 * using sock = RawSocket.open("eth0", { receive: false });
 * const frame = buildFrame({
 *   dst: "ff:ff:ff:ff:ff:ff",
 *   src: sock.interface.mac,
 *   type: 0x88b5,
 *   payload: "Hi",
 * });
 * const series = new FrameSeries(sock, [frame], {
 *   count: 1000,
 *   schedule: { kind: "rate", pps: 100 },
 * });
 * await series.run();
 * console.log(series.sent, series.seconds);
 * ```
 */
export class FrameSeries {
  readonly #sink: FrameSink;
  readonly #frames: readonly Uint8Array[];
  readonly #count: number;
  readonly #dueMs: ((i: number) => number) | undefined;
  readonly #batch: Uint8Array[] = [];
  #sent = 0;
  #bytes = 0;
  #start = 0;
  #end: number | undefined;

  /** A series of `frames` (at least one) to send through `sink`. */
  constructor(
    sink: FrameSink,
    frames: readonly Uint8Array[],
    options: SeriesOptions = {},
  ) {
    checkOptions("FrameSeries", options, {
      count: "number",
      schedule: "object",
    });
    if (options.schedule !== undefined) checkSchedule(options.schedule);
    this.#sink = sink;
    this.#frames = frames;
    this.#count = options.count ?? frames.length;
    this.#dueMs = dueFunction(options.schedule ?? { kind: "fast" });
  }

  /** Frames sent so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Bytes sent so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Seconds from the start of run() to its end (or to now). */
  get seconds(): number {
    if (this.#start === 0) return 0;
    return ((this.#end ?? performance.now()) - this.#start) / 1000;
  }

  /**
   * Sends the series.
   *
   * @throws `signal.reason` when the signal aborts; `sent` and `bytes`
   *   then tell exactly what went out.
   * @throws the sink's error when sending fails part way.
   */
  async run(options: { signal?: AbortSignal } = {}): Promise<void> {
    checkOptions("FrameSeries.run", options, { signal: "AbortSignal" });
    const { signal } = options;
    signal?.throwIfAborted();
    this.#start = performance.now();
    let yielded = this.#start;
    try {
      while (this.#sent < this.#count) {
        const now = performance.now();
        const wait = this.#dueMs === undefined
          ? 0
          : this.#start + this.#dueMs(this.#sent) - now;
        if (wait > SLEEP_THRESHOLD_MS) {
          await delay(wait - SLEEP_THRESHOLD_MS / 2, { signal });
          yielded = performance.now();
          continue;
        }
        if (now - yielded > YIELD_EVERY_MS) { // behind schedule, or a flood
          await yieldToEventLoop({ signal });
          yielded = performance.now();
          continue;
        }
        this.#sendDue(now);
      }
    } finally {
      this.#end = performance.now();
    }
  }

  /** Sends what is due at `now`: a flood chunk, or up to one batch. */
  #sendDue(now: number): void {
    const frames = this.#frames;
    const left = this.#count - this.#sent;
    if (this.#dueMs === undefined && frames.length === 1 && left > 1) {
      // A flood of one frame: no per-frame work between system calls.
      const done = this.#sink.sendRepeated(
        frames[0],
        Math.min(FLOOD_CHUNK, left),
      );
      this.#sent += done;
      this.#bytes += done * frames[0].length;
      return;
    }
    const horizon = now - this.#start + SLEEP_THRESHOLD_MS;
    let n = 1;
    while (
      n < SEND_BATCH_SIZE && n < left &&
      (this.#dueMs === undefined || this.#dueMs(this.#sent + n) <= horizon)
    ) n++;
    const batch = this.#batch;
    for (let i = 0; i < n; i++) {
      batch[i] = frames[(this.#sent + i) % frames.length];
    }
    let done = 1;
    if (n === 1) this.#sink.send(batch[0]);
    else done = this.#sink.sendMany(batch, n); // fewer: the next call throws why
    for (let i = 0; i < done; i++) this.#bytes += batch[i].length;
    this.#sent += done;
  }
}
