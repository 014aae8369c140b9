/**
 * Sizes that more than one layer must agree on, each defined once.
 *
 * A leaf module: it imports nothing, uses no Deno API, and `ffi/` may
 * import it.
 *
 * @module
 */

/**
 * How much of each frame a capture keeps: all of it, up to tcpdump's
 * limit (MAXIMUM_SNAPLEN). Used by our BPF programs, libpcap's compiler
 * and the pcap file header.
 */
export const SNAPLEN = 262144;

/** Frames per sendmmsg() call: where the cost per call stops mattering. */
export const SEND_BATCH_SIZE = 64;

/** The largest payload any interface carries: loopback's MTU, 64 KiB. */
export const MAX_PAYLOAD = 65536;

/** Room for the largest frame recvmsg() can return (64 KiB on loopback). */
export const RECEIVE_BUFFER_SIZE = 65536 + 64;

/** Memory page size assumed for ring geometry (x86_64, most aarch64). */
export const PAGE_SIZE = 4096;
