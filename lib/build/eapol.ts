/**
 * 802.1X frames to build: EAPOL (its body length computed; an EAP packet
 * when EAP follows, a start otherwise) and EAP's header (its length
 * computed; the type byte when given). Pure.
 *
 * @module
 */

import { checkOptions } from "../option_check.ts";
import { uint } from "./fields.ts";
import type { EapBuild, EapolBuild } from "./layers.ts";

/** An EAPOL header before `body`; `eap` says whether EAP follows. */
export function encodeEapol(
  l: EapolBuild,
  body: Uint8Array,
  eap: boolean,
): Uint8Array {
  checkOptions("layer eapol", l, {
    layer: "string",
    version: "number",
    type: "number",
    len: "number",
  });
  const out = new Uint8Array(4 + body.length);
  out[0] = uint("eapol", "version", l.version, 255, 2);
  out[1] = uint("eapol", "type", l.type, 255, eap ? 0 : 1);
  new DataView(out.buffer).setUint16(
    2,
    uint("eapol", "len", l.len, 0xffff, body.length),
  );
  out.set(body, 4);
  return out;
}

/** An EAP header before `data`. */
export function encodeEap(l: EapBuild, data: Uint8Array): Uint8Array {
  checkOptions("layer eap", l, {
    layer: "string",
    code: "number",
    id: "number",
    len: "number",
    type: "number",
  });
  const head = l.type === undefined ? 4 : 5;
  const out = new Uint8Array(head + data.length);
  out[0] = uint("eap", "code", l.code, 255, 1);
  out[1] = uint("eap", "id", l.id, 255, 0);
  new DataView(out.buffer).setUint16(
    2,
    uint("eap", "len", l.len, 0xffff, out.length),
  );
  if (l.type !== undefined) out[4] = uint("eap", "type", l.type, 255, 1);
  out.set(data, head);
  return out;
}
