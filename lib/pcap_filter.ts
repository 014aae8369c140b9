/**
 * tcpdump filter expressions (`ether proto 0x88b5`, `vlan 42`, `not arp`,
 * ...) compiled to classic BPF by libpcap's own compiler, for the socket
 * to run in the kernel.
 *
 * @module
 */

import { LIBPCAP_NAMES, PcapCompiler } from "../ffi/libpcap.ts";
import type { BpfInstruction } from "../contract/types.ts";
import { InputError, LibpcapMissingError } from "./errors.ts";
import { SNAPLEN } from "../contract/limits.ts";
import { checkOptions } from "./option_check.ts";

/** DLT_EN10MB: Ethernet. */
const DLT_EN10MB = 1;

/**
 * The longest expression compiled. libpcap's optimizer costs grow much
 * faster than an expression (about as the cube of the program it makes):
 * 15,000 `tcp or ...` terms took 6 GB and more than 30 s, and 128
 * `portrange` terms 1.5 s. Within 1024 characters the costliest found,
 * 60 `portrange 1-2` terms, takes 0.2 s and 40 MiB. tcpdump has no
 * bound.
 */
export const MAX_FILTER_LENGTH = 1024;

/** Options of {@linkcode compilePcapFilter}. */
export interface CompileOptions {
  /**
   * Compile for this interface with a live libpcap handle, so `vlan`
   * tests also see tags the kernel moved into metadata, exactly as
   * tcpdump's do. Needs CAP_NET_RAW; without it the expression is
   * compiled for Ethernet in general. @default none: Ethernet in general
   */
  iface?: string;
  /** Library names to try. @default libpcap's usual sonames */
  libraries?: readonly string[];
}

/**
 * Compiles a tcpdump filter expression for Ethernet frames.
 *
 * @throws {InputError} for an expression libpcap rejects, with its reason,
 *   or one longer than {@linkcode MAX_FILTER_LENGTH} characters.
 * @throws {LibpcapMissingError} when libpcap is not installed.
 *
 * @example
 * ```ts ignore
 * import { compilePcapFilter } from "@rawframe/rawframe/filter";
 * const program = compilePcapFilter("ether proto 0x88b5 and not vlan");
 * ```
 */
export function compilePcapFilter(
  expression: string,
  options: CompileOptions = {},
): BpfInstruction[] {
  checkOptions("compilePcapFilter", options, {
    iface: "string",
    libraries: "array",
  });
  checkLength(expression);
  const compiler = openCompiler(options.libraries);
  // Generic compilation first: it needs no privilege, so a typo is
  // reported as a usage error before anything else happens.
  let compiled = compiler.compile(expression);
  if ("program" in compiled && options.iface !== undefined) {
    compiled = compiler.compile(expression, options.iface);
  }
  if ("error" in compiled) throw invalidFilter(expression, compiled.error);
  return compiled.program;
}

/** libpcap's compiler for a link type's frames, from the first library found. */
function openCompiler(
  libraries: readonly string[] = LIBPCAP_NAMES,
  linkType: number = DLT_EN10MB,
): PcapCompiler {
  const compiler = PcapCompiler.open(linkType, SNAPLEN, libraries);
  if (compiler === undefined) throw new LibpcapMissingError();
  return compiler;
}

/** Refuses an expression longer than {@linkcode MAX_FILTER_LENGTH}. */
function checkLength(expression: string): void {
  if (typeof expression !== "string") {
    throw new InputError(
      `a filter expression is a string, not ${typeof expression}`,
    );
  }
  if (expression.length > MAX_FILTER_LENGTH) {
    throw new InputError(
      `the filter expression has ${expression.length} characters; at most ${MAX_FILTER_LENGTH} are compiled (libpcap's optimizer costs grow much faster than an expression: thousands of terms take gigabytes)`,
    );
  }
}

/** The usage error of an expression libpcap rejects, with its reason. */
function invalidFilter(expression: string, reason: string): InputError {
  return new InputError(
    `invalid filter ${JSON.stringify(expression)}: ${reason}`,
  );
}

/** Frames matched against a tcpdump expression by libpcap itself. */
export interface FrameMatcher extends Disposable {
  /** Whether the frame (`bytes`, of one `length` bytes long) matches. */
  matches(bytes: Uint8Array, length?: number): boolean;
}

/**
 * Compiles a tcpdump filter expression for frames read from a file, and
 * matches them with libpcap's own offline matcher (pcap_offline_filter),
 * so it selects exactly the frames `tcpdump -r FILE EXPR` selects.
 *
 * @throws {InputError} for an expression libpcap rejects, with its reason.
 * @throws {LibpcapMissingError} when libpcap is not installed.
 *
 * @example
 * ```ts ignore
 * import { openPcapMatcher } from "@rawframe/rawframe/filter";
 * import { readPcap } from "@rawframe/rawframe/pcap";
 * using arp = openPcapMatcher("arp");
 * for (const frame of readPcap(Deno.readFileSync("capture.pcap"))) {
 *   if (arp.matches(frame.bytes, frame.length)) console.log(frame.timestamp);
 * }
 * ```
 */
export function openPcapMatcher(
  expression: string,
  options: Pick<CompileOptions, "libraries"> & {
    /** The frames' link type (113, 276: Linux cooked). @default 1, Ethernet */
    linkType?: number;
  } = {},
): FrameMatcher {
  checkOptions("openPcapMatcher", options, {
    libraries: "array",
    linkType: "number",
  });
  checkLength(expression);
  const matcher = openCompiler(options.libraries, options.linkType)
    .matcher(expression);
  if ("error" in matcher) throw invalidFilter(expression, matcher.error);
  return {
    matches: (bytes, length = bytes.length) => matcher.matches(bytes, length),
    [Symbol.dispose]: () => matcher.close(),
  };
}
