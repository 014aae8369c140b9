/**
 * The record of one frame in a classic pcap file (a 16-byte header, then
 * the captured bytes), and the buffer such records are copied into
 * straight from the receive ring. The pcap writer and the ring agree on
 * the layout here.
 *
 * A leaf module: it imports nothing, uses no Deno API, and `ffi/` may
 * import it.
 *
 * @module
 */

/** Bytes in a record header: seconds, fraction, captured and wire length. */
export const RECORD_HEADER_SIZE = 16;

/** Nanoseconds per unit of the fraction: 1000 for µs files, 1 for ns. */
export type NanosecondsPerUnit = 1 | 1000;

/**
 * Writes a record header at `at`: time (the fraction in units of
 * `perUnit` nanoseconds), captured length and wire length (never less
 * than the captured one, which would make the file invalid).
 */
export function putRecordHeader(
  view: DataView,
  at: number,
  seconds: number,
  nanoseconds: number,
  perUnit: NanosecondsPerUnit,
  captured: number,
  length: number,
): void {
  // Values first, then the stores with no branch among them: V8 inlines
  // DataView stores only in straight-line code (a conditional among them
  // made each one a call: 14 ns a header instead of 6).
  const fraction = perUnit === 1000 // a division by a constant is cheaper
    ? Math.floor(nanoseconds / 1000)
    : nanoseconds;
  const wire = Math.max(length, captured);
  view.setUint32(at, seconds, true);
  view.setUint32(at + 4, fraction, true);
  view.setUint32(at + 8, captured, true);
  view.setUint32(at + 12, wire, true);
}

/**
 * A buffer that a receive path fills with whole records
 * (`SocketSource.copyRecords`); a pcap writer provides one.
 */
export interface RecordTarget {
  /** The buffer (another one after `makeRoom`, perhaps). */
  bytes: Uint8Array;
  /** A view over the same bytes. */
  view: DataView;
  /** Bytes in use: the next record goes here. */
  used: number;
  /** The unit of the timestamps' fraction. */
  readonly perUnit: NanosecondsPerUnit;
  /**
   * Makes room for a record of `size` bytes: afterwards `used + size` fits
   * in `bytes` (which may now be another, larger buffer).
   */
  makeRoom(size: number): void;
}
