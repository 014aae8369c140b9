/**
 * Our own small classic BPF programs, run by the kernel on every frame
 * before it is queued to the socket: EtherType, address and direction
 * filters that need no libpcap. Pure: the socket encodes and attaches the
 * result.
 *
 * @module
 */

import { checkOptions } from "./option_check.ts";
import type { BpfInstruction, Direction } from "../contract/types.ts";
import { TAG_TPIDS, TYPE_OFFSET, VLAN_TAG_SIZE } from "../contract/ethernet.ts";
import { SNAPLEN } from "../contract/limits.ts";
import { RawframeError } from "./errors.ts";

export type { BpfInstruction, Direction };

/** What {@linkcode buildFilter} can select on; all given must match. */
export interface FilterSpec {
  /** EtherType after any 802.1Q tags (tagged frames match on the inner type). */
  etherType?: number;
  /** `in`: frames the interface received; `out`: frames it sent. */
  direction?: Direction;
  /** Source MAC address, six bytes. */
  src?: Uint8Array;
  /** Destination MAC address, six bytes. */
  dst?: Uint8Array;
  /**
   * A further program that must also accept the frame, run after the
   * checks above: a tcpdump expression compiled by libpcap, for instance.
   */
  program?: readonly BpfInstruction[];
}

// Opcodes from <linux/bpf_common.h>.
const LD_W_ABS = 0x20; // A = u32 at k
const LD_H_ABS = 0x28; // A = u16 at k
const JEQ_K = 0x15; // if A == k
const JA = 0x05; // jump by k
const RET_K = 0x06; // return k bytes (0 = drop)

/** Ancillary load of the packet type (SKF_AD_OFF + SKF_AD_PKTTYPE). */
const SKF_AD_PKTTYPE = 0xfffff000 + 4;
/** PACKET_OUTGOING, the packet type of frames this host sent. */
const PACKET_OUTGOING = 4;

type Item =
  | { label: string }
  | { code: number; k: number; jt?: string; jf?: string };

/**
 * Builds a classic BPF program for `spec`, or `undefined` when the spec
 * admits everything (no program need be attached).
 *
 * @example
 * ```ts
 * import { buildFilter } from "@rawframe/rawframe/filter";
 * const program = buildFilter({ etherType: 0x88b5, direction: "in" });
 * program?.length; // 14
 * ```
 */
export function buildFilter(spec: FilterSpec): BpfInstruction[] | undefined {
  checkOptions("buildFilter", spec, {
    etherType: "number",
    direction: "string",
    src: "Uint8Array",
    dst: "Uint8Array",
    program: "array",
  });
  const items: Item[] = [];
  if (spec.direction === "in" || spec.direction === "out") {
    const out = spec.direction === "out";
    items.push(
      { code: LD_W_ABS, k: SKF_AD_PKTTYPE },
      {
        code: JEQ_K,
        k: PACKET_OUTGOING,
        jt: out ? undefined : "reject",
        jf: out ? "reject" : undefined,
      },
    );
  }
  if (spec.src) items.push(...macTest(6, spec.src));
  if (spec.dst) items.push(...macTest(0, spec.dst));
  if (spec.etherType !== undefined) {
    items.push(...etherTypeTest(spec.etherType));
  }
  if (items.length === 0) return spec.program ? [...spec.program] : undefined;
  if (spec.program) {
    // Our checks first, then the given program decides. Its jumps are
    // relative, so it runs unchanged after our reject instruction.
    items.push({ code: JA, k: 1 }, { label: "reject" }, { code: RET_K, k: 0 });
    return [...assemble(items), ...spec.program];
  }
  items.push(
    { code: RET_K, k: SNAPLEN },
    { label: "reject" },
    { code: RET_K, k: 0 },
  );
  return assemble(items);
}

/** Passes frames whose MAC at offset `at` (0 dst, 6 src) is `mac`. */
function macTest(at: number, mac: Uint8Array): Item[] {
  const view = new DataView(mac.buffer, mac.byteOffset, mac.byteLength);
  return [
    { code: LD_W_ABS, k: at },
    { code: JEQ_K, k: view.getUint32(0), jf: "reject" },
    { code: LD_H_ABS, k: at + 4 },
    { code: JEQ_K, k: view.getUint16(4), jf: "reject" },
  ];
}

/**
 * Passes frames whose EtherType is `type`, either at offset 12 (untagged,
 * or a tag the kernel moved into metadata) or after one or two tags still
 * in the data (frames this host sends keep theirs).
 */
function etherTypeTest(type: number): Item[] {
  // At `at`: the type (pass), a TPID (go on to `next`), or anything else.
  const tagged = (at: number, next: string): Item[] => [
    { code: LD_H_ABS, k: at },
    { code: JEQ_K, k: type, jt: "type_ok" },
    ...TAG_TPIDS.map((tpid, i): Item => ({
      code: JEQ_K,
      k: tpid,
      jt: next,
      jf: i === TAG_TPIDS.length - 1 ? "reject" : undefined,
    })),
  ];
  const afterOneTag = TYPE_OFFSET + VLAN_TAG_SIZE;
  return [
    ...tagged(TYPE_OFFSET, "tag1"),
    { label: "tag1" },
    ...tagged(afterOneTag, "tag2"),
    { label: "tag2" },
    { code: LD_H_ABS, k: afterOneTag + VLAN_TAG_SIZE },
    { code: JEQ_K, k: type, jf: "reject" },
    { label: "type_ok" },
  ];
}

/** Resolves labels into the relative jump offsets BPF uses. */
function assemble(items: readonly Item[]): BpfInstruction[] {
  const labels = new Map<string, number>();
  const code: Exclude<Item, { label: string }>[] = [];
  for (const item of items) {
    if ("label" in item) labels.set(item.label, code.length);
    else code.push(item);
  }
  const offset = (from: number, label: string | undefined): number => {
    if (label === undefined) return 0;
    const to = labels.get(label);
    if (to === undefined || to <= from || to - from - 1 > 255) {
      throw new RawframeError(`BPF jump to ${label} cannot be encoded`);
    }
    return to - from - 1;
  };
  return code.map((ins, i) => ({
    code: ins.code,
    jt: offset(i, ins.jt),
    jf: offset(i, ins.jf),
    k: ins.k >>> 0,
  }));
}
