/**
 * The wall clock as the kernel's software timestamps read it
 * (CLOCK_REALTIME), to the nanosecond: a time taken here and a frame's
 * kernel timestamp can be subtracted. JavaScript's own clocks cannot do
 * that (Date is in milliseconds, performance.now() has its own origin).
 *
 * @module
 */

import { libc } from "./libc.ts";
import { check } from "./errno.ts";
import { CLOCK_REALTIME } from "./constants.ts";
import { TIMESPEC } from "./structs.ts";
import type { Timestamp } from "../contract/types.ts";

const timespec = new Uint8Array(TIMESPEC.size);
const view = new DataView(timespec.buffer);

/** Now, read from CLOCK_REALTIME. */
export function realtimeNow(): Timestamp {
  check(libc().clock_gettime(CLOCK_REALTIME, timespec), "clock_gettime");
  return {
    seconds: Number(view.getBigInt64(TIMESPEC.sec, true)),
    nanoseconds: Number(view.getBigInt64(TIMESPEC.nsec, true)),
  };
}
