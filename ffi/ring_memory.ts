/**
 * Mapping a packet socket's ring (RX or TX) into our memory.
 *
 * @module
 */

import { errno, libc } from "./libc.ts";
import { osError } from "./errno.ts";
import { MAP_SHARED, PROT_READ_WRITE } from "./constants.ts";

/** Maps `size` bytes of `fd`'s ring; throws if mmap() fails. */
export function mapRing(fd: number, size: number): Deno.PointerObject {
  const pointer = libc().mmap(
    null,
    BigInt(size),
    PROT_READ_WRITE,
    MAP_SHARED,
    fd,
    0n,
  );
  // MAP_FAILED is (void *)-1.
  if (
    pointer === null ||
    Deno.UnsafePointer.value(pointer) === 0xffffffffffffffffn
  ) {
    throw osError("mmap", errno());
  }
  return pointer;
}
