/**
 * The reader streams: one buffer filled again and again gives the frames
 * a whole file gives, blocks it skips may span any number of chunks, and
 * a visitor can stop it and take up again where it stopped.
 */
import { assertEquals, assertThrows } from "./assert.ts";
import { block, EPB, IDB, SHB } from "./pcapng_builder.ts";
import {
  type CapturedFrame,
  pcapHeader,
  PcapReader,
  pcapRecord,
  readPcap,
} from "../lib/pcap.ts";
import { FrameError } from "../lib/errors.ts";

/** Frames as comparable text. */
const text = (frames: CapturedFrame[]): string[] =>
  frames.map((f) =>
    `${f.timestamp.seconds}.${f.timestamp.nanoseconds} ${f.length} ${
      [...f.bytes].join(",")
    } ${f.iface}`
  );

/** Reads `file` through one `size`-byte buffer, filled again each time. */
function throughOneBuffer(file: Uint8Array, size: number): CapturedFrame[] {
  const reader = new PcapReader();
  const buffer = new Uint8Array(size);
  const frames: CapturedFrame[] = [];
  for (let at = 0; at < file.length; at += size) {
    const chunk = file.subarray(at, at + size);
    buffer.set(chunk);
    frames.push(...reader.push(buffer.subarray(0, chunk.length)));
    buffer.fill(0xee); // the reader must not have kept it
  }
  reader.end();
  return frames;
}

const frame = (n: number) => new Uint8Array(n).map((_, i) => (i * 7 + n) & 255);
const CLASSIC = new Uint8Array([
  ...pcapHeader(),
  ...[0, 1, 14, 60, 300].flatMap((n, i) => [
    ...pcapRecord(frame(n), { seconds: i, nanoseconds: 1000 * i }),
  ]),
]);
/** A custom block of 5000 bytes: read skips it as it streams by. */
const CUSTOM = block(0xbad, new Array(5000).fill(0xab));
const NG = new Uint8Array([
  ...SHB,
  ...IDB(1, "eth9"),
  ...CUSTOM,
  ...EPB([...frame(60)]),
  ...CUSTOM,
  ...CUSTOM,
  ...EPB([...frame(14)]),
]);

Deno.test("one buffer filled again and again reads as the whole file does, skipped blocks across chunks included", () => {
  for (const file of [CLASSIC, NG]) {
    const whole = text(readPcap(file));
    for (const size of [1, 3, 16, 17, 100, 4096]) {
      assertEquals(text(throughOneBuffer(file, size)), whole, `size ${size}`);
    }
  }
  assertEquals(readPcap(NG).length, 2);
});

Deno.test("a visitor stops the reader and the next push takes up where it stopped", () => {
  const reader = new PcapReader();
  const seen: number[] = [];
  const going = reader.pushEach(CLASSIC, (f) => {
    seen.push(f.length);
    return seen.length < 2;
  });
  assertEquals([going, seen], [false, [0, 1]]);
  // An empty chunk goes on with what waits: the other three records.
  const rest: number[] = [];
  assertEquals(
    reader.pushEach(new Uint8Array(0), (f) => void rest.push(f.length)),
    true,
  );
  assertEquals(rest, [14, 60, 300]);
  reader.end(); // nothing left over
});

Deno.test("a file cut inside a block it skips says which block", () => {
  const cut = NG.subarray(0, SHB.length + IDB(1, "eth9").length + 100);
  assertThrows(() => readPcap(cut), FrameError, "block 3 is cut short");
});
