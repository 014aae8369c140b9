/**
 * The library's RawSocket end to end on a veth pair: metadata, kernel
 * filtering, timeouts, aborts, closing and descriptor hygiene.
 */
import { assertEquals, assertThrows, assertTrue } from "./assert.ts";
import {
  deliver,
  integration,
  openFds,
  scapySend,
  sleep,
  vethPair,
} from "./helpers.ts";
import { RawSocket } from "../lib/socket.ts";
import { buildFrame, parseFrame } from "../lib/frame.ts";
import { getInterface, listInterfaces } from "../lib/interfaces.ts";
import {
  FrameTooLargeError,
  InterfaceDownError,
  NoSuchInterfaceError,
  RawframeError,
} from "../lib/errors.ts";
import { openLibc } from "../ffi/libc.ts";

// libc stays loaded for the life of the process, as in real use; load it
// before the first test so the resource sanitizer does not count it.
if (integration.ignore === false) openLibc();

Deno.test({
  name:
    "a frame sent on one end arrives on the other with metadata; the sending side sees it outgoing",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using rx = RawSocket.open(pair.b);
    using tx = RawSocket.open(pair.a, { receive: false });
    // The kernel never loops a frame back to the socket that sent it, but
    // any other socket on that interface sees it go out.
    using watch = RawSocket.open(pair.a);
    const frame = buildFrame({
      dst: pair.macB,
      src: pair.macA,
      type: 0x88b5,
      payload: "Hi",
    });
    const before = Date.now() / 1000;
    tx.send(frame);
    const got = await rx.receive({ timeoutMs: 2000 });
    assertTrue(got !== null, "frame arrived");
    assertEquals([...got!.bytes], [...frame]);
    assertEquals(got!.length, 60);
    assertEquals(got!.ifindex, getInterface(pair.b).index);
    assertEquals([got!.pkttype, got!.direction], ["host", "in"]);
    const ts = got!.timestamp.seconds + got!.timestamp.nanoseconds / 1e9;
    assertTrue(
      ts >= before - 1 && ts <= Date.now() / 1000 + 1,
      `timestamp ${ts}`,
    );
    const echo = await watch.receive({ timeoutMs: 2000 });
    assertEquals([echo!.pkttype, echo!.direction], ["outgoing", "out"]);
    assertEquals([...echo!.bytes], [...frame]);
  },
});

Deno.test({
  name: "pkttype tells host, broadcast, multicast and otherhost apart",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using rx = RawSocket.open(pair.b, { etherType: 0x88b5 });
    using tx = RawSocket.open(pair.a, { receive: false });
    for (
      const dst of [
        pair.macB,
        "ff:ff:ff:ff:ff:ff",
        "01:80:c2:00:00:0e",
        "02:12:34:56:78:9a",
      ]
    ) {
      tx.send(buildFrame({ dst, src: pair.macA, type: 0x88b5 }));
    }
    const types = [];
    for (let i = 0; i < 4; i++) {
      types.push((await rx.receive({ timeoutMs: 2000 }))?.pkttype);
    }
    assertEquals(types, ["host", "broadcast", "multicast", "otherhost"]);
  },
});

Deno.test({
  name:
    "an 802.1Q tag the kernel strips is put back, with TPID, PCP, DEI and ID",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using rx = RawSocket.open(pair.b);
    await scapySend(
      pair.a,
      `Ether(dst="${pair.macB}", src="${pair.macA}")/Dot1Q(vlan=4094, prio=7, id=1, type=0x88b5)/Raw(b"Hi")`,
    );
    const got = await rx.receive({ timeoutMs: 5000 });
    const frame = parseFrame(got!.bytes);
    assertEquals(frame.vlans, [{ tpid: 0x8100, pcp: 7, dei: true, id: 4094 }]);
    assertEquals(frame.type, 0x88b5);
    assertEquals(got!.length, 20);
    assertEquals(new TextDecoder().decode(frame.payload), "Hi");
  },
});

Deno.test({
  name:
    "the EtherType filter runs in the kernel: other frames are never queued",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using rx = RawSocket.open(pair.b, { etherType: 0x88b6 });
    using tx = RawSocket.open(pair.a, { receive: false });
    const send = (type: number, vlans: { id: number }[] = []): void =>
      tx.send(buildFrame({ dst: pair.macB, src: pair.macA, type, vlans }));
    send(0x0800);
    send(0x88b5);
    send(0x88b6);
    send(0x0806, [{ id: 5 }]);
    send(0x88b6, [{ id: 5 }]);
    const got = [];
    for (let frame; (frame = await rx.receive({ timeoutMs: 500 })) !== null;) {
      got.push(parseFrame(frame.bytes));
    }
    assertEquals(got.map((f) => [f.type, f.vlans.map((v) => v.id)]), [[
      0x88b6,
      [],
    ], [0x88b6, [5]]]);
    // The kernel counts only what passed the filter: proof it ran there.
    assertEquals(rx.stats(), { packets: 2, drops: 0 });
  },
});

Deno.test({
  name: "receive({ timeoutMs }) returns null when nothing comes, on time",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using rx = RawSocket.open(pair.b);
    const started = performance.now();
    assertEquals(await rx.receive({ timeoutMs: 300 }), null);
    const took = performance.now() - started;
    assertTrue(took >= 295 && took < 600, `took ${took} ms`);
    assertEquals(rx.tryReceive(), null);
  },
});

Deno.test({
  name:
    "aborting rejects frames() with the reason within 100 ms and releases everything",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const fds = openFds();
    const sock = RawSocket.open(pair.b);
    const stop = new AbortController();
    const reason = new Error("enough");
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      stop.abort(reason);
    }, 300);
    try {
      for await (const _ of sock.frames({ signal: stop.signal })) {
        throw new Error("no frame was sent");
      }
      throw new Error("frames() ended instead of rejecting");
    } catch (err) {
      assertEquals(err, reason);
    }
    const latency = performance.now() - abortedAt;
    assertTrue(
      latency < 100,
      `frames() ended ${latency.toFixed(1)} ms after abort`,
    );
    sock.close();
    assertEquals(openFds(), fds);
  },
});

Deno.test({
  name:
    "receive() rejects with the abort reason; close() during a wait returns null",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const fds = openFds();
    const sock = RawSocket.open(pair.b);
    const reason = new Error("stop");
    const waiting = sock.receive({
      signal: AbortSignal.any([AbortSignal.timeout(50)]),
    });
    await waiting.then(() => {
      throw new Error("should reject");
    }, (err) => assertEquals(err.name, "TimeoutError"));
    const stop = new AbortController();
    stop.abort(reason);
    await sock.receive({ signal: stop.signal }).catch((err) =>
      assertEquals(err, reason)
    );
    const pending = sock.receive();
    await sleep(20);
    sock.close();
    assertEquals(await pending, null);
    await sleep(80); // the last poll() returns, then the descriptors go
    assertEquals(openFds(), fds);
  },
});

Deno.test({
  name:
    "close() is idempotent, `using` closes, and no descriptor leaks over many sockets",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const fds = openFds();
    for (let i = 0; i < 50; i++) {
      using rx = RawSocket.open(pair.b, { etherType: 0x88b5 });
      using tx = RawSocket.open(pair.a, { receive: false });
      const frame = buildFrame({
        dst: pair.macB,
        src: pair.macA,
        type: 0x88b5,
      });
      assertTrue(await deliver(tx, rx, frame), "frame arrived");
      rx.close();
      rx.close();
      assertEquals(rx.closed, true);
      assertThrows(() => rx.tryReceive(), RawframeError, "closed");
    }
    assertEquals(openFds(), fds);
  },
});

Deno.test({
  name: "a frame above the MTU is refused before sending, naming both sizes",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using rx = RawSocket.open(pair.b);
    using tx = RawSocket.open(pair.a, { receive: false });
    const big = buildFrame({
      dst: pair.macB,
      src: pair.macA,
      type: 0x88b5,
      payload: new Uint8Array(1501),
    });
    assertThrows(() => tx.send(big), FrameTooLargeError, "frame of 1515 bytes");
    assertThrows(
      () => tx.send(big),
      FrameTooLargeError,
      "at most 1514 bytes (MTU 1500",
    );
    const fits = buildFrame({
      dst: pair.macB,
      src: pair.macA,
      type: 0x88b5,
      payload: new Uint8Array(1500),
    });
    const tagged = buildFrame({
      dst: pair.macB,
      src: pair.macA,
      type: 0x88b5,
      vlans: [{ id: 1 }],
      payload: new Uint8Array(1500),
    });
    // One tag may ride on top of the MTU. Sent again if a loaded machine
    // loses one (the receive queue of a veth is shared).
    for (const [frame, length] of [[fits, 1514], [tagged, 1518]] as const) {
      let got: number | undefined;
      for (let i = 0; i < 10 && got !== length; i++) {
        tx.send(frame);
        got = (await rx.receive({ timeoutMs: 300 }))?.length;
      }
      assertEquals(got, length);
    }
    // The big one never left (late copies of the others may still come).
    for (let f; (f = await rx.receive({ timeoutMs: 200 })) !== null;) {
      assertTrue(f.length <= 1518, `a frame of ${f.length} bytes arrived`);
    }
    assertThrows(() => tx.tryReceive(), RawframeError, "receive: false");
  },
});

Deno.test({
  name:
    "interfaces: lookup, listing, and clear errors for missing or down ones",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const a = getInterface(pair.a);
    assertEquals([a.name, a.mac, a.mtu, a.up, a.loopback], [
      pair.a,
      pair.macA,
      1500,
      true,
      false,
    ]);
    const names = listInterfaces().map((i) => i.name);
    assertTrue(names.includes("lo") && names.includes(pair.b), names.join());
    const missing = assertThrows(
      () => RawSocket.open("nope0"),
      NoSuchInterfaceError,
    );
    assertTrue(missing.message.includes(`available: lo`), missing.message);
    assertTrue(missing.message.includes(pair.a), missing.message);
    assertThrows(() => getInterface("x".repeat(40)), NoSuchInterfaceError);
    const down = new Deno.Command("ip", {
      args: ["link", "set", pair.a, "down"],
    });
    await down.output();
    assertThrows(
      () => RawSocket.open(pair.a),
      InterfaceDownError,
      `ip link set ${pair.a} up`,
    );
  },
});
