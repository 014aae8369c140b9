/**
 * MPLS label stacks to build: each entry's label, traffic class (0) and
 * TTL (64); the bottom-of-stack bit set on the last entry unless given.
 * Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { uint } from "./fields.ts";
import type { MplsBuild } from "./layers.ts";

/** The stack's 4-byte entries, outermost first. */
export function encodeMpls(l: MplsBuild): Uint8Array {
  checkOptions("layer mpls", l, { layer: "string", labels: "array" });
  const labels = l.labels ?? [];
  if (labels.length === 0) {
    throw new LayerError("mpls.labels needs one entry at least");
  }
  const out = new Uint8Array(labels.length * 4);
  const view = new DataView(out.buffer);
  labels.forEach((entry, i) => {
    const what = `mpls.labels[${i}]`;
    checkOptions(what, entry, {
      label: "number",
      tc: "number",
      s: "boolean",
      ttl: "number",
    });
    const label = uint(what, "label", entry.label, 0xfffff, 0);
    const tc = uint(what, "tc", entry.tc, 7, 0);
    const bottom = entry.s ?? i === labels.length - 1;
    const ttl = uint(what, "ttl", entry.ttl, 255, 64);
    view.setUint32(
      i * 4,
      ((label << 12) | (tc << 9) | (bottom ? 0x100 : 0) | ttl) >>> 0,
    );
  });
  return out;
}
