/**
 * Values that change from frame to frame in a series, as trafgen's
 * counters and random fields: `FROM-TO` counts up one a frame and wraps,
 * `rand` takes a random value of the field's whole range, `rand:FROM-TO`
 * one of the given range. Numbers, IPv4 addresses and MACs can vary; each
 * is counted as a number (a MAC's 48 bits fit a double exactly).
 *
 * @module
 */

import { InputError } from "../lib/errors.ts";
import { formatMac, parseMac } from "../lib/frame.ts";
import { quote } from "./args.ts";

/** What a varying value is written as. */
export type VaryingKind = "number" | "ipv4" | "mac";

/** A field whose value changes from frame to frame. */
export interface Variation {
  /** Which layer (0: the first; -1: the Ethernet header). */
  layer: number;
  /** The field. */
  field: string;
  /** Lowest and highest value (addresses as numbers). */
  from: number;
  to: number;
  /** Random values instead of counting. */
  random: boolean;
  /** How the value is written. */
  kind: VaryingKind;
}

/** A value that varies, before its layer is known. */
export class Varying {
  constructor(
    readonly from: number,
    readonly to: number,
    readonly random: boolean,
    readonly kind: VaryingKind,
  ) {}
}

/**
 * What `rand` alone ranges over for a MAC: unicast, locally administered
 * addresses (02:...), as a MAC-flooding test wants, never a group address.
 */
const RANDOM_MACS = [0x02_00_00_00_00_00, 0x02_ff_ff_ff_ff_ff] as const;

/**
 * `text` as a varying value of `kind`: undefined when it is one fixed
 * value. `what` names the field in errors (`--layers: ipv4.id`, `--src`);
 * `max` is the largest value `rand` alone takes (undefined: it needs a
 * range).
 */
export function varyingValue(
  kind: VaryingKind,
  what: string,
  text: string,
  max?: number,
): Varying | undefined {
  const random = text === "rand" || text.startsWith("rand:");
  const range = random ? text.slice(5) : text;
  const ends = splitRange(kind, range);
  if (!random && ends === undefined) return undefined;
  if (range === "") {
    if (kind === "mac") return new Varying(...RANDOM_MACS, true, "mac");
    if (max === undefined || kind === "ipv4") {
      throw new InputError(`${what}=rand needs its range: rand:FROM-TO`);
    }
    return new Varying(0, max, true, kind);
  }
  if (ends === undefined) {
    throw new InputError(`${what}: give rand:FROM-TO`);
  }
  const [from, to] = ends.map((end) => numberOf(kind, what, end));
  if (to < from) {
    throw new InputError(`${what}=${text}: the range runs backwards`);
  }
  return new Varying(from, to, random, kind);
}

/** The value `n` of a varying field, as the layer takes it. */
export function valueText(kind: VaryingKind, n: number): string | number {
  return kind === "ipv4" ? ipv4Text(n) : kind === "mac" ? macText(n) : n;
}

/** An IPv4 address from its number. */
export function ipv4Text(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256)
    .join(".");
}

/** A MAC from its number. */
function macText(n: number): string {
  const bytes = new Uint8Array(6);
  for (let i = 5; i >= 0; i--, n = Math.floor(n / 256)) bytes[i] = n % 256;
  return formatMac(bytes);
}

/**
 * `FROM-TO` as its two ends; undefined without a dash between two values.
 * A MAC may be written with dashes itself (08-00-27-...): the dash taken
 * is the one with a MAC on both sides.
 */
function splitRange(
  kind: VaryingKind,
  range: string,
): [string, string] | undefined {
  for (
    let at = range.indexOf("-", 1);
    at > 0;
    at = range.indexOf("-", at + 1)
  ) {
    const ends: [string, string] = [range.slice(0, at), range.slice(at + 1)];
    if (kind !== "mac" || ends.every(isMac)) return ends;
  }
  return undefined;
}

function isMac(text: string): boolean {
  try {
    parseMac(text);
    return true;
  } catch {
    return false;
  }
}

const ADDRESS = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
const NUMBER = /^(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/;

/** One end of a range as a number. */
function numberOf(kind: VaryingKind, what: string, text: string): number {
  if (kind === "mac") {
    return [...parseMac(text)].reduce((n, byte) => n * 256 + byte, 0);
  }
  if (kind === "ipv4") {
    const parts = ADDRESS.test(text) ? text.split(".").map(Number) : [];
    if (parts.length !== 4 || parts.some((p) => p > 255)) {
      throw new InputError(`${what}: ${quote(text)} is no IPv4 address`);
    }
    return parts.reduce((n, p) => n * 256 + p, 0);
  }
  return fieldNumber(what, text);
}

/** A decimal or 0x-hex whole number; `what` names the field in the error. */
export function fieldNumber(what: string, text: string): number {
  if (!NUMBER.test(text)) {
    throw new InputError(
      `${what} is a whole number (decimal or 0x hex), not ${quote(text)}`,
    );
  }
  return Number(text);
}
