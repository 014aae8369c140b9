/**
 * The native seam on Node: koffi (prebuilt, no compiler needed). Pointers
 * are bigints there; `.async` runs a call on koffi's worker threads, and
 * `koffi.errno()` keeps the errno of the last call made.
 *
 * koffi is loaded with require() from where this file lies, so a package
 * that depends on it finds it in its own node_modules.
 *
 * @module
 */

import { createRequire } from "node:module";
import type {
  Bound,
  Native,
  NativeAddress,
  NativeType,
  Pointer,
  Signature,
  SignatureTable,
} from "./native.ts";

/** The part of koffi's API used here. */
interface Koffi {
  load(path: string): {
    func(name: string, result: string, parameters: string[]): KoffiFunction;
  };
  errno(): number;
  view(pointer: bigint, length: number): ArrayBuffer;
  address(value: unknown): bigint;
  decode: { string(pointer: bigint): string };
}

type KoffiFunction = ((...args: unknown[]) => unknown) & {
  async(...args: unknown[]): void;
};

/** C types as koffi spells them (it has no ssize_t). */
const TYPES: Record<NativeType, string> = {
  i32: "int32_t",
  u32: "uint32_t",
  i64: "int64_t",
  u64: "uint64_t",
  usize: "size_t",
  isize: "int64_t",
  buffer: "void *",
  pointer: "void *",
  void: "void",
};

function bind(
  library: ReturnType<Koffi["load"]>,
  key: string,
  signature: Signature,
): unknown {
  const fn = library.func(
    signature.name ?? key,
    TYPES[signature.result],
    signature.parameters.map((type) => TYPES[type]),
  );
  if (!signature.nonblocking) return fn;
  return (...args: unknown[]) =>
    new Promise((resolve, reject) =>
      fn.async(...args, (err: unknown, result: unknown) => {
        if (err) reject(err);
        else resolve(result);
      })
    );
}

/** The Node implementation of {@linkcode Native}. */
export function nodeNative(): Native {
  const koffi = createRequire(import.meta.url)("koffi") as Koffi;
  const value = (pointer: Pointer): bigint =>
    (pointer as unknown as bigint | null) ?? 0n;
  return {
    runtime: "node",
    open<T extends SignatureTable>(name: string, table: T): Bound<T> {
      const library = koffi.load(name);
      const bound: Record<string, unknown> = {};
      for (const [key, signature] of Object.entries(table)) {
        bound[key] = bind(library, key, signature);
      }
      return bound as Bound<T>;
    },
    errno: () => koffi.errno(),
    view: (pointer: NativeAddress, length: number, offset = 0) =>
      koffi.view(value(pointer) + BigInt(offset), length),
    address: value,
    pointer: (address: bigint) =>
      (address === 0n ? null : address) as unknown as Pointer,
    addressOf: (bytes: Uint8Array) => koffi.address(bytes),
    cString: (pointer: NativeAddress) => koffi.decode.string(value(pointer)),
    isDenied: () => false,
  };
}
