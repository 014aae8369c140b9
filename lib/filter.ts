/**
 * Kernel-side filters for {@linkcode RawSocket.open}'s `filter` option and
 * for anyone who wants classic BPF: our own small programs (EtherType,
 * addresses, direction; no libpcap needed) and tcpdump expressions
 * compiled by libpcap.
 *
 * @example Frames of EtherType 0x88b5 that are not tagged, from libpcap
 * ```ts ignore
 * import { RawSocket } from "@rawframe/rawframe";
 * import { compilePcapFilter } from "@rawframe/rawframe/filter";
 *
 * using sock = RawSocket.open("eth0", {
 *   filter: compilePcapFilter("ether proto 0x88b5 and not vlan"),
 * });
 * ```
 *
 * @module
 */

export {
  type BpfInstruction,
  buildFilter,
  type Direction,
  type FilterSpec,
} from "./bpf.ts";
export {
  type CompileOptions,
  compilePcapFilter,
  type FrameMatcher,
  MAX_FILTER_LENGTH,
  openPcapMatcher,
} from "./pcap_filter.ts";
