/**
 * The Internet checksum (RFC 1071) and the pseudo-headers UDP, TCP and
 * ICMPv6 sum over (RFC 768, RFC 9293, RFC 8200 section 8.1). Pure.
 *
 * @module
 */

/** The one's-complement sum of `bytes` as 16-bit words, added to `sum`. */
function addWords(bytes: Uint8Array, sum: number): number {
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < bytes.length) sum += bytes[i] << 8;
  return sum;
}

/** Folds a sum to 16 bits and complements it. */
function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** The checksum of `bytes` alone (IPv4 header, ICMP). */
export function internetChecksum(bytes: Uint8Array): number {
  return fold(addWords(bytes, 0));
}

/**
 * The checksum of an upper-layer `segment` (checksum field zero) under the
 * pseudo-header of addresses `src`, `dst` (4 or 16 bytes each) and
 * `protocol`.
 */
export function pseudoChecksum(
  src: Uint8Array,
  dst: Uint8Array,
  protocol: number,
  segment: Uint8Array,
): number {
  let sum = addWords(src, 0);
  sum = addWords(dst, sum);
  // IPv4's has zero, protocol, length (16); IPv6's length (32), zeros, next.
  sum += protocol + (segment.length & 0xffff) +
    Math.floor(segment.length / 0x10000);
  return fold(addWords(segment, sum));
}
