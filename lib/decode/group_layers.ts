/**
 * The layers of the services a LAN's hosts and routers share: VRRP
 * and HSRP (routers sharing an address), IGMP (hosts joining multicast
 * groups), NTP (time) and 802.1X's EAPOL and EAP (port access). Types only; lib/decode/layers.ts gathers them with the
 * rest.
 *
 * @module
 */

/**
 * VRRP (`vrrp`, RFC 3768 and 5798): an advertisement of a virtual router.
 * Version 2's authentication data, if any, follows as `raw`.
 */
export interface VrrpLayer {
  /** The layer's name. */
  layer: "vrrp";
  /** 2 or 3 (vrrp.version). */
  version: number;
  /** 1: advertisement (vrrp.type). */
  type: number;
  /** Virtual router ID (vrrp.virt_rtr_id). */
  vrid: number;
  /** Priority (vrrp.prio). */
  prio: number;
  /** Count of addresses (vrrp.addr_count). */
  count: number;
  /** Version 2: authentication type, 0 none, 1 simple (vrrp.auth_type). */
  authtype?: number;
  /** Version 3: the 4 reserved bits (vrrp.reserved_mbz). */
  reserved?: number;
  /** Advertisement interval: seconds (v2), centiseconds (v3). */
  intvl: number;
  /** Checksum (vrrp.checksum). */
  checksum: number;
  /** The virtual router's addresses, IPv4 or IPv6. */
  addrs: string[];
}

/**
 * IGMP (`igmp`): the type, max response code and checksum of every
 * message; a query's or report's group; a v3 query's flags and sources;
 * a v3 report's group records.
 */
export interface IgmpLayer {
  /** The layer's name. */
  layer: "igmp";
  /** 0x11 query, 0x12 v1 report, 0x16 v2 report, 0x17 leave, 0x22 v3 report (igmp.type). */
  type: number;
  /** Max response code (igmp.max_resp); unused, 0, in v1. */
  mrc: number;
  /** Checksum (igmp.checksum). */
  checksum: number;
  /** The group (igmp.maddr); not in a v3 report. */
  group?: string;
  /** A v3 report's reserved word; a v3 query's 4 reserved bits, when set. */
  reserved?: number;
  /** A v3 query's suppress flag (igmp.s). */
  s?: boolean;
  /** A v3 query's robustness variable (igmp.qrv). */
  qrv?: number;
  /** A v3 query's interval code (igmp.qqic). */
  qqic?: number;
  /** A v3 query's sources (igmp.saddr). */
  sources?: string[];
  /** A v3 report's group records. */
  records?: IgmpRecord[];
}

/** One group record of an IGMPv3 report. */
export interface IgmpRecord {
  /** 1 is_in, 2 is_ex, 3 to_in, 4 to_ex, 5 allow, 6 block (igmp.record_type). */
  type: number;
  /** The multicast group (igmp.maddr). */
  group: string;
  /** The sources (igmp.saddr). */
  sources: string[];
}

/**
 * An NTP header (`ntp`, RFC 5905): the mode and clock fields; the four
 * timestamps as on the wire, 16 hex digits (32 bits of seconds since 1900,
 * 32 of fraction). Extension fields and a MAC follow as `raw`.
 */
export interface NtpLayer {
  /** The layer's name. */
  layer: "ntp";
  /** Leap indicator (ntp.flags.li). */
  li: number;
  /** Version (ntp.flags.vn). */
  version: number;
  /** Mode: 3 client, 4 server, ... (ntp.flags.mode). */
  mode: number;
  /** Stratum (ntp.stratum). */
  stratum: number;
  /** Poll interval, log2 seconds (ntp.ppoll). */
  poll: number;
  /** Precision, log2 seconds, as its byte (ntp.precision). */
  precision: number;
  /** Root delay, 16.16 fixed point (ntp.rootdelay). */
  rootdelay: number;
  /** Root dispersion, 16.16 fixed point (ntp.rootdispersion). */
  rootdisp: number;
  /** Reference ID, hex (ntp.refid). */
  refid: string;
  /** Reference timestamp (ntp.reftime). */
  reftime: string;
  /** Origin timestamp (ntp.org). */
  org: string;
  /** Receive timestamp (ntp.rec). */
  rec: string;
  /** Transmit timestamp (ntp.xmt). */
  xmt: string;
}

/** An HSRP version 0 message (`hsrp`, RFC 2281). */
export interface HsrpLayer {
  /** The layer's name. */
  layer: "hsrp";
  /** Version, 0 (hsrp.version). */
  version: number;
  /** Op code: 0 hello, 1 coup, 2 resign (hsrp.opcode). */
  op: number;
  /** State: 16 active, 8 standby, 4 speak, ... (hsrp.state). */
  state: number;
  /** Hello time, seconds (hsrp.hellotime). */
  hello: number;
  /** Hold time, seconds (hsrp.holdtime). */
  hold: number;
  /** Priority (hsrp.priority). */
  prio: number;
  /** Standby group (hsrp.group). */
  group: number;
  /** Reserved (hsrp.reserved). */
  reserved: number;
  /** Authentication data, 8 bytes as hex ("cisco" padded with zeros by default). */
  auth: string;
  /** The virtual IP address (hsrp.virt_ip). */
  addr: string;
}

/** 802.1X (`eapol`): version, packet type and body length. */
export interface EapolLayer {
  /** The layer's name. */
  layer: "eapol";
  /** Version, 1 to 3 (eapol.version). */
  version: number;
  /** 0 EAP packet, 1 start, 2 logoff, 3 key (eapol.type). */
  type: number;
  /** Length of the body (eapol.len). */
  len: number;
}

/** An EAP packet's header (`eap`); its data follows as `raw`. */
export interface EapLayer {
  /** The layer's name. */
  layer: "eap";
  /** 1 request, 2 response, 3 success, 4 failure (eap.code). */
  code: number;
  /** Identifier (eap.id). */
  id: number;
  /** Length, header included (eap.len). */
  len: number;
  /** A request's or response's type: 1 identity, ... (eap.type). */
  type?: number;
}

/**
 * A PTP version 2 message (`ptp`, IEEE 1588): the common header, the
 * message's timestamp (sync, delay request and response, follow-up, peer
 * delay messages, announce) and the port identity it names; the rest of
 * its body (an announce's grandmaster, a management TLV) is data.
 */
export interface PtpLayer {
  /** The layer's name. */
  layer: "ptp";
  /** majorSdoId, the transport-specific nibble (ptp.v2.majorsdoid). */
  sdoid: number;
  /** 0 sync, 1 delay req, 8 follow up, 9 delay resp, 0xb announce, ... (ptp.v2.messagetype). */
  msgtype: number;
  /** minorVersionPTP (ptp.v2.minorversionptp). */
  minor: number;
  /** versionPTP, 2 (ptp.v2.versionptp). */
  version: number;
  /** Message length (ptp.v2.messagelength). */
  len: number;
  /** Domain number (ptp.v2.domainnumber). */
  domain: number;
  /** minorSdoId, once reserved (ptp.v2.minorsdoid). */
  minorsdoid: number;
  /** Flags: 0x0200 two-step, 0x0008 PTP timescale, ... (ptp.v2.flags). */
  flags: number;
  /** Correction, whole nanoseconds: its high 48 bits (ptp.v2.correction.ns). */
  correction: number;
  /** Correction, the fraction: its low 16 bits (ptp.v2.correction.subns). */
  subns: number;
  /** messageTypeSpecific, once reserved (ptp.v2.messagetypespecific). */
  specific: number;
  /** Source clock identity, 16 hex digits (ptp.v2.clockidentity). */
  clock: string;
  /** Source port number (ptp.v2.sourceportid). */
  port: number;
  /** Sequence ID (ptp.v2.sequenceid). */
  seq: number;
  /** Control field (ptp.v2.controlfield). */
  control: number;
  /** log2 of the message interval, signed (ptp.v2.logmessageperiod). */
  interval: number;
  /** The message's timestamp, seconds (48 bits). */
  seconds?: number;
  /** The message's timestamp, nanoseconds. */
  nanoseconds?: number;
  /** The port identity the message names (requesting, target): 20 hex digits. */
  target?: string;
}

/** A CDP TLV: its type and value (hex). */
export interface CdpTlv {
  /** 1 Device-ID, 2 Addresses, 3 Port-ID, 4 Capabilities, 5 Version, 6 Platform, ... (cdp.tlv.type). */
  type: number;
  /** The value, hex. */
  data: string;
}

/** A CDP packet (`cdp`): its header and every TLV in order. */
export interface CdpLayer {
  /** The layer's name. */
  layer: "cdp";
  /** Version, 1 or 2 (cdp.version). */
  version: number;
  /** Time to live, seconds (cdp.ttl). */
  ttl: number;
  /** Checksum (cdp.checksum). */
  checksum: number;
  /** The TLVs, in order. */
  tlvs: CdpTlv[];
  /** The first Device-ID TLV's value, when it is printable text (cdp.deviceid). */
  deviceid?: string;
}
