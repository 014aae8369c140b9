/**
 * The frames `send --layers` stands for: one, or — when fields vary — a
 * cycle of them built up front, so a series sends them at the flood rate
 * of a fixed frame. Counters advance together, one step a frame, each
 * wrapping at the end of its range; the cycle is as long as it takes all
 * of them to meet their start again (at most {@linkcode MAX_CYCLE}
 * frames). Random fields draw a new value for each of at least 4,096
 * frames of the cycle (trafgen draws one a packet; a cycle of 4,096
 * draws repeats, which no load test has told apart).
 *
 * @module
 */

import { InputError } from "../lib/errors.ts";
import { type BuildLayer, buildPacket } from "../lib/build.ts";
import type { VlanTagInit } from "../lib/frame.ts";
import { valueText, type Variation } from "./varying.ts";

/** What the frames are made of: send's plan for a frame to build. */
export interface LayeredSource {
  /** Destination MAC. */
  dst: string;
  /** Source MAC (default: the interface's). */
  src?: string;
  /** The EtherType; 0: the first layer's. */
  type: number;
  /** 802.1Q tags, outermost first. */
  vlans: VlanTagInit[];
  /** Data after the last layer (with `--layers`), or the whole payload. */
  payload: Uint8Array | string;
  /** Pad to 60 bytes. */
  pad: boolean;
  /** Layers to build the frame from (`--layers`). */
  layers?: BuildLayer[];
  /** Fields of `layers` that vary from frame to frame. */
  variations?: Variation[];
}

/** The most frames a cycle of varying fields may take. */
export const MAX_CYCLE = 65_536;
/** Frames drawn for random fields. */
const RANDOM_FRAMES = 4096;

/** The frame of `source` with every varying field at `value(v)`. */
export function layeredFrame(
  source: LayeredSource,
  mac: string,
  value: (v: Variation) => number = (v) => v.from,
): Uint8Array {
  const header: Record<string, unknown> = { dst: source.dst };
  if (source.src !== undefined) header.src = source.src;
  const valuesOf = (fields: Record<string, unknown>, i: number) => {
    for (const v of source.variations ?? []) {
      if (v.layer === i) fields[v.field] = valueText(v.kind, value(v));
    }
  };
  valuesOf(header, -1); // the Ethernet header's: --src, the destination
  const src = String(header.src ?? mac);
  const layers = source.layers!.map((layer, i) => {
    const fields: Record<string, unknown> = { ...layer };
    valuesOf(fields, i);
    if (layer.layer === "arp" && layer.sha === undefined) fields.sha = src;
    return fields as unknown as BuildLayer;
  });
  const data = typeof source.payload === "string"
    ? new TextEncoder().encode(source.payload)
    : source.payload;
  try {
    return buildPacket({
      dst: String(header.dst),
      src,
      vlans: source.vlans,
      ...(source.type !== 0 ? { type: source.type } : {}),
      layers: data.length > 0 ? [...layers, { layer: "raw", data }] : layers,
      pad: source.pad,
    });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(`--layers: ${error.message}`, { cause: error });
  }
}

/** How many frames the cycle of `variations` takes. */
export function cycleLength(variations: readonly Variation[]): number {
  let n = 1;
  for (const v of variations) {
    if (v.random) continue;
    n = lcm(n, v.to - v.from + 1);
    if (n > MAX_CYCLE) {
      throw new InputError(
        `--layers: the counters come back to their start only after ${
          n > 1e12 ? "more than 10^12" : n
        } frames; ${MAX_CYCLE} at most (make the ranges shorter or of sizes that divide each other)`,
      );
    }
  }
  if (variations.some((v) => v.random) && n < RANDOM_FRAMES) {
    n *= Math.ceil(RANDOM_FRAMES / n);
  }
  return n;
}

/** Every frame of the cycle, built from `mac` when no --src was given. */
export function layeredFrames(
  source: LayeredSource,
  mac: string,
): Uint8Array[] {
  const variations = source.variations ?? [];
  const frames: Uint8Array[] = [];
  const n = cycleLength(variations);
  for (let i = 0; i < n; i++) {
    frames.push(
      layeredFrame(
        source,
        mac,
        (v) =>
          v.random
            ? v.from + Math.floor(Math.random() * (v.to - v.from + 1))
            : v.from + (i % (v.to - v.from + 1)),
      ),
    );
  }
  return frames;
}

function lcm(a: number, b: number): number {
  let [x, y] = [a, b];
  while (y !== 0) [x, y] = [y, x % y];
  return (a / x) * b;
}
