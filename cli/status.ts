/**
 * A live status line for long work, on standard error when it is a
 * terminal: redrawn four times a second in place (`\r`, then erase to the
 * end of the line) and cleared at the end, so the final summary prints on
 * a clean line. Never drawn when standard error is not a terminal: logs
 * and pipes get only the summary.
 *
 * @module
 */

import { setStatusShown } from "./output.ts";
import { host } from "./host/runtime.ts";

const encoder = new TextEncoder();
/** Carriage return, and erase to the end of the line (ECMA-48 EL). */
const CLEAR = "\r\x1b[K";
const REDRAW_MS = 250;

/** A status line being drawn; dispose to clear it. */
export interface Status extends Disposable {
  /** Counts `n` more units of work (for texts that measure progress). */
  advance(n: number): void;
}

/**
 * Starts drawing `text()` (called each time it is drawn) on standard
 * error, if that is a terminal.
 *
 * @returns the status, or undefined when nothing will be drawn.
 */
export function startStatus(
  text: (elapsedMs: number, done: number) => string,
  stream: { writeSync(p: Uint8Array): number; isTerminal(): boolean } =
    host.stderr,
): Status | undefined {
  if (!stream.isTerminal()) return undefined;
  const started = performance.now();
  let done = 0;
  const draw = (line: string): void => {
    try {
      stream.writeSync(encoder.encode(line));
    } catch {
      // a status line is never worth failing for
    }
  };
  const timer = setInterval(() => {
    draw(`${CLEAR}${text(performance.now() - started, done)}`);
    setStatusShown(true);
  }, REDRAW_MS);
  host.unrefTimer(timer); // it never keeps the process alive
  return {
    advance: (n) => void (done += n),
    [Symbol.dispose]() {
      clearInterval(timer);
      // A last redraw with the final count: the summary that follows says
      // the same number, not the one of up to 250 ms before.
      draw(`${CLEAR}${text(performance.now() - started, done)}${CLEAR}`);
      setStatusShown(false);
    },
  };
}

/** `1,234,567`. */
export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** `0:07`, `1:02:03`: a duration in whole seconds. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const s = String(total % 60).padStart(2, "0");
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** `12.3 MB`: a size in bytes, in powers of 1000 as disks are sold. */
export function size(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A rate measured over the last redraws: the first call gives the rate
 * since the start, later ones since the previous call.
 */
export function rateMeter(): (total: number, elapsedMs: number) => number {
  let lastTotal = 0;
  let lastMs = 0;
  return (total, elapsedMs) => {
    const rate = elapsedMs > lastMs
      ? ((total - lastTotal) * 1000) / (elapsedMs - lastMs)
      : 0;
    lastTotal = total;
    lastMs = elapsedMs;
    return rate;
  };
}
