/**
 * The names of rotated capture files, as tcpdump makes them: with `-G`,
 * the name is a strftime format of the file's start (local time); with
 * `-C`, a file number follows, padded to the digits of `-W`'s last
 * number. Pure.
 *
 * @module
 */

import { InputError } from "./errors.ts";

/** The strftime conversions a name may use, as C's strftime writes them. */
const CONVERSIONS: Record<string, (d: Date) => string> = {
  Y: (d) => String(d.getFullYear()),
  y: (d) => pad(d.getFullYear() % 100, 2),
  m: (d) => pad(d.getMonth() + 1, 2),
  d: (d) => pad(d.getDate(), 2),
  e: (d) => String(d.getDate()).padStart(2, " "),
  H: (d) => pad(d.getHours(), 2),
  M: (d) => pad(d.getMinutes(), 2),
  S: (d) => pad(d.getSeconds(), 2),
  j: (d) => pad(dayOfYear(d), 3),
  s: (d) => String(Math.floor(d.getTime() / 1000)),
  F: (d) =>
    `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`,
  T: (d) =>
    `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${
      pad(d.getSeconds(), 2)
    }`,
  "%": () => "%",
};

/**
 * Throws unless every `%` in `name` starts a conversion {@linkcode strftime}
 * knows, so a typo is refused before any capture starts.
 */
export function checkTimeFormat(name: string): void {
  for (const match of name.matchAll(/%(.?)/g)) {
    if (!(match[1] in CONVERSIONS)) {
      throw new InputError(
        `-w ${JSON.stringify(name)}: unknown time conversion "%${
          match[1]
        }" (known: ${Object.keys(CONVERSIONS).map((c) => `%${c}`).join(" ")})`,
      );
    }
  }
}

/** `format` with its conversions filled from `date` (local time). */
export function strftime(format: string, date: Date): string {
  return format.replace(/%(.?)/g, (_, c: string) => {
    const convert = CONVERSIONS[c];
    if (convert === undefined) {
      throw new InputError(`unknown time conversion "%${c}"`);
    }
    return convert(date);
  });
}

/**
 * The name of a rotated file, as tcpdump's MakeFilename: `base` (a
 * strftime format of `start` when `timed`), then `number` padded to
 * `digits` unless both are 0.
 */
export function rotatedName(
  base: string,
  options: { timed: boolean; start: Date; number: number; digits: number },
): string {
  const name = options.timed ? strftime(base, options.start) : base;
  if (options.number === 0 && options.digits === 0) return name;
  return `${name}${String(options.number).padStart(options.digits, "0")}`;
}

/** Digits of the last file number of a ring of `files` (tcpdump's getWflagChars). */
export function ringDigits(files: number | undefined): number {
  let digits = 0;
  for (let n = (files ?? 1) - 1; n > 0; n = Math.floor(n / 10)) digits++;
  return digits;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  return Math.round((d.getTime() - start.getTime()) / 86_400_000) + 1;
}
