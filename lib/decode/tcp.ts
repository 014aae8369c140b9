/**
 * TCP (RFC 9293) in the words of `tcpdump -S` (absolute sequence numbers:
 * a frame is decoded on its own): `Flags [S.], seq 5000, ack 1001, win
 * 65160, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0`.
 * Pure.
 *
 * @module
 */

import { hexOf, u16, u32 } from "./bytes.ts";
import { type OptionsText, tcpOptionsText } from "./tcp_options.ts";
import { decodeDnsOverTcp, DNS_PORT } from "./dns.ts";
import type { IpContext, UpperPart } from "./ip_context.ts";
import type { TcpLayer, TcpOption } from "./layers.ts";
import { endpoints } from "./ip_context.ts";

const MIN_HEADER = 20;
/** Ports, sequence and acknowledgement numbers, offset and flags. */
const FLAGS_END = 14;
const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
const URG = 0x20;

/** tcpdump's letter for each flag, in its order. */
const LETTERS: readonly (readonly [number, string])[] = [
  [FIN, "F"],
  [SYN, "S"],
  [RST, "R"],
  [0x08, "P"],
  [ACK, "."],
  [URG, "U"],
  [0x40, "E"],
  [0x80, "W"],
];

/** The flags as tcpdump writes them: `S.`, `P.`, or `none`. */
export function tcpFlags(flags: number): string {
  return FLAG_TEXT[flags & 0xff];
}

/** Every flags byte's letters, made once: the line is per frame. */
const FLAG_TEXT: readonly string[] = Array.from({ length: 256 }, (_, flags) => {
  const letters = LETTERS.filter(([bit]) => (flags & bit) !== 0)
    .map(([, letter]) => letter).join("");
  return letters === "" ? "none" : letters;
});

/** Decodes a TCP header at `at`, inside the IP header `ip`. */
export function decodeTcp(
  b: Uint8Array,
  at: number,
  end: number,
  ip: IpContext,
): UpperPart {
  const addressed = ip.withAddresses;
  if (end - at < 4) return { text: "[|tcp]", layers: [], addressed: false };
  const sport = u16(b, at);
  const dport = u16(b, at + 2);
  const ends = endpoints(ip, sport, dport);
  if (end - at < FLAGS_END) {
    return { text: `${ends}:  [|tcp]`, layers: [], addressed }; // tcpdump's two spaces
  }
  const seq = u32(b, at + 4);
  const ack = u32(b, at + 8);
  const offset = (b[at + 12] >> 4) * 4;
  const flags = b[at + 13];
  const layer = tcpLayer(b, at, end);
  const layers = [layer];
  if (end - at < MIN_HEADER) {
    return { text: `${ends}:  [|tcp]`, layers, addressed };
  }
  if (offset < MIN_HEADER) {
    const bad = `tcp ${
      ip.length - offset
    } [bad hdr length ${offset} - too short, < 20]`;
    return { text: `${ends}: ${bad}`, layers, addressed };
  }
  const data = ip.length - offset;
  let text = `${ends}: Flags [${tcpFlags(flags)}]`;
  if (data > 0 || (flags & (SYN | FIN | RST)) !== 0) {
    text += `, seq ${seq}${data > 0 ? `:${(seq + data) % 2 ** 32}` : ""}`;
  }
  if (flags & ACK) text += `, ack ${ack}`;
  text += `, win ${u16(b, at + 14)}`;
  if (flags & URG) text += `, urg ${u16(b, at + 18)}`;
  if (offset > MIN_HEADER) {
    if (at + offset <= end) {
      layer.options = optionList(b, at + MIN_HEADER, at + offset);
    }
    const options = optionsText(b, at, end, ip.length);
    // A cut or bad option ends the line: tcpdump prints no length then.
    if (options.cut || options.bad) {
      return { text: text + options.text, layers, addressed };
    }
    text += options.text;
  }
  text += `, length ${data}`;
  if (data > 0 && (sport === DNS_PORT || dport === DNS_PORT)) {
    const from = at + offset;
    const dns = decodeDnsOverTcp(b, from, Math.min(end, at + ip.length), data);
    return {
      text: text + dns.text,
      layers: [...layers, ...dns.layers],
      addressed,
    };
  }
  return { text, layers, addressed };
}

/** `, options [...]` for the header at `at`, as tcpdump ends it. */
function optionsText(
  b: Uint8Array,
  at: number,
  end: number,
  length: number,
): OptionsText {
  const options = tcpOptionsText(
    b,
    at + MIN_HEADER,
    at + (b[at + 12] >> 4) * 4,
    end,
    b[at + 13],
    at + length <= end,
  );
  const close = options.cut ? " [|tcp]" : options.bad ? "" : "]";
  return { ...options, text: `, options [${options.text}${close}` };
}

/** The header's fields, as far as they were captured (14 bytes at least). */
function tcpLayer(b: Uint8Array, at: number, end: number): TcpLayer {
  const layer: TcpLayer = {
    layer: "tcp",
    sport: u16(b, at),
    dport: u16(b, at + 2),
    seq: u32(b, at + 4),
    ack: u32(b, at + 8),
    dataofs: b[at + 12] >> 4,
    reserved: b[at + 12] & 0x0f,
    flags: tcpFlags(b[at + 13]),
  };
  if (end - at >= 16) layer.window = u16(b, at + 14);
  if (end - at >= 18) layer.checksum = u16(b, at + 16);
  if (end - at >= MIN_HEADER) layer.urg = u16(b, at + 18);
  return layer;
}

/**
 * The options between `at` and `end` (all captured, well formed) as a
 * list that gives back every byte: zeros after an end-of-list are more
 * end-of-list entries; anything else there is the end-of-list's `data`.
 */
function optionList(b: Uint8Array, at: number, end: number): TcpOption[] {
  const list: TcpOption[] = [];
  while (at < end) {
    const kind = b[at];
    if (kind === 0 && b.subarray(at + 1, end).some((x) => x !== 0)) {
      // What follows the end of the list is not options: kept as it is.
      list.push({ kind, data: hexOf(b, at + 1, end) });
      break;
    }
    if (kind === 0 || kind === 1) {
      list.push({ kind });
      at++;
      continue;
    }
    if (at + 1 >= end) {
      list.push({ kind, len: -1 }); // the header ends after the kind
      break;
    }
    const length = b[at + 1];
    if (length < 2 || at + length > end) {
      // Malformed: the length as sent, the rest of the header as data.
      list.push({ kind, len: length, data: hexOf(b, at + 2, end) });
      break;
    }
    list.push(
      length > 2 ? { kind, data: hexOf(b, at + 2, at + length) } : { kind },
    );
    at += length;
  }
  return list;
}
