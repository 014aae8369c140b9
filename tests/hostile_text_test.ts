/**
 * Text and times from a file are data: a crafted interface name never
 * breaks a line or reaches the terminal as control, and a timestamp out
 * of range is shown as such, never a crash or a broken `ts`.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { cliWithFiles, jsonLines } from "./helpers.ts";
import { block, IDB, SHB, u32 } from "./pcapng_builder.ts";
import { FrameJsonWriter } from "../lib/json_writer.ts";
import { frameJson, frameLine, frameRecord } from "../lib/format.ts";
import { referenceRecord } from "./reference_record.ts";
import { buildFrame } from "../lib/frame.ts";
import type { RingFrame } from "../contract/types.ts";

const HI = buildFrame({
  dst: "ff:ff:ff:ff:ff:ff",
  src: "02:00:00:00:00:01",
  type: 0x88b5,
  payload: "Hi",
});

/** What a terminal would act on. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const HOSTILE_NAME = "eth\x1b[31mX\nline2\u009b1m\u202eevil\r";

/** An enhanced packet block of `HI` at 64-bit time `ts` (µs units). */
function epbAt(ts: bigint): number[] {
  return block(6, [
    ...u32(0),
    ...u32(Number(ts >> 32n)),
    ...u32(Number(ts & 0xffffffffn)),
    ...u32(HI.length),
    ...u32(HI.length),
    ...HI,
  ]);
}

/** A classic pcap (µs) with one record per `[seconds, micros]`. */
function classicPcap(times: [number, number][]): Uint8Array {
  const header = [
    ...u32(0xa1b2c3d4),
    2,
    0,
    4,
    0,
    ...u32(0),
    ...u32(0),
    ...u32(65535),
    ...u32(1),
  ];
  const records = times.flatMap(([s, us]) => [
    ...u32(s),
    ...u32(us),
    ...u32(HI.length),
    ...u32(HI.length),
    ...HI,
  ]);
  return new Uint8Array([...header, ...records]);
}

async function tempFile(bytes: Uint8Array, suffix: string): Promise<string> {
  const path = await Deno.makeTempFile({ suffix });
  await Deno.writeFile(path, bytes);
  return path;
}

Deno.test("read: a crafted pcapng interface name shows escaped, one line per frame, and JSON stays valid", async () => {
  const file = await tempFile(
    new Uint8Array([
      ...SHB,
      ...IDB(1, HOSTILE_NAME),
      ...epbAt(1700000000123456n),
    ]),
    ".pcapng",
  );
  try {
    const lines = await cliWithFiles("read", file);
    assertEquals(lines.code, 0, lines.stderr);
    const printed = lines.stdout.split("\n").filter((l) => l !== "");
    assertEquals(printed.length, 1, lines.stdout);
    assertTrue(!UNSAFE.test(printed[0]), JSON.stringify(printed[0]));
    const escaped = "eth\\x1b[31mX\\x0aline2\\x9b1m\\u{202e}evil\\x0d";
    assertTrue(
      printed[0].includes(`${escaped} 02:00:00:00:00:01 >`),
      printed[0],
    );
    const json = await cliWithFiles("read", file, "--json");
    assertEquals(json.code, 0, json.stderr);
    assertTrue(!UNSAFE.test(json.stdout.trimEnd()), json.stdout);
    const records = jsonLines(json.stdout);
    assertEquals(records.length, 1);
    assertEquals(records[0].iface, HOSTILE_NAME); // the data, kept exactly
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("read: impossible timestamps are shown as out of range, every record read, ts null in JSON", async () => {
  const ng = await tempFile(
    new Uint8Array([
      ...SHB,
      ...IDB(1, "eth0"),
      ...epbAt(2n ** 64n - 1n), // far past what a date holds
      ...epbAt(1700000000123456n),
    ]),
    ".pcapng",
  );
  const classic = await tempFile(
    classicPcap([[1700000000, 3841916976], [1700000000, 999999]]),
    ".pcap",
  );
  try {
    for (const file of [ng, classic]) {
      const lines = await cliWithFiles("read", file);
      assertEquals(lines.code, 0, lines.stderr);
      const printed = lines.stdout.trimEnd().split("\n");
      assertEquals(printed.length, 2, lines.stdout);
      assertTrue(
        printed[0].startsWith("[timestamp out of range] "),
        printed[0],
      );
      assertTrue(/^\d\d:\d\d:\d\d\.\d{6} /.test(printed[1]), printed[1]);
      assertTrue(!printed.join("").includes("NaN"), lines.stdout);
      const json = await cliWithFiles("read", file, "--json");
      assertEquals(json.code, 0, json.stderr);
      const [bad, good] = jsonLines(json.stdout);
      assertEquals(bad.ts, null);
      assertTrue(
        /^2023-11-14T22:13:20\.(123456|999999)Z$/.test(good.ts),
        good.ts,
      );
    }
  } finally {
    await Deno.remove(ng);
    await Deno.remove(classic);
  }
});

Deno.test("send --from-pcap --timing original refuses a capture whose times are out of range, before any socket opens", async () => {
  const file = await tempFile(
    classicPcap([[1700000000, 0], [1700000000, 3841916976]]),
    ".pcap",
  );
  try {
    const out = await cliWithFiles(
      "send",
      "no-such-interface",
      "--from-pcap",
      file,
      "--timing",
      "original",
    );
    assertEquals(out.code, 2, out.stderr);
    assertTrue(
      out.stderr.includes(
        "frame 2 has a timestamp out of range, so --timing original cannot keep its gap",
      ),
      out.stderr,
    );
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("formatters never throw on a timestamp out of range; the live JSON writer escapes names as frameJson does", () => {
  const shown = {
    iface: HOSTILE_NAME,
    bytes: HI,
    length: HI.length,
    pkttype: "host" as const,
    direction: "in" as const,
    timestamp: { seconds: 2 ** 64, nanoseconds: 4294967295000 },
  };
  assertEquals(frameRecord(shown).ts, null);
  assertTrue(frameLine(shown).startsWith("[timestamp out of range] "), "line");
  const json = frameJson(shown);
  assertEquals(JSON.parse(json), referenceRecord(shown));
  let written = "";
  const writer = new FrameJsonWriter((bytes) => {
    written += new TextDecoder().decode(bytes);
  });
  const ring: RingFrame = {
    capturedLength: HI.length,
    length: HI.length,
    seconds: shown.timestamp.seconds,
    nanoseconds: shown.timestamp.nanoseconds,
    pkttype: "host",
    direction: "in",
    ifindex: 1,
    copyTo(target, at) {
      target.set(HI, at);
      return HI.length;
    },
  };
  writer.add(ring, HOSTILE_NAME);
  writer.flush();
  assertEquals(written, `${json}\n`);
  assertTrue(!UNSAFE.test(written.trimEnd()), written);
});
