/**
 * FrameSeries against a fake sink: what goes out, in which calls, when,
 * and how it stops. No network.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { FrameSeries, recordedSchedule } from "../lib/series.ts";

/** A sink that records every call and what it carried. */
class FakeSink {
  calls: { kind: "send" | "many" | "repeated"; n: number; at: number }[] = [];
  frames: number[] = []; // first byte of each frame sent
  failAfter = Infinity;

  send(frame: Uint8Array): void {
    this.#take("send", [frame]);
  }
  sendMany(frames: readonly Uint8Array[], count: number): number {
    return this.#take("many", frames.slice(0, count));
  }
  sendRepeated(frame: Uint8Array, count: number): number {
    return this.#take("repeated", new Array(count).fill(frame));
  }
  #take(kind: "send" | "many" | "repeated", frames: Uint8Array[]): number {
    if (this.frames.length + frames.length > this.failAfter) {
      throw new Error("link gone");
    }
    this.calls.push({ kind, n: frames.length, at: performance.now() });
    for (const f of frames) this.frames.push(f[0]);
    return frames.length;
  }
}

const frame = (id: number): Uint8Array => new Uint8Array([id, 0, 0, 0]);

Deno.test("a fast series cycles through its frames in sendmmsg-sized batches", async () => {
  const sink = new FakeSink();
  const series = new FrameSeries(sink, [frame(1), frame(2), frame(3)], {
    count: 200,
  });
  await series.run();
  assertEquals(series.sent, 200);
  assertEquals(series.bytes, 800);
  assertEquals(sink.frames.slice(0, 7), [1, 2, 3, 1, 2, 3, 1]);
  assertEquals(sink.calls.map((c) => c.n), [64, 64, 64, 8]);
});

Deno.test("a one-frame flood copies the frame once per chunk; one frame is a plain send", async () => {
  const flood = new FakeSink();
  await new FrameSeries(flood, [frame(7)], { count: 20_000 }).run();
  assertEquals(flood.calls.map((c) => [c.kind, c.n]), [
    ["repeated", 8192],
    ["repeated", 8192],
    ["repeated", 3616],
  ]);
  const single = new FakeSink();
  await new FrameSeries(single, [frame(7)]).run();
  assertEquals(single.calls.map((c) => c.kind), ["send"]);
});

Deno.test("a paced series never sends a frame more than 1 ms early", async () => {
  const sink = new FakeSink();
  const series = new FrameSeries(sink, [frame(1)], {
    count: 20,
    schedule: { kind: "interval", ms: 5 },
  });
  const started = performance.now();
  await series.run();
  assertEquals(series.sent, 20);
  sink.calls.forEach((call, i) => {
    // Each call is due no earlier than the frames it carries.
    const first = sink.calls.slice(0, i).reduce((n, c) => n + c.n, 0);
    assertTrue(
      call.at - started >= first * 5 - 1,
      `frame ${first} at ${(call.at - started).toFixed(2)} ms`,
    );
  });
});

Deno.test("late frames go out together: a rate above the timer's resolution still holds on average", async () => {
  const sink = new FakeSink();
  const series = new FrameSeries(sink, [frame(1)], {
    count: 2000,
    schedule: { kind: "rate", pps: 20_000 },
  });
  await series.run();
  assertEquals(series.sent, 2000);
  assertTrue(sink.calls.some((c) => c.n > 1), "some calls carry a batch");
  // The last of 2000 frames at 20 k/s is due at 99.95 ms: never more than
  // 1 ms sooner.
  assertTrue(series.seconds >= 0.0989, `${series.seconds} s`);
});

Deno.test("recorded schedules replay the captured gaps", async () => {
  const schedule = recordedSchedule([
    { seconds: 100, nanoseconds: 0 },
    { seconds: 100, nanoseconds: 30_000_000 },
    { seconds: 100, nanoseconds: 60_000_000 },
  ]);
  assertEquals(schedule, { kind: "recorded", offsetsMs: [0, 30, 60] });
  const sink = new FakeSink();
  const series = new FrameSeries(sink, [frame(1), frame(2), frame(3)], {
    schedule,
  });
  await series.run();
  const offsets = sink.calls.map((c) => c.at - sink.calls[0].at);
  assertEquals(sink.frames, [1, 2, 3]);
  // Never early: each frame at least its recorded offset (less 1 ms).
  assertTrue(offsets[1] >= 29 && offsets[2] >= 59, `offsets ${offsets}`);
});

Deno.test("aborting rejects with the reason; sent counts exactly what went out", async () => {
  const sink = new FakeSink();
  const series = new FrameSeries(sink, [frame(1)], {
    count: Infinity,
    schedule: { kind: "interval", ms: 10 },
  });
  const reason = new Error("Ctrl-C");
  const stop = new AbortController();
  setTimeout(() => stop.abort(reason), 100);
  const error = await series.run({ signal: stop.signal }).catch((e) => e);
  assertEquals(error, reason);
  assertEquals(series.sent, sink.frames.length);
  assertTrue(series.sent >= 1, "frames went out before the abort");
  await new Promise((r) => setTimeout(r, 50));
  assertEquals(sink.frames.length, series.sent); // and none after it
});

Deno.test("a series far behind schedule still lets timers (and so signals) in", async () => {
  // 10^9 frames/s cannot be met: every frame is late, all the time.
  const sink = new FakeSink();
  const series = new FrameSeries(sink, [frame(1), frame(2)], {
    count: 2_000_000,
    schedule: { kind: "rate", pps: 1e9 },
  });
  let timerFired = false;
  const timer = setTimeout(() => timerFired = true, 10);
  await series.run().finally(() => clearTimeout(timer));
  assertEquals(series.sent, 2_000_000);
  assertTrue(series.seconds > 0.02, `the series took ${series.seconds} s`);
  // A starved event loop would run the timer only after the series.
  const firedDuring = timerFired;
  assertTrue(firedDuring, "the timer fired while the series ran");
});

Deno.test("a failing sink stops the series with its error; sent counts what went out", async () => {
  const sink = new FakeSink();
  sink.failAfter = 100;
  const series = new FrameSeries(sink, [frame(1), frame(2)], { count: 1000 });
  const error = await series.run().catch((e) => e);
  assertEquals((error as Error).message, "link gone");
  assertEquals(series.sent, sink.frames.length);
  assertTrue(series.sent <= 100, `${series.sent}`);
});
