/**
 * Mutated frames for decoding and display: seeds from scapy's corpus,
 * bent by a seeded generator (so a failure can be replayed) in the ways
 * hostile or broken traffic is bent: bytes flipped, length and count
 * fields set to their extremes, frames cut anywhere or run on with
 * junk, two frames spliced; and a fifth of them seen as a hostile file
 * says it (interface names full of control characters, timestamps out of
 * range). Every result must decode, show as a line and as JSON (the fast
 * text the same value as the record) without throwing; the decoded text
 * is printable ASCII, no line holds a control character or a newline,
 * JSON stays valid and its `ts` keeps its documented format or is null;
 * and where the layers decode completely (they end in `raw`), they encode
 * back to the very bytes they came from.
 */
import { type BuildLayer, encodeLayers } from "../lib/build.ts";
import { decodeFrame, decodeLink } from "../lib/decode.ts";
import { parseFrame } from "../lib/frame.ts";
import { type CapturedFrame, frameJson, frameLine } from "../lib/format.ts";
import { referenceRecord } from "./reference_record.ts";

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
/** What a terminal would act on: never in a line, nor raw in JSON. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const JSON_UNSAFE = /[\x7f-\x9f\p{Cf}\u2028\u2029]/u;
/** The documented `ts`: RFC 3339 UTC with microseconds, or null. */
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** Characters names and text from files can hold, the hostile ones first. */
const NAME_CHARS = [
  "\n",
  "\r",
  "\x1b",
  "\x00",
  "\x07",
  "\x7f",
  "\x9b",
  "\u202e",
  "\u2028",
  "\u200b",
  "\ud800",
  "\ufeff",
  "[",
  "3",
  "1",
  "m",
  "e",
  "t",
  "h",
  "é",
  "\\",
  '"',
  " ",
];

/** Where and when a frame was seen, as a hostile file may say it. */
function seenAs(random: () => number): Omit<CapturedFrame, "bytes" | "length"> {
  const pick = (n: number) => Math.floor(random() * n);
  let iface: string | null = null;
  if (random() < 0.5) {
    iface = "";
    for (let n = pick(12); n > 0; n--) {
      iface += NAME_CHARS[pick(NAME_CHARS.length)];
    }
  }
  const seconds = [
    0,
    1,
    1795633886,
    2 ** 32 - 1,
    253402300799,
    253402300800,
    2 ** 53,
    2 ** 64 / 7,
  ][pick(8)];
  const nanoseconds =
    [0, 999_999_999, 1_000_000_000, 4294967295 * 1000, pick(1e9)][pick(5)];
  const direction = ([null, "in", "out"] as const)[pick(3)];
  const pkttype = ([null, "host", "outgoing"] as const)[pick(3)];
  return { iface, direction, pkttype, timestamp: { seconds, nanoseconds } };
}

/** Throws unless the line and JSON of `shown` keep every invariant. */
function check(shown: CapturedFrame): void {
  const { info, layers } = decodeFrame(shown.bytes, shown.length);
  assertPrintable(info, layers);
  if (layers.at(-1)?.layer === "raw") {
    const payload = parseFrame(shown.bytes).payload;
    const again = encodeLayers(layers as BuildLayer[]);
    if (
      again.length > payload.length || again.some((b, i) => b !== payload[i])
    ) {
      throw new Error(
        `layers encode to other bytes: ${JSON.stringify(layers)}`,
      );
    }
  }
  const json = safeOutputs(shown);
  const record = referenceRecord(shown);
  if (JSON.stringify(JSON.parse(json)) !== JSON.stringify(record)) {
    throw new Error(`frameJson differs from the reference record: ${json}`);
  }
  if (record.ts !== null && !TS.test(record.ts)) {
    throw new Error(`ts out of format: ${record.ts}`);
  }
}

/** The frame's JSON, once its line and JSON are found safe for a terminal. */
function safeOutputs(shown: CapturedFrame): string {
  const line = frameLine(shown);
  if (UNSAFE.test(line)) {
    throw new Error(`unsafe line: ${JSON.stringify(line)}`);
  }
  const json = frameJson(shown);
  if (UNSAFE.test(json) || JSON_UNSAFE.test(json)) {
    throw new Error(`unsafe JSON: ${JSON.stringify(json)}`);
  }
  return json;
}

/** Throws unless the summary and the layers' JSON are printable. */
function assertPrintable(info: string | null, layers: unknown[]): void {
  for (const text of [info ?? "", JSON.stringify(layers)]) {
    if (!PRINTABLE.test(text)) throw new Error(`not printable: ${text}`);
  }
}

/**
 * Throws unless a cooked frame's line and JSON are safe, its layers
 * printable, and its JSON says the cooked header's protocol.
 */
function checkCooked(shown: CapturedFrame): void {
  const link = decodeLink(shown.bytes, shown.linkType);
  const { info, layers } = link === undefined
    ? { info: null, layers: [] }
    : decodeFrame(shown.bytes, shown.length, link);
  assertPrintable(info, layers);
  const json = safeOutputs(shown);
  const record = JSON.parse(json);
  if (link !== undefined && record.type !== link.type) {
    throw new Error(`type ${record.type}, not the header's ${link.type}`);
  }
}

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
      // Most frames as a live capture shows them; some as a hostile file.
      const seen = random() < 0.2 ? seenAs(random) : LIVE;
      if (random() < 0.1) { // the same bytes as a Linux cooked capture's
        const linkType = random() < 0.5 ? 113 : 276;
        checkCooked({ ...seen, bytes: frame, length: wire, linkType });
      } else check({ ...seen, bytes: frame, length: wire });
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

const LIVE = {
  iface: "eth0",
  pkttype: "host",
  direction: "in",
  timestamp: { seconds: 1795633886, nanoseconds: 459425513 },
} as const;
