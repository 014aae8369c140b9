/**
 * The NDJSON record of a frame built the plain way, field by field, from
 * parseFrame and decodeFrame: an oracle independent of the one encoder
 * (FrameJsonWriter) that `frameJson`, `frameRecord`, `listen --json` and
 * `read --json` share.
 */

import { formatTimestamp } from "../lib/time_format.ts";
import { parseFrame, toHex } from "../lib/frame.ts";
import { HEADER_SIZE, MIN_ETHER_TYPE } from "../contract/ethernet.ts";
import { decodeFrame } from "../lib/decode.ts";
import type { FrameRecord } from "../lib/format.ts";
import type { CapturedFrame } from "../lib/received_frame.ts";

/** The record of `frame`, as the README documents it. */
export function referenceRecord(frame: CapturedFrame): FrameRecord {
  const { info, layers } = decodeFrame(frame.bytes, frame.length);
  const where = {
    ts: formatTimestamp(frame.timestamp),
    iface: frame.iface,
    direction: frame.direction,
    pkttype: frame.pkttype,
  };
  if (frame.bytes.length < HEADER_SIZE) {
    return {
      ...where,
      dst: null,
      src: null,
      type: null,
      len: frame.length,
      payload: toHex(frame.bytes),
      info,
      layers,
    };
  }
  const parsed = parseFrame(frame.bytes);
  return {
    ...where,
    dst: parsed.dst,
    src: parsed.src,
    ...(parsed.vlans.length > 0 ? { vlan: parsed.vlans } : {}),
    ...(parsed.type < MIN_ETHER_TYPE
      ? { type: null, length: parsed.type }
      : { type: parsed.type }),
    len: frame.length,
    payload: toHex(parsed.payload),
    info,
    layers,
  };
}
