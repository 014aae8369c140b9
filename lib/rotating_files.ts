/**
 * A capture written across files as tcpdump's `-C`, `-G` and `-W` write
 * it: a new file once the current one holds more than `-C` bytes, or
 * every `-G` seconds, each starting with the capture's own header (for
 * pcapng: its section header and every interface block so far), so each
 * file reads on its own. Files are cut between records only: no frame is
 * lost or written twice. Pure: the caller opens and closes the files.
 *
 * @module
 */

import { ringDigits, rotatedName } from "./file_names.ts";
import { PCAPNG_SHB } from "./pcapng.ts";

/** When to start a new file, as tcpdump's options. */
export interface RotationPlan {
  /** `-C`: once a file holds more than this many bytes. */
  bytes?: number;
  /** `-G`: once a file is this many seconds old. */
  seconds?: number;
  /**
   * `-W`: with `-C`, a ring of this many files, written over in turn;
   * with `-G` alone, stop after this many files.
   */
  files?: number;
}

/** A file being written. */
export interface RotatedFile {
  /** Writes all of `bytes`. */
  write(bytes: Uint8Array): void;
  /** Closes it: everything written is in it. */
  close(): void;
}

const CLASSIC_HEADER = 24;
const IDB = 1;

/**
 * Takes a capture stream (whole records, as a PcapWriter or PcapngWriter
 * hands them out) and writes it across files.
 *
 * @example Files of about a million bytes each
 * ```ts
 * import { PcapWriter, RotatingFiles } from "@rawframe/rawframe/pcap";
 * const sizes = new Map<string, number>();
 * const rotation = new RotatingFiles("cap", { bytes: 1_000_000 }, (name) => ({
 *   write: (b) => void sizes.set(name, (sizes.get(name) ?? 0) + b.length),
 *   close: () => {},
 * }), () => Date.now());
 * const writer = new PcapWriter((bytes) => rotation.write(bytes));
 * for (let i = 0; i < 20_000; i++) {
 *   writer.write(new Uint8Array(60), { seconds: i, nanoseconds: 0 });
 * }
 * writer.flush();
 * rotation.close();
 * rotation.names; // ["cap", "cap1"]
 * ```
 */
export class RotatingFiles {
  readonly #base: string;
  readonly #plan: RotationPlan;
  readonly #open: (name: string) => RotatedFile;
  readonly #now: () => number;
  readonly #digits: number;
  #file: RotatedFile | undefined;
  #fileBytes = 0;
  #started = 0; // ms, the current -G interval's start
  #number = 0; // -C's count within the interval
  #intervals = 1; // -G's count of files
  #pcapng: boolean | undefined;
  #preamble: Uint8Array[] = []; // a file's header, or SHB and IDBs
  #full = false;
  /** The names of the files opened, in order. */
  readonly names: string[] = [];

  /**
   * Opens the first file.
   *
   * @param base The `-w` name (a strftime format with `-G`).
   * @param open Opens (emptied) the file of that name.
   * @param now Milliseconds since the epoch.
   */
  constructor(
    base: string,
    plan: RotationPlan,
    open: (name: string) => RotatedFile,
    now: () => number,
  ) {
    this.#base = base;
    this.#plan = plan;
    this.#open = open;
    this.#now = now;
    this.#digits = plan.bytes === undefined ? 0 : ringDigits(plan.files);
    this.#started = now();
    this.#openFile();
  }

  /**
   * True once `-G` with `-W` has written its last file: the capture
   * should stop (what comes after is not written).
   */
  get full(): boolean {
    return this.#full;
  }

  /** Writes `chunk`, whole records, across files as the plan says. */
  write(chunk: Uint8Array): void {
    if (this.#full) return;
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
    let at = 0;
    let run = 0; // the start of the bytes not yet written
    if (this.#pcapng === undefined) {
      this.#pcapng = view.getUint32(0, true) === PCAPNG_SHB;
      if (!this.#pcapng) {
        this.#preamble.push(chunk.slice(0, CLASSIC_HEADER));
        at = CLASSIC_HEADER;
      }
    }
    // -G is looked at once per chunk: its records came together.
    let timeUp = this.#timeUp();
    while (at < chunk.length) {
      const size = this.#recordSize(view, at);
      if (this.#isPreamble(view, at)) {
        this.#preamble.push(chunk.slice(at, at + size));
      } else if (timeUp || this.#sizeUp(at - run)) {
        this.#put(chunk.subarray(run, at));
        run = at;
        if (!this.#rotate(timeUp)) return;
        timeUp = false;
      }
      at += size;
    }
    this.#put(chunk.subarray(run, at));
  }

  /** Closes the current file. */
  close(): void {
    const file = this.#file;
    this.#file = undefined;
    file?.close();
  }

  /** A record's or block's size. */
  #recordSize(view: DataView, at: number): number {
    const size = at + (this.#pcapng ? 8 : 16) > view.byteLength
      ? 0
      : this.#pcapng
      ? view.getUint32(at + 4, true)
      : 16 + view.getUint32(at + 8, true);
    if (size < 12 || at + size > view.byteLength) {
      // Not what a writer hands out: whole records, each at least a header.
      throw new RangeError(`not whole capture records at byte ${at}`);
    }
    return size;
  }

  /** A section header or interface block: part of every file's start. */
  #isPreamble(view: DataView, at: number): boolean {
    if (!this.#pcapng) return false;
    const type = view.getUint32(at, true);
    return type === PCAPNG_SHB || type === IDB;
  }

  #sizeUp(pending: number): boolean {
    const limit = this.#plan.bytes;
    return limit !== undefined && this.#fileBytes + pending > limit;
  }

  #timeUp(): boolean {
    const seconds = this.#plan.seconds;
    return seconds !== undefined &&
      this.#now() - this.#started >= seconds * 1000;
  }

  #put(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#file!.write(bytes);
    this.#fileBytes += bytes.length;
  }

  /** Closes this file and opens the next; false when -W says stop. */
  #rotate(timed: boolean): boolean {
    this.close();
    const { files, bytes } = this.#plan;
    if (timed) {
      this.#intervals++;
      this.#number = 0;
      if (
        bytes === undefined && files !== undefined && this.#intervals > files
      ) {
        this.#full = true;
        return false;
      }
    } else {
      this.#number++;
      if (files !== undefined && this.#number >= files) this.#number = 0;
    }
    if (timed) this.#started = this.#now();
    this.#openFile();
    for (const piece of this.#preamble) this.#put(piece);
    return true;
  }

  #openFile(): void {
    const name = rotatedName(this.#base, {
      timed: this.#plan.seconds !== undefined,
      start: new Date(this.#started),
      number: this.#number,
      digits: this.#digits,
    });
    this.#file = this.#open(name);
    this.#fileBytes = 0;
    this.names.push(name);
  }
}
