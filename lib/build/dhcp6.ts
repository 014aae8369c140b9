/**
 * DHCPv6 messages to build: a solicit by default; a relay's hop count and
 * addresses for types 12 and 13; the options as given, each `{ code,
 * data }` with its length computed. Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { ipv6Bytes, uint, wideTlv } from "./fields.ts";
import type { Dhcp6Build } from "./layers.ts";

/** A DHCPv6 message: its header, then its options. */
export function encodeDhcp6(l: Dhcp6Build): Uint8Array {
  checkOptions("layer dhcp6", l, {
    layer: "string",
    msgtype: "number",
    xid: "number",
    hopcount: "number",
    linkaddr: "string",
    peeraddr: "string",
    options: "array",
  });
  const type = uint("dhcp6", "msgtype", l.msgtype, 255, 1);
  const relay = type === 12 || type === 13;
  const head = new Uint8Array(relay ? 34 : 4);
  head[0] = type;
  if (relay) {
    if (l.xid !== undefined) {
      throw new LayerError("dhcp6.xid is not in relay messages (types 12, 13)");
    }
    head[1] = uint("dhcp6", "hopcount", l.hopcount, 255, 0);
    head.set(ipv6Bytes("dhcp6", "linkaddr", l.linkaddr ?? "::"), 2);
    head.set(ipv6Bytes("dhcp6", "peeraddr", l.peeraddr ?? "::"), 18);
  } else {
    const xid = uint("dhcp6", "xid", l.xid, 0xffffff, 0);
    head.set([xid >> 16, (xid >> 8) & 0xff, xid & 0xff], 1);
  }
  const options = (l.options ?? []).map((o, i) => {
    const what = `dhcp6.options[${i}]`;
    checkOptions(what, o, { code: "number", data: "string" });
    return wideTlv(what, "code", o.code, o.data);
  });
  return Uint8Array.from([...head, ...options.flat()]);
}
