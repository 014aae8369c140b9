/**
 * What `listen -w`'s writer thread and the capture share: the layout of
 * their shared memory and the one message between them. Plain values.
 *
 * Units of records go through shared memory, not messages: a message
 * carrying a 1 MiB buffer cost about 0.9 ms of CPU (measured), half the
 * capture's own cost at 230 units a run. The capture fills a free chunk
 * of the shared data, marks it full and queues it; the writer writes it
 * and marks it free again. Chunks are taken lowest first, so a writer
 * that keeps up touches only the first few (the rest of the 64 MiB is
 * never backed by memory unless a stalled disk needs it).
 *
 * @module
 */

/**
 * Bytes per write() call, each ending on a 4 KiB boundary of the file,
 * as tcpdump's stdio writes: a piece that covers part of a new page makes
 * the kernel zero the rest of it first (a third of the writer's time when
 * pieces straddled pages). Measured on this kind of machine (a Linux 6.18
 * VM that hands free memory back to its host, ext4): writes of 256 KiB or
 * more make the page cache take large folios, which come from memory the
 * host took back: 0.55 s of system time for 228 MB in 1 MiB writes, every
 * round (`deno task bench`, write sizes). 64 KiB pieces cost more than
 * 4 KiB ones in whole captures (median 0.64 s against 0.45 s of CPU for
 * 3 M frames, six alternating rounds).
 */
export const WRITE_PIECE = 4096;

/** Bytes of one chunk: the most one unit of records holds. */
export const UNIT_SIZE = 1 << 20;

/**
 * Chunks: what a stalled disk may hold back (64 MiB) before the capture
 * waits (its frames then wait in the kernel's ring).
 */
export const CHUNKS = 64;

/** Where things are in the shared control words. */
export const CONTROL = {
  /** Bytes queued and not yet written. */
  pending: 0,
  /** 1 once the file is open (or failed to open). */
  opened: 1,
  /** 1 once the capture has queued its last unit. */
  closing: 2,
  /** 1 once the file is closed. */
  done: 3,
  /** 0 none, 1 a write failed, 2 the reader of a pipe went away. */
  errorKind: 4,
  /** Bytes of the error's text. */
  errorLength: 5,
  /** Units queued so far, and units written so far. */
  tail: 6,
  head: 7,
  /** Per queue entry: its chunk, then its length. */
  entries: 8,
  lengths: 8 + CHUNKS,
  /** Per chunk: 1 while full. */
  full: 8 + 2 * CHUNKS,
  /** The error's text starts at this byte: class name, newline, message. */
  textAt: (8 + 3 * CHUNKS) * 4,
} as const;

/** The control words' size in bytes, with room for the error's text. */
export const CONTROL_BYTES = CONTROL.textAt + 512;

/** The message that starts the writer thread. */
export interface OpenMessage {
  /** The file, or `-` for standard output. */
  path: string;
  /** The control words (see {@linkcode CONTROL}). */
  control: SharedArrayBuffer;
  /** The chunks, {@linkcode CHUNKS} of {@linkcode UNIT_SIZE} bytes. */
  data: SharedArrayBuffer;
  /** The layout, since the thread's code imports nothing. */
  layout: typeof CONTROL & { piece: number; unit: number; chunks: number };
}
