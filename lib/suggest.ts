/**
 * The known word a mistyped one most likely meant: `sned` → `send`,
 * `--filtr` → `--filter`, `type` → `etherType`. Pure.
 *
 * @module
 */

/**
 * The candidate nearest `word`: one at most two edits away (an insertion,
 * deletion, substitution or swap of neighbours, counted as
 * Damerau-Levenshtein counts them, and fewer for short words), or one that
 * contains it; undefined when none is near.
 *
 * @example
 * ```ts
 * import { nearest } from "./suggest.ts";
 * nearest("sned", ["send", "listen", "ping"]); // "send"
 * ```
 */
export function nearest(
  word: string,
  candidates: readonly string[],
): string | undefined {
  const lower = word.toLowerCase();
  const limit = lower.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  if (best !== undefined) return best;
  return lower.length > 1
    ? candidates.find((c) => c.toLowerCase().includes(lower))
    : undefined;
}

/** Edits from `a` to `b`, a swap of neighbours counting one. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3; // far, whatever else
  const d = Array.from(
    { length: a.length + 1 },
    (_, i) =>
      Array.from(
        { length: b.length + 1 },
        (_, j) => i === 0 ? j : j === 0 ? i : 0,
      ),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
