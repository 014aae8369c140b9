/**
 * The layers a frame can be built from: each decoded layer's type with
 * its fields optional (what is left out is defaulted or computed), and a
 * `raw` layer of bytes. What `read --json` shows under `layers` can be
 * given back as it is. Pure.
 *
 * @module
 */

import type {
  AhLayer,
  ArpLayer,
  CdpLayer,
  CdpTlv,
  Dhcp6Layer,
  DhcpLayer,
  DhcpOption,
  DnsLayer,
  DnsQuestion,
  DnsRecord,
  EapLayer,
  EapolLayer,
  EspLayer,
  EtherLayer,
  GeneveLayer,
  GreLayer,
  HsrpLayer,
  IcmpLayer,
  IgmpLayer,
  IgmpRecord,
  Ipv4Layer,
  Ipv6Layer,
  LacpLayer,
  LacpPartner,
  LlcLayer,
  LldpLayer,
  MplsLabel,
  MplsLayer,
  NtpLayer,
  PppoeLayer,
  PppoeTag,
  PtpLayer,
  SnapLayer,
  StpLayer,
  TcpLayer,
  UdpLayer,
  VrrpLayer,
  VxlanLayer,
} from "../decode/layers.ts";

/** A decoded layer's type with every field but `layer` optional. */
export type Buildable<T extends { layer: string }> =
  & Pick<T, "layer">
  & Partial<Omit<T, "layer">>;

/** Bytes to put as they are: an application payload, or any header. */
export interface RawLayer {
  /** The layer's name. */
  layer: "raw";
  /** The bytes, as hex (`"48690a"`, colons allowed) or a Uint8Array. */
  data: string | Uint8Array;
}

/** An ARP packet to build: defaults are an Ethernet/IPv4 request. */
export type ArpBuild = Buildable<ArpLayer>;
/** An IPv4 header to build: lengths, protocol and checksum computed. */
export type Ipv4Build = Buildable<Ipv4Layer>;
/** An IPv6 header to build: payload length and next header computed. */
export type Ipv6Build = Buildable<Ipv6Layer>;
/** An ICMP or ICMPv6 message to build: checksum computed. */
export type IcmpBuild = Buildable<IcmpLayer>;
/** A UDP header to build: length and checksum computed. */
export type UdpBuild = Buildable<UdpLayer>;
/** A TCP header to build: data offset and checksum computed. */
export type TcpBuild = Buildable<TcpLayer>;

/**
 * A GRE header to build: the flags follow the fields given (checksum,
 * key, seq; ack for version 1) unless given themselves; the protocol
 * follows the next layer; a checksum flag with no checksum computes it.
 */
export type GreBuild = Buildable<GreLayer>;
/** An ESP header to build (SPI, sequence number); what follows is its data. */
export type EspBuild = Buildable<EspLayer>;
/** An AH header to build: next header and length computed; ICV as given (zeros by default). */
export type AhBuild = Omit<Buildable<AhLayer>, "icv"> & {
  icv?: string | Uint8Array;
};

/** A VXLAN header to build (flags 0x08: a valid VNI, by default). */
export type VxlanBuild = Buildable<VxlanLayer>;
/** A Geneve header to build: option length and protocol computed. */
export type GeneveBuild = Omit<Buildable<GeneveLayer>, "options"> & {
  options?: string | Uint8Array;
};
/** A carried frame's Ethernet header to build: `dst` and `src` needed. */
export type EtherBuild = Buildable<EtherLayer>;

/**
 * A VRRP advertisement to build: version 2 over IPv4, 3 over IPv6 by
 * default; count and checksum computed.
 */
export type VrrpBuild = Buildable<VrrpLayer>;

/**
 * An IGMP message to build: a v2 report by default; v3 query fields make
 * a v3 query, type 0x22 with `records` a v3 report; checksum computed.
 */
export type IgmpBuild =
  & Omit<Buildable<IgmpLayer>, "records">
  & { records?: Partial<IgmpRecord>[] };

/** An EAPOL header to build: body length computed; type 0 before EAP, else a start. */
export type EapolBuild = Buildable<EapolLayer>;
/** An EAP header to build: a request by default, its length computed. */
export type EapBuild = Buildable<EapLayer>;

/** An HSRP version 0 message to build: an active router's hello by default. */
export type HsrpBuild = Buildable<HsrpLayer>;

/** A DNS question to build: type A and class IN by default. */
export type DnsQuestionBuild = Partial<DnsQuestion> & { name: string };
/**
 * A DNS record to build: type A, class IN, TTL 0 by default; its data as
 * text (`data`, for A, AAAA, NS, CNAME, PTR, DNAME, MX, SRV, SOA) or hex
 * (`rdata`).
 */
export type DnsRecordBuild = Partial<DnsRecord> & { name: string };
/**
 * A DNS message to build: a standard query with recursion desired
 * (`flags` 0x0100) and ID 0 by default; the counts follow the lists.
 *
 * @example A query for an AAAA record
 * ```ts
 * import type { DnsBuild } from "@rawframe/rawframe/build";
 *
 * const query: DnsBuild = {
 *   layer: "dns",
 *   id: 7,
 *   questions: [{ name: "example.com.", type: 28 }],
 * };
 * ```
 */
export type DnsBuild =
  & Omit<
    Buildable<DnsLayer>,
    "questions" | "answers" | "authority" | "additional"
  >
  & {
    questions?: DnsQuestionBuild[];
    answers?: DnsRecordBuild[];
    authority?: DnsRecordBuild[];
    additional?: DnsRecordBuild[];
  };

/**
 * A BOOTP/DHCPv4 message to build: a DHCPDISCOVER by default. `options`
 * is exact when given; `msgtype`, `server`, `requested`, `lease` and
 * `hostname` replace their option's value or add the option.
 */
export type DhcpBuild =
  & Omit<Buildable<DhcpLayer>, "options">
  & { options?: DhcpOption[] };

/** A DHCPv6 message to build: a solicit by default, the options as given. */
export type Dhcp6Build =
  & Omit<Buildable<Dhcp6Layer>, "options">
  & { options?: DhcpOption[] };

/**
 * An MPLS label stack to build: TTL 64, traffic class 0, the last entry's
 * bottom-of-stack bit set, unless given.
 */
export type MplsBuild = Omit<Buildable<MplsLayer>, "labels"> & {
  labels?: Partial<MplsLabel>[];
};

/**
 * A PPPoE header to build: a session packet carrying the next layer by
 * default; a discovery packet (`code` not 0) with `tags`.
 */
export type PppoeBuild = Omit<Buildable<PppoeLayer>, "tags"> & {
  tags?: Partial<PppoeTag>[];
};

/** A PTP version 2 message to build: a sync by default, its length computed. */
export type PtpBuild = Buildable<PtpLayer>;

/**
 * A CDP packet to build: version 2, TTL 180, checksum computed; `tlvs`
 * exact, `deviceid` setting the Device-ID TLV.
 */
export type CdpBuild = Omit<Buildable<CdpLayer>, "tlvs"> & {
  tlvs?: Partial<CdpTlv>[];
};

/** An NTP header to build: a version 4 client request by default. */
export type NtpBuild = Buildable<NtpLayer>;

/** An 802.2 LLC header to build: SAPs follow the next layer. */
export type LlcBuild = Buildable<LlcLayer>;
/** A SNAP header to build: OUI and protocol follow the next layer. */
export type SnapBuild = Buildable<SnapLayer>;
/** A spanning tree BPDU to build (802.1D or RST). */
export type StpBuild = Buildable<StpLayer>;

/** An LLDP data unit to build: from its named fields, or its TLVs. */
export type LldpBuild = Buildable<LldpLayer>;
/** A LACPDU to build: each end's fields optional too. */
export type LacpBuild =
  & Buildable<Omit<LacpLayer, "actor" | "partner">>
  & { actor?: Partial<LacpPartner>; partner?: Partial<LacpPartner> };

/** Any layer a frame can be built from. */
export type BuildLayer =
  | ArpBuild
  | Ipv4Build
  | Ipv6Build
  | IcmpBuild
  | UdpBuild
  | TcpBuild
  | GreBuild
  | EspBuild
  | AhBuild
  | VxlanBuild
  | GeneveBuild
  | EtherBuild
  | VrrpBuild
  | IgmpBuild
  | DnsBuild
  | DhcpBuild
  | MplsBuild
  | PppoeBuild
  | PtpBuild
  | CdpBuild
  | Dhcp6Build
  | NtpBuild
  | HsrpBuild
  | EapolBuild
  | EapBuild
  | LlcBuild
  | SnapBuild
  | StpBuild
  | LldpBuild
  | LacpBuild
  | RawLayer;
