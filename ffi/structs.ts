/**
 * C struct layouts (64-bit Linux) of the socket API, as offset tables, with
 * small encode functions. The ring headers are in ring_structs.ts.
 * tests/structs_test.ts checks every offset and size here against the
 * kernel and glibc headers by compiling them with the machine's cc.
 *
 * @module
 */

import { AF_PACKET, IFNAMSIZ } from "./constants.ts";
import { native } from "./native/runtime.ts";
import type { BpfInstruction } from "../contract/types.ts";

/** `struct sockaddr_ll` from <linux/if_packet.h>. */
export const SOCKADDR_LL = {
  size: 20,
  family: 0, // u16, host order
  protocol: 2, // u16, network order
  ifindex: 4, // i32
  hatype: 8, // u16
  pkttype: 10, // u8
  halen: 11, // u8
  addr: 12, // u8[8]
} as const;

/** `struct ifreq` from <net/if.h>: a name, then a union. */
export const IFREQ = {
  size: 40,
  name: 0, // char[IFNAMSIZ]
  hwaddr: 16, // struct sockaddr: sa_family u16, then sa_data
  mtu: 16, // int
  flags: 16, // short
} as const;

/** `struct if_nameindex` from <net/if.h>; arrays of it end with index 0. */
export const IF_NAMEINDEX = { size: 16, index: 0, name: 8 } as const;

/** `struct pollfd` from <poll.h>. */
export const POLLFD = {
  size: 8,
  fd: 0, // int
  events: 4, // short
  revents: 6, // short
} as const;

/** `struct iovec` from <sys/uio.h>. */
export const IOVEC = { size: 16, base: 0, len: 8 } as const;

/** `struct msghdr` from <sys/socket.h>. */
export const MSGHDR = {
  size: 56,
  name: 0, // void *
  namelen: 8, // socklen_t
  iov: 16, // struct iovec *
  iovlen: 24, // size_t
  control: 32, // void *
  controllen: 40, // size_t
  flags: 48, // int
} as const;

/** `struct mmsghdr` from <sys/socket.h>: a msghdr, then bytes sent. */
export const MMSGHDR = { size: 64, hdr: 0, len: 56 } as const;

/** `struct cmsghdr` from <sys/socket.h>; data follows at `size`. */
export const CMSGHDR = { size: 16, len: 0, level: 8, type: 12 } as const;

/** `struct tpacket_auxdata` from <linux/if_packet.h>. */
export const TPACKET_AUXDATA = {
  size: 20,
  status: 0, // u32
  len: 4, // u32
  snaplen: 8, // u32
  mac: 12, // u16
  net: 14, // u16
  vlanTci: 16, // u16
  vlanTpid: 18, // u16
} as const;

/** `struct tpacket_stats` from <linux/if_packet.h>. */
export const TPACKET_STATS = { size: 8, packets: 0, drops: 4 } as const;

/** `struct sock_filter` (one classic BPF instruction) from <linux/filter.h>. */
export const SOCK_FILTER = { size: 8, code: 0, jt: 2, jf: 3, k: 4 } as const;

/** `struct sock_fprog` from <linux/filter.h>. */
export const SOCK_FPROG = { size: 16, len: 0, filter: 8 } as const;

/** `struct bpf_program` from <pcap/bpf.h>: what pcap_compile() fills in. */
export const BPF_PROGRAM = { size: 16, len: 0, insns: 8 } as const;

/**
 * `struct pcap_pkthdr` from <pcap/pcap.h>: a frame's lengths for
 * pcap_offline_filter() (its timestamp is not looked at).
 */
export const PCAP_PKTHDR = { size: 24, caplen: 16, len: 20 } as const;

/** `struct packet_mreq` from <linux/if_packet.h>. */
export const PACKET_MREQ = {
  size: 16,
  ifindex: 0, // int
  type: 4, // unsigned short
  alen: 6, // unsigned short
  address: 8, // unsigned char[8]
} as const;

/** `struct timespec` from <time.h>. */
export const TIMESPEC = { size: 16, sec: 0, nsec: 8 } as const;

/**
 * `struct scm_timestamping` from <linux/errqueue.h>: three timespecs, of
 * which the first holds software stamps.
 */
export const SCM_TIMESTAMPING_TS = { size: 48, software: 0 } as const;

/** `struct sock_extended_err` from <linux/errqueue.h>. */
export const SOCK_EXTENDED_ERR = {
  size: 16,
  errno: 0, // u32
  origin: 4, // u8
  type: 5, // u8
  code: 6, // u8
  pad: 7, // u8
  info: 8, // u32: SCM_TSTAMP_SND or _SCHED
  data: 12, // u32: the frame's number (SOF_TIMESTAMPING_OPT_ID)
} as const;

/** Rounds a control-message length up as CMSG_ALIGN does. */
export function cmsgAlign(length: number): number {
  return (length + 7) & ~7;
}

/**
 * The address of a buffer, as the bigint a struct field needs. The buffer
 * must come from {@linkcode pinnedBytes}, and the caller keeps it
 * referenced for as long as the address is in use.
 */
export function addressOf(buffer: Uint8Array): bigint {
  return native.addressOf(buffer);
}

/**
 * `size` zeroed bytes that never move: memory whose address a struct
 * holds or an off-thread call uses. Bun and V8 keep a small typed array
 * inside the moving heap until its buffer is asked for; one made over its
 * own ArrayBuffer lives outside it from the start.
 */
export function pinnedBytes(size: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(size));
}

/** A NUL-terminated copy of `text`, for `const char *` parameters. */
export function cString(text: string): Uint8Array {
  return new TextEncoder().encode(`${text}\0`);
}

/** The text of a NUL-terminated string in `bytes`. */
export function fromCString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/**
 * Encodes a `sockaddr_ll` for bind(): `protocol` is the host-order
 * EtherType (0 = receive nothing), `ifindex` the interface.
 */
export function encodeSockaddrLl(
  protocol: number,
  ifindex: number,
): Uint8Array {
  const bytes = new Uint8Array(SOCKADDR_LL.size);
  const view = new DataView(bytes.buffer);
  view.setUint16(SOCKADDR_LL.family, AF_PACKET, true);
  view.setUint16(SOCKADDR_LL.protocol, protocol, false);
  view.setInt32(SOCKADDR_LL.ifindex, ifindex, true);
  return bytes;
}

/** An `ifreq` with `name` filled in, for the SIOCGIF* ioctls. */
export function encodeIfreq(name: string): Uint8Array {
  const bytes = new Uint8Array(IFREQ.size);
  const encoded = new TextEncoder().encode(name);
  bytes.set(encoded.subarray(0, IFNAMSIZ - 1), IFREQ.name);
  return bytes;
}

/** A `pollfd` array watching each descriptor for `events`. */
export function encodePollfds(
  fds: readonly number[],
  events: number,
): Uint8Array {
  const bytes = pinnedBytes(POLLFD.size * fds.length);
  const view = new DataView(bytes.buffer);
  fds.forEach((fd, i) => {
    view.setInt32(i * POLLFD.size + POLLFD.fd, fd, true);
    view.setInt16(i * POLLFD.size + POLLFD.events, events, true);
  });
  return bytes;
}

/**
 * A `sock_fprog` pointing at `program` (encoded `sock_filter`s); the
 * caller keeps `program` referenced while the kernel reads it.
 */
export function encodeSockFprog(program: Uint8Array): Uint8Array {
  const bytes = pinnedBytes(SOCK_FPROG.size);
  const view = new DataView(bytes.buffer);
  view.setUint16(SOCK_FPROG.len, program.byteLength / SOCK_FILTER.size, true);
  view.setBigUint64(SOCK_FPROG.filter, addressOf(program), true);
  return bytes;
}

/** Encodes instructions as an array of `struct sock_filter`. */
export function encodeSockFilters(
  program: readonly BpfInstruction[],
): Uint8Array {
  const bytes = pinnedBytes(SOCK_FILTER.size * program.length);
  const view = new DataView(bytes.buffer);
  program.forEach((ins, i) => {
    const at = i * SOCK_FILTER.size;
    view.setUint16(at + SOCK_FILTER.code, ins.code, true);
    view.setUint8(at + SOCK_FILTER.jt, ins.jt);
    view.setUint8(at + SOCK_FILTER.jf, ins.jf);
    view.setUint32(at + SOCK_FILTER.k, ins.k >>> 0, true);
  });
  return bytes;
}

/** Decodes an array of `struct sock_filter` (libpcap's `bpf_insn`). */
export function decodeSockFilters(bytes: DataView): BpfInstruction[] {
  const program: BpfInstruction[] = [];
  for (let at = 0; at + SOCK_FILTER.size <= bytes.byteLength;) {
    program.push({
      code: bytes.getUint16(at + SOCK_FILTER.code, true),
      jt: bytes.getUint8(at + SOCK_FILTER.jt),
      jf: bytes.getUint8(at + SOCK_FILTER.jf),
      k: bytes.getUint32(at + SOCK_FILTER.k, true),
    });
    at += SOCK_FILTER.size;
  }
  return program;
}

/** A `packet_mreq` for PACKET_ADD_MEMBERSHIP of `type` on `ifindex`. */
export function encodePacketMreq(ifindex: number, type: number): Uint8Array {
  const bytes = new Uint8Array(PACKET_MREQ.size);
  const view = new DataView(bytes.buffer);
  view.setInt32(PACKET_MREQ.ifindex, ifindex, true);
  view.setUint16(PACKET_MREQ.type, type, true);
  return bytes;
}

/** A native-endian 32-bit integer, for int-valued socket options. */
export function encodeInt(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value, true);
  return bytes;
}
