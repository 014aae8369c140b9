/**
 * The decoded layers of a frame, after Ethernet and its tags, as plain
 * values: what `listen --json` and `read --json` show under `layers`.
 * Each has `layer` (its name) and exactly the fields listed, where the
 * frame has them: a layer cut short has only the fields its bytes hold.
 * MACs are in colon form, IPv4 dotted, IPv6 in RFC 5952 form.
 *
 * @module
 */

import type {
  AhLayer,
  EspLayer,
  EtherLayer,
  GeneveLayer,
  GreLayer,
  MplsLayer,
  PppoeLayer,
  VxlanLayer,
} from "./tunnel_layers.ts";
import type {
  CdpLayer,
  EapLayer,
  EapolLayer,
  HsrpLayer,
  IgmpLayer,
  NtpLayer,
  PtpLayer,
  VrrpLayer,
} from "./group_layers.ts";
import type { Dhcp6Layer, DhcpLayer, DnsLayer } from "./name_layers.ts";

export type {
  AhLayer,
  EspLayer,
  EtherLayer,
  GeneveLayer,
  GreLayer,
  MplsLabel,
  MplsLayer,
  PppoeLayer,
  PppoeTag,
  VxlanLayer,
} from "./tunnel_layers.ts";
export type {
  CdpLayer,
  CdpTlv,
  EapLayer,
  EapolLayer,
  HsrpLayer,
  IgmpLayer,
  IgmpRecord,
  NtpLayer,
  PtpLayer,
  VrrpLayer,
} from "./group_layers.ts";
export type {
  Dhcp6Layer,
  DhcpLayer,
  DhcpOption,
  DnsLayer,
  DnsQuestion,
  DnsRecord,
} from "./name_layers.ts";

/**
 * An ARP packet (RFC 826), any hardware and protocol type. Addresses are
 * present when the packet holds them all: hardware addresses as MACs when
 * 6 bytes long, protocol addresses dotted when IPv4, other lengths in
 * colon hex (`01:02:...`).
 */
export interface ArpLayer {
  /** The layer's name. */
  layer: "arp";
  /** Hardware type: 1 Ethernet, 6 IEEE 802, ... */
  htype: number;
  /** Protocol type: an EtherType, 0x0800 for IPv4. */
  ptype: number;
  /** Hardware address length, bytes. */
  hlen: number;
  /** Protocol address length, bytes. */
  plen: number;
  /** Operation: 1 request, 2 reply, 3 and 4 reverse, 8 and 9 inverse. */
  op: number;
  /** Sender hardware address. */
  sha?: string;
  /** Sender protocol address. */
  spa?: string;
  /** Target hardware address. */
  tha?: string;
  /** Target protocol address. */
  tpa?: string;
}

/** Where a fragment of an IPv4 datagram goes. */
export interface Fragment {
  /** The datagram's identification field. */
  id: number;
  /** Offset of this fragment's data in the datagram, bytes. */
  offset: number;
  /** More fragments follow (the MF flag). */
  more: boolean;
}

/** An IPv4 header. */
export interface Ipv4Layer {
  /** The layer's name. */
  layer: "ipv4";
  /** Version: 4 (a header that says otherwise is not decoded). */
  version?: number;
  /** Header length in 32-bit words (5 without options). */
  ihl?: number;
  /** Type of service: DSCP in the high six bits, ECN in the low two. */
  tos?: number;
  /** The total length field. */
  len: number;
  /** Identification. */
  id?: number;
  /** The reserved flag (RFC 3514's "evil bit"): must be zero. */
  rb?: boolean;
  /** Don't fragment. */
  df?: boolean;
  /** More fragments. */
  mf?: boolean;
  /** Fragment offset, bytes (the field times 8). */
  offset?: number;
  /** Time to live. */
  ttl: number;
  /** The upper-layer protocol number (6 TCP, 17 UDP, 1 ICMP, ...). */
  protocol: number;
  /** Header checksum, as carried. */
  checksum?: number;
  /** Source address, dotted. */
  src: string;
  /** Destination address, dotted. */
  dst: string;
  /** Options, raw, as lowercase hex (present when `ihl` is over 5). */
  options?: string;
  /** Present only when the datagram is fragmented. */
  frag?: Fragment;
}

/** An IPv6 header, with its extension headers walked. */
export interface Ipv6Layer {
  /** The layer's name. */
  layer: "ipv6";
  /** Version: 6. */
  version?: number;
  /** Traffic class. */
  tc?: number;
  /** Flow label. */
  fl?: number;
  /** The payload length field. */
  len: number;
  /** The next header field of the fixed header. */
  nh?: number;
  /** The upper-layer protocol number after any extension headers. */
  next: number;
  /** Hop limit. */
  hlim: number;
  /** Source address, RFC 5952 form. */
  src: string;
  /** Destination address, RFC 5952 form. */
  dst: string;
}

/** An ICMP or ICMPv6 message. */
export interface IcmpLayer {
  /** The layer's name. */
  layer: "icmp" | "icmpv6";
  /** Message type (8 echo request, 135 neighbour solicitation, ...). */
  type: number;
  /** Message code. */
  code: number;
  /** Checksum, as carried. */
  checksum?: number;
  /** Identifier (echo; ICMP timestamp, information, address mask). */
  id?: number;
  /** Sequence number, in the same messages. */
  seq?: number;
  /**
   * In other messages, the 32-bit word after the checksum, whatever it
   * holds there (unused, a pointer, an MTU, neighbour advertisement flags),
   * so the message can be built again.
   */
  rest?: number;
}

/** A UDP header. */
export interface UdpLayer {
  /** The layer's name. */
  layer: "udp";
  /** Source port. */
  sport: number;
  /** Destination port. */
  dport: number;
  /** The length field (header and data). */
  len: number;
  /** Checksum, as carried (0: none, over IPv4). */
  checksum?: number;
}

/** A TCP option: `kind`, and its data (lowercase hex) when it has any. */
export interface TcpOption {
  /** Option kind: 0 end of list, 1 no-op, 2 MSS, 3 window scale, ... */
  kind: number;
  /**
   * The option's data after kind and length, lowercase hex; for an end of
   * list, the bytes after it when they are not all zeros.
   */
  data?: string;
  /**
   * A malformed option's length byte as sent (under 2, or past the
   * header's end): its `data` then runs to the header's end; -1 when the
   * header ends right after the kind.
   */
  len?: number;
}

/** A TCP header. */
export interface TcpLayer {
  /** The layer's name. */
  layer: "tcp";
  /** Source port. */
  sport: number;
  /** Destination port. */
  dport: number;
  /** Sequence number, absolute (as `tcpdump -S`). */
  seq: number;
  /** Acknowledgement number, absolute. */
  ack: number;
  /** Header length in 32-bit words (5 without options). */
  dataofs?: number;
  /** The four bits after the data offset: three reserved and AccECN's AE. */
  reserved?: number;
  /** tcpdump's letters: `S`, `S.`, `P.`, `F.`, `R`, `.`, or `none`. */
  flags: string;
  /** Window. */
  window?: number;
  /** Checksum, as carried. */
  checksum?: number;
  /** Urgent pointer. */
  urg?: number;
  /** Options in order, when the header has any. */
  options?: TcpOption[];
}

/** An 802.2 LLC header. */
export interface LlcLayer {
  /** The layer's name. */
  layer: "llc";
  /** Destination service access point, the whole byte. */
  dsap: number;
  /** Source service access point, the whole byte. */
  ssap: number;
  /** One byte for U frames, two for I and S frames. */
  control: number;
}

/** A SNAP header (after LLC AA AA 03). */
export interface SnapLayer {
  /** The layer's name. */
  layer: "snap";
  /** Organisation code. */
  oui: number;
  /** Protocol ID: an EtherType when `oui` is 0. */
  pid: number;
}

/** An LLDP data unit. */
export interface LldpLayer {
  /** The layer's name. */
  layer: "lldp";
  /** Chassis ID: a MAC, an address, or the ID as text (hex if binary). */
  chassis?: string;
  /** Port ID, the same way. */
  port?: string;
  /** Time to live, seconds. */
  ttl?: number;
  /** System name. */
  name?: string;
  /** Port description. */
  descr?: string;
  /**
   * Every TLV, in order, End included: what the named fields above are
   * read from, and what the unit is built from again.
   */
  tlvs: LldpTlv[];
}

/** One LLDP TLV. */
export interface LldpTlv {
  /** Its type: 0 End, 1 chassis ID, 2 port ID, 3 TTL, 127 organisation... */
  type: number;
  /** Its value, lowercase hex (a chassis or port ID's subtype first). */
  data: string;
}

/** A spanning tree BPDU. */
export interface StpLayer {
  /** The layer's name. */
  layer: "stp";
  /** Protocol identifier: 0 for spanning tree. */
  protocol?: number;
  /** Protocol version: 0 STP, 2 RSTP, 3 MSTP. */
  version: number;
  /** BPDU type: 0 configuration, 2 RST/MST, 0x80 topology change. */
  bpdu: number;
  /** Root bridge: priority in hex, a dot, the MAC (`8000.00:11:...`). */
  root?: string;
  /** Sending bridge, as `root`. */
  bridge?: string;
  /** Root path cost. */
  cost?: number;
  /** Flags: 0x01 topology change, 0x02 proposal, 0x10 learn, ... */
  flags?: number;
  /** Port ID: priority and number. */
  port?: number;
  /** Message age, seconds. */
  age?: number;
  /** Max age, seconds. */
  maxage?: number;
  /** Hello time, seconds. */
  hello?: number;
  /** Forward delay, seconds. */
  forward?: number;
  /** RSTP and MSTP: the version 1 length. */
  v1len?: number;
}

/** One end of a LACP exchange. */
export interface LacpPartner {
  /** System priority. */
  sys_priority: number;
  /** System ID (a MAC). */
  system: string;
  /** Operational key. */
  key: number;
  /** Port priority. */
  port_priority: number;
  /** Port number. */
  port: number;
  /**
   * State bits: 0x01 activity, 0x02 timeout, 0x04 aggregation, 0x08
   * synchronisation, 0x10 collecting, 0x20 distributing, 0x40 defaulted,
   * 0x80 expired.
   */
  state: number;
}

/** A LACP data unit (LACPDU). */
export interface LacpLayer {
  /** The layer's name. */
  layer: "lacp";
  /** The LACP version (1). */
  version: number;
  /** The sender's side. */
  actor: LacpPartner;
  /** What the sender knows of the other side. */
  partner: LacpPartner;
  /** The collector's max delay, tens of microseconds (a whole PDU only). */
  max_delay?: number;
}

/** rawframe's echo (ping) header (lib/echo.ts). */
export interface EchoLayer {
  /** The layer's name. */
  layer: "echo";
  /** Request or reply. */
  kind: "request" | "reply";
  /** The pinger's identifier. */
  id: number;
  /** Sequence number. */
  seq: number;
  /** A reply's hold time: how long the responder held the request, ms. */
  hold_ms?: number;
}

/**
 * The bytes a frame carries after the last header rawframe decodes (an
 * application's data, a quoted packet, a fragment), up to the end of the
 * datagram; present when every layer before it can be built again.
 */
export interface DataLayer {
  /** The layer's name. */
  layer: "raw";
  /** The bytes, lowercase hex. */
  data: string;
}

/** Any decoded layer. */
export type Layer =
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | IcmpLayer
  | UdpLayer
  | TcpLayer
  | GreLayer
  | EspLayer
  | AhLayer
  | VxlanLayer
  | GeneveLayer
  | EtherLayer
  | MplsLayer
  | PppoeLayer
  | VrrpLayer
  | IgmpLayer
  | NtpLayer
  | PtpLayer
  | CdpLayer
  | HsrpLayer
  | EapolLayer
  | EapLayer
  | DnsLayer
  | DhcpLayer
  | Dhcp6Layer
  | LlcLayer
  | SnapLayer
  | LldpLayer
  | StpLayer
  | LacpLayer
  | EchoLayer
  | DataLayer;

/** What a decoder made of its part of a frame. */
export interface Part {
  /** Its summary, in tcpdump's words where tcpdump has them. */
  text: string;
  /** Its layer and those under it. */
  layers: Layer[];
}
