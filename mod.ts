/**
 * rawframe: send and receive raw Ethernet frames from Deno on Linux, through
 * AF_PACKET sockets opened with `Deno.dlopen` on libc. No native helper, no
 * compiled code: just `--allow-ffi` and CAP_NET_RAW (root, or setcap).
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
  hex4,
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
  type OpenOptions,
  type PacketType,
  RawSocket,
  type ReceivedFrame,
  type ReceiveOptions,
  type SocketStats,
  type Timestamp,
} from "./lib/socket.ts";
export { DEFAULT_RING, RingFrame, type RingSize } from "./ffi/rx_ring.ts";
export {
  ANY_INTERFACE,
  getInterface,
  interfaceName,
  interfaceNames,
  listInterfaces,
  type NetworkInterface,
} from "./lib/interfaces.ts";
export {
  type BpfInstruction,
  buildFilter,
  type Direction,
  type FilterSpec,
} from "./lib/filters.ts";
export { type CompileOptions, compilePcapFilter } from "./lib/pcap_filter.ts";
export {
  type CopyableFrame,
  LINKTYPE_ETHERNET,
  type PcapFrame,
  pcapHeader,
  pcapRecord,
  PcapWriter,
  type Precision,
  readPcap,
} from "./lib/pcap.ts";
export {
  atRate,
  everyMs,
  sendSeries,
  type SeriesOptions,
  type SeriesResult,
} from "./lib/series.ts";
export {
  type Echo,
  ECHO_ETHERTYPE,
  ECHO_HEADER_SIZE,
  ECHO_MAGIC,
  echoReply,
  encodeEcho,
  parseEcho,
} from "./lib/echo.ts";
export {
  ping,
  type PingEvent,
  type PingOptions,
  type PingSummary,
  summarize,
} from "./lib/ping.ts";
export {
  formatTimestamp,
  frameLine,
  type FrameRecord,
  frameRecord,
  payloadPreview,
} from "./lib/format.ts";
export {
  EtherTypeError,
  FrameError,
  FrameTooLargeError,
  InputError,
  InterfaceDownError,
  LibpcapMissingError,
  MacAddressError,
  NoSuchInterfaceError,
  OsError,
  PermissionError,
  RawframeError,
  VlanError,
} from "./lib/errors.ts";
