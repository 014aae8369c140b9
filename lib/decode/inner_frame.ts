/**
 * An Ethernet frame carried inside another packet (VXLAN, Geneve; GRE's
 * transparent bridging): decoded as a frame of its own. Its header is the
 * `ether` layer; its payload is decoded as a frame's would be. As tcpdump
 * prints it without -e, a payload it decodes stands alone (`IP ...`),
 * and one it does not shows the frame's addresses and EtherType.
 *
 * @module
 */

import { hexNumber } from "./bytes.ts";
import type { EtherLayer, Part } from "./layers.ts";
import { decodeLink } from "./link.ts";
import { nested, TOO_DEEP } from "./nesting.ts";
import { BY_ETHER_TYPE } from "./registry.ts";

/** The frame from `at` to `end` (`length` bytes of it on the wire). */
export function decodeInnerFrame(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  return nested(() => innerFrame(b.subarray(at, end), length), TOO_DEEP);
}

function innerFrame(frame: Uint8Array, length: number): Part {
  const link = decodeLink(frame);
  if (link === undefined) return { text: "[|ether]", layers: [] };
  const layer: EtherLayer = {
    layer: "ether",
    dst: link.dst,
    src: link.src,
    type: (frame[12] << 8) | frame[13],
  };
  const decode = link.vlans.length === 0
    ? BY_ETHER_TYPE.get(link.type)
    : undefined; // tagged inner frames: the header only
  const part = decode?.(frame, link.at, frame.length, length - link.at);
  if (part !== undefined) {
    return { text: part.text, layers: [layer, ...part.layers] };
  }
  return {
    text: `${link.src} > ${link.dst}, ethertype Unknown (${
      hexNumber(layer.type, 4)
    }), length ${length}`,
    layers: [layer],
  };
}
