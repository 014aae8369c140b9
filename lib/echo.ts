/**
 * rawframe's echo protocol: the layer-2 "ping" pyng was named for. A
 * request is an Ethernet frame (EtherType 0x88B5 by default) whose payload
 * starts with this 20-byte header, all fields big-endian:
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 4 | magic `RFPG` (0x52465047) |
 * | 4 | 1 | kind: 1 request, 2 reply |
 * | 5 | 1 | flags: bit 0 set when bytes 20–35 hold the responder's stamps |
 * | 6 | 2 | identifier: tells concurrent pingers apart |
 * | 8 | 4 | sequence number |
 * | 12 | 8 | sender's timestamp, opaque to the responder |
 * | 20 | 8 | responder's receive time: the kernel's stamp of the request |
 * | 28 | 8 | responder's send time: its clock as it hands the reply over |
 *
 * Times at 20 and 28 are nanoseconds since 1970 on the responder's clock;
 * only their difference, how long the responder held the frame, matters
 * (as the reflector's timestamps of TWAMP, RFC 5357). Requests carry
 * zeros there (a padded 20-byte request has the room too).
 *
 * A responder answers by returning the frame with the addresses swapped
 * (its own MAC as source), the kind set to reply, its stamps written when
 * it has a clock and the payload has the room, and every other byte, VLAN
 * tags and padding included, unchanged. An older responder (before the
 * stamps) leaves flags 0: its replies still read, without a hold time.
 *
 * @module
 */

import { HEADER_SIZE, parseFrame, parseMac } from "./frame.ts";
import type { Timestamp } from "../contract/types.ts";

/** "RFPG" as a big-endian u32. */
export const ECHO_MAGIC = 0x52465047;
/** Bytes of the echo header before the responder's stamps. */
export const ECHO_HEADER_SIZE = 20;
/** Bytes of the echo header with the responder's stamps. */
export const ECHO_STAMPED_SIZE = 36;
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
  /**
   * A reply's stamps: when the responder's kernel received the request
   * and when the responder handed the reply over, in nanoseconds since
   * 1970 on its clock. Absent in requests and older responders' replies.
   */
  held?: { received: bigint; sent: bigint };
}

const KIND_CODE = { request: 1, reply: 2 } as const;
const KIND_OFFSET = 4;
const FLAGS_OFFSET = 5;
/** Flags bit: the responder's stamps are there. */
const STAMPED = 1;
const RECEIVED_OFFSET = 20;
const SENT_OFFSET = 28;

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
  const bytes = new Uint8Array(ECHO_STAMPED_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, ECHO_MAGIC);
  view.setUint8(KIND_OFFSET, KIND_CODE[echo.kind]);
  view.setUint16(6, echo.id);
  view.setUint32(8, echo.seq);
  view.setBigUint64(12, echo.timestamp);
  if (echo.held) writeHeld(view, echo.held.received, echo.held.sent);
  return bytes;
}

/** Writes the responder's stamps into the header `view` starts at. */
function writeHeld(view: DataView, received: bigint, sent: bigint): void {
  view.setUint8(FLAGS_OFFSET, view.getUint8(FLAGS_OFFSET) | STAMPED);
  view.setBigUint64(RECEIVED_OFFSET, BigInt.asUintN(64, received));
  view.setBigUint64(SENT_OFFSET, BigInt.asUintN(64, sent));
}

/** Decodes an echo header from a payload, or undefined if it is not one. */
export function parseEcho(payload: Uint8Array): Echo | undefined {
  if (payload.length < ECHO_HEADER_SIZE) return undefined;
  const view = new DataView(
    payload.buffer,
    payload.byteOffset,
    Math.min(payload.length, ECHO_STAMPED_SIZE),
  );
  if (view.getUint32(0) !== ECHO_MAGIC) return undefined;
  const code = view.getUint8(KIND_OFFSET);
  const kind = code === 1 ? "request" : code === 2 ? "reply" : undefined;
  if (kind === undefined) return undefined;
  const stamped = (view.getUint8(FLAGS_OFFSET) & STAMPED) !== 0 &&
    view.byteLength === ECHO_STAMPED_SIZE;
  return {
    kind,
    id: view.getUint16(6),
    seq: view.getUint32(8),
    timestamp: view.getBigUint64(12),
    ...(stamped
      ? {
        held: {
          received: view.getBigUint64(RECEIVED_OFFSET),
          sent: view.getBigUint64(SENT_OFFSET),
        },
      }
      : {}),
  };
}

/** A time in nanoseconds since 1970. */
export function nanosecondsOf(time: Timestamp): bigint {
  return BigInt(time.seconds) * 1_000_000_000n + BigInt(time.nanoseconds);
}

/** What a responder with a clock writes into its replies. */
export interface ResponderStamps {
  /** The kernel's receive timestamp of the request. */
  received: Timestamp;
  /** The responder's clock, read as late as possible: just before sending. */
  clock: () => Timestamp;
}

/**
 * The reply to an echo request frame: addresses swapped with `ownMac` as
 * source, kind set to reply, all else unchanged.
 *
 * @param frame A received frame.
 * @param ownMac The responder's MAC.
 * @param etherType The echo EtherType in use.
 * @param stamps When given, the responder's stamps go into the reply
 *   (if the request has room for them); the clock is read last.
 * @returns The reply, or undefined if `frame` is not an echo request.
 */
export function echoReply(
  frame: Uint8Array,
  ownMac: string,
  etherType: number = ECHO_ETHERTYPE,
  stamps?: ResponderStamps,
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
  if (stamps !== undefined && parsed.payload.length >= ECHO_STAMPED_SIZE) {
    const view = new DataView(reply.buffer, at, ECHO_STAMPED_SIZE);
    const received = nanosecondsOf(stamps.received);
    writeHeld(view, received, nanosecondsOf(stamps.clock()));
  }
  return reply;
}
