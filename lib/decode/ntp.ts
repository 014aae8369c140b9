/**
 * NTP (RFC 5905; versions 3 and 4 share the header) in tcpdump's words:
 * `NTPv4, Client, length 48`; the `ntp` layer holds the header's fields,
 * its four timestamps as the 64-bit values on the wire (hex: seconds since
 * 1900, then the fraction). Control (mode 6) and private (mode 7) messages
 * have formats of their own: their line is the same, their layer is not
 * read.
 *
 * @module
 */

import { hexOf, u32 } from "./bytes.ts";
import type { NtpLayer, Part } from "./layers.ts";

/** NTP's UDP port. */
export const NTP_PORT = 123;

/** The mode names tcpdump uses. */
const MODES = [
  "unspecified",
  "symmetric active",
  "symmetric passive",
  "Client",
  "Server",
  "Broadcast",
  "Control Message",
  "Reserved",
];

/** The header's size: every field, timestamps included. */
export const NTP_HEADER = 48;

/** The NTP message at `at`, `length` bytes of UDP payload. */
export function decodeNtp(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (end - at < 1) return { text: "[|ntp]", layers: [] };
  const version = (b[at] >> 3) & 0x07;
  const mode = b[at] & 0x07;
  const text = `NTPv${version}, ${MODES[mode]}, length ${length}`;
  if (mode >= 6 || end - at < NTP_HEADER) return { text, layers: [] };
  const stamp = (offset: number) => hexOf(b, at + offset, at + offset + 8);
  const layer: NtpLayer = {
    layer: "ntp",
    li: b[at] >> 6,
    version,
    mode,
    stratum: b[at + 1],
    poll: b[at + 2],
    precision: b[at + 3],
    rootdelay: u32(b, at + 4),
    rootdisp: u32(b, at + 8),
    refid: hexOf(b, at + 12, at + 16),
    reftime: stamp(16),
    org: stamp(24),
    rec: stamp(32),
    xmt: stamp(40),
  };
  return { text, layers: [layer] };
}
