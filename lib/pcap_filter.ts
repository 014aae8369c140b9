/**
 * tcpdump filter expressions (`ether proto 0x88b5`, `vlan 42`, `not arp`,
 * ...) compiled to classic BPF by libpcap's own compiler, for the socket
 * to run in the kernel.
 *
 * @module
 */

import { libpcap, LIBPCAP_NAMES } from "../ffi/libpcap.ts";
import type { BpfInstruction } from "./filters.ts";
import { InputError, LibpcapMissingError } from "./errors.ts";
import { cString, SOCK_FILTER } from "../ffi/structs.ts";

const DLT_EN10MB = 1;
const SNAPLEN = 262144;
/** PCAP_NETMASK_UNKNOWN: no IPv4 broadcast tests in our expressions. */
const NETMASK_UNKNOWN = 0xffffffff;

/** Options of {@linkcode compilePcapFilter}. */
export interface CompileOptions {
  /**
   * Compile for this interface with a live libpcap handle, so `vlan`
   * tests also see tags the kernel moved into metadata, exactly as
   * tcpdump's do. Needs CAP_NET_RAW. Without it: a dead handle.
   */
  iface?: string;
  /** Library names to try (default: libpcap's usual sonames). */
  libraries?: readonly string[];
}

/**
 * Compiles a tcpdump filter expression for Ethernet frames.
 *
 * @throws {InputError} for an expression libpcap rejects, with its reason.
 * @throws {LibpcapMissingError} when libpcap is not installed.
 *
 * @example
 * ```ts ignore
 * import { compilePcapFilter } from "./pcap_filter.ts";
 * const program = compilePcapFilter("ether proto 0x88b5 and not vlan");
 * ```
 */
export function compilePcapFilter(
  expression: string,
  options: CompileOptions = {},
): BpfInstruction[] {
  const pcap = libpcap(options.libraries ?? LIBPCAP_NAMES);
  if (pcap === undefined) throw new LibpcapMissingError();
  // A dead handle first: it needs no privilege, so a typo is reported as
  // a usage error before anything else happens.
  let handle = pcap.pcap_open_dead(DLT_EN10MB, SNAPLEN);
  let program = compileWith(pcap, handle, expression);
  if (options.iface !== undefined) {
    const errbuf = new Uint8Array(256);
    const live = pcap.pcap_open_live(
      cString(options.iface),
      SNAPLEN,
      0,
      0,
      errbuf,
    );
    if (live !== null) {
      pcap.pcap_close(handle);
      handle = live;
      program = compileWith(pcap, handle, expression);
    }
  }
  pcap.pcap_close(handle);
  return program;
}

function compileWith(
  pcap: NonNullable<ReturnType<typeof libpcap>>,
  handle: Deno.PointerValue,
  expression: string,
): BpfInstruction[] {
  // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }
  const program = new Uint8Array(16);
  if (
    pcap.pcap_compile(
      handle,
      program,
      cString(expression),
      1,
      NETMASK_UNKNOWN,
    ) !== 0
  ) {
    const reason = Deno.UnsafePointerView.getCString(pcap.pcap_geterr(handle)!);
    pcap.pcap_close(handle);
    throw new InputError(`invalid filter "${expression}": ${reason}`);
  }
  try {
    const view = new DataView(program.buffer);
    const count = view.getUint32(0, true);
    const pointer = Deno.UnsafePointer.create(view.getBigUint64(8, true));
    const bytes = new DataView(
      Deno.UnsafePointerView.getArrayBuffer(pointer!, count * SOCK_FILTER.size),
    );
    const instructions: BpfInstruction[] = [];
    for (let i = 0; i < count; i++) {
      const at = i * SOCK_FILTER.size;
      instructions.push({
        code: bytes.getUint16(at + SOCK_FILTER.code, true),
        jt: bytes.getUint8(at + SOCK_FILTER.jt),
        jf: bytes.getUint8(at + SOCK_FILTER.jf),
        k: bytes.getUint32(at + SOCK_FILTER.k, true),
      });
    }
    return instructions;
  } finally {
    pcap.pcap_freecode(program);
  }
}
