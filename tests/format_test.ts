import { assertEquals } from "./assert.ts";
import {
  formatTimestamp,
  frameLine,
  frameRecord,
  hexdump,
  payloadPreview,
} from "../lib/format.ts";
import { buildFrame } from "../lib/frame.ts";
import type { ReceivedFrame } from "../lib/received_frame.ts";

function received(
  bytes: Uint8Array,
  direction: "in" | "out" = "in",
): ReceivedFrame {
  return {
    iface: "veth0",
    bytes,
    length: bytes.length,
    ifindex: 2,
    pkttype: direction === "out" ? "outgoing" : "host",
    direction,
    timestamp: { seconds: 1795633886, nanoseconds: 459425513 },
  };
}

Deno.test("timestamps are RFC 3339 UTC with microseconds", () => {
  assertEquals(
    formatTimestamp({ seconds: 1795633886, nanoseconds: 459425513 }),
    "2026-11-25T19:11:26.459425Z",
  );
  assertEquals(
    formatTimestamp({ seconds: 0, nanoseconds: 999 }),
    "1970-01-01T00:00:00.000000Z",
  );
});

Deno.test("payload preview: text when printable, hex otherwise, padding ignored", () => {
  assertEquals(payloadPreview(new Uint8Array([0x48, 0x69, 0, 0, 0])), '"Hi"');
  assertEquals(payloadPreview(new Uint8Array([1, 2, 0xfe])), "0102fe");
  assertEquals(payloadPreview(new Uint8Array(46)), "(no payload)");
  assertEquals(
    payloadPreview(new TextEncoder().encode("a".repeat(40))),
    `"${"a".repeat(32)}"…`,
  );
});

Deno.test("NDJSON record has exactly the contract's keys; vlan only when tagged", () => {
  const plain = frameRecord(
    received(
      buildFrame({
        dst: "02:00:00:00:00:02",
        src: "02:00:00:00:00:01",
        type: 0x88b5,
        payload: "Hi",
        pad: false,
      }),
    ),
  );
  assertEquals(plain, {
    ts: "2026-11-25T19:11:26.459425Z",
    iface: "veth0",
    direction: "in",
    pkttype: "host",
    dst: "02:00:00:00:00:02",
    src: "02:00:00:00:00:01",
    type: 0x88b5,
    len: 16,
    payload: "4869",
  });
  const tagged = frameRecord(
    received(
      buildFrame({
        dst: "02:00:00:00:00:02",
        src: "02:00:00:00:00:01",
        type: 0x0800,
        vlans: [{ id: 42, pcp: 3 }],
      }),
      "out",
    ),
  );
  assertEquals(Object.keys(tagged), [
    "ts",
    "iface",
    "direction",
    "pkttype",
    "dst",
    "src",
    "vlan",
    "type",
    "len",
    "payload",
  ]);
  assertEquals(tagged.vlan, [{ tpid: 0x8100, pcp: 3, dei: false, id: 42 }]);
  assertEquals(tagged.direction, "out");
  assertEquals(tagged.pkttype, "outgoing");
  assertEquals(tagged.len, 60);
});

Deno.test("human line: time, iface, direction, src > dst, tags, type with name, length, payload", () => {
  const line = frameLine(
    received(
      buildFrame({
        dst: "02:00:00:00:00:02",
        src: "02:00:00:00:00:01",
        type: 0x88b5,
        vlans: [{ id: 42, pcp: 3 }],
        payload: "Hi",
      }),
    ),
  );
  const pattern =
    /^\d\d:\d\d:\d\d\.459425 veth0 in {2}02:00:00:00:00:01 > 02:00:00:00:00:02, vlan 42 p 3, 0x88b5 \(exp1\), length 60: "Hi"$/;
  assertEquals(pattern.test(line), true, line);
});

Deno.test("hexdump matches `hexdump -Cv` byte for byte", async () => {
  for (const length of [1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 60, 61, 1514]) {
    const bytes = new Uint8Array(length).map((_, i) => (i * 37 + 11) & 0xff);
    const child = new Deno.Command("hexdump", {
      args: ["-Cv"],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(bytes);
    await writer.close();
    const expected = new TextDecoder().decode((await child.output()).stdout);
    assertEquals(hexdump(bytes), expected, `length ${length}`);
  }
});
