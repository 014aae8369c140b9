/**
 * Writing pcapng files as dumpcap writes them: a section header, an
 * interface description for each interface the first time one of its
 * frames comes (its name, link type, snap length and timestamp
 * resolution), an enhanced packet block per frame (interface, time,
 * direction and reception type), and on request an interface statistics
 * block (frames received and dropped by the kernel). Pure: it turns
 * frames into bytes; the caller does the I/O.
 *
 * @module
 */

import { InputError } from "./errors.ts";
import { SNAPLEN } from "../contract/limits.ts";
import {
  PACKET_TYPES,
  type PacketType,
  type RingFrame,
  type Timestamp,
} from "../contract/types.ts";
import { LINKTYPE_ETHERNET, type Precision } from "./pcap_writer.ts";
import {
  type BlockTarget,
  type NanosecondsPerUnit,
  PACKET_BLOCK_DATA,
  PACKET_BLOCK_OVERHEAD,
  PACKET_FLAGS,
  putPacketBlock,
  putTime,
  type RecordTarget,
} from "../contract/pcap_record.ts";

const SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IDB = 1;
const ISB = 5;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const SHB_USERAPPL = 4;
const ISB_ENDTIME = 3;
const ISB_IFRECV = 4;
const ISB_IFDROP = 5;
const ISB_USRDELIV = 7;

/** What the kernel counted on one interface, for its statistics block. */
export interface InterfaceCounts {
  /** Frames the kernel passed to the capture, the dropped ones included. */
  received: number;
  /** Frames the kernel dropped because the capture's buffer was full. */
  dropped: number;
}

/** Options of {@linkcode PcapngWriter}. */
export interface PcapngWriterOptions {
  /** Timestamp resolution of every interface. @default "micro" */
  precision?: Precision;
  /**
   * Names the interface of a frame (its block's `if_name`); null when
   * unknown (an interface block with no name). @default every frame null
   */
  interfaceOf?: (frame: RingFrame) => string | null;
  /** The section's `shb_userappl`. @default "rawframe" */
  application?: string;
  /** The buffer's size in bytes. @default 1 MiB */
  bufferSize?: number;
  /**
   * Names interface `ifindex`: given, the writer takes packet blocks
   * copied straight from a socket's ring (`addFrom`), as fast as classic
   * records. @default none: frames one by one (`add`)
   */
  interfaceNameOf?: (ifindex: number) => string;
}

/**
 * Writes a pcapng stream through `sink`, buffered: blocks are handed to
 * the sink on flush() or when the buffer fills, always whole. Call
 * flush() after each batch so the file is complete whenever it stops.
 *
 * @example Two frames of two interfaces
 * ```ts
 * import { PcapngWriter, readPcap } from "@rawframe/rawframe/pcap";
 * const chunks: Uint8Array[] = [];
 * const writer = new PcapngWriter((bytes) => chunks.push(bytes.slice()));
 * const frame = new Uint8Array(60);
 * writer.write(frame, { seconds: 1, nanoseconds: 0 }, { iface: "veth0" });
 * writer.write(frame, { seconds: 2, nanoseconds: 0 }, { iface: "veth1" });
 * writer.flush();
 * readPcap(chunks[0]).map((f) => f.iface); // ["veth0", "veth1"]
 * ```
 */
export class PcapngWriter {
  readonly #sink: (bytes: Uint8Array) => void;
  readonly #perUnit: NanosecondsPerUnit;
  readonly #interfaceOf: (frame: RingFrame) => string | null;
  readonly #ids = new Map<string, number>(); // by link type and name
  readonly #interfaces: { name: string | null; linkType: number }[] = [];
  /** Frames written per interface id (its isb_usrdeliv). */
  readonly #written: number[] = [];
  #buffer: Uint8Array;
  #view: DataView;
  #used = 0;
  // The last interface named, and its id: frames come in runs of one.
  #lastName: string | null | undefined = undefined;
  #lastLinkType = LINKTYPE_ETHERNET;
  #lastId = 0;

  /**
   * Appends the packet blocks `copy` puts straight in, such as
   * `(target, limit) => source.copyRecords(target, limit)`: up to `limit`
   * frames of a socket. Present only with the `interfaceNameOf` option.
   *
   * @returns frames added (what `copy` returned).
   */
  readonly addFrom?: (
    copy: (target: RecordTarget, limit: number) => number,
    limit?: number,
  ) => number;

  /** Starts the stream with its section header (written on the first flush). */
  constructor(
    sink: (bytes: Uint8Array) => void,
    options: PcapngWriterOptions = {},
  ) {
    const precision = options.precision ?? "micro";
    if (precision !== "micro" && precision !== "nano") {
      throw new InputError(
        `invalid pcapng precision ${
          JSON.stringify(precision)
        }: give "micro" or "nano"`,
      );
    }
    this.#sink = sink;
    this.#perUnit = precision === "nano" ? 1 : 1000;
    this.#interfaceOf = options.interfaceOf ?? (() => null);
    const size = Math.max(options.bufferSize ?? 1 << 20, 4096 + SNAPLEN + 64);
    this.#buffer = new Uint8Array(size);
    this.#view = new DataView(this.#buffer.buffer);
    this.#sectionHeader(options.application ?? "rawframe");
    if (options.interfaceNameOf !== undefined) {
      this.addFrom = this.#blockCopier(options.interfaceNameOf);
    }
  }

  /** `addFrom`: a target of packet blocks over this writer's buffer. */
  #blockCopier(
    nameOf: (ifindex: number) => string,
  ): NonNullable<PcapngWriter["addFrom"]> {
    const sync = (): void => {
      target.bytes = this.#buffer;
      target.view = this.#view;
      target.used = this.#used;
    };
    const tell = (): void => {
      if (blocks.count === 0) return;
      this.#written[blocks.interfaceId] += blocks.count;
      blocks.count = 0;
    };
    const blocks: BlockTarget = {
      ifindex: -1,
      interfaceId: 0,
      count: 0,
      switchTo: (ifindex) => {
        tell();
        this.#used = target.used;
        blocks.interfaceId = this.interfaceId(nameOf(ifindex));
        blocks.ifindex = ifindex;
        sync();
      },
    };
    const target: RecordTarget = {
      bytes: this.#buffer,
      view: this.#view,
      used: this.#used,
      perUnit: this.#perUnit,
      blocks,
      makeRoom: (size) => {
        this.#used = target.used;
        this.#reserve(size);
        sync();
      },
    };
    return (copy, limit = Infinity) => {
      sync();
      try {
        return copy(target, limit);
      } finally {
        this.#used = target.used; // what was copied before a failure stays
        tell();
      }
    };
  }

  /** The interfaces described so far, in the order of their ids. */
  get interfaces(): readonly { name: string | null; linkType: number }[] {
    return this.#interfaces;
  }

  /** Appends a packet block for `frame`, copying its bytes straight in. */
  add(frame: RingFrame): void {
    const id = this.interfaceId(
      this.#interfaceOf(frame),
      frame.linkType ?? LINKTYPE_ETHERNET,
    );
    const captured = frame.capturedLength;
    const at = this.#reserve(PACKET_BLOCK_OVERHEAD + ((captured + 3) & ~3));
    this.#used = at + putPacketBlock(
      this.#view,
      at,
      id,
      frame.seconds,
      frame.nanoseconds,
      this.#perUnit,
      captured,
      frame.length,
      flagsOf(frame.direction, frame.pkttype),
    );
    frame.copyTo(this.#buffer, at + PACKET_BLOCK_DATA);
    this.#written[id]++;
  }

  /**
   * Appends a packet block for `bytes` seen at `ts` on interface `iface`,
   * with the direction and packet type given (if any).
   */
  write(
    bytes: Uint8Array,
    ts: Timestamp,
    meta: {
      iface?: string | null;
      length?: number;
      direction?: "in" | "out" | null;
      pkttype?: PacketType | null;
      linkType?: number;
    } = {},
  ): void {
    const id = this.interfaceId(
      meta.iface ?? null,
      meta.linkType ?? LINKTYPE_ETHERNET,
    );
    const carry = Math.floor(ts.nanoseconds / 1e9);
    const captured = bytes.length;
    const at = this.#reserve(PACKET_BLOCK_OVERHEAD + ((captured + 3) & ~3));
    this.#used = at + putPacketBlock(
      this.#view,
      at,
      id,
      ts.seconds + carry,
      ts.nanoseconds - carry * 1e9,
      this.#perUnit,
      captured,
      meta.length ?? captured,
      flagsOf(meta.direction ?? null, meta.pkttype ?? null),
    );
    this.#buffer.set(bytes, at + PACKET_BLOCK_DATA);
    this.#written[id]++;
  }

  /**
   * The id of interface `name` (null: unnamed) of `linkType`, writing its
   * description block the first time it is named.
   */
  interfaceId(
    name: string | null,
    linkType: number = LINKTYPE_ETHERNET,
  ): number {
    if (name === this.#lastName && linkType === this.#lastLinkType) {
      return this.#lastId;
    }
    const id = this.#idOf(name, linkType);
    this.#lastName = name;
    this.#lastLinkType = linkType;
    this.#lastId = id;
    return id;
  }

  #idOf(name: string | null, linkType: number): number {
    const key = `${linkType} ${name === null ? "" : `=${name}`}`;
    const known = this.#ids.get(key);
    if (known !== undefined) return known;
    const id = this.#interfaces.length;
    this.#ids.set(key, id);
    this.#interfaces.push({ name, linkType });
    this.#written.push(0);
    this.#interfaceBlock(name, linkType);
    return id;
  }

  /**
   * Appends a statistics block for interface `name` at time `ts`: what the
   * kernel counted (when known) and the frames written for it.
   */
  statistics(
    name: string | null,
    ts: Timestamp,
    counts?: InterfaceCounts,
  ): void {
    const id = this.interfaceId(name);
    const options = 12 + (counts === undefined ? 0 : 24) + 12;
    const length = 20 + options + 4 + 4;
    const at = this.#reserve(length);
    const v = this.#view;
    this.#blockStart(at, ISB, length);
    v.setUint32(at + 8, id, true);
    putTime(v, at + 12, ts.seconds, ts.nanoseconds, this.#perUnit);
    v.setUint32(at + 20, ISB_ENDTIME | (8 << 16), true);
    putTime(v, at + 24, ts.seconds, ts.nanoseconds, this.#perUnit);
    let o = at + 32;
    if (counts !== undefined) {
      o = putCount(v, o, ISB_IFRECV, counts.received);
      o = putCount(v, o, ISB_IFDROP, counts.dropped);
    }
    o = putCount(v, o, ISB_USRDELIV, this.#written[id]);
    v.setUint32(o, 0, true); // opt_endofopt
    v.setUint32(o + 4, length, true);
    this.#used = at + length;
  }

  /** Hands everything buffered to the sink. */
  flush(): void {
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0; // a failed write is not tried again
    this.#sink(this.#buffer.subarray(0, used));
  }

  #sectionHeader(application: string): void {
    const appl = new TextEncoder().encode(application);
    const length = 24 + optionSize(appl.length) + 4 + 4;
    const at = this.#reserve(length);
    const v = this.#view;
    this.#blockStart(at, SHB, length);
    v.setUint32(at + 8, BYTE_ORDER_MAGIC, true);
    v.setUint16(at + 12, 1, true); // version 1.0
    v.setUint16(at + 14, 0, true);
    v.setInt32(at + 16, -1, true); // section length: not given
    v.setInt32(at + 20, -1, true);
    let o = this.#putBytesOption(at + 24, SHB_USERAPPL, appl);
    v.setUint32(o, 0, true);
    o += 4;
    v.setUint32(o, length, true);
    this.#used = at + length;
  }

  #interfaceBlock(name: string | null, linkType: number): void {
    const encoded = name === null ? undefined : new TextEncoder().encode(name);
    const nameSize = encoded === undefined ? 0 : optionSize(encoded.length);
    const length = 16 + nameSize + 8 + 4 + 4;
    const at = this.#reserve(length);
    const v = this.#view;
    this.#blockStart(at, IDB, length);
    v.setUint16(at + 8, linkType, true);
    v.setUint16(at + 10, 0, true);
    v.setUint32(at + 12, SNAPLEN, true);
    let o = at + 16;
    if (encoded !== undefined) o = this.#putBytesOption(o, IF_NAME, encoded);
    v.setUint16(o, IF_TSRESOL, true);
    v.setUint16(o + 2, 1, true);
    v.setUint32(o + 4, this.#perUnit === 1 ? 9 : 6, true); // a byte, padded
    v.setUint32(o + 8, 0, true); // opt_endofopt
    v.setUint32(o + 12, length, true);
    this.#used = at + length;
  }

  #blockStart(at: number, type: number, length: number): void {
    this.#view.setUint32(at, type, true);
    this.#view.setUint32(at + 4, length, true);
  }

  /** Writes option `code` holding `bytes`, padded; returns where it ends. */
  #putBytesOption(at: number, code: number, bytes: Uint8Array): number {
    this.#view.setUint16(at, code, true);
    this.#view.setUint16(at + 2, bytes.length, true);
    this.#buffer.set(bytes, at + 4);
    this.#buffer.fill(0, at + 4 + bytes.length, at + optionSize(bytes.length));
    return at + optionSize(bytes.length);
  }

  /** Room for `size` more bytes; returns where they go. */
  #reserve(size: number): number {
    if (this.#used + size > this.#buffer.length) {
      this.flush();
      if (size > this.#buffer.length) {
        this.#buffer = new Uint8Array(size);
        this.#view = new DataView(this.#buffer.buffer);
      }
    }
    return this.#used;
  }
}

/** Bytes an option of `size` bytes takes: its code, length and padding. */
function optionSize(size: number): number {
  return 4 + ((size + 3) & ~3);
}

/** Writes a 64-bit count option (a u64 in the section's byte order). */
function putCount(
  v: DataView,
  at: number,
  code: number,
  count: number,
): number {
  v.setUint16(at, code, true);
  v.setUint16(at + 2, 8, true);
  v.setBigUint64(at + 4, BigInt(count), true);
  return at + 12;
}

/**
 * epb_flags for a frame said by its direction and packet type (the
 * kernel's numbering, as the ring copies them: PACKET_FLAGS).
 */
function flagsOf(
  direction: "in" | "out" | null,
  pkttype: PacketType | null,
): number {
  if (direction === "out" || pkttype === "outgoing") return 2;
  if (pkttype !== null) return PACKET_FLAGS[PACKET_TYPES.indexOf(pkttype)];
  return direction === "in" ? 1 : 0;
}
