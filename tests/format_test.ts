import { assertEquals } from "./assert.ts";
import {
  formatTimestamp,
  frameJson,
  frameLine,
  frameRecord,
  hexdump,
  payloadPreview,
} from "../lib/format.ts";
import { buildFrame } from "../lib/frame.ts";
import { FrameJsonWriter } from "../lib/json_writer.ts";
import { referenceRecord } from "./reference_record.ts";
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
    info: null,
    layers: [],
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
    "info",
    "layers",
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

Deno.test("802.3 frames: shown as 802.3 with their length field, as tcpdump does; JSON type null, length", () => {
  // An STP BPDU: LLC (42 42 03) and 35 bytes of BPDU, padded to 60.
  const bytes = new Uint8Array(60);
  bytes.set([0x01, 0x80, 0xc2, 0, 0, 0, 0x02, 0, 0, 0, 0, 1, 0, 38]);
  bytes.set([0x42, 0x42, 0x03, 0, 0, 0, 0], 14);
  const line = frameLine(received(bytes));
  assertEquals(
    line.endsWith(
      " 02:00:00:00:00:01 > 01:80:c2:00:00:00, 802.3, length 38: LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config, Flags [none], bridge-id 0000.00:00:00:00:00:00.0000, length 35",
    ),
    true,
    line,
  );
  const record = frameRecord(received(bytes));
  assertEquals([record.type, record.length, record.len], [null, 38, 60]);
  assertEquals(Object.keys(record).slice(6), [
    "type",
    "length",
    "len",
    "payload",
    "info",
    "layers",
  ]);
  // An 802.3 frame whose LLC says nothing known: the LLC header only.
  bytes.set([0xe0, 0xe0, 0x03], 14);
  assertEquals(
    frameLine(received(bytes)).endsWith(
      "802.3, length 38: LLC, dsap IPX (0xe0) Individual, ssap IPX (0xe0) Command, ctrl 0x03",
    ),
    true,
  );
  const plain = frameRecord(
    received(
      buildFrame({
        dst: "02:00:00:00:00:02",
        src: "02:00:00:00:00:01",
        type: 0x88b5,
      }),
    ),
  );
  assertEquals("length" in plain, false);
});

Deno.test("only padding is hidden: a frame over 60 bytes shows its trailing zeros", () => {
  const zeros = buildFrame({
    dst: "02:00:00:00:00:02",
    src: "02:00:00:00:00:01",
    type: 0x88b5,
    payload: new Uint8Array(200),
  });
  assertEquals(zeros.length, 214);
  const line = frameLine(received(zeros));
  assertEquals(line.endsWith(`length 214: ${"00".repeat(32)}…`), true, line);
  // A payload ending in zeros (as an LLDP End TLV does): in a frame
  // longer than 60 bytes, they are data, not padding.
  const lldp = buildFrame({
    dst: "01:80:c2:00:00:0e",
    src: "02:00:00:00:00:01",
    type: 0x88b6,
    payload: new Uint8Array([
      0x02,
      0x07,
      0x04,
      ...new Array(44).fill(0x41),
      0x00,
      0x00,
    ]),
  });
  const shown = frameLine(received(lldp)).split(": ").at(-1)!;
  assertEquals(shown.endsWith("…"), true, shown);
  assertEquals(
    payloadPreview(new Uint8Array([0x48, 0x69, 0, 0]), false),
    "48690000",
  );
  // A tagged 64-byte frame was padded to 60 before its tag: still padding.
  const tagged = buildFrame({
    dst: "02:00:00:00:00:02",
    src: "02:00:00:00:00:01",
    type: 0x88b5,
    payload: "Hi",
    pad: false,
  });
  const padded = new Uint8Array(64);
  padded.set(tagged.subarray(0, 12));
  padded.set([0x81, 0x00, 0x00, 0x2a], 12);
  padded.set(tagged.subarray(12), 16);
  assertEquals(frameLine(received(padded)).endsWith(`length 64: "Hi"`), true);
});

Deno.test("frameJson is exactly the reference record, stringified: plain, tagged, QinQ, 802.3, odd names", () => {
  const base = { dst: "02:00:00:00:00:02", src: "02:00:00:00:00:01" };
  const ieee = new Uint8Array(60);
  ieee.set([0x01, 0x80, 0xc2, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 38, 0x42, 0x42, 3]);
  const frames = [
    buildFrame({ ...base, type: 0x88b5, payload: "Hi" }),
    buildFrame({ ...base, type: 0x0800, vlans: [{ id: 42, pcp: 3 }] }),
    buildFrame({
      ...base,
      type: 0x88b6,
      vlans: [{ id: 100 }, { id: 7, dei: true }],
    }),
    ieee,
  ];
  for (const bytes of frames) {
    for (const iface of ["eth0", 'we"ird\\', "ünï"]) {
      const frame = { ...received(bytes, "out"), iface };
      assertEquals(frameJson(frame), JSON.stringify(referenceRecord(frame)));
      assertEquals(frameRecord(frame), referenceRecord(frame));
    }
  }
});

Deno.test("FrameJsonWriter writes exactly the reference record's JSON, as bytes, a line per frame", () => {
  const base = { dst: "02:00:00:00:00:02", src: "02:00:00:00:00:01" };
  const ieee = new Uint8Array(60);
  ieee.set([0x01, 0x80, 0xc2, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 38, 0x42, 0x42, 3]);
  const cut = buildFrame({ ...base, type: 0x88b5, vlans: [{ id: 5 }] })
    .subarray(0, 17);
  const frames = [
    buildFrame({ ...base, type: 0x88b5, payload: "Hi" }),
    buildFrame({ ...base, type: 0x0800, vlans: [{ id: 42, pcp: 3 }] }),
    buildFrame({
      ...base,
      type: 0x88b6,
      vlans: [{ id: 100 }, { id: 7, dei: true }],
    }),
    buildFrame({
      ...base,
      type: 0x88b5,
      payload: new Uint8Array(1500).fill(0xab),
    }),
    ieee,
    cut, // a tag with no room for a type after it stays unparsed, as parseFrame
  ];
  const chunks: Uint8Array[] = [];
  const writer = new FrameJsonWriter(
    (bytes) => chunks.push(bytes.slice()),
    4096,
  );
  const expected: string[] = [];
  let seconds = 1795633886;
  for (const bytes of frames) {
    for (const iface of ["eth0", 'we"ird\\', "ünï"]) {
      const frame = {
        ...received(bytes, iface === "eth0" ? "in" : "out"),
        iface,
      };
      frame.timestamp = { seconds: seconds++, nanoseconds: 1234567 };
      expected.push(`${JSON.stringify(referenceRecord(frame))}\n`);
      writer.add({
        capturedLength: bytes.length,
        length: frame.length,
        seconds: frame.timestamp.seconds,
        nanoseconds: frame.timestamp.nanoseconds,
        pkttype: frame.pkttype,
        direction: frame.direction,
        ifindex: 2,
        copyTo: (target, at) => (target.set(bytes, at), bytes.length),
      }, iface);
    }
  }
  writer.flush();
  const text = new TextDecoder().decode(
    new Uint8Array(chunks.flatMap((c) => [...c])),
  );
  assertEquals(text, expected.join(""));
});
