/**
 * An abortable wait, as Deno std's `delay`: it rejects with `signal.reason`
 * when the signal aborts, before or during the wait. Waits longer than a
 * timer can hold (2^31 - 1 ms, about 24.8 days) are made of several timers.
 *
 * @module
 */

/** The longest single setTimeout. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms` milliseconds.
 *
 * @throws `signal.reason` when the signal aborts.
 *
 * @example
 * ```ts
 * import { delay } from "./delay.ts";
 * await delay(1);
 * ```
 */
export function delay(
  ms: number,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const end = performance.now() + ms;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const arm = (): void => {
      const left = end - performance.now();
      if (left > MAX_TIMER_MS) {
        timer = setTimeout(arm, MAX_TIMER_MS);
        return;
      }
      timer = setTimeout(() => {
        signal?.removeEventListener("abort", abort);
        resolve();
      }, Math.max(0, left));
    };
    signal?.addEventListener("abort", abort, { once: true });
    arm();
  });
}

/**
 * Lets the event loop take one turn (timers, signal listeners, I/O), much
 * more cheaply than `delay(0)`: a message through a fresh MessageChannel
 * comes back in about 0.1 ms, where a zero timer takes about 2 ms here.
 * Loops that may run without waiting call it every few tens of
 * milliseconds, so Ctrl-C is never starved.
 *
 * @throws `signal.reason` when the signal aborts.
 *
 * @example
 * ```ts
 * import { yieldToEventLoop } from "./delay.ts";
 * await yieldToEventLoop();
 * ```
 */
export function yieldToEventLoop(
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve, reject) => {
    port2.onmessage = () => {
      port1.close();
      port2.close();
      if (signal?.aborted) reject(signal.reason);
      else resolve();
    };
    port1.postMessage(null);
  });
}
