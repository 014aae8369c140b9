/**
 * A packet socket's ring (RX or TX) mapped into our memory: set the ring
 * version, request the ring, map it, and unmap it, in one place for both
 * directions.
 *
 * The mapping is reachable only through this class's `bytes` and `view`,
 * which `unmap()` replaces with empty ones, so nothing can touch the memory
 * once it is gone (touching unmapped memory would crash the process).
 *
 * @module
 */

import { errno, libc } from "./libc.ts";
import { osError } from "./errno.ts";
import type { Pointer } from "./native/native.ts";
import { native } from "./native/runtime.ts";
import {
  MAP_SHARED,
  PACKET_VERSION,
  PROT_READ_WRITE,
  SOL_PACKET,
} from "./constants.ts";
import type { PacketFd } from "./packet_fd.ts";

/** MAP_FAILED is (void *)-1. */
const MAP_FAILED = 0xffffffffffffffffn;

/** A ring shared with the kernel. */
export class MappedRing {
  /** The ring's bytes (empty once unmapped). */
  bytes: Uint8Array;
  /** A view on the same bytes, for the headers. */
  view: DataView;
  readonly #size: number;
  #pointer: Pointer;

  /**
   * Sets `socket` to ring layout `version`, requests a ring with
   * `option` (PACKET_RX_RING or PACKET_TX_RING) and `request` (an encoded
   * tpacket_req or tpacket_req3) of `size` bytes in all, and maps it. Call
   * before bind().
   */
  constructor(
    socket: PacketFd,
    version: number,
    option: number,
    optionName: string,
    request: Uint8Array,
    size: number,
  ) {
    socket.setInt(SOL_PACKET, PACKET_VERSION, version, "PACKET_VERSION");
    socket.setBytes(SOL_PACKET, option, request, optionName);
    const pointer = libc().mmap(
      null,
      BigInt(size),
      PROT_READ_WRITE,
      MAP_SHARED,
      socket.fd,
      0n,
    );
    if (pointer === null || native.address(pointer) === MAP_FAILED) {
      throw osError("mmap", errno());
    }
    this.#pointer = pointer;
    this.#size = size;
    this.bytes = new Uint8Array(native.view(pointer, size));
    this.view = new DataView(this.bytes.buffer);
  }

  /** Unmaps the ring. Idempotent. */
  unmap(): void {
    if (this.#pointer === null) return;
    this.bytes = new Uint8Array(0);
    this.view = new DataView(this.bytes.buffer);
    libc().munmap(this.#pointer, BigInt(this.#size));
    this.#pointer = null;
  }
}
