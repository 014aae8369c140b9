/**
 * rawframe: send and receive raw Ethernet frames from Deno on Linux, through
 * AF_PACKET sockets opened with `Deno.dlopen` on libc. No native helper, no
 * compiled code: just `--allow-ffi` and CAP_NET_RAW (root, or setcap).
 *
 * This module is the core: {@linkcode RawSocket}, building and parsing
 * frames, interfaces, and the errors. The rest lives in subpath exports:
 * `@rawframe/rawframe/frame` (the pure frame module, usable anywhere),
 * `/decode` (what a frame carries: ARP, IP, TCP, LLDP, ..., pure too),
 * `/build` (frames from layers, checksums computed, pure too),
 * `/pcap` (reading and writing capture files), `/filter` (kernel filters:
 * ours and tcpdump expressions), `/series` (paced sending and replay),
 * `/ping` (the layer-2 echo), `/format` (lines and JSON records, as the
 * command line prints them) and `/cli`.
 *
 * @example Send "Hi" with EtherType 0x88b5, as pyng did, and read a reply
 * ```ts ignore
 * import { buildFrame, parseFrame, RawSocket } from "@rawframe/rawframe";
 *
 * using sock = RawSocket.open("eth0", { etherType: 0x88b5 });
 * sock.send(buildFrame({
 *   dst: "08:00:27:dd:d7:43",
 *   src: sock.interface.mac,
 *   type: 0x88b5,
 *   payload: "Hi",
 * }));
 * const reply = await sock.receive({ timeoutMs: 1000 });
 * if (reply) console.log(parseFrame(reply.bytes));
 * ```
 *
 * @module
 */

export {
  buildFrame,
  ETHER_TYPES,
  etherTypeName,
  formatMac,
  type Frame,
  type FrameInit,
  HEADER_SIZE,
  macBytes,
  type MacInput,
  MAX_VLAN_ID,
  MIN_FRAME_SIZE,
  packEtherType,
  parseEtherType,
  parseFrame,
  parseHex,
  parseMac,
  toHex,
  TPID_8021AD,
  TPID_8021Q,
  VLAN_TAG_SIZE,
  type VlanTag,
  vlanTag,
  type VlanTagInit,
} from "./lib/frame.ts";
export {
  type AhLayer,
  type ArpLayer,
  type CdpLayer,
  type CdpTlv,
  type DataLayer,
  type Decoded,
  decodeFrame,
  decodeLink,
  type Dhcp6Layer,
  type DhcpLayer,
  type DhcpOption,
  type DnsLayer,
  type DnsQuestion,
  type DnsRecord,
  type EapLayer,
  type EapolLayer,
  type EchoLayer,
  type EspLayer,
  type EtherLayer,
  type Fragment,
  type GeneveLayer,
  type GreLayer,
  type HsrpLayer,
  type IcmpLayer,
  type IgmpLayer,
  type IgmpRecord,
  type Ipv4Layer,
  type Ipv6Layer,
  type LacpLayer,
  type LacpPartner,
  type Layer,
  type Link,
  type LlcLayer,
  type LldpLayer,
  type LldpTlv,
  type MplsLabel,
  type MplsLayer,
  type NtpLayer,
  type PppoeLayer,
  type PppoeTag,
  type PtpLayer,
  type SnapLayer,
  type StpLayer,
  type TcpLayer,
  type TcpOption,
  type UdpLayer,
  type VrrpLayer,
  type VxlanLayer,
} from "./lib/decode.ts";
export {
  type AhBuild,
  type ArpBuild,
  type Buildable,
  type BuildLayer,
  buildPacket,
  type CdpBuild,
  type Dhcp6Build,
  type DhcpBuild,
  type DnsBuild,
  type DnsQuestionBuild,
  type DnsRecordBuild,
  type EapBuild,
  type EapolBuild,
  type EspBuild,
  type EtherBuild,
  type GeneveBuild,
  type GreBuild,
  type HsrpBuild,
  type IcmpBuild,
  type IgmpBuild,
  type Ipv4Build,
  type Ipv6Build,
  type LacpBuild,
  type LlcBuild,
  type LldpBuild,
  type MplsBuild,
  type NtpBuild,
  type PacketInit,
  type PppoeBuild,
  type PtpBuild,
  type RawLayer,
  type SnapBuild,
  type StpBuild,
  type TcpBuild,
  type UdpBuild,
  type VrrpBuild,
  type VxlanBuild,
} from "./lib/build.ts";
export {
  RawSocket,
  type ReceiveOptions,
  type SocketStats,
} from "./lib/socket.ts";
export {
  DEFAULT_RING,
  type OpenOptions,
  type RingSize,
} from "./lib/open_options.ts";
export type { CapturedFrame, ReceivedFrame } from "./lib/received_frame.ts";
export type {
  BlockTarget,
  NanosecondsPerUnit,
  RecordTarget,
} from "./contract/pcap_record.ts";
export type { CookedHeader } from "./lib/cooked.ts";
export type {
  BpfInstruction,
  Direction,
  PacketType,
  RingFrame,
  Timestamp,
  TransmitTimestamp,
} from "./contract/types.ts";
export { wallClock } from "./lib/clock.ts";
export {
  ANY_INTERFACE,
  getInterface,
  interfaceName,
  interfaceNames,
  listInterfaces,
  type NetworkInterface,
} from "./lib/interfaces.ts";
export {
  EtherTypeError,
  FrameError,
  FrameRejectedError,
  FrameTooLargeError,
  InputError,
  InterfaceDownError,
  InterfaceRemovedError,
  LayerError,
  LibpcapMissingError,
  MacAddressError,
  NoSuchInterfaceError,
  OptionError,
  OsError,
  PermissionError,
  RawframeError,
  SocketClosedError,
  VlanError,
} from "./lib/errors.ts";
