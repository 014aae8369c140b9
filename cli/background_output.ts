/**
 * `listen -w`'s file, written on a thread of its own (output_worker.ts):
 * draining the kernel's ring never waits on the disk or the page cache.
 * Each batch of records is copied into a chunk of shared memory and
 * queued; up to 64 MiB may wait for a slow or stalled disk before the
 * capture waits too (its frames then wait in the ring, as for any reader).
 *
 * @module
 */

import { RawframeError } from "../lib/errors.ts";
import { quote } from "./args.ts";
import { reasonOf } from "./os_reason.ts";
import {
  CHUNKS,
  CONTROL,
  CONTROL_BYTES,
  type OpenMessage,
  UNIT_SIZE,
  WRITE_PIECE,
} from "./output_protocol.ts";
import { WRITER_PROGRAM } from "./output_worker.ts";
import { host } from "./host/runtime.ts";

/** How long one wait for the writer lasts, in ms (then it looks again). */
const WAIT_MS = 100;

/** Where output goes: bytes in, and a close. */
export interface Output {
  /** Writes all of `bytes`. */
  write(bytes: Uint8Array): void;
  /** Closes the file (nothing for standard output). */
  close(): void;
}

/**
 * Starts the writer thread on `path` (`-`: standard output), which the
 * caller has opened already (so its errors came at once), and returns
 * once the thread has opened it too, emptied.
 */
export function backgroundOutput(path: string): Output {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  const data = new Uint8Array(new SharedArrayBuffer(CHUNKS * UNIT_SIZE));
  const worker = host.startThread(writerProgram());
  const open: OpenMessage = {
    path,
    control: control.buffer as SharedArrayBuffer,
    data: data.buffer as SharedArrayBuffer,
    layout: { ...CONTROL, piece: WRITE_PIECE, unit: UNIT_SIZE, chunks: CHUNKS },
  };
  worker.postMessage(open);
  waitFor(control, CONTROL.opened, 1);
  let tail = 0;
  let closed = false;
  let told = false; // the writer's error is thrown once
  const check = (): void => {
    if (told || Atomics.load(control, CONTROL.errorKind) === 0) return;
    told = true;
    throw writerError(control, path);
  };
  return {
    write(bytes) {
      check();
      for (let at = 0; at < bytes.length; at += UNIT_SIZE) {
        const unit = bytes.subarray(at, at + UNIT_SIZE);
        const chunk = freeChunk(control);
        data.set(unit, chunk * UNIT_SIZE);
        control[CONTROL.full + chunk] = 1;
        control[CONTROL.entries + (tail % CHUNKS)] = chunk;
        control[CONTROL.lengths + (tail % CHUNKS)] = unit.length;
        Atomics.add(control, CONTROL.pending, unit.length);
        Atomics.store(control, CONTROL.tail, ++tail);
        Atomics.notify(control, CONTROL.tail);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      Atomics.store(control, CONTROL.closing, 1);
      Atomics.notify(control, CONTROL.tail);
      waitFor(control, CONTROL.done, 1);
      worker.terminate();
      check();
    },
  };
}

/**
 * The lowest free chunk (a writer that keeps up leaves the others never
 * touched); waits, blocking, while all are full.
 */
function freeChunk(control: Int32Array): number {
  for (;;) {
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      if (Atomics.load(control, CONTROL.full + chunk) === 0) return chunk;
    }
    const pending = Atomics.load(control, CONTROL.pending);
    Atomics.wait(control, CONTROL.pending, pending, WAIT_MS);
  }
}

/** Waits, blocking, until control word `at` is `value`. */
function waitFor(control: Int32Array, at: number, value: number): void {
  for (;;) {
    const now = Atomics.load(control, at);
    if (now === value) return;
    Atomics.wait(control, at, now, WAIT_MS);
  }
}

/** The writer's error, as the control words say it. */
function writerError(control: Int32Array, path: string): Error {
  if (control[CONTROL.errorKind] === 2) {
    return host.brokenPipe("the reader went away");
  }
  const text = new TextDecoder().decode(
    new Uint8Array(
      control.buffer,
      CONTROL.textAt,
      control[CONTROL.errorLength],
    ),
  );
  const newline = text.indexOf("\n");
  return new RawframeError(
    `writing ${quote(path)}: ${
      reasonOf(text.slice(0, newline), text.slice(newline + 1))
    }`,
  );
}

/** The writer thread's program: its functions' source, then a call of the last. */
const writerProgram = (): string =>
  [
    ...WRITER_PROGRAM.map((f) => `${f.toString()}\n`),
    `${WRITER_PROGRAM.at(-1)!.name}();`,
  ].join("");
