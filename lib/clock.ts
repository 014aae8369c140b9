/**
 * The clock kernel timestamps are read on: a time from here and a frame's
 * timestamp (received, or sent) can be subtracted, to the nanosecond.
 *
 * @module
 */

import { realtimeNow } from "../ffi/clock.ts";
import type { Timestamp } from "../contract/types.ts";

/**
 * Now, on the kernel's software-timestamp clock (CLOCK_REALTIME).
 *
 * @example
 * ```ts ignore
 * import { wallClock } from "@rawframe/rawframe";
 * const { seconds, nanoseconds } = wallClock();
 * ```
 */
export function wallClock(): Timestamp {
  return realtimeNow();
}
