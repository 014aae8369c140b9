/**
 * CDP packets to build: version 2, TTL 180 s, the checksum computed as
 * Cisco computes it (an odd length's last byte is summed as tshark
 * describes); `tlvs` exact when given, `deviceid` setting the Device-ID
 * TLV (first), "rawframe" when neither is given. Pure.
 *
 * @module
 */

import { checkOptions } from "../option_check.ts";
import { internetChecksum } from "./checksum.ts";
import { uint, wideTlv } from "./fields.ts";
import { toHex } from "../hex.ts";
import type { CdpBuild } from "./layers.ts";

const DEVICE_ID = 1;

/** The CDP packet: header and TLVs, checksum computed unless given. */
export function encodeCdp(l: CdpBuild): Uint8Array {
  checkOptions("layer cdp", l, {
    layer: "string",
    version: "number",
    ttl: "number",
    checksum: "number",
    tlvs: "array",
    deviceid: "string",
  });
  const tlvs = (l.tlvs ?? []).map((tlv, i) => {
    checkOptions(`cdp.tlvs[${i}]`, tlv, { type: "number", data: "string" });
    return { ...tlv };
  });
  const deviceid = l.deviceid ??
    (l.tlvs === undefined ? "rawframe" : undefined);
  if (deviceid !== undefined) {
    const data = toHex(new TextEncoder().encode(deviceid));
    const same = tlvs.find((t) => t.type === DEVICE_ID);
    if (same) same.data = data;
    else tlvs.unshift({ type: DEVICE_ID, data });
  }
  const body = tlvs.flatMap((tlv, i) =>
    wideTlv(`cdp.tlvs[${i}]`, "type", tlv.type, tlv.data, true)
  );
  const out = Uint8Array.from([
    uint("cdp", "version", l.version, 255, 2),
    uint("cdp", "ttl", l.ttl, 255, 180),
    0,
    0,
    ...body,
  ]);
  const sum = l.checksum ?? cdpChecksum(out);
  new DataView(out.buffer).setUint16(
    2,
    uint("cdp", "checksum", sum, 0xffff, 0),
  );
  return out;
}

/**
 * Cisco's checksum: the Internet checksum, but an odd length's last byte
 * is summed as the low byte of a word, one less (both bytes) when its top
 * bit is set (tshark's packet-cdp.c explains Cisco's sign-extension bug).
 */
function cdpChecksum(packet: Uint8Array): number {
  if (packet.length % 2 === 0) return internetChecksum(packet);
  const padded = new Uint8Array(packet.length + 1);
  padded.set(packet);
  const last = packet[packet.length - 1];
  padded[packet.length - 1] = last & 0x80 ? 0xff : 0;
  padded[packet.length] = last & 0x80 ? last - 1 : last;
  return internetChecksum(padded);
}
