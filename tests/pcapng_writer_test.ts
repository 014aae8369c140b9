/**
 * pcapng as rawframe writes it, read back by rawframe, tshark, tcpdump and
 * capinfos: interface blocks (name, link type, snap length, resolution),
 * packet blocks (interface, time, direction, reception type), and the
 * statistics block's counts (read by a separate parser written from the
 * pcapng specification, in Python).
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { PcapngWriter, readPcap } from "../lib/pcap.ts";
import type { Precision } from "../lib/pcap.ts";
import { run } from "./helpers.ts";
import { statisticsBlocks } from "./isb_reader.ts";

const frame = Uint8Array.from({ length: 61 }, (_, i) => i); // padded to 64

/** Frames of two interfaces, every direction and reception type. */
const FRAMES = [
  {
    iface: "veth0",
    direction: "in",
    pkttype: "host",
    s: 1795633886,
    ns: 459425513,
  },
  {
    iface: "veth1",
    direction: "out",
    pkttype: "outgoing",
    s: 1795633886,
    ns: 459425999,
  },
  {
    iface: "veth0",
    direction: "in",
    pkttype: "broadcast",
    s: 1795633887,
    ns: 1000,
  },
  {
    iface: "veth1",
    direction: "in",
    pkttype: "multicast",
    s: 4102444800,
    ns: 999999999,
  },
  { iface: "veth0", direction: "in", pkttype: "otherhost", s: 0, ns: 0 },
] as const;

/** A pcapng file of FRAMES, and statistics for both interfaces. */
function written(precision: Precision): Uint8Array {
  const chunks: Uint8Array[] = [];
  const writer = new PcapngWriter((b) => chunks.push(b.slice()), { precision });
  for (const f of FRAMES) {
    writer.write(frame, { seconds: f.s, nanoseconds: f.ns }, {
      iface: f.iface,
      length: 100,
      direction: f.direction,
      pkttype: f.pkttype,
    });
  }
  const end = { seconds: 1795633890, nanoseconds: 0 };
  writer.statistics("veth0", end, { received: 7, dropped: 2 });
  writer.statistics("veth1", end);
  writer.flush();
  return new Uint8Array(chunks.flatMap((c) => [...c]));
}

async function saved(bytes: Uint8Array): Promise<string> {
  const file = await Deno.makeTempFile({ suffix: ".pcapng" });
  await Deno.writeFile(file, bytes);
  return file;
}

Deno.test("pcapng we write reads back in rawframe: interface, direction, packet type, time, lengths", () => {
  for (const precision of ["micro", "nano"] as const) {
    const frames = readPcap(written(precision));
    assertEquals(frames.length, FRAMES.length);
    frames.forEach((got, i) => {
      const want = FRAMES[i];
      const ns = precision === "nano"
        ? want.ns
        : Math.floor(want.ns / 1000) * 1000;
      assertEquals(got.iface, want.iface);
      assertEquals(got.direction, want.direction);
      assertEquals(got.pkttype, want.pkttype);
      assertEquals(got.timestamp, { seconds: want.s, nanoseconds: ns });
      assertEquals([...got.bytes], [...frame]);
      assertEquals(got.length, 100);
    });
  }
});

Deno.test("tshark reads our pcapng field by field: interface name, direction, reception type, epoch time", async () => {
  for (const precision of ["micro", "nano"] as const) {
    const file = await saved(written(precision));
    try {
      const out = await run("tshark", [
        ...["-r", file, "-T", "fields", "-E", "separator=|"],
        ...["-e", "frame.interface_name", "-e", "frame.packet_flags_direction"],
        ...[
          "-e",
          "frame.packet_flags_reception_type",
          "-e",
          "frame.time_epoch",
        ],
        ...["-e", "frame.cap_len", "-e", "frame.len"],
      ]);
      assertEquals(out.code, 0, out.stderr);
      const rows = out.stdout.trim().split("\n").map((l) => l.split("|"));
      const reception = {
        host: 1,
        multicast: 2,
        broadcast: 3,
        otherhost: 4,
        outgoing: 0,
      };
      assertEquals(
        rows,
        FRAMES.map((f) => [
          f.iface,
          `0x0000000${f.direction === "in" ? 1 : 2}`,
          String(reception[f.pkttype]),
          `${f.s}.${
            String(precision === "nano" ? f.ns : Math.floor(f.ns / 1000) * 1000)
              .padStart(9, "0")
          }`,
          "61",
          "100",
        ]),
      );
    } finally {
      await Deno.remove(file);
    }
  }
});

Deno.test("tcpdump and capinfos read our pcapng: frames, interfaces, resolution, one statistics block each", async () => {
  const file = await saved(written("nano"));
  try {
    const dump = await run("tcpdump", [
      "-r",
      file,
      "-n",
      "-tt",
      "--time-stamp-precision",
      "nano",
    ]);
    assertEquals(dump.code, 0, dump.stderr);
    // (tcpdump cannot print the year 2100's time: "[Error converting time]")
    const lines = dump.stdout.split("\n").filter((l) =>
      l.includes(" ethertype ")
    );
    assertEquals(lines.length, FRAMES.length);
    assertTrue(dump.stdout.startsWith("1795633886.459425513 "), dump.stdout);
    const info = await run("capinfos", ["-I", file]);
    assertEquals(info.code, 0, info.stderr);
    assertEquals(
      [...info.stdout.matchAll(/Name = (\S+)/g)].map((m) => m[1]),
      ["veth0", "veth1"],
    );
    assertEquals(
      info.stdout.match(/Time precision = nanoseconds \(9\)/g)?.length,
      2,
    );
    assertEquals(info.stdout.match(/Capture length = 262144/g)?.length, 2);
    assertEquals(info.stdout.match(/Number of stat entries = 1/g)?.length, 2);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("the statistics blocks hold the kernel's counts and the frames written, per interface", async () => {
  const file = await saved(written("micro"));
  try {
    // veth0: received 7, dropped 2, 3 written; veth1: kernel counts unknown
    assertEquals(await statisticsBlocks(file), [
      {
        iface: 0,
        time: 1795633890000000,
        received: 7,
        dropped: 2,
        delivered: 3,
      },
      {
        iface: 1,
        time: 1795633890000000,
        received: null,
        dropped: null,
        delivered: 2,
      },
    ]);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("frames of an unnamed interface get an interface block with no name; blocks stay whole across flushes", () => {
  const chunks: Uint8Array[] = [];
  const writer = new PcapngWriter((b) => chunks.push(b.slice()), {
    bufferSize: 1,
  });
  for (let i = 0; i < 300; i++) { // 460 KB: more than the smallest buffer
    writer.write(new Uint8Array(1500).fill(i), { seconds: i, nanoseconds: 0 });
  }
  writer.flush();
  assertTrue(chunks.length > 1, "the small buffer flushed more than once");
  const frames = readPcap(new Uint8Array(chunks.flatMap((c) => [...c])));
  assertEquals(frames.length, 300);
  assertEquals(frames[299].iface, null);
  assertEquals(frames[299].bytes[0], 299 & 0xff);
});
