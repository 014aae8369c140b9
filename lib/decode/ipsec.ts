/**
 * IPsec's two headers in tcpdump's words. ESP (RFC 4303): what follows
 * its SPI and sequence number is encrypted, so the line ends
 * `ESP(spi=0x12345678,seq=0x1), length 116`. AH (RFC 4302): the
 * authenticated packet follows in the clear, decoded after
 * `AH(spi=0x00000100,seq=0x13,icv=0x...): `, its ports without addresses,
 * as tcpdump prints them.
 *
 * @module
 */

import { hexOf, u32 } from "./bytes.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";
import { decodeUpper } from "./ip_upper.ts";
import type { AhLayer } from "./layers.ts";
import { nested, TOO_DEEP } from "./nesting.ts";

/** The ESP header at `at`. */
export function decodeEsp(
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext,
): UpperPart {
  if (end - at < 8) return { text: "ESP [|esp]", layers: [], addressed: false };
  const spi = u32(b, at);
  const seq = u32(b, at + 4);
  return {
    text: `ESP(spi=0x${hex8(spi)},seq=0x${
      seq.toString(16)
    }), length ${ip.length}`,
    layers: [{ layer: "esp", spi, seq }],
    addressed: false,
  };
}

/** The AH header at `at`, then the packet it authenticates. */
export function decodeAh(
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext & { v6: boolean },
): UpperPart {
  if (end - at < 12) return { text: "AH [|ah]", layers: [], addressed: false };
  const size = (b[at + 1] + 2) * 4;
  const layer: AhLayer = {
    layer: "ah",
    next: b[at],
    len: b[at + 1],
    reserved: (b[at + 2] << 8) | b[at + 3],
    spi: u32(b, at + 4),
    seq: u32(b, at + 8),
  };
  const reserved = layer.reserved === 0
    ? ""
    : `reserved=0x${layer.reserved.toString(16)}[MustBeZero],`;
  const head = `AH(${reserved}spi=0x${hex8(layer.spi)},seq=0x${
    layer.seq.toString(16)
  },icv=0x`;
  if (size < 12 || at + size > end) {
    return {
      text: `${head}${hexOf(b, at + 12, end)} [|ah]`,
      layers: [layer],
      addressed: false,
    };
  }
  layer.icv = hexOf(b, at + 12, at + size);
  const upper = nested(() =>
    decodeUpper(layer.next, b, at + size, end, {
      ...ip,
      withAddresses: false,
      length: ip.length - size,
    }), { ...TOO_DEEP, addressed: false });
  return {
    text: `${head}${layer.icv}): ${upper.text}`,
    layers: [layer, ...upper.layers],
    addressed: false,
  };
}

function hex8(value: number): string {
  return value.toString(16).padStart(8, "0");
}
