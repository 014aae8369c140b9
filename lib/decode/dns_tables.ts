/**
 * DNS's numbers as tcpdump names them: record types, classes, opcodes and
 * response codes (print-domain.c, tcpdump 4.99). Pure.
 *
 * @module
 */

/** Record types by number. */
const TYPES: Readonly<Record<number, string>> = {
  ...Object.fromEntries(
    [
      "A",
      "NS",
      "MD",
      "MF",
      "CNAME",
      "SOA",
      "MB",
      "MG",
      "MR",
      "NULL",
      "WKS",
      "PTR",
      "HINFO",
      "MINFO",
      "MX",
      "TXT",
      "RP",
      "AFSDB",
      "X25",
      "ISDN",
      "RT",
      "NSAP",
      "NSAP_PTR",
      "SIG",
      "KEY",
      "PX",
      "GPOS",
      "AAAA",
      "LOC",
      "NXT",
      "EID",
      "NIMLOC",
      "SRV",
      "ATMA",
      "NAPTR",
      "KX",
      "CERT",
      "A6",
      "DNAME",
      "SINK",
      "OPT",
      "APL",
      "DS",
      "SSHFP",
      "IPSECKEY",
      "RRSIG",
      "NSEC",
      "DNSKEY",
    ].map((name, i) => [i + 1, name]),
  ),
  99: "SPF",
  100: "UINFO",
  101: "UID",
  102: "GID",
  103: "UNSPEC",
  104: "UNSPECA",
  249: "TKEY",
  250: "TSIG",
  251: "IXFR",
  252: "AXFR",
  253: "MAILB",
  254: "MAILA",
  255: "ANY",
  256: "URI",
};

/** A record type's name: `A`, `AAAA`, or `Type65`. */
export function typeText(type: number): string {
  return TYPES[type] ?? `Type${type}`;
}

/** Classes other than IN, by number. */
const CLASSES: Readonly<Record<number, string>> = {
  1: "IN",
  3: "CHAOS",
  4: "HS",
  255: "ANY",
};

/** A class's name: `CHAOS`, or `(Class 2)`. */
export function classText(klass: number): string {
  return CLASSES[klass] ?? `(Class ${klass})`;
}

/** Opcodes, each with its leading space (none for a standard query). */
export const OPCODES: readonly string[] = [
  "",
  " inv_q",
  " stat",
  " op3",
  " notify",
  " update",
  " op6",
  " op7",
  " op8",
  " updateA",
  " updateD",
  " updateDA",
  " updateM",
  " updateMA",
  " zoneInit",
  " zoneRef",
];

/** Response codes 0 to 23, as tcpdump 4.99's table has them (17 and 21 too). */
const RCODES: readonly string[] = [
  "",
  " FormErr",
  " ServFail",
  " NXDomain",
  " NotImp",
  " Refused",
  " YXDomain",
  " YXRRSet",
  " NXRRSet",
  " NotAuth",
  " NotZone",
  " Resp11",
  " Resp12",
  " Resp13",
  " Resp14",
  " NoChange",
  " BadVers",
  "Resp17",
  " Resp18",
  " Resp19",
  " Resp20",
  "Resp21",
  " Resp22",
  " BadCookie",
];

/** A response code (extended by an OPT record's high bits) as tcpdump writes it. */
export function rcodeText(rcode: number): string {
  return RCODES[rcode] ?? ` Resp${rcode & 0xfff}`;
}
