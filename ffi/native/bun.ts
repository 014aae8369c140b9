/**
 * The native seam on Bun: `bun:ffi`. Pointers are numbers there.
 *
 * Bun has no off-thread call, so a `nonblocking` function (poll) runs in a
 * Worker that opened the same function: the main thread sends the
 * arguments (a buffer by its address, which stays put because ffi/
 * allocates such buffers from an ArrayBuffer) and awaits the result.
 * Idle workers are kept for the next call and do not hold the process
 * open.
 *
 * errno: the main thread's cell, found once by `__errno_location()`, read
 * right after a failing call.
 *
 * @module
 */

import type {
  Bound,
  Native,
  NativeAddress,
  NativeType,
  Pointer,
  Signature,
  SignatureTable,
} from "./native.ts";

/** The part of bun:ffi used here. */
interface BunFfi {
  dlopen(
    library: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: Record<string, (...args: unknown[]) => unknown> };
  ptr(bytes: Uint8Array): number;
  toArrayBuffer(pointer: number, offset: number, length: number): ArrayBuffer;
  CString: new (pointer: number) => { toString(): string };
}

/** The part of Bun's Worker used here. */
interface BunWorker {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message: string }) => void) | null;
  ref(): void;
  unref(): void;
}

/** C types as bun:ffi spells them. */
const TYPES: Record<NativeType, string> = {
  i32: "i32",
  u32: "u32",
  i64: "i64",
  u64: "u64",
  usize: "u64",
  isize: "i64",
  buffer: "ptr",
  pointer: "ptr",
  void: "void",
};

const ffiOf = (): BunFfi =>
  (import.meta as unknown as { require(id: string): BunFfi }).require(
    "bun:ffi",
  );

/** A worker that makes one blocking call at a time, by its own dlopen. */
function workerSource(library: string, name: string, signature: Signature) {
  const types = JSON.stringify({
    args: signature.parameters.map((type) => TYPES[type]),
    returns: TYPES[signature.result],
  });
  return `import { dlopen } from "bun:ffi";
const f = dlopen(${JSON.stringify(library)}, { ${
    JSON.stringify(name)
  }: ${types} })
  .symbols[${JSON.stringify(name)}];
self.onmessage = (event) => postMessage(f(...event.data));`;
}

/** Calls of one blocking function, each on an idle worker of its pool. */
function offThread(
  ffi: BunFfi,
  library: string,
  name: string,
  signature: Signature,
): (...args: unknown[]) => Promise<unknown> {
  const url = URL.createObjectURL(
    new Blob([workerSource(library, name, signature)], {
      type: "text/javascript",
    }),
  );
  const idle: BunWorker[] = [];
  const WorkerClass = (globalThis as unknown as {
    Worker: new (url: string) => BunWorker;
  }).Worker;
  return (...args) => {
    const worker = idle.pop() ?? new WorkerClass(url);
    worker.ref();
    const sent = args.map((arg) =>
      arg instanceof Uint8Array ? ffi.ptr(arg) : arg
    );
    return new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        worker.unref();
        idle.push(worker);
        resolve(data);
      };
      worker.onerror = ({ message }) => reject(new Error(message));
      worker.postMessage(sent);
    });
  };
}

/** The Bun implementation of {@linkcode Native}. */
export function bunNative(): Native {
  const ffi = ffiOf();
  let errnoCell: Int32Array | undefined;
  const setUpErrno = (): Int32Array => {
    const location = ffi.dlopen("libc.so.6", {
      __errno_location: { args: [], returns: "ptr" },
    }).symbols.__errno_location() as number | null;
    if (location === null) throw new Error("__errno_location() gave NULL");
    return new Int32Array(ffi.toArrayBuffer(location, 0, 4));
  };
  const value = (pointer: Pointer): number =>
    (pointer as unknown as number | null) ?? 0;
  return {
    runtime: "bun",
    open<T extends SignatureTable>(library: string, table: T): Bound<T> {
      errnoCell ??= setUpErrno();
      const direct: Record<string, { args: string[]; returns: string }> = {};
      for (const [key, signature] of Object.entries(table)) {
        if (signature.nonblocking) continue;
        direct[signature.name ?? key] = {
          args: signature.parameters.map((type) => TYPES[type]),
          returns: TYPES[signature.result],
        };
      }
      const { symbols } = ffi.dlopen(library, direct);
      const bound: Record<string, unknown> = {};
      for (const [key, signature] of Object.entries(table)) {
        const name = signature.name ?? key;
        bound[key] = signature.nonblocking
          ? offThread(ffi, library, name, signature)
          : symbols[name];
      }
      return bound as Bound<T>;
    },
    errno: () => errnoCell === undefined ? 0 : errnoCell[0],
    view: (pointer: NativeAddress, length: number, offset = 0) =>
      ffi.toArrayBuffer(value(pointer), offset, length),
    address: (pointer: Pointer) => BigInt(value(pointer)),
    pointer: (address: bigint) =>
      (address === 0n ? null : Number(address)) as unknown as Pointer,
    addressOf: (bytes: Uint8Array) => BigInt(ffi.ptr(bytes)),
    cString: (pointer: NativeAddress) =>
      new ffi.CString(value(pointer)).toString(),
    isDenied: () => false,
  };
}
