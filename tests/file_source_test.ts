/**
 * FileSource: a capture file as the capture loop's frame source, fed in
 * chunks of any size; what it hands out, counts, records and refuses.
 */
import { assertEquals, assertRejects, assertTrue } from "./assert.ts";
import { Capture, FileSource } from "../lib/capture.ts";
import { pcapHeader, pcapRecord, PcapWriter, readPcap } from "../lib/pcap.ts";
import { buildFrame, parseFrame } from "../lib/frame.ts";
import { FrameError } from "../lib/errors.ts";

const frames = Array.from({ length: 50 }, (_, i) =>
  buildFrame({
    dst: "02:00:00:00:00:0b",
    src: "02:00:00:00:00:0a",
    type: i % 3 === 0 ? 0x0806 : 0x88b5,
    payload: `frame ${i}`.repeat(1 + (i % 7)),
  }));
const file = new Uint8Array([
  ...pcapHeader(),
  ...frames.flatMap((f, i) => [
    ...pcapRecord(f, { seconds: 100 + i, nanoseconds: i * 1000 }),
  ]),
]);

/** `bytes` in pieces of `size`. */
function* pieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  const buffer = new Uint8Array(size); // one buffer, filled again, as a file reader does
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size);
    buffer.set(piece);
    yield buffer.subarray(0, piece.length);
  }
}

Deno.test("a capture over a FileSource takes every frame once, in order, whatever the chunks", async () => {
  for (const size of [1, 7, 100, 4096, file.length]) {
    const shown: string[] = [];
    const source = new FileSource(pieces(file, size));
    const capture = new Capture(source, {
      show: (frame) =>
        shown.push(new TextDecoder().decode(frame.bytes.subarray(14))),
    });
    await capture.run();
    assertEquals(capture.received, 50, `chunks of ${size}`);
    assertEquals(
      shown,
      frames.map((f) => new TextDecoder().decode(f.subarray(14))),
    );
    assertTrue(source.ended, "ended");
  }
});

Deno.test("a FileSource selects, stops at a count, and copies records straight into a pcap writer", async () => {
  const chunks: Uint8Array[] = [];
  const writer = new PcapWriter((bytes) => chunks.push(bytes.slice()));
  const source = new FileSource(pieces(file, 333), {
    select: (frame) => parseFrame(frame.bytes).type === 0x88b5,
  });
  const capture = new Capture(source, {
    count: 20,
    pcap: writer,
    afterBatch: () => writer.flush(),
  });
  await capture.run();
  assertEquals(capture.received, 20);
  const written = readPcap(new Uint8Array(chunks.flatMap((c) => [...c])));
  const want = frames.map((f, i) => ({ f, i })).filter(({ i }) => i % 3 !== 0)
    .slice(0, 20);
  assertEquals(written.map((f) => f.bytes), want.map(({ f }) => f));
  assertEquals(
    written.map((f) => f.timestamp),
    want.map(({ i }) => ({ seconds: 100 + i, nanoseconds: i * 1000 })),
  );
});

Deno.test("a FileSource refuses a cut-off file after its whole frames, and what is not a capture at once", async () => {
  let seen = 0;
  const cut = new FileSource([file.subarray(0, file.length - 5)]);
  const capture = new Capture(cut, { show: () => seen++ });
  await assertRejects(() => capture.run(), FrameError, "cut short");
  assertEquals(seen, 49);
  const junk = new FileSource([new TextEncoder().encode("hello, world")]);
  await assertRejects(
    () => new Capture(junk, {}).run(),
    FrameError,
    "not a pcap or pcapng file",
  );
});

Deno.test("a FileSource's frames are lent: a copy outlives the visit, the lent frame does not", async () => {
  const source = new FileSource([file]);
  const copies: Uint8Array[] = [];
  const lent: Uint8Array[] = [];
  await source.waitReadable();
  source.drain((view) => {
    copies.push(source.copyFrame(view).bytes);
    lent.push(source.lendFrame(view).bytes);
  });
  assertEquals(copies, frames);
  // What was lent is a view into the reader's buffer, not a frame to keep.
  assertTrue(
    lent.every((bytes) => bytes.buffer === lent[0].buffer),
    "lent views share the reader's buffer",
  );
});
