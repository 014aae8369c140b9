/**
 * setsockopt() with errors that name the option.
 *
 * @module
 */

import { libc } from "./libc.ts";
import { check } from "./errno.ts";
import { encodeInt } from "./structs.ts";

/** Sets socket option `option` at `level` to the bytes of `value`. */
export function setOption(
  fd: number,
  level: number,
  option: number,
  value: Uint8Array,
  name: string,
): void {
  check(
    libc().setsockopt(fd, level, option, value, value.length),
    `setsockopt(${name})`,
  );
}

/** Sets an int-valued socket option. */
export function setIntOption(
  fd: number,
  level: number,
  option: number,
  value: number,
  name: string,
): void {
  setOption(fd, level, option, encodeInt(value), name);
}
