/**
 * Capture files in turn, as tcpdump's -C, -G and -W: files in memory, a
 * clock the test moves. Each file must read on its own, and the files
 * together must hold every frame once, in order.
 */
import { assertEquals, assertThrows, assertTrue } from "./assert.ts";
import {
  PcapngWriter,
  PcapWriter,
  readPcap,
  RotatingFiles,
  type RotationPlan,
} from "../lib/pcap.ts";
import {
  checkTimeFormat,
  ringDigits,
  rotatedName,
  strftime,
} from "../lib/file_names.ts";
import { InputError } from "../lib/errors.ts";

/** Files by name, as opened in turn (a name opened again is emptied). */
function memoryFiles() {
  const files = new Map<string, number[]>();
  const opened: string[] = [];
  return {
    files,
    opened,
    open: (name: string) => {
      const bytes: number[] = [];
      files.set(name, bytes);
      opened.push(name);
      return {
        write: (b: Uint8Array) => void bytes.push(...b),
        close: () => {},
      };
    },
  };
}

/** The sequence number each frame carries in its first four bytes. */
const seq = (bytes: Uint8Array): number =>
  new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);

/** Writes `count` numbered frames of 100 bytes through a writer into rotation. */
function rotate(
  format: "pcap" | "pcapng",
  plan: RotationPlan,
  count: number,
  clock = { now: 1_700_000_000_000 },
  perFlush = 7,
) {
  const memory = memoryFiles();
  const rotation = new RotatingFiles("cap", plan, memory.open, () => clock.now);
  const sink = (b: Uint8Array) => rotation.write(b);
  const writer = format === "pcap"
    ? new PcapWriter(sink)
    : new PcapngWriter(sink, { interfaceOf: () => "veth0" });
  for (let i = 0; i < count; i++) {
    const frame = new Uint8Array(100);
    new DataView(frame.buffer).setUint32(0, i);
    if (writer instanceof PcapWriter) {
      writer.write(frame, { seconds: i, nanoseconds: 0 });
    } else {writer.write(frame, { seconds: i, nanoseconds: 0 }, {
        iface: i % 2 ? "b" : "a",
      });}
    if (i % perFlush === perFlush - 1) {
      writer.flush();
      clock.now += 250;
    }
  }
  writer.flush();
  rotation.close();
  return { ...memory, rotation };
}

Deno.test("-C: each file reads on its own, passes the size by one record at most, and together they hold every frame once", () => {
  for (const format of ["pcap", "pcapng"] as const) {
    const { files, opened } = rotate(format, { bytes: 2000 }, 100);
    assertEquals(opened.slice(0, 3), ["cap", "cap1", "cap2"]);
    const all: number[] = [];
    for (const name of opened) {
      const bytes = new Uint8Array(files.get(name)!);
      const frames = readPcap(bytes); // whole: header and every record
      all.push(...frames.map((f) => seq(f.bytes)));
      if (name !== opened.at(-1)) {
        assertTrue(
          bytes.length > 2000 && bytes.length <= 2000 + 160,
          `${name}: ${bytes.length}`,
        );
      }
      if (format === "pcapng") {
        assertTrue(
          frames.every((f) => f.iface === (seq(f.bytes) % 2 ? "b" : "a")),
          name,
        );
      }
    }
    assertEquals(all, Array.from({ length: 100 }, (_, i) => i));
  }
});

Deno.test("-C with -W: a ring of files named with -W's digits, the oldest written over", () => {
  const { files, opened } = rotate("pcap", { bytes: 1000, files: 3 }, 60);
  assertEquals(opened.slice(0, 5), ["cap0", "cap1", "cap2", "cap0", "cap1"]);
  assertEquals([...files.keys()].sort(), ["cap0", "cap1", "cap2"]);
  const kept = [...files.values()].flatMap((b) =>
    readPcap(new Uint8Array(b)).map((f) => seq(f.bytes))
  );
  assertEquals(kept.sort((a, b) => a - b).at(-1), 59); // the newest frames are kept
  assertEquals(ringDigits(10), 1);
  assertEquals(ringDigits(11), 2);
  assertEquals(ringDigits(1), 0);
});

Deno.test("-G: a new file once the interval passes, named by strftime; with -W it stops after that many", () => {
  const clock = { now: Date.UTC(2026, 11, 5, 12, 0, 0) };
  const memory = memoryFiles();
  const rotation = new RotatingFiles(
    "cap-%s.pcap",
    { seconds: 1, files: 2 },
    memory.open,
    () => clock.now,
  );
  const writer = new PcapWriter((b) => rotation.write(b));
  for (let i = 0; i < 12; i++) {
    writer.write(new Uint8Array(60).fill(i), { seconds: i, nanoseconds: 0 });
    writer.flush();
    clock.now += 250; // four frames a second
  }
  rotation.close();
  const start = Date.UTC(2026, 11, 5, 12, 0, 0) / 1000;
  assertEquals(memory.opened, [`cap-${start}.pcap`, `cap-${start + 1}.pcap`]);
  assertTrue(rotation.full, "stopped after two files");
  const counts = memory.opened.map((n) =>
    readPcap(new Uint8Array(memory.files.get(n)!)).length
  );
  assertEquals(counts, [4, 4]);
});

Deno.test("file names: strftime conversions in local time, unknown ones refused before anything starts", () => {
  const date = new Date(2026, 0, 9, 7, 5, 3);
  assertEquals(
    strftime("x-%Y%m%d-%H%M%S-%j-%y-%%.pcap", date),
    "x-20260109-070503-009-26-%.pcap",
  );
  assertEquals(strftime("%F_%T", date), "2026-01-09_07:05:03");
  assertEquals(
    rotatedName("c-%H", { timed: true, start: date, number: 3, digits: 2 }),
    "c-0703",
  );
  assertEquals(
    rotatedName("c-%H", { timed: false, start: date, number: 0, digits: 0 }),
    "c-%H",
  );
  const error = assertThrows(() => checkTimeFormat("cap-%Q"), InputError);
  assertTrue(
    error.message.includes(`unknown time conversion "%Q"`),
    error.message,
  );
});

Deno.test("bytes that are not whole records are refused, not looped over", () => {
  const memory = memoryFiles();
  const rotation = new RotatingFiles(
    "cap",
    { bytes: 100 },
    memory.open,
    () => 0,
  );
  const writer = new PcapWriter((b) => rotation.write(b));
  writer.flush(); // the header
  assertThrows(
    () => rotation.write(new Uint8Array(10)),
    RangeError,
    "not whole capture records",
  );
});
