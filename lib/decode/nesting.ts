/**
 * A bound on packets inside packets (IP in IP, GRE, AH): a hostile frame
 * of thousands of nested headers must cost little and never overflow the
 * stack. Decoding is synchronous, so one counter serves every decoder.
 *
 * @module
 */

/** Encapsulations decoded inside one another, at most. */
export const MAX_NESTING = 16;

/** How deep the decoding in progress is. */
let depth = 0;

/**
 * `decode()` one level deeper, or `[|nested]` past {@linkcode MAX_NESTING}
 * (the line stops there, as at a cut).
 */
export function nested<T extends { text: string; layers: unknown[] }>(
  decode: () => T,
  tooDeep: T,
): T {
  if (depth >= MAX_NESTING) return tooDeep;
  depth++;
  try {
    return decode();
  } finally {
    depth--;
  }
}

/** What a packet nested too deep shows: nothing more. */
export const TOO_DEEP = { text: "[|nested]", layers: [] };
