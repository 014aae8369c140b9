/**
 * `send --layers`: layers written as scapy writes them, outermost first,
 * separated by `/`, each a name and `field=value` pairs:
 *
 *   ipv4 src=10.0.0.1 dst=10.0.0.2 ttl=3 / udp dport=53
 *   ipv6 src=2001:db8::1 dst=2001:db8::2 / tcp dport=80 flags=S options=mss:1460,nop,wscale:7
 *   arp op=2 spa=10.0.0.1 tpa=10.0.0.2 tha=02:00:00:00:00:02
 *
 * Field names are those `read --json` shows; numbers are decimal or 0x
 * hex. Read into plain layers for lib/build.ts, which checks every value.
 *
 * @module
 */

import { InputError } from "../lib/errors.ts";
import type { BuildLayer } from "../lib/build.ts";
import { quote } from "./args.ts";

/** Other names a layer may go by. */
const ALIASES: Readonly<Record<string, string>> = {
  ip: "ipv4",
  ip6: "ipv6",
  icmp6: "icmpv6",
};

/** Fields given as text (addresses, hex, flag letters). */
const TEXT = new Set([
  "src",
  "dst",
  "sha",
  "spa",
  "tha",
  "tpa",
  "data",
  "flags",
]);

/** Fields that are yes or no. */
const BOOLEAN = new Set(["rb", "df", "mf"]);

/** TCP option names, their kinds and the size of a number they carry. */
const TCP_OPTIONS: Readonly<Record<string, [number, number]>> = {
  eol: [0, 0],
  nop: [1, 0],
  mss: [2, 2],
  wscale: [3, 1],
  sackok: [4, 0],
  ts: [8, 4],
};

/** Reads `--layers` text into layers. */
export function parseLayers(spec: string): BuildLayer[] {
  const parts = spec.split("/").map((part) => part.trim());
  if (parts.some((part) => part === "")) {
    throw new InputError(
      `--layers ${quote(spec)}: a layer is missing between two "/"`,
    );
  }
  return parts.map((part) => parseLayer(part));
}

/** One layer: `name field=value ...`. */
function parseLayer(text: string): BuildLayer {
  const [word, ...pairs] = text.split(/\s+/);
  const name = ALIASES[word] ?? word;
  const layer: Record<string, unknown> = { layer: name };
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) {
      throw new InputError(
        `--layers: ${quote(pair)} in ${name} is not field=value`,
      );
    }
    const field = pair.slice(0, at);
    if (field in layer) {
      throw new InputError(`--layers: ${name}.${field} is given twice`);
    }
    layer[field] = valueOf(name, field, pair.slice(at + 1));
  }
  return layer as unknown as BuildLayer;
}

/** A field's value, typed as the layer takes it. */
function valueOf(layer: string, field: string, text: string): unknown {
  if (layer === "tcp" && field === "options") return tcpOptions(text);
  if (layer === "ipv4" && field === "options") return text;
  if (TEXT.has(field)) return text;
  if (BOOLEAN.has(field)) {
    if (text === "true" || text === "1") return true;
    if (text === "false" || text === "0") return false;
    throw new InputError(
      `--layers: ${layer}.${field} is true or false, not ${quote(text)}`,
    );
  }
  return number(`${layer}.${field}`, text);
}

/** A decimal or 0x-hex whole number. */
function number(what: string, text: string): number {
  if (!/^(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/.test(text)) {
    throw new InputError(
      `--layers: ${what} is a whole number (decimal or 0x hex), not ${
        quote(text)
      }`,
    );
  }
  return Number(text);
}

/**
 * TCP options: names (`mss:1460`, `wscale:7`, `sackok`, `ts:VAL:ECR`,
 * `nop`, `eol`) or `KIND:HEX` for any other.
 */
function tcpOptions(text: string): { kind: number; data?: string }[] {
  return text.split(",").map((item) => {
    const [name, ...values] = item.split(":");
    const known = TCP_OPTIONS[name.toLowerCase()];
    if (known === undefined) {
      const kind = number(`tcp option ${quote(item)}`, name);
      return values.length === 0 ? { kind } : { kind, data: values.join("") };
    }
    const [kind, size] = known;
    const expected = kind === 8 ? 2 : size > 0 ? 1 : 0;
    if (values.length !== expected) {
      throw new InputError(
        `--layers: tcp option ${quote(item)} takes ${expected} value${
          expected === 1 ? "" : "s"
        } (${name}${":N".repeat(expected)})`,
      );
    }
    if (values.length === 0) return { kind };
    const data = values.map((v) =>
      number(`tcp option ${name}`, v).toString(16).padStart(size * 2, "0")
    ).join("");
    if (data.length !== values.length * size * 2) {
      throw new InputError(
        `--layers: tcp option ${quote(item)}: a value is too large`,
      );
    }
    return { kind, data };
  });
}
