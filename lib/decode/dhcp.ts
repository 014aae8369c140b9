/**
 * BOOTP and DHCPv4 (RFC 951, RFC 2131; UDP ports 67 and 68): the line in
 * tcpdump's words (`BOOTP/DHCP, Request from 02:00:00:00:00:01, length
 * 300`), and the `dhcp` layer: the fixed header, the magic cookie, and
 * every option in order as `{ code, data }` up to End, with the message
 * type, server, requested address, lease time and host name by name too.
 * What follows End (padding) is data. Pure.
 *
 * @module
 */

import { hexOf, ipv4At, macAt, u16, u32, wireText } from "./bytes.ts";
import { parseHex } from "../hex.ts";
import type { DhcpLayer, DhcpOption, Part } from "./layers.ts";

/** The server's port; clients send from 68. */
export const BOOTPS_PORT = 67;
/** The client's port. */
export const BOOTPC_PORT = 68;

/** The fixed header before the options: op ... file. */
const HEADER = 236;
/** DHCP's magic cookie, 99.130.83.99. */
const COOKIE = 0x63825363;
const PAD = 0;
const END = 255;

/** The BOOTP message at `at`, `length` bytes of UDP payload. */
export function decodeDhcp(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): Part {
  if (end - at < 1) return { text: " [|bootp]", layers: [] };
  const op = b[at];
  let text = `BOOTP/DHCP, ${OPS[op] ?? `unknown (0x${hex2(op)})`}`;
  if (end - at < 3) return { text: `${text} [|bootp]`, layers: [] };
  if (b[at + 1] === 1 && b[at + 2] === 6 && op === 1) {
    if (end - at < 34) return { text: `${text} [|bootp]`, layers: [] };
    text += ` from ${macAt(b, at + 28)}`;
  }
  text += `, length ${length}`;
  const stop = Math.min(end, at + length);
  return { text, layers: stop - at < HEADER ? [] : [dhcpLayer(b, at, stop)] };
}

const OPS: Readonly<Record<number, string>> = { 1: "Request", 2: "Reply" };

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/** The header, and the options when the cookie says DHCP. */
function dhcpLayer(b: Uint8Array, at: number, end: number): DhcpLayer {
  const layer: DhcpLayer = {
    layer: "dhcp",
    op: b[at],
    htype: b[at + 1],
    hlen: b[at + 2],
    hops: b[at + 3],
    xid: u32(b, at + 4),
    secs: u16(b, at + 8),
    flags: u16(b, at + 10),
    ciaddr: ipv4At(b, at + 12),
    yiaddr: ipv4At(b, at + 16),
    siaddr: ipv4At(b, at + 20),
    giaddr: ipv4At(b, at + 24),
    chaddr: trimmedHex(b, at + 28, at + 44),
    sname: trimmedHex(b, at + 44, at + 108),
    file: trimmedHex(b, at + 108, at + HEADER),
  };
  if (end - at < HEADER + 4) return layer;
  layer.cookie = u32(b, at + HEADER);
  if (layer.cookie !== COOKIE) return layer;
  layer.options = optionList(b, at + HEADER + 4, end);
  Object.assign(layer, namedOptions(layer.options));
  return layer;
}

/** A field's bytes as hex, without the zeros that pad it. */
function trimmedHex(b: Uint8Array, from: number, to: number): string {
  while (to > from && b[to - 1] === 0) to--;
  return hexOf(b, from, to);
}

/** Options up to End (or as far as they are whole). */
function optionList(b: Uint8Array, at: number, end: number): DhcpOption[] {
  const list: DhcpOption[] = [];
  while (at < end) {
    const code = b[at];
    if (code === PAD || code === END) {
      list.push({ code });
      at++;
      if (code === END) break;
      continue;
    }
    if (at + 2 > end || at + 2 + b[at + 1] > end) break;
    list.push({ code, data: hexOf(b, at + 2, at + 2 + b[at + 1]) });
    at += 2 + b[at + 1];
  }
  return list;
}

/** The options most often read, by name (each from its first option). */
function namedOptions(options: DhcpOption[]): Partial<DhcpLayer> {
  const data = (code: number) =>
    options.find((o) => o.code === code)?.data ?? undefined;
  const named: Partial<DhcpLayer> = {};
  const type = data(53);
  if (type?.length === 2) named.msgtype = parseInt(type, 16);
  for (const [code, key] of [[54, "server"], [50, "requested"]] as const) {
    const value = data(code);
    if (value?.length === 8) named[key] = ipv4At(parseHex(value), 0);
  }
  const lease = data(51);
  if (lease?.length === 8) named.lease = parseInt(lease, 16);
  const host = parseHex(data(12) ?? "");
  const text = wireText(host, 0, host.length);
  if (host.length > 0 && text.quoted) named.hostname = text.value;
  return named;
}
