/**
 * Turns a failed libc call into a typed error, in one place: callers write
 * `check(lib.bind(...), "bind")` and never test return codes by hand.
 *
 * @module
 */

import { errno } from "./libc.ts";
import { OsError } from "../contract/errors.ts";

/** errno values of x86_64/aarch64 Linux that our calls can return. */
const ERRNO: Record<number, [code: string, description: string]> = {
  1: ["EPERM", "operation not permitted"],
  2: ["ENOENT", "no such file or directory"],
  4: ["EINTR", "interrupted system call"],
  5: ["EIO", "input/output error"],
  6: ["ENXIO", "no such device or address"],
  9: ["EBADF", "bad file descriptor"],
  11: ["EAGAIN", "resource temporarily unavailable"],
  12: ["ENOMEM", "cannot allocate memory"],
  13: ["EACCES", "permission denied"],
  14: ["EFAULT", "bad address"],
  16: ["EBUSY", "device or resource busy"],
  19: ["ENODEV", "no such device"],
  22: ["EINVAL", "invalid argument"],
  23: ["ENFILE", "too many open files in system"],
  24: ["EMFILE", "too many open files"],
  25: ["ENOTTY", "inappropriate ioctl for device"],
  32: ["EPIPE", "broken pipe"],
  88: ["ENOTSOCK", "socket operation on non-socket"],
  90: ["EMSGSIZE", "message too long"],
  92: ["ENOPROTOOPT", "protocol not available"],
  93: ["EPROTONOSUPPORT", "protocol not supported"],
  94: ["ESOCKTNOSUPPORT", "socket type not supported"],
  95: ["EOPNOTSUPP", "operation not supported"],
  97: ["EAFNOSUPPORT", "address family not supported by protocol"],
  100: ["ENETDOWN", "network is down"],
  101: ["ENETUNREACH", "network is unreachable"],
  105: ["ENOBUFS", "no buffer space available"],
  110: ["ETIMEDOUT", "connection timed out"],
};

/** errno's symbolic name, e.g. `errnoName(19) === "ENODEV"`. */
export function errnoName(value: number): string {
  return ERRNO[value]?.[0] ?? `errno ${value}`;
}

/** EAGAIN: a non-blocking call found nothing to do. */
export const EAGAIN = 11;

/**
 * Builds the bare error for `errno` after `call` failed; what it means for
 * the caller (a missing capability, a vanished interface) is the
 * library's to say.
 */
export function osError(call: string, value: number): OsError {
  const [code, description] = ERRNO[value] ?? [`errno ${value}`, "unknown"];
  return new OsError(call, value, code, description);
}

/**
 * Returns `rc` when the call succeeded (rc >= 0); otherwise reads errno at
 * once and throws the matching {@linkcode OsError}.
 */
export function check(rc: number, call: string): number {
  if (rc >= 0) return rc;
  throw osError(call, errno());
}
