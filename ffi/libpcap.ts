/**
 * The few libpcap symbols rawframe uses to compile tcpdump filter
 * expressions. libpcap is optional: it is opened only when a filter
 * expression is given, and its absence is reported, not fatal.
 *
 * @module
 */

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
} as const satisfies Deno.ForeignLibraryInterface;

/** The typed libpcap symbols rawframe uses. */
export type Libpcap = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** Debian's libpcap0.8 ships libpcap.so.0.8; other systems name it so.1. */
export const LIBPCAP_NAMES: readonly string[] = [
  "libpcap.so.0.8",
  "libpcap.so.1",
  "libpcap.so",
];

const opened = new Map<string, Libpcap>();

/**
 * Opens libpcap under the first of `names` the system loader finds.
 *
 * @returns its symbols, or undefined when none could be opened.
 */
export function libpcap(
  names: readonly string[] = LIBPCAP_NAMES,
): Libpcap | undefined {
  for (const name of names) {
    const cached = opened.get(name);
    if (cached) return cached;
    try {
      const symbols = Deno.dlopen(name, SYMBOLS).symbols;
      opened.set(name, symbols);
      return symbols;
    } catch (err) {
      if (err instanceof Deno.errors.NotCapable) throw err;
      // not installed under this name: try the next
    }
  }
  return undefined;
}
