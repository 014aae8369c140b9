/**
 * Stopping long work on Ctrl-C (SIGINT) or SIGTERM: both abort one signal,
 * which the library's loops honour within 50 ms.
 *
 * @module
 */

/** A stop that Ctrl-C, SIGTERM or `abort()` triggers. */
export interface Stop extends Disposable {
  /** Aborted on the first signal. */
  signal: AbortSignal;
  /** Stops as a signal would (used by --timeout). */
  abort(): void;
  /** Whether `err` is this stop's abort, not a failure. */
  caused(err: unknown): boolean;
}

/** Listens for SIGINT and SIGTERM until disposed. */
export function stopOnSignals(): Stop {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  return {
    signal: stop.signal,
    abort: onSignal,
    caused: (err) => stop.signal.aborted && err === stop.signal.reason,
    [Symbol.dispose]() {
      Deno.removeSignalListener("SIGINT", onSignal);
      Deno.removeSignalListener("SIGTERM", onSignal);
    },
  };
}
