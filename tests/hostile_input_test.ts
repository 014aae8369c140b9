/**
 * Files and arguments from elsewhere are hostile until checked: crafted
 * pcap and pcapng files, endless inputs, directories, arguments with
 * newlines, options that would be silently ignored. Each gets one
 * `error:` line and the documented exit code, quickly, with flat memory,
 * and nothing is sent.
 */
import { assertEquals, assertThrows, assertTrue } from "./assert.ts";
import {
  cli,
  cliWithFiles,
  integration,
  run,
  sleep,
  spawnCli,
  startListen,
  vethPair,
} from "./helpers.ts";
import { buildFrame } from "../lib/frame.ts";
import { RawSocket } from "../lib/socket.ts";
import { pcapHeader, PcapReader, pcapRecord, readPcap } from "../lib/pcap.ts";
import { FrameError } from "../lib/errors.ts";
import { openLibc } from "../ffi/libc.ts";
import { block, EPB, IDB, SHB } from "./pcapng_builder.ts";

if (integration.ignore === false) openLibc(); // loaded for the whole run

const frame60 = Array.from({ length: 60 }, (_, i) => i);

Deno.test("pcapng: an EPB claiming more than its block holds is refused at once", () => {
  // 20,000 blocks of 48 bytes each claiming 10 MB: a 960 KB file that
  // once made the reader allocate for every claim.
  const blocks: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    blocks.push(...EPB(new Array(16).fill(0), 10_000_000));
  }
  const file = new Uint8Array([...SHB, ...IDB(), ...blocks]);
  const started = performance.now();
  assertThrows(
    () => readPcap(file),
    FrameError,
    "pcapng block 3: captured length 10000000 is more than the block holds",
  );
  assertTrue(performance.now() - started < 500, "refused at once");
});

Deno.test("pcapng and pcap cut short, or with impossible lengths, name the block or record", () => {
  assertThrows(
    () => readPcap(new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a])),
    FrameError,
    "truncated pcapng file: block 1 is cut short",
  );
  // A section header, then a 12-byte "packet block" at the very end.
  assertThrows(
    () => readPcap(new Uint8Array([...SHB, ...block(6, [])])),
    FrameError,
    "pcapng block 2: packet block too short",
  );
  assertThrows(
    () =>
      readPcap(
        new Uint8Array([...SHB, ...IDB(), ...EPB(frame60).slice(0, 50)]),
      ),
    FrameError,
    "truncated pcapng file: block 3 is cut short",
  );
  assertThrows(
    () => readPcap(new Uint8Array([...SHB, ...block(6, [], 0x7ffffff0)])),
    FrameError,
    "pcapng block 2 has an invalid length",
  );
  assertThrows(
    () => readPcap(new Uint8Array([...SHB, ...EPB(frame60)])),
    FrameError,
    "packet of an undescribed interface",
  );
  const huge = pcapRecord(new Uint8Array(60), { seconds: 0, nanoseconds: 0 });
  new DataView(huge.buffer).setUint32(8, 0x7fffffff, true);
  assertThrows(
    () => readPcap(new Uint8Array([...pcapHeader(), ...huge])),
    FrameError,
    "pcap record 1 claims 2147483647 bytes",
  );
});

Deno.test("link types rawframe does not read are named; Linux cooked ones are read", () => {
  const raw = readError(new Uint8Array([...SHB, ...IDB(101)]));
  assertTrue(
    raw.includes(
      "the link type is 101 (raw IP); rawframe reads Ethernet (1) and Linux cooked (113, 276)",
    ),
    raw,
  );
  for (const linkType of [113, 276]) {
    const cooked = pcapHeader("micro", linkType);
    assertEquals(readPcap(cooked), []);
  }
  // A cooked record shorter than its header: read, and shown as cut.
  const short = new Uint8Array([
    ...pcapHeader("micro", 276),
    ...pcapRecord(new Uint8Array(10), { seconds: 1, nanoseconds: 0 }),
  ]);
  const [frame] = readPcap(short);
  assertEquals([frame.linkType, frame.pkttype, frame.bytes.length], [
    276,
    null,
    10,
  ]);
});

Deno.test("a record longer than its file's snap length is cut there, as libpcap cuts it", () => {
  const header = pcapHeader();
  new DataView(header.buffer).setUint32(16, 64, true); // snaplen 64
  const record = pcapRecord(new Uint8Array(100).fill(7), {
    seconds: 1,
    nanoseconds: 0,
  });
  const [frame] = readPcap(new Uint8Array([...header, ...record]));
  assertEquals([frame.bytes.length, frame.length], [64, 100]);
});

function readError(bytes: Uint8Array): string {
  return assertThrows(() => readPcap(bytes), FrameError).message;
}

Deno.test("a capture read in chunks of any size gives the same frames", () => {
  const file = new Uint8Array([
    ...SHB,
    ...IDB(),
    ...EPB(frame60),
    ...EPB(frame60.slice(0, 20)),
  ]);
  const whole = readPcap(file);
  const reader = new PcapReader();
  const byByte = [...file].flatMap((b) => reader.push(new Uint8Array([b])));
  reader.end();
  assertEquals(byByte, whole);
  assertEquals(whole.map((f) => f.bytes.length), [60, 20]);
});

/** Asserts one `error:` line, exit `code`, and a message matching `pattern`. */
function assertOneError(
  out: { code: number; stderr: string },
  code: number,
  pattern: RegExp,
): void {
  const lines = out.stderr.split("\n").filter((l) => l !== "");
  assertEquals(out.code, code, out.stderr);
  assertEquals(lines.length, 1, `one line expected: ${out.stderr}`);
  assertTrue(
    lines[0].startsWith("error: ") && pattern.test(lines[0]),
    lines[0],
  );
}

Deno.test({
  name:
    "send --from-pcap: hostile files get one error line and exit 2, quickly; nothing is sent",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using watch = RawSocket.open(pair.b);
    const dir = await Deno.makeTempDir();
    const write = async (name: string, bytes: number[]): Promise<string> => {
      await Deno.writeFile(`${dir}/${name}`, new Uint8Array(bytes));
      return `${dir}/${name}`;
    };
    const amplified: number[] = [...SHB, ...IDB()];
    for (let i = 0; i < 13_000; i++) {
      amplified.push(...EPB(new Array(16).fill(0), 10_000_000));
    }
    const files: [string, RegExp][] = [
      [
        await write("amplified.pcapng", amplified),
        /block 3: captured length 10000000 is more than the block holds/,
      ],
      [
        await write("magic-only.pcapng", [0x0a, 0x0d, 0x0d, 0x0a]),
        /truncated pcapng file: block 1 is cut short/,
      ],
      [
        await write("runt.pcap", [
          ...pcapHeader(),
          ...pcapRecord(new Uint8Array(frame60), {
            seconds: 1,
            nanoseconds: 0,
          }),
          ...pcapRecord(new Uint8Array(10), { seconds: 1, nanoseconds: 0 }),
        ]),
        /frame 2 has 10 bytes, fewer than an Ethernet header \(14\)/,
      ],
      ["/dev/zero", /not a pcap or pcapng file/],
    ];
    for (const [file, pattern] of files) {
      const started = performance.now();
      const out = await cliWithFiles("send", pair.a, "--from-pcap", file);
      assertOneError(out, 2, pattern);
      assertTrue(out.stderr.includes(`--from-pcap "${file}"`), out.stderr);
      const ms = performance.now() - started;
      assertTrue(ms < 3000, `${file}: ${ms.toFixed(0)} ms`);
    }
    await sleep(100);
    assertEquals(watch.tryReceive(), null);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name:
    "endless and unreadable inputs: /dev/zero as a payload, a directory, a missing file",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const zero = await cliWithFiles(
      "send",
      pair.macB,
      pair.a,
      "--file",
      "/dev/zero",
    );
    assertOneError(zero, 2, /--file "\/dev\/zero" holds more than 65536 bytes/);
    assertOneError(
      await cliWithFiles("send", pair.macB, pair.a, "--file", "/tmp"),
      1,
      /^error: reading "\/tmp": is a directory$/,
    );
    assertOneError(
      await cliWithFiles("send", pair.a, "--from-pcap", "/no/such.pcap"),
      1,
      /^error: reading "\/no\/such.pcap": no such file$/,
    );
  },
});

Deno.test({
  name: "a replayed frame too large for the MTU is named, and nothing is sent",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using watch = RawSocket.open(pair.b);
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    const ts = { seconds: 1, nanoseconds: 0 };
    await Deno.writeFile(
      file,
      new Uint8Array([
        ...pcapHeader(),
        ...pcapRecord(new Uint8Array(60), ts),
        ...pcapRecord(new Uint8Array(1600), ts),
      ]),
    );
    const out = await cliWithFiles("send", pair.a, "--from-pcap", file);
    assertOneError(
      out,
      1,
      new RegExp(
        `frame 2 of "${file}": frame of 1600 bytes is larger than "${pair.a}" allows`,
      ),
    );
    await sleep(100);
    assertEquals(watch.tryReceive(), null);
    await Deno.remove(file);
  },
});

Deno.test({
  name:
    "arguments: no option is silently ignored, every value is checked before a socket opens, errors are one line",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using watch = RawSocket.open(pair.b);
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    await Deno.writeFile(
      file,
      new Uint8Array([
        ...pcapHeader(),
        ...pcapRecord(new Uint8Array(60), { seconds: 1, nanoseconds: 0 }),
      ]),
    );
    const frame = `${pair.macB.replaceAll(":", "")}${
      pair.macA.replaceAll(":", "")
    }88b5`;
    await run("ip", ["link", "set", pair.a, "down"]);
    const usage: [string[], RegExp][] = [
      [
        [
          "send",
          pair.a,
          "--from-pcap",
          file,
          "--type",
          "zzz",
          "--vlan",
          "5000",
        ],
        /--type has no meaning with --from-pcap/,
      ],
      [
        ["send", pair.a, "--frame", frame, "--vlan", "99999", "--count", "3"],
        /--vlan has no meaning with --frame/,
      ],
      [
        ["send", pair.a, "--frame", frame, "--src", pair.macA],
        /--src has no meaning with --frame/,
      ],
      [
        ["send", pair.macB, pair.a, "--type", "constructor"],
        /invalid EtherType "constructor"/,
      ],
      [
        ["listen", pair.b, "--type", "toString"],
        /invalid EtherType "toString"/,
      ],
      [["send", "\n", pair.a], /invalid MAC address "\\n"/],
      [
        ["listen", `${pair.b}\n`, "--direction", "both\n"],
        /invalid --direction "both\\n"/,
      ],
    ];
    for (const [args, pattern] of usage) {
      assertOneError(await cliWithFiles(...args), 2, pattern);
    }
    assertOneError(
      await cli("listen", `${pair.b}\n`),
      1,
      /no interface "rfb\d+\\n"/,
    );
    await sleep(100);
    assertEquals(watch.tryReceive(), null);
    await Deno.remove(file);
  },
});

Deno.test({
  name:
    "timers of any length: a long --timeout waits, a tiny --rate warns nothing",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const listen = await startListen(
      ...[pair.b, "--timeout", "2147484", "-c", "1", "--type", "exp2"],
    );
    await sleep(500); // a timer that overflowed would have fired by now
    using tx = RawSocket.open(pair.a, { receive: false });
    const frame = buildFrame({ dst: pair.macB, src: pair.macA, type: 0x88b6 });
    for (let i = 0; i < 20 && listen.stdout === ""; i++) {
      tx.send(frame);
      await sleep(100);
    }
    const out = await listen.done();
    assertEquals(out.code, 0, out.stderr);
    assertEquals(out.stdout.trim().split("\n").length, 1);
    assertTrue(!/warning/i.test(out.stderr), out.stderr);
    const slow = spawnCli(
      ...["send", pair.macB, pair.a, "-c", "2", "--rate", "0.0000000001"],
    );
    await sleep(500);
    slow.process.kill("SIGINT");
    const sent = await slow.done();
    assertEquals(sent.code, 0, sent.stderr);
    assertEquals(sent.stderr, "");
    assertTrue(/^sent 1 frame of 60 bytes/.test(sent.stdout), sent.stdout);
  },
});
