/**
 * rawframe's echo protocol: the layer-2 "ping" pyng was named for. A
 * request is an Ethernet frame (EtherType 0x88B5 by default) whose payload
 * starts with this 20-byte header, all fields big-endian:
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 4 | magic `RFPG` (0x52465047) |
 * | 4 | 1 | kind: 1 request, 2 reply |
 * | 5 | 1 | reserved, 0 |
 * | 6 | 2 | identifier: tells concurrent pingers apart |
 * | 8 | 4 | sequence number |
 * | 12 | 8 | sender's timestamp, opaque to the responder |
 *
 * A responder answers by returning the frame with the addresses swapped
 * (its own MAC as source), the kind set to reply, and every other byte,
 * VLAN tags and padding included, unchanged.
 *
 * @module
 */

import { HEADER_SIZE, parseFrame, parseMac } from "./frame.ts";

/** "RFPG" as a big-endian u32. */
export const ECHO_MAGIC = 0x52465047;
/** Bytes of the echo header. */
export const ECHO_HEADER_SIZE = 20;
/** Default EtherType of echo frames (IEEE local experimental 1). */
export const ECHO_ETHERTYPE = 0x88b5;

/** A decoded echo header. */
export interface Echo {
  /** Request or reply. */
  kind: "request" | "reply";
  /** The pinger's identifier, 0–65535. */
  id: number;
  /** Sequence number, 0–2³²−1. */
  seq: number;
  /** The sender's timestamp (opaque to the responder). */
  timestamp: bigint;
}

const KIND_CODE = { request: 1, reply: 2 } as const;
const KIND_OFFSET = 4;

/**
 * Encodes an echo header.
 *
 * @example
 * ```ts
 * import { encodeEcho, parseEcho } from "@rawframe/rawframe/ping";
 * const bytes = encodeEcho({ kind: "request", id: 7, seq: 1, timestamp: 0n });
 * parseEcho(bytes)?.seq; // 1
 * ```
 */
export function encodeEcho(echo: Echo): Uint8Array {
  const bytes = new Uint8Array(ECHO_HEADER_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, ECHO_MAGIC);
  view.setUint8(KIND_OFFSET, KIND_CODE[echo.kind]);
  view.setUint16(6, echo.id);
  view.setUint32(8, echo.seq);
  view.setBigUint64(12, echo.timestamp);
  return bytes;
}

/** Decodes an echo header from a payload, or undefined if it is not one. */
export function parseEcho(payload: Uint8Array): Echo | undefined {
  if (payload.length < ECHO_HEADER_SIZE) return undefined;
  const view = new DataView(
    payload.buffer,
    payload.byteOffset,
    ECHO_HEADER_SIZE,
  );
  if (view.getUint32(0) !== ECHO_MAGIC) return undefined;
  const code = view.getUint8(KIND_OFFSET);
  const kind = code === 1 ? "request" : code === 2 ? "reply" : undefined;
  if (kind === undefined) return undefined;
  return {
    kind,
    id: view.getUint16(6),
    seq: view.getUint32(8),
    timestamp: view.getBigUint64(12),
  };
}

/**
 * The reply to an echo request frame: addresses swapped with `ownMac` as
 * source, kind set to reply, all else unchanged.
 *
 * @param frame A received frame.
 * @param ownMac The responder's MAC.
 * @param etherType The echo EtherType in use.
 * @returns The reply, or undefined if `frame` is not an echo request.
 */
export function echoReply(
  frame: Uint8Array,
  ownMac: string,
  etherType: number = ECHO_ETHERTYPE,
): Uint8Array | undefined {
  if (frame.length < HEADER_SIZE) return undefined;
  const parsed = parseFrame(frame);
  if (parsed.type !== etherType) return undefined;
  if (parseEcho(parsed.payload)?.kind !== "request") return undefined;
  const reply = frame.slice();
  reply.set(frame.subarray(6, 12), 0);
  reply.set(parseMac(ownMac), 6);
  const at = frame.length - parsed.payload.length;
  reply[at + KIND_OFFSET] = KIND_CODE.reply;
  return reply;
}
