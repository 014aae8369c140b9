/**
 * RawSocket's parts on a veth pair: both receive paths (recvmsg and the
 * ring) report a link going down or an interface vanishing the same way
 * and never spin; open() leaves nothing behind when it fails; the abort
 * rule; iteration; the TX ring's single send.
 */
import { assertEquals, assertThrows, assertTrue } from "./assert.ts";
import {
  cpuSeconds,
  deliver,
  integration,
  openFds,
  run,
  sleep,
  vethPair,
} from "./helpers.ts";
import { RawSocket } from "../lib/socket.ts";
import { SocketSource } from "../lib/capture.ts";
import { buildFrame } from "../lib/frame.ts";
import { toHex as hex } from "../lib/hex.ts";
import { PcapWriter, readPcap, type RecordTarget } from "../lib/pcap.ts";
import {
  InputError,
  InterfaceDownError,
  InterfaceRemovedError,
  NoSuchInterfaceError,
  OsError,
} from "../lib/errors.ts";
import { openLibc } from "../ffi/libc.ts";

if (integration.ignore === false) openLibc(); // loaded for the whole run

for (const ring of [false, true]) {
  const path = ring ? "ring" : "recvmsg";

  Deno.test({
    name:
      `${path}: a link going down is an InterfaceDownError, waits do not spin, and frames flow again once it is up`,
    ...integration,
    async fn() {
      await using pair = await vethPair();
      using rx = RawSocket.open(pair.b, { etherType: 0x88b6, ring });
      using tx = RawSocket.open(pair.a, { receive: false });
      const frame = buildFrame({
        dst: pair.macB,
        src: pair.macA,
        type: 0x88b6,
      });
      const pending = rx.receive({ timeoutMs: 3000 }).catch((e) => e); // settles during the ip command
      await sleep(50);
      await run("ip", ["link", "set", pair.b, "down"]);
      const error = await pending;
      assertTrue(error instanceof InterfaceDownError, String(error));
      assertTrue(
        error.cause instanceof OsError && error.cause.code === "ENETDOWN",
        `cause: ${error.cause}`,
      );
      const before = cpuSeconds();
      assertEquals(await rx.receive({ timeoutMs: 500 }), null);
      const used = cpuSeconds() - before;
      assertTrue(used < 0.25, `${used.toFixed(2)} s of CPU in a 0.5 s wait`);
      await run("ip", ["link", "set", pair.b, "up"]);
      assertTrue(
        await deliver(tx, rx, frame),
        "a frame after the link came back",
      );
    },
  });

  Deno.test({
    name:
      `${path}: SocketSource.copyRecords() writes queued frames as pcap records, stripped tags put back`,
    ...integration,
    async fn() {
      await using pair = await vethPair();
      using rx = RawSocket.open(pair.b, { etherType: 0x88b6, ring });
      using tx = RawSocket.open(pair.a, { receive: false });
      const frames = [[], [{ id: 42, pcp: 5 }], [{ id: 100 }, { id: 7 }]].map(
        (vlans, i) =>
          buildFrame({
            dst: pair.macB,
            src: pair.macA,
            type: 0x88b6,
            vlans,
            payload: `frame ${i}`.repeat(i * 40 + 1),
          }),
      );
      const chunks: Uint8Array[] = [];
      const pcap = new PcapWriter((bytes) => chunks.push(bytes.slice()));
      const source = new SocketSource(rx);
      const copy = (target: RecordTarget, limit: number) =>
        source.copyRecords(target, limit);
      // Each frame is sent again until it was seen (a busy machine may
      // drop one); records are then matched by content.
      const seen = new Map<string, Uint8Array>();
      for (let round = 0; round < 10 && seen.size < frames.length; round++) {
        for (const frame of frames) if (!seen.has(hex(frame))) tx.send(frame);
        const until = performance.now() + 300;
        while (seen.size < frames.length && performance.now() < until) {
          await source.waitReadable({ timeoutMs: 50 });
          pcap.addFrom(copy, Infinity);
          pcap.flush();
          const file = new Uint8Array(chunks.flatMap((c) => [...c]));
          for (const record of readPcap(file)) {
            seen.set(hex(record.bytes), record.bytes);
          }
        }
      }
      assertEquals(
        frames.map((frame) => seen.has(hex(frame))),
        [true, true, true],
      );
      assertEquals(seen.size, frames.length, "no record but these frames");
    },
  });

  Deno.test({
    name:
      `${path}: a deleted interface ends receiving with InterfaceRemovedError`,
    ...integration,
    async fn() {
      await using pair = await vethPair();
      using rx = RawSocket.open(pair.b, { ring });
      const pending = rx.receive({ timeoutMs: 3000 }).catch((e) => e); // settles during the ip command
      await sleep(50);
      await run("ip", ["link", "del", pair.a]);
      const error = await pending;
      assertTrue(error instanceof InterfaceRemovedError, String(error));
      assertTrue(error instanceof NoSuchInterfaceError, "a kind of it");
      assertEquals(error.message, `interface "${pair.b}" was removed`);
    },
  });

  Deno.test({
    name:
      `${path}: a SocketSource drains queued frames; for await yields them until close()`,
    ...integration,
    async fn() {
      await using pair = await vethPair();
      using rx = RawSocket.open(pair.b, { etherType: 0x88b6, ring });
      using tx = RawSocket.open(pair.a, { receive: false });
      const frame = buildFrame({
        dst: pair.macB,
        src: pair.macA,
        type: 0x88b6,
      });
      tx.sendMany([frame, frame, frame]);
      let lengths = 0;
      const deadline = Date.now() + 2000;
      let visited = 0;
      const source = new SocketSource(rx);
      while (visited < 3 && Date.now() < deadline) {
        visited += source.drain((f) => lengths += f.length);
        await source.waitReadable({ timeoutMs: 20 });
      }
      const { drops } = rx.stats();
      assertEquals(visited + drops, 3);
      assertEquals(lengths, visited * 60);
      tx.send(frame);
      let seen = 0;
      setTimeout(() => rx.close(), 300);
      for await (const got of rx) {
        assertEquals(got.bytes.length, 60);
        seen++;
      }
      assertTrue(seen <= 1, `${seen} frames`);
    },
  });
}

Deno.test({
  name:
    "open() validates before any system call and closes what it opened when a step fails",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const fds = openFds();
    for (let i = 0; i < 20; i++) {
      // Refused by our checks: nothing is opened at all.
      assertThrows(() => RawSocket.open(pair.b, { txRing: true }), InputError);
      // Refused by the kernel after socket(): an invalid BPF opcode.
      const error = assertThrows(
        () =>
          RawSocket.open(pair.b, {
            ring: true,
            filter: [{ code: 0xffff, jt: 0, jf: 0, k: 0 }],
          }),
        OsError,
        "SO_ATTACH_FILTER",
      );
      assertEquals(error.code, "EINVAL");
    }
    assertEquals(openFds(), fds);
  },
});

Deno.test({
  name:
    "waiting calls reject with the abort reason, before and during the wait",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using rx = RawSocket.open(pair.b);
    const source = new SocketSource(rx);
    const reason = new Error("stop");
    const aborted = AbortSignal.abort(reason);
    assertEquals(
      await source.waitReadable({ signal: aborted }).catch((e) => e),
      reason,
    );
    assertEquals(await rx.receive({ signal: aborted }).catch((e) => e), reason);
    // During: waitReadable waits in slices of at most 50 ms, so keep
    // waiting until the abort comes, however late the timer fires.
    const stop = new AbortController();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      stop.abort(reason);
    }, 20);
    const error = await (async () => {
      for (;;) await source.waitReadable({ signal: stop.signal });
    })().catch((e) => e);
    assertEquals(error, reason);
    const late = performance.now() - abortedAt;
    assertTrue(
      late < 100,
      `the wait ended ${late.toFixed(1)} ms after the abort`,
    );
  },
});

Deno.test({
  name: "a TX-ring socket's send() puts its one frame on the wire",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    using rx = RawSocket.open(pair.b, { etherType: 0x88b6 });
    using tx = RawSocket.open(pair.a, { receive: false, txRing: true });
    const frame = buildFrame({
      dst: pair.macB,
      src: pair.macA,
      type: 0x88b6,
      payload: "ring",
    });
    assertTrue(await deliver(tx, rx, frame), "the frame arrived");
  },
});
