/**
 * Layers of the protocols that name and address hosts: DNS (and mDNS,
 * LLMNR), DHCP and DHCPv6. Plain values, as `read --json` shows them.
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

/** A DHCP option: its code and value (hex); Pad (0) and End (255) have none. */
export interface DhcpOption {
  /** The option code: 53 message type, 54 server, 255 End, ... */
  code: number;
  /** The value, hex (its length byte is computed). */
  data?: string;
}

/**
 * A BOOTP or DHCPv4 message (`dhcp`): the fixed header; with DHCP's magic
 * cookie, `options` in order up to End (what follows End is data), and
 * the common ones by name as well.
 */
export interface DhcpLayer {
  /** The layer's name. */
  layer: "dhcp";
  /** 1 request, 2 reply (dhcp.type). */
  op: number;
  /** Hardware type: 1 Ethernet (dhcp.hw.type). */
  htype: number;
  /** Hardware address length (dhcp.hw.len). */
  hlen: number;
  /** Relay hops (dhcp.hops). */
  hops: number;
  /** Transaction ID (dhcp.id). */
  xid: number;
  /** Seconds since the client began (dhcp.secs). */
  secs: number;
  /** Flags: 0x8000 broadcast (dhcp.flags). */
  flags: number;
  /** The client's address (dhcp.ip.client). */
  ciaddr: string;
  /** The address offered or given (dhcp.ip.your). */
  yiaddr: string;
  /** The next server's address (dhcp.ip.server). */
  siaddr: string;
  /** The relay agent's address (dhcp.ip.relay). */
  giaddr: string;
  /** The client's hardware address field, hex without its zero padding. */
  chaddr: string;
  /** The server host name field, hex without its zero padding. */
  sname: string;
  /** The boot file name field, hex without its zero padding. */
  file: string;
  /** The magic cookie, 0x63825363 for DHCP (dhcp.cookie). */
  cookie?: number;
  /** The options, Pad and End included. */
  options?: DhcpOption[];
  /** Option 53: 1 discover, 2 offer, 3 request, 5 ack, 6 nak, 7 release, ... */
  msgtype?: number;
  /** Option 54: the server identifier. */
  server?: string;
  /** Option 50: the requested address. */
  requested?: string;
  /** Option 51: the lease time, seconds. */
  lease?: number;
  /** Option 12: the client's host name, when it is printable text. */
  hostname?: string;
}

/**
 * A DHCPv6 message (`dhcp6`): its type and transaction ID, or a relay's
 * hop count and addresses, then its options in order (an option's value
 * as hex; options inside it, as in IA_NA, are part of that value).
 */
export interface Dhcp6Layer {
  /** The layer's name. */
  layer: "dhcp6";
  /** 1 solicit, 2 advertise, 3 request, 7 reply, 12 relay-forward, ... (dhcpv6.msgtype). */
  msgtype: number;
  /** Transaction ID, 24 bits (dhcpv6.xid); not in relay messages. */
  xid?: number;
  /** A relay message's hop count (dhcpv6.hopcount). */
  hopcount?: number;
  /** A relay message's link address (dhcpv6.linkaddr). */
  linkaddr?: string;
  /** A relay message's peer address (dhcpv6.peeraddr). */
  peeraddr?: string;
  /** The options: 1 client ID, 2 server ID, 3 IA_NA, 8 elapsed time, ... */
  options: DhcpOption[];
}
