/**
 * The errors below the library: the base class every rawframe error
 * extends, and the bare errors `ffi/` throws — a failed system call (the
 * call and its errno) and a frame the TX ring refused. The library turns
 * them into the errors that explain themselves (lib/errors.ts), such as
 * PermissionError with what to do.
 *
 * A leaf module: it imports nothing and uses no runtime API.
 *
 * @module
 */

/**
 * Base class of every error rawframe throws on purpose.
 *
 * @example
 * ```ts
 * import { parseMac, RawframeError } from "@rawframe/rawframe";
 * try {
 *   parseMac("08:00:27:dd:d7");
 * } catch (err) {
 *   if (err instanceof RawframeError) console.error(`error: ${err.message}`);
 * }
 * ```
 */
export class RawframeError extends Error {
  /** Creates the error; `name` is the subclass's name. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A libc call failed. Carries the errno number, its symbolic name and the
 * call that failed, e.g. `{ errno: 19, code: "ENODEV", call: "bind" }`.
 */
export class OsError extends RawframeError {
  /** The errno value, e.g. 1. */
  readonly errno: number;
  /** The errno name, e.g. `"EPERM"`. */
  readonly code: string;
  /** The libc function that failed, e.g. `"socket"`. */
  readonly call: string;

  /** Creates the error; `message` defaults to `call failed: CODE (description)`. */
  constructor(
    call: string,
    errno: number,
    code: string,
    description: string,
    message?: string,
  ) {
    super(message ?? `${call} failed: ${code} (${description})`);
    this.errno = errno;
    this.code = code;
    this.call = call;
  }
}

/**
 * The kernel refused a frame placed in the TX ring (TP_STATUS_WRONG_FORMAT):
 * frames before it went out, it and the ones after did not.
 */
export class FrameRejectedError extends RawframeError {
  /** Index of the refused frame in the batch given to `sendMany`. */
  readonly index: number;

  /** Creates the error naming the frame's index. */
  constructor(index: number) {
    super(`the kernel rejected frame ${index} in the TX ring`);
    this.index = index;
  }
}
