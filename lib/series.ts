/**
 * Sending a series of frames on a schedule: as fast as possible, at a
 * fixed interval or rate, or at recorded times (pcap replay). Stops early
 * when its signal aborts, and reports what it did.
 *
 * @module
 */

import type { RawSocket } from "./socket.ts";

/** Options of {@linkcode sendSeries}. */
export interface SeriesOptions {
  /** Frames to send in all (default: each frame once). Infinity: until aborted. */
  count?: number;
  /**
   * When frame `i` is due, in milliseconds after the first; undefined
   * means as fast as possible.
   */
  dueMs?: (i: number) => number;
  /** Stops the series; what was sent is reported. */
  signal?: AbortSignal;
}

/** What a series did. */
export interface SeriesResult {
  /** Frames sent. */
  sent: number;
  /** Bytes sent. */
  bytes: number;
  /** Seconds from the first frame to the last. */
  seconds: number;
  /** Whether the signal stopped it before `count`. */
  interrupted: boolean;
  /** The error that stopped it, if sending failed part way. */
  error?: unknown;
}

/** Frame `i` due every `intervalMs` milliseconds. */
export function everyMs(intervalMs: number): (i: number) => number {
  return (i) => i * intervalMs;
}

/** Frame `i` due at `rate` frames per second. */
export function atRate(rate: number): (i: number) => number {
  return (i) => (i * 1000) / rate;
}

/** How long a flood may run before it lets signals (Ctrl-C) through. */
const YIELD_EVERY_MS = 50;
/** Frames of a one-frame flood sent between checks of the clock. */
const FLOOD_CHUNK = 8192;
/** Frames handed to one sendMany() (sendmmsg) call. */
const BATCH = 64;
/** Sleep only when the next frame is further away than this. */
const SLEEP_THRESHOLD_MS = 1;

/**
 * Sends `frames` (cycling through them) on `sock` on the given schedule,
 * in sendmmsg() batches of up to 64 whenever more than one frame is due.
 * Late frames are sent at once, so the average rate holds even when the
 * timer wakes late; a frame is never sent more than 1 ms early.
 *
 * @example
 * ```ts ignore
 * import { atRate, sendSeries } from "./series.ts";
 * const result = await sendSeries(sock, [frame], { count: 1000, dueMs: atRate(100) });
 * ```
 */
export async function sendSeries(
  sock: RawSocket,
  frames: readonly Uint8Array[],
  options: SeriesOptions = {},
): Promise<SeriesResult> {
  const { count = frames.length, dueMs, signal } = options;
  const start = performance.now();
  let yielded = start;
  let sent = 0;
  let bytes = 0;
  let error: unknown;
  // The frames of one sendMany() call, reused batch after batch.
  const batch: Uint8Array[] = [];
  try {
    await loop();
  } catch (err) {
    error = err;
  }
  return {
    sent,
    bytes,
    seconds: (performance.now() - start) / 1000,
    interrupted: error === undefined && sent < count,
    ...(error === undefined ? {} : { error }),
  };

  async function loop(): Promise<void> {
    while (sent < count && !signal?.aborted) {
      const now = performance.now();
      let n = 0; // frames due now
      if (dueMs !== undefined) {
        const wait = start + dueMs(sent) - now;
        if (wait > SLEEP_THRESHOLD_MS) {
          await sleep(wait - SLEEP_THRESHOLD_MS / 2, signal);
          continue;
        }
        const horizon = now - start + SLEEP_THRESHOLD_MS;
        while (
          n < BATCH && sent + n < count && dueMs(sent + n) <= horizon
        ) n++;
      } else if (now - yielded > YIELD_EVERY_MS) {
        await sleep(0, signal);
        yielded = performance.now();
        continue;
      } else if (frames.length === 1) {
        // A flood of one frame: no per-frame work between system calls.
        const chunk = Math.min(FLOOD_CHUNK, count - sent);
        const done = sock.sendRepeated(frames[0], chunk);
        sent += done;
        bytes += done * frames[0].length;
        continue;
      } else {
        n = Math.min(BATCH, count - sent);
      }
      for (let i = 0; i < n; i++) batch[i] = frames[(sent + i) % frames.length];
      let done = 1;
      if (n === 1) sock.send(batch[0]);
      else done = sock.sendMany(batch, n); // fewer: the next call throws why
      for (let i = 0; i < done; i++) bytes += batch[i].length;
      sent += done;
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
