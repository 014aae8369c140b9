/**
 * BOOTP and DHCPv4 messages to build: a client's DHCPDISCOVER by default
 * (op 1, Ethernet, the magic cookie, option 53 = 1, End). `options` is
 * exact when given; a named field (`msgtype`, `server`, `requested`,
 * `lease`, `hostname`) replaces its option's value, or adds the option
 * before End. Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";
import { checkOptions } from "../option_check.ts";
import { hexBytes, ipv4Bytes, uint } from "./fields.ts";
import { toHex } from "../hex.ts";
import type { DhcpBuild } from "./layers.ts";
import type { DhcpOption } from "../decode/layers.ts";

const COOKIE = 0x63825363;
const END = 255;

/** The fixed header's fields: offset, size, default. */
const NUMBERS = [
  ["op", 0, 1, 1],
  ["htype", 1, 1, 1],
  ["hlen", 2, 1, 6],
  ["hops", 3, 1, 0],
  ["xid", 4, 4, 0],
  ["secs", 8, 2, 0],
  ["flags", 10, 2, 0],
] as const;
const ADDRESSES = [
  ["ciaddr", 12],
  ["yiaddr", 16],
  ["siaddr", 20],
  ["giaddr", 24],
] as const;
/** The zero-padded fields: offset and size. */
const PADDED = [["chaddr", 28, 16], ["sname", 44, 64], [
  "file",
  108,
  128,
]] as const;

/** A BOOTP/DHCP message: header, cookie, options. */
export function encodeDhcp(l: DhcpBuild): Uint8Array {
  checkOptions("layer dhcp", l, {
    layer: "string",
    ...Object.fromEntries(
      ["op", "htype", "hlen", "hops", "xid", "secs", "flags", "cookie"]
        .concat(["msgtype", "lease"]).map((k) => [k, "number"]),
    ),
    ...Object.fromEntries(
      ["ciaddr", "yiaddr", "siaddr", "giaddr", "chaddr", "sname", "file"]
        .concat(["server", "requested", "hostname"]).map((k) => [k, "string"]),
    ),
    options: "array",
  });
  const cookie = uint("dhcp", "cookie", l.cookie, 0xffffffff, COOKIE);
  const options = cookie === COOKIE || l.options ? optionBytes(l) : [];
  const out = new Uint8Array(240 + options.length);
  const view = new DataView(out.buffer);
  for (const [name, at, size, byDefault] of NUMBERS) {
    const value = uint("dhcp", name, l[name], 2 ** (8 * size) - 1, byDefault);
    if (size === 1) out[at] = value;
    else if (size === 2) view.setUint16(at, value);
    else view.setUint32(at, value);
  }
  for (const [name, at] of ADDRESSES) {
    out.set(ipv4Bytes("dhcp", name, l[name] ?? "0.0.0.0"), at);
  }
  for (const [name, at, size] of PADDED) {
    const bytes = hexBytes("dhcp", name, l[name] ?? "");
    if (bytes.length > size) {
      throw new LayerError(`dhcp.${name} is at most ${size} bytes`);
    }
    out.set(bytes, at);
  }
  view.setUint32(236, cookie);
  out.set(options, 240);
  return out;
}

/** The options' bytes: given ones, named fields applied, End added. */
function optionBytes(l: DhcpBuild): number[] {
  const given = l.options !== undefined;
  const list: DhcpOption[] = (l.options ?? []).map((o, i) => {
    checkOptions(`dhcp.options[${i}]`, o, { code: "number", data: "string" });
    return { ...o };
  });
  const named = namedOptions(l);
  if (!given && !named.some((o) => o.code === 53)) {
    named.unshift({ code: 53, data: "01" });
  }
  for (const option of named) {
    const same = list.find((o) => o.code === option.code);
    if (same !== undefined) same.data = option.data;
    else {
      const end = list.findIndex((o) => o.code === END);
      list.splice(end < 0 ? list.length : end, 0, option);
    }
  }
  if (!given) list.push({ code: END });
  return list.flatMap((o, i) => {
    const code = uint(`dhcp.options[${i}]`, "code", o.code, 255, 0);
    if (o.data === undefined) return [code];
    const data = hexBytes(`dhcp.options[${i}]`, "data", o.data);
    if (data.length > 255) {
      throw new LayerError(`dhcp.options[${i}].data is at most 255 bytes`);
    }
    return [code, data.length, ...data];
  });
}

/** Options from the named fields that are given. */
function namedOptions(l: DhcpBuild): DhcpOption[] {
  const out: DhcpOption[] = [];
  if (l.msgtype !== undefined) {
    out.push({
      code: 53,
      data: toHex(Uint8Array.of(uint("dhcp", "msgtype", l.msgtype, 255, 1))),
    });
  }
  if (l.server !== undefined) {
    out.push({ code: 54, data: toHex(ipv4Bytes("dhcp", "server", l.server)) });
  }
  if (l.requested !== undefined) {
    out.push({
      code: 50,
      data: toHex(ipv4Bytes("dhcp", "requested", l.requested)),
    });
  }
  if (l.lease !== undefined) {
    const lease = uint("dhcp", "lease", l.lease, 0xffffffff, 0);
    out.push({ code: 51, data: lease.toString(16).padStart(8, "0") });
  }
  if (l.hostname !== undefined) {
    const text = new TextEncoder().encode(l.hostname);
    if (text.length === 0 || text.length > 255) {
      throw new LayerError("dhcp.hostname is 1 to 255 bytes");
    }
    out.push({ code: 12, data: toHex(text) });
  }
  return out;
}
