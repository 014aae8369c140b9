/**
 * The native seam on Deno: `Deno.dlopen`, whose signature format the
 * tables already use, so the symbols it returns are the functions as they
 * are (fast calls stay fast calls).
 *
 * errno: Deno has none built in. The main thread's cell, found once by
 * `__errno_location()`, is read right after a failing call, before any
 * other JS work (allocation and Deno's own ops overwrite it).
 *
 * @module
 */

import type {
  Bound,
  Native,
  NativeAddress,
  Pointer,
  SignatureTable,
} from "./native.ts";

const ERRNO_TABLE = {
  /** int *__errno_location(void); */
  __errno_location: { parameters: [], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The Deno implementation of {@linkcode Native}. */
export function denoNative(): Native {
  let errnoCell: Int32Array | undefined;
  const setUpErrno = (): Int32Array => {
    const location = Deno.dlopen("libc.so.6", ERRNO_TABLE).symbols
      .__errno_location();
    if (location === null) throw new Error("__errno_location() gave NULL");
    return new Int32Array(Deno.UnsafePointerView.getArrayBuffer(location, 4));
  };
  const raw = (pointer: Pointer): Deno.PointerValue =>
    pointer as unknown as Deno.PointerValue;
  return {
    runtime: "deno",
    open<T extends SignatureTable>(library: string, table: T): Bound<T> {
      errnoCell ??= setUpErrno();
      const symbols = Deno.dlopen(
        library,
        table as unknown as Deno.ForeignLibraryInterface,
      ).symbols;
      return symbols as unknown as Bound<T>;
    },
    errno: () => errnoCell === undefined ? 0 : errnoCell[0],
    view: (pointer: NativeAddress, length: number, offset = 0) =>
      Deno.UnsafePointerView.getArrayBuffer(
        raw(pointer) as Deno.PointerObject,
        length,
        offset,
      ),
    address: (pointer: Pointer) =>
      BigInt(Deno.UnsafePointer.value(raw(pointer))),
    pointer: (address: bigint) =>
      Deno.UnsafePointer.create(address) as unknown as Pointer,
    addressOf: (bytes: Uint8Array) =>
      BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes))),
    cString: (pointer: NativeAddress) =>
      Deno.UnsafePointerView.getCString(raw(pointer) as Deno.PointerObject),
    isDenied: (err: unknown) => err instanceof Deno.errors.NotCapable,
  };
}
