/**
 * Classic pcap files, either byte order, µs or ns timestamps: a 24-byte
 * header, then a 16-byte header before each record. Every length is
 * checked before anything is copied. Pure.
 *
 * @module
 */

import { FrameError } from "./errors.ts";
import { SNAPLEN } from "../contract/limits.ts";
import { MAGIC_MICRO, MAGIC_NANO } from "./pcap_writer.ts";
import {
  type CapturedFrame,
  type Format,
  readableLinkType,
  setCooked,
} from "./capture_format.ts";
import { LINKTYPE_ETHERNET } from "./pcap_writer.ts";

const NO_BYTES = new Uint8Array(0);

/** Classic pcap: a 24-byte header, then 16-byte record headers and data. */
export class ClassicPcap implements Format {
  readonly kind = "pcap";
  #little = true;
  #scale = 1000;
  #header = false;
  #records = 0;
  #linkType = LINKTYPE_ETHERNET;
  /** The file's snap length: libpcap cuts longer records there. */
  #snaplen = SNAPLEN;
  /** The frame handed out, filled again for each record (see Format). */
  readonly #time = { seconds: 0, nanoseconds: 0 };
  readonly #frame: CapturedFrame = {
    bytes: new Uint8Array(0),
    length: 0,
    timestamp: this.#time,
    iface: null,
    pkttype: null,
    direction: null,
  };

  step(
    view: DataView,
    at: number,
    emit: (frame: CapturedFrame) => void,
  ): number {
    const left = view.byteLength - at;
    if (!this.#header) {
      if (left < 24) return -24;
      const magic = view.getUint32(at, true);
      this.#little = magic === MAGIC_MICRO || magic === MAGIC_NANO;
      this.#scale = (this.#little ? magic : view.getUint32(at, false)) ===
          MAGIC_NANO
        ? 1
        : 1000;
      this.#linkType = readableLinkType(
        view.getUint32(at + 20, this.#little) & 0xffff,
        "pcap file",
      );
      const snaplen = view.getUint32(at + 16, this.#little);
      if (snaplen > 0 && snaplen < SNAPLEN) this.#snaplen = snaplen;
      this.#header = true;
      return 24;
    }
    if (left < 16) return -16;
    const record = this.#records + 1;
    const captured = view.getUint32(at + 8, this.#little);
    if (captured > SNAPLEN) {
      throw new FrameError(
        `pcap record ${record} claims ${captured} bytes, more than a capture holds (${SNAPLEN})`,
      );
    }
    if (left < 16 + captured) return -(16 + captured);
    const start = view.byteOffset + at + 16;
    this.#records = record;
    const frame = this.#frame;
    frame.bytes = captured === 0 // a view; no object for an empty record
      ? NO_BYTES
      : new Uint8Array(view.buffer, start, Math.min(captured, this.#snaplen));
    frame.length = view.getUint32(at + 12, this.#little);
    this.#time.seconds = view.getUint32(at, this.#little);
    this.#time.nanoseconds = view.getUint32(at + 4, this.#little) * this.#scale;
    if (this.#linkType !== LINKTYPE_ETHERNET) {
      frame.pkttype = null;
      frame.direction = null;
      setCooked(frame, this.#linkType);
    }
    emit(frame);
    return 16 + captured;
  }

  last(): string {
    return `record ${this.#records}`;
  }

  current(): string {
    return this.#header ? `record ${this.#records + 1}` : "the file header";
  }
}
