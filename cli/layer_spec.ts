/**
 * `send --layers`: layers written as scapy writes them, outermost first,
 * separated by `/`, each a name and `field=value` pairs:
 *
 *   ipv4 src=10.0.0.1 dst=10.0.0.2 ttl=3 / udp dport=53
 *   ipv6 src=2001:db8::1 dst=2001:db8::2 / tcp dport=80 flags=S options=mss:1460,nop,wscale:7
 *   arp op=2 spa=10.0.0.1 tpa=10.0.0.2 tha=02:00:00:00:00:02
 *
 * Field names are those `read --json` shows; numbers are decimal or 0x
 * hex. A number or IPv4 address may vary from frame to frame, as trafgen's
 * counters and random fields do: `sport=1000-1999` counts up and wraps,
 * `id=rand` takes a random value of the field's range, `sport=rand:1024-65535`
 * one of the given range; `src=10.0.0.1-10.0.0.254` counts addresses.
 * Read into plain layers for lib/build.ts, which checks every value, and
 * the variations (cli/layered_frames.ts makes their frames).
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
  "root",
  "bridge",
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

/** A field whose value changes from frame to frame. */
export interface Variation {
  /** Which layer (0: the first). */
  layer: number;
  /** The field. */
  field: string;
  /** Lowest and highest value (IPv4 addresses as numbers). */
  from: number;
  to: number;
  /** Random values instead of counting. */
  random: boolean;
  /** The field is an IPv4 address. */
  ipv4: boolean;
}

/** A value that varies, before its layer is known. */
class Varying {
  constructor(
    readonly from: number,
    readonly to: number,
    readonly random: boolean,
    readonly ipv4: boolean,
  ) {}
}

/** The largest value of each field `rand` alone may take. */
const FULL_RANGE: Readonly<Record<string, number>> = {
  sport: 0xffff,
  dport: 0xffff,
  id: 0xffff,
  seq: 0xffffffff,
  ack: 0xffffffff,
  window: 0xffff,
  ttl: 255,
  hlim: 255,
  tos: 255,
  tc: 255,
  fl: 0xfffff,
};

/** Reads `--layers` text into layers, varying fields at their first value. */
export function parseLayerSpec(
  spec: string,
): { layers: BuildLayer[]; variations: Variation[] } {
  const layers = parseParts(spec);
  const variations: Variation[] = [];
  layers.forEach((layer, i) => {
    const fields = layer as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(fields)) {
      if (!(value instanceof Varying)) continue;
      variations.push({ layer: i, field, ...value });
      fields[field] = value.ipv4 ? ipv4Text(value.from) : value.from;
    }
  });
  return { layers, variations };
}

/** An IPv4 address from its number. */
export function ipv4Text(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256)
    .join(".");
}

/** Reads `--layers` text into layers (no field may vary). */
export function parseLayers(spec: string): BuildLayer[] {
  const { layers, variations } = parseLayerSpec(spec);
  if (variations.length > 0) {
    throw new InputError(`--layers: ${variations[0].field} may not vary here`);
  }
  return layers;
}

/** The layers of `spec`, with Varying values where fields vary. */
function parseParts(spec: string): BuildLayer[] {
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
  const varying = varyingOf(layer, field, text);
  if (varying !== undefined) return varying;
  if (TEXT.has(field) && !(field === "flags" && layer === "stp")) return text;
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

const ADDRESS = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** `A-B`, `rand`, `rand:A-B` for a number or IPv4 field; else undefined. */
function varyingOf(
  layer: string,
  field: string,
  text: string,
): Varying | undefined {
  const random = text === "rand" || text.startsWith("rand:");
  const range = random ? text.slice(5) : text;
  const dash = range.indexOf("-", 1);
  if (!random && dash < 0) return undefined;
  const ipv4 = ["src", "dst", "spa", "tpa"].includes(field) &&
    layer !== "ipv6";
  if (TEXT.has(field) && !ipv4) return undefined; // MACs, hex, flags
  const value = (t: string) =>
    ipv4 ? addressNumber(field, t) : number(`${layer}.${field}`, t);
  if (range === "") {
    const max = FULL_RANGE[field];
    if (max === undefined || ipv4) {
      throw new InputError(
        `--layers: ${layer}.${field}=rand needs its range: rand:FROM-TO`,
      );
    }
    return new Varying(0, max, true, false);
  }
  if (dash < 0) {
    throw new InputError(`--layers: ${layer}.${field}: give rand:FROM-TO`);
  }
  const from = value(range.slice(0, dash));
  const to = value(range.slice(dash + 1));
  if (to < from) {
    throw new InputError(
      `--layers: ${layer}.${field}=${text}: the range runs backwards`,
    );
  }
  return new Varying(from, to, random, ipv4);
}

/** A dotted IPv4 address as a number (each part checked later too). */
function addressNumber(field: string, text: string): number {
  const parts = ADDRESS.test(text) ? text.split(".").map(Number) : [];
  if (parts.length !== 4 || parts.some((p) => p > 255)) {
    throw new InputError(
      `--layers: ${field}: ${quote(text)} is no IPv4 address`,
    );
  }
  return parts.reduce((n, p) => n * 256 + p, 0);
}
