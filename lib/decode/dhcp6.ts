/**
 * DHCPv6 (RFC 8415; UDP ports 546 and 547): the line in tcpdump's words
 * (`dhcp6 solicit`), and the `dhcp6` layer: the message type and
 * transaction ID (a relay's hop count and addresses instead), then every
 * option in order as `{ code, data }`. Pure.
 *
 * @module
 */

import { hexOf, ipv6At, u16 } from "./bytes.ts";
import type { Dhcp6Layer, Part } from "./layers.ts";

/** The client's port. */
export const DHCP6_CLIENT_PORT = 546;
/** The servers' and relays' port. */
export const DHCP6_SERVER_PORT = 547;

/** Message types as tcpdump names them. */
const TYPES = [
  "",
  "solicit",
  "advertise",
  "request",
  "confirm",
  "renew",
  "rebind",
  "reply",
  "release",
  "decline",
  "reconfigure",
  "inf-req",
  "relay-fwd",
  "relay-reply",
  "leasequery",
  "leasequery-reply",
];
const RELAY_FORWARD = 12;
const RELAY_REPLY = 13;

/** The DHCPv6 message at `at`, `length` bytes of UDP payload. */
export function decodeDhcp6(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  const stop = Math.min(end, at + length);
  if (stop - at < 4) return { text: "dhcp6 [|dhcp6]", layers: [] };
  const type = b[at];
  const text = `dhcp6 ${TYPES[type] || `msgtype-${type}`}`;
  const relay = type === RELAY_FORWARD || type === RELAY_REPLY;
  if (relay && stop - at < 34) return { text, layers: [] };
  const layer: Dhcp6Layer = relay
    ? {
      layer: "dhcp6",
      msgtype: type,
      hopcount: b[at + 1],
      linkaddr: ipv6At(b, at + 2),
      peeraddr: ipv6At(b, at + 18),
      options: [],
    }
    : {
      layer: "dhcp6",
      msgtype: type,
      xid: (b[at + 1] << 16) | u16(b, at + 2),
      options: [],
    };
  let p = at + (relay ? 34 : 4);
  while (p + 4 <= stop && p + 4 + u16(b, p + 2) <= stop) {
    const size = u16(b, p + 2);
    layer.options.push({
      code: u16(b, p),
      data: hexOf(b, p + 4, p + 4 + size),
    });
    p += 4 + size;
  }
  return { text, layers: [layer] };
}
