/**
 * Overlay networks over UDP in tcpdump's words: VXLAN (port 4789;
 * `VXLAN, flags [I] (0x08), vni 100`, where tcpdump starts a new line for
 * the inner frame, rawframe goes on after `: `) and Geneve (port 6081;
 * `Geneve, Flags [C], vni 0xa, options [8 bytes]: ...`), each carrying an
 * Ethernet frame decoded as a frame of its own (Geneve may carry IPv4 or
 * IPv6 directly).
 *
 * @module
 */

import { hexOf, u16 } from "./bytes.ts";
import { decodeInnerFrame } from "./inner_frame.ts";
import { decodeIpv4 } from "./ipv4.ts";
import { decodeIpv6 } from "./ipv6.ts";
import type { GeneveLayer, Part } from "./layers.ts";
import { nested, TOO_DEEP } from "./nesting.ts";

/** UDP ports of the overlays. */
export const VXLAN_PORT = 4789;
/** Geneve's UDP port. */
export const GENEVE_PORT = 6081;

/** Transparent Ethernet bridging: an Ethernet frame inside. */
const TEB = 0x6558;

const u24 = (b: Uint8Array, at: number) =>
  (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];

/** A VXLAN header at `at`, then its frame. */
export function decodeVxlan(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (end - at < 8) return { text: "VXLAN [|vxlan]", layers: [] };
  const flags = b[at];
  const vni = u24(b, at + 4);
  const text = `VXLAN, flags [${flags & 0x08 ? "I" : "."}] (0x${
    flags.toString(16).padStart(2, "0")
  }), vni ${vni}`;
  const inner = decodeInnerFrame(b, at + 8, end, length - 8);
  return {
    text: `${text}: ${inner.text}`,
    layers: [
      {
        layer: "vxlan",
        flags,
        reserved: u24(b, at + 1),
        vni,
        reserved2: b[at + 7],
      },
      ...inner.layers,
    ],
  };
}

/** A Geneve header at `at`, then what it carries. */
export function decodeGeneve(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (end - at < 8) return { text: "Geneve [|geneve]", layers: [] };
  const version = b[at] >> 6;
  if (version !== 0) {
    return { text: `Geneve ERROR: unknown-version ${version}`, layers: [] };
  }
  const optlen = b[at] & 0x3f;
  const layer: GeneveLayer = {
    layer: "geneve",
    version,
    optlen,
    flags: b[at + 1],
    proto: u16(b, at + 2),
    vni: u24(b, at + 4),
    reserved: b[at + 7],
  };
  const names = (layer.flags & 0x80 ? "O" : "") +
    (layer.flags & 0x40 ? "C" : "");
  let text = `Geneve, Flags [${names || "none"}], vni 0x${
    layer.vni.toString(16)
  }`;
  if (layer.reserved !== 0) text += `, rsvd 0x${layer.reserved.toString(16)}`;
  const size = 8 + optlen * 4;
  if (length < size) {
    return {
      text: `${text} truncated-geneve - ${size - length} bytes missing`,
      layers: [layer],
    };
  }
  if (at + size > end) return { text: `${text} [|geneve]`, layers: [layer] };
  if (optlen > 0) {
    layer.options = hexOf(b, at + 8, at + size);
    text += `, options [${optlen * 4} bytes]`;
  }
  const inner = carried(layer.proto, b, at + size, end, length - size);
  return { text: `${text}: ${inner.text}`, layers: [layer, ...inner.layers] };
}

function carried(
  proto: number,
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (proto === TEB) return decodeInnerFrame(b, at, end, length);
  if (proto === 0x0800) {
    return nested(() => decodeIpv4(b, at, end, length), TOO_DEEP);
  }
  if (proto === 0x86dd) {
    return nested(() => decodeIpv6(b, at, end, length), TOO_DEEP);
  }
  return { text: `geneve-proto-0x${proto.toString(16)}`, layers: [] };
}
