/**
 * Mixed captures for the decoding benchmarks. `corpus`: every Ethernet
 * frame of tcpdump's own test captures (../shared/corpus/tcpdump-tests),
 * over and over: what real traffic of many protocols costs each decoder.
 * `built`: made with rawframe's own layers, so it needs no corpus: TCP
 * with options and data, UDP, ICMP echo, ARP, IPv6 with TCP and ICMPv6,
 * 802.1Q-tagged UDP, spanning tree and LLDP, in proportions like a LAN's,
 * ports and sequence numbers varying.
 *
 * `deno run --allow-read --allow-write bench/mixed_capture.ts FILE [FRAMES] [corpus|built]`
 *
 * @module
 */

import { type BuildLayer, buildPacket, type PacketInit } from "../lib/build.ts";
import {
  type CapturedFrame,
  pcapHeader,
  pcapRecord,
  readPcap,
} from "../lib/pcap.ts";

const A = "02:00:00:00:00:0a";
const B = "02:00:00:00:00:0b";
const V4 = { src: "10.0.0.1", dst: "10.0.0.2" };
const V6 = { src: "fd00::1", dst: "fd00::2" };
const LLDP = "0207046c3be5a1b2c3" + "040703" + "6c3be5a1b2c3" +
  "06020078" + "0a0673776974636831" + "0000";

/** The i-th frame of the mix. */
function frame(i: number): Uint8Array {
  const sport = 1024 + (i % 50000);
  const pick = i % 40;
  let init: PacketInit;
  const ip = (layers: BuildLayer[]): PacketInit => ({
    dst: B,
    src: A,
    layers: [{ layer: "ipv4", ...V4, id: i & 0xffff }, ...layers],
  });
  if (pick < 16) {
    init = ip([
      {
        layer: "tcp",
        sport,
        dport: 443,
        seq: i * 1448,
        ack: 77,
        flags: "P.",
        options: [{ kind: 1 }, { kind: 1 }, {
          kind: 8,
          data: "0001e2400000abcd",
        }],
      },
      { layer: "raw", data: "17".repeat(100 + (i % 200)) },
    ]);
  } else if (pick < 24) {
    init = ip([{ layer: "udp", sport, dport: 53 }, {
      layer: "raw",
      data: "abcd01000001000000000000076578616d706c6503636f6d0000010001",
    }]);
  } else if (pick < 26) {
    init = ip([{ layer: "icmp", type: i % 2 ? 0 : 8, id: 7, seq: i & 0xffff }, {
      layer: "raw",
      data: "61".repeat(56),
    }]);
  } else if (pick < 30) {
    init = {
      dst: "ff:ff:ff:ff:ff:ff",
      src: A,
      layers: [{
        layer: "arp",
        op: 1,
        sha: A,
        spa: "10.0.0.1",
        tpa: "10.0.0.2",
      }],
    };
  } else if (pick < 34) {
    init = {
      dst: B,
      src: A,
      layers: [{ layer: "ipv6", ...V6 }, {
        layer: "tcp",
        sport,
        dport: 22,
        flags: "S",
        seq: i,
        options: [{ kind: 2, data: "05a0" }],
      }],
    };
  } else if (pick < 36) {
    init = {
      dst: B,
      src: A,
      layers: [{ layer: "ipv6", ...V6 }, {
        layer: "icmpv6",
        type: 128,
        id: 9,
        seq: i & 0xffff,
      }],
    };
  } else if (pick < 38) {
    init = {
      ...ip([{ layer: "udp", sport, dport: 5000 }, {
        layer: "raw",
        data: "00".repeat(20),
      }]),
      vlans: [{ id: 42 }],
    };
  } else if (pick < 39) {
    init = {
      dst: "01:80:c2:00:00:00",
      src: A,
      layers: [{ layer: "llc" }, { layer: "stp", version: 2, v1len: 0 }],
    };
  } else {
    init = {
      dst: "01:80:c2:00:00:0e",
      src: A,
      type: 0x88cc,
      layers: [{ layer: "raw", data: LLDP }],
    };
  }
  return buildPacket(init);
}

/** Where tcpdump's test captures are, when they are. */
export const CORPUS = new URL(
  "../../shared/corpus/tcpdump-tests",
  import.meta.url,
).pathname;

/** Every Ethernet frame of the corpus; empty when it is absent. */
async function corpusFrames(): Promise<CapturedFrame[]> {
  const frames: CapturedFrame[] = [];
  let names: string[];
  try {
    names = [...Deno.readDirSync(CORPUS)].map((e) => e.name).sort();
  } catch {
    return [];
  }
  for (const name of names.filter((n) => /\.pcap(ng)?$/.test(n))) {
    try {
      const read = readPcap(await Deno.readFile(`${CORPUS}/${name}`));
      // The mix is written as an Ethernet capture: cooked frames stay out.
      frames.push(...read.filter((f) => (f.linkType ?? 1) === 1));
    } catch {
      // another link type, or damaged on purpose: tcpdump's tests have both
    }
  }
  return frames;
}

/**
 * Writes a capture of `count` frames to `path`: the corpus's frames over
 * and over, or built ones (when asked, or when the corpus is absent).
 *
 * @returns which it wrote.
 */
export async function writeMixedCapture(
  path: string,
  count: number,
  kind: "corpus" | "built" = "corpus",
): Promise<"corpus" | "built"> {
  const corpus = kind === "corpus" ? await corpusFrames() : [];
  const chunks: Uint8Array[] = [pcapHeader()];
  const start = 1_796_000_000;
  for (let i = 0; i < count; i++) {
    const ts = {
      seconds: start + Math.floor(i / 1000),
      nanoseconds: (i % 1000) * 1000,
    };
    const taken = corpus[i % corpus.length];
    chunks.push(
      taken === undefined
        ? pcapRecord(frame(i), ts)
        : pcapRecord(taken.bytes, ts, taken.length),
    );
  }
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  await Deno.writeFile(path, bytes);
  return corpus.length > 0 ? "corpus" : "built";
}

if (import.meta.main) {
  const [path, count, kind] = Deno.args;
  console.log(
    await writeMixedCapture(
      path,
      Number(count ?? 300_000),
      kind === "built" ? "built" : "corpus",
    ),
  );
}
