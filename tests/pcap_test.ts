import { assertEquals, assertThrows } from "./assert.ts";
import { pcapHeader, pcapRecord, readPcap } from "../lib/pcap.ts";
import { FrameError } from "../lib/errors.ts";
import { hex } from "./helpers.ts";

const frame = Uint8Array.from({ length: 60 }, (_, i) => i);
const ts = { seconds: 1795633886, nanoseconds: 459425513 };

Deno.test("pcap header: magic, version 2.4, snaplen, link type Ethernet", () => {
  assertEquals(
    hex(pcapHeader()),
    "d4c3b2a1" + "02000400" + "00000000" + "00000000" + "00000400" + "01000000",
  );
  assertEquals(hex(pcapHeader("nano").subarray(0, 4)), "4d3cb2a1");
});

Deno.test("pcap record: seconds, fraction, captured and wire length, bytes", () => {
  const record = pcapRecord(frame.subarray(0, 4), ts, 60);
  assertEquals(
    hex(record),
    "de32076b" + "a1020700" + "04000000" + "3c000000" + "00010203",
  );
  const nano = pcapRecord(frame.subarray(0, 1), ts, 1, "nano");
  assertEquals(hex(nano.subarray(4, 8)), "e946621b");
});

Deno.test("what we write reads back: bytes, lengths, timestamps in both precisions", () => {
  for (const precision of ["micro", "nano"] as const) {
    const file = new Uint8Array([
      ...pcapHeader(precision),
      ...pcapRecord(frame, ts, 60, precision),
      ...pcapRecord(
        frame.subarray(0, 20),
        { seconds: 5, nanoseconds: 1000 },
        1514,
        precision,
      ),
    ]);
    const frames = readPcap(file);
    assertEquals(frames.length, 2);
    assertEquals([...frames[0].bytes], [...frame]);
    assertEquals(
      frames[0].timestamp.nanoseconds,
      precision === "nano" ? 459425513 : 459425000,
    );
    assertEquals([frames[1].bytes.length, frames[1].length], [20, 1514]);
  }
});

Deno.test("reading rejects what is not a pcap file, and truncated ones", () => {
  assertThrows(() => readPcap(new Uint8Array(0)), FrameError, "empty");
  assertThrows(
    () => readPcap(new TextEncoder().encode("hello world, not pcap")),
    FrameError,
    "magic",
  );
  const file = new Uint8Array([...pcapHeader(), ...pcapRecord(frame, ts)]);
  assertThrows(
    () => readPcap(file.subarray(0, file.length - 1)),
    FrameError,
    "record 1 is cut short",
  );
  const radiotap = pcapHeader();
  radiotap[20] = 127; // 802.11 radiotap: not read
  assertThrows(
    () => readPcap(radiotap),
    FrameError,
    "rawframe reads Ethernet (1) and Linux cooked",
  );
});
