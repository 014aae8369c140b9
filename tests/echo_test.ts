import { assertEquals } from "./assert.ts";
import {
  ECHO_HEADER_SIZE,
  ECHO_STAMPED_SIZE,
  echoReply,
  encodeEcho,
  parseEcho,
} from "../lib/echo.ts";
import { buildFrame, parseFrame } from "../lib/frame.ts";
import { summarize } from "../lib/ping.ts";
import { hex } from "./helpers.ts";

Deno.test("echo header: RFPG, kind, id, seq, timestamp, big-endian", () => {
  const bytes = encodeEcho({
    kind: "request",
    id: 0x1234,
    seq: 7,
    timestamp: 0x0102030405060708n,
  });
  assertEquals(
    hex(bytes),
    "52465047" + "01" + "00" + "1234" + "00000007" + "0102030405060708" +
      "00".repeat(16), // room for the responder's stamps
  );
  assertEquals(bytes.length, ECHO_STAMPED_SIZE);
  assertEquals(parseEcho(bytes), {
    kind: "request",
    id: 0x1234,
    seq: 7,
    timestamp: 0x0102030405060708n,
  });
  assertEquals(parseEcho(bytes.subarray(0, ECHO_HEADER_SIZE))?.seq, 7);
  assertEquals(parseEcho(bytes.subarray(0, 19)), undefined);
  assertEquals(parseEcho(new Uint8Array(20)), undefined);
});

/** A request as an older pinger sent it: a 20-byte header, padded to 60. */
function olderRequest(seq: number): Uint8Array {
  return buildFrame({
    dst: "02:00:00:00:00:02",
    src: "02:00:00:00:00:01",
    type: 0x88b5,
    payload: encodeEcho({ kind: "request", id: 9, seq, timestamp: 5n })
      .subarray(0, ECHO_HEADER_SIZE),
  });
}

Deno.test("a responder with a clock writes when the request came and when the reply left; flags bit 0 says so", () => {
  const request = olderRequest(3); // padding gives the stamps room
  let read = 0;
  const reply = echoReply(request, "02:00:00:00:00:02", 0x88b5, {
    received: { seconds: 1, nanoseconds: 500 },
    clock: () => (read++, { seconds: 1, nanoseconds: 120_500 }),
  })!;
  assertEquals(read, 1);
  const payload = reply.subarray(14);
  assertEquals(hex(payload.subarray(4, 6)), "0201"); // reply, stamped
  assertEquals(
    hex(payload.subarray(20, 36)),
    (1_000_000_500).toString(16).padStart(16, "0") +
      (1_000_120_500).toString(16).padStart(16, "0"),
  );
  assertEquals(parseEcho(payload)?.held, {
    received: 1_000_000_500n,
    sent: 1_000_120_500n,
  });
  // An older responder's reply: flags 0, read without stamps.
  assertEquals(
    parseEcho(echoReply(request, "02:00:00:00:00:02")!.subarray(14)),
    {
      kind: "reply",
      id: 9,
      seq: 3,
      timestamp: 5n,
    },
  );
  // No room (an unpadded 20-byte request): answered, without stamps.
  const short = buildFrame({
    dst: "02:00:00:00:00:02",
    src: "02:00:00:00:00:01",
    type: 0x88b5,
    payload: encodeEcho({ kind: "request", id: 9, seq: 4, timestamp: 5n })
      .subarray(0, ECHO_HEADER_SIZE),
    pad: false,
  });
  const answer = echoReply(short, "02:00:00:00:00:02", 0x88b5, {
    received: { seconds: 1, nanoseconds: 0 },
    clock: () => ({ seconds: 2, nanoseconds: 0 }),
  })!;
  assertEquals(answer.length, short.length);
  assertEquals(parseEcho(answer.subarray(14))?.held, undefined);
});

Deno.test("a reply swaps addresses, sets the kind, and keeps tags and padding", () => {
  const request = buildFrame({
    dst: "ff:ff:ff:ff:ff:ff",
    src: "02:00:00:00:00:01",
    type: 0x88b5,
    vlans: [{ id: 42, pcp: 3 }],
    payload: encodeEcho({ kind: "request", id: 9, seq: 1, timestamp: 5n }),
  });
  const reply = echoReply(request, "02:00:00:00:00:02")!;
  const parsed = parseFrame(reply);
  assertEquals([parsed.dst, parsed.src], [
    "02:00:00:00:00:01",
    "02:00:00:00:00:02",
  ]);
  assertEquals(parsed.vlans.map((v) => v.id), [42]);
  assertEquals(parseEcho(parsed.payload), {
    kind: "reply",
    id: 9,
    seq: 1,
    timestamp: 5n,
  });
  assertEquals(reply.length, request.length);
  assertEquals(hex(reply.subarray(38)), hex(request.subarray(38)));
  assertEquals(echoReply(reply, "02:00:00:00:00:01"), undefined); // replies are not answered
  assertEquals(echoReply(request, "02:00:00:00:00:02", 0x88b6), undefined); // other EtherType
});

Deno.test("ping summary: loss and rtt min/avg/max/mdev as ping computes them", () => {
  assertEquals(summarize(4, [1, 2, 3]), {
    sent: 4,
    received: 3,
    lossPercent: 25,
    rttMs: { min: 1, avg: 2, max: 3, mdev: Math.sqrt(14 / 3 - 4) },
  });
  assertEquals(summarize(2, []), { sent: 2, received: 0, lossPercent: 100 });
  assertEquals(summarize(2, [1, 1], [0.5, 0.5]).holdMs, {
    min: 0.5,
    avg: 0.5,
    max: 0.5,
    mdev: 0,
  });
});
