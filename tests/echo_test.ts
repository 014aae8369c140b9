import { assertEquals } from "./assert.ts";
import {
  ECHO_HEADER_SIZE,
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
    "52465047" + "01" + "00" + "1234" + "00000007" + "0102030405060708",
  );
  assertEquals(bytes.length, ECHO_HEADER_SIZE);
  assertEquals(parseEcho(bytes), {
    kind: "request",
    id: 0x1234,
    seq: 7,
    timestamp: 0x0102030405060708n,
  });
  assertEquals(parseEcho(bytes.subarray(0, 19)), undefined);
  assertEquals(parseEcho(new Uint8Array(20)), undefined);
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
});
