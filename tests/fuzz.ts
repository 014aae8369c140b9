/**
 * The long fuzz run, a test-suite run of its own (`deno task fuzz`):
 * a million mutated frames (FUZZ_FRAMES to change it) through decoding
 * and display. The regular suite runs 20,000 (tests/decode_test.ts).
 */
import { assertEquals } from "./assert.ts";
import { sh } from "./helpers.ts";
import { readPcap } from "../lib/pcap.ts";
import { fuzzDecode } from "./fuzz_frames.ts";

const CORPUS = new URL("./fixtures/decode_corpus.py", import.meta.url).pathname;

Deno.test("decoding and display never throw nor say anything unprintable: a million mutated frames", async () => {
  const dir = await Deno.makeTempDir();
  await sh("/usr/bin/python3", CORPUS, dir);
  const seeds = ["whole", "cut", "ours"].flatMap((name) =>
    readPcap(Deno.readFileSync(`${dir}/${name}.pcap`)).map((f) => f.bytes)
  );
  const count = Number(Deno.env.get("FUZZ_FRAMES") ?? 1_000_000);
  const seed = Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 2 ** 31);
  const started = performance.now();
  const result = fuzzDecode(seeds, count, seed);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `fuzz: ${result.decoded} of ${count} mutated frames decoded and shown (seed ${seed}, ${seeds.length} seeds, ${
      seconds.toFixed(1)
    } s)`,
  );
  assertEquals(result.failures, []);
  assertEquals(result.decoded, count);
});
