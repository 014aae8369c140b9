/**
 * Writing to the terminal: whole lines, synchronously (no buffering, so
 * each frame shows the moment it arrives), and small wording helpers.
 *
 * @module
 */

import { safeJson } from "../lib/escape.ts";
import { host } from "./host/runtime.ts";

const encoder = new TextEncoder();

/** Writes all of `bytes` to a stream, synchronously. */
export function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  bytes: Uint8Array,
): void {
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

/** Writes a line to standard output. */
export function out(text: string): void {
  writeAll(host.stdout, encoder.encode(`${text}\n`));
}

/** Whether a status line (cli/status.ts) is drawn on standard error now. */
let statusShown = false;

/** Says whether a status line is drawn now: err() first clears it. */
export function setStatusShown(shown: boolean): void {
  statusShown = shown;
}

/**
 * Writes a line to standard error; over a status line, which the next
 * redraw puts back below it.
 */
export function err(text: string): void {
  const clear = statusShown ? "\r\x1b[K" : "";
  writeAll(host.stderr, encoder.encode(`${clear}${text}\n`));
}

/** Whether a command was given --json: then stderr speaks JSON too. */
let json = false;

/** From now on, everything on stderr is one JSON object per line. */
export function speakJson(): void {
  json = true;
}

/** Whether stderr speaks JSON (see {@linkcode speakJson}). */
export function speaksJson(): boolean {
  return json;
}

/**
 * A notice on stderr: `command: text`, or with --json one object,
 * `{"event":"notice","command":...,"message":...}`, with `fields` added.
 */
export function notice(
  command: string,
  text: string,
  fields: Record<string, unknown> = {},
): void {
  err(
    json
      ? safeJson({ event: "notice", command, message: text, ...fields })
      : `${command}: ${text}`,
  );
}

/** `1 frame`, `2 frames`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A number rounded to three decimals, for JSON. */
export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
