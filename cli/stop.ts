/**
 * Ctrl-C (SIGINT) and SIGTERM. `catchSignals()` runs first thing, before
 * any command is loaded, so no signal is lost however soon it comes: a
 * shell starts a background job (`rawframe ... &`) with SIGINT ignored,
 * and Deno takes a signal only from the moment a listener asks for it.
 *
 * A signal then does one of two things. While a command's long work runs
 * (a series, a capture, a ping), it aborts that work's `Stop`, and the
 * command ends with its summary, within 50 ms (the library's loops check
 * their signal that often). Before that work starts (while the command
 * loads, reads its files or opens its socket), there is nothing to
 * summarise: the process exits at once as the signal would end it, with
 * 130 (SIGINT) or 143 (SIGTERM).
 *
 * @module
 */
import { host } from "./host/runtime.ts";

/** Exit codes of a process ended by a signal, as shells report them. */
const SIGNAL_EXITS = { SIGINT: 130, SIGTERM: 143 } as const;

/** The stop of the work running now, if any. */
let current: AbortController | undefined;
let catching = false;

/**
 * From now on, SIGINT and SIGTERM stop the current work, or end the
 * process when there is none. Idempotent.
 */
export function catchSignals(): void {
  if (catching) return;
  catching = true;
  for (const [name, code] of Object.entries(SIGNAL_EXITS)) {
    host.onSignal(name as "SIGINT" | "SIGTERM", () => {
      if (current === undefined) host.exit(code);
      current.abort();
    });
  }
}

/** A stop that Ctrl-C, SIGTERM or `abort()` triggers. */
export interface Stop extends Disposable {
  /** Aborted on the first signal. */
  signal: AbortSignal;
  /** Stops as a signal would (used by --timeout). */
  abort(): void;
  /** Whether `err` is this stop's abort, not a failure. */
  caused(err: unknown): boolean;
}

/**
 * The stop of work that ends with a summary: signals abort it (instead of
 * ending the process) until it is disposed.
 */
export function stopOnSignals(): Stop {
  catchSignals();
  const stop = new AbortController();
  current = stop;
  return {
    signal: stop.signal,
    abort: () => stop.abort(),
    caused: (err) => stop.signal.aborted && err === stop.signal.reason,
    [Symbol.dispose]() {
      if (current === stop) current = undefined;
    },
  };
}
