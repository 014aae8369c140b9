/**
 * The thread that writes `listen -w`'s file (see background_output.ts):
 * it takes queued units of records from shared memory, writes each in
 * pieces of 4 KiB, as tcpdump's stdio does, and frees the chunk. A failed
 * write cuts the file back to the end of the last whole unit and leaves
 * the error in the shared control words, so the capture never waits on
 * the disk and the file always ends on a whole record.
 *
 * The thread runs the source of {@linkcode WRITER_PROGRAM}'s functions: a
 * worker made from a file would need --allow-read, which `listen -w` does
 * not otherwise ask for. So they are self-contained, calling only each
 * other: all they need comes in the one message (see output_protocol.ts).
 *
 * @module
 */

import type { OpenMessage } from "./output_protocol.ts";
import type { ThreadFile, ThreadFiles } from "./host/host.ts";

/** The thread's file operations, given by the host (see host.ts). */
declare const files: ThreadFiles;

/** The thread's state. */
interface Writer {
  control: Int32Array;
  data: Uint8Array;
  at: OpenMessage["layout"];
  file?: ThreadFile;
  sink: { writeSync(p: Uint8Array): number };
  written: number;
  failed: boolean;
}

/** Leaves `error` in the control words and cuts the file back. */
function failWith(w: Writer, error: unknown): void {
  w.failed = true;
  const text = new TextEncoder().encode(files.describe(error).join("\n"));
  const room = new Uint8Array(w.control.buffer, w.at.textAt);
  const length = Math.min(text.length, room.length);
  room.set(text.subarray(0, length));
  w.control[w.at.errorLength] = length;
  const broken = files.isBrokenPipe(error);
  Atomics.store(w.control, w.at.errorKind, broken ? 2 : 1);
  try {
    w.file?.truncateSync(w.written); // the file ends on a whole unit
  } catch {
    // the write error is the one to report
  }
}

/**
 * Writes one unit in pieces that end on page boundaries of the file: a
 * write covering part of a new page makes the kernel zero the rest first.
 */
function writeUnit(w: Writer, unit: Uint8Array): void {
  try {
    for (let done = 0; done < unit.length;) {
      const end = done + w.at.piece - ((w.written + done) % w.at.piece);
      done += w.sink.writeSync(unit.subarray(done, end));
    }
    w.written += unit.length;
  } catch (error) {
    failWith(w, error);
  }
}

/** Closes the file and says so; the thread ends. */
function finish(w: Writer): void {
  try {
    w.file?.close();
  } catch (error) {
    if (!w.failed) failWith(w, error);
  }
  Atomics.store(w.control, w.at.done, 1);
  Atomics.notify(w.control, w.at.done);
  files.end();
}

/** Writes queued units as they come, until the capture is closing. */
function serve(w: Writer): void {
  const { control, at } = w;
  for (let head = 0;; head++) {
    while (Atomics.load(control, at.tail) === head) {
      if (Atomics.load(control, at.closing) === 1) return finish(w);
      Atomics.wait(control, at.tail, head, 100);
    }
    const entry = head % at.chunks;
    const chunk = control[at.entries + entry];
    const length = control[at.lengths + entry];
    const from = chunk * at.unit;
    if (!w.failed) writeUnit(w, w.data.subarray(from, from + length));
    Atomics.store(control, at.head, head + 1);
    Atomics.store(control, at.full + chunk, 0);
    Atomics.sub(control, at.pending, length);
    Atomics.notify(control, at.pending);
  }
}

/** The thread's entry: opens (emptying) the file, then serves. */
function writerThread(): void {
  files.onMessage((data) => {
    const open = data as OpenMessage;
    const { path, layout } = open;
    const w: Writer = {
      control: new Int32Array(open.control),
      data: new Uint8Array(open.data),
      at: layout,
      sink: files.stdout,
      written: 0,
      failed: false,
    };
    try {
      if (path !== "-") {
        w.sink = w.file = files.open(path);
      }
    } catch (error) {
      failWith(w, error);
    }
    Atomics.store(w.control, layout.opened, 1);
    Atomics.notify(w.control, layout.opened);
    serve(w);
  });
}

/** The thread's program: these functions' source, then a call of the last. */
export const WRITER_PROGRAM: readonly ((...args: never[]) => void)[] = [
  failWith,
  writeUnit,
  finish,
  serve,
  writerThread,
];
