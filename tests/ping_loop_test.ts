/**
 * The ping loop (lib/ping.ts) against a fake transport: matching replies,
 * losses, other pingers' replies, aborts. No network.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { ping, type PingEvent, type PingTransport } from "../lib/ping.ts";
import type { ReceivedFrame } from "../lib/received_frame.ts";
import type { TransmitTimestamp } from "../contract/types.ts";
import { InputError } from "../lib/errors.ts";
import { echoReply } from "../lib/echo.ts";

const ours = "02:00:00:00:00:0a";
const peer = "02:00:00:00:00:0b";

function received(bytes: Uint8Array): ReceivedFrame {
  return {
    iface: "fake0",
    bytes,
    length: bytes.length,
    ifindex: 2,
    pkttype: "host",
    direction: "in",
    timestamp: { seconds: 0, nanoseconds: 0 },
  };
}

/** Answers requests as `listen --echo` would, unless told to drop them. */
class FakePeer implements PingTransport {
  readonly interface = { mac: ours };
  queue: ReceivedFrame[] = [];
  drop = new Set<number>(); // request numbers (from 1) to leave unanswered
  silent = false; // answer nothing
  requests = 0;
  /** Also queue this frame after each reply (another pinger's reply). */
  noise?: (request: Uint8Array) => Uint8Array;

  send(frame: Uint8Array): void {
    this.requests++;
    if (this.silent || this.drop.has(this.requests)) return;
    if (this.noise) this.queue.push(received(this.noise(frame)));
    this.queue.push(received(echoReply(frame, peer)!));
  }
  async receive(
    options: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<ReceivedFrame | null> {
    options.signal?.throwIfAborted();
    const frame = this.queue.shift();
    if (frame) return frame;
    await new Promise((r) =>
      setTimeout(r, Math.min(options.timeoutMs ?? 5, 5))
    );
    options.signal?.throwIfAborted();
    return null;
  }
}

async function events(
  transport: PingTransport,
  options: Parameters<typeof ping>[1],
): Promise<PingEvent[]> {
  const all: PingEvent[] = [];
  for await (const event of ping(transport, options)) all.push(event);
  return all;
}

Deno.test("each request is answered in order; replies carry the sequence and sender", async () => {
  const got = await events(new FakePeer(), {
    dst: peer,
    count: 3,
    intervalMs: 10,
  });
  assertEquals(got.map((e) => `${e.kind} ${e.seq}`), [
    "sent 1",
    "reply 1",
    "sent 2",
    "reply 2",
    "sent 3",
    "reply 3",
  ]);
  const reply = got.find((e) => e.kind === "reply");
  assertTrue(
    reply?.kind === "reply" && reply.from === peer && reply.rttMs >= 0,
    JSON.stringify(reply),
  );
});

Deno.test("an unanswered request is lost after the timeout; another pinger's replies are ignored", async () => {
  const transport = new FakePeer();
  transport.drop.add(2);
  // Another pinger's reply (other identifier) arrives before each of ours.
  transport.noise = (request) => {
    const other = echoReply(request, peer)!;
    other[14 + 6] ^= 0xff; // identifier, high byte
    return other;
  };
  const got = await events(transport, {
    dst: peer,
    count: 3,
    intervalMs: 10,
    timeoutMs: 50,
    id: 7,
  });
  assertEquals(got.filter((e) => e.kind === "reply").map((e) => e.seq), [1, 3]);
  assertEquals(got.filter((e) => e.kind === "lost").map((e) => e.seq), [2]);
});

Deno.test("aborting rejects the pending step with the reason", async () => {
  const reason = new Error("Ctrl-C");
  const stop = new AbortController();
  setTimeout(() => stop.abort(reason), 50);
  const seen: PingEvent[] = [];
  const error = await (async () => {
    for await (
      const e of ping(new FakePeer(), {
        dst: peer,
        intervalMs: 10,
        signal: stop.signal,
      })
    ) {
      seen.push(e);
    }
  })().catch((e) => e);
  assertEquals(error, reason);
  assertTrue(seen.length >= 2, `${seen.length} events before the abort`);
});

Deno.test("pinging far faster than replies can come still lets timers (and so signals) in", async () => {
  // Every request is lost at once (timeout 0.001 ms) and the next is due
  // at once (interval 0.001 ms): the loop never has to wait.
  const transport = new FakePeer();
  transport.silent = true;
  transport.receive = (options) => {
    options.signal?.throwIfAborted();
    return Promise.resolve(null); // resolves without a macrotask
  };
  let fired = 0;
  const timer = setTimeout(() => fired = transport.requests, 10);
  const got = await events(transport, {
    dst: peer,
    count: 100_000,
    intervalMs: 0.001,
    timeoutMs: 0.001,
  }).finally(() => clearTimeout(timer));
  assertEquals(got.filter((e) => e.kind === "lost").length, 100_000);
  // A starved event loop would run the timer only after the last request.
  assertTrue(fired > 0 && fired < 100_000, `timer ran after ${fired} requests`);
});

/**
 * A peer on a kernel clock: each request "leaves" at 1 s + 10 µs × its
 * number (a transmit timestamp), the responder holds it 300 µs, and the
 * reply arrives 50 µs after the request left plus the hold.
 */
class StampedPeer extends FakePeer {
  stamps: TransmitTimestamp[] = [];
  stamped = true; // the responder reports its hold time

  override send(frame: Uint8Array): void {
    const n = this.requests; // the socket's frame number, from 0
    const left = 10_000 * n;
    this.stamps.push(
      stamp(n, "queued", left - 2_000),
      stamp(n, "sent", left),
    );
    this.requests++;
    const reply = echoReply(
      frame,
      peer,
      0x88b5,
      this.stamped
        ? {
          received: { seconds: 7, nanoseconds: 20_000 },
          clock: () => ({ seconds: 7, nanoseconds: 320_000 }),
        }
        : undefined,
    )!;
    this.queue.push({
      ...received(reply),
      timestamp: { seconds: 1, nanoseconds: left + 350_000 },
    });
  }
  transmitTimestamps(): TransmitTimestamp[] {
    const taken = this.stamps;
    this.stamps = [];
    return taken;
  }
}

function stamp(
  frame: number,
  stage: "queued" | "sent",
  nanoseconds: number,
): TransmitTimestamp {
  return { frame, stage, timestamp: { seconds: 1, nanoseconds } };
}

Deno.test("times come from the kernel's stamps: the round trip from the driver's transmit stamp to the reply's receive stamp, less the responder's hold", async () => {
  const clock = () => ({ seconds: 1, nanoseconds: 0 });
  const got = await events(new StampedPeer(), {
    dst: peer,
    count: 2,
    intervalMs: 5,
    clock,
  });
  const replies = got.filter((e) => e.kind === "reply");
  assertEquals(
    replies.map((r) =>
      r.kind === "reply" &&
      [r.roundTripMs, r.holdMs, Number(r.rttMs.toFixed(6)), r.kernelTimes]
    ),
    [[0.35, 0.3, 0.05, true], [0.35, 0.3, 0.05, true]],
  );
});

Deno.test("an older responder reports no hold time: the time is the whole round trip", async () => {
  const transport = new StampedPeer();
  transport.stamped = false;
  const got = await events(transport, { dst: peer, count: 1, intervalMs: 5 });
  const [reply] = got.filter((e) => e.kind === "reply");
  assertTrue(
    reply.kind === "reply" && reply.holdMs === undefined &&
      reply.rttMs === 0.35 && reply.roundTripMs === 0.35,
    JSON.stringify(reply),
  );
});

Deno.test("a socket opened without transmit timestamps still pings: times are the clock's", async () => {
  const transport = new FakePeer() as FakePeer & {
    transmitTimestamps(): TransmitTimestamp[];
  };
  let asked = 0;
  transport.transmitTimestamps = () => {
    asked++;
    throw new InputError("open the socket with { txTimestamps: true }");
  };
  const got = await events(transport, { dst: peer, count: 3, intervalMs: 5 });
  const replies = got.filter((e) => e.kind === "reply");
  assertEquals(replies.length, 3);
  assertTrue(
    replies.every((r) => r.kind === "reply" && !r.kernelTimes && r.rttMs >= 0),
    JSON.stringify(replies),
  );
  assertEquals(asked, 1); // asked once, then left alone
});
