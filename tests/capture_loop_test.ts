/**
 * The listening loop (lib/capture.ts) against a fake frame source: what it
 * records, shows and answers, when it waits, and how it stops. No network.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { Capture, EchoResponder, type FrameSource } from "../lib/capture.ts";
import { copyReceived, type ReceivedFrame } from "../lib/received_frame.ts";
import type { RingFrame } from "../contract/types.ts";
import { buildFrame, parseFrame } from "../lib/frame.ts";
import { encodeEcho, parseEcho } from "../lib/echo.ts";
import {
  putRecordHeader,
  RECORD_HEADER_SIZE,
  type RecordTarget,
} from "../contract/pcap_record.ts";
import { PcapWriter, readPcap } from "../lib/pcap.ts";

/** A frame as a source would describe it in place. */
function view(
  bytes: Uint8Array,
  pkttype: RingFrame["pkttype"] = "host",
): RingFrame {
  return {
    capturedLength: bytes.length,
    length: bytes.length,
    seconds: 1,
    nanoseconds: 0,
    pkttype,
    direction: pkttype === "outgoing" ? "out" : "in",
    ifindex: 2,
    copyTo: (target, at) => {
      target.set(bytes, at);
      return bytes.length;
    },
  };
}

/** Hands out queued batches; waiting takes the next batch (or sleeps). */
class FakeSource implements FrameSource {
  batches: RingFrame[][];
  waits = 0;
  drains = 0;
  /** A frame handed out 100 at a time, `floodDrains` times over. */
  flood?: RingFrame;
  floodDrains = 0;

  constructor(batches: RingFrame[][]) {
    this.batches = batches;
  }
  drain(visit: (frame: RingFrame) => void, limit = Infinity): number {
    this.drains++;
    if (this.flood && this.drains <= this.floodDrains) {
      for (let i = 0; i < 100; i++) visit(this.flood);
      return 100;
    }
    const batch = this.batches[0] ?? [];
    const taken = batch.splice(0, limit);
    if (batch.length === 0) this.batches.shift();
    taken.forEach(visit);
    return taken.length;
  }
  skipped = 0; // frames taken unseen
  skip(limit = Infinity): number {
    const taken = this.drain(() => {}, limit);
    this.skipped += taken;
    return taken;
  }
  copied = 0; // frames appended as records
  copyRecords(target: RecordTarget, limit: number): number {
    const taken = this.drain((frame) => {
      const size = RECORD_HEADER_SIZE + frame.capturedLength;
      if (target.used + size > target.bytes.length) target.makeRoom(size);
      putRecordHeader(
        target.view,
        target.used,
        frame.seconds,
        frame.nanoseconds,
        target.perUnit,
        frame.capturedLength,
        frame.length,
      );
      frame.copyTo(target.bytes, target.used + RECORD_HEADER_SIZE);
      target.used += size;
    }, limit);
    this.copied += taken;
    return taken;
  }
  async waitReadable(options: { signal?: AbortSignal }): Promise<void> {
    this.waits++;
    options.signal?.throwIfAborted();
    await new Promise((r) => setTimeout(r, 5));
    options.signal?.throwIfAborted();
  }
  copyFrame(frame: RingFrame): ReceivedFrame {
    return copyReceived(frame, "fake0");
  }
  lendFrame(frame: RingFrame): ReceivedFrame {
    return this.copyFrame(frame);
  }
  interfaceOf(): string {
    return "fake0";
  }
  readonly ended = false;
}

const macA = "02:00:00:00:00:0a";
const macB = "02:00:00:00:00:0b";
const hi = (n: number): Uint8Array =>
  buildFrame({ dst: macB, src: macA, type: 0x88b5, payload: `Hi ${n}` });

Deno.test("a capture records every frame in place, shows copies, and stops at its count", async () => {
  const source = new FakeSource([[view(hi(1)), view(hi(2))], [], [
    view(hi(3)),
    view(hi(4)),
  ]]);
  const recorded: number[] = [];
  const shown: string[] = [];
  let batches = 0;
  const capture = new Capture(source, {
    count: 3,
    record: (frame) => recorded.push(frame.length),
    show: (frame) =>
      shown.push(
        new TextDecoder().decode(
          parseFrame(frame.bytes).payload.subarray(0, 4),
        ),
      ),
    afterBatch: () => batches++,
  });
  await capture.run();
  assertEquals(capture.received, 3);
  assertEquals(recorded, [60, 60, 60]);
  assertEquals(shown, ["Hi 1", "Hi 2", "Hi 3"]);
  assertTrue(source.waits >= 1, "it waited when a batch was empty");
  assertTrue(batches >= 3, `${batches} batches`);
  assertEquals(source.batches[0]?.length, 1); // the 4th frame stays queued
});

Deno.test("a capture that only counts takes frames unseen", async () => {
  const source = new FakeSource([[view(hi(1)), view(hi(2))], [view(hi(3))]]);
  const capture = new Capture(source, { count: 3 });
  await capture.run();
  assertEquals([capture.received, source.skipped], [3, 3]);
});

/** A pcap writer into memory, and the file it wrote so far. */
function memoryPcap(bufferSize?: number) {
  const chunks: Uint8Array[] = [];
  const writer = new PcapWriter(
    (bytes) => chunks.push(bytes.slice()),
    "micro",
    bufferSize,
  );
  const file = () => {
    writer.flush();
    return new Uint8Array(chunks.flatMap((c) => [...c]));
  };
  return { writer, file };
}

Deno.test("a capture into a pcap writer alone copies records straight in; with another consumer, frame by frame", async () => {
  const frames = [hi(1), hi(2), hi(3)];
  const alone = new FakeSource([frames.map((f) => view(f))]);
  const straight = memoryPcap();
  await new Capture(alone, { count: 3, pcap: straight.writer }).run();
  assertEquals(alone.copied, 3);
  const busy = new FakeSource([frames.map((f) => view(f))]);
  const visited = memoryPcap();
  const recorded: number[] = [];
  const capture = new Capture(busy, {
    count: 3,
    pcap: visited.writer,
    record: (frame) => recorded.push(frame.length),
  });
  await capture.run();
  assertEquals([busy.copied, recorded.length, capture.received], [0, 3, 3]);
  for (const file of [straight.file(), visited.file()]) {
    assertEquals(
      readPcap(file).map((f) => [...f.bytes]),
      frames.map((f) => [...f]),
    );
  }
});

Deno.test("records that outgrow the writer's buffer are flushed, and one larger than all of it still fits", async () => {
  const small = hi(1);
  const big = buildFrame({
    dst: macB,
    src: macA,
    type: 0x88b5,
    payload: new Uint8Array(70_000),
  });
  const source = new FakeSource([[view(small), view(big), view(small)]]);
  const { writer, file } = memoryPcap(1); // the smallest buffer it allows
  await new Capture(source, { count: 3, pcap: writer }).run();
  assertEquals(readPcap(file()).map((f) => f.bytes.length), [
    60,
    big.length,
    60,
  ]);
});

Deno.test("the echo responder, as a capture's handler, answers requests coming in; not replies, not outgoing frames", async () => {
  const request = buildFrame({
    dst: macB,
    src: macA,
    type: 0x88b5,
    payload: encodeEcho({ kind: "request", id: 5, seq: 9, timestamp: 1n }),
  });
  const reply = buildFrame({
    dst: macB,
    src: macA,
    type: 0x88b5,
    payload: encodeEcho({ kind: "reply", id: 5, seq: 9, timestamp: 1n }),
  });
  const source = new FakeSource([[
    view(request),
    view(reply),
    view(request, "outgoing"),
    view(hi(1)),
  ]]);
  const sent: Uint8Array[] = [];
  const responder = new EchoResponder({
    mac: macB,
    etherType: 0x88b5,
    send: (f) => sent.push(f),
  });
  const capture = new Capture(source, {
    count: 4,
    show: (frame) => responder.answer(frame),
  });
  await capture.run();
  assertEquals([capture.received, responder.answered, sent.length], [4, 1, 1]);
  const answer = parseFrame(sent[0]);
  assertEquals([answer.src, answer.dst], [macB, macA]);
  assertEquals(parseEcho(answer.payload)?.kind, "reply");
});

Deno.test("aborting a waiting capture rejects with the reason; counts stay", async () => {
  const source = new FakeSource([[view(hi(1))]]);
  const capture = new Capture(source, {});
  const reason = new Error("Ctrl-C");
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(reason), 30);
  assertEquals(
    await capture.run({ signal: stop.signal }).catch((e) => e)
      .finally(() => clearTimeout(timer)),
    reason,
  );
  assertEquals(capture.received, 1);
});

Deno.test("a long flood still lets timers (and so signals) in", async () => {
  const source = new FakeSource([]);
  source.flood = view(hi(0));
  source.floodDrains = 3_000_000; // 300 M frames without a pause
  const capture = new Capture(source, {});
  const stop = new AbortController();
  let drainsAtAbort = 0;
  const timer = setTimeout(() => {
    drainsAtAbort = source.drains;
    stop.abort();
  }, 10);
  await capture.run({ signal: stop.signal }).catch(() => {});
  clearTimeout(timer);
  // A starved event loop would run the timer only once the flood is over.
  assertTrue(
    drainsAtAbort > 0 && drainsAtAbort < source.floodDrains,
    `timer ran after ${drainsAtAbort} drains`,
  );
});
