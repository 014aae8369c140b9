/**
 * The layers of tunnels: what carries a packet or a frame inside another
 * (GRE, ESP, AH, VXLAN, Geneve) and the inner frame's Ethernet header.
 * Types only; lib/decode/layers.ts gathers them with the rest.
 *
 * @module
 */

/**
 * GRE (Wireshark's `gre`): the flags and version word as it is, the
 * protocol of what it carries, and the optional fields its flags announce
 * (version 1, PPTP's, holds the call ID in `key` and may carry `ack`).
 */
export interface GreLayer {
  /** The layer's name. */
  layer: "gre";
  /** Flags and version (gre.flags_and_version), e.g. 0x3000: key, sequence. */
  flags: number;
  /** EtherType of the tunnelled packet (gre.proto). */
  proto: number;
  /** With the checksum flag (gre.checksum). */
  checksum?: number;
  /** With the checksum or routing flag (gre.offset). */
  offset?: number;
  /** With the key flag (gre.key). */
  key?: number;
  /** With the sequence flag (gre.sequence_number). */
  seq?: number;
  /** Version 1 with the ack flag (gre.ack_number). */
  ack?: number;
}

/** IPsec ESP's clear header (`esp`); what follows is encrypted data. */
export interface EspLayer {
  /** The layer's name. */
  layer: "esp";
  /** Security parameters index (esp.spi). */
  spi: number;
  /** Sequence number (esp.sequence). */
  seq: number;
}

/** IPsec AH (`ah`); the packet it authenticates follows. */
export interface AhLayer {
  /** The layer's name. */
  layer: "ah";
  /** Protocol of what follows (ah.next_header). */
  next: number;
  /** Header length in 32-bit words, less 2 (ah.length). */
  len: number;
  /** Reserved, zero (ah.reserved). */
  reserved: number;
  /** Security parameters index (ah.spi). */
  spi: number;
  /** Sequence number (ah.sequence). */
  seq: number;
  /** Integrity check value, hex (ah.icv). */
  icv?: string;
}

/** VXLAN (`vxlan`); an Ethernet frame follows. */
export interface VxlanLayer {
  /** The layer's name. */
  layer: "vxlan";
  /** The flags byte (0x08: a valid VNI). */
  flags: number;
  /** The three bytes after the flags (GPE's and GBP's fields, or zero). */
  reserved: number;
  /** The VXLAN network identifier (vxlan.vni). */
  vni: number;
  /** The last byte, reserved. */
  reserved2: number;
}

/** Geneve (`geneve`); what its protocol names follows. */
export interface GeneveLayer {
  /** The layer's name. */
  layer: "geneve";
  /** Version, 0 (geneve.version). */
  version: number;
  /** Length of the options in 32-bit words. */
  optlen: number;
  /** Flags: 0x80 OAM, 0x40 critical options (geneve.flags). */
  flags: number;
  /** EtherType of what follows: 0x6558 an Ethernet frame (geneve.proto_type). */
  proto: number;
  /** Virtual network identifier (geneve.vni). */
  vni: number;
  /** Reserved byte (geneve.reserved). */
  reserved: number;
  /** The options, hex (geneve.options). */
  options?: string;
}

/** An Ethernet header inside a tunnel (`ether`): the inner frame's. */
export interface EtherLayer {
  /** The layer's name. */
  layer: "ether";
  /** Destination MAC. */
  dst: string;
  /** Source MAC. */
  src: string;
  /** EtherType (or a VLAN tag's TPID). */
  type: number;
}

/** One entry of an MPLS label stack. */
export interface MplsLabel {
  /** The label, 20 bits (mpls.label). */
  label: number;
  /** Traffic class, 3 bits (mpls.exp). */
  tc: number;
  /** Bottom of stack (mpls.bottom). */
  s: boolean;
  /** Time to live (mpls.ttl). */
  ttl: number;
}

/** An MPLS label stack (`mpls`), outermost label first; the packet under it follows. */
export interface MplsLayer {
  /** The layer's name. */
  layer: "mpls";
  /** The stack's entries, the last with `s` set. */
  labels: MplsLabel[];
}

/** A PPPoE discovery tag: its type and value (hex). */
export interface PppoeTag {
  /** 0x0101 Service-Name, 0x0102 AC-Name, 0x0103 Host-Uniq, ... (pppoed.tag). */
  type: number;
  /** The value, hex. */
  data: string;
}

/**
 * A PPPoE header (`pppoe`): discovery (code set) with its tags, or a
 * session packet (code 0) with the PPP protocol of what it carries.
 */
export interface PppoeLayer {
  /** The layer's name. */
  layer: "pppoe";
  /** Version, 1 (pppoe.version). */
  version: number;
  /** Type, 1 (pppoe.type). */
  type: number;
  /** 0 session data, 0x09 PADI, 0x07 PADO, 0x19 PADR, 0x65 PADS, 0xa7 PADT (pppoe.code). */
  code: number;
  /** Session ID (pppoe.session_id). */
  session: number;
  /** Payload length (pppoe.payload_length). */
  len: number;
  /** Discovery's tags, in order. */
  tags?: PppoeTag[];
  /** A session's PPP protocol: 0x0021 IPv4, 0x0057 IPv6, 0xc021 LCP, ... (ppp.protocol). */
  proto?: number;
  /** The PPP protocol field was compressed to one byte (RFC 1661's PFC). */
  pfc?: boolean;
}
