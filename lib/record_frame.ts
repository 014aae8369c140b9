/**
 * A frame from one record of `read --json` / `listen --json` (NDJSON):
 * with `payload`, the frame exactly as it was (addresses, tags with their
 * TPIDs, type or 802.3 length, payload byte for byte); without it, built
 * from `layers` (lib/build.ts: lengths and checksums computed where the
 * layers leave them out), so an edited record sends the edited frame.
 * Records are data from elsewhere: every field is checked. Pure.
 *
 * @example Edit a record's TTL and build the frame again
 * ```ts
 * import { recordFrame } from "./record_frame.ts";
 *
 * const frame = recordFrame({
 *   dst: "02:00:00:00:00:02",
 *   src: "02:00:00:00:00:01",
 *   type: 2048,
 *   layers: [
 *     { layer: "ipv4", src: "10.0.0.1", dst: "10.0.0.2", ttl: 1 },
 *     { layer: "udp", sport: 1, dport: 2 },
 *   ],
 * });
 * frame.length; // 60
 * ```
 *
 * @module
 */

import { type BuildLayer, encodeLayers } from "./build.ts";
import { etherTypeOf } from "./build/encode.ts";
import { FrameError, InputError } from "./errors.ts";
import { HEADER_SIZE, MIN_FRAME_SIZE, parseHex, parseMac } from "./frame.ts";
import { checkOptions } from "./option_check.ts";

/** The fields of a record that make its frame; the rest are ignored. */
const RECORD_FIELDS = {
  dst: "string",
  src: "string",
  vlan: "array",
  type: "number", // or null: an 802.3 frame, whose length is given
  length: "number",
  payload: "string",
  layers: "array",
} as const;

/** What is read of each tag. */
interface Tag {
  tpid: number;
  pcp: number;
  dei: boolean;
  id: number;
}

/**
 * The frame a record stands for (see the module's doc).
 *
 * @throws {InputError} a field missing, of the wrong type or out of range.
 */
export function recordFrame(record: unknown): Uint8Array {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new FrameError("a record must be a JSON object");
  }
  const r = record as Record<string, unknown>;
  const wanted = Object.fromEntries(
    Object.keys(RECORD_FIELDS).filter((k) => r[k] !== null && k in r)
      .map((k) => [k, r[k]]),
  );
  checkOptions("record", wanted, RECORD_FIELDS);
  if (r.type !== null && r.type !== undefined && typeof r.type !== "number") {
    throw new FrameError("a record's type must be a number or null");
  }
  const tags = ((r.vlan ?? []) as unknown[]).map(tagOf);
  const body = r.payload !== undefined
    ? parseHex(r.payload as string)
    : r.layers !== undefined
    ? encodeLayers(r.layers as BuildLayer[])
    : undefined;
  if (body === undefined) {
    throw new FrameError("a record needs its payload or its layers");
  }
  const type = typeOrLength(r, body.length);
  const size = HEADER_SIZE + 4 * tags.length + body.length;
  // Built from layers: padded as any built frame; a payload is kept exact.
  const padded = r.payload === undefined
    ? Math.max(size, MIN_FRAME_SIZE)
    : size;
  const frame = new Uint8Array(padded);
  const view = new DataView(frame.buffer);
  frame.set(parseMac(r.dst as string), 0);
  frame.set(parseMac(r.src as string), 6);
  let at = 12;
  for (const tag of tags) {
    view.setUint16(at, tag.tpid);
    view.setUint16(at + 2, (tag.pcp << 13) | (tag.dei ? 0x1000 : 0) | tag.id);
    at += 4;
  }
  view.setUint16(at, type);
  frame.set(body, at + 2);
  return frame;
}

/** The EtherType, or an 802.3 frame's length field. */
function typeOrLength(r: Record<string, unknown>, size: number): number {
  if (typeof r.type === "number") {
    if (!Number.isInteger(r.type) || r.type < 0x600 || r.type > 0xffff) {
      throw new FrameError(
        `a record's type must be 0x0600-0xffff, not ${r.type}`,
      );
    }
    return r.type;
  }
  if (typeof r.length === "number") {
    if (!Number.isInteger(r.length) || r.length < 0 || r.length > 1500) {
      throw new FrameError(
        `a record's 802.3 length must be 0-1500, not ${r.length}`,
      );
    }
    return r.length;
  }
  const layers = r.layers as BuildLayer[] | undefined;
  if (r.payload === undefined && layers?.[0]?.layer === "llc") return size;
  const type = r.payload === undefined ? etherTypeOf(layers?.[0]) : undefined;
  if (type === undefined) {
    throw new FrameError(
      `a record needs its type (or an 802.3 length) for its ${size} bytes`,
    );
  }
  return type;
}

/** One tag of a record's `vlan`. */
function tagOf(value: unknown, i: number): Tag {
  checkOptions(`record vlan[${i}]`, value, {
    tpid: "number",
    pcp: "number",
    dei: "boolean",
    id: "number",
  });
  const t = value as Partial<Tag>;
  const tag = {
    tpid: t.tpid ?? 0x8100,
    pcp: t.pcp ?? 0,
    dei: t.dei ?? false,
    id: t.id ?? -1,
  };
  const ok = [0x8100, 0x88a8, 0x9100].includes(tag.tpid) &&
    Number.isInteger(tag.pcp) && tag.pcp >= 0 && tag.pcp <= 7 &&
    Number.isInteger(tag.id) && tag.id >= 0 && tag.id <= 4095;
  if (!ok) {
    throw new InputError(
      `record vlan[${i}]: tpid 0x8100, 0x88a8 or 0x9100, pcp 0-7 and id 0-4095, not ${
        JSON.stringify(value)
      }`,
    );
  }
  return tag;
}
