/**
 * Layers of the protocols that name and address hosts: DNS (and mDNS,
 * LLMNR). Plain values, as `read --json` shows them.
 *
 * @module
 */

/** A DNS question. */
export interface DnsQuestion {
  /** The name, in presentation form: `example.com.` (dns.qry.name). */
  name: string;
  /** Its type: 1 A, 28 AAAA, 12 PTR, ... (dns.qry.type). */
  type: number;
  /** Its class: 1 IN; mDNS sets 0x8000 for a unicast answer (dns.qry.class). */
  class: number;
}

/** A DNS resource record. */
export interface DnsRecord {
  /** The owner name, in presentation form (dns.resp.name). */
  name: string;
  /** Its type (dns.resp.type). */
  type: number;
  /** Its class; an OPT record's UDP payload size (dns.resp.class). */
  class: number;
  /** Time to live, seconds; an OPT record's extended code and flags. */
  ttl: number;
  /**
   * The data in presentation form, for A (`1.2.3.4`), AAAA, NS, CNAME, PTR,
   * DNAME (a name), MX (`10 mail.example.com.`), SRV (`priority weight port
   * target`) and SOA (`mname rname serial refresh retry expire minimum`).
   */
  data?: string;
  /** The data as hex, for every other type. */
  rdata?: string;
}

/**
 * A DNS message (`dns`): the header, then each question and record that
 * is whole in the capture (a count may claim more than there is).
 */
export interface DnsLayer {
  /** The layer's name. */
  layer: "dns";
  /** Transaction ID (dns.id). */
  id: number;
  /** The flags word: 0x8000 response, opcode, AA, TC, RD, RA, Z, AD, CD, rcode (dns.flags). */
  flags: number;
  /** Questions, as the header counts them (dns.count.queries). */
  qdcount: number;
  /** Answers, as counted (dns.count.answers). */
  ancount: number;
  /** Authority records, as counted (dns.count.auth_rr). */
  nscount: number;
  /** Additional records, as counted (dns.count.add_rr). */
  arcount: number;
  /** The questions. */
  questions: DnsQuestion[];
  /** The answer section. */
  answers: DnsRecord[];
  /** The authority section. */
  authority: DnsRecord[];
  /** The additional section (EDNS's OPT record among them). */
  additional: DnsRecord[];
  /** Over TCP: the 2-byte length before the message. */
  length?: number;
}
