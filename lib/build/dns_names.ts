/**
 * Domain names to bytes: presentation form (`example.com.`, `\.` and
 * `\DDD` escapes, the final dot optional) to labels, compressed against
 * the names already written as DNS servers do (RFC 1035 4.1.4: a pointer
 * to the earliest place the rest of the name was written). Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";

/** The labels of a name in presentation form. */
export function nameLabels(what: string, name: unknown): Uint8Array[] {
  if (typeof name !== "string" || name === "") {
    throw new LayerError(`${what} is a name such as "example.com."`);
  }
  if (name === ".") return [];
  const labels: Uint8Array[] = [];
  let label: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e) {
      if (label.length === 0) {
        throw new LayerError(`${what}: empty label in "${name}"`);
      }
      labels.push(Uint8Array.from(label));
      label = [];
    } else if (c === 0x5c) {
      const digits = /^\d{3}/.exec(name.slice(i + 1));
      const escaped = digits ? Number(digits[0]) : name.charCodeAt(i + 1);
      if (Number.isNaN(escaped) || escaped > 255) {
        throw new LayerError(`${what}: bad escape in "${name}"`);
      }
      label.push(escaped);
      i += digits ? 3 : 1;
    } else if (c > 0x7e) {
      throw new LayerError(
        `${what}: "${name}" has a character past ASCII (write it as \\DDD)`,
      );
    } else label.push(c);
  }
  if (label.length > 0) labels.push(Uint8Array.from(label));
  if (labels.some((l) => l.length > 63)) {
    throw new LayerError(
      `${what}: a label of "${name}" is longer than 63 bytes`,
    );
  }
  if (labels.reduce((n, l) => n + l.length + 1, 1) > 255) {
    throw new LayerError(`${what}: "${name}" is longer than 255 bytes`);
  }
  return labels;
}

/** Writes names into a message, each suffix remembered for compression. */
export class NameWriter {
  /** Where each name suffix (its labels' bytes, joined) was written. */
  #seen = new Map<string, number>();

  /**
   * The bytes of `name` written at `offset` in the message; `compress`
   * false writes every label (SRV's target, RFC 2782).
   */
  write(
    what: string,
    name: unknown,
    offset: number,
    compress = true,
  ): Uint8Array {
    const labels = nameLabels(what, name);
    const out: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      const key = labels.slice(i).map((l) => Array.from(l).join(",")).join(
        "|",
      );
      const at = this.#seen.get(key);
      if (compress && at !== undefined) {
        out.push(0xc0 | (at >> 8), at & 0xff);
        return Uint8Array.from(out);
      }
      const here = offset + out.length;
      if (here < 0x4000 && !this.#seen.has(key)) this.#seen.set(key, here);
      out.push(labels[i].length, ...labels[i]);
    }
    out.push(0);
    return Uint8Array.from(out);
  }
}
