/**
 * RawSocket.open's options are all checked before any system call, by a
 * pure planner: these tests need no network and open nothing.
 */
import { assertEquals, assertThrows, assertTrue } from "./assert.ts";
import {
  checkRingSize,
  DEFAULT_RING,
  planSocket,
} from "../lib/open_options.ts";
import { EtherTypeError, InputError, MacAddressError } from "../lib/errors.ts";

Deno.test("a plain receiving socket: no filter, recvmsg, no ring", () => {
  assertEquals(planSocket("eth0", {}), {
    receive: true,
    txRing: false,
    qdiscBypass: false,
    promisc: false,
    txTimestamps: false,
  });
  assertEquals(planSocket("eth0", { txTimestamps: true }).txTimestamps, true);
  assertThrows(
    () => planSocket("any", { txTimestamps: true }),
    InputError,
    `cannot send on "any", so no transmit timestamps`,
  );
});

Deno.test("filters are built and rings sized in the plan", () => {
  const plan = planSocket("eth0", {
    etherType: 0x88b5,
    direction: "in",
    ring: true,
  });
  assertEquals(plan.ring, DEFAULT_RING);
  assertTrue((plan.program?.length ?? 0) > 0, "a BPF program");
  const sized = { blockSize: 1 << 16, blockCount: 4, blockTimeoutMs: 0 };
  assertEquals(planSocket("eth0", { ring: sized }).ring, sized);
});

Deno.test("options that need a receiving socket are refused on a send-only one", () => {
  for (
    const key of [
      "etherType",
      "direction",
      "src",
      "dst",
      "filter",
      "promisc",
      "ring",
    ] as const
  ) {
    const value = {
      etherType: 0x88b5,
      direction: "in",
      src: "02:00:00:00:00:01",
      dst: "02:00:00:00:00:02",
      filter: [],
      promisc: true,
      ring: true,
    }[key];
    assertThrows(
      () => planSocket("eth0", { receive: false, [key]: value }),
      InputError,
      `${key} needs a receiving socket`,
    );
  }
});

Deno.test("contradictions and bad values are refused with named errors", () => {
  assertThrows(
    () => planSocket("any", { receive: false }),
    InputError,
    `cannot send on "any"`,
  );
  assertThrows(
    () => planSocket("eth0", { txRing: true }),
    InputError,
    "send-only",
  );
  assertThrows(
    () => planSocket("any", { promisc: true }),
    InputError,
    `"any" cannot be promiscuous`,
  );
  assertThrows(() => planSocket("eth0", { etherType: 0x0500 }), EtherTypeError);
  assertThrows(
    () => planSocket("eth0", { direction: "up" as "in" }),
    InputError,
    `invalid direction "up"`,
  );
  assertThrows(() => planSocket("eth0", { src: "zz" }), MacAddressError);
  assertThrows(
    () =>
      planSocket("eth0", { filter: [{ code: 0x10000, jt: 0, jf: 0, k: 0 }] }),
    InputError,
    "invalid filter instruction 0",
  );
  assertThrows(
    () =>
      planSocket("eth0", {
        filter: new Array(4097).fill({ code: 6, jt: 0, jf: 0, k: 0 }),
      }),
    InputError,
    "at most 4096",
  );
});

Deno.test("ring geometry is checked up front, naming the field", () => {
  assertEquals(checkRingSize(DEFAULT_RING), DEFAULT_RING);
  const bad: [Partial<typeof DEFAULT_RING>, string][] = [
    [{ blockSize: 3000 }, "blockSize 3000 must be a power of two"],
    [{ blockSize: 2048 }, "blockSize 2048"],
    [{ blockSize: 2 ** 31 }, "blockSize"],
    [{ blockCount: 0 }, "blockCount 0"],
    [{ blockCount: 1.5 }, "blockCount 1.5"],
    [{ blockSize: 2 ** 30, blockCount: 8 }, "more than the kernel maps"],
    [{ blockTimeoutMs: -1 }, "blockTimeoutMs -1"],
  ];
  for (const [change, message] of bad) {
    assertThrows(
      () => checkRingSize({ ...DEFAULT_RING, ...change }),
      InputError,
      message,
    );
  }
});
