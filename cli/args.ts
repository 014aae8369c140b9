/**
 * Reading a command's arguments: options (`--name value`, `--name=value`,
 * `-c value`, flags), positionals, and the value readers every command
 * shares. Every problem is an InputError that names the option and says
 * what to give.
 *
 * @module
 */

import { nearest } from "../lib/suggest.ts";
import { InputError } from "../lib/errors.ts";
import { safeJson } from "../lib/escape.ts";

/** One option a command takes. */
export interface OptionSpec {
  /** A string takes a value; a boolean is a flag. */
  type: "string" | "boolean";
  /** One-letter alias, e.g. `c` for `-c`. */
  short?: string;
  /** May be given more than once (values collect in order). */
  multiple?: boolean;
}

/** The options of a command by long name. */
export type OptionSpecs = Record<string, OptionSpec>;

/** The options a command was given. */
export class Values {
  readonly #raw: Map<string, string[] | true>;
  readonly #counts: Map<string, number>;

  /** Values as parsed, and how often each flag was given. */
  constructor(
    raw: Map<string, string[] | true>,
    counts: Map<string, number> = new Map(),
  ) {
    this.#raw = raw;
    this.#counts = counts;
  }

  /** How many times flag `name` was given (`-tttt`: 4). */
  count(name: string): number {
    return this.#counts.get(name) ?? 0;
  }

  /** The last value of string option `name`, or undefined. */
  string(name: string): string | undefined {
    const value = this.#raw.get(name);
    return Array.isArray(value) ? value.at(-1) : undefined;
  }

  /** Every value of repeatable option `name`. */
  strings(name: string): string[] {
    const value = this.#raw.get(name);
    return Array.isArray(value) ? value : [];
  }

  /** Whether flag `name` was given. */
  flag(name: string): boolean {
    return this.#raw.get(name) === true;
  }

  /** Whether option `name` was given at all. */
  has(name: string): boolean {
    return this.#raw.has(name);
  }

  /** Names of the options given, as typed long names (`--name`). */
  given(): string[] {
    return [...this.#raw.keys()].map((name) => `--${name}`);
  }
}

/** ` (did you mean "--filter"?)` for `--filtr`; empty when none is near. */
function hintFor(typed: string, all: OptionSpecs): string {
  const long = typed.startsWith("--");
  const names = Object.entries(all).flatMap(([name, spec]) =>
    long ? [`--${name}`] : spec.short ? [`-${spec.short}`] : []
  );
  // One-letter options are too close to one another to guess between.
  const near = long ? nearest(typed.split("=")[0], names) : undefined;
  return near === undefined ? "" : ` (did you mean ${quote(near)}?)`;
}

/** Parsed arguments of one command. */
export interface Parsed {
  /** The options. */
  values: Values;
  /** Everything that is not an option. */
  positionals: string[];
}

/**
 * Parses `args` for `command` against `specs` (`-h`/`--help` is always
 * known).
 *
 * @throws {InputError} for an unknown option or a missing value.
 */
export function parseArgs(
  command: string,
  args: readonly string[],
  specs: OptionSpecs,
): Parsed {
  const all: OptionSpecs = { help: { type: "boolean", short: "h" }, ...specs };
  const byShort = new Map(
    Object.entries(all).filter(([, s]) => s.short).map((
      [n, s],
    ) => [s.short!, n]),
  );
  const raw = new Map<string, string[] | true>();
  const counts = new Map<string, number>();
  const positionals: string[] = [];
  const fail = (what: string, hint = ""): never => {
    throw new InputError(
      `${what} for ${command}${hint}; see: rawframe ${command} --help`,
    );
  };
  args = args.flatMap((arg) => unclustered(arg, byShort, all));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    const option = optionOf(arg, byShort);
    if (option === undefined) {
      positionals.push(arg);
      continue;
    }
    const spec = Object.hasOwn(all, option.name) ? all[option.name] : undefined;
    if (spec === undefined) {
      fail(`unknown option ${quote(option.typed)}`, hintFor(option.typed, all));
    }
    if (spec!.type === "boolean") {
      if (option.value !== undefined) {
        fail(`option ${quote(option.typed)} takes no value`);
      }
      raw.set(option.name, true);
      counts.set(option.name, (counts.get(option.name) ?? 0) + 1);
      continue;
    }
    let value = option.value;
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || next.startsWith("--")) {
        fail(`option ${quote(option.typed)} needs a value`);
      }
      value = next;
      i++;
    }
    const values = raw.get(option.name);
    raw.set(
      option.name,
      spec!.multiple && Array.isArray(values) ? [...values, value!] : [value!],
    );
  }
  return { values: new Values(raw, counts), positionals };
}

/**
 * `-nnv` as `-n -n -v`, as getopt reads one-letter flags typed together
 * (tcpdump users type `-nn`, `-XX`, `-tttt`); a letter that takes a value
 * takes the rest (`-vc5` is `-v -c 5`). Anything else is left as it is.
 */
function unclustered(
  arg: string,
  byShort: Map<string, string>,
  all: OptionSpecs,
): string[] {
  if (arg.length <= 2 || arg[0] !== "-" || arg[1] === "-") return [arg];
  const flag = (c: string): boolean =>
    all[byShort.get(c) ?? ""]?.type === "boolean";
  if (!flag(arg[1])) return [arg];
  const out: string[] = [];
  for (let i = 1; i < arg.length; i++) {
    const c = arg[i];
    if (!byShort.has(c)) { // an unknown letter: said as typed
      out.push(`-${c}`);
      continue;
    }
    if (!flag(c)) {
      return [
        ...out,
        `-${c}`,
        ...(i + 1 < arg.length ? [arg.slice(i + 1)] : []),
      ];
    }
    out.push(`-${c}`);
  }
  return out;
}

/** `--name[=value]`, `-c[value]`, or undefined for a positional. */
function optionOf(
  arg: string,
  byShort: Map<string, string>,
): { name: string; typed: string; value?: string } | undefined {
  if (arg.startsWith("--") && arg.length > 2) {
    const equals = arg.indexOf("=");
    if (equals < 0) return { name: arg.slice(2), typed: arg };
    return {
      name: arg.slice(2, equals),
      typed: arg.slice(0, equals),
      value: arg.slice(equals + 1),
    };
  }
  if (arg.startsWith("-") && arg.length > 1) {
    const typed = arg.slice(0, 2);
    const name = byShort.get(arg[1]) ?? `-${arg[1]}`;
    return arg.length > 2
      ? { name, typed, value: arg.slice(2) }
      : { name, typed };
  }
  return undefined;
}

/**
 * A value quoted for a message: always one line, and nothing in it that a
 * terminal would act on.
 */
export function quote(text: string): string {
  return safeJson(text);
}

/** Checks the number of positionals against `names`. */
export function expectPositionals(
  command: string,
  got: readonly string[],
  names: readonly string[],
): void {
  const usage = `usage: rawframe ${command} ${
    names.map((n) => `<${n}>`).join(" ")
  } [options]`;
  if (got.length < names.length) {
    const missing = names.slice(got.length).map((n) => `<${n}>`).join(" ");
    throw new InputError(`missing ${missing}; ${usage}`);
  }
  if (got.length > names.length) {
    throw new InputError(
      `unexpected argument ${quote(got[names.length])}; ${usage}`,
    );
  }
}

/** Throws when more than one of `names` was given. */
export function exclusive(values: Values, names: readonly string[]): void {
  const given = names.filter((n) => values.has(n));
  if (given.length > 1) {
    throw new InputError(
      `give only one of ${given.map((n) => `--${n}`).join(", ")}`,
    );
  }
}

/** A whole number of at least `min`, or undefined when not given. */
export function wholeNumber(
  name: string,
  text: string | undefined,
  min: number,
): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new InputError(
      `invalid ${name} ${quote(text)}: give a whole number of ${min} or more`,
    );
  }
  return Number(text);
}

/** A number above 0 (or at least 0 with `allowZero`), or undefined. */
export function positiveNumber(
  name: string,
  text: string | undefined,
  unit: string,
  allowZero = false,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(allowZero ? value >= 0 : value > 0)) {
    throw new InputError(
      `invalid ${name} ${quote(text)}: give ${unit} ${
        allowZero ? "of 0 or more" : "above 0"
      }, such as 5 or 0.5`,
    );
  }
  return value;
}

/** One of `choices`, or `fallback` when not given. */
export function choice<T extends string>(
  name: string,
  text: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    const list = choices.length === 2
      ? choices.join(" or ")
      : `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}`;
    throw new InputError(`invalid ${name} ${quote(text)}: give ${list}`);
  }
  return text as T;
}
