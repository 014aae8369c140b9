/**
 * PPPoE headers to build: a session packet by default (code 0, the PPP
 * protocol of the next layer: IPv4, IPv6 or MPLS), or discovery with its
 * tags (`code` 0x09 PADI, ...); version and type 1, the length computed.
 * Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { uint, wideTlv } from "./fields.ts";
import type { BuildLayer, PppoeBuild } from "./layers.ts";

/** PPP protocol numbers of the layers a session carries. */
const PPP: Readonly<Record<string, number>> = {
  ipv4: 0x0021,
  ipv6: 0x0057,
  mpls: 0x0281,
};

/** The PPPoE header (and PPP's protocol field) before `rest`. */
export function encodePppoe(
  l: PppoeBuild,
  rest: Uint8Array,
  next: BuildLayer | undefined,
): Uint8Array {
  checkOptions("layer pppoe", l, {
    layer: "string",
    ...Object.fromEntries(
      ["version", "type", "code", "session", "len", "proto"]
        .map((k) => [k, "number"]),
    ),
    tags: "array",
    pfc: "boolean",
  });
  const code = uint("pppoe", "code", l.code, 255, 0);
  const body = code === 0 ? sessionBody(l, next) : discoveryBody(l);
  const out = new Uint8Array(6 + body.length + rest.length);
  const view = new DataView(out.buffer);
  out[0] = (uint("pppoe", "version", l.version, 15, 1) << 4) |
    uint("pppoe", "type", l.type, 15, 1);
  out[1] = code;
  view.setUint16(2, uint("pppoe", "session", l.session, 0xffff, 0));
  view.setUint16(
    4,
    uint("pppoe", "len", l.len, 0xffff, body.length + rest.length),
  );
  out.set(body, 6);
  out.set(rest, 6 + body.length);
  return out;
}

/** A session's PPP protocol field, one byte when compressed (`pfc`). */
function sessionBody(l: PppoeBuild, next: BuildLayer | undefined) {
  if (l.tags !== undefined) {
    throw new LayerError("pppoe.tags are for discovery (code not 0)");
  }
  const byDefault = next === undefined ? undefined : PPP[next.layer];
  if (l.proto === undefined && byDefault === undefined) {
    throw new LayerError(
      "pppoe.proto: give the PPP protocol (0x0021 IPv4, 0xc021 LCP, ...)",
    );
  }
  const proto = uint("pppoe", "proto", l.proto, 0xffff, byDefault ?? 0);
  if (l.pfc) {
    if (proto > 0xff || (proto & 1) === 0) {
      throw new LayerError("pppoe.pfc needs an odd protocol below 0x100");
    }
    return Uint8Array.of(proto);
  }
  return Uint8Array.of(proto >> 8, proto & 0xff);
}

/** Discovery's tags: type, length, value. */
function discoveryBody(l: PppoeBuild): Uint8Array {
  if (l.proto !== undefined || l.pfc !== undefined) {
    throw new LayerError("pppoe.proto is for session packets (code 0)");
  }
  const tags = (l.tags ?? []).map((tag, i) => {
    const what = `pppoe.tags[${i}]`;
    checkOptions(what, tag, { type: "number", data: "string" });
    return wideTlv(what, "type", tag.type, tag.data);
  });
  return Uint8Array.from(tags.flat());
}
