/**
 * libpcap's filter compiler, the only part of libpcap rawframe uses: it
 * turns a tcpdump expression into classic BPF. libpcap is optional: it is
 * opened only when an expression is given, and its absence is reported,
 * not fatal.
 *
 * @module
 */

import {
  BPF_PROGRAM,
  cString,
  decodeSockFilters,
  PCAP_PKTHDR,
  SOCK_FILTER,
} from "./structs.ts";
import type { BpfInstruction } from "../contract/types.ts";
import { RawframeError } from "../contract/errors.ts";
import type { Bound, Pointer, SignatureTable } from "./native/native.ts";
import { native } from "./native/runtime.ts";

const SYMBOLS = {
  /** pcap_t *pcap_open_dead(int linktype, int snaplen); */
  pcap_open_dead: { parameters: ["i32", "i32"], result: "pointer" },
  /** pcap_t *pcap_open_live(const char *device, int snaplen, int promisc, int to_ms, char *errbuf); */
  pcap_open_live: {
    parameters: ["buffer", "i32", "i32", "i32", "buffer"],
    result: "pointer",
  },
  /** int pcap_compile(pcap_t *p, struct bpf_program *fp, const char *str, int optimize, bpf_u_int32 netmask); */
  pcap_compile: {
    parameters: ["pointer", "buffer", "buffer", "i32", "u32"],
    result: "i32",
  },
  /** char *pcap_geterr(pcap_t *p); */
  pcap_geterr: { parameters: ["pointer"], result: "pointer" },
  /** void pcap_freecode(struct bpf_program *fp); */
  pcap_freecode: { parameters: ["buffer"], result: "void" },
  /** void pcap_close(pcap_t *p); */
  pcap_close: { parameters: ["pointer"], result: "void" },
  /** int pcap_offline_filter(const struct bpf_program *fp, const struct pcap_pkthdr *h, const u_char *pkt); */
  pcap_offline_filter: {
    parameters: ["buffer", "buffer", "buffer"],
    result: "i32",
  },
} as const satisfies SignatureTable;

type Libpcap = Bound<typeof SYMBOLS>;

/** PCAP_NETMASK_UNKNOWN: no IPv4 broadcast tests in our expressions. */
const NETMASK_UNKNOWN = 0xffffffff;
/** PCAP_ERRBUF_SIZE. */
const ERRBUF_SIZE = 256;

/** Debian's libpcap0.8 ships libpcap.so.0.8; other systems name it so.1. */
export const LIBPCAP_NAMES: readonly string[] = [
  "libpcap.so.0.8",
  "libpcap.so.1",
  "libpcap.so",
];

/** What compiling an expression gave: a program, or libpcap's reason. */
export type Compiled =
  | { program: BpfInstruction[] }
  | { error: string };

const opened = new Map<string, Libpcap>();

/** libpcap's compiler, for one link type and snaplen. */
export class PcapCompiler {
  readonly #pcap: Libpcap;
  readonly #linktype: number;
  readonly #snaplen: number;

  private constructor(pcap: Libpcap, linktype: number, snaplen: number) {
    this.#pcap = pcap;
    this.#linktype = linktype;
    this.#snaplen = snaplen;
  }

  /**
   * Opens libpcap under the first of `names` the system loader finds.
   *
   * @returns the compiler, or undefined when libpcap is not installed.
   */
  static open(
    linktype: number,
    snaplen: number,
    names: readonly string[] = LIBPCAP_NAMES,
  ): PcapCompiler | undefined {
    for (const name of names) {
      let pcap = opened.get(name);
      if (pcap === undefined) {
        try {
          pcap = native.open(name, SYMBOLS);
        } catch (err) {
          if (native.isDenied(err)) throw err;
          continue; // not installed under this name: try the next
        }
        opened.set(name, pcap);
      }
      return new PcapCompiler(pcap, linktype, snaplen);
    }
    return undefined;
  }

  /**
   * Compiles `expression` for a dead handle (no privilege needed), or for
   * live interface `iface` when given and it can be opened, so that `vlan`
   * tests also see tags the kernel moved into metadata, as tcpdump's do.
   */
  compile(expression: string, iface?: string): Compiled {
    const pcap = this.#pcap;
    const handle = (iface === undefined ? null : this.#openLive(iface)) ??
      pcap.pcap_open_dead(this.#linktype, this.#snaplen);
    try {
      return this.#compileWith(handle, expression);
    } finally {
      pcap.pcap_close(handle);
    }
  }

  /**
   * Compiles `expression` for matching frames read from a file, by
   * libpcap's own offline matcher (see {@linkcode PcapMatcher}).
   */
  matcher(expression: string): PcapMatcher | { error: string } {
    const pcap = this.#pcap;
    const handle = pcap.pcap_open_dead(this.#linktype, this.#snaplen);
    try {
      const program = new Uint8Array(BPF_PROGRAM.size);
      const text = cString(expression);
      if (pcap.pcap_compile(handle, program, text, 1, NETMASK_UNKNOWN) !== 0) {
        return { error: errorOf(pcap, handle) };
      }
      return new PcapMatcher(pcap, program);
    } finally {
      pcap.pcap_close(handle);
    }
  }

  #openLive(iface: string): Pointer {
    const errbuf = new Uint8Array(ERRBUF_SIZE);
    return this.#pcap.pcap_open_live(
      cString(iface),
      this.#snaplen,
      0,
      0,
      errbuf,
    );
  }

  #compileWith(handle: Pointer, expression: string): Compiled {
    const pcap = this.#pcap;
    const program = new Uint8Array(BPF_PROGRAM.size);
    const text = cString(expression);
    if (pcap.pcap_compile(handle, program, text, 1, NETMASK_UNKNOWN) !== 0) {
      return { error: errorOf(pcap, handle) };
    }
    try {
      const view = new DataView(program.buffer);
      const count = view.getUint32(BPF_PROGRAM.len, true);
      const insns = native.pointer(view.getBigUint64(BPF_PROGRAM.insns, true));
      if (insns === null || count === 0) return { program: [] };
      const bytes = native.view(insns, count * SOCK_FILTER.size);
      return { program: decodeSockFilters(new DataView(bytes.slice(0))) };
    } finally {
      pcap.pcap_freecode(program);
    }
  }
}

/** libpcap's message for the last failure on `handle`. */
function errorOf(pcap: Libpcap, handle: Pointer): string {
  const reason = pcap.pcap_geterr(handle);
  return reason === null ? "unknown error" : native.cString(reason);
}

/**
 * A compiled expression that libpcap matches frames against, as tcpdump
 * -r does (pcap_offline_filter). Holds the program until closed.
 */
export class PcapMatcher {
  readonly #pcap: Libpcap;
  #program: Uint8Array | undefined;
  readonly #header = new Uint8Array(PCAP_PKTHDR.size);
  readonly #view = new DataView(this.#header.buffer);

  /** Takes `program`, a struct bpf_program pcap_compile() filled in. */
  constructor(pcap: Libpcap, program: Uint8Array) {
    this.#pcap = pcap;
    this.#program = program;
  }

  /** Whether the frame (`bytes` of one `length` bytes long) matches. */
  matches(bytes: Uint8Array, length: number): boolean {
    const program = this.#program;
    if (program === undefined) throw new RawframeError("the filter is closed");
    this.#view.setUint32(PCAP_PKTHDR.caplen, bytes.length, true);
    this.#view.setUint32(PCAP_PKTHDR.len, length, true);
    return this.#pcap.pcap_offline_filter(program, this.#header, bytes) !== 0;
  }

  /** Frees the program. Idempotent. */
  close(): void {
    if (this.#program === undefined) return;
    this.#pcap.pcap_freecode(this.#program);
    this.#program = undefined;
  }
}
