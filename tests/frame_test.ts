import { assertEquals, assertThrows } from "./assert.ts";
import {
  buildFrame,
  etherTypeName,
  formatMac,
  packEtherType,
  parseEtherType,
  parseFrame,
  parseHex,
  parseMac,
  toHex,
  vlanTag,
} from "../lib/frame.ts";
import {
  EtherTypeError,
  FrameError,
  MacAddressError,
  VlanError,
} from "../lib/errors.ts";

const MAC = [0x08, 0x00, 0x27, 0xdd, 0xd7, 0x43];

Deno.test("parseMac accepts the four written forms in any case", () => {
  for (
    const text of [
      "08:00:27:dd:d7:43",
      "08-00-27-DD-D7-43",
      "0800.27dd.d743",
      "080027ddd743",
      "080027DDD743",
      "08:00:27:Dd:d7:43",
    ]
  ) {
    assertEquals([...parseMac(text)], MAC, text);
  }
});

Deno.test("parseMac rejects typos, quoting the input and an example", () => {
  const cases: [string, RegExp][] = [
    ["08:00:27:dd:d7:4g", /"g" is not a hex digit/],
    ["08:00:27:dd:d7", /10 hex digits, a MAC has 12/],
    ["08:00:27:dd:d7:43:01", /14 hex digits/],
    ["08:00-27:dd:d7:43", /separators/],
    ["0800.27dd.d74", /11 hex digits/],
    ["8:0:27:dd:d7:43", /10 hex digits/],
    ["", /0 hex digits/],
    [" 08:00:27:dd:d7:43", /" " is not a hex digit/], // taken as given
    ["08:00:27:dd:d7:43\n", /"\\n" is not a hex digit/],
  ];
  for (const [text, why] of cases) {
    const err = assertThrows(() => parseMac(text), MacAddressError);
    assertEquals(err.message.includes(JSON.stringify(text)), true, err.message);
    assertEquals(why.test(err.message), true, err.message);
    assertEquals(err.message.includes("08:00:27:dd:d7:43"), true);
  }
});

Deno.test("formatMac writes lowercase colon form and checks length", () => {
  assertEquals(formatMac(new Uint8Array(MAC)), "08:00:27:dd:d7:43");
  assertThrows(() => formatMac(new Uint8Array(5)), MacAddressError);
});

Deno.test("parseEtherType takes hex with or without 0x, and names", () => {
  assertEquals(parseEtherType("0x88b5"), 0x88b5);
  assertEquals(parseEtherType("88B5"), 0x88b5);
  assertEquals(parseEtherType("0800"), 0x0800);
  assertEquals(parseEtherType("0x600"), 0x0600);
  assertEquals(parseEtherType("0xffff"), 0xffff);
  const names: [string, number][] = [
    ["ipv4", 0x0800],
    ["arp", 0x0806],
    ["ipv6", 0x86dd],
    ["vlan", 0x8100],
    ["lldp", 0x88cc],
    ["exp1", 0x88b5],
    ["EXP2", 0x88b6],
  ];
  for (const [name, value] of names) assertEquals(parseEtherType(name), value);
});

Deno.test("parseEtherType rejects lengths, junk and unknown names", () => {
  for (const text of ["0x05ff", "0x0000", "1", "0x10000", "0xzz", "ip", ""]) {
    const err = assertThrows(() => parseEtherType(text), EtherTypeError);
    assertEquals(err.message.includes(JSON.stringify(text)), true, err.message);
  }
  assertThrows(() => parseEtherType("0x05ff"), EtherTypeError, "802.3 lengths");
});

Deno.test("etherTypeName and packEtherType", () => {
  assertEquals(etherTypeName(0x88b5), "exp1");
  assertEquals(etherTypeName(0x1234), undefined);
  assertEquals([...packEtherType(0x88b5)], [0x88, 0xb5]);
  assertThrows(() => packEtherType(0x05dc), EtherTypeError);
});

Deno.test("buildFrame makes pyng's frame: dst, src, 0x88b5, Hi, padded to 60", () => {
  const frame = buildFrame({
    dst: "08:00:27:dd:d7:43",
    src: "02:00:00:00:00:01",
    type: 0x88b5,
    payload: "Hi",
  });
  const expected = new Uint8Array(60);
  expected.set([...MAC, 2, 0, 0, 0, 0, 1, 0x88, 0xb5, 0x48, 0x69]);
  assertEquals(toHex(frame), toHex(expected));
});

Deno.test("buildFrame without padding keeps the exact length", () => {
  const frame = buildFrame({
    dst: new Uint8Array(MAC),
    src: "02:00:00:00:00:01",
    type: 0x0800,
    payload: new Uint8Array([1, 2, 3]),
    pad: false,
  });
  assertEquals(frame.length, 17);
  assertEquals(toHex(frame.subarray(12)), "0800010203");
});

Deno.test("buildFrame inserts 802.1Q tags; two tags make QinQ with 0x88a8 outside", () => {
  const one = buildFrame({
    dst: "ff:ff:ff:ff:ff:ff",
    src: "02:00:00:00:00:01",
    type: 0x88b5,
    vlans: [{ id: 42, pcp: 5, dei: true }],
    payload: "Hi",
  });
  // TCI = pcp 5 << 13 | dei << 12 | 42 = 0xb02a
  assertEquals(toHex(one.subarray(12, 20)), "8100b02a88b54869");
  const two = buildFrame({
    dst: "ff:ff:ff:ff:ff:ff",
    src: "02:00:00:00:00:01",
    type: 0x0800,
    vlans: [{ id: 100 }, { id: 42 }],
    pad: false,
  });
  assertEquals(toHex(two.subarray(12)), "88a800648100002a0800");
});

Deno.test("VLAN fields are validated with named errors", () => {
  assertThrows(() => vlanTag({ id: 4095 }), VlanError, "VLAN ID 4095");
  assertThrows(() => vlanTag({ id: -1 }), VlanError);
  assertThrows(() => vlanTag({ id: 1, pcp: 8 }), VlanError, "priority 8");
  assertEquals(vlanTag({ id: 4094, pcp: 7 }), {
    tpid: 0x8100,
    pcp: 7,
    dei: false,
    id: 4094,
  });
});

Deno.test("buildFrame rejects bad fields before building anything", () => {
  const base = { dst: "02:00:00:00:00:02", src: "02:00:00:00:00:01" };
  assertThrows(() => buildFrame({ ...base, type: 0x0100 }), EtherTypeError);
  assertThrows(
    () => buildFrame({ ...base, dst: "nope", type: 0x88b5 }),
    MacAddressError,
  );
  assertThrows(
    () => buildFrame({ ...base, src: new Uint8Array(4), type: 0x88b5 }),
    MacAddressError,
  );
});

Deno.test("parseFrame reads back what buildFrame wrote, tags included", () => {
  const frame = parseFrame(buildFrame({
    dst: "08:00:27:dd:d7:43",
    src: "02:00:00:00:00:01",
    type: 0x88b5,
    vlans: [{ id: 100, pcp: 1 }, { id: 42, dei: true }],
    payload: "Hi",
  }));
  assertEquals(frame.dst, "08:00:27:dd:d7:43");
  assertEquals(frame.src, "02:00:00:00:00:01");
  assertEquals(frame.vlans, [
    { tpid: 0x88a8, pcp: 1, dei: false, id: 100 },
    { tpid: 0x8100, pcp: 0, dei: true, id: 42 },
  ]);
  assertEquals(frame.type, 0x88b5);
  assertEquals(frame.payload.length, 60 - 22);
  assertEquals(toHex(frame.payload.subarray(0, 2)), "4869");
});

Deno.test("parseFrame rejects runts and tolerates a truncated tag", () => {
  assertThrows(() => parseFrame(new Uint8Array(13)), FrameError, "13 bytes");
  const header = new Uint8Array(16);
  header.set([0x81, 0x00, 0x00, 0x2a], 12); // tag with no room for a type
  const frame = parseFrame(header);
  assertEquals(frame.type, 0x8100);
  assertEquals(frame.vlans, []);
});

Deno.test("parseHex accepts common spellings and rejects half bytes", () => {
  assertEquals(toHex(parseHex("48:69")), "4869");
  assertEquals(toHex(parseHex("0x4869")), "4869");
  assertEquals(toHex(parseHex("48 69 0a")), "48690a");
  assertEquals(parseHex("").length, 0);
  assertThrows(() => parseHex("486"), FrameError);
  assertThrows(() => parseHex("zz"), FrameError);
});
