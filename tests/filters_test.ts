import { assertEquals } from "./assert.ts";
import { type BpfInstruction, buildFilter } from "../lib/bpf.ts";
import { buildFrame } from "../lib/frame.ts";

/**
 * Runs a classic BPF program over a frame, as the kernel does for the few
 * instructions our builder emits. `pkttype` stands for the ancillary load.
 */
function runBpf(
  program: BpfInstruction[],
  frame: Uint8Array,
  pkttype = 0,
): number {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  let a = 0;
  for (let pc = 0; pc < program.length; pc++) {
    const { code, jt, jf, k } = program[pc];
    switch (code) {
      case 0x20: // ld [k]
        if (k === 0xfffff004) a = pkttype;
        else if (k + 4 > frame.length) return 0;
        else a = view.getUint32(k);
        break;
      case 0x28: // ldh [k]
        if (k + 2 > frame.length) return 0;
        a = view.getUint16(k);
        break;
      case 0x15: // jeq #k
        pc += a === k ? jt : jf;
        break;
      case 0x06: // ret #k
        return k;
      default:
        throw new Error(`opcode ${code} not modelled`);
    }
  }
  throw new Error("program fell off its end");
}

const base = { dst: "02:00:00:00:00:02", src: "02:00:00:00:00:01" };
const plain = buildFrame({ ...base, type: 0x88b5 });
const ipv4 = buildFrame({ ...base, type: 0x0800 });
const tagged = buildFrame({ ...base, type: 0x88b5, vlans: [{ id: 42 }] });
const qinq = buildFrame({
  ...base,
  type: 0x88b5,
  vlans: [{ id: 1 }, { id: 2 }],
});
const taggedIpv4 = buildFrame({ ...base, type: 0x0800, vlans: [{ id: 42 }] });

Deno.test("no conditions: no program, the socket sees everything", () => {
  assertEquals(buildFilter({}), undefined);
  assertEquals(buildFilter({ direction: "both" }), undefined);
});

Deno.test("direction filters test the ancillary packet type, instruction by instruction", () => {
  assertEquals(buildFilter({ direction: "in" }), [
    { code: 0x20, jt: 0, jf: 0, k: 0xfffff004 }, // ld pkttype
    { code: 0x15, jt: 1, jf: 0, k: 4 }, // outgoing? -> reject
    { code: 0x06, jt: 0, jf: 0, k: 0x40000 }, // accept
    { code: 0x06, jt: 0, jf: 0, k: 0 }, // reject
  ]);
  const out = buildFilter({ direction: "out" })!;
  assertEquals(out[1], { code: 0x15, jt: 0, jf: 1, k: 4 });
  assertEquals(runBpf(out, plain, 4), 0x40000);
  assertEquals(runBpf(out, plain, 0), 0);
});

Deno.test("EtherType filter matches the type after zero, one or two tags", () => {
  const program = buildFilter({ etherType: 0x88b5 })!;
  assertEquals(runBpf(program, plain), 0x40000);
  assertEquals(runBpf(program, tagged), 0x40000);
  assertEquals(runBpf(program, qinq), 0x40000);
  assertEquals(runBpf(program, ipv4), 0);
  assertEquals(runBpf(program, taggedIpv4), 0);
  assertEquals(runBpf(program, plain.subarray(0, 12)), 0); // runt
});

Deno.test("conditions combine: EtherType and direction must both hold", () => {
  const program = buildFilter({ etherType: 0x0800, direction: "in" })!;
  assertEquals(runBpf(program, ipv4, 0), 0x40000);
  assertEquals(runBpf(program, ipv4, 4), 0);
  assertEquals(runBpf(program, plain, 0), 0);
});

Deno.test("--src/--dst programs compare the MAC as a word and a half-word", () => {
  const src = new Uint8Array([0x02, 0xaa, 0x00, 0x00, 0x00, 0x01]);
  assertEquals(buildFilter({ src }), [
    { code: 0x20, jt: 0, jf: 0, k: 6 }, // ld [6]
    { code: 0x15, jt: 0, jf: 3, k: 0x02aa0000 }, // first four bytes, else reject
    { code: 0x28, jt: 0, jf: 0, k: 10 }, // ldh [10]
    { code: 0x15, jt: 0, jf: 1, k: 0x0001 }, // last two, else reject
    { code: 0x06, jt: 0, jf: 0, k: 0x40000 },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
  ]);
  const dst = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  const program = buildFilter({ src, dst })!;
  const frame = buildFrame({
    dst: "ff:ff:ff:ff:ff:ff",
    src: "02:aa:00:00:00:01",
    type: 0x88b5,
  });
  assertEquals(runBpf(program, frame), 0x40000);
  assertEquals(runBpf(program, buildFrame({ ...base, type: 0x88b5 })), 0);
});

Deno.test("a given program (tcpdump's) runs unchanged after our checks", () => {
  const tcpdumps = [{ code: 0x06, jt: 0, jf: 0, k: 1234 }]; // accept 1234 bytes
  assertEquals(buildFilter({ program: tcpdumps }), tcpdumps);
  const combined = buildFilter({ direction: "in", program: tcpdumps })!;
  assertEquals(combined, [
    { code: 0x20, jt: 0, jf: 0, k: 0xfffff004 },
    { code: 0x15, jt: 1, jf: 0, k: 4 }, // outgoing -> reject
    { code: 0x05, jt: 0, jf: 0, k: 1 }, // ja over the reject
    { code: 0x06, jt: 0, jf: 0, k: 0 }, // reject
    { code: 0x06, jt: 0, jf: 0, k: 1234 }, // the given program
  ]);
});
