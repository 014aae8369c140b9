/**
 * NTP headers to build: a version 4 client request by default; every
 * field as the `ntp` layer names it, timestamps as 16 hex digits. Pure.
 *
 * @module
 */

import { checkOptions } from "../option_check.ts";
import { hexBytes, uint } from "./fields.ts";
import { LayerError } from "../errors.ts";
import type { NtpBuild } from "./layers.ts";

const NUMBERS = ["li", "version", "mode", "stratum", "poll", "precision"];
const STAMPS = ["reftime", "org", "rec", "xmt"] as const;

/** A 48-byte NTP header. */
export function encodeNtp(l: NtpBuild): Uint8Array {
  checkOptions("layer ntp", l, {
    layer: "string",
    ...Object.fromEntries(
      [...NUMBERS, "rootdelay", "rootdisp"].map((k) => [k, "number"]),
    ),
    ...Object.fromEntries(
      ["refid", ...STAMPS].map((k) => [k, ["string", "Uint8Array"]]),
    ),
  });
  const out = new Uint8Array(48);
  const v = new DataView(out.buffer);
  out[0] = (uint("ntp", "li", l.li, 3, 0) << 6) |
    (uint("ntp", "version", l.version, 7, 4) << 3) |
    uint("ntp", "mode", l.mode, 7, 3);
  out[1] = uint("ntp", "stratum", l.stratum, 255, 0);
  out[2] = uint("ntp", "poll", l.poll, 255, 0);
  out[3] = uint("ntp", "precision", l.precision, 255, 0);
  v.setUint32(4, uint("ntp", "rootdelay", l.rootdelay, 0xffffffff, 0));
  v.setUint32(8, uint("ntp", "rootdisp", l.rootdisp, 0xffffffff, 0));
  out.set(fixed("refid", l.refid, 4), 12);
  STAMPS.forEach((name, i) => out.set(fixed(name, l[name], 8), 16 + i * 8));
  return out;
}

/** `size` bytes given as hex (zeros when not given). */
function fixed(
  name: string,
  value: string | Uint8Array | undefined,
  size: number,
): Uint8Array {
  if (value === undefined) return new Uint8Array(size);
  const bytes = hexBytes("ntp", name, value);
  if (bytes.length !== size) {
    throw new LayerError(
      `ntp.${name} is ${size} bytes (${
        size * 2
      } hex digits), not ${bytes.length}`,
    );
  }
  return bytes;
}
