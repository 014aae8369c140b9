/**
 * Options objects checked at run time: a key the function does not take,
 * or a value of the wrong type, is an {@linkcode OptionError} naming it.
 * TypeScript catches these; plain JavaScript callers (and Bun and Node)
 * have no type checker, and a misspelt key would otherwise be ignored
 * silently (`{ type: 0x88b5 }` for `{ etherType: 0x88b5 }` opens a socket
 * that receives every frame). Pure.
 *
 * @module
 */

import { nearest } from "./suggest.ts";
import { OptionError } from "./errors.ts";

/** The types an option may have, each with its test. */
const KINDS = {
  boolean: (v: unknown) => typeof v === "boolean",
  number: (v: unknown) => typeof v === "number" && !Number.isNaN(v),
  string: (v: unknown) => typeof v === "string",
  function: (v: unknown) => typeof v === "function",
  AbortSignal: (v: unknown) => v instanceof AbortSignal,
  array: (v: unknown) => Array.isArray(v),
  object: (v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v),
  Uint8Array: (v: unknown) => v instanceof Uint8Array,
} as const;

/** An option's type: one of {@linkcode KINDS}, or several. */
export type OptionKind = keyof typeof KINDS;

/** The options a function takes, each with the types it may have. */
export type OptionSpec = Readonly<
  Record<string, OptionKind | readonly OptionKind[]>
>;

/**
 * Checks `options` (given to function `fn`) against `spec`: it must be an
 * object (or undefined), with only the keys of `spec`, each undefined or
 * of one of its types. Values are checked further where they are used.
 *
 * @throws {OptionError} naming the first key that is wrong.
 *
 * @example
 * ```ts
 * import { checkOptions } from "./option_check.ts";
 * checkOptions("f", { count: 3 }, { count: "number" }); // fine
 * ```
 */
export function checkOptions(
  fn: string,
  options: unknown,
  spec: OptionSpec,
): void {
  if (options === undefined) return;
  if (!KINDS.object(options)) {
    throw new OptionError(
      fn,
      "",
      `${fn}: options must be an object, not ${describe(options)}`,
    );
  }
  for (const [key, value] of Object.entries(options as object)) {
    if (!Object.hasOwn(spec, key)) {
      throw new OptionError(
        fn,
        key,
        `${fn}: unknown option ${JSON.stringify(key)}${
          suggestion(key, spec)
        } (it takes ${Object.keys(spec).join(", ")})`,
      );
    }
    const kinds = ([] as OptionKind[]).concat(spec[key]);
    if (value === undefined || kinds.some((kind) => KINDS[kind](value))) {
      continue;
    }
    throw new OptionError(
      fn,
      key,
      `${fn}: option ${JSON.stringify(key)} must be ${
        kinds.map(article).join(" or ")
      }, not ${describe(value)}`,
    );
  }
}

/** `; did you mean "etherType"?` when a known key is near `key`. */
function suggestion(key: string, spec: OptionSpec): string {
  const near = nearest(key, Object.keys(spec));
  return near === undefined ? "" : `; did you mean ${JSON.stringify(near)}?`;
}

/** `a boolean`, `an array`, `an AbortSignal`. */
function article(kind: OptionKind): string {
  return /^[aeioAEIO]/.test(kind) ? `an ${kind}` : `a ${kind}`; // a Uint8Array
}

/** A value as an error shows it: `"yes" (a string)`, `null`, `an array`. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Uint8Array) return "a Uint8Array";
  switch (typeof value) {
    case "string":
      return `${JSON.stringify(value.slice(0, 40))} (a string)`;
    case "number":
    case "bigint":
    case "boolean":
      return `${String(value)} (a ${typeof value})`;
    case "object":
      return `an object (${value.constructor?.name ?? "Object"})`;
    default:
      return `a ${typeof value}`;
  }
}
