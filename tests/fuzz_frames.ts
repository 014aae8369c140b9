/**
 * Mutated frames for decoding and display: seeds from scapy's corpus,
 * bent by a seeded generator (so a failure can be replayed) in the ways
 * hostile or broken traffic is bent: bytes flipped, length and count
 * fields set to their extremes, frames cut anywhere or run on with
 * junk, two frames spliced. Every result must decode, show as a line and
 * as JSON (the fast text the same as the record) without throwing, and
 * say only printable ASCII.
 */
import { decodeFrame } from "../lib/decode.ts";
import {
  frameJson,
  frameLine,
  frameRecord,
  type ShownFrame,
} from "../lib/format.ts";

/** How a run went. */
export interface FuzzResult {
  /** Frames decoded and shown. */
  decoded: number;
  /** The first failures: what threw or said something unprintable. */
  failures: string[];
}

/** A small, fast, seeded generator (mulberry32). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One mutation of `seed` (and maybe `other`). */
function mutate(
  seed: Uint8Array,
  other: Uint8Array,
  random: () => number,
): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  let frame = seed.slice();
  switch (pick(6)) {
    case 0: // flip a few bytes
      for (let n = 1 + pick(8); n > 0; n--) {
        frame[pick(frame.length)] = pick(256);
      }
      break;
    case 1: // a length or count field at an extreme
      for (let n = 1 + pick(3); n > 0; n--) {
        frame[pick(frame.length)] = [0, 1, 0x7f, 0x80, 0xff][pick(5)];
      }
      break;
    case 2: // cut anywhere
      frame = frame.subarray(0, pick(frame.length + 1));
      break;
    case 3: { // run on with junk
      const longer = new Uint8Array(frame.length + 1 + pick(64));
      longer.set(frame);
      for (let i = frame.length; i < longer.length; i++) longer[i] = pick(256);
      frame = longer;
      break;
    }
    case 4: { // splice: the head of one frame, the tail of another
      const head = pick(frame.length + 1);
      const tail = other.subarray(pick(other.length + 1));
      const spliced = new Uint8Array(head + tail.length);
      spliced.set(frame.subarray(0, head));
      spliced.set(tail, head);
      frame = spliced;
      break;
    }
    default: // flips after a cut
      frame = frame.subarray(0, Math.max(14, pick(frame.length + 1)));
      if (frame.length > 0) frame[pick(frame.length)] ^= 1 << pick(8);
  }
  return frame;
}

/** Printable ASCII, and the ellipsis a cut payload preview ends in. */
const PRINTABLE = /^[\x20-\x7e\u2026]*$/;

/** Decodes and shows `count` mutations of `seeds`; never throws itself. */
export function fuzzDecode(
  seeds: Uint8Array[],
  count: number,
  seed: number,
): FuzzResult {
  const random = generator(seed);
  const result: FuzzResult = { decoded: 0, failures: [] };
  for (let i = 0; i < count; i++) {
    const frame = mutate(
      seeds[i % seeds.length],
      seeds[Math.floor(random() * seeds.length)],
      random,
    );
    try {
      const wire = frame.length +
        (random() < 0.1 ? Math.floor(random() * 1500) : 0);
      const { info, layers } = decodeFrame(frame, wire);
      const shown: ShownFrame = {
        iface: null,
        bytes: frame,
        length: wire,
        pkttype: null,
        direction: null,
        timestamp: { seconds: 1, nanoseconds: 0 },
      };
      const line = frameLine(shown);
      const json = frameJson(shown);
      if (json !== JSON.stringify(frameRecord(shown))) {
        throw new Error(`frameJson differs from frameRecord: ${json}`);
      }
      for (const text of [info ?? "", JSON.stringify(layers), line, json]) {
        if (!PRINTABLE.test(text)) throw new Error(`not printable: ${text}`);
      }
      result.decoded++;
    } catch (error) {
      if (result.failures.length < 10) {
        const hex = [...frame].map((b) => b.toString(16).padStart(2, "0"))
          .join("");
        result.failures.push(`mutation ${i} (seed ${seed}) ${hex}: ${error}`);
      }
    }
  }
  return result;
}
