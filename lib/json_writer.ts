/**
 * NDJSON records of frames written as bytes, straight from the socket's
 * memory into an output buffer: the same text as
 * `JSON.stringify(frameRecord(frame))`, one line each, without making a
 * copy of the frame, a record object or a string per frame. At hundreds of
 * thousands of frames a second those cost more than a microsecond a frame
 * (measured), which is what made `listen --json` lose frames. Pure.
 *
 * @module
 */

import type { RingFrame } from "../contract/types.ts";
import { MIN_ETHER_TYPE, VLAN_TAG_SIZE } from "../contract/ethernet.ts";
import { HEX_BYTES } from "./hex.ts";
import {
  type CookedHeader,
  decodeFrame,
  decodeLink,
  type Link,
} from "./decode.ts";
import { isCooked } from "./cooked.ts";
import { safeJson } from "./escape.ts";
import { isValidTimestamp } from "./time_format.ts";

const encoder = new TextEncoder();
const ascii = (text: string): Uint8Array => encoder.encode(text);

/** Each byte's first and second hex digit, as ASCII codes. */
const HIGH = Uint8Array.from(HEX_BYTES, (hex) => hex.charCodeAt(0));
const LOW = Uint8Array.from(HEX_BYTES, (hex) => hex.charCodeAt(1));
/** The end of the record of a frame nothing decodes. */
const NOT_DECODED = '","info":null,"layers":[]}\n';
const NULL = ascii("null");
/** Interface names whose JSON texts are kept, at most. */
const NAMES_KEPT = 1024;
/** The largest frame a record can hold (a capture's snaplen, and a tag). */
const MAX_FRAME = 262144 + VLAN_TAG_SIZE;

/** Writes NDJSON records into a buffer that is handed to a sink. */
export class FrameJsonWriter {
  readonly #sink: (bytes: Uint8Array) => void;
  readonly #out: Uint8Array;
  readonly #frame = new Uint8Array(MAX_FRAME);
  readonly #names = new Map<string, Uint8Array>();
  #used = 0;
  #second = NaN;
  #secondText: Uint8Array = new Uint8Array(0);

  /** Records go to `sink` on flush() (or when the buffer fills). */
  constructor(sink: (bytes: Uint8Array) => void, bufferSize: number = 1 << 20) {
    this.#sink = sink;
    this.#out = new Uint8Array(Math.max(bufferSize, 4 * MAX_FRAME));
  }

  /**
   * Appends the record of `frame`, seen on interface `iface` (null when
   * its source does not say), and `\n`.
   */
  add(frame: RingFrame, iface: string | null): void {
    const bytes = this.#frame;
    const size = frame.copyTo(bytes, 0);
    const captured = bytes.subarray(0, size);
    // Read once: decoding starts from it.
    const link = decodeLink(captured, frame.linkType);
    const decoded = link === undefined && isCooked(frame.linkType)
      ? NOT_DECODED
      : this.#decoded(captured, frame.length, link);
    // A record takes at most twice the frame's bytes, the decoded part,
    // and fields.
    if (
      this.#used + 2 * size + 3 * decoded.length + 512 > this.#out.length
    ) {
      this.flush();
    }
    this.#ascii('{"ts":');
    this.#timestamp(frame.seconds, frame.nanoseconds);
    this.#ascii(',"iface":');
    this.#bytes(iface === null ? NULL : this.#name(iface));
    const { direction, pkttype } = frame;
    this.#ascii(
      `,"direction":${direction === null ? "null" : `"${direction}"`}`,
    );
    this.#ascii(`,"pkttype":${pkttype === null ? "null" : `"${pkttype}"`}`);
    if (link === undefined) { // only a file holds one: every byte is payload
      this.#ascii(
        `,"dst":null,"src":null,"type":null,"len":${frame.length},"payload":"`,
      );
      this.#hex(bytes, 0, size);
      this.#text(decoded);
      return;
    }
    if (link.cooked === undefined) {
      this.#ascii(',"dst":"');
      this.#mac(bytes, 0);
      this.#ascii('","src":"');
      this.#mac(bytes, 6);
      this.#ascii('",');
      this.#tagsAndType(link);
    } else this.#cooked(link.cooked);
    this.#ascii(`,"len":${frame.length},"payload":"`);
    this.#hex(bytes, link.at, size);
    this.#text(decoded);
  }

  /** The record's end: `","info":...,"layers":[...]}` and a newline. */
  #decoded(
    captured: Uint8Array,
    length: number,
    link: Link | undefined,
  ): string {
    const { info, layers } = decodeFrame(captured, length, link);
    if (info === null && layers.length === 0) return NOT_DECODED;
    return `","info":${safeJson(info)},"layers":${safeJson(layers)}}\n`;
  }

  /** Hands everything written so far to the sink. */
  flush(): void {
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0; // a failed write is not tried again
    this.#sink(this.#out.subarray(0, used));
  }

  /** `"vlan":[...],` when tagged, then the type (or 802.3 length). */
  #tagsAndType(link: Link): void {
    const { vlans, type } = link;
    for (let i = 0; i < vlans.length; i++) {
      const { tpid, pcp, dei, id } = vlans[i];
      this.#ascii(i === 0 ? '"vlan":[' : ",");
      this.#ascii(`{"tpid":${tpid},"pcp":${pcp},"dei":${dei},"id":${id}}`);
    }
    if (vlans.length > 0) this.#ascii("],");
    this.#ascii(
      type < MIN_ETHER_TYPE ? `"type":null,"length":${type}` : `"type":${type}`,
    );
  }

  /**
   * A cooked header's fields: no destination, its address as the source,
   * its protocol as the type, and SLL2's interface index.
   */
  #cooked(cooked: CookedHeader): void {
    const { address, protocol, ifindex } = cooked;
    this.#ascii(
      `,"dst":null,"src":${address === null ? "null" : `"${address}"`}`,
    );
    this.#ascii(`,"type":${protocol}`);
    if (ifindex !== undefined) this.#ascii(`,"ifindex":${ifindex}`);
  }

  /** `"2026-11-25T19:11:26.123456Z"`, or null out of range. */
  #timestamp(seconds: number, nanoseconds: number): void {
    if (!isValidTimestamp({ seconds, nanoseconds })) {
      this.#ascii("null");
      return;
    }
    this.#ascii('"');
    if (seconds !== this.#second) { // once per second of frames
      this.#second = seconds;
      this.#secondText = ascii(
        new Date(seconds * 1000).toISOString().slice(0, 19),
      );
    }
    this.#bytes(this.#secondText);
    const out = this.#out;
    let at = this.#used;
    out[at++] = 0x2e; // "."
    let micros = Math.floor(nanoseconds / 1000);
    for (let i = 5; i >= 0; i--) {
      out[at + i] = 0x30 + (micros % 10);
      micros = Math.floor(micros / 10);
    }
    out[at + 6] = 0x5a; // "Z"
    out[at + 7] = 0x22; // '"'
    this.#used = at + 8;
  }

  #mac(bytes: Uint8Array, from: number): void {
    const out = this.#out;
    let at = this.#used;
    for (let i = 0; i < 6; i++) {
      if (i > 0) out[at++] = 0x3a; // ":"
      const byte = bytes[from + i];
      out[at++] = HIGH[byte];
      out[at++] = LOW[byte];
    }
    this.#used = at;
  }

  #hex(bytes: Uint8Array, from: number, to: number): void {
    const out = this.#out;
    let at = this.#used;
    for (let i = from; i < to; i++) {
      const byte = bytes[i];
      out[at++] = HIGH[byte];
      out[at++] = LOW[byte];
    }
    this.#used = at;
  }

  /** The interface's name as JSON text, made once per name. */
  #name(iface: string): Uint8Array {
    let json = this.#names.get(iface);
    if (json === undefined) {
      if (this.#names.size >= NAMES_KEPT) this.#names.clear(); // a file may name many
      this.#names.set(iface, json = encoder.encode(safeJson(iface)));
    }
    return json;
  }

  /** Appends ASCII text (our own fixed field names and numbers). */
  #ascii(text: string): void {
    const out = this.#out;
    let at = this.#used;
    for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
    this.#used = at;
  }

  /** Appends text of any length (decoded layers) in one encodeInto. */
  #text(text: string): void {
    this.#used += encoder.encodeInto(text, this.#out.subarray(this.#used))
      .written;
  }

  #bytes(bytes: Uint8Array): void {
    this.#out.set(bytes, this.#used);
    this.#used += bytes.length;
  }
}
