/**
 * `send --layers`: layers written as scapy writes them, outermost first,
 * separated by `/`, each a name and `field=value` pairs:
 *
 *   ipv4 src=10.0.0.1 dst=10.0.0.2 ttl=3 / udp dport=53
 *   ipv6 src=2001:db8::1 dst=2001:db8::2 / tcp dport=80 flags=S options=mss:1460,nop,wscale:7
 *   arp op=2 spa=10.0.0.1 tpa=10.0.0.2 tha=02:00:00:00:00:02
 *   lldp chassis=02:00:00:00:00:01 port=eth0 name="core switch" tlv=127:0080c2010001
 *   lacp actor.system=02:00:00:00:00:01 actor.key=13 partner.port=2
 *
 * A value with spaces goes in double quotes; `end.field=value` sets a
 * field of one end of LACP; `tlv=TYPE:HEX` (repeatable) adds an LLDP TLV
 * after the ones its named fields make.
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
import {
  fieldNumber,
  valueText,
  type Variation,
  Varying,
  varyingValue,
} from "./varying.ts";

export type { Variation } from "./varying.ts";

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

/** Fields given as text in one layer only (elsewhere numbers, or none). */
const LAYER_TEXT: Readonly<Record<string, readonly string[]>> = {
  lldp: ["chassis", "port", "name", "descr"],
  lacp: ["actor.system", "partner.system"],
  ah: ["icv"],
  geneve: ["options"],
  igmp: ["group"],
  ntp: ["refid", "reftime", "org", "rec", "xmt"],
  hsrp: ["auth", "addr"],
  dns: ["name"],
  dhcp: ["ciaddr", "yiaddr", "siaddr", "giaddr", "chaddr", "sname", "file"]
    .concat(["server", "requested", "hostname"]),
  dhcp6: ["linkaddr", "peeraddr"],
  mpls: ["labels"],
  ptp: ["clock", "target"],
  cdp: ["deviceid"],
};

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
      fields[field] = valueText(value.kind, value.from);
    }
  });
  return { layers, variations };
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
  // A "/" in double quotes (port="ge-0/0/1") is a value's, not a break.
  const parts = (spec.match(/(?:"[^"]*"|[^"/])+|(?<=^|\/)(?=\/|$)/g) ?? [""])
    .map((part) => part.trim());
  if (parts.some((part) => part === "")) {
    throw new InputError(
      `--layers ${quote(spec)}: a layer is missing between two "/"`,
    );
  }
  return parts.map((part) => parseLayer(part));
}

/** `field=value` words, a value in double quotes holding spaces. */
const WORD = /(?:[^\s"=]+="[^"]*"|\S)+/g;

/** One layer: `name field=value ...`. */
function parseLayer(text: string): BuildLayer {
  const [word, ...pairs] = text.match(WORD) ?? [""];
  const name = ALIASES[word] ?? word;
  const layer: Record<string, unknown> = { layer: name };
  const tlvs: { type: number; data: string }[] = [];
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) {
      throw new InputError(
        `--layers: ${quote(pair)} in ${name} is not field=value`,
      );
    }
    const field = pair.slice(0, at);
    const value = pair.slice(at + 1).replace(/^"(.*)"$/s, "$1");
    if (name === "lldp" && field === "tlv") tlvs.push(lldpTlv(value));
    else setField(layer, name, field, valueOf(name, field, value));
  }
  if (tlvs.length > 0) withTlvs(layer, tlvs);
  if (name === "dns") withQuestion(layer);
  if (name === "mpls") withLabels(layer);
  return layer as unknown as BuildLayer;
}

/**
 * `mpls label=16 tc=5 ttl=63`: one entry; `mpls labels=100,200`: a stack
 * (the rest from JSON).
 */
function withLabels(layer: Record<string, unknown>): void {
  const fields = ["label", "tc", "s", "ttl"].filter((f) => f in layer);
  if (layer.labels !== undefined) {
    if (fields.length > 0) {
      throw new InputError("--layers: mpls takes labels= or label=, not both");
    }
    layer.labels = String(layer.labels).split(",")
      .map((label) => ({ label: number("mpls label", label) }));
    return;
  }
  const entry: Record<string, unknown> = {};
  for (const field of fields) {
    if (layer[field] instanceof Varying) {
      throw new InputError(`--layers: mpls.${field} may not vary`);
    }
    entry[field] = layer[field];
    delete layer[field];
  }
  layer.labels = [entry];
}

/** `dns name=example.com type=28`: one question (the rest from JSON). */
function withQuestion(layer: Record<string, unknown>): void {
  const fields = ["name", "type", "class"].filter((f) => f in layer);
  if (fields.length === 0) return;
  if (layer.name === undefined) {
    throw new InputError("--layers: dns type= and class= need name=");
  }
  const question: Record<string, unknown> = {};
  for (const field of fields) {
    if (layer[field] instanceof Varying) {
      throw new InputError(`--layers: dns.${field} may not vary`);
    }
    question[field] = layer[field];
    delete layer[field];
  }
  layer.questions = [question];
}

/** Sets `field` (`end.field`: a field of an object field) once. */
function setField(
  layer: Record<string, unknown>,
  name: string,
  field: string,
  value: unknown,
): void {
  const [outer, inner] = field.split(".", 2);
  const nested = name === "lacp" && (outer === "actor" || outer === "partner");
  if (!/^[a-z0-9_]+(\.[a-z0-9_]+)?$/.test(field) || (inner && !nested)) {
    throw new InputError(`--layers: ${name} has no field ${quote(field)}`);
  }
  const holder = inner === undefined
    ? layer
    : (layer[outer] ??= {}) as Record<string, unknown>;
  const key = inner ?? outer;
  if (typeof holder !== "object" || key in holder) {
    throw new InputError(`--layers: ${name}.${field} is given twice`);
  }
  holder[key] = value;
}

/**
 * An LLDP layer with TLVs given: a whole unit still, as from its named
 * fields alone (mandatory TLVs, TTL 120, End), since `tlvs` is exact.
 */
function withTlvs(
  layer: Record<string, unknown>,
  tlvs: { type: number; data: string }[],
): void {
  for (const [field, type] of [["chassis", 1], ["port", 2]] as const) {
    if (layer[field] === undefined && !tlvs.some((t) => t.type === type)) {
      throw new InputError(`--layers: lldp needs ${field}=`);
    }
  }
  if (!tlvs.some((t) => t.type === 3)) layer.ttl ??= 120;
  layer.tlvs = tlvs.some((t) => t.type === 0)
    ? tlvs
    : [...tlvs, { type: 0, data: "" }];
}

/** An LLDP TLV given as `TYPE:HEX` (End is added after them). */
function lldpTlv(text: string): { type: number; data: string } {
  const match = /^([^:]+):([0-9a-fA-F]*)$/.exec(text);
  if (match === null || match[2].length % 2 !== 0) {
    throw new InputError(
      `--layers: lldp tlv=${quote(text)} is TYPE:HEX, such as 127:0080c2010001`,
    );
  }
  return { type: number("lldp tlv type", match[1]), data: match[2] };
}

/** A field's value, typed as the layer takes it. */
function valueOf(layer: string, field: string, text: string): unknown {
  if (layer === "tcp" && field === "options") return tcpOptions(text);
  if (layer === "ipv4" && field === "options") return text;
  if (layer === "vrrp" && field === "addrs") return text.split(",");
  if (layer === "igmp" && field === "sources") return text.split(",");
  if ((layer === "igmp" || layer === "mpls") && field === "s") {
    return text === "true" || text === "1";
  }
  const varying = varyingOf(layer, field, text);
  if (varying !== undefined) return varying;
  const numericFlags = ["stp", "dns", "dhcp"].includes(layer);
  if (TEXT.has(field) && !(field === "flags" && numericFlags)) return text;
  if (LAYER_TEXT[layer]?.includes(field)) return text;
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
  return fieldNumber(`--layers: ${what}`, text);
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

/** `A-B`, `rand`, `rand:A-B` for a number, IPv4 or MAC field; else undefined. */
function varyingOf(
  layer: string,
  field: string,
  text: string,
): Varying | undefined {
  if (field.includes(".")) return undefined; // LACP's ends: fixed values
  if (LAYER_TEXT[layer]?.includes(field)) return undefined; // "ge-0/0/1"
  const kind = ["src", "dst", "spa", "tpa"].includes(field) && layer !== "ipv6"
    ? "ipv4"
    : ["sha", "tha"].includes(field)
    ? "mac"
    : TEXT.has(field)
    ? undefined // IPv6 addresses, hex, flags
    : "number";
  if (kind === undefined) return undefined;
  return varyingValue(
    kind,
    `--layers: ${layer}.${field}`,
    text,
    FULL_RANGE[field],
  );
}
