/**
 * The library's checks that run on every runtime: pure modules (frames,
 * decoding, building, pcap, filters) and, on the veth pair the caller
 * made, sockets, rings, kernel and libpcap filters, errors, receive and
 * transmit timestamps. Plain JavaScript with nothing but the library and
 * `node:assert`, so Deno, Bun and Node run the very same file.
 *
 * Each check is [name, async (lib, pair) => detail?]; a check that cannot run
 * on a runtime throws a Skip naming why (README's runtime table says so);
 * a detail it returns is compared across runtimes by tests/runtimes_test.ts.
 */

import assert from "node:assert/strict";

/** Thrown by a check that this runtime cannot make. */
export class Skip extends Error {}

const TYPE = 0x88b5;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Frames of EtherType `type` on `sock` until `count` arrived or 5 s passed. */
async function collect(sock, count, type = TYPE) {
  const got = [];
  const deadline = Date.now() + 5000;
  while (got.length < count && Date.now() < deadline) {
    const frame = await sock.receive({ timeoutMs: 200 });
    if (frame && frame.bytes[12] * 256 + frame.bytes[13] === type) {
      got.push(frame);
    }
  }
  return got;
}

/** A frame from a to b carrying `text`, EtherType `type`. */
function frameOf(lib, pair, text, type = TYPE) {
  return lib.buildFrame({
    dst: pair.b.mac,
    src: pair.a.mac,
    type,
    payload: new TextEncoder().encode(text),
  });
}

const payloadText = (frame) =>
  new TextDecoder().decode(frame.bytes.subarray(14)).replace(/\0+$/, "");

/** Sends `frame` until `sock` sees it (one frame may be lost on a busy machine). */
async function deliver(lib, pair, sock, text, type = TYPE) {
  const sender = lib.RawSocket.open(pair.a.name, { receive: false });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      sender.send(frameOf(lib, pair, text, type));
      const [frame] = await collect(sock, 1, type);
      if (frame) return frame;
    }
    throw new Error(`"${text}" never arrived`);
  } finally {
    sender.close();
  }
}

export const CHECKS = [
  ["frames build and parse, with a VLAN tag", (lib) => {
    const bytes = lib.buildFrame({
      dst: "08:00:27:dd:d7:3a",
      src: "02:00:00:00:00:01",
      vlans: [{ id: 42, pcp: 3 }],
      type: TYPE,
      payload: new Uint8Array([0x48, 0x69]),
    });
    assert.equal(bytes.length, 60); // the minimum, tag included
    assert.equal(bytes[12] * 256 + bytes[13], 0x8100);
    const frame = lib.parseFrame(bytes);
    assert.equal(frame.dst, "08:00:27:dd:d7:3a");
    assert.equal(lib.formatMac(lib.parseMac("08-00-27-DD-D7-3A")), frame.dst);
    assert.equal(frame.vlans[0].id, 42);
    assert.equal(frame.vlans[0].pcp, 3);
    assert.equal(frame.type, TYPE);
    assert.throws(() => lib.parseMac("08:00:27:dd:d7"), lib.MacAddressError);
  }],
  ["layers build with lengths and checksums, and decode back", (lib) => {
    const bytes = lib.buildPacket({
      dst: "02:00:00:00:00:02",
      src: "02:00:00:00:00:01",
      layers: [
        { layer: "ipv4", src: "10.0.0.1", dst: "10.0.0.2" },
        { layer: "udp", sport: 1234, dport: 53 },
        { layer: "raw", data: new TextEncoder().encode("hello") },
      ],
    });
    const { layers } = lib.decodeFrame(bytes);
    const ip = layers.find((l) => l.layer === "ipv4");
    const udp = layers.find((l) => l.layer === "udp");
    assert.equal(ip.len, 20 + 8 + 5);
    assert.equal(udp.dport, 53);
    assert.equal(udp.len, 13);
    // The IPv4 header sums to 0xffff with its checksum in place.
    let sum = 0;
    for (let i = 14; i < 34; i += 2) sum += bytes[i] * 256 + bytes[i + 1];
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    assert.equal(sum, 0xffff);
  }],
  [
    "real captures read, decode and print alike on every runtime (their digest is compared)",
    async (lib, pair) => {
      const pcap = await import(lib.entry("pcap"));
      const format = await import(lib.entry("format"));
      let text = "";
      let frames = 0;
      for (const file of pair.fixtures()) {
        for (const frame of pcap.readPcap(file)) {
          text += `${format.frameLine(frame)}\n${format.frameJson(frame)}\n`;
          frames++;
        }
      }
      assert.ok(frames >= 100, `only ${frames} frames`);
      // FNV-1a over the text: equal digests, equal output.
      let hash = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) {
        hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
      }
      return `${frames} frames, ${text.length} characters, fnv1a ${
        hash.toString(16)
      }`;
    },
  ],
  ["pcap files are written and read back", async (lib) => {
    const pcap = await import(lib.entry("pcap"));
    const frame = new Uint8Array(60).fill(7);
    const file = new Uint8Array([
      ...pcap.pcapHeader(),
      ...pcap.pcapRecord(frame, { seconds: 1, nanoseconds: 5000 }),
      ...pcap.pcapRecord(frame, { seconds: 2, nanoseconds: 0 }),
    ]);
    const frames = pcap.readPcap(file);
    assert.equal(frames.length, 2);
    assert.equal(frames[0].timestamp.nanoseconds, 5000);
    assert.deepEqual(frames[1].bytes, frame);
  }],
  [
    "our own BPF and libpcap's compile, and run time checks catch bad options",
    async (lib) => {
      const filter = await import(lib.entry("filter"));
      const own = filter.buildFilter({ etherType: TYPE });
      assert.ok(own.length > 0);
      const pcap = filter.compilePcapFilter("ether proto 0x88b5");
      assert.ok(pcap.length > 0);
      assert.throws(
        () => filter.buildFilter({ etherType: "0x88b5" }),
        lib.OptionError,
      );
    },
  ],
  [
    "interfaces are listed with MAC and MTU; a missing one is named",
    (lib, pair) => {
      const a = lib.getInterface(pair.a.name);
      assert.equal(a.mac, pair.a.ipMac); // as `ip link` says
      assert.equal(a.mtu, 1500);
      assert.ok(lib.interfaceNames().includes(pair.b.name));
      assert.throws(
        () => lib.RawSocket.open("rfnone0"),
        lib.NoSuchInterfaceError,
      );
    },
  ],
  ["options are checked at run time, before any socket opens", (lib, pair) => {
    assert.throws(
      () => lib.RawSocket.open(pair.a.name, { ring: "yes" }),
      lib.OptionError,
    );
    assert.throws(
      () => lib.RawSocket.open(pair.a.name, { etherType: 5 }),
      lib.InputError,
    );
  }],
  [
    "a frame sent on one end is received on the other, with its timestamp",
    async (lib, pair) => {
      const sock = lib.RawSocket.open(pair.b.name, { etherType: TYPE });
      try {
        const before = Date.now();
        const frame = await deliver(lib, pair, sock, "plain");
        assert.equal(payloadText(frame), "plain");
        assert.equal(frame.iface, pair.b.name);
        assert.equal(frame.direction, "in");
        const ms = frame.timestamp.seconds * 1000 +
          frame.timestamp.nanoseconds / 1e6;
        assert.ok(Math.abs(ms - before) < 5000, `timestamp ${ms} vs ${before}`);
      } finally {
        sock.close();
      }
    },
  ],
  ["the RX ring receives through for await", async (lib, pair) => {
    const sock = lib.RawSocket.open(pair.b.name, {
      etherType: TYPE,
      ring: true,
    });
    try {
      const sender = lib.RawSocket.open(pair.a.name, { receive: false });
      const texts = [];
      const reading = (async () => {
        for await (const frame of sock) {
          texts.push(payloadText(frame));
          if (texts.length === 3) break;
        }
      })();
      for (let i = 0; i < 50 && texts.length < 3; i++) {
        sender.send(frameOf(lib, pair, `ring ${i}`));
        await sleep(20);
      }
      sender.close();
      await reading;
      assert.equal(texts.length, 3);
      assert.match(texts[0], /^ring \d+$/);
    } finally {
      sock.close();
    }
  }],
  [
    "sendMany (sendmmsg) and the TX ring send 2,000 frames each, counted by the kernel",
    async (lib, pair) => {
      const droppedBefore = pair.backlogDrops();
      const sock = lib.RawSocket.open(pair.b.name, {
        etherType: 0x88b6,
        ring: true,
      });
      try {
        const frames = Array.from(
          { length: 1000 },
          (_, i) => frameOf(lib, pair, `many ${i}`, 0x88b6),
        );
        const got = [];
        for (const txRing of [false, true]) {
          const sender = lib.RawSocket.open(pair.a.name, {
            receive: false,
            txRing,
          });
          assert.equal(sender.sendMany(frames), 1000);
          got.push(...await collect(sock, 1000, 0x88b6));
          assert.equal(sender.sendRepeated(frames[0], 1000), 1000);
          got.push(...await collect(sock, 1000, 0x88b6));
          sender.close();
        }
        const { drops } = sock.stats();
        // A burst can overflow the kernel's per-CPU receive backlog, which
        // counts it in /proc/net/softnet_stat.
        const lost = pair.backlogDrops() - droppedBefore;
        assert.equal(
          got.length + drops + lost,
          4000,
          `got ${got.length}, ${drops} dropped by the socket, ${lost} by the backlog`,
        );
        assert.ok(got.length >= 1000, `got only ${got.length}`);
      } finally {
        sock.close();
      }
    },
  ],
  [
    "kernel filters (ours and libpcap's) pass only what they match",
    async (lib, pair) => {
      const filter = await import(lib.entry("filter"));
      for (
        const options of [
          { etherType: 0x88b7 },
          { filter: filter.compilePcapFilter("ether proto 0x88b7") },
        ]
      ) {
        const sock = lib.RawSocket.open(pair.b.name, options);
        try {
          const sender = lib.RawSocket.open(pair.a.name, { receive: false });
          sender.send(frameOf(lib, pair, "other", 0x88b8));
          sender.close();
          const frame = await deliver(lib, pair, sock, "wanted", 0x88b7);
          assert.equal(payloadText(frame), "wanted");
          assert.equal(await sock.receive({ timeoutMs: 100 }), null);
        } finally {
          sock.close();
        }
      }
    },
  ],
  ["transmit timestamps come back from the kernel", async (lib, pair) => {
    const sock = lib.RawSocket.open(pair.a.name, {
      receive: false,
      txTimestamps: true,
    });
    try {
      sock.send(frameOf(lib, pair, "stamped"));
      let stamps = [];
      for (let i = 0; i < 100 && stamps.length === 0; i++) {
        await sleep(10);
        stamps = sock.transmitTimestamps();
      }
      assert.ok(stamps.length > 0, "no transmit timestamp");
      assert.equal(stamps[0].frame, 0);
      assert.ok(stamps[0].timestamp.seconds > 1_600_000_000);
    } finally {
      sock.close();
    }
  }],
  [
    "a receive times out, and an abort rejects with its reason",
    async (lib, pair) => {
      const sock = lib.RawSocket.open(pair.b.name, { etherType: 0x88b9 });
      try {
        const started = Date.now();
        assert.equal(await sock.receive({ timeoutMs: 100 }), null);
        const waited = Date.now() - started;
        assert.ok(waited >= 90 && waited < 3000, `waited ${waited} ms`);
        const stop = new AbortController();
        setTimeout(() => stop.abort(new Error("enough")), 50);
        await assert.rejects(sock.receive({ signal: stop.signal }), /enough/);
      } finally {
        sock.close();
      }
    },
  ],
  [
    "too large a frame is refused before sending; a closed socket says so",
    (lib, pair) => {
      const sock = lib.RawSocket.open(pair.a.name, { receive: false });
      const big = new Uint8Array(1600);
      big.set(frameOf(lib, pair, "big").subarray(0, 14));
      assert.throws(() => sock.send(big), lib.FrameTooLargeError);
      sock.close();
      sock.close(); // idempotent
      assert.equal(sock.closed, true);
      assert.throws(
        () => sock.send(frameOf(lib, pair, "late")),
        lib.SocketClosedError,
      );
    },
  ],
  ["an interface that is down is named at open", (lib, pair) => {
    pair.setUp(pair.a.name, false);
    try {
      assert.throws(
        () => lib.RawSocket.open(pair.a.name),
        lib.InterfaceDownError,
      );
    } finally {
      pair.setUp(pair.a.name, true);
    }
  }],
  ["a socket closes with `using`", async (lib, pair) => {
    let using;
    try {
      using = await import("./using_check.mjs");
    } catch (err) {
      if (err instanceof SyntaxError) {
        throw new Skip("this runtime has no `using` declarations");
      }
      throw err;
    }
    const sock = using.openAndDispose(lib, pair.a.name);
    assert.equal(sock.closed, true);
  }],
];
