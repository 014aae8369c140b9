/**
 * Timestamps as the outputs show them: RFC 3339 UTC in JSON, local time
 * of day in lines, and a clear mark instead when a file's timestamp is
 * out of range (formatting one never throws). Pure.
 *
 * @module
 */

import type { Timestamp } from "../contract/types.ts";

/** 9999-12-31T23:59:59Z: the last second RFC 3339's four-digit year holds. */
const LAST_SECOND = 253402300799;

/**
 * Whether `ts` is a time that can be shown: whole seconds from 1970 to
 * the end of 9999, and a fraction of less than a second. A kernel's
 * timestamps always are; a file's may not be (microseconds of a million
 * or more, a 64-bit pcapng time far past any date).
 *
 * @example
 * ```ts
 * import { isValidTimestamp } from "@rawframe/rawframe/format";
 * isValidTimestamp({ seconds: 1, nanoseconds: 0 }); // true
 * isValidTimestamp({ seconds: 1, nanoseconds: 3841916976000 }); // false
 * ```
 */
export function isValidTimestamp(ts: Timestamp): boolean {
  const { seconds, nanoseconds } = ts;
  return Number.isInteger(seconds) && seconds >= 0 &&
    seconds <= LAST_SECOND && Number.isInteger(nanoseconds) &&
    nanoseconds >= 0 && nanoseconds < 1_000_000_000;
}

/** What a line shows in place of a timestamp that is out of range. */
export const INVALID_TIME = "[timestamp out of range]";

/**
 * Formats a timestamp as RFC 3339 UTC with microseconds, or null when it
 * is out of range (see {@linkcode isValidTimestamp}). Never throws.
 *
 * @example
 * ```ts
 * import { formatTimestamp } from "@rawframe/rawframe/format";
 * formatTimestamp({ seconds: 0, nanoseconds: 1500 }); // "1970-01-01T00:00:00.000001Z"
 * formatTimestamp({ seconds: 2 ** 60, nanoseconds: 0 }); // null
 * ```
 */
export function formatTimestamp(ts: Timestamp): string | null {
  if (!isValidTimestamp(ts)) return null;
  return `${utcSecond(ts.seconds)}.${micros(ts.nanoseconds)}Z`;
}

/** A line's time: local `19:11:26.123456`, or {@linkcode INVALID_TIME}. */
export function lineTime(ts: Timestamp): string {
  if (!isValidTimestamp(ts)) return INVALID_TIME;
  return `${localSecond(ts.seconds)}.${micros(ts.nanoseconds)}`;
}

/** `2026-11-25T19:11:26`, made once per second of frames, not per frame. */
const utcSecond = perSecond((seconds) =>
  new Date(seconds * 1000).toISOString().slice(0, 19)
);

/** `19:11:26` in local time, made once per second of frames. */
const localSecond = perSecond((seconds) => {
  const date = new Date(seconds * 1000);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((n) => n.toString().padStart(2, "0")).join(":");
});

/** `format`, remembering its last answer: frames come in order of time. */
function perSecond(format: (seconds: number) => string): (s: number) => string {
  let last = NaN;
  let text = "";
  return (seconds) => {
    if (seconds !== last) {
      last = seconds;
      text = format(seconds);
    }
    return text;
  };
}

/** `000` to `999`: six digits are two lookups, not a string per digit. */
const THREE_DIGITS: readonly string[] = Array.from(
  { length: 1000 },
  (_, n) => n.toString().padStart(3, "0"),
);

/** Microseconds within the second, six digits. */
function micros(nanoseconds: number): string {
  const us = Math.floor(nanoseconds / 1000);
  return THREE_DIGITS[Math.floor(us / 1000)] + THREE_DIGITS[us % 1000];
}
