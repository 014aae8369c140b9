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

/**
 * How a line shows its time, as tcpdump's `-t` options: `local` (no
 * option: local time of day), `none` (-t), `epoch` (-tt: seconds since
 * 1970), `delta` (-ttt: since the frame before), `date` (-tttt: local
 * date and time), `since-first` (-ttttt: since the first frame).
 */
export type TimeStyle =
  | "local"
  | "none"
  | "epoch"
  | "delta"
  | "date"
  | "since-first";

/** The time styles in the order of tcpdump's count of `-t`. */
export const TIME_STYLES: readonly TimeStyle[] = [
  "local",
  "none",
  "epoch",
  "delta",
  "date",
  "since-first",
];

/**
 * A line's time in one style; the deltas remember the frames before, so
 * one clock serves one stream of lines.
 *
 * @example
 * ```ts
 * import { LineClock } from "@rawframe/rawframe/format";
 * const clock = new LineClock("epoch");
 * clock.text({ seconds: 1700000000, nanoseconds: 1500 }); // "1700000000.000001"
 * ```
 */
export class LineClock {
  readonly #style: TimeStyle;
  #before: Timestamp | undefined;

  /** A clock for `style`. */
  constructor(style: TimeStyle) {
    if (!TIME_STYLES.includes(style)) {
      throw new TypeError(`unknown time style ${JSON.stringify(style)}`);
    }
    this.#style = style;
  }

  /** The time of `ts` as a line shows it ("" for `none`). */
  text(ts: Timestamp): string {
    switch (this.#style) {
      case "local":
        return lineTime(ts);
      case "none":
        return "";
      case "epoch":
        return isValidTimestamp(ts)
          ? `${ts.seconds}.${micros(ts.nanoseconds)}`
          : INVALID_TIME;
      case "date":
        return isValidTimestamp(ts)
          ? `${localDate(ts.seconds)} ${localSecond(ts.seconds)}.${
            micros(ts.nanoseconds)
          }`
          : INVALID_TIME;
      default:
        return this.#delta(ts);
    }
  }

  /** -ttt and -ttttt: the time since a frame before, as `HH:MM:SS.ffffff`. */
  #delta(ts: Timestamp): string {
    if (!isValidTimestamp(ts)) return INVALID_TIME;
    const from = this.#before ?? ts;
    if (this.#style === "delta" || this.#before === undefined) {
      this.#before = ts;
    }
    let nanos = ts.nanoseconds - from.nanoseconds;
    let seconds = ts.seconds - from.seconds;
    if (nanos < 0) [seconds, nanos] = [seconds - 1, nanos + 1e9];
    const sign = seconds < 0 ? "-" : "";
    if (seconds < 0) { // an earlier frame: tcpdump shows a minus sign
      seconds = -seconds - (nanos > 0 ? 1 : 0);
      nanos = nanos > 0 ? 1e9 - nanos : 0;
    }
    const hms = [
      Math.floor(seconds / 3600),
      Math.floor(seconds / 60) % 60,
      seconds % 60,
    ]
      .map((n) => n.toString().padStart(2, "0")).join(":");
    return `${sign}${hms}.${micros(nanos)}`;
  }
}

/** `2026-11-25` in local time, made once per second of frames. */
const localDate = perSecond((seconds) => {
  const date = new Date(seconds * 1000);
  return `${date.getFullYear()}-${
    (date.getMonth() + 1).toString().padStart(2, "0")
  }-${date.getDate().toString().padStart(2, "0")}`;
});

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
