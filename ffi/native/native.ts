/**
 * The one interface `ffi/` is written against: a C library's functions as
 * typed TypeScript signatures, and the few operations on native memory
 * rawframe needs. Each runtime implements it in a file of its own (deno.ts,
 * bun.ts, node.ts); runtime.ts picks one, once. Nothing above `ffi/` knows
 * which runs.
 *
 * A signature table uses Deno's format, which reads as C: `parameters`,
 * `result`, and `nonblocking: true` for a call made off the calling thread
 * (only `poll`, so the event loop stays free while it waits).
 *
 * @module
 */

/** A C type as a signature names it. */
export type NativeType =
  | "i32"
  | "u32"
  | "i64"
  | "u64"
  | "usize"
  | "isize"
  | "buffer"
  | "pointer"
  | "void";

/** One C function: its parameters, result and where it runs. */
export interface Signature {
  /** The symbol's name, when the table's key is an alias. */
  readonly name?: string;
  /** The parameter types, in order. */
  readonly parameters: readonly NativeType[];
  /** The result type. */
  readonly result: NativeType;
  /** Run off the calling thread; the call returns a promise. */
  readonly nonblocking?: boolean;
}

/** The functions of one library, by the name the code calls them. */
export type SignatureTable = Readonly<Record<string, Signature>>;

declare const ADDRESS: unique symbol;

/**
 * A non-NULL native address, opaque: only a runtime's implementation
 * makes or reads one (a Deno pointer object, a Bun number, a koffi bigint).
 */
export type NativeAddress = { readonly [ADDRESS]: true };

/** A native pointer: an address, or NULL. */
export type Pointer = NativeAddress | null;

type Wide = "i64" | "u64" | "usize" | "isize";

/** What JavaScript passes for a parameter of type `T`. */
type Parameter<T> = T extends "i32" | "u32" ? number
  : T extends Wide ? bigint
  : T extends "buffer" ? Uint8Array | null
  : T extends "pointer" ? Pointer
  : never;

/** What JavaScript gets back for a result of type `T`. */
type Result<T> = T extends "i32" | "u32" ? number
  : T extends Wide ? number | bigint
  : T extends "pointer" ? Pointer
  : void;

type Parameters<P> = { -readonly [K in keyof P]: Parameter<P[K]> };

/** The callable form of signature `S`. */
export type NativeFunction<S extends Signature> = (
  ...args: Parameters<S["parameters"]> & unknown[]
) => S["nonblocking"] extends true ? Promise<Result<S["result"]>>
  : Result<S["result"]>;

/** The callable functions of table `T`, by the same names. */
export type Bound<T extends SignatureTable> = {
  readonly [K in keyof T]: NativeFunction<T[K]>;
};

/** The runtime rawframe runs on. */
export type RuntimeName = "deno" | "bun" | "node";

/** What `ffi/` needs of a runtime. */
export interface Native {
  /** Which runtime this is. */
  readonly runtime: RuntimeName;
  /**
   * Opens `library` (a name the system loader resolves) and binds `table`.
   *
   * @throws when the library or a symbol is missing, or access is denied.
   */
  open<T extends SignatureTable>(library: string, table: T): Bound<T>;
  /**
   * The calling thread's errno, right after a failing call. A runtime that
   * reads it through a cell of libc sets the cell up in its first open().
   */
  errno(): number;
  /**
   * `length` bytes of native memory at `pointer` + `offset`, without a
   * copy. Touching it after the memory is freed crashes the process.
   */
  view(pointer: NativeAddress, length: number, offset?: number): ArrayBuffer;
  /** The numeric value of `pointer` (0n for NULL). */
  address(pointer: Pointer): bigint;
  /** The pointer with numeric value `address` (NULL for 0n). */
  pointer(address: bigint): Pointer;
  /**
   * The address of `bytes`' first byte. The memory must stay put: allocate
   * it from an ArrayBuffer (see ffi/structs.ts `pinnedBytes`) and keep it
   * referenced while the address is in use.
   */
  addressOf(bytes: Uint8Array): bigint;
  /** The NUL-terminated string at `pointer`, decoded as UTF-8. */
  cString(pointer: NativeAddress): string;
  /** Whether `err` from open() means access was denied (not "missing"). */
  isDenied(err: unknown): boolean;
}
