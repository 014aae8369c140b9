/**
 * pcapng timestamps are split into seconds and nanoseconds exactly, at
 * every decimal resolution and for any 64-bit count: the fast split in
 * doubles agrees with BigInt arithmetic, record by record.
 */
import { assertEquals } from "./assert.ts";
import { block, option, SHB, u32 } from "./pcapng_builder.ts";
import { readPcap } from "../lib/pcap.ts";

/** An interface block with if_tsresol `resolution`. */
function idbWith(resolution: number): number[] {
  return block(1, [
    1,
    0,
    0,
    0,
    ...u32(262144),
    ...option(9, [resolution]),
    ...option(0, []),
  ]);
}

/** An empty packet at 64-bit count `count`. */
function epbAt(count: bigint): number[] {
  return block(6, [
    ...u32(0),
    ...u32(Number(count >> 32n)),
    ...u32(Number(count & 0xffffffffn)),
    ...u32(0),
    ...u32(0),
  ]);
}

/** A small seeded generator of 64-bit counts, near and far. */
function* counts(seed: number): Generator<bigint> {
  let state = BigInt(seed);
  for (let i = 0; i < 400; i++) {
    state = (state * 6364136223846793005n + 1442695040888963407n) &
      ((1n << 64n) - 1n);
    const bits = BigInt(1 + (i % 64));
    yield state & ((1n << bits) - 1n);
  }
  yield 0n;
  yield (1n << 64n) - 1n;
  yield 1_700_000_000_123_456n; // µs now
  yield 1_764_000_000_999_999_999n; // ns now
}

Deno.test("pcapng times are exact at every decimal resolution, for any 64-bit count", () => {
  for (let decimals = 0; decimals <= 12; decimals++) {
    const units = 10n ** BigInt(decimals);
    const all = [...counts(decimals + 1)];
    const file = new Uint8Array([
      ...SHB,
      ...idbWith(decimals),
      ...all.flatMap(epbAt),
    ]);
    const frames = readPcap(file);
    frames.forEach((frame, i) => {
      const count = all[i];
      const expected = {
        seconds: Number(count / units),
        nanoseconds: Number(((count % units) * 1_000_000_000n) / units),
      };
      assertEquals(frame.timestamp, expected, `10^-${decimals} s × ${count}`);
    });
  }
});
