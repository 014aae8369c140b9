/**
 * Transmit timestamps (RawSocket option `txTimestamps`) on a veth pair:
 * each frame sent is stamped by the kernel as it is queued and as the
 * driver sends it, numbered in order, on the clock `wallClock` reads; a
 * wait on a socket with stamps queued neither spins nor loses them.
 */
import { assertEquals, assertThrows, assertTrue } from "./assert.ts";
import { cpuSeconds, integration, vethPair } from "./helpers.ts";
import { RawSocket, wallClock } from "../mod.ts";
import { buildFrame } from "../lib/frame.ts";
import { nanosecondsOf } from "../lib/echo.ts";
import { InputError } from "../lib/errors.ts";
import { openLibc } from "../ffi/libc.ts";

if (integration.ignore === false) openLibc(); // loaded for the whole run

Deno.test({
  ...integration,
  name:
    "each frame sent is stamped when queued and when sent, in order, between the clock's readings before and after",
  async fn() {
    await using pair = await vethPair();
    using sock = RawSocket.open(pair.a, {
      etherType: 0x88b6,
      direction: "in",
      txTimestamps: true,
    });
    const frame = buildFrame({ dst: pair.macB, src: pair.macA, type: 0x88b6 });
    for (let n = 0; n < 5; n++) {
      const before = nanosecondsOf(wallClock());
      sock.send(frame);
      const after = nanosecondsOf(wallClock());
      const stamps = sock.transmitTimestamps();
      assertEquals(stamps.map((s) => [s.frame, s.stage]), [
        [n, "queued"],
        [n, "sent"],
      ]);
      for (const { timestamp } of stamps) {
        const at = nanosecondsOf(timestamp);
        assertTrue(before <= at && at <= after, `${before} ${at} ${after}`);
      }
    }
    // Stamps left queued wake poll() as an error: a wait takes them, does
    // not spin, and keeps them for the next call.
    sock.send(frame);
    const cpu = cpuSeconds();
    assertEquals(await sock.receive({ timeoutMs: 300 }), null);
    const used = cpuSeconds() - cpu;
    assertTrue(used < 0.15, `${used.toFixed(2)} s of CPU in a 0.3 s wait`);
    assertEquals(sock.transmitTimestamps().map((s) => s.frame), [5, 5]);
  },
});

Deno.test({
  ...integration,
  name: "a socket opened without txTimestamps says how to get them",
  async fn() {
    await using pair = await vethPair();
    using sock = RawSocket.open(pair.a, { receive: false });
    assertThrows(
      () => sock.transmitTimestamps(),
      InputError,
      "open the socket with { txTimestamps: true }",
    );
  },
});
