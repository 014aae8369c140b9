/**
 * C struct layouts of the packet rings (<linux/if_packet.h>): the requests
 * that size a ring and the headers the kernel writes into it. Checked
 * against the kernel headers by tests/structs_test.ts.
 *
 * @module
 */

/** `struct tpacket_req`: geometry of a TPACKET_V2 ring. */
export const TPACKET_REQ = {
  size: 16,
  blockSize: 0,
  blockNr: 4,
  frameSize: 8,
  frameNr: 12,
} as const;

/** `struct tpacket_req3`: geometry of a TPACKET_V3 ring. */
export const TPACKET_REQ3 = {
  size: 28,
  blockSize: 0,
  blockNr: 4,
  frameSize: 8,
  frameNr: 12,
  retireBlockTimeout: 16,
  sizeofPriv: 20,
  featureReqWord: 24,
} as const;

/** `struct tpacket_block_desc` with its `tpacket_hdr_v1` (hdr.bh1). */
export const TPACKET_BLOCK_DESC = {
  version: 0,
  blockStatus: 8,
  numPackets: 12,
  offsetToFirstPacket: 16,
} as const;

/** `struct tpacket3_hdr`; the frame's sockaddr_ll follows at `size`. */
export const TPACKET3_HDR = {
  size: 48,
  nextOffset: 0,
  sec: 4,
  nsec: 8,
  snaplen: 12,
  len: 16,
  status: 20,
  mac: 24,
  net: 26,
  vlanTci: 32, // hv1.tp_vlan_tci
  vlanTpid: 36, // hv1.tp_vlan_tpid
} as const;

/** `struct tpacket2_hdr`: the header of each TPACKET_V2 slot. */
export const TPACKET2_HDR = {
  size: 32,
  status: 0,
  len: 4,
  snaplen: 8,
  mac: 12,
  net: 14,
} as const;

/**
 * Where a TX slot's frame starts: TPACKET2_HDRLEN - sizeof(struct
 * sockaddr_ll), as the kernel's tpacket_snd() expects without
 * PACKET_TX_HAS_OFF.
 */
export const TPACKET2_TX_DATA = 32;

/** Bytes per TPACKET_V3 frame slot the request names (frames vary in size). */
export const TPACKET3_FRAME_SIZE = 2048;
